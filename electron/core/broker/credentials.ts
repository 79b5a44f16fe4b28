/** The built-in broker's optional user name and password, compared in constant time. */
import { createHash, timingSafeEqual } from 'node:crypto';

// Hashing first gives both sides the same length, so timingSafeEqual never leaks the length either.
const digest = (value: string | Buffer): Buffer => createHash('sha256').update(value).digest();

export function sameSecret(given: string | Buffer | undefined, expected: string): boolean {
  return timingSafeEqual(digest(given ?? ''), digest(expected));
}

export interface Credentials {
  username: string;
  password: string;
}

/** True when the CONNECT's user name and password match; absent credentials let everyone in. */
export function credentialsMatch(required: Credentials | undefined, username: string | undefined, password: Buffer | undefined): boolean {
  if (required === undefined) return true;
  // Both comparisons always run, so a wrong user name takes as long as a wrong password.
  const userOk = sameSecret(username, required.username);
  const passwordOk = sameSecret(password, required.password);
  return username !== undefined && userOk && passwordOk;
}
