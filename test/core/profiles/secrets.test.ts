import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { plainSecretBox } from '../../../electron/core/profiles/secret-box';
import { changedKeyBox, local, openPart, readJson, readText, removeTempDirs, sealedByTestBox, tempDataDir, testBox } from './helpers';

afterEach(removeTempDirs);

const PASSWORD = 'pa55-w0rd-xyzzy';
const set = (value: string) => ({ action: 'set', value }) as const;

describe('secrets of a profile', () => {
  it('keeps a password out of profiles.json and sealed in a 0600 secrets.json', async () => {
    const dir = tempDataDir();
    const { call } = openPart(dir);
    const saved = await call('profiles.save', { profile: { ...local, username: 'alice', secrets: { password: set(PASSWORD) } } });

    expect(readText(dir, 'profiles.json')).not.toContain(PASSWORD);
    const secretsText = readText(dir, 'secrets.json');
    expect(secretsText).not.toContain(PASSWORD);
    expect(readJson(dir, 'secrets.json')).toEqual({ version: 1, secrets: { [saved.id]: { password: sealedByTestBox(PASSWORD) } } });
    if (process.platform !== 'win32') expect(statSync(join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
  });

  it('never puts a secret value in a view or a profiles.changed event', async () => {
    const { call, events } = openPart(tempDataDir());
    const saved = await call('profiles.save', {
      profile: { ...local, secrets: { password: set(PASSWORD), keyPassphrase: set('key-phrase-42') } },
    });
    expect(saved.secrets).toEqual({ password: true, keyPassphrase: true, pfxPassphrase: false, keyPem: false });
    await call('profiles.duplicate', { id: saved.id });
    const shown = JSON.stringify([saved, await call('profiles.list', {}), events]);
    expect(events.some((e) => e.type === 'profiles.changed')).toBe(true);
    expect(shown).not.toContain(PASSWORD);
    expect(shown).not.toContain('key-phrase-42');
    expect(shown).not.toContain(sealedByTestBox(PASSWORD));
  });

  it('keeps, replaces and clears a secret as the update says', async () => {
    const { call, part } = openPart(tempDataDir());
    const saved = await call('profiles.save', { profile: { ...local, secrets: { password: set('one') } } });
    await call('profiles.save', { profile: { ...saved, port: 1884, secrets: {} } });
    expect(await part.source.secret(saved.id, 'password')).toBe('one');
    await call('profiles.save', { profile: { ...saved, secrets: { password: { action: 'keep' } } } });
    expect(await part.source.secret(saved.id, 'password')).toBe('one');
    await call('profiles.save', { profile: { ...saved, secrets: { password: set('two') } } });
    expect(await part.source.secret(saved.id, 'password')).toBe('two');
    const cleared = await call('profiles.save', { profile: { ...saved, secrets: { password: { action: 'clear' } } } });
    expect(cleared.secrets.password).toBe(false);
    expect(await part.source.secret(saved.id, 'password')).toBeUndefined();
  });

  it('reads sealed secrets back after a restart', async () => {
    const dir = tempDataDir();
    const saved = await openPart(dir).call('profiles.save', { profile: { ...local, secrets: { pfxPassphrase: set('pfx!') } } });
    const again = openPart(dir);
    expect((await again.call('profiles.list', {}))[0]?.secrets.pfxPassphrase).toBe(true);
    expect(await again.part.source.secret(saved.id, 'pfxPassphrase')).toBe('pfx!');
  });

  it('stores a pasted private key as a secret, not in the profile', async () => {
    const dir = tempDataDir();
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n';
    const { call, part } = openPart(dir);
    const saved = await call('profiles.save', {
      profile: { ...local, transport: 'mqtts', port: 8883, tls: { key: { kind: 'pem', value: pem } } },
    });
    expect(saved.tls.key).toEqual({ kind: 'pem', value: '' });
    expect(saved.secrets.keyPem).toBe(true);
    expect(readText(dir, 'profiles.json')).not.toContain('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC');
    expect(await part.source.secret(saved.id, 'keyPem')).toBe(pem);
  });

  it('copies secrets to a duplicate and deletes them with their profile', async () => {
    const dir = tempDataDir();
    const { call, part } = openPart(dir);
    const saved = await call('profiles.save', { profile: { ...local, secrets: { password: set(PASSWORD) } } });
    const copy = await call('profiles.duplicate', { id: saved.id });
    expect(copy.secrets.password).toBe(true);
    expect(await part.source.secret(copy.id, 'password')).toBe(PASSWORD);

    await call('profiles.delete', { id: saved.id });
    await call('profiles.delete', { id: copy.id });
    expect(readText(dir, 'secrets.json')).not.toContain(sealedByTestBox(PASSWORD));
    expect(readJson(dir, 'secrets.json')).toEqual({ version: 1, secrets: {} });
  });

  it('treats a secret that no longer unseals as missing and says so', async () => {
    const dir = tempDataDir();
    const saved = await openPart(dir, testBox).call('profiles.save', { profile: { ...local, name: 'Plant', secrets: { password: set(PASSWORD) } } });

    const later = openPart(dir, changedKeyBox);
    expect(await later.part.source.secret(saved.id, 'password')).toBeUndefined();
    expect(later.ctx.problems).toEqual([expect.stringMatching(/saved password of profile "Plant" could not be decrypted.*Enter it again/)]);
    expect(later.events).toContainEqual({ type: 'app.problem', message: later.ctx.problems[0] });
    const changed = later.events.find((e) => e.type === 'profiles.changed');
    expect(changed?.type === 'profiles.changed' && changed.profiles[0]?.secrets.password).toBe(false);

    // Entering it again works with the new key.
    await later.call('profiles.save', { profile: { ...saved, secrets: { password: set('new') } } });
    expect(await later.part.source.secret(saved.id, 'password')).toBe('new');
  });

  it('refuses to save when the box cannot seal, and saves nothing', async () => {
    const dir = tempDataDir();
    const broken = { kind: 'basic_text' as const, seal: () => { throw new Error('Encryption is not available.'); }, unseal: (s: string) => s };
    const { failure, call } = openPart(dir, broken);
    const error = await failure('profiles.save', { profile: { ...local, secrets: { password: set(PASSWORD) } } });
    expect(error.code).toBe('storage');
    expect(error.message).toMatch(/could not encrypt the password \(Encryption is not available\.\)/);
    expect(await call('profiles.list', {})).toEqual([]);
  });

  it('keeps plain secrets in the web host only behind the file mode', async () => {
    const dir = tempDataDir();
    const { call, part } = openPart(dir, plainSecretBox);
    const saved = await call('profiles.save', { profile: { ...local, secrets: { password: set(PASSWORD) } } });
    expect(plainSecretBox.kind).toBe('file');
    expect(readJson(dir, 'secrets.json')).toEqual({ version: 1, secrets: { [saved.id]: { password: PASSWORD } } });
    if (process.platform !== 'win32') expect(statSync(join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
    expect(await part.source.secret(saved.id, 'password')).toBe(PASSWORD);
  });

  it('keeps a corrupt secrets file aside and starts without secrets', async () => {
    const dir = tempDataDir();
    const saved = await openPart(dir).call('profiles.save', { profile: { ...local, secrets: { password: set(PASSWORD) } } });
    writeFileSync(join(dir, 'secrets.json'), '{"version":1,"secrets":{"x":{"password":hunter2}}}');
    const again = openPart(dir);
    expect((await again.call('profiles.list', {}))[0]?.secrets.password).toBe(false);
    expect(await again.part.source.secret(saved.id, 'password')).toBeUndefined();
    expect(again.ctx.problems).toEqual([expect.stringMatching(/saved passwords and keys.*kept as .*secrets\.json\.corrupt-.*enter them again/)]);
    // The parser's message would quote the file; a secret must not reach the UI that way.
    expect(again.ctx.problems[0]).not.toContain('hunter2');
  });
});
