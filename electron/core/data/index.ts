import { ApiFailure } from '../../common/result';
import type { Part } from '../parts';
import type { EngineContext, ProfileSource, Recording, Sessions } from '../services';

const todo = (): never => {
  throw new ApiFailure('internal', 'Not implemented yet.');
};

export interface DataPart extends Part<'tree' | 'retained' | 'messages'> {
  recording: Recording;
}

export function createDataPart(_ctx: EngineContext, _deps: { profiles: ProfileSource; sessions: Sessions }): DataPart {
  return {
    recording: { recorder: todo },
    handlers: {
      'tree.children': todo,
      'tree.collapse': todo,
      'tree.expandAll': todo,
      'tree.find': todo,
      'tree.search': todo,
      'tree.clear': todo,
      'retained.clear': todo,
      'retained.count': todo,
      'messages.get': todo,
      'messages.latest': todo,
      'messages.history': todo,
      'messages.decode': todo,
      'messages.export': todo,
    },
    close: async () => {},
  };
}
