import { describe, expect, test } from 'vitest';
import { HeaderMap } from '../../../../src/harness/host/header-map.ts';

describe('HeaderMap', () => {
  test('lower-cases names given to the constructor and keeps the order', () => {
    const map = new HeaderMap([[':Path', '/a'], ['X-Request-ID', 'r1'], ['Accept', '*/*']]);
    expect(map.pairs()).toEqual([[':path', '/a'], ['x-request-id', 'r1'], ['accept', '*/*']]);
    expect(map.size).toBe(3);
  });

  test('gets the first value of a name in any case', () => {
    const map = new HeaderMap([['x-a', '1'], ['x-a', '2']]);
    expect(map.get('X-A')).toBe('1');
  });

  test('returns undefined for an absent name and has() tells present from absent', () => {
    const map = new HeaderMap([['x-empty', '']]);
    expect(map.get('x-missing')).toBeUndefined();
    expect(map.has('x-missing')).toBe(false);
    expect(map.has('X-Empty')).toBe(true);
  });

  test('add appends a lower-cased pair and keeps existing values', () => {
    const map = new HeaderMap([['x-a', '1'], ['y', 'y']]);
    map.add('X-A', '2');
    expect(map.pairs()).toEqual([['x-a', '1'], ['y', 'y'], ['x-a', '2']]);
  });

  test('replace sets the first occurrence in place and drops the rest', () => {
    const map = new HeaderMap([['x-a', '1'], ['y', 'y'], ['x-a', '2'], ['z', 'z'], ['X-A', '3']]);
    map.replace('X-a', 'new');
    expect(map.pairs()).toEqual([['x-a', 'new'], ['y', 'y'], ['z', 'z']]);
  });

  test('replace appends a name that is absent', () => {
    const map = new HeaderMap([['y', 'y']]);
    map.replace('X-New', 'v');
    expect(map.pairs()).toEqual([['y', 'y'], ['x-new', 'v']]);
  });

  test('remove drops every value of a name and ignores an absent one', () => {
    const map = new HeaderMap([['x-a', '1'], ['y', 'y'], ['x-a', '2']]);
    map.remove('X-A');
    map.remove('x-missing');
    expect(map.pairs()).toEqual([['y', 'y']]);
  });

  test('setAll replaces the whole map, lower-casing names', () => {
    const map = new HeaderMap([['old', '1']]);
    map.setAll([['New', 'a'], ['new', 'b']]);
    expect(map.pairs()).toEqual([['new', 'a'], ['new', 'b']]);
  });

  test('pairs returns a copy that does not change the map', () => {
    const map = new HeaderMap([['x-a', '1']]);
    const pairs = map.pairs();
    pairs.push(['y', 'y']);
    const [first] = pairs;
    if (first) first[1] = 'changed';
    expect(map.pairs()).toEqual([['x-a', '1']]);
  });
});
