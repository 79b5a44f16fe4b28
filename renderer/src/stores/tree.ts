import { defineStore } from 'pinia';
import { markRaw, onScopeDispose, ref, shallowRef, triggerRef, type Ref, type ShallowRef } from 'vue';
import type { SearchMode, SearchScope, TreeDelta, TreeNodeView } from '@common/session';
import { call, onEvent } from '@renderer/services/api';
import {
  addOutline,
  applyDeltas,
  createMirror,
  dropDescendants,
  fillStubs,
  flatten,
  mirrorFromNodes,
  ROOT_ID,
  setChildren,
  sortIds,
  type SortMode,
  type TreeMirror,
  type TreeRow,
} from '@renderer/components/tree/treeModel';

export type { SortMode, TreeRow } from '@renderer/components/tree/treeModel';

export interface SearchRequest {
  query: string;
  mode: SearchMode;
  scope: SearchScope;
  caseSensitive?: boolean;
}

export interface SearchView {
  request: SearchRequest;
  matches: ReadonlySet<number>;
  mirror: TreeMirror;
  rows: readonly TreeRow[];
  truncated: boolean;
}

/** Everything the tree pane shows of one connection. Hot collections are shallow and replaced. */
export interface ConnectionTree {
  readonly connectionId: string;
  /** Mutated in place and triggered: rows re-render without rebuilding the row list. */
  nodes: ShallowRef<Map<number, TreeNodeView>>;
  /** Rebuilt only when the structure changes (expand, collapse, new or removed node, reorder). */
  rows: ShallowRef<readonly TreeRow[]>;
  expanded: ShallowRef<ReadonlySet<number>>;
  /** performance.now() of each node's last own message, for the row highlight. */
  changedAt: Map<number, number>;
  /** performance.now() of the last message below each node, for the count highlight. */
  subtreeChangedAt: Map<number, number>;
  loading: Ref<boolean>;
  error: Ref<string | null>;
  paused: Ref<boolean>;
  sort: Ref<SortMode>;
  search: ShallowRef<SearchView | null>;
  searchBusy: Ref<boolean>;
  searchError: Ref<string | null>;
}

interface State extends ConnectionTree {
  mirror: TreeMirror;
  pending: TreeDelta[];
  frame: number;
  refreshing: boolean;
  refreshGeneration: number;
  reorder: Set<number>;
  reorderTimer: ReturnType<typeof setTimeout> | undefined;
  searchGeneration: number;
  searchTimer: ReturnType<typeof setTimeout> | undefined;
  /** Outline stubs on screen whose full views are to be fetched, and those on their way. */
  wantedViews: Set<number>;
  loadingViews: Set<number>;
  viewsTimer: ReturnType<typeof setTimeout> | undefined;
}

/** Under a value sort, siblings are reordered at most this often so rows do not jump every frame. */
const REORDER_MS = 1000;
/** While a search is shown, changes re-run it at most this often. */
const RESEARCH_MS = 1500;
const FLASH_KEEP_MS = 2000;
/** Rows one "expand all" may add; the list is virtualized, the cost is the transfer. */
export const EXPAND_ALL_LIMIT = 100_000;
/** Full views asked for in one call (a screen holds a few dozen rows; a fast scroll more). */
const VIEWS_PER_CALL = 500;

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

const nextFrame = (callback: () => void): number =>
  typeof requestAnimationFrame === 'function' ? requestAnimationFrame(callback) : (setTimeout(callback, 16) as unknown as number);

