/**
 * Keyboard navigation of the virtualized tree, as in a file explorer: arrows, Home/End, Page keys,
 * Enter, `*` (expand all below) and type-to-find. Works on row indexes, not on DOM elements, since
 * only the visible rows exist in the DOM.
 */
import type { Ref } from 'vue';
import type { TreeNodeView } from '@common/session';
import type { TreeRow } from './treeModel';

export interface TreeKeyboardHost {
  rows: () => readonly TreeRow[];
  node: (id: number) => TreeNodeView | undefined;
  isExpanded: (id: number) => boolean;
  focusedId: Ref<number | null>;
  pageSize: () => number;
  reveal: (index: number) => void;
  expand: (id: number) => void;
  collapse: (id: number) => void;
  expandAll: (id: number) => void;
  select: (id: number) => void;
  openMenu: (id: number) => void;
  copyTopic: (id: number) => void;
  copyValue: (id: number) => void;
  clearRetained: (id: number) => void;
  clearSubtree: (id: number) => void;
}

/** The next row (after `from`, wrapping) whose name starts with `prefix`, case-insensitively. */
export function findByPrefix(
  rows: readonly TreeRow[],
  node: (id: number) => TreeNodeView | undefined,
  from: number,
  prefix: string,
): number {
  const wanted = prefix.toLocaleLowerCase();
  for (let step = 0; step < rows.length; step++) {
    const index = (from + step) % rows.length;
    const row = rows[index];
    const name = row ? node(row.id)?.name : undefined;
    if (name !== undefined && name.toLocaleLowerCase().startsWith(wanted)) return index;
  }
  return -1;
}

const TYPE_AHEAD_MS = 800;

export function createTreeKeyboard(host: TreeKeyboardHost): (event: KeyboardEvent) => void {
  let typed = '';
  let typedAt = 0;

  const indexOfFocus = (): number => {
    const id = host.focusedId.value;
    return id === null ? -1 : host.rows().findIndex((row) => row.id === id);
  };
  const focusIndex = (index: number): void => {
    const rows = host.rows();
    if (rows.length === 0) return;
    const clamped = Math.max(0, Math.min(rows.length - 1, index));
    host.focusedId.value = (rows[clamped] as TreeRow).id;
    host.reveal(clamped);
  };

  return (event: KeyboardEvent) => {
    const rows = host.rows();
    if (rows.length === 0) return;
    const index = indexOfFocus();
    const row = index >= 0 ? rows[index] : undefined;
    const current = row ? host.node(row.id) : undefined;
    const mod = event.ctrlKey || event.metaKey;
    let handled = true;

    switch (event.key) {
      case 'ArrowDown':
        focusIndex(index + 1);
        break;
      case 'ArrowUp':
        focusIndex(index < 0 ? 0 : index - 1);
        break;
      case 'PageDown':
        focusIndex(index + host.pageSize());
        break;
      case 'PageUp':
        focusIndex(index - host.pageSize());
        break;
      case 'Home':
        focusIndex(0);
        break;
      case 'End':
        focusIndex(rows.length - 1);
        break;
      case 'ArrowRight':
        if (!row || !current) focusIndex(0);
        else if (current.childCount > 0 && !host.isExpanded(row.id)) host.expand(row.id);
        else if (host.isExpanded(row.id) && rows[index + 1]?.depth === row.depth + 1) focusIndex(index + 1);
        break;
      case 'ArrowLeft':
        if (!row) break;
        if (host.isExpanded(row.id)) host.collapse(row.id);
        else {
          for (let i = index - 1; i >= 0; i--) {
            if ((rows[i] as TreeRow).depth < row.depth) {
              focusIndex(i);
              break;
            }
          }
        }
        break;
      case 'Enter':
      case ' ':
        if (row) host.select(row.id);
        break;
      case '*':
        if (row) host.expandAll(row.id);
        break;
      case 'ContextMenu':
        if (row) host.openMenu(row.id);
        break;
      case 'F10':
        if (event.shiftKey && row) host.openMenu(row.id);
        else handled = false;
        break;
      case 'Delete':
        if (!row) break;
        if (event.shiftKey) host.clearSubtree(row.id);
        else host.clearRetained(row.id);
        break;
      default:
        handled = false;
    }
    if (!handled && mod && !event.altKey && event.key.toLowerCase() === 'c' && row) {
      if (event.shiftKey) host.copyValue(row.id);
      else host.copyTopic(row.id);
      handled = true;
    }
    if (!handled && !mod && !event.altKey && event.key.length === 1 && event.key !== ' ') {
      const now = Date.now();
      typed = now - typedAt > TYPE_AHEAD_MS ? event.key : typed + event.key;
      typedAt = now;
      // A fresh single letter moves on to the next match; a longer prefix refines the current one.
      const start = typed.length === 1 ? index + 1 : Math.max(index, 0);
      const found = findByPrefix(rows, host.node, start, typed);
      if (found >= 0) focusIndex(found);
      handled = true;
    }
    if (handled) {
      event.preventDefault();
      event.stopPropagation();
    }
  };
}
