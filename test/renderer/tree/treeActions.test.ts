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
  it('exports the stored history below a node through messages.export', async () => {
    api.on('messages.export', () => ({ filePath: '/data/exports/home.jsonl', rows: 42 }));
    const actions = useTreeActions(() => 'conn-1');
    const node = nodeView('home', { childCount: 2, subtreeMessages: 42 });
    const item = actions.menuItems(node, treeState).find((i) => i.label === 'Export history below (JSON Lines)');
    expect(item?.disabled).toBe(false);
    item?.action?.();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(api.callsOf('messages.export')).toEqual([{ connectionId: 'conn-1', topic: 'home', subtree: true, format: 'jsonl' }]);
  });

  it('offers no export for a node with nothing stored', () => {
    const actions = useTreeActions(() => 'conn-1');
    const items = actions.menuItems(nodeView('empty', { subtreeMessages: 0, messages: 0 }), treeState);
    expect(items.filter((i) => i.label.startsWith('Export history')).every((i) => i.disabled)).toBe(true);
  });
});
