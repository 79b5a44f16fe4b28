/** Store queries and tree searches timed on the data the engine run just recorded. */
import type { Recorder } from '../../electron/core/data';
import { searchTree } from '../../electron/core/tree';
import { median, percentile, round, timeEach } from './stats';
import { HOT_TOPIC } from './topics';

export interface Timing {
  median: number;
  p95: number;
  runs: number;
}

export interface QueryFigures {
  treeNodes: number;
  topics: number;
  hotTopicMessages: number;
  latest100: Timing;
  deepPage: Timing;
  subtreeRange: Timing & { topics: number; rows: number };
  searchSubstring: Timing & { matches: number };
  searchWildcard: Timing & { matches: number };
  searchPayload: Timing & { matches: number };
}

const timing = (ms: number[]): Timing => ({ median: round(median(ms), 3), p95: round(percentile(ms, 95), 3), runs: ms.length });

/** A deterministic pseudo-random sequence, so runs pick the same topics and pages. */
function picker(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % n;
  };
}

export function runQueries(recorder: Recorder): QueryFigures {
  const { store, tree } = recorder;
  const pick = picker(7);
  const topicIds = [...store.topics()].map(([, id]) => id);
  const hotId = store.knownTopicId(HOT_TOPIC) ?? 0;

  const latest100 = timeEach(300, () => store.history(topicIds[pick(topicIds.length)] as number, undefined, 100));

  const hotIds = (store.db.prepare('SELECT id FROM messages WHERE topic_id = ? ORDER BY id').pluck().all(hotId) as number[]) ?? [];
  const deepPage = timeEach(300, () => {
    // A page somewhere in the older half of the hot topic's history.
    const position = 100 + pick(Math.max(1, Math.floor(hotIds.length / 2)));
    store.history(hotId, hotIds[position], 100);
  });

  const times = store.db.prepare('SELECT min(time) AS first, max(time) AS last FROM messages').get() as { first: number; last: number };
  const span = times.last - times.first;
  const from = times.first + Math.floor(span / 4);
  const to = times.first + Math.floor((span * 3) / 4);
  let subtreeTopics = 0;
  let subtreeRows = 0;
  const subtreeRange = timeEach(50, (i) => {
    const ids = store.selectTopics(`bench/area${i % 20}`, true) ?? [];
    subtreeTopics = ids.length;
    subtreeRows = store.page(ids, from, to, 100).length;
  });

  const count = (query: Parameters<typeof searchTree>[1]): { ms: number[]; matches: number } => {
    let matches = 0;
    const ms = timeEach(30, () => {
      matches = searchTree(tree, query).matches.length;
    });
    return { ms, matches };
  };
  const substring = count({ query: 'DEV123', mode: 'substring', scope: 'topic', caseSensitive: false, limit: 5000 });
  const wildcard = count({ query: 'bench/+/line7/#', mode: 'wildcard', scope: 'topic', caseSensitive: false, limit: 5000 });
  const payload = count({ query: '"value":12.5', mode: 'substring', scope: 'payload', caseSensitive: false, limit: 5000 });

  return {
    treeNodes: tree.size,
    topics: tree.root.subtreeTopics,
    hotTopicMessages: hotIds.length,
    latest100: timing(latest100),
    deepPage: timing(deepPage),
    subtreeRange: { ...timing(subtreeRange), topics: subtreeTopics, rows: subtreeRows },
    searchSubstring: { ...timing(substring.ms), matches: substring.matches },
    searchWildcard: { ...timing(wildcard.ms), matches: wildcard.matches },
    searchPayload: { ...timing(payload.ms), matches: payload.matches },
  };
}
