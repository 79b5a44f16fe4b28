/**
 * The benchmark's topic space, the same in the publisher and the engine: `T` topics 4 to 6 levels
 * deep under `bench/`, grouped in areas and lines so subtrees have a realistic fan-out, plus one
 * hot topic (every tenth message) so one history is deep enough to page through.
 */
export const HOT_TOPIC = 'bench/hot/line/counter';

export function benchTopic(index: number): string {
  if (index === 0) return HOT_TOPIC;
  const area = `area${index % 20}`;
  const line = `line${Math.floor(index / 20) % 50}`;
  const device = `dev${index}`;
  switch (index % 3) {
    case 0:
      return `bench/${area}/${line}/${device}`;
    case 1:
      return `bench/${area}/${line}/${device}/temperature`;
    default:
      return `bench/${area}/${line}/${device}/sensor/value`;
  }
}

/** The topic index of message `seq` among `topics` topics. */
export function topicIndexOf(seq: number, topics: number): number {
  return seq % 10 === 0 || topics <= 1 ? 0 : 1 + (seq % (topics - 1));
}
