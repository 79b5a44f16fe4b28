// What happens when the files in the data dir are broken or from an older version.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../../electron/core/profiles/profile-document';
import { filesIn, local, openPart, readJson, removeTempDirs, tempDataDir } from './helpers';

afterEach(removeTempDirs);

const keptFiles = (dir: string, tag = 'corrupt') => readdirSync(dir).filter((name) => name.startsWith(`profiles.json.${tag}-`));

describe('a broken profiles file', () => {
  it('is kept aside, reported by its new name, and the app starts with no profiles', async () => {
    const dir = tempDataDir();
    const garbage = '{"version":1,"profiles":[{"name":"half';
    writeFileSync(join(dir, 'profiles.json'), garbage);
    const { ctx, call } = openPart(dir);

    const kept = keptFiles(dir);
    expect(kept).toHaveLength(1);
    expect(readFileSync(join(dir, kept[0]!), 'utf8')).toBe(garbage);
    expect(ctx.problems).toHaveLength(1);
    expect(ctx.problems[0]).toContain(join(dir, kept[0]!));
    expect(ctx.problems[0]).toMatch(/not valid JSON.*started with no saved profiles/);
    expect(await call('profiles.list', {})).toEqual([]);

    // The next save makes a new file and leaves the kept one alone.
    await call('profiles.save', { profile: local });
    expect(readFileSync(join(dir, kept[0]!), 'utf8')).toBe(garbage);
    expect((readJson(dir, 'profiles.json') as { profiles: unknown[] }).profiles).toHaveLength(1);
  });

  it('is kept aside when it is valid JSON of an unknown shape or a newer version', async () => {
    for (const [content, reason] of [
      [{ hello: 'world' }, /no version number/],
      [{ version: 7, profiles: [] }, /newer Topograph \(file version 7/],
      [{ version: 1, profiles: 'none' }, /no list of profiles/],
    ] as const) {
      const dir = tempDataDir();
      writeFileSync(join(dir, 'profiles.json'), JSON.stringify(content));
      const { ctx } = openPart(dir);
      expect(keptFiles(dir)).toHaveLength(1);
      expect(ctx.problems[0]).toMatch(reason);
      expect(filesIn(dir)).not.toContain('profiles.json');
    }
  });

  it('is kept aside when it cannot be read at all', async () => {
    const dir = tempDataDir();
    mkdirSync(join(dir, 'profiles.json'));
    const { ctx, call } = openPart(dir);
    expect(keptFiles(dir)).toHaveLength(1);
    expect(ctx.problems[0]).toMatch(/could not read its connection profiles/);
    await call('profiles.save', { profile: local });
    expect((readJson(dir, 'profiles.json') as { profiles: unknown[] }).profiles).toHaveLength(1);
  });

  it('drops only the invalid profiles, one problem each, and keeps the original aside', async () => {
    const dir = tempDataDir();
    const original = JSON.stringify({
      version: 1,
      profiles: [
        { ...local, id: 'a', name: 'Fine' },
        { ...local, id: 'b', name: 'No host', host: '' },
        { ...local, id: 'a', name: 'Same id' },
        { ...local, id: 'c', name: 'Also fine', port: 8883 },
      ],
    });
    writeFileSync(join(dir, 'profiles.json'), original);
    const { ctx, call } = openPart(dir);

    expect((await call('profiles.list', {})).map((p) => p.name)).toEqual(['Fine', 'Also fine']);
    expect(ctx.problems).toHaveLength(2);
    expect(ctx.problems[0]).toMatch(/profile 2 \("No host"\) is invalid \(host: .*left out.*kept as/);
    expect(ctx.problems[1]).toMatch(/profile 3 \("Same id"\) repeats the id/);
    const kept = keptFiles(dir);
    expect(kept).toHaveLength(1);
    expect(readFileSync(join(dir, kept[0]!), 'utf8')).toBe(original);
    expect(ctx.problems[0]).toContain(kept[0]);
    // Rewritten without the bad entries, so the next start is quiet.
    expect(openPart(dir).ctx.problems).toEqual([]);
  });
});

describe('migration of profiles.json', () => {
  const v0 = [
    { name: 'Old TLS', protocol: 'tls', host: 'broker.example', port: 8883 },
    { name: 'Old plain', protocol: 'tcp', host: 'localhost', port: 1883, keepalive: 20 },
    { name: 'Old ws', protocol: 'ws', host: 'localhost', port: 9001 },
  ];

  it('turns a version 0 list into a version 1 document', () => {
    const doc = migrate(v0);
    expect(doc.version).toBe(1);
    const profiles = doc.profiles as Record<string, unknown>[];
    expect(profiles.map((p) => p['transport'])).toEqual(['mqtts', 'mqtt', 'ws']);
    expect(profiles.every((p) => typeof p['id'] === 'string' && (p['id'] as string).length > 0 && !('protocol' in p))).toBe(true);
    expect(new Set(profiles.map((p) => p['id'])).size).toBe(3);
    expect(profiles[1]?.['keepalive']).toBe(20);
  });

  it('leaves a current document as it is', () => {
    const doc = { version: 1, profiles: [{ ...local, id: 'x' }] };
    expect(migrate(doc)).toEqual(doc);
  });

  it('upgrades the file on disk at start and keeps a backup of the old one', async () => {
    const dir = tempDataDir();
    writeFileSync(join(dir, 'profiles.json'), JSON.stringify(v0));
    const { ctx, call } = openPart(dir);
    expect(ctx.problems).toEqual([]);
    const listed = await call('profiles.list', {});
    expect(listed.map((p) => [p.name, p.transport, p.port])).toEqual([
      ['Old TLS', 'mqtts', 8883],
      ['Old plain', 'mqtt', 1883],
      ['Old ws', 'ws', 9001],
    ]);
    // Fields the old version did not have get their defaults, nested ones included.
    expect(listed[0]?.tls.rejectUnauthorized).toBe(true);
    expect(listed[0]?.retention.maxPerTopic).toBe(1000);
    const onDisk = readJson(dir, 'profiles.json') as { version: number; profiles: { id: string }[] };
    expect(onDisk.version).toBe(1);
    expect(onDisk.profiles.map((p) => p.id)).toEqual(listed.map((p) => p.id));
    const backups = keptFiles(dir, 'backup');
    expect(backups).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(dir, backups[0]!), 'utf8'))).toEqual(v0);
    // The ids stay the same from now on.
    expect((await openPart(dir).call('profiles.list', {})).map((p) => p.id)).toEqual(listed.map((p) => p.id));
  });
});
