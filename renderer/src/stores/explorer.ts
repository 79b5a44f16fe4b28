import { defineStore } from 'pinia';
import { ref, shallowRef, type Ref } from 'vue';
import type { DecoderName } from '@common/api';
import { DECODERS } from '@common/api';
import { useSettingsStore } from './settings';

export interface SelectedNode {
  nodeId: number;
  topic: string;
}

/** A .proto schema remembered for a topic. */
export interface ProtoChoice {
  fileName: string;
  source: string;
  messageType: string;
}

/** One line of the chart: a topic and a JSON path into its payload ('' = the payload is the number). */
export interface ChartSeries {
  topic: string;
  path: string;
}

export interface PublishPrefill {
  connectionId: string;
  topic: string;
  payload?: string;
}

/** Settings keys are at most 200 characters; topics can be far longer, so long ones are hashed. */
export function topicKey(prefix: string, topic: string): string {
  const key = `${prefix}:${topic}`;
  if (key.length <= 200) return key;
  let hash = 0x811c9dc5;
  for (let i = 0; i < topic.length; i++) hash = Math.imul(hash ^ topic.charCodeAt(i), 0x01000193) >>> 0;
  return `${prefix}:${topic.slice(0, 150)}…#${hash.toString(16)}:${topic.length}`;
}

const isDecoder = (value: unknown): value is DecoderName => typeof value === 'string' && (DECODERS as readonly string[]).includes(value);

const isSeries = (value: unknown): value is ChartSeries =>
  typeof value === 'object' && value !== null && typeof (value as ChartSeries).topic === 'string' && typeof (value as ChartSeries).path === 'string';

/** What the person is looking at in each connection, and the per-profile choices that go with it. */
export const useExplorerStore = defineStore('explorer', () => {
  const settings = useSettingsStore();
  /** Replaced on change (a small map keyed by connection id). */
  const selection = shallowRef<ReadonlyMap<string, SelectedNode>>(new Map());

  function selected(connectionId: string): SelectedNode | null {
    return selection.value.get(connectionId) ?? null;
  }

  function select(connectionId: string, node: SelectedNode | null): void {
    const current = selection.value.get(connectionId);
    if (current?.nodeId === node?.nodeId && current?.topic === node?.topic) return;
    const next = new Map(selection.value);
    if (node) next.set(connectionId, { nodeId: node.nodeId, topic: node.topic });
    else next.delete(connectionId);
    selection.value = next;
  }

  function decoderFor(connectionId: string, topic: string): DecoderName {
    const stored = settings.get<unknown>(connectionId, topicKey('decoder', topic), 'auto');
    return isDecoder(stored) ? stored : 'auto';
  }

  function setDecoder(connectionId: string, topic: string, decoder: DecoderName): void {
    void settings.set(connectionId, topicKey('decoder', topic), decoder);
  }

  function protoFor(connectionId: string, topic: string): ProtoChoice | null {
    const stored = settings.get<unknown>(connectionId, topicKey('proto', topic), null);
    if (typeof stored !== 'object' || stored === null) return null;
    const { fileName, source, messageType } = stored as Partial<ProtoChoice>;
    if (typeof source !== 'string' || typeof messageType !== 'string') return null;
    return { fileName: typeof fileName === 'string' ? fileName : 'schema.proto', source, messageType };
  }

  function setProto(connectionId: string, topic: string, proto: ProtoChoice | null): void {
    void settings.set(connectionId, topicKey('proto', topic), proto ? { ...proto } : null);
  }

  function chartSeries(connectionId: string): ChartSeries[] {
    const stored = settings.get<unknown>(connectionId, 'chart:series', []);
    return Array.isArray(stored) ? stored.filter(isSeries) : [];
  }

  function setChartSeries(connectionId: string, series: readonly ChartSeries[]): void {
    void settings.set(
      connectionId,
      'chart:series',
      series.map((s) => ({ topic: s.topic, path: s.path })),
    );
  }

  return { selection, selected, select, decoderFor, setDecoder, protoFor, setProto, chartSeries, setChartSeries };
});

const prefill: Ref<PublishPrefill | null> = ref(null);

/**
 * "Publish to this topic" from the tree: the publish panel watches `prefill` and takes it over
 * (setting it back to null once consumed).
 */
export function usePublishPrefill(): { prefill: Ref<PublishPrefill | null>; request: (value: PublishPrefill) => void } {
  return {
    prefill,
    request: (value) => {
      prefill.value = { ...value };
    },
  };
}
