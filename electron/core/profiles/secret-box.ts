import type { SecretBox } from '../services';

/**
 * The web host's SecretBox: secrets are written as they are, and the secrets file's 0600 mode
 * (owner only) is the protection, as with an SSH key or a .netrc file.
 */
export const plainSecretBox: SecretBox = {
  kind: 'file',
  seal: (plain) => plain,
  unseal: (sealed) => sealed,
};
