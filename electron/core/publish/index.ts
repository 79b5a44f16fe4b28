/**
 * The publish part: single publishes checked against the broker's limits, the publish history
 * per profile, saved messages, repeated publishing and MQTT 5 request/response.
 */
import type { PublishRequest } from '../../common/api';
import type { Part } from '../parts';
import type { EngineContext, ProfileSource, Sessions } from '../services';
import { AliasTables } from './aliases';
import { DEFAULT_HISTORY_LIMITS, PublishHistory, type HistoryLimits, type HistoryResult } from './history';
import { RepeatJobs } from './repeat';
import { Requests } from './request';
import { SavedMessages } from './saved';
import { Sender } from './sender';

export interface PublishPart extends Part<'publish' | 'saved'> {
  /**
   * Stops a deleted profile's repeat jobs, removes its publish history files and the messages
   * saved for it alone (those saved for all profiles stay). Reports what it cannot remove as an
   * `app.problem`; never rejects.
   */
  forget(connectionId: string): Promise<void>;
}

export interface PublishPartOptions {
  historyLimits?: HistoryLimits;
}

export function createPublishPart(
  ctx: EngineContext,
  deps: { profiles: ProfileSource; sessions: Sessions },
  options: PublishPartOptions = {},
): PublishPart {
  const sender = new Sender(deps.sessions, new AliasTables());
  const history = new PublishHistory(ctx.dataDir, options.historyLimits ?? DEFAULT_HISTORY_LIMITS);
  const report = (message: string): void => {
    ctx.problems.push(message);
    ctx.events.emit({ type: 'app.problem', message });
  };
  const saved = new SavedMessages(ctx.dataDir, report);

  /** History is a convenience: failing to write it must not turn a delivered publish into an error. */
  const record = (connectionId: string, request: PublishRequest, result: HistoryResult): void => {
    try {
      history.add(connectionId, request, result);
    } catch (error) {
      report(`A publish could not be added to the publish history: ${(error as Error).message}`);
    }
  };
  const repeats = new RepeatJobs({ sender, events: ctx.events, onJobEnd: record });
  const requests = new Requests({ sessions: deps.sessions, sender, record });

  /** Saved messages of a profile need the profile; 'app' is shared by all. */
  const checkScope = (scope: string): void => {
    if (scope !== 'app') deps.profiles.get(scope);
  };

  const forget = async (connectionId: string): Promise<void> => {
    // First the jobs: one that ends later would write its entry into a new history file.
    await repeats.stopFor(connectionId).catch(() => undefined);
    const failed = history.forget(connectionId);
    if (failed.length > 0) {
      report(
        `The profile was deleted, but its publish history could not be removed from ${failed.join(', ')}. ` +
          `Delete ${failed.length === 1 ? 'that file' : 'those files'} by hand; Topograph no longer uses ${failed.length === 1 ? 'it' : 'them'}.`,
      );
    }
    try {
      saved.forgetScope(connectionId);
    } catch (error) {
      report(`The profile was deleted, but the messages saved for it alone could not be removed. ${(error as Error).message}`);
    }
  };

  return {
    forget,
    handlers: {
      'publish.send': async ({ connectionId, message }) => {
        const prepared = sender.prepare(connectionId, message);
        try {
          const outcome = await sender.send(prepared);
          record(connectionId, message, { outcome });
          return outcome;
        } catch (error) {
          record(connectionId, message, { error: error instanceof Error ? error.message : String(error) });
          throw error;
        }
      },
      'publish.history': ({ connectionId, query, limit }) => {
        deps.profiles.get(connectionId);
        return history.list(connectionId, query, limit);
      },
      'publish.repeatStart': ({ connectionId, message, intervalMs, count }) => repeats.start(connectionId, message, intervalMs, count),
      'publish.repeatStop': ({ jobId }) => repeats.stop(jobId),
      'publish.request': ({ connectionId, message, responseTopic, timeoutMs }) => requests.request(connectionId, message, responseTopic, timeoutMs),
      'saved.list': ({ scope }) => {
        checkScope(scope);
        return saved.list(scope);
      },
      'saved.save': ({ scope, message }) => {
        checkScope(scope);
        return saved.save(scope, message);
      },
      'saved.delete': ({ scope, id }) => saved.delete(scope, id),
      'saved.export': ({ scope }) => {
        checkScope(scope);
        return { json: saved.exportJson(scope) };
      },
      'saved.import': ({ scope, json }) => {
        checkScope(scope);
        return saved.importJson(scope, json);
      },
    },
    close: async () => {
      requests.cancelAll();
      await repeats.stopAll();
      history.close();
    },
  };
}
