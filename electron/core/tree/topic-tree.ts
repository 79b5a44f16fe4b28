/**
 * The authoritative topic tree of one connection. Recording a message costs one map lookup for a
 * known topic plus a walk up its ancestors (O(depth)), with no allocation; a new topic creates the
 * nodes it needs. The UI gets a snapshot of the levels it expands and, once per flush, a delta of
 * the changed nodes whose parent is expanded.
 */
import type { QoS } from '../../common/model';
import { OUTLINE_RECORDED, OUTLINE_RETAINED, OUTLINE_SYS, type TreeDelta, type TreeNodeView, type TreeOutline } from '../../common/session';
import { TreeNode } from './node';
import { TopicIndex } from './topic-index';

/** What the store knows of a topic when the tree is rebuilt from disk. */
export interface RestoredTopic {
  topic: string;
  topicId: number;
  /** Messages of this topic kept on disk. */
  count: number;
  firstSeen: number;
  lastId: number;
  lastTime: number;
  lastSize: number;
  lastQos: QoS;
  lastRetain: boolean;
  preview: string;
  previewCut: boolean;
}

const nowSecond = (): number => Math.floor(Date.now() / 1000);

export class TopicTree {
  /** Nodes by id (ids are dense: an array beats a Map by far on insert). */
  private byId: TreeNode[] = [];
  /** Nodes that have messages, by topic: the hot path's one lookup. Levels without messages are found by walking. */
  private readonly byTopic = new Map<string, TreeNode>();
  private nextId = 1;
  private rootNode: TreeNode;
  private dirty: TreeNode[] = [];
  private epoch = 0;
  private rateWatch: TreeNode[] = [];
  private lastRateCheck = 0;
  private resetPending = false;
  private topicIndex = new TopicIndex();

  constructor(readonly connectionId: string) {
    this.rootNode = this.makeRoot();
  }

  get root(): TreeNode {
    return this.rootNode;
  }

  /** Every node's topic in one searchable text. */
  get index(): TopicIndex {
    return this.topicIndex;
  }

  /** Every node, root included, in creation order (a parent always before its children). */
  nodes(): readonly TreeNode[] {
    return this.byId;
  }

  get size(): number {
    return this.byId.length;
  }

  node(id: number): TreeNode | undefined {
    return Number.isInteger(id) ? this.byId[id] : undefined;
  }

  /** The node of exactly this topic (a level without messages counts too). */
  find(topic: string): TreeNode | undefined {
    const known = this.byTopic.get(topic);
    if (known !== undefined) return known;
    let node: TreeNode | undefined = this.rootNode;
    let start = 0;
    for (;;) {
      const slash = topic.indexOf('/', start);
      node = node.children?.get(topic.slice(start, slash < 0 ? topic.length : slash));
      if (node === undefined || slash < 0) return node;
      start = slash + 1;
    }
  }

  /**
   * Records one received message on `topic`. `payload` is kept only until the next flush, to make
   * the preview of whatever message is last by then.
   */
  record(topic: string, id: number, time: number, payload: Uint8Array, qos: QoS, retain: boolean): TreeNode {
    let node = this.byTopic.get(topic);
    if (node === undefined) {
      node = this.create(topic, time);
      this.byTopic.set(node.topic, node);
    }
    const first = node.messages === 0;
    node.messages++;
    node.lastId = id;
    node.lastTime = time;
    node.lastSize = payload.length;
    node.lastQos = qos;
    node.lastRetain = retain;
    // [MQTT-3.3.1-6] a retained empty payload removes the broker's retained message; a live
    // (non-retained) message leaves it in place.
    if (retain) node.retained = payload.length > 0;
    node.pendingPayload = payload;
    const second = Math.floor(time / 1000);
    const epoch = this.epoch;
    for (let n: TreeNode | undefined = node; n !== undefined; n = n.parent) {
      n.subtreeMessages++;
      if (first) n.subtreeTopics++;
      n.lastChanged = time;
      n.recorded = false;
      if (n.rateSecond !== second) {
        n.ratePrev = n.rateSecond === second - 1 ? n.rateCount : 0;
        n.rateSecond = second;
        n.rateCount = 0;
      }
      n.rateCount++;
      if (n.dirtyEpoch !== epoch) {
        n.dirtyEpoch = epoch;
        this.dirty.push(n);
      }
    }
    return node;
  }

