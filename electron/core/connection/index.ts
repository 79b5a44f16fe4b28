import { ApiFailure } from '../../common/result';
import type { Part } from '../parts';
import type { EngineContext, ProfileSource, Recording, Sessions } from '../services';

const todo = (): never => {
  throw new ApiFailure('internal', 'Not implemented yet.');
};

export interface ConnectionPart extends Part<'connection' | 'subscription' | 'log'> {
  sessions: Sessions;
}

export function createConnectionPart(_ctx: EngineContext, _deps: { profiles: ProfileSource; recording: Recording }): ConnectionPart {
  return {
    sessions: { live: todo },
    handlers: {
      'connection.open': todo,
      'connection.close': todo,
      'connection.list': todo,
      'connection.stats': todo,
      'subscription.add': todo,
      'subscription.remove': todo,
      'log.get': todo,
      'log.export': todo,
    },
    close: async () => {},
  };
}
