import type { EventBatch, MethodName, ParamsOf, ResultOf, TopographApi } from '@common/api';
import type { TopographBridge } from '@common/bridge';
import { fail, type Result } from '@common/result';

/** Inside Electron: the preload's bridge, one function per method, each already answering with a Result. */
export class IpcTransport implements TopographApi {
  constructor(private readonly bridge: TopographBridge) {}

  async call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<Result<ResultOf<M>>> {
    // Own properties only: the exposed object inherits toString, constructor and the like.
    const send: unknown = Object.hasOwn(this.bridge.methods, method) ? this.bridge.methods[method] : undefined;
    if (typeof send !== 'function') {
      const shown = String(method).slice(0, 100);
      return fail('unknown-method', `Unknown method "${shown}": this window's preload does not offer it. Reload the window (Ctrl+R); if it stays, the app is out of date.`);
    }
    try {
      return (await (send as TopographBridge['methods'][M])(params)) as Result<ResultOf<M>>;
    } catch (error) {
      // The bridge promises never to reject; if it does, keep the no-throw contract anyway.
      const cause = error instanceof Error ? error.message : String(error);
      return fail('internal', `Topograph could not reach its engine for ${method}: ${cause}. Reload the window (Ctrl+R).`);
    }
  }

  onEvents(listener: (batch: EventBatch) => void): () => void {
    return this.bridge.onEvents(listener);
  }
}