  /** Adds a topic known from the store of an earlier run; its path shows as recorded until a message arrives in it. */
  restore(entry: RestoredTopic): TreeNode {
    let node = this.byTopic.get(entry.topic);
    if (node === undefined) {
      node = this.create(entry.topic, entry.firstSeen);
      this.byTopic.set(node.topic, node);
    }
    const first = node.messages === 0;
    node.topicId = entry.topicId;
    node.messages += entry.count;
    if (entry.lastId > node.lastId) {
      node.lastId = entry.lastId;
      node.lastTime = entry.lastTime;
      node.lastSize = entry.lastSize;
      node.lastQos = entry.lastQos;
      node.lastRetain = entry.lastRetain;
      node.retained = entry.lastRetain && entry.lastSize > 0;
      node.preview = entry.preview;
      node.previewCut = entry.previewCut;
      node.pendingPayload = undefined;
    }
    // Restoring happens before this run records anything: the whole path is known from disk only.
    for (let n: TreeNode | undefined = node; n !== undefined; n = n.parent) {
      n.recorded = true;
      n.subtreeMessages += entry.count;
      if (first) n.subtreeTopics++;
      if (entry.lastTime > n.lastChanged) n.lastChanged = entry.lastTime;
      if (entry.firstSeen < n.firstSeen) n.firstSeen = entry.firstSeen;
      this.markDirty(n);
    }
    return node;
  }

  /**
   * Forgets that the broker holds a retained message for `node` (it was just cleared), and sends
   * the node in the next delta so the marker goes away without waiting for the broker's echo.
   */
  forgetRetained(node: TreeNode): void {
    if (!node.retained || this.byId[node.id] !== node) return;
    node.retained = false;
    this.markDirty(node);
  }

  private create(topic: string, time: number): TreeNode {
    let parent = this.rootNode;
    let start = 0;
    for (;;) {
      const slash = topic.indexOf('/', start);
      const end = slash < 0 ? topic.length : slash;
      const name = topic.slice(start, end);
      let child = parent.children?.get(name);
      if (child === undefined) {
        const path = slash < 0 ? topic : topic.slice(0, end);
        child = new TreeNode(this.nextId++, parent, name, path, parent.sys || (parent === this.rootNode && name.startsWith('$')));
        child.firstSeen = time;
        child.lastChanged = time;
        (parent.children ??= new Map()).set(name, child);
        this.byId.push(child);
        this.topicIndex.add(child.id, path);
        this.markDirty(child);
        // The parent's child count changed.
        this.markDirty(parent);
      }
      if (slash < 0) return child;
      parent = child;
      start = slash + 1;
    }
  }

  private markDirty(node: TreeNode): void {
    if (node.dirtyEpoch === this.epoch) return;
    node.dirtyEpoch = this.epoch;
    this.dirty.push(node);
  }

  /** Marks `id` expanded and returns its children. */
  children(id: number): TreeNodeView[] | undefined {
    const node = this.node(id);
    if (node === undefined) return undefined;
    node.expanded = true;
    const now = nowSecond();
    const views: TreeNodeView[] = [];
    if (node.children !== undefined) for (const child of node.children.values()) views.push(this.viewOf(child, now));
    return views;
  }

