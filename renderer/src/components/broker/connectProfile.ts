/**
 * "Open in Topograph": a profile for the local broker (MQTT 3.1.1, subscribed to everything),
 * reused when one already points at it, then connected in its tab.
 */
import type { BrokerStatus } from '@common/api';
import type { ProfileView } from '@common/model';
import { formFromFields, toProfileInput } from '@renderer/components/connections/profileForm';
import { useConnectionsStore } from '@renderer/stores/connections';
import { useProfilesStore } from '@renderer/stores/profiles';

export const LOCAL_PROFILE_NAME = 'Local broker';

const EVERYTHING = { filter: '#', qos: 0 as const, noLocal: false, retainAsPublished: false, retainHandling: 0 as const, userProperties: [] };

export function findLocalProfile(profiles: readonly ProfileView[], port: number): ProfileView | undefined {
  return profiles.find((profile) => (profile.host === '127.0.0.1' || profile.host === 'localhost') && profile.port === port && profile.protocolVersion === 4);
}

export async function openLocalBroker(status: BrokerStatus, credentials: { username: string; password: string }): Promise<void> {
  const profiles = useProfilesStore();
  const connections = useConnectionsStore();
  let profile = findLocalProfile(profiles.profiles, status.port);
  if (!profile) {
    const input = toProfileInput(
      formFromFields({ name: LOCAL_PROFILE_NAME, host: '127.0.0.1', port: status.port, protocolVersion: 4, username: credentials.username, subscriptions: [EVERYTHING] }),
    );
    if (credentials.password) input.secrets = { ...input.secrets, password: { action: 'set', value: credentials.password } };
    profile = await profiles.save(input);
  }
  await connections.connect(profile.id);
}
