/**
 * `--demo`: the built-in broker, the demo publisher, and a profile connected to them, so a first
 * look at Topograph shows a live tree. Every step goes through the public API, like a script would.
 */
import type { BrokerStatus } from '../common/api';
import type { ProfileView } from '../common/model';
import type { SessionStatus } from '../common/session';
import type { Result } from '../common/result';
import type { WebHostEngine } from './server';

export const DEMO_PROFILE_NAME = 'Built-in broker (demo)';

type Caller = Pick<WebHostEngine, 'call'>;

class StepFailed extends Error {}

async function step<T>(engine: Caller, what: string, method: string, params: unknown): Promise<T> {
  const result = (await engine.call(method, params)) as Result<T>;
  if (!result.ok) throw new StepFailed(`Demo mode could not ${what}: ${result.error.message}`);
  return result.value;
}

/** Runs the demo steps; resolves with lines to print (never rejects). */
export async function startDemo(engine: Caller): Promise<string[]> {
  try {
    const broker = await step<BrokerStatus>(engine, 'start the built-in broker', 'broker.start', {});
    const profiles = await step<ProfileView[]>(engine, 'read the profiles', 'profiles.list', {});
    const existing = profiles.find((profile) => profile.name === DEMO_PROFILE_NAME);
    const profile = await step<ProfileView>(engine, 'save the demo profile', 'profiles.save', {
      profile: {
        ...(existing ? { id: existing.id } : {}),
        name: DEMO_PROFILE_NAME,
        host: '127.0.0.1',
        port: broker.port,
        // The built-in broker (aedes) speaks MQTT 3.1.1 only.
        protocolVersion: broker.protocolVersion,
        subscriptions: [{ filter: '#', qos: 0 }],
      },
    });
    await step(engine, 'start the demo publisher', 'demo.start', {});
    const status = await step<SessionStatus>(engine, 'connect to the built-in broker', 'connection.open', { connectionId: profile.id });
    if (status.state !== 'connected') throw new StepFailed(`Demo mode could not connect to the built-in broker: ${status.error ?? status.state}.`);
    const lines = [`Demo: built-in broker on ${broker.host}:${broker.port}, demo devices publishing, profile "${DEMO_PROFILE_NAME}" connected.`];
    if (broker.message) lines.push(broker.message);
    return lines;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return [`${message} The web host runs without the demo; the rest of Topograph works as usual.`];
  }
}
