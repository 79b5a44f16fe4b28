/**
 * Garbage at every IPC handler, the way a compromised renderer would send it: wrong types,
 * oversized strings, deep nesting, prototype tricks, unknown methods. Every answer must be a clean
 * failed Result, small enough to log, and the engine must still answer afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { z } from 'zod';
import { BrowserWindow, electronMock, ipcMain } from '../mocks/electron';
import { METHOD_NAMES, apiMethods, ipcChannel, type MethodName } from '../../electron/common/api';
import type { ErrorCode, Result } from '../../electron/common/result';
import { Engine } from '../../electron/core/engine';
import { argumentShapeProblem, registerIpc } from '../../electron/main/ipc';
import { SafeStorageSecretBox } from '../../electron/main/secret-box';

vi.mock('electron', () => import('../mocks/electron'));

const HUGE = 'x'.repeat(1_000_000);
const ERROR_CODES: ErrorCode[] = [
  'invalid-argument',
  'unknown-method',
  'not-found',
  'not-connected',
  'connection-failed',
  'protocol',
  'refused-by-broker',
  'storage',
  'io',
  'unauthorized',
  'internal',
];

function deep(depth: number): unknown {
  let value: unknown = { leaf: HUGE.slice(0, 10) };
  for (let i = 0; i < depth; i += 1) value = { nested: value, list: [value] };
  return value;
}

const keysOf = (method: MethodName): string[] => {
  const schema = apiMethods[method].params as z.ZodType & { shape?: Record<string, unknown> };
  return Object.keys(schema.shape ?? {});
};
const withEveryKey = (method: MethodName, value: unknown): Record<string, unknown> =>
  Object.fromEntries((keysOf(method).length > 0 ? keysOf(method) : ['unexpected']).map((key) => [key, value]));

/** Inputs no schema should accept whole; each is sent only when the method's schema refuses it. */
function garbageFor(method: MethodName): [string, unknown][] {
  return [
    ['a number', 42],
    ['NaN', Number.NaN],
    ['a boolean', true],
    ['a 1e6-character string', HUGE],
    ['an empty string', ''],
    ['an array', [1, 'two', { three: 3 }]],
    ['a byte array', new Uint8Array(1_000_000)],
    ['a date', new Date(0)],
    ['a map', new Map([['connectionId', 'x']])],
    ['an object with 10,000 keys', Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i]))],
    ['null', null],
    ['200 levels of nesting', deep(200)],
    ['a prototype-polluting object', JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}')],
    ['every field a number', withEveryKey(method, 12345)],
    ['every field a 1e6-character string', withEveryKey(method, HUGE)],
    ['every field a nested object', withEveryKey(method, deep(20))],
    ['every field an array', withEveryKey(method, [HUGE.slice(0, 1000)])],
    ['every field null', withEveryKey(method, null)],
    ['every field negative and fractional', withEveryKey(method, -1.5)],
  ];
}

let dir: string;
let engine: Engine;
let window: BrowserWindow;

beforeAll(() => {
  electronMock.reset();
  dir = mkdtempSync(join(tmpdir(), 'topograph-fuzz-'));
  engine = new Engine({ dataDir: dir, host: 'desktop', version: '1.2.3', secretBox: new SafeStorageSecretBox() });
  registerIpc(engine, ['app://topograph/']);
  window = new BrowserWindow({});
  void window.loadURL('app://topograph/index.html');
});
afterAll(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

function expectCleanRefusal(answer: unknown, code?: ErrorCode): void {
  const result = answer as Result<unknown>;
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(ERROR_CODES).toContain(result.error.code);
  if (code) expect(result.error.code).toBe(code);
  expect(typeof result.error.message).toBe('string');
  expect(result.error.message.length).toBeGreaterThan(10);
  // A refusal must not echo a megabyte of input back across IPC.
  expect(JSON.stringify(result).length).toBeLessThan(5_000);
}

describe('IPC argument fuzzing', () => {
  it('refuses garbage for every method with a clean failed Result', async () => {
    let sent = 0;
    for (const method of METHOD_NAMES) {
      for (const [label, input] of garbageFor(method)) {
        // Some inputs are valid for some methods (null = {} for methods without arguments).
        // (The shape check first: it refuses floods of keys cheaply, the schema would take its time.)
        if (!argumentShapeProblem(method, input) && apiMethods[method].params.safeParse(input ?? {}).success) continue;
        const answer = await ipcMain.invokeFrom(window.webContents.mainFrame, ipcChannel(method), input);
        try {
          expectCleanRefusal(answer, 'invalid-argument');
        } catch (error) {
          throw new Error(`${method} with ${label}: ${(error as Error).message}`);
        }
        sent += 1;
      }
    }
    // Most combinations must really have been sent: primitives alone are 10 per method.
    expect(sent).toBeGreaterThan(METHOD_NAMES.length * 10);
  }, 120_000);

  it('refuses extra arguments and a missing argument without throwing', async () => {
    for (const method of METHOD_NAMES) {
      const frame = window.webContents.mainFrame;
      const missing = await ipcMain.invokeFrom(frame, ipcChannel(method));
      if (!apiMethods[method].params.safeParse({}).success) expectCleanRefusal(missing, 'invalid-argument');
      const extra = await ipcMain.invokeFrom(frame, ipcChannel(method), 42, HUGE, { more: true });
      expectCleanRefusal(extra, 'invalid-argument');
    }
  });

  it('refuses unknown method names at the engine boundary', async () => {
    for (const name of ['', 'nope', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'app.info ', 'APP.INFO', HUGE, 42, null, {}, ['app.info']]) {
      expectCleanRefusal(await engine.call(name, {}), 'unknown-method');
    }
  });

  it('has no handler for channels outside the contract', async () => {
    const frame = window.webContents.mainFrame;
    for (const channel of ['topograph:nope', 'topograph:', 'topograph:__proto__', 'topograph:app.info ', 'app.info']) {
      await expect(ipcMain.invokeFrom(frame, channel, {})).rejects.toThrow(/No handler registered/);
    }
  });

  it('leaves no polluted prototype behind', () => {
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('keeps the engine answering afterwards', async () => {
    const answer = await ipcMain.invokeFrom(window.webContents.mainFrame, ipcChannel('app.info'), {});
    expect(answer).toMatchObject({ ok: true, value: { host: 'desktop', version: '1.2.3' } });
  });
});
