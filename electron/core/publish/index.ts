import { ApiFailure } from '../../common/result';
import type { Part } from '../parts';
import type { EngineContext, ProfileSource, Sessions } from '../services';

const todo = (): never => {
  throw new ApiFailure('internal', 'Not implemented yet.');
};

export type PublishPart = Part<'publish' | 'saved'>;

export function createPublishPart(_ctx: EngineContext, _deps: { profiles: ProfileSource; sessions: Sessions }): PublishPart {
  return {
    handlers: {
      'publish.send': todo,
      'publish.history': todo,
      'publish.repeatStart': todo,
      'publish.repeatStop': todo,
      'publish.request': todo,
      'saved.list': todo,
      'saved.save': todo,
      'saved.delete': todo,
      'saved.export': todo,
      'saved.import': todo,
    },
    close: async () => {},
  };
}
