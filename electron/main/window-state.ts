/**
 * Remembers where the window was. A saved position is used only while it still lands on a display
 * that exists now (a monitor may have been unplugged), and is clamped to that display's work area.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { BrowserWindow, Rectangle } from 'electron';

export interface WindowState {
  bounds: Rectangle;
  maximized: boolean;
}

export const DEFAULT_SIZE = { width: 1280, height: 800 } as const;
export const MIN_SIZE = { width: 640, height: 420 } as const;
/** How much of a saved window must overlap a display to count as still visible there. */
const MIN_VISIBLE = { width: 120, height: 60 } as const;
export const SAVE_DELAY_MS = 400;

const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

export function readWindowState(file: string): WindowState | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { bounds, maximized } = parsed as { bounds?: Partial<Rectangle>; maximized?: unknown };
    if (!bounds || ![bounds.x, bounds.y, bounds.width, bounds.height].every(isFiniteNumber)) return undefined;
    return { bounds: bounds as Rectangle, maximized: maximized === true };
  } catch {
    // Missing or unreadable: start with the default placement, never fail to open the window.
    return undefined;
  }
}

export function writeWindowState(file: string, state: WindowState): void {
  try {
    writeFileSync(`${file}.tmp`, JSON.stringify(state));
    renameSync(`${file}.tmp`, file);
  } catch {
    // A window position is not worth bothering anyone about.
  }
}

function overlap(a: Rectangle, b: Rectangle): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

function clampTo(bounds: Rectangle, area: Rectangle): Rectangle {
  const width = Math.min(Math.max(bounds.width, MIN_SIZE.width), area.width);
  const height = Math.min(Math.max(bounds.height, MIN_SIZE.height), area.height);
  const x = Math.min(Math.max(bounds.x, area.x), area.x + area.width - width);
  const y = Math.min(Math.max(bounds.y, area.y), area.y + area.height - height);
  return { x: Math.round(x), y: Math.round(y), width: Math.round(width), height: Math.round(height) };
}

/**
 * Where to put the window: the saved bounds clamped to the display they overlap most, or the
 * default size centred on the primary work area when they are off every display.
 */
export function placeWindow(saved: WindowState | undefined, workAreas: Rectangle[], primary: Rectangle): WindowState {
  if (saved) {
    let best: { area: Rectangle; size: number } | undefined;
    for (const area of workAreas) {
      const { width, height } = overlap(saved.bounds, area);
      if (width >= MIN_VISIBLE.width && height >= MIN_VISIBLE.height && (!best || width * height > best.size)) {
        best = { area, size: width * height };
      }
    }
    if (best) return { bounds: clampTo(saved.bounds, best.area), maximized: saved.maximized };
  }
  const width = Math.min(DEFAULT_SIZE.width, primary.width);
  const height = Math.min(DEFAULT_SIZE.height, primary.height);
  const bounds = {
    x: Math.round(primary.x + (primary.width - width) / 2),
    y: Math.round(primary.y + (primary.height - height) / 2),
    width,
    height,
  };
  return { bounds, maximized: saved?.maximized ?? false };
}

/** Saves the window's normal bounds (not the maximized ones) shortly after it stops moving. */
export function trackWindowState(window: BrowserWindow, file: string, delayMs = SAVE_DELAY_MS): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const save = (): void => {
    timer = undefined;
    if (window.isDestroyed()) return;
    writeWindowState(file, { bounds: window.getNormalBounds(), maximized: window.isMaximized() });
  };
  const later = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, delayMs);
  };
  window.on('move', later);
  window.on('resize', later);
  window.on('maximize', later);
  window.on('unmaximize', later);
  window.on('close', () => {
    if (timer) clearTimeout(timer);
    save();
  });
}
