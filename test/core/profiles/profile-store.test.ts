import { afterEach, describe, expect, it } from 'vitest';
import { filesIn, local, openPart, readJson, removeTempDirs, tempDataDir } from './helpers';

afterEach(removeTempDirs);

describe('ProfileStore', () => {
  it('keeps saved, updated, duplicated, deleted and reordered profiles across a restart', async () => {
    const dir = tempDataDir();
    const first = openPart(dir);
    const a = await first.call('profiles.save', { profile: { ...local, name: 'A' } });
    const b = await first.call('profiles.save', { profile: { ...local, name: 'B', port: 1884 } });
    const c = await first.call('profiles.save', { profile: { ...local, name: 'C' } });
    await first.call('profiles.save', { profile: { ...b, name: 'B renamed', keepalive: 30, secrets: {} } });
    const copy = await first.call('profiles.duplicate', { id: a.id });
    await first.call('profiles.delete', { id: c.id });
    await first.call('profiles.reorder', { ids: [b.id, copy.id, a.id] });
    await first.part.close();

    const second = openPart(dir);
    const listed = await second.call('profiles.list', {});
    expect(listed.map((p) => [p.name, p.port])).toEqual([
      ['B renamed', 1884],
      ['A (copy)', 1883],
      ['A', 1883],
    ]);
    expect(listed[0]?.keepalive).toBe(30);
    expect(listed.map((p) => p.id)).toEqual([b.id, copy.id, a.id]);
    expect(second.ctx.problems).toEqual([]);
  });

  it('writes a versioned document and leaves no temp files behind', async () => {
    const dir = tempDataDir();
    const { call } = openPart(dir);
    const saved = await call('profiles.save', { profile: local });
    await call('profiles.duplicate', { id: saved.id });
    expect(filesIn(dir)).toEqual(['profiles.json']);
    const doc = readJson(dir, 'profiles.json') as { version: number; profiles: { id: string }[] };
    expect(doc.version).toBe(1);
    expect(doc.profiles).toHaveLength(2);
  });

  it('removes temp files a crash left behind', async () => {
    const dir = tempDataDir();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${dir}/profiles.json.tmp-123-abcd`, '{"version":1,"prof');
    openPart(dir);
    expect(filesIn(dir)).toEqual([]);
  });

  it('gives a new profile # and $SYS/# when it has no subscriptions, and only then', async () => {
    const { call } = openPart(tempDataDir());
    const fresh = await call('profiles.save', { profile: local });
    expect(fresh.subscriptions.map((s) => [s.filter, s.qos])).toEqual([
      ['#', 0],
      ['$SYS/#', 0],
    ]);
    const chosen = await call('profiles.save', { profile: { ...local, subscriptions: [{ filter: 'home/#', qos: 1 }] } });
    expect(chosen.subscriptions.map((s) => s.filter)).toEqual(['home/#']);
    const emptied = await call('profiles.save', { profile: { ...fresh, subscriptions: [], secrets: {} } });
    expect(emptied.subscriptions).toEqual([]);
  });

  it('fills every default of a profile, nested ones included', async () => {
    const { call } = openPart(tempDataDir());
    const saved = await call('profiles.save', { profile: local });
    expect(saved.tls.rejectUnauthorized).toBe(true);
    expect(saved.tls.ca).toEqual({ kind: 'none', value: '' });
    expect(saved.retention.maxPerTopic).toBe(1000);
    expect(saved.protocolVersion).toBe(5);
  });

  it('names a duplicate "… (copy)" and places it after its original', async () => {
    const { call } = openPart(tempDataDir());
    const a = await call('profiles.save', { profile: { ...local, name: 'A' } });
    await call('profiles.save', { profile: { ...local, name: 'B' } });
    const copy = await call('profiles.duplicate', { id: a.id });
    expect(copy.id).not.toBe(a.id);
    expect((await call('profiles.list', {})).map((p) => p.name)).toEqual(['A', 'A (copy)', 'B']);
  });

  it('keeps profiles left out of a reorder after the named ones', async () => {
    const { call } = openPart(tempDataDir());
    const [a, b, c] = [
      await call('profiles.save', { profile: { ...local, name: 'A' } }),
      await call('profiles.save', { profile: { ...local, name: 'B' } }),
      await call('profiles.save', { profile: { ...local, name: 'C' } }),
    ];
    const order = await call('profiles.reorder', { ids: [c.id] });
    expect(order.map((p) => p.id)).toEqual([c.id, a.id, b.id]);
  });

  it('answers not-found with a sentence for an unknown id', async () => {
    const { failure, part } = openPart(tempDataDir());
    const errors = [
      await failure('profiles.duplicate', { id: 'nope' }),
      await failure('profiles.delete', { id: 'nope' }),
      await failure('profiles.reorder', { ids: ['nope'] }),
      await failure('profiles.export', { ids: ['nope'] }),
      await failure('profiles.save', { profile: { ...local, id: 'nope' } }),
    ];
    for (const error of errors) {
      expect(error.code).toBe('not-found');
      expect(error.message).toMatch(/no connection profile with id "nope".*\./);
    }
    expect(() => part.source.get('nope')).toThrow(expect.objectContaining({ code: 'not-found' }));
  });

  it('refuses an invalid profile at the boundary and keeps the file unchanged', async () => {
    const dir = tempDataDir();
    const { call, failure } = openPart(dir);
    await call('profiles.save', { profile: local });
    const before = readJson(dir, 'profiles.json');
    const error = await failure('profiles.save', { profile: { ...local, port: 70000 } });
    expect(error.code).toBe('invalid-argument');
    expect(readJson(dir, 'profiles.json')).toEqual(before);
  });

  it('emits profiles.changed with the new list after every change', async () => {
    const { call, events } = openPart(tempDataDir());
    const a = await call('profiles.save', { profile: local });
    await call('profiles.duplicate', { id: a.id });
    await call('profiles.delete', { id: a.id });
    const changes = events.filter((e) => e.type === 'profiles.changed');
    expect(changes.map((e) => (e.type === 'profiles.changed' ? e.profiles.map((p) => p.name) : []))).toEqual([
      ['Local'],
      ['Local', 'Local (copy)'],
      ['Local (copy)'],
    ]);
  });

  it('gives other parts the profile through its source', async () => {
    const { call, part } = openPart(tempDataDir());
    const saved = await call('profiles.save', { profile: { ...local, username: 'alice', secrets: { password: { action: 'set', value: 'pw' } } } });
    expect(part.source.get(saved.id)).toEqual(saved);
    expect(await part.source.secret(saved.id, 'password')).toBe('pw');
    expect(await part.source.secret(saved.id, 'keyPassphrase')).toBeUndefined();
  });

  it('lists presets that are valid profiles once named', async () => {
    const { call } = openPart(tempDataDir());
    const presets = await call('profiles.presets', {});
    expect(presets.length).toBeGreaterThanOrEqual(8);
    for (const preset of presets) {
      const saved = await call('profiles.save', { profile: { name: preset.label, host: 'h', port: 1, ...preset.fields } });
      expect(saved.host, preset.id).toBe(preset.fields.host);
    }
  });
});
