import { describe, expect, it } from 'vitest';
import { ApiFailure } from '../../../electron/common/result';
import { topicMatches } from '../../../electron/common/topic';
import { searchTree, TopicTree, type SearchQuery } from '../../../electron/core/tree';
import { randomTopic, seeded } from './random';

const utf8 = (value: string): Uint8Array => new TextEncoder().encode(value);

function treeOf(entries: Record<string, string>): TopicTree {
  const tree = new TopicTree('c');
  let id = 1;
  for (const [topic, payload] of Object.entries(entries)) tree.record(topic, id++, id, utf8(payload), 0, false);
  return tree;
}

const query = (q: Partial<SearchQuery> & { query: string }): SearchQuery => ({ mode: 'substring', scope: 'topic', caseSensitive: false, limit: 1000, ...q });

const matchedTopics = (tree: TopicTree, q: SearchQuery): string[] =>
  searchTree(tree, q)
    .matches.map((id) => tree.node(id)?.topic ?? '?')
    .sort();

describe('searchTree', () => {
  const tree = treeOf({
    'home/Kitchen/temperature': '21.5',
    'home/garage/door': '{"state":"open"}',
    'factory/line1/temperature': '80',
    '$SYS/broker/uptime': '42 seconds',
  });

  it('finds a substring in topics, ignoring case by default', () => {
    expect(matchedTopics(tree, query({ query: 'kitchen' }))).toEqual(['home/Kitchen', 'home/Kitchen/temperature']);
    expect(matchedTopics(tree, query({ query: 'kitchen', caseSensitive: true }))).toEqual([]);
  });

  it('returns matches with their ancestors, ancestors first', () => {
    const result = searchTree(tree, query({ query: 'door' }));
    expect(result.nodes.map((n) => n.topic)).toEqual(['home', 'home/garage', 'home/garage/door']);
    expect(result.matches).toEqual([result.nodes[2]?.id]);
    expect(result.truncated).toBe(false);
  });

  it('searches payload previews, or both', () => {
    expect(matchedTopics(tree, query({ query: 'OPEN', scope: 'payload' }))).toEqual(['home/garage/door']);
    expect(matchedTopics(tree, query({ query: 'o', scope: 'payload' }))).toEqual(['$SYS/broker/uptime', 'home/garage/door']);
    expect(matchedTopics(tree, query({ query: 'uptime|open', mode: 'regex', scope: 'both' }))).toEqual([
      '$SYS/broker/uptime',
      'home/garage/door',
    ]);
  });

  it('filters with an MQTT wildcard filter', () => {
    expect(matchedTopics(tree, query({ query: '+/+/temperature', mode: 'wildcard' }))).toEqual([
      'factory/line1/temperature',
      'home/Kitchen/temperature',
    ]);
    expect(matchedTopics(tree, query({ query: 'home/#', mode: 'wildcard' }))).toEqual([
      'home',
      'home/Kitchen',
      'home/Kitchen/temperature',
      'home/garage',
      'home/garage/door',
    ]);
    // [MQTT-4.7.2-1] a leading wildcard does not reach $SYS.
    expect(matchedTopics(tree, query({ query: '#', mode: 'wildcard' }))).not.toContain('$SYS');
    expect(matchedTopics(tree, query({ query: '$SYS/#', mode: 'wildcard' }))).toContain('$SYS/broker/uptime');
  });

  it('matches exactly the topics topicMatches accepts, for random trees and filters', () => {
    const random = seeded(99);
    const randomTree = new TopicTree('c');
    for (let i = 0; i < 2000; i++) randomTree.record(randomTopic(random), i + 1, i, utf8('x'), 0, false);
    const filters = ['#', '+', 'a/#', '+/b', 'a/+/c', '+/+/+', '$SYS/#', '$SYS/+', '/+', '+/#', 'sensors/+/#', 'a//b', 'ü/+/a'];
    for (let i = 0; i < 30; i++) {
      filters.push(
        randomTopic(random, 4)
          .split('/')
          .map((level) => (random() < 0.3 ? '+' : level))
          .join('/') + (random() < 0.3 ? '/#' : ''),
      );
    }
    for (const filter of filters) {
      const expected = [...randomTree.nodes()]
        .filter((n) => n !== randomTree.root && topicMatches(filter, n.topic))
        .map((n) => n.topic)
        .sort();
      expect(matchedTopics(randomTree, query({ query: filter, mode: 'wildcard', limit: 100_000 })), filter).toEqual(expected);
    }
  });

  it('finds exactly the topics a per-topic test finds, for substrings and regular expressions', () => {
    const random = seeded(5);
    const randomTree = new TopicTree('c');
    for (let i = 0; i < 3000; i++) randomTree.record(randomTopic(random, 6), i + 1, i, utf8('x'), 0, false);
    // Added after the first search: the index must catch up.
    searchTree(randomTree, query({ query: 'a' }));
    for (let i = 0; i < 500; i++) randomTree.record(`late/${randomTopic(random, 3)}`, 5000 + i, i, utf8('x'), 0, false);
    const cases: SearchQuery[] = [
      query({ query: 'A' }),
      query({ query: 'a', caseSensitive: true }),
      query({ query: 'b/c' }),
      query({ query: 'X Y/' }),
      query({ query: '' }),
      query({ query: 'Ü' }),
      query({ query: '^a/', mode: 'regex' }),
      query({ query: 'sensors$', mode: 'regex' }),
      query({ query: '^late/[abc]$', mode: 'regex' }),
      query({ query: 'c\\/?$', mode: 'regex', caseSensitive: true }),
      query({ query: '^$', mode: 'regex' }),
    ];
    for (const q of cases) {
      const pattern =
        q.mode === 'regex' ? new RegExp(q.query, q.caseSensitive ? '' : 'i') : new RegExp(q.query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), q.caseSensitive ? '' : 'i');
      const expected = [...randomTree.nodes()]
        .filter((n) => n !== randomTree.root && pattern.test(n.topic))
        .map((n) => n.topic)
        .sort();
      expect(matchedTopics(randomTree, { ...q, limit: 100_000 }), `${q.mode} ${q.query}`).toEqual(expected);
    }
  });

  it('stops at the limit and says the result is truncated', () => {
    const result = searchTree(tree, query({ query: 'e', limit: 2 }));
    expect(result.matches).toHaveLength(2);
    expect(result.truncated).toBe(true);
  });

  it('refuses an invalid regular expression or filter with a sentence', () => {
    const refused = (q: SearchQuery): ApiFailure => {
      try {
        searchTree(tree, q);
      } catch (error) {
        if (error instanceof ApiFailure) return error;
        throw error;
      }
      throw new Error('the search was not refused');
    };
    const regex = refused(query({ query: 'temp(', mode: 'regex' }));
    expect(regex.code).toBe('invalid-argument');
    expect(regex.message).toMatch(/regular expression is not valid/);
    expect(refused(query({ query: 'a/#/b', mode: 'wildcard' })).message).toMatch(/# wildcard/);
    expect(refused(query({ query: 'a/#', mode: 'wildcard', scope: 'payload' })).code).toBe('invalid-argument');
  });
});
