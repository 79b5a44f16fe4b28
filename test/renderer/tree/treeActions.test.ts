import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { useTreeActions } from '@renderer/components/tree/treeActions';
import { installFakeApi, nodeView, type FakeApi } from './fakeApi';

let api: FakeApi;
beforeEach(() => {
  setActivePinia(createPinia());
  api = installFakeApi();
  api.on('profiles.list', () => []);
});

const treeState = { expandAll: () => undefined, collapse: () => undefined, expanded: true };

describe('tree context menu', () => {
  it('opens the export dialog for the node and everything below it', () => {
    const actions = useTreeActions(() => 'conn-1');
    const node = nodeView('home', { childCount: 2, subtreeMessages: 42 });
    const items = actions.menuItems(node, treeState).filter((i) => i.label.startsWith('Export'));
    expect(items.map((i) => i.label)).toEqual(['Export history below…']);
    expect(items[0]?.disabled).toBe(false);
    items[0]?.action?.();
    expect(actions.exporting.value).toEqual({ kind: 'subtree', topic: 'home' });
    expect(api.callsOf('messages.export')).toEqual([]);
  });

  it('offers no export for a node with nothing stored', () => {
    const actions = useTreeActions(() => 'conn-1');
    const items = actions.menuItems(nodeView('empty', { subtreeMessages: 0, messages: 0 }), treeState);
    expect(items.filter((i) => i.label.startsWith('Export history')).every((i) => i.disabled)).toBe(true);
  });
});
