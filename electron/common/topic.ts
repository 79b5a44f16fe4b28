/** Topic names and filters by the rules of MQTT 5 §4.7 (same for 3.1.1). */

const encoder = new TextEncoder();

export const MAX_TOPIC_BYTES = 65535;

export function utf8Length(text: string): number {
  return encoder.encode(text).length;
}

/** A sentence explaining why `text` cannot be an MQTT string, or undefined when it can. */
function stringProblem(text: string, what: string): string | undefined {
  if (text.includes('\u0000')) return `The ${what} contains a null character (U+0000), which MQTT forbids.`;
  // [MQTT-1.5.4-1] no lone surrogates: they cannot be encoded as UTF-8.
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text)) {
    return `The ${what} contains an unpaired surrogate character, which is not valid UTF-8.`;
  }
  const bytes = utf8Length(text);
  if (bytes > MAX_TOPIC_BYTES) return `The ${what} is ${bytes} bytes long; MQTT allows at most 65,535 bytes.`;
  return undefined;
}

/** Validates a topic name (publish, will, response topic). */
export function topicNameProblem(topic: string, options: { allowEmpty?: boolean } = {}): string | undefined {
  if (topic.length === 0) {
    return options.allowEmpty ? undefined : 'The topic is empty. Enter a topic, or set a topic alias (MQTT 5) to publish without one.';
  }
  if (topic.includes('+') || topic.includes('#')) {
    return 'A topic name cannot contain the wildcards + or #; they are only for subscriptions.';
  }
  return stringProblem(topic, 'topic');
}

/** Validates a subscription filter, including `$share/{name}/{filter}`. */
export function topicFilterProblem(filter: string): string | undefined {
  if (filter.length === 0) return 'The filter is empty. Use # to subscribe to every topic.';
  const basic = stringProblem(filter, 'filter');
  if (basic) return basic;
  let levels = filter.split('/');
  if (levels[0] === '$share') {
    const name = levels[1];
    if (name === undefined || name.length === 0 || levels.length < 3) {
      return 'A shared subscription needs the form $share/{name}/{filter}, with a non-empty name.';
    }
    if (/[+#]/.test(name)) return 'The share name of a $share subscription cannot contain + or #.';
    levels = levels.slice(2);
  }
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i] ?? '';
    if (level.includes('#') && (level !== '#' || i !== levels.length - 1)) {
      return 'The # wildcard must be the whole last level of the filter, as in sensors/#.';
    }
    if (level.includes('+') && level !== '+') {
      return 'The + wildcard must fill a whole level, as in sensors/+/temperature.';
    }
  }
  return undefined;
}

/** True when `topic` matches `filter` (no `$share` prefix). */
export function topicMatches(filter: string, topic: string): boolean {
  // [MQTT-4.7.2-1] a filter starting with a wildcard never matches a topic starting with $.
  if (topic.startsWith('$') && (filter.startsWith('+') || filter.startsWith('#'))) return false;
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    const level = f[i];
    if (level === '#') return true; // also matches the parent: a/# matches a
    if (i >= t.length) return false;
    if (level !== '+' && level !== t[i]) return false;
  }
  return f.length === t.length;
}

/** Strips `$share/{name}/` so the rest can be matched against topics. */
export function unshared(filter: string): string {
  if (!filter.startsWith('$share/')) return filter;
  const rest = filter.slice('$share/'.length);
  const slash = rest.indexOf('/');
  return slash < 0 ? '' : rest.slice(slash + 1);
}
