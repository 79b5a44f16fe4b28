import { shallowRef } from 'vue';
import type { IconName } from './icons';

export interface ContextMenuItem {
  label: string;
  icon?: IconName;
  shortcut?: string;
  danger?: boolean;
  disabled?: boolean;
  /** Draws a line instead of an item (label is ignored). */
  separator?: boolean;
  action?: () => void;
}

export interface ContextMenuState {
  x: number;
  y: number;
  items: ContextMenuItem[];
}

/** The one open menu; TgContextMenu (mounted once in App.vue) renders it. */
export const contextMenu = shallowRef<ContextMenuState | null>(null);

/** Opens a menu at the pointer (or under the element that was clicked, for keyboard-opened menus). */
export function openContextMenu(event: MouseEvent, items: ContextMenuItem[]): void {
  event.preventDefault();
  event.stopPropagation();
  let { clientX: x, clientY: y } = event;
  if (x === 0 && y === 0 && event.currentTarget instanceof Element) {
    const box = event.currentTarget.getBoundingClientRect();
    x = box.left;
    y = box.bottom;
  }
  contextMenu.value = { x, y, items };
}

export function closeContextMenu(): void {
  contextMenu.value = null;
}
