import type { EventBatch, MethodName, ParamsOf, ResultOf, TopographApi } from '@common/api';
import type { TopographBridge } from '@common/bridge';
import { fail, type Result } from '@common/result';

/** Inside Electron: the preload's bridge, which already answers every call with a Result. */
export class IpcTransport implements TopographApi {
  constructor(private readonly bridge: TopographBridge) {}

  async call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<Result<ResultOf<M>>> {
    try {
      return (await this.bridge.invoke(method, params)) as Result<ResultOf<M>>;
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