  /** Stops deltas for the subtree below `id` (the root stays expanded). */
  collapse(id: number): boolean {
    const node = this.node(id);
    if (node === undefined) return false;
    const stack = [node];
    for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
      if (!n.expanded) continue;
      if (n !== this.rootNode) n.expanded = false;
      if (n.children !== undefined) for (const child of n.children.values()) if (child.expanded) stack.push(child);
    }
    return true;
  }

  /**
   * Descendants of `id`, breadth first, up to `limit`, as an outline (no previews: those are made
   * for the rows the UI draws). Each node whose children are all listed is marked expanded so
   * deltas keep them current.
   */
  expandAll(id: number, limit: number): TreeOutline | undefined {
    const node = this.node(id);
    if (node === undefined) return undefined;
    const opened: TreeNode[] = [];
    let listed = 0;
    let truncated = false;
    const queue: TreeNode[] = [node];
    for (let head = 0; head < queue.length; head++) {
      const current = queue[head] as TreeNode;
      if (current.children === undefined) continue;
      if (listed + current.children.size > limit) {
        truncated = true;
        break;
      }
      opened.push(current);
      listed += current.children.size;
      for (const child of current.children.values()) queue.push(child);
    }
    return this.outline(id, opened, listed, truncated);
  }

  /**
   * The top level and the children of each of `topics` that can still be shown open (its parent is
   * open too), as one outline, parents first; each is marked expanded. A renderer starting over
   * (after a reset, or a paused view resumed) asks this once instead of once per open node.
   */
  reopen(topics: readonly string[], limit: number): TreeOutline {
    const depthOf = (node: TreeNode): number => {
      let depth = 0;
      for (let n = node.parent; n !== undefined; n = n.parent) depth++;
      return depth;
    };
    const wanted: { node: TreeNode; depth: number }[] = [];
    for (const topic of topics) {
      const node = this.find(topic);
      if (node !== undefined && node !== this.rootNode && node.children !== undefined) wanted.push({ node, depth: depthOf(node) });
    }
    wanted.sort((a, b) => a.depth - b.depth);
    const open = new Set<TreeNode>([this.rootNode]);
    const opened: TreeNode[] = [this.rootNode];
    // The top level always comes whole, as `children` gives it; the limit bounds what is opened below.
    let listed = this.rootNode.childCount;
    let truncated = false;
    for (const { node } of wanted) {
      if (node.parent === undefined || !open.has(node.parent) || open.has(node)) continue;
      const size = node.childCount;
      if (listed + size > limit) {
        truncated = true;
        break;
      }
      open.add(node);
      opened.push(node);
      listed += size;
    }
    return this.outline(0, opened, listed, truncated);
  }

  /** The children of each of `opened`, in that order, as columns; marks each opened node expanded. */
  private outline(nodeId: number, opened: readonly TreeNode[], count: number, truncated: boolean): TreeOutline {
    // Columns sized up front and filled in one pass over the nodes: growing ten arrays push by push
    // cost four times as much on a 100,000-node answer.
    let timeBase = Number.POSITIVE_INFINITY;
    for (const parent of opened) if (parent.children !== undefined) for (const child of parent.children.values()) timeBase = Math.min(timeBase, child.lastChanged);
    if (count === 0) timeBase = 0;
    const outline: TreeOutline = {
      nodeId,
      ids: new Array<number>(count),
      parents: new Array<number>(count),
      names: new Array<string>(count),
      childCounts: new Array<number>(count),
      messages: new Array<number>(count),
      subtreeMessages: new Array<number>(count),
      subtreeTopics: new Array<number>(count),
      lastChanged: new Array<number>(count),
      timeBase,
      flags: new Array<number>(count),
      truncated,
    };
    let i = 0;
    for (const parent of opened) {
      parent.expanded = true;
      if (parent.children === undefined) continue;
      for (const child of parent.children.values()) {
        outline.ids[i] = child.id;
        outline.parents[i] = parent.id;
        outline.names[i] = child.name;
        outline.childCounts[i] = child.childCount;
        outline.messages[i] = child.messages;
        outline.subtreeMessages[i] = child.subtreeMessages;
        outline.subtreeTopics[i] = child.subtreeTopics;
        outline.lastChanged[i] = child.lastChanged - timeBase;
        outline.flags[i] = (child.sys ? OUTLINE_SYS : 0) | (child.retained ? OUTLINE_RETAINED : 0) | (child.recorded ? OUTLINE_RECORDED : 0);
        i++;
      }
    }
    return outline;
  }

  /** Views of the nodes with these ids; null for an id that is not (or no longer) in the tree. */
  views(ids: readonly number[]): (TreeNodeView | null)[] {
    const now = nowSecond();
    return ids.map((id) => {
      const node = this.node(id);
      return node === undefined ? null : this.viewOf(node, now);
    });
  }

  view(node: TreeNode): TreeNodeView {
    return this.viewOf(node, nowSecond());
  }

  private viewOf(node: TreeNode, now: number): TreeNodeView {
    const view = node.view(now);
    if (view.rate > 0 && !node.rateWatched) {
      node.rateWatched = true;
      this.rateWatch.push(node);
    }
    return view;
  }

  /** Ancestors of `node`, nearest first, root excluded. */
  ancestors(node: TreeNode): TreeNode[] {
    const out: TreeNode[] = [];
    for (let n = node.parent; n !== undefined && n !== this.rootNode; n = n.parent) out.push(n);
    return out;
  }

  /** Drops every node; the next delta tells the UI to start over. */
  clear(): void {
    // Ids start over: the reset delta tells the UI to drop every id it holds.
    this.byId = [];
    this.nextId = 1;
    this.byTopic.clear();
    this.topicIndex = new TopicIndex();
    this.rootNode = this.makeRoot();
    this.dirty = [];
    this.rateWatch = [];
    this.resetPending = true;
  }

  private makeRoot(): TreeNode {
    const root = new TreeNode(0, undefined, '', '', false);
    root.expanded = true;
    this.byId.push(root);
    return root;
  }

  /**
   * What changed since the last call: changed nodes whose parent is expanded. Undefined when
   * nothing did. Also lets go of the payloads kept for previews.
   */
  takeDelta(): TreeDelta | undefined {
    const now = nowSecond();
    if (now !== this.lastRateCheck) {
      this.lastRateCheck = now;
      this.recheckRates(now);
    }
    const nodes: TreeNodeView[] = [];
    for (const node of this.dirty) {
      const parent = node.parent;
      if (parent !== undefined && parent.expanded && this.byId[node.id] === node) nodes.push(this.viewOf(node, now));
      else node.settlePreview();
    }
    this.dirty = [];
    this.epoch++;
    const reset = this.resetPending;
    this.resetPending = false;
    if (nodes.length === 0 && !reset) return undefined;
    return reset ? { connectionId: this.connectionId, nodes, removed: [], reset: true } : { connectionId: this.connectionId, nodes, removed: [] };
  }

  /** Rates fall without messages arriving: nodes the UI saw with a rate are re-sent when it changes. */
  private recheckRates(now: number): void {
    const keep: TreeNode[] = [];
    for (const node of this.rateWatch) {
      const rate = node.rateAt(now);
      if (rate !== node.emittedRate) this.markDirty(node);
      if (rate > 0 || node.dirtyEpoch === this.epoch) keep.push(node);
      else node.rateWatched = false;
    }
    this.rateWatch = keep;
  }
}
