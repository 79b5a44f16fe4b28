import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BrowserWindow, electronMock } from '../mocks/electron';
import { createMainWindow } from '../../electron/main/window';
import { DEFAULT_SIZE, MIN_SIZE, placeWindow, readWindowState, trackWindowState } from '../../electron/main/window-state';

vi.mock('electron', () => import('../mocks/electron'));

const primary = { x: 0, y: 0, width: 1920, height: 1040 };
const right = { x: 1920, y: 0, width: 2560, height: 1400 };

let dir: string;
let file: string;
beforeEach(() => {
  electronMock.reset();
  dir = mkdtempSync(join(tmpdir(), 'topograph-state-'));
  file = join(dir, 'window-state.json');
});
afterEach(() => {
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

describe('placeWindow', () => {
  it('centres the default size on the primary display the first time', () => {
    expect(placeWindow(undefined, [primary], primary)).toEqual({
      bounds: { x: (1920 - DEFAULT_SIZE.width) / 2, y: (1040 - DEFAULT_SIZE.height) / 2, ...DEFAULT_SIZE },
      maximized: false,
    });
  });

  it('restores bounds that are still on a display', () => {
    const saved = { bounds: { x: 2000, y: 100, width: 1000, height: 700 }, maximized: true };
    expect(placeWindow(saved, [primary, right], primary)).toEqual(saved);
  });

  it('ignores bounds on a display that is gone', () => {
    const saved = { bounds: { x: 2000, y: 100, width: 1000, height: 700 }, maximized: false };
    expect(placeWindow(saved, [primary], primary).bounds).toEqual({ x: 320, y: 120, ...DEFAULT_SIZE });
  });

  it('ignores bounds that only touch a display by a sliver', () => {
    const saved = { bounds: { x: 1900, y: 100, width: 1000, height: 700 }, maximized: false };
    expect(placeWindow(saved, [primary], primary).bounds.x).toBe(320);
  });

  it('pulls a window that hangs off the edge back inside the work area', () => {
    const saved = { bounds: { x: 1500, y: -50, width: 1000, height: 700 }, maximized: false };
    expect(placeWindow(saved, [primary], primary).bounds).toEqual({ x: 920, y: 0, width: 1000, height: 700 });
  });

  it('shrinks a window larger than the display it is on, but not below the minimum', () => {
    const small = { x: 0, y: 0, width: 1280, height: 720 };
    expect(placeWindow({ bounds: { x: 0, y: 0, width: 3000, height: 2000 }, maximized: false }, [small], small).bounds).toEqual(small);
    expect(placeWindow({ bounds: { x: 10, y: 10, width: 200, height: 100 }, maximized: false }, [small], small).bounds).toEqual({ x: 10, y: 10, ...MIN_SIZE });
  });

  it('never offers a default larger than a small primary display', () => {
    const tiny = { x: 0, y: 0, width: 1024, height: 600 };
    expect(placeWindow(undefined, [tiny], tiny).bounds).toEqual({ x: 0, y: 0, width: 1024, height: 600 });
  });
});

describe('state file', () => {
  it('reads nothing from a missing, corrupt or half-written file', () => {
    expect(readWindowState(file)).toBeUndefined();
    writeFileSync(file, '{"bounds": {"x": 1');
    expect(readWindowState(file)).toBeUndefined();
    writeFileSync(file, JSON.stringify({ bounds: { x: 'a', y: 0, width: 10, height: 10 } }));
    expect(readWindowState(file)).toBeUndefined();
  });

  it('saves once shortly after moving stops, with the maximized flag', () => {
    vi.useFakeTimers();
    const window = new BrowserWindow({ x: 10, y: 20, width: 900, height: 700 });
    trackWindowState(window as never, file, 400);
    window.setBounds({ x: 30 });
    window.setBounds({ x: 40 });
    expect(existsSync(file)).toBe(false);
    vi.advanceTimersByTime(400);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ bounds: { x: 40, y: 20, width: 900, height: 700 }, maximized: false });
    window.maximize();
    vi.advanceTimersByTime(400);
    expect(readWindowState(file)?.maximized).toBe(true);
  });

  it('saves at once when the window closes', () => {
    const window = new BrowserWindow({ x: 5, y: 6, width: 800, height: 600 });
    trackWindowState(window as never, file, 60_000);
    window.setBounds({ y: 60 });
    window.close();
    expect(readWindowState(file)).toEqual({ bounds: { x: 5, y: 60, width: 800, height: 600 }, maximized: false });
  });

  it('reopens the window where it was, maximized if it was', () => {
    writeFileSync(file, JSON.stringify({ bounds: { x: 100, y: 80, width: 1000, height: 650 }, maximized: true }));
    const window = createMainWindow({ preload: 'p', entryUrl: 'app://topograph/index.html', stateFile: file }) as unknown as BrowserWindow;
    expect(electronMock.state.calls.windowsCreated[0]).toMatchObject({ x: 100, y: 80, width: 1000, height: 650 });
    window.emit('ready-to-show');
    expect(window.maximized).toBe(true);
  });

  it('reopens on the primary display when the saved one was unplugged', () => {
    writeFileSync(file, JSON.stringify({ bounds: { x: 3000, y: 80, width: 1000, height: 650 }, maximized: false }));
    createMainWindow({ preload: 'p', entryUrl: 'app://topograph/index.html', stateFile: file });
    expect(electronMock.state.calls.windowsCreated[0]).toMatchObject({ x: 320, y: 120, ...DEFAULT_SIZE });
  });
});
