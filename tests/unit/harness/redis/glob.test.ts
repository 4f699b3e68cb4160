import { describe, expect, test } from 'vitest';
import { globMatch } from '../../../../src/harness/redis/glob.ts';

describe('globMatch', () => {
  test.each([
    ['*', 'anything', true],
    ['h?llo', 'hello', true],
    ['h?llo', 'hllo', false],
    ['h*llo', 'hllo', true],
    ['h*llo', 'heeeello', true],
    ['h[ae]llo', 'hallo', true],
    ['h[ae]llo', 'hillo', false],
    ['h[^e]llo', 'hallo', true],
    ['h[^e]llo', 'hello', false],
    ['h[a-b]llo', 'hbllo', true],
    ['h[b-a]llo', 'hbllo', true],
    ['h\\*llo', 'h*llo', true],
    ['h\\*llo', 'hello', false],
    ['h[\\]]llo', 'h]llo', true],
    ['user:*:count', 'user:42:count', true],
    ['rate:*', 'rate', false],
    ['a*', 'a', true],
    ['a**', 'a', true],
  ])('matches %s against %s: %s', (pattern, text, expected) => {
    expect(globMatch(pattern, text)).toBe(expected);
  });

  test('treats an unclosed class as running to the end of the pattern', () => {
    expect(globMatch('h[a', 'ha')).toBe(true);
    expect(globMatch('h[a', 'hb')).toBe(false);
  });

  test('does not match the empty key with a lone star, as stringmatchlen does not', () => {
    // KEYS * still lists it: Redis short-cuts a lone star before calling the matcher.
    expect(globMatch('*', '')).toBe(false);
  });

  test('gives up quickly on a pattern built to backtrack', () => {
    expect(globMatch('a*'.repeat(30) + 'b', 'a'.repeat(60))).toBe(false);
  });
});
