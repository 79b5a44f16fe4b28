import { ApiFailure } from '../../common/result';
import type { Part } from '../parts';
import type { EngineContext, Sessions } from '../services';

const todo = (): never => {
  throw new ApiFailure('internal', 'Not implemented yet.');
};

export type BrokerPart = Part<'broker' | 'demo'>;

export function createBrokerPart(_ctx: EngineContext, _deps: { sessions: Sessions }): BrokerPart {
  return {
    handlers: {
      'broker.start': todo,
      'broker.stop': todo,
      'broker.status': todo,
      'demo.start': todo,
      'demo.stop': todo,
    },
    close: async () => {},
  };
}
