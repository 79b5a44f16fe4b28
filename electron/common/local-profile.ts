/**
 * The profile for Topograph's own broker. The welcome screen, the Local broker panel and `--demo`
 * all make it, so they share one name and one reuse rule: otherwise each adds its own copy.
 */
import type { ProfileView } from './model';

export const LOCAL_PROFILE_NAME = 'Local broker';
export const LOCAL_PROFILE_HOST = '127.0.0.1';

type Candidate = Pick<ProfileView, 'name' | 'host' | 'port' | 'protocolVersion'>;

const isLoopback = (host: string): boolean => host === '127.0.0.1' || host === 'localhost';
// The built-in broker (aedes) speaks MQTT 3.1.1 only: a version 5 profile on its port is someone else's.
const fitsBuiltInBroker = (profile: Candidate): boolean => isLoopback(profile.host) && profile.protocolVersion === 4;

/**
 * The profile to reuse for the built-in broker listening on `port`: one that already points at it,
 * whatever its name; else the one made for it earlier on another port (the broker takes a free
 * port when 1883 is taken), which the caller moves to `port` instead of adding another.
 */
export function findLocalProfile<P extends Candidate>(profiles: readonly P[], port: number): P | undefined {
  return (
    profiles.find((profile) => fitsBuiltInBroker(profile) && profile.port === port) ??
    profiles.find((profile) => fitsBuiltInBroker(profile) && profile.name === LOCAL_PROFILE_NAME)
  );
}
