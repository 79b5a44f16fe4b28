import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { TreeNodeView } from '@common/session';
import { useTreeStore } from '@renderer/stores/tree';
import { installFakeApi, nodeView, outlineOf, type FakeApi } from './fakeApi';

const C = 'conn-1';
let api: FakeApi;

const delta = (nodes: TreeNodeView[]) => ({ type: 'tree.delta' as const, delta: { connectionId: C, nodes, removed: [] } });
const names = (store: ReturnType<typeof useTreeStore>) => {
  const tree = store.tree(C);
  return tree.rows.value.map((row) => `${'  '.repeat(row.depth)}${tree.nodes.value.get(row.id)?.name}`);
};
const settle = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

describe('tree sort by last change', () => {
  // Name order is alpha, home, office; last change order is office (30), alpha (20), home (10).
  const alpha = nodeView('alpha', { lastChanged: 20 });
  const home = nodeView('home', { childCount: 2, subtreeTopics: 2, messages: 0, subtreeMessages: 2, lastChanged: 10 });
  const hall = nodeView('home/hall', { parentId: home.id, lastChanged: 9 });
  const kitchen = nodeView('home/kitchen', { parentId: home.id, lastChanged: 4 });
  const office = nodeView('office', { lastChanged: 30 });

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'requestAnimationFrame', 'cancelAnimationFrame', 'performance'] });
    api = installFakeApi();
    api.on('tree.children', ({ nodeId }) => {
      if (nodeId === 0) return [office, home, alpha];
      if (nodeId === home.id) return [kitchen, hall];
      return [];
    });
    api.on('tree.collapse', () => undefined);
    api.on('tree.reopen', ({ topics }) => outlineOf(0, [office, home, alpha, ...(topics.includes('home') ? [kitchen, hall] : [])]));
    setActivePinia(createPinia());
  });
  afterEach(() => {
    useTreeStore().$dispose();
    vi.useRealTimers();
  });

  it('puts the most recently changed topic first at every level, and goes back to names', async () => {
    const store = useTreeStore();
    store.tree(C);
    await settle();
    await store.toggle(C, home.id);
    await settle();
    expect(names(store)).toEqual(['alpha', 'home', '  hall', '  kitchen', 'office']);

    store.setSort(C, 'changed');
    expect(names(store)).toEqual(['office', 'alpha', 'home', '  hall', '  kitchen']);
    store.setSort(C, 'name');
    expect(names(store)).toEqual(['alpha', 'home', '  hall', '  kitchen', 'office']);
  });

  it('moves a topic that just changed to the top, after the settle delay rather than every frame', async () => {
    const store = useTreeStore();
    store.tree(C);
    await settle();
    await store.toggle(C, home.id);
    await settle();
    store.setSort(C, 'changed');

    api.emit(delta([{ ...kitchen, messages: 2, subtreeMessages: 2, lastChanged: 40 }, { ...home, subtreeMessages: 3, lastChanged: 40 }]));
    vi.advanceTimersToNextFrame();
    // The new values are shown at once; the rows stay put so they do not jump under the pointer.
    expect(store.tree(C).nodes.value.get(kitchen.id)?.lastChanged).toBe(40);
    expect(names(store)).toEqual(['office', 'alpha', 'home', '  hall', '  kitchen']);
    vi.advanceTimersByTime(1000);
    expect(names(store)).toEqual(['home', '  kitchen', '  hall', 'office', 'alpha']);
  });

  it('places a new topic by its last change, not by its name', async () => {
    const store = useTreeStore();
    store.tree(C);
    await settle();
    store.setSort(C, 'changed');
    const zulu = nodeView('zulu', { lastChanged: 25 });
    api.emit(delta([zulu]));
    vi.advanceTimersToNextFrame();
    expect(names(store)).toEqual(['office', 'zulu', 'alpha', 'home']);
  });
});

describe('tree sort and $ topics', () => {
  it('keeps $ topics after the others under every sort, however busy or recent they are', async () => {
    const { comparator } = await import('@renderer/components/tree/treeModel');
    const sys = nodeView('$SYS', { sys: true, subtreeMessages: 9_999, lastChanged: 999 });
    const quiet = nodeView('quiet', { subtreeMessages: 1, lastChanged: 1 });
    const busy = nodeView('busy', { subtreeMessages: 50, lastChanged: 50 });
    for (const mode of ['name', 'messages', 'changed'] as const) {
      expect([sys, quiet, busy].sort(comparator(mode)).at(-1)?.name).toBe('$SYS');
    }
    expect([sys, quiet, busy].sort(comparator('messages')).map((n) => n.name)).toEqual(['busy', 'quiet', '$SYS']);
  });
});
