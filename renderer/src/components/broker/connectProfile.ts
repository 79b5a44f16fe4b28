/**
 * "Open in Topograph" and the welcome screen's demo: the profile for the local broker (MQTT 3.1.1,
 * subscribed to everything), reused by the rule `--demo` uses too, then connected in its tab.
 */
import type { BrokerStatus } from '@common/api';
import { findLocalProfile, LOCAL_PROFILE_HOST, LOCAL_PROFILE_NAME } from '@common/local-profile';
import { formFromFields, formFromView, toProfileInput } from '@renderer/components/connections/profileForm';
import { useConnectionsStore } from '@renderer/stores/connections';
import { useProfilesStore } from '@renderer/stores/profiles';

const EVERYTHING = { filter: '#', qos: 0 as const, noLocal: false, retainAsPublished: false, retainHandling: 0 as const, userProperties: [] };

export async function openLocalBroker(status: BrokerStatus, credentials: { username: string; password: string }): Promise<void> {
  const profiles = useProfilesStore();
  const connections = useConnectionsStore();
  let profile = findLocalProfile(profiles.profiles, status.port);
  if (!profile) {
    const input = toProfileInput(
      formFromFields({ name: LOCAL_PROFILE_NAME, host: LOCAL_PROFILE_HOST, port: status.port, protocolVersion: 4, username: credentials.username, subscriptions: [EVERYTHING] }),
    );
    if (credentials.password) input.secrets = { ...input.secrets, password: { action: 'set', value: credentials.password } };
    profile = await profiles.save(input);
  } else if (profile.port !== status.port) {
    // The broker took another free port this time: move the profile made earlier rather than add one.
    profile = await profiles.save(toProfileInput({ ...formFromView(profile), port: status.port }));
  }
  await connections.connect(profile.id);
}
