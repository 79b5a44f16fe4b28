import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { electronMock } from '../mocks/electron';
import { BASIC_TEXT_WARNING, SafeStorageSecretBox } from '../../electron/main/secret-box';

vi.mock('electron', () => import('../mocks/electron'));

const platform = process.platform;
const setPlatform = (value: string): void => {
  Object.defineProperty(process, 'platform', { value, configurable: true });
};
beforeEach(() => electronMock.reset());
afterEach(() => setPlatform(platform));

describe('SafeStorageSecretBox', () => {
  it('encrypts with safeStorage when a keyring is there', () => {
    setPlatform('linux');
    const box = new SafeStorageSecretBox();
    expect(box.kind).toBe('safeStorage');
    expect(box.warning).toBeUndefined();
    const sealed = box.seal('hunter2 ✓');
    expect(sealed).not.toContain('hunter2');
    expect(Buffer.from(sealed.slice(sealed.indexOf(':') + 1), 'base64').toString('utf8')).not.toContain('hunter2');
    expect(box.unseal(sealed)).toBe('hunter2 ✓');
  });

  it('warns in a sentence when Linux falls back to basic_text', () => {
    setPlatform('linux');
    electronMock.state.safeStorage.backend = 'basic_text';
    const box = new SafeStorageSecretBox();
    expect(box.kind).toBe('basic_text');
    expect(box.warning).toBe(BASIC_TEXT_WARNING);
    expect(box.warning).toMatch(/no keyring.*gnome-keyring or KWallet/);
    expect(box.unseal(box.seal('pw'))).toBe('pw');
  });

  it('does not ask for a Linux backend on other systems', () => {
    setPlatform('darwin');
    electronMock.state.safeStorage.backend = 'basic_text';
    expect(new SafeStorageSecretBox().kind).toBe('safeStorage');
  });

  it('falls back to obfuscation, with a warning, when nothing can encrypt', () => {
    setPlatform('linux');
    electronMock.state.safeStorage.available = false;
    const box = new SafeStorageSecretBox();
    expect(box.kind).toBe('basic_text');
    expect(box.warning).toMatch(/obfuscated, not encrypted/);
    const sealed = box.seal('pw');
    expect(sealed).not.toContain('pw');
    expect(box.unseal(sealed)).toBe('pw');
  });

  it('still reads obfuscated secrets once encryption is available', () => {
    electronMock.state.safeStorage.available = false;
    const sealed = new SafeStorageSecretBox().seal('old');
    electronMock.state.safeStorage.available = true;
    expect(new SafeStorageSecretBox().unseal(sealed)).toBe('old');
  });

  it('says how to recover when an encrypted secret cannot be read', () => {
    const sealed = new SafeStorageSecretBox().seal('pw');
    electronMock.state.safeStorage.available = false;
    expect(() => new SafeStorageSecretBox().unseal(sealed)).toThrow(/keyring is not available.*enter the password again/);
    electronMock.state.safeStorage.available = true;
    expect(() => new SafeStorageSecretBox().unseal('ss1:AAAA')).toThrow(/could not be decrypted.*enter the password again/);
  });
});
