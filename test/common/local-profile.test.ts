import { describe, expect, it } from 'vitest';
import { findLocalProfile, LOCAL_PROFILE_NAME } from '../../electron/common/local-profile';

type Listed = { id: string; name: string; host: string; port: number; protocolVersion: 4 | 5 };
const listed = (id: string, fields: Partial<Listed>): Listed => ({ id, name: id, host: '127.0.0.1', port: 1883, protocolVersion: 4, ...fields });

describe('findLocalProfile', () => {
  it('reuses a profile that points at the broker, whatever its name or loopback spelling', () => {
    const profiles = [listed('office', { host: 'broker.local' }), listed('mine', { name: 'My broker here', host: 'localhost', port: 50123 })];
    expect(findLocalProfile(profiles, 50123)?.id).toBe('mine');
  });

  it('skips an MQTT 5 profile on the same port: the built-in broker speaks 3.1.1 only', () => {
    expect(findLocalProfile([listed('v5', { protocolVersion: 5 })], 1883)).toBeUndefined();
  });

  it('falls back to the one it made earlier on another port, so the caller moves it instead of adding one', () => {
    const profiles = [listed('other', { name: 'Other', port: 1884 }), listed('made', { name: LOCAL_PROFILE_NAME, port: 1883 })];
    expect(findLocalProfile(profiles, 50123)?.id).toBe('made');
    expect(findLocalProfile([listed('other', { name: 'Other', port: 1884 })], 50123)).toBeUndefined();
  });
});
