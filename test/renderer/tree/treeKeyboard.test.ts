import { describe, expect, it, vi } from 'vitest';
import { ref } from 'vue';
import type { TreeNodeView } from '@common/session';
import { createTreeKeyboard, findByPrefix } from '@renderer/components/tree/treeKeyboard';
import type { TreeRow } from '@renderer/components/tree/treeModel';
import { nodeView } from './fakeApi';

/** home (expanded) > hall, kitchen; hotel; office */
function setup() {
  const home = nodeView('home', { childCount: 2 });
  const hall = nodeView('home/hall', { parentId: home.id });
  const kitchen = nodeView('home/kitchen', { parentId: home.id });
  const hotel = nodeView('hotel');
  const office = nodeView('office', { childCount: 1 });
  const nodes = new Map<number, TreeNodeView>([home, hall, kitchen, hotel, office].map((n) => [n.id, n]));
  const rows: TreeRow[] = [
    { id: home.id, depth: 0 },
    { id: hall.id, depth: 1 },
    { id: kitchen.id, depth: 1 },
    { id: hotel.id, depth: 0 },
    { id: office.id, depth: 0 },
  ];
  const expanded = new Set([home.id]);
  const host = {
    rows: () => rows,
    node: (id: number) => nodes.get(id),
    isExpanded: (id: number) => expanded.has(id),
    focusedId: ref<number | null>(null),
    pageSize: () => 2,
    reveal: vi.fn(),
    expand: vi.fn(),
    collapse: vi.fn(),
    expandAll: vi.fn(),
    select: vi.fn(),
    openMenu: vi.fn(),
    copyTopic: vi.fn(),
    copyValue: vi.fn(),
    clearRetained: vi.fn(),
    clearSubtree: vi.fn(),
  };
  const press = createTreeKeyboard(host);
  const key = (k: string, init: KeyboardEventInit = {}) => press(new KeyboardEvent('keydown', { key: k, ...init }));
  return { home, hall, kitchen, hotel, office, host, key, rows, nodes };
}

describe('tree keyboard', () => {
  it('moves with arrows, Home and End', () => {
    const t = setup();
    t.key('ArrowDown');
    expect(t.host.focusedId.value).toBe(t.home.id);
    t.key('ArrowDown');
    expect(t.host.focusedId.value).toBe(t.hall.id);
    t.key('End');
    expect(t.host.focusedId.value).toBe(t.office.id);
    t.key('ArrowDown');
    expect(t.host.focusedId.value).toBe(t.office.id);
    t.key('Home');
    expect(t.host.focusedId.value).toBe(t.home.id);
    expect(t.host.reveal).toHaveBeenLastCalledWith(0);
  });

  it('right expands a closed node, enters an open one; left collapses or goes to the parent', () => {
    const t = setup();
    t.host.focusedId.value = t.office.id;
    t.key('ArrowRight');
    expect(t.host.expand).toHaveBeenCalledWith(t.office.id);
    t.host.focusedId.value = t.home.id;
    t.key('ArrowRight');
    expect(t.host.focusedId.value).toBe(t.hall.id);
    t.key('ArrowLeft');
    expect(t.host.focusedId.value).toBe(t.home.id);
    t.key('ArrowLeft');
    expect(t.host.collapse).toHaveBeenCalledWith(t.home.id);
  });

  it('Enter selects, * expands all below, Delete clears retained', () => {
    const t = setup();
    t.host.focusedId.value = t.kitchen.id;
    t.key('Enter');
    expect(t.host.select).toHaveBeenCalledWith(t.kitchen.id);
    t.key('*');
    expect(t.host.expandAll).toHaveBeenCalledWith(t.kitchen.id);
    t.key('Delete');
    expect(t.host.clearRetained).toHaveBeenCalledWith(t.kitchen.id);
    t.key('Delete', { shiftKey: true });
    expect(t.host.clearSubtree).toHaveBeenCalledWith(t.kitchen.id);
    t.key('c', { ctrlKey: true });
    expect(t.host.copyTopic).toHaveBeenCalledWith(t.kitchen.id);
    expect(t.host.select).toHaveBeenCalledTimes(1);
  });

  it('type-to-find jumps to the next visible row starting with the typed letters', () => {
    const t = setup();
    t.host.focusedId.value = t.home.id;
    t.key('h');
    expect(t.host.focusedId.value).toBe(t.hall.id);
    t.key('o');
    // "ho" refines from the current row: hall does not match, hotel does.
    expect(t.host.focusedId.value).toBe(t.hotel.id);
  });

  it('finds by prefix with wrap-around, ignoring case', () => {
    const t = setup();
    expect(findByPrefix(t.rows, t.host.node, 4, 'HO')).toBe(0);
    expect(findByPrefix(t.rows, t.host.node, 0, 'zzz')).toBe(-1);
  });
});
