/**
 * Secrets sealed with Electron's safeStorage (Keychain, DPAPI, or the Linux keyring). Each sealed
 * value is tagged with how it was sealed, so a value written without encryption stays readable
 * once encryption becomes available, and the other way round is refused with a sentence.
 */
import { safeStorage } from 'electron';
import type { SecretBox } from '../core/services';

export const BASIC_TEXT_WARNING =
  'Your desktop has no keyring: secrets are stored obfuscated, not encrypted. Install and unlock gnome-keyring or KWallet.';
export const NO_ENCRYPTION_WARNING =
  'This system offers no way to encrypt secrets, so saved passwords are stored obfuscated, not encrypted. ' +
  'On Linux, install and unlock gnome-keyring or KWallet, then save the passwords again; or leave them unsaved and enter them when connecting.';

const ENCRYPTED = 'ss1:';
const OBFUSCATED = 'b64:';

export class SafeStorageSecretBox implements SecretBox {
  readonly kind: 'safeStorage' | 'basic_text';
  readonly warning?: string;
  private readonly canEncrypt: boolean;

  constructor() {
    // Only meaningful after app 'ready' (on Linux the keyring is picked then).
    this.canEncrypt = safeStorage.isEncryptionAvailable();
    if (!this.canEncrypt) {
      this.kind = 'basic_text';
      this.warning = NO_ENCRYPTION_WARNING;
    } else if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
      // safeStorage still "encrypts" here, but with a key hard-coded in Chromium.
      this.kind = 'basic_text';
      this.warning = BASIC_TEXT_WARNING;
    } else {
      this.kind = 'safeStorage';
    }
  }

  seal(plain: string): string {
    if (!this.canEncrypt) return OBFUSCATED + Buffer.from(plain, 'utf8').toString('base64');
    return ENCRYPTED + safeStorage.encryptString(plain).toString('base64');
  }

  unseal(sealed: string): string {
    if (sealed.startsWith(OBFUSCATED)) return Buffer.from(sealed.slice(OBFUSCATED.length), 'base64').toString('utf8');
    const body = sealed.startsWith(ENCRYPTED) ? sealed.slice(ENCRYPTED.length) : sealed;
    if (!this.canEncrypt) {
      throw new Error(
        'A saved secret is encrypted, but the system keyring is not available now. Unlock the keyring and restart Topograph, or enter the password again.',
      );
    }
    try {
      return safeStorage.decryptString(Buffer.from(body, 'base64'));
    } catch {
      throw new Error(
        'A saved secret could not be decrypted: the system keyring changed or is locked. Unlock it and restart Topograph, or enter the password again.',
      );
    }
  }
}