export const useTreeStore = defineStore('tree', () => {
  const states = new Map<string, State>();

  function create(connectionId: string): State {
    const mirror = createMirror();
    return {
      connectionId,
      mirror,
      nodes: shallowRef(mirror.nodes),
      rows: shallowRef<readonly TreeRow[]>([]),
      expanded: shallowRef<ReadonlySet<number>>(mirror.expanded),
      changedAt: new Map(),
      subtreeChangedAt: new Map(),
      loading: ref(false),
      error: ref<string | null>(null),
      paused: ref(false),
      sort: ref<SortMode>('name'),
      search: shallowRef<SearchView | null>(null),
      searchBusy: ref(false),
      searchError: ref<string | null>(null),
      pending: [],
      frame: 0,
      refreshing: false,
      refreshGeneration: 0,
      reorder: new Set(),
      reorderTimer: undefined,
      searchGeneration: 0,
      searchTimer: undefined,
      wantedViews: new Set(),
      loadingViews: new Set(),
      viewsTimer: undefined,
    };
  }

  /** The tree of a connection; the first call loads its top level. */
  function tree(connectionId: string): ConnectionTree {
    let state = states.get(connectionId);
    if (!state) {
      state = create(connectionId);
      states.set(connectionId, state);
      void refresh(connectionId);
    }
    return state;
  }

  function publishStructure(state: State): void {
    state.rows.value = markRaw(flatten(state.mirror));
    state.expanded.value = state.mirror.expanded;
    triggerRef(state.expanded);
    triggerRef(state.nodes);
  }

  // ---- deltas: buffered, applied once per animation frame

  // A tree that could not load (connection not open yet) tries again when the connection changes.
  const stopStatus = onEvent('connection.status', ({ status }) => {
    const state = states.get(status.connectionId);
    if (state && state.error.value !== null && !state.refreshing) void refresh(status.connectionId);
  });

  const stopDeltas = onEvent('tree.delta', ({ delta }) => {
    const state = states.get(delta.connectionId);
    if (!state || state.paused.value) return;
    state.pending.push(delta);
    if (!state.frame) state.frame = nextFrame(() => flush(state));
  });

  onScopeDispose(() => {
    stopStatus();
    stopDeltas();
    for (const id of [...states.keys()]) release(id);
  });

  function flush(state: State): void {
    state.frame = 0;
    if (state.refreshing || state.paused.value) return;
    const deltas = state.pending;
    state.pending = [];
    if (deltas.length === 0) return;
    const outcome = applyDeltas(state.mirror, deltas, state.sort.value);
    updateSearchNodes(state, deltas);
    if (outcome.reset) {
      void refresh(state.connectionId);
      return;
    }
    const now = performance.now();
    for (const id of outcome.changed) state.changedAt.set(id, now);
    for (const id of outcome.subtreeChanged) state.subtreeChangedAt.set(id, now);
    for (const stamps of [state.changedAt, state.subtreeChangedAt]) {
      if (stamps.size > 2000) for (const [id, at] of stamps) if (now - at > FLASH_KEEP_MS) stamps.delete(id);
    }
    for (const parentId of outcome.reorder) state.reorder.add(parentId);
    if (state.reorder.size > 0 && !state.reorderTimer) state.reorderTimer = setTimeout(() => reorder(state), REORDER_MS);
    if (outcome.structure) publishStructure(state);
    else if (outcome.updated) triggerRef(state.nodes);
  }

  function reorder(state: State): void {
    state.reorderTimer = undefined;
    let moved = false;
    for (const parentId of state.reorder) {
      const ids = state.mirror.children.get(parentId);
      if (!ids) continue;
      const sorted = sortIds(state.mirror, ids, state.sort.value);
      if (sorted.some((id, i) => id !== ids[i])) {
        state.mirror.children.set(parentId, sorted);
        moved = true;
      }
    }
    state.reorder.clear();
    if (moved) publishStructure(state);
  }

  // ---- snapshots

  /** Re-fetches the top level and every node that was expanded (by topic: ids may change on reset). */
  async function refresh(connectionId: string): Promise<void> {
    const state = states.get(connectionId);
    if (!state) return;
    const generation = ++state.refreshGeneration;
    state.refreshing = true;
    const openTopics = (): Set<string> => {
      const topics = new Set<string>();
      for (const id of state.mirror.expanded) {
        const node = state.mirror.nodes.get(id);
        if (node) topics.add(node.topic);
      }
      return topics;
    };
    const keepOpen = openTopics();
    state.loading.value = true;
    const fresh = createMirror();
    try {
      if (keepOpen.size === 0) {
        setChildren(fresh, ROOT_ID, await call('tree.children', { connectionId, nodeId: ROOT_ID }), state.sort.value);
      } else {
        // One outline for every open level, not one call per open node (thousands after "expand all").
        const outline = await call('tree.reopen', { connectionId, topics: [...keepOpen], limit: EXPAND_ALL_LIMIT });
        addOutline(fresh, outline, state.sort.value);
      }
      if (generation !== state.refreshGeneration) return;
      // Expanded or collapsed meanwhile: start over from what is open now, or this answer would
      // re-open what the person just collapsed (a reset arrives while "expand all" is sent, say).
      const openNow = openTopics();
      if (openNow.size !== keepOpen.size || [...openNow].some((topic) => !keepOpen.has(topic))) {
        void refresh(connectionId);
        return;
      }
      state.mirror = fresh;
      state.nodes.value = fresh.nodes;
      state.error.value = null;
      publishStructure(state);
    } catch (error) {
      if (generation === state.refreshGeneration) state.error.value = message(error);
    } finally {
      if (generation === state.refreshGeneration) {
        state.refreshing = false;
        state.loading.value = false;
        if (state.pending.length > 0 && !state.frame) state.frame = nextFrame(() => flush(state));
      }
    }
  }

  // ---- expand / collapse

  async function expand(connectionId: string, nodeId: number): Promise<void> {
    const state = states.get(connectionId);
    const node = state?.mirror.nodes.get(nodeId);
    if (!state || !node || node.childCount === 0 || state.mirror.expanded.has(nodeId)) return;
    const kids = await call('tree.children', { connectionId, nodeId });
    // The node may have been removed or the tree replaced while the answer travelled.
    if (!state.mirror.nodes.has(nodeId)) return;
    setChildren(state.mirror, nodeId, kids, state.sort.value);
    publishStructure(state);
  }

  function collapse(connectionId: string, nodeId: number): void {
    const state = states.get(connectionId);
    if (!state || nodeId === ROOT_ID || !state.mirror.expanded.has(nodeId)) return;
    dropDescendants(state.mirror, nodeId);
    publishStructure(state);
    // The engine stops sending this subtree's changes; a failure only costs some bandwidth.
    void call('tree.collapse', { connectionId, nodeId }).catch(() => undefined);
  }

  async function toggle(connectionId: string, nodeId: number): Promise<void> {
    if (states.get(connectionId)?.mirror.expanded.has(nodeId)) collapse(connectionId, nodeId);
    else await expand(connectionId, nodeId);
  }

  /** Expands everything below a node (bounded). Resolves true when the engine stopped at the limit. */
  async function expandAll(connectionId: string, nodeId: number = ROOT_ID): Promise<boolean> {
    const state = states.get(connectionId);
    if (!state) return false;
    const outline = await call('tree.expandAll', { connectionId, nodeId, limit: EXPAND_ALL_LIMIT });
    // The node may have been removed or the tree replaced while the answer travelled.
    if (states.get(connectionId) !== state || !addOutline(state.mirror, outline, state.sort.value)) return false;
    publishStructure(state);
    return outline.truncated;
  }

  /**
   * Fetches the full views (last message, preview) of outline stubs among `ids`: the rows on
   * screen. Requests are merged per task and never repeated while one is on its way.
   */
  function loadViews(connectionId: string, ids: readonly number[]): void {
    const state = states.get(connectionId);
    if (!state) return;
    for (const id of ids) if (state.mirror.stubs.has(id) && !state.loadingViews.has(id)) state.wantedViews.add(id);
    if (state.wantedViews.size === 0 || state.viewsTimer !== undefined) return;
    state.viewsTimer = setTimeout(() => void fetchViews(state), 0);
  }

  async function fetchViews(state: State): Promise<void> {
    state.viewsTimer = undefined;
    const ids = [...state.wantedViews].slice(0, VIEWS_PER_CALL);
    for (const id of ids) {
      state.wantedViews.delete(id);
      state.loadingViews.add(id);
    }
    const mirror = state.mirror;
    try {
      const views = await call('tree.nodes', { connectionId: state.connectionId, ids });
      // A refresh may have replaced the mirror meanwhile; its nodes are full views already.
      if (state.mirror === mirror && fillStubs(mirror, views) > 0) triggerRef(state.nodes);
    } catch {
      // Left as stubs: the rows show their names and counts, and the next scroll asks again.
    } finally {
      for (const id of ids) state.loadingViews.delete(id);
      if (state.wantedViews.size > 0 && state.viewsTimer === undefined) state.viewsTimer = setTimeout(() => void fetchViews(state), 0);
    }
  }

  /** True while a node is known only from an outline (its last message not fetched yet). */
  function isStub(connectionId: string, nodeId: number): boolean {
    return states.get(connectionId)?.mirror.stubs.has(nodeId) ?? false;
  }

  function collapseAll(connectionId: string): void {
    const state = states.get(connectionId);
    if (!state) return;
    for (const id of [...(state.mirror.children.get(ROOT_ID) ?? [])]) collapse(connectionId, id);
  }

  /** Expands the path down to `topic` and returns its node id, or null when the topic is unknown. */
  async function reveal(connectionId: string, topic: string): Promise<number | null> {
    const state = states.get(connectionId);
    if (!state) return null;
    const levels = topic.split('/');
    let parentId = ROOT_ID;
    for (let depth = 0; depth < levels.length; depth++) {
      const prefix = levels.slice(0, depth + 1).join('/');
      if (parentId !== ROOT_ID) await expand(connectionId, parentId);
      const kids = state.mirror.children.get(parentId) ?? [];
      const match = kids.find((id) => state.mirror.nodes.get(id)?.topic === prefix);
      if (match === undefined) return null;
      parentId = match;
    }
    return parentId;
  }

  // ---- view options

  function setSort(connectionId: string, mode: SortMode): void {
    const state = states.get(connectionId);
    if (!state || state.sort.value === mode) return;
    state.sort.value = mode;
    for (const [parentId, ids] of state.mirror.children) state.mirror.children.set(parentId, sortIds(state.mirror, ids, mode));
    const search = state.search.value;
    if (search) {
      for (const [parentId, ids] of search.mirror.children) search.mirror.children.set(parentId, sortIds(search.mirror, ids, mode));
      state.search.value = markRaw({ ...search, rows: flatten(search.mirror) });
    }
    publishStructure(state);
  }

  /** Pausing stops applying changes (recording goes on in the engine); resuming fetches a fresh view. */
  function setPaused(connectionId: string, paused: boolean): void {
    const state = states.get(connectionId);
    if (!state || state.paused.value === paused) return;
    state.paused.value = paused;
    state.pending = [];
    if (!paused) void refresh(connectionId);
  }

  // ---- search (served by the engine)

  async function search(connectionId: string, request: SearchRequest): Promise<void> {
    const state = states.get(connectionId) ?? (tree(connectionId) as State);
    const generation = ++state.searchGeneration;
    clearTimeout(state.searchTimer);
    state.searchTimer = undefined;
    if (request.query === '') {
      state.search.value = null;
      state.searchBusy.value = false;
      state.searchError.value = null;
      return;
    }
    state.searchBusy.value = true;
    try {
      const result = await call('tree.search', {
        connectionId,
        query: request.query,
        mode: request.mode,
        scope: request.scope,
        caseSensitive: request.caseSensitive ?? false,
      });
      if (generation !== state.searchGeneration) return;
      const mirror = mirrorFromNodes(result.nodes, state.sort.value);
      state.search.value = markRaw({ request, matches: new Set(result.matches), mirror, rows: flatten(mirror), truncated: result.truncated });
      state.searchError.value = null;
    } catch (error) {
      if (generation === state.searchGeneration) state.searchError.value = message(error);
    } finally {
      if (generation === state.searchGeneration) state.searchBusy.value = false;
    }
  }

  function clearSearch(connectionId: string): void {
    const state = states.get(connectionId);
    if (state) void search(connectionId, { query: '', mode: 'substring', scope: 'topic' });
  }

  /** Keeps shown search results current: values at once, the match set by a throttled re-run. */
  function updateSearchNodes(state: State, deltas: readonly TreeDelta[]): void {
    const view = state.search.value;
    if (!view) return;
    let changed = false;
    for (const delta of deltas) {
      for (const node of delta.nodes) {
        if (view.mirror.nodes.has(node.id)) {
          view.mirror.nodes.set(node.id, node);
          changed = true;
        }
      }
    }
    if (changed) triggerRef(state.search);
    if (!state.searchTimer) {
      state.searchTimer = setTimeout(() => {
        state.searchTimer = undefined;
        const current = state.search.value;
        if (current && !state.searchBusy.value) void search(state.connectionId, current.request);
      }, RESEARCH_MS);
    }
  }

  /** The view of a node, from the search result when one is shown. */
  function node(connectionId: string, nodeId: number): TreeNodeView | undefined {
    const state = states.get(connectionId);
    return state?.search.value?.mirror.nodes.get(nodeId) ?? state?.nodes.value.get(nodeId);
  }

  function release(connectionId: string): void {
    const state = states.get(connectionId);
    if (!state) return;
    clearTimeout(state.reorderTimer);
    clearTimeout(state.searchTimer);
    clearTimeout(state.viewsTimer);
    if (state.frame && typeof cancelAnimationFrame === 'function') cancelAnimationFrame(state.frame);
    state.pending = [];
    state.searchGeneration++;
    state.refreshGeneration++;
    states.delete(connectionId);
  }

  return { tree, refresh, expand, collapse, toggle, expandAll, loadViews, isStub, collapseAll, reveal, setSort, setPaused, search, clearSearch, node, release };
});
