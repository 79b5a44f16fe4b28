/**
 * Points for the chart: numbers read from stored messages of each series' topic, oldest first,
 * kept to a bounded window and extended while messages arrive. Only small payloads are parsed here
 * (the renderer must stay responsive); bigger ones are skipped and counted.
 */
import { onBeforeUnmount, shallowRef, watch, type Ref } from 'vue';
import type { MessageSummary } from '@common/model';
import { call, onEvent } from '@renderer/services/api';
import type { ChartSeries } from '@renderer/stores/explorer';
import { parsePath, pointFromText, type PathSegment } from './jsonPath';

export const MAX_POINTS = 10_000;
/** Payloads at most this big are fetched whole and parsed in the renderer. */
export const PARSE_LIMIT = 64 * 1024;
const INITIAL_MESSAGES = 2000;
const INITIAL_FETCHES = 500;
const PAGE = 200;
const LIVE_THROTTLE_MS = 1000;

export interface SeriesData {
  /** Seconds since the epoch (uPlot's time unit). */
  times: number[];
  values: number[];
  lastId: number;
  /** Messages too large to parse here. */
  skippedLarge: number;
  error: string | null;
}

export const seriesKey = (s: ChartSeries): string => `${s.topic}\u0000${s.path}`;

const utf8 = new TextDecoder('utf-8', { fatal: true });

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      out[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** A preview is the whole payload as text when it was not cut and is not a hex rendering of bytes. */
const previewIsPayload = (m: MessageSummary): boolean => !m.previewCut && m.preview.length <= m.size;

async function pointsOf(
  connectionId: string,
  summaries: readonly MessageSummary[],
  segments: readonly PathSegment[],
  fetchBudget: number,
): Promise<{ times: number[]; values: number[]; skippedLarge: number }> {
  let skippedLarge = 0;
  let budget = fetchBudget;
  // Newest messages get the fetch budget first; the list is oldest first.
  const needsFetch = new Set<number>();
  for (let i = summaries.length - 1; i >= 0; i--) {
    const m = summaries[i] as MessageSummary;
    if (previewIsPayload(m)) continue;
    if (m.size > PARSE_LIMIT) skippedLarge++;
    else if (budget-- > 0) needsFetch.add(m.id);
  }
  const fetched = new Map<number, string | null>();
  await mapLimit([...needsFetch], 6, async (id) => {
    try {
      const record = await call('messages.get', { connectionId, id });
      fetched.set(id, utf8.decode(record.payload));
    } catch {
      fetched.set(id, null);
    }
  });
  const times: number[] = [];
  const values: number[] = [];
  for (const m of summaries) {
    const text = previewIsPayload(m) ? m.preview : fetched.get(m.id);
    if (text === undefined || text === null) continue;
    const value = pointFromText(text, segments);
    if (value === null) continue;
    times.push(m.time / 1000);
    values.push(value);
  }
  return { times, values, skippedLarge };
}

export function useChartData(connectionId: Ref<string>, series: Ref<readonly ChartSeries[]>) {
  const data = shallowRef<ReadonlyMap<string, SeriesData>>(new Map());
  let generation = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let refreshing = false;

  function put(key: string, value: SeriesData): void {
    const next = new Map(data.value);
    next.set(key, value);
    data.value = next;
  }

  async function load(s: ChartSeries, current: number): Promise<void> {
    const key = seriesKey(s);
    const segments = parsePath(s.path);
    if (!Array.isArray(segments)) {
      put(key, { times: [], values: [], lastId: 0, skippedLarge: 0, error: segments.error });
      return;
    }
    try {
      const newestFirst: MessageSummary[] = [];
      let before: number | undefined;
      while (newestFirst.length < INITIAL_MESSAGES) {
        const page = await call('messages.history', { connectionId: connectionId.value, topic: s.topic, beforeId: before, limit: PAGE });
        newestFirst.push(...page);
        if (page.length < PAGE) break;
        before = page.at(-1)?.id;
      }
      const oldestFirst = newestFirst.reverse();
      const points = await pointsOf(connectionId.value, oldestFirst, segments, INITIAL_FETCHES);
      if (current !== generation) return;
      put(key, { ...points, lastId: oldestFirst.at(-1)?.id ?? 0, error: null });
    } catch (error) {
      if (current === generation) put(key, { times: [], values: [], lastId: 0, skippedLarge: 0, error: error instanceof Error ? error.message : String(error) });
    }
  }

  async function reload(): Promise<void> {
    const current = ++generation;
    data.value = new Map();
    await Promise.all(series.value.map((s) => load(s, current)));
  }

  /** Appends what arrived since the last look, for every series. */
  async function refresh(): Promise<void> {
    if (refreshing) return;
    refreshing = true;
    const current = generation;
    try {
      for (const s of series.value) {
        const key = seriesKey(s);
        const known = data.value.get(key);
        const segments = parsePath(s.path);
        if (!known || known.error || !Array.isArray(segments)) continue;
        const page = await call('messages.history', { connectionId: connectionId.value, topic: s.topic, limit: PAGE });
        const fresh = page.filter((m) => m.id > known.lastId).reverse();
        if (fresh.length === 0) continue;
        const points = await pointsOf(connectionId.value, fresh, segments, PAGE);
        if (current !== generation) return;
        const latest = data.value.get(key) ?? known;
        const times = latest.times.concat(points.times);
        const values = latest.values.concat(points.values);
        const drop = Math.max(0, times.length - MAX_POINTS);
        put(key, {
          times: drop ? times.slice(drop) : times,
          values: drop ? values.slice(drop) : values,
          lastId: fresh.at(-1)?.id ?? latest.lastId,
          skippedLarge: latest.skippedLarge + points.skippedLarge,
          error: null,
        });
      }
    } catch {
      // A failed refresh is retried on the next change; the chart keeps its points.
    } finally {
      refreshing = false;
    }
  }

  const stop = onEvent('tree.delta', ({ delta }) => {
    if (delta.connectionId !== connectionId.value || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      void refresh();
    }, LIVE_THROTTLE_MS);
  });

  watch(
    () => [connectionId.value, series.value.map(seriesKey).join('\u0001')] as const,
    () => void reload(),
    { immediate: true },
  );

  onBeforeUnmount(() => {
    stop();
    clearTimeout(timer);
    generation++;
  });

  return { data, reload, refresh };
}
