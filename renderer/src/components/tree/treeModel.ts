/**
 * The renderer's mirror of the expanded part of one connection's topic tree, as plain data and
 * pure functions (no Vue): the tree store wraps it in refs and schedules work per frame.
 */
import { OUTLINE_RECORDED, OUTLINE_RETAINED, OUTLINE_SYS, type TreeDelta, type TreeNodeView, type TreeOutline } from '@common/session';

export type SortMode = 'name' | 'messages' | 'changed';

export interface TreeRow {
  id: number;
  depth: number;
}

export const ROOT_ID = 0;

export interface TreeMirror {
  nodes: Map<number, TreeNodeView>;
  /** Sorted child ids of every expanded node (the root always is). */
  children: Map<number, number[]>;
  expanded: Set<number>;
  /** Nodes known from an outline only: placed and counted, their last message not fetched yet. */
  stubs: Set<number>;
}

export const createMirror = (): TreeMirror => ({ nodes: new Map(), children: new Map([[ROOT_ID, []]]), expanded: new Set([ROOT_ID]), stubs: new Set() });

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Orders siblings; `$` topics (broker internals) go last at every level so they never crowd the data. */
export function comparator(mode: SortMode): (a: TreeNodeView, b: TreeNodeView) => number {
  const byName = (a: TreeNodeView, b: TreeNodeView): number => {
    if (a.sys !== b.sys) return a.sys ? 1 : -1;
    return collator.compare(a.name, b.name) || a.id - b.id;
  };
  const sysLast = (a: TreeNodeView, b: TreeNodeView): number => (a.sys === b.sys ? 0 : a.sys ? 1 : -1);
  if (mode === 'messages') return (a, b) => sysLast(a, b) || b.subtreeMessages - a.subtreeMessages || byName(a, b);
  if (mode === 'changed') return (a, b) => sysLast(a, b) || b.lastChanged - a.lastChanged || byName(a, b);
  return byName;
}

export function sortIds(mirror: TreeMirror, ids: number[], mode: SortMode): number[] {
  const compare = comparator(mode);
  const nodes = ids.map((id) => mirror.nodes.get(id)).filter((n): n is TreeNodeView => n !== undefined);
  nodes.sort(compare);
  return nodes.map((n) => n.id);
}

/** Inserts `node` among the sorted `ids` of its siblings (binary search). */
export function insertSorted(mirror: TreeMirror, ids: number[], node: TreeNodeView, mode: SortMode): void {
  const compare = comparator(mode);
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const other = mirror.nodes.get(ids[mid] as number);
    if (other && compare(other, node) <= 0) lo = mid + 1;
    else hi = mid;
  }
  ids.splice(lo, 0, node.id);
}

/** Stores fetched children of `parentId` and marks it expanded. */
export function setChildren(mirror: TreeMirror, parentId: number, children: TreeNodeView[], mode: SortMode): void {
  for (const child of children) mirror.nodes.set(child.id, child);
  mirror.children.set(
    parentId,
    sortIds(
      mirror,
      children.filter((c) => c.parentId === parentId).map((c) => c.id),
      mode,
    ),
  );
  mirror.expanded.add(parentId);
}

/** Forgets everything below `id` (its descendants, not the node itself). */
export function dropDescendants(mirror: TreeMirror, id: number): void {
  const stack = [...(mirror.children.get(id) ?? [])];
  mirror.children.delete(id);
  mirror.expanded.delete(id);
  while (stack.length > 0) {
    const next = stack.pop() as number;
    const kids = mirror.children.get(next);
    if (kids) stack.push(...kids);
    mirror.children.delete(next);
    mirror.expanded.delete(next);
    mirror.nodes.delete(next);
    mirror.stubs.delete(next);
  }
}

/**
 * Adds an outline ("expand all") below `outline.nodeId`: every listed node becomes a stub view and
 * every parent whose children all arrived is shown expanded. Nodes the mirror already holds in
 * full keep their view. Returns false when the node it was asked for is gone.
 */
export function addOutline(mirror: TreeMirror, outline: TreeOutline, mode: SortMode): boolean {
  const origin = outline.nodeId === ROOT_ID ? undefined : mirror.nodes.get(outline.nodeId);
  if (outline.nodeId !== ROOT_ID && origin === undefined) return false;
  const topics = new Map<number, string>([[outline.nodeId, origin?.topic ?? '']]);
  const byParent = new Map<number, number[]>();
  const { ids, parents, names, childCounts, messages, subtreeMessages, subtreeTopics, lastChanged, timeBase, flags } = outline;
  const { nodes, stubs } = mirror;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as number;
    const parentId = parents[i] as number;
    const name = names[i] as string;
    const topic = parentId === ROOT_ID ? name : `${topics.get(parentId) ?? ''}/${name}`;
    topics.set(id, topic);
    const siblings = byParent.get(parentId);
    if (siblings) siblings.push(id);
    else byParent.set(parentId, [id]);
    const known = nodes.get(id);
    // A node held in full keeps its last message; the outline's counts are the newer.
    if (known && !stubs.has(id)) {
      nodes.set(id, {
        ...known,
        childCount: childCounts[i] as number,
        messages: messages[i] as number,
        subtreeMessages: subtreeMessages[i] as number,
        subtreeTopics: subtreeTopics[i] as number,
        lastChanged: timeBase + (lastChanged[i] as number),
      });
      continue;
    }
    const bits = flags[i] as number;
    // Written out in full, in one shape: 100,000 of these are made at once.
    nodes.set(id, {
      id,
      parentId,
      name,
      topic,
      childCount: childCounts[i] as number,
      messages: messages[i] as number,
      subtreeMessages: subtreeMessages[i] as number,
      subtreeTopics: subtreeTopics[i] as number,
      firstSeen: 0,
      lastChanged: timeBase + (lastChanged[i] as number),
      rate: 0,
      sys: (bits & OUTLINE_SYS) !== 0,
      retained: (bits & OUTLINE_RETAINED) !== 0,
      recorded: (bits & OUTLINE_RECORDED) !== 0,
    });
    stubs.add(id);
  }
  for (const [parentId, kids] of byParent) {
    // Only a parent whose children all arrived can be shown expanded.
    const parent = parentId === ROOT_ID ? undefined : mirror.nodes.get(parentId);
    if (parent && kids.length < parent.childCount) continue;
    mirror.children.set(parentId, sortIds(mirror, kids, mode));
    mirror.expanded.add(parentId);
  }
  return true;
}

