import { describe, expect, it } from 'vitest';
import { expandTemplate, hasPlaceholders, templateContext, templateProblem, type TemplateContext } from '../../electron/common/payload';

const fixed = (counter: number, random = 0.5): TemplateContext => ({
  counter,
  now: 1_700_000_000_123,
  uuid: () => '11111111-2222-4333-8444-555555555555',
  random: () => random,
});
const expand = (text: string, ctx = fixed(7)): string => {
  const result = expandTemplate(text, ctx);
  if (!result.ok) throw new Error(result.problem);
  return result.text;
};

describe('placeholders', () => {
  it('expands counter, timestamp and uuid', () => {
    expect(expand('dev/{{counter}}/t')).toBe('dev/7/t');
    expect(expand('{"t": {{timestamp}}, "id": "{{ uuid }}"}')).toBe('{"t": 1700000000123, "id": "11111111-2222-4333-8444-555555555555"}');
  });

  it('draws random integers within the range, both ends included', () => {
    expect(expand('{{random(1,6)}}', fixed(1, 0))).toBe('1');
    expect(expand('{{random(1,6)}}', fixed(1, 0.999999))).toBe('6');
    expect(expand('{{random(-5, 5)}}', fixed(1, 0.5))).toBe('0');
  });

  it('keeps the decimals of the range when it has them', () => {
    expect(expand('{{random(20.0,25.50)}}', fixed(1, 0.5))).toBe('22.75');
  });

  it('uses fresh values per expansion with the real context', () => {
    const a = expandTemplate('{{uuid}}', templateContext(1));
    const b = expandTemplate('{{uuid}}', templateContext(2));
    expect(a.ok && b.ok && a.text !== b.text).toBe(true);
    expect(a.ok && /^[0-9a-f-]{36}$/.test(a.text)).toBe(true);
  });

  it('leaves text without placeholders unchanged', () => {
    expect(hasPlaceholders('{"a":{"b":1}}')).toBe(false);
    expect(hasPlaceholders('x{{counter}}')).toBe(true);
    expect(expand('{"a":{"b":1}}')).toBe('{"a":{"b":1}}');
  });

  it('refuses unknown placeholders and bad ranges with a sentence', () => {
    expect(templateProblem('{{count}}')).toMatch(/\{\{count\}\} is not a placeholder Topograph knows; use \{\{counter\}\}/);
    expect(templateProblem('{{random(5,1)}}')).toMatch(/minimum above its maximum/);
    expect(templateProblem('{{random(a,b)}}')).toMatch(/needs two numbers/);
    expect(templateProblem('{{random}}')).toMatch(/needs a range/);
    expect(expandTemplate('{{nope}}', fixed(1)).ok).toBe(false);
  });
});
