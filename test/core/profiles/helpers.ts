// A profiles part on a real temp data dir, called through the same validating dispatcher as the
// hosts use, with a SecretBox whose sealing is visible in the file.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EngineEvent, MethodName, ParamsOf, ResultOf } from '../../../electron/common/api';
import { dispatch } from '../../../electron/common/dispatch';
import { createProfilesPart, type ProfilesPart } from '../../../electron/core/profiles';
import type { EngineContext, ProfileLeftovers, SecretBox } from '../../../electron/core/services';
import type { ApiHandlers } from '../../../electron/common/api';

/** Seals by reversing and tagging, so a test can see both that and how a secret was sealed. */
export const testBox: SecretBox = {
  kind: 'safeStorage',
  seal: (plain) => 'sealed:' + [...plain].reverse().join(''),
  unseal: (sealed) => {
    if (!sealed.startsWith('sealed:')) throw new Error('not sealed by this key');
    return [...sealed.slice('sealed:'.length)].reverse().join('');
  },
};

export const sealedByTestBox = (plain: string): string => testBox.seal(plain);

/** A box whose key "changed": it unseals only what it sealed itself, not what testBox sealed. */
export const changedKeyBox: SecretBox = {
  kind: 'safeStorage',
  seal: (plain) => 'other:' + plain,
  unseal: (sealed) => {
    if (!sealed.startsWith('other:')) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString');
    return sealed.slice('other:'.length);
  },
};

const made: string[] = [];
export function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'topograph-profiles-'));
  made.push(dir);
  return dir;
}
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export interface TestPart {
  part: ProfilesPart;
  ctx: EngineContext;
  events: EngineEvent[];
  call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>>;
  /** Calls and returns the failure (code + sentence); fails the test when the call succeeds. */
  failure<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<{ code: string; message: string }>;
}

export function openPart(dataDir: string, secretBox: SecretBox = testBox, leftovers: ProfileLeftovers = { forget: async () => undefined }): TestPart {
  const events: EngineEvent[] = [];
  const ctx: EngineContext = { dataDir, host: 'web', version: 'test', events: { emit: (event) => events.push(event) }, problems: [] };
  const part = createProfilesPart(ctx, { secretBox, leftovers });
  const handlers = part.handlers as unknown as ApiHandlers;
  return {
    part,
    ctx,
    events,
    async call(method, params) {
      const result = await dispatch(handlers, method, params);
      if (!result.ok) throw new Error(`${method} failed: ${result.error.code}: ${result.error.message}`);
      return result.value as ResultOf<typeof method>;
    },
    async failure(method, params) {
      const result = await dispatch(handlers, method, params);
      if (result.ok) throw new Error(`${method} was expected to fail but succeeded.`);
      return result.error;
    },
  };
}

export const readText = (dataDir: string, name: string): string => readFileSync(join(dataDir, name), 'utf8');
export const readJson = (dataDir: string, name: string): unknown => JSON.parse(readText(dataDir, name));
export const filesIn = (dataDir: string): string[] => readdirSync(dataDir).sort();

export const local = { name: 'Local', host: 'localhost', port: 1883 } as const;
