import { describe, expect, it } from 'vitest';
import { topicFilterProblem, topicMatches, topicNameProblem, unshared, utf8Length } from '../../electron/common/topic';

describe('topic names', () => {
  it('refuses wildcards in a name', () => {
    expect(topicNameProblem('a/+/b')).toMatch(/wildcards/);
    expect(topicNameProblem('a/#')).toMatch(/wildcards/);
    expect(topicNameProblem('a/b')).toBeUndefined();
  });

  it('allows an empty name only when asked (topic alias)', () => {
    expect(topicNameProblem('')).toMatch(/empty/);
    expect(topicNameProblem('', { allowEmpty: true })).toBeUndefined();
  });

  it('counts bytes, not characters, against the 65,535 byte limit', () => {
    const name = 'é'.repeat(40_000); // 80,000 bytes, 40,000 characters
    expect(utf8Length(name)).toBe(80_000);
    expect(topicNameProblem(name)).toMatch(/80000 bytes/);
  });

  it('refuses U+0000 and lone surrogates', () => {
    expect(topicNameProblem('a\u0000b')).toMatch(/null/);
    expect(topicNameProblem('a\uD800b')).toMatch(/surrogate/);
    expect(topicNameProblem('emoji/😀')).toBeUndefined();
  });
});

describe('topic filters', () => {
  it.each(['#', 'a/#', '+', 'a/+/c', '+/+', 'a//b', '/', '$share/g/a/#', '$SYS/#'])('accepts %s', (filter) => {
    expect(topicFilterProblem(filter)).toBeUndefined();
  });

  it.each(['a/#/b', 'a#', 'a/b#', 'a+/b', '', '$share//a', '$share/g', '$share/g+/a'])('refuses %s', (filter) => {
    expect(topicFilterProblem(filter)).toBeTypeOf('string');
  });
});

describe('matching', () => {
  it('a/# matches a and everything below', () => {
    expect(topicMatches('a/#', 'a')).toBe(true);
    expect(topicMatches('a/#', 'a/b/c')).toBe(true);
    expect(topicMatches('a/#', 'b')).toBe(false);
  });

  it('+ fills exactly one level, possibly empty', () => {
    expect(topicMatches('a/+', 'a/')).toBe(true);
    expect(topicMatches('a/+', 'a')).toBe(false);
    expect(topicMatches('a/+/c', 'a/b/c')).toBe(true);
    expect(topicMatches('a/+/c', 'a/b/d')).toBe(false);
  });

  it('wildcards at the start never match $ topics [MQTT-4.7.2-1]', () => {
    expect(topicMatches('#', '$SYS/broker/uptime')).toBe(false);
    expect(topicMatches('+/broker/uptime', '$SYS/broker/uptime')).toBe(false);
    expect(topicMatches('$SYS/#', '$SYS/broker/uptime')).toBe(true);
  });

  it('strips the $share prefix', () => {
    expect(unshared('$share/group/a/+')).toBe('a/+');
    expect(unshared('a/b')).toBe('a/b');
  });
});
