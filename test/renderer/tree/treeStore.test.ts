import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { TreeDelta, TreeNodeView } from '@common/session';
import { useTreeStore } from '@renderer/stores/tree';
import { installFakeApi, nodeView, outlineOf, type FakeApi } from './fakeApi';

const C = 'conn-1';
let api: FakeApi;

const delta = (nodes: TreeNodeView[], extra: Partial<TreeDelta> = {}) => ({
  type: 'tree.delta' as const,
  delta: { connectionId: C, nodes, removed: [], ...extra },
});
const names = (store: ReturnType<typeof useTreeStore>) => {
  const tree = store.tree(C);
  return tree.rows.value.map((row) => `${'  '.repeat(row.depth)}${tree.nodes.value.get(row.id)?.name}`);
};
const settle = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

describe('tree store', () => {
  const home = nodeView('home', { childCount: 2, subtreeTopics: 2, messages: 0, subtreeMessages: 2 });
  const kitchen = nodeView('home/kitchen', { parentId: home.id });
  const hall = nodeView('home/hall', { parentId: home.id });
  const office = nodeView('office', { childCount: 1, messages: 0 });

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'requestAnimationFrame', 'cancelAnimationFrame', 'performance'] });
    api = installFakeApi();
    api.on('tree.children', ({ nodeId }) => {
      if (nodeId === 0) return [office, home];
      if (nodeId === home.id) return [kitchen, hall];
      return [];
    });
    api.on('tree.collapse', () => undefined);
    api.on('tree.reopen', ({ topics }) => outlineOf(0, [office, home, ...(topics.includes('home') ? [kitchen, hall] : [])]));
    setActivePinia(createPinia());
  });
  afterEach(() => {
    useTreeStore().$dispose();
    vi.useRealTimers();
  });

  it('loads the top level sorted by name in natural order', async () => {
    const store = useTreeStore();
    store.tree(C);
    await settle();
    expect(names(store)).toEqual(['home', 'office']);
  });

  it('applies deltas once per animation frame, not per event', async () => {
    const store = useTreeStore();
    const tree = store.tree(C);
    await settle();
    const before = tree.rows.value;
    api.emit(delta([{ ...office, subtreeMessages: 5, lastChanged: 2 }]));
    api.emit(delta([{ ...office, subtreeMessages: 6, lastChanged: 3 }]));
    expect(tree.nodes.value.get(office.id)?.subtreeMessages).toBe(1);
    vi.advanceTimersToNextFrame();
    expect(tree.nodes.value.get(office.id)?.subtreeMessages).toBe(6);
    // A value change replaces the node but keeps the row list.
    expect(tree.rows.value).toBe(before);
    // Messages below the node light its count, not the row.
    expect(tree.subtreeChangedAt.has(office.id)).toBe(true);
    expect(tree.changedAt.has(office.id)).toBe(false);
  });

  it('highlights a row when its own topic gets a message, not on a rate refresh', async () => {
    const store = useTreeStore();
    const tree = store.tree(C);
    await settle();
    api.emit(delta([{ ...home, rate: 3 }]));
    vi.advanceTimersToNextFrame();
    expect(tree.changedAt.has(home.id)).toBe(false);
    api.emit(delta([{ ...home, messages: 1, subtreeMessages: 3, lastChanged: 4 }]));
    vi.advanceTimersToNextFrame();
    expect(tree.changedAt.has(home.id)).toBe(true);
  });

  it('shows a new child of an expanded node and ignores children of collapsed ones', async () => {
    const store = useTreeStore();
    store.tree(C);
    await settle();
    await store.expand(C, home.id);
    expect(names(store)).toEqual(['home', '  hall', '  kitchen', 'office']);

    const attic = nodeView('home/attic', { parentId: home.id });
    const desk = nodeView('office/desk', { parentId: office.id });
    api.emit(delta([attic, desk]));
    vi.advanceTimersToNextFrame();
    expect(names(store)).toEqual(['home', '  attic', '  hall', '  kitchen', 'office']);
  });

  it('never asks for the children of a node nobody expanded', async () => {
    const store = useTreeStore();
    store.tree(C);
    await settle();
    api.emit(delta([{ ...office, childCount: 3, subtreeTopics: 3, lastChanged: 5 }]));
    vi.advanceTimersToNextFrame();
    await settle();
    expect(api.callsOf('tree.children').map((p) => p.nodeId)).toEqual([0]);
  });

  it('collapsing forgets the subtree and tells the engine', async () => {
    const store = useTreeStore();
    store.tree(C);
    await settle();
    await store.expand(C, home.id);
    store.collapse(C, home.id);
    expect(names(store)).toEqual(['home', 'office']);
    expect(api.callsOf('tree.collapse')).toEqual([{ connectionId: C, nodeId: home.id }]);
    // Late deltas for the collapsed subtree do not bring rows back.
    api.emit(delta([nodeView('home/cellar', { parentId: home.id })]));
    vi.advanceTimersToNextFrame();
    expect(names(store)).toEqual(['home', 'office']);
  });

  it('removes nodes the engine dropped', async () => {
    const store = useTreeStore();
    store.tree(C);
    await settle();
    await store.expand(C, home.id);
    api.emit(delta([], { removed: [kitchen.id] }));
    vi.advanceTimersToNextFrame();
    expect(names(store)).toEqual(['home', '  hall', 'office']);
  });

  it('on reset fetches the top level again and re-opens what was expanded', async () => {
    const store = useTreeStore();
    store.tree(C);
    await settle();
    await store.expand(C, home.id);
    api.calls.length = 0;
    api.emit(delta([], { reset: true }));
    vi.advanceTimersToNextFrame();
    await settle();
    // One call for every open level (not one per open node), asked by topic: ids may change on reset.
    expect(api.callsOf('tree.children')).toEqual([]);
    expect(api.callsOf('tree.reopen')).toEqual([{ connectionId: C, topics: ['home'], limit: 100_000 }]);
    expect(names(store)).toEqual(['home', '  hall', '  kitchen', 'office']);
    expect(store.tree(C).nodes.value.get(kitchen.id)?.topic).toBe('home/kitchen');
  });

  it('pausing discards changes and resuming fetches a fresh view', async () => {
    const store = useTreeStore();
    const tree = store.tree(C);
    await settle();
    store.setPaused(C, true);
    api.emit(delta([{ ...office, subtreeMessages: 9, lastChanged: 9 }]));
    vi.advanceTimersToNextFrame();
    expect(tree.nodes.value.get(office.id)?.subtreeMessages).toBe(1);
    api.calls.length = 0;
    api.on('tree.children', ({ nodeId }) => (nodeId === 0 ? [{ ...office, subtreeMessages: 9 }, home] : []));
    store.setPaused(C, false);
    await settle();
    expect(api.callsOf('tree.children')).toHaveLength(1);
    expect(tree.nodes.value.get(office.id)?.subtreeMessages).toBe(9);
  });

  it('expand all shows every level the engine outlined, with topics made from the names', async () => {
    const store = useTreeStore();
    const tree = store.tree(C);
    await settle();
    const desk = nodeView('office/desk', { parentId: office.id, childCount: 1, retained: true });
    const lamp = nodeView('office/desk/lamp', { parentId: desk.id });
    api.on('tree.expandAll', () => outlineOf(office.id, [desk, lamp]));
    const truncated = await store.expandAll(C, office.id);
    expect(truncated).toBe(false);
    expect(names(store)).toEqual(['home', 'office', '  desk', '    lamp']);
    expect(tree.nodes.value.get(lamp.id)).toMatchObject({ topic: 'office/desk/lamp', parentId: desk.id, messages: 1 });
    expect(tree.nodes.value.get(desk.id)?.retained).toBe(true);
    expect(store.isStub(C, lamp.id)).toBe(true);
  });

  it('says when the engine stopped at the limit, and leaves a parent with missing children closed', async () => {
    const store = useTreeStore();
    store.tree(C);
    await settle();
    const desk = nodeView('office/desk', { parentId: office.id, childCount: 2 });
    api.on('tree.expandAll', () => outlineOf(office.id, [desk], true));
    expect(await store.expandAll(C, office.id)).toBe(true);
    expect(names(store)).toEqual(['home', 'office', '  desk']);
    expect(store.tree(C).expanded.value.has(desk.id)).toBe(false);
  });

  it('fetches the last messages of outlined rows once, when they are on screen', async () => {
    const store = useTreeStore();
    const tree = store.tree(C);
    await settle();
    const desk = nodeView('office/desk', { parentId: office.id });
    const last = { id: 7, time: 1, size: 2, qos: 0 as const, retain: false, preview: 'on', previewCut: false };
    api.on('tree.expandAll', () => outlineOf(office.id, [desk]));
    api.on('tree.nodes', ({ ids }) => ids.map((id) => (id === desk.id ? { ...desk, last } : null)));
    await store.expandAll(C, office.id);
    store.loadViews(C, [desk.id, office.id]);
    store.loadViews(C, [desk.id]);
    vi.advanceTimersByTime(1);
    await settle();
    // office came with tree.children in full; only the stub is asked for, in one call.
    expect(api.callsOf('tree.nodes')).toEqual([{ connectionId: C, ids: [desk.id] }]);
    expect(tree.nodes.value.get(desk.id)?.last?.preview).toBe('on');
    expect(store.isStub(C, desk.id)).toBe(false);
    store.loadViews(C, [desk.id]);
    vi.advanceTimersByTime(1);
    expect(api.callsOf('tree.nodes')).toHaveLength(1);
  });

  it('a delta replaces an outlined stub with the full view', async () => {
    const store = useTreeStore();
    const tree = store.tree(C);
    await settle();
    const desk = nodeView('office/desk', { parentId: office.id, lastChanged: 5 });
    api.on('tree.expandAll', () => outlineOf(office.id, [desk]));
    await store.expandAll(C, office.id);
    const last = { id: 8, time: 6, size: 3, qos: 0 as const, retain: false, preview: 'off', previewCut: false };
    api.emit(delta([{ ...desk, messages: 2, subtreeMessages: 2, lastChanged: 6, last }]));
    vi.advanceTimersToNextFrame();
    expect(store.isStub(C, desk.id)).toBe(false);
    expect(tree.nodes.value.get(desk.id)?.last?.preview).toBe('off');
    expect(tree.changedAt.has(desk.id)).toBe(true);
  });

  it('sorts by message count when asked', async () => {
    const store = useTreeStore();
    store.tree(C);
    await settle();
    api.emit(delta([{ ...office, subtreeMessages: 50, lastChanged: 4 }]));
    vi.advanceTimersToNextFrame();
    store.setSort(C, 'messages');
    expect(names(store)).toEqual(['office', 'home']);
  });
});