/** Puts fetched full views in place of stubs; a view older than what the mirror holds is skipped. Returns how many were used. */
export function fillStubs(mirror: TreeMirror, views: readonly (TreeNodeView | null)[]): number {
  let used = 0;
  for (const view of views) {
    if (view === null || !mirror.stubs.has(view.id)) continue;
    const known = mirror.nodes.get(view.id);
    if (known && view.lastChanged < known.lastChanged) continue;
    mirror.nodes.set(view.id, view);
    mirror.stubs.delete(view.id);
    used++;
  }
  return used;
}

export interface ApplyOutcome {
  /** Rows must be rebuilt (a node appeared or went away). */
  structure: boolean;
  /** Ids that received a message on their own topic (the row highlight). */
  changed: number[];
  /** Ids whose subtree received messages, not the node itself (a quieter highlight on the count). */
  subtreeChanged: number[];
  /** Some node's view was replaced (rows must re-render, the list stays). */
  updated: boolean;
  /** Parents whose children may now be out of order under a value sort. */
  reorder: Set<number>;
  /** The engine asked for a fresh snapshot. */
  reset: boolean;
}

/** Applies a batch of deltas to the mirror; only nodes under an expanded parent are kept. */
export function applyDeltas(mirror: TreeMirror, deltas: readonly TreeDelta[], mode: SortMode): ApplyOutcome {
  const outcome: ApplyOutcome = { structure: false, changed: [], subtreeChanged: [], updated: false, reorder: new Set(), reset: false };
  for (const delta of deltas) {
    if (delta.reset) {
      outcome.reset = true;
      continue;
    }
    for (const id of delta.removed) {
      const node = mirror.nodes.get(id);
      if (!node) continue;
      dropDescendants(mirror, id);
      mirror.nodes.delete(id);
      mirror.stubs.delete(id);
      const siblings = mirror.children.get(node.parentId);
      const at = siblings?.indexOf(id) ?? -1;
      if (siblings && at >= 0) siblings.splice(at, 1);
      outcome.structure = true;
    }
    for (const node of delta.nodes) {
      const known = mirror.nodes.get(node.id);
      if (known) {
        // A delta buffered during a refetch can be older than the snapshot it follows.
        if (node.lastChanged < known.lastChanged) continue;
        mirror.nodes.set(node.id, node);
        outcome.updated = true;
        // A stub has no last message to compare: its message count tells whether one arrived.
        const stub = mirror.stubs.delete(node.id);
        // A rate-only refresh is not a change worth drawing the eye to.
        if (node.messages !== known.messages || (!stub && node.last?.id !== known.last?.id)) outcome.changed.push(node.id);
        else if (node.subtreeMessages !== known.subtreeMessages) outcome.subtreeChanged.push(node.id);
        if (mode !== 'name') outcome.reorder.add(node.parentId);
        if (known.childCount === 0 && node.childCount > 0 && mirror.expanded.has(node.id)) outcome.structure = true;
        continue;
      }
      const siblings = mirror.children.get(node.parentId);
      if (!siblings || !mirror.expanded.has(node.parentId)) continue;
      mirror.nodes.set(node.id, node);
      insertSorted(mirror, siblings, node, mode);
      outcome.updated = true;
      outcome.changed.push(node.id);
      outcome.structure = true;
    }
  }
  return outcome;
}

/** The visible rows: a depth-first walk of expanded nodes. O(visible rows). */
export function flatten(mirror: TreeMirror, rootId: number = ROOT_ID): TreeRow[] {
  const rows: TreeRow[] = [];
  const walk = (parentId: number, depth: number): void => {
    const kids = mirror.children.get(parentId);
    if (!kids) return;
    for (const id of kids) {
      rows.push({ id, depth });
      if (mirror.expanded.has(id)) walk(id, depth + 1);
    }
  };
  walk(rootId, 0);
  return rows;
}

/** Builds a fully expanded mirror from a search result (matches and their ancestors). */
export function mirrorFromNodes(nodes: readonly TreeNodeView[], mode: SortMode): TreeMirror {
  const mirror = createMirror();
  const byParent = new Map<number, TreeNodeView[]>();
  for (const node of nodes) {
    if (node.id === ROOT_ID) continue;
    mirror.nodes.set(node.id, node);
    const list = byParent.get(node.parentId);
    if (list) list.push(node);
    else byParent.set(node.parentId, [node]);
  }
  for (const [parentId, kids] of byParent) {
    mirror.children.set(parentId, sortIds(mirror, kids.map((k) => k.id), mode));
    mirror.expanded.add(parentId);
  }
  return mirror;
}
