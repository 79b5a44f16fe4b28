/**
 * `--demo`: the built-in broker, the demo publisher, and a profile connected to them, so a first
 * look at Topograph shows a live tree. Every step goes through the public API, like a script would.
 */
import type { BrokerStatus } from '../common/api';
import { findLocalProfile, LOCAL_PROFILE_HOST, LOCAL_PROFILE_NAME } from '../common/local-profile';
import type { ProfileView } from '../common/model';
import type { SessionStatus } from '../common/session';
import type { Result } from '../common/result';
import type { WebHostEngine } from './server';

type Caller = Pick<WebHostEngine, 'call'>;

class StepFailed extends Error {}

async function step<T>(engine: Caller, what: string, method: string, params: unknown): Promise<T> {
  const result = (await engine.call(method, params)) as Result<T>;
  if (!result.ok) throw new StepFailed(`Demo mode could not ${what}: ${result.error.message}`);
  return result.value;
}

function withoutSecrets({ secrets: _saved, ...fields }: ProfileView): Omit<ProfileView, 'secrets'> {
  return fields;
}

/** Runs the demo steps; resolves with lines to print (never rejects). */
export async function startDemo(engine: Caller): Promise<string[]> {
  try {
    const broker = await step<BrokerStatus>(engine, 'start the built-in broker', 'broker.start', {});
    const profiles = await step<ProfileView[]>(engine, 'read the profiles', 'profiles.list', {});
    // The same profile the welcome screen and the Local broker panel make, so they never add a second one.
    const existing = findLocalProfile(profiles, broker.port);
    const profile =
      existing?.port === broker.port
        ? existing
        : await step<ProfileView>(engine, 'save the demo profile', 'profiles.save', {
            // Secrets left out stay as saved.
            profile: existing
              ? { ...withoutSecrets(existing), port: broker.port }
              : {
                  name: LOCAL_PROFILE_NAME,
                  host: LOCAL_PROFILE_HOST,
                  port: broker.port,
                  // The built-in broker (aedes) speaks MQTT 3.1.1 only.
                  protocolVersion: broker.protocolVersion,
                  subscriptions: [{ filter: '#', qos: 0 }],
                },
          });
    await step(engine, 'start the demo publisher', 'demo.start', {});
    const status = await step<SessionStatus>(engine, 'connect to the built-in broker', 'connection.open', { connectionId: profile.id });
    if (status.state !== 'connected') throw new StepFailed(`Demo mode could not connect to the built-in broker: ${status.error ?? status.state}.`);
    const lines = [`Demo: built-in broker on ${broker.host}:${broker.port}, demo devices publishing, profile "${profile.name}" connected.`];
    if (broker.message) lines.push(broker.message);
    return lines;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return [`${message} The web host runs without the demo; the rest of Topograph works as usual.`];
  }
}
