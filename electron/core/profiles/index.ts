import { ApiFailure } from '../../common/result';
import type { Part } from '../parts';
import type { EngineContext, ProfileSource, SecretBox } from '../services';

const todo = (): never => {
  throw new ApiFailure('internal', 'Not implemented yet.');
};

export interface ProfilesPart extends Part<'profiles' | 'settings'> {
  source: ProfileSource;
}

export function createProfilesPart(_ctx: EngineContext, _deps: { secretBox: SecretBox }): ProfilesPart {
  return {
    source: { get: todo, secret: todo },
    handlers: {
      'profiles.list': todo,
      'profiles.presets': todo,
      'profiles.save': todo,
      'profiles.duplicate': todo,
      'profiles.delete': todo,
      'profiles.reorder': todo,
      'profiles.export': todo,
      'profiles.import': todo,
      'settings.get': todo,
      'settings.set': todo,
    },
    close: async () => {},
  };
}
