/**
 * The built-in broker's state for one component: fetched once, then kept current by the engine's
 * broker.status events. Actions return nothing and leave a sentence in `error` when they fail.
 */
import { onBeforeUnmount, ref, shallowRef } from 'vue';
import type { BrokerStatus, ParamsOf } from '@common/api';
import { call, onEvent } from '@renderer/services/api';

export function useLocalBroker() {
  const status = shallowRef<BrokerStatus | null>(null);
  const busy = ref<'broker' | 'demo' | null>(null);
  const error = ref<string | null>(null);

  const stopListening = onEvent('broker.status', (event) => {
    status.value = event.status;
  });
  onBeforeUnmount(stopListening);

  async function run(kind: 'broker' | 'demo', work: () => Promise<BrokerStatus>): Promise<boolean> {
    busy.value = kind;
    error.value = null;
    try {
      status.value = await work();
      return true;
    } catch (failure) {
      error.value = (failure as Error).message;
      return false;
    } finally {
      busy.value = null;
    }
  }

  const refresh = () => run('broker', () => call('broker.status', {}));
  void refresh();

  return {
    status,
    busy,
    error,
    refresh,
    start: (params: ParamsOf<'broker.start'>) => run('broker', () => call('broker.start', params)),
    stop: () => run('broker', () => call('broker.stop', {})),
    startDemo: (params: ParamsOf<'demo.start'>) => run('demo', () => call('demo.start', params)),
    stopDemo: () => run('demo', () => call('demo.stop', {})),
  };
}

export type LocalBroker = ReturnType<typeof useLocalBroker>;
