/**
 * The connection part: open connections (one mqtt.js client each, several at once), their
 * subscriptions and protocol logs, and the live sessions the publish and data parts use.
 */
import { randomBytes } from 'node:crypto';
import { ApiFailure } from '../../common/result';
import type { Part } from '../parts';
import type { EngineContext, ProfileSource, Recording, Sessions } from '../services';
import type { FileReader } from './client-options';
import { Connection } from './connection';
import { ProtocolLog } from './protocol-log';

/** connection.stats comes from the data part, which owns the counts and the write queue. */
export interface ConnectionPart extends Omit<Part<'connection' | 'subscription' | 'log'>, 'handlers'> {
  handlers: Omit<Part<'connection' | 'subscription' | 'log'>['handlers'], 'connection.stats'>;
  sessions: Sessions;
}

export interface ConnectionPartOptions {
  /** Entries kept per connection in the protocol log. */
  logCapacity?: number;
  /** Reads TLS files (certificates, keys, PKCS#12). */
  readFile?: FileReader;
}

export function createConnectionPart(
  ctx: EngineContext,
  deps: { profiles: ProfileSource; recording: Recording },
  options: ConnectionPartOptions = {},
): ConnectionPart {
  // One suffix per launch: reconnects keep their client id, two running copies differ. Profiles
  // that keep their session go without it (clientIdFor), or the session is lost at every launch.
  const launchSuffix = randomBytes(3).toString('hex');
  const connections = new Map<string, Connection>();
  // Logs outlive a closed connection, so the packets of a failed attempt can still be read.
  const logs = new Map<string, ProtocolLog>();

  const logOf = (connectionId: string): ProtocolLog => {
    let log = logs.get(connectionId);
    if (log === undefined) logs.set(connectionId, (log = new ProtocolLog(options.logCapacity)));
    return log;
  };

  const open = (connectionId: string): Connection => {
    const connection = connections.get(connectionId);
    if (connection === undefined) {
      throw new ApiFailure('not-connected', 'This connection is not open. Connect it first.');
    }
    return connection;
  };

  return {
    sessions: {
      live(connectionId) {
        const connection = connections.get(connectionId);
        if (connection === undefined || !connection.isConnected) {
          throw new ApiFailure('not-connected', 'This connection is not connected. Connect it first, then try again.');
        }
        return connection;
      },
    },
    handlers: {
      'connection.open': ({ connectionId }) => {
        let connection = connections.get(connectionId);
        if (connection === undefined) {
          deps.profiles.get(connectionId);
          connection = new Connection({
            connectionId,
            profiles: deps.profiles,
            recording: deps.recording,
            events: ctx.events,
            log: logOf(connectionId),
            launchSuffix,
            ...(options.readFile ? { readFile: options.readFile } : {}),
          });
          connections.set(connectionId, connection);
        }
        return connection.open();
      },
      'connection.close': async ({ connectionId }) => {
        const connection = connections.get(connectionId);
        if (connection === undefined) return;
        connections.delete(connectionId);
        await connection.close();
      },
      'connection.list': () => [...connections.values()].map((connection) => connection.status()),
      'subscription.add': ({ connectionId, subscription }) => open(connectionId).addSubscription(subscription),
      'subscription.remove': ({ connectionId, filter }) => open(connectionId).removeSubscription(filter),
      'log.get': ({ connectionId, afterSeq, limit }) => logs.get(connectionId)?.get(afterSeq, limit) ?? [],
      'log.export': ({ connectionId }) => ({ text: logs.get(connectionId)?.exportText() ?? '' }),
    },
    close: async () => {
      const all = [...connections.values()];
      connections.clear();
      await Promise.all(all.map((connection) => connection.close()));
    },
  };
}
