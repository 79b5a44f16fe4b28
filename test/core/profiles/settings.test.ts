import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { local, openPart, readJson, removeTempDirs, tempDataDir } from './helpers';

afterEach(removeTempDirs);

describe('settings', () => {
  it('keeps values per scope across a restart', async () => {
    const dir = tempDataDir();
    const first = openPart(dir);
    await first.call('settings.set', { scope: 'app', key: 'theme', value: 'dark' });
    await first.call('settings.set', { scope: 'app', key: 'panels', value: { tree: 320, detail: [1, 2.5] } });
    await first.call('settings.set', { scope: 'profile-1', key: 'decoder:sensors/+/temp', value: 'cbor' });
    await first.part.close();

    const second = openPart(dir);
    expect(await second.call('settings.get', { scope: 'app' })).toEqual({ theme: 'dark', panels: { tree: 320, detail: [1, 2.5] } });
    expect(await second.call('settings.get', { scope: 'profile-1' })).toEqual({ 'decoder:sensors/+/temp': 'cbor' });
    expect(await second.call('settings.get', { scope: 'unknown' })).toEqual({});
    expect(second.ctx.problems).toEqual([]);
  });

  it('gathers quick changes into one later write, and writes pending ones on close', async () => {
    const dir = tempDataDir();
    const { call, part } = openPart(dir);
    for (let width = 100; width < 150; width++) await call('settings.set', { scope: 'app', key: 'width', value: width });
    expect(existsSync(join(dir, 'settings.json'))).toBe(false);
    await vi.waitFor(() => expect(readJson(dir, 'settings.json')).toEqual({ version: 1, scopes: { app: { width: 149 } } }), {
      timeout: 5000,
    });

    await call('settings.set', { scope: 'app', key: 'width', value: 7 });
    await part.close();
    expect(readJson(dir, 'settings.json')).toEqual({ version: 1, scopes: { app: { width: 7 } } });
    expect(readdirSync(dir).filter((name) => name.includes('.tmp-'))).toEqual([]);
  });

  it('removes a key set to null', async () => {
    const dir = tempDataDir();
    const { call, part } = openPart(dir);
    await call('settings.set', { scope: 'app', key: 'a', value: 1 });
    await call('settings.set', { scope: 'app', key: 'b', value: 2 });
    await call('settings.set', { scope: 'app', key: 'a', value: null });
    expect(await call('settings.get', { scope: 'app' })).toEqual({ b: 2 });
    await part.close();
    expect(await openPart(dir).call('settings.get', { scope: 'app' })).toEqual({ b: 2 });
  });

  it('does not let a caller change stored values through a returned object', async () => {
    const { call } = openPart(tempDataDir());
    await call('settings.set', { scope: 'app', key: 'list', value: [1, 2] });
    const got = await call('settings.get', { scope: 'app' });
    (got['list'] as number[]).push(3);
    expect(await call('settings.get', { scope: 'app' })).toEqual({ list: [1, 2] });
  });

  it('copies a profile\'s settings to its duplicate and forgets them when it is deleted', async () => {
    const dir = tempDataDir();
    const { call, part } = openPart(dir);
    const saved = await call('profiles.save', { profile: local });
    await call('settings.set', { scope: saved.id, key: 'series', value: ['a/b'] });
    const copy = await call('profiles.duplicate', { id: saved.id });
    expect(await call('settings.get', { scope: copy.id })).toEqual({ series: ['a/b'] });
    await call('profiles.delete', { id: saved.id });
    expect(await call('settings.get', { scope: saved.id })).toEqual({});
    await part.close();
    expect(Object.keys((readJson(dir, 'settings.json') as { scopes: object }).scopes)).toEqual([copy.id]);
  });

  it('keeps a corrupt settings file aside and starts with defaults', async () => {
    const dir = tempDataDir();
    writeFileSync(join(dir, 'settings.json'), 'theme=dark');
    const { call, ctx, part } = openPart(dir);
    expect(await call('settings.get', { scope: 'app' })).toEqual({});
    const kept = readdirSync(dir).filter((name) => name.startsWith('settings.json.corrupt-'));
    expect(kept).toHaveLength(1);
    expect(readFileSync(join(dir, kept[0]!), 'utf8')).toBe('theme=dark');
    expect(ctx.problems).toEqual([expect.stringContaining(join(dir, kept[0]!))]);
    expect(ctx.problems[0]).toMatch(/default settings/);

    await call('settings.set', { scope: 'app', key: 'theme', value: 'light' });
    await part.close();
    expect(readJson(dir, 'settings.json')).toEqual({ version: 1, scopes: { app: { theme: 'light' } } });
  });
});
