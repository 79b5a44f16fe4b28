import { afterEach, describe, expect, it } from 'vitest';
import { local, openPart, removeTempDirs, tempDataDir } from './helpers';

afterEach(removeTempDirs);

const PASSWORD = 'export-me-not-4711';

async function withTwoProfiles() {
  const source = openPart(tempDataDir());
  const a = await source.call('profiles.save', {
    profile: { ...local, name: 'A', username: 'alice', secrets: { password: { action: 'set', value: PASSWORD } } },
  });
  const b = await source.call('profiles.save', {
    profile: { ...local, name: 'B', transport: 'wss', port: 443, path: '/ws', subscriptions: [{ filter: 'x/#', qos: 2 }] },
  });
  return { source, a, b };
}

describe('profile export and import', () => {
  it('exports the chosen profiles without ids or secrets by default', async () => {
    const { source, a, b } = await withTwoProfiles();
    const { json } = await source.call('profiles.export', { ids: [b.id, a.id] });
    expect(json).not.toContain(PASSWORD);
    expect(json).not.toContain(a.id);
    const doc = JSON.parse(json) as { format: string; version: number; profiles: Record<string, unknown>[] };
    expect(doc.format).toBe('topograph-profiles');
    expect(doc.version).toBe(1);
    expect(doc.profiles.map((p) => p['name'])).toEqual(['A', 'B']);
    expect(doc.profiles.every((p) => !('secrets' in p) && !('id' in p))).toBe(true);
  });

  it('includes secrets in clear text only when asked', async () => {
    const { source, a } = await withTwoProfiles();
    const { json } = await source.call('profiles.export', { ids: [a.id], includeSecrets: true });
    const doc = JSON.parse(json) as { profiles: { secrets?: Record<string, string> }[] };
    expect(doc.profiles[0]?.secrets).toEqual({ password: PASSWORD });
  });

  it('imports an export with new ids, the same fields, and its secrets', async () => {
    const { source, a, b } = await withTwoProfiles();
    const { json } = await source.call('profiles.export', { ids: [a.id, b.id], includeSecrets: true });

    const target = openPart(tempDataDir());
    const result = await target.call('profiles.import', { json });
    expect(result.problems).toEqual([]);
    expect(result.imported.map((p) => p.name)).toEqual(['A', 'B']);
    const [ia, ib] = result.imported;
    expect(ia?.id).not.toBe(a.id);
    const strip = ({ id: _id, ...rest }: { id: string }) => rest;
    expect(strip(ia!)).toEqual(strip(a));
    expect(strip(ib!)).toEqual(strip(b));
    expect(await target.part.source.secret(ia!.id, 'password')).toBe(PASSWORD);
    expect(await target.call('profiles.list', {})).toEqual(result.imported);
    expect(target.events.some((e) => e.type === 'profiles.changed')).toBe(true);
  });

  it('imports twice into the same store as separate profiles', async () => {
    const { source, a } = await withTwoProfiles();
    const { json } = await source.call('profiles.export', { ids: [a.id] });
    await source.call('profiles.import', { json });
    const names = (await source.call('profiles.list', {})).map((p) => p.name);
    expect(names).toEqual(['A', 'B', 'A']);
    expect(new Set((await source.call('profiles.list', {})).map((p) => p.id)).size).toBe(3);
  });

  it('reports each rejected entry and imports the rest', async () => {
    const { call } = openPart(tempDataDir());
    const json = JSON.stringify({
      format: 'topograph-profiles',
      version: 1,
      profiles: [{ ...local, name: 'Good' }, { ...local, name: 'Bad port', port: 0 }, 'not a profile', { ...local, name: 'Also good', protocolVersion: 4 }],
    });
    const result = await call('profiles.import', { json });
    expect(result.imported.map((p) => p.name)).toEqual(['Good', 'Also good']);
    expect(result.problems).toHaveLength(2);
    expect(result.problems[0]).toMatch(/^Profile 2 \("Bad port"\) was not imported: port: .+\.$/);
    expect(result.problems[1]).toMatch(/^Profile 3 was not imported: /);
  });

  it('refuses a file that is not an export, with a sentence', async () => {
    const { failure, call } = openPart(tempDataDir());
    expect((await failure('profiles.import', { json: '{oops' })).message).toMatch(/not valid JSON.*Export profiles/);
    expect((await failure('profiles.import', { json: '[]' })).message).toMatch(/not a Topograph profiles export/);
    expect((await failure('profiles.import', { json: JSON.stringify({ format: 'topograph-profiles', version: 2, profiles: [] }) })).message).toMatch(
      /newer Topograph/,
    );
    expect(await call('profiles.list', {})).toEqual([]);
  });
});
