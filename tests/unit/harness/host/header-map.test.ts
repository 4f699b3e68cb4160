import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { encodePairs, type Pairs } from '../../../../src/harness/abi/pair-map.ts';
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

  test('pairsWithout copies the other pairs, in order', () => {
    const map = new HeaderMap([[':status', '200'], ['X-A', '1'], [':status', '201'], ['b', '2']]);
    const pairs = map.pairsWithout(':status');
    expect(pairs).toEqual([['x-a', '1'], ['b', '2']]);
    pairs[0]![1] = 'changed';
    expect(map.pairs()).toEqual([[':status', '200'], ['x-a', '1'], [':status', '201'], ['b', '2']]);
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

/** One mutation of a map, as a plugin's host calls make them. */
type Mutation =
  | { op: 'add'; name: string; value: string }
  | { op: 'replace'; name: string; value: string }
  | { op: 'remove'; name: string }
  | { op: 'setAll'; pairs: Pairs };

const names = fc.constantFrom('x-a', 'X-A', 'y', ':path', 'Content-Type', 'x-名', 'É');
const values = fc.string({ maxLength: 6 });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('add' as const), name: names, value: values }),
  fc.record({ op: fc.constant('replace' as const), name: names, value: values }),
  fc.record({ op: fc.constant('remove' as const), name: names }),
  fc.record({ op: fc.constant('setAll' as const), pairs: fc.array(fc.tuple(names, values), { maxLength: 4 }) }),
);

function apply(map: HeaderMap, m: Mutation): void {
  if (m.op === 'add') map.add(m.name, m.value);
  else if (m.op === 'replace') map.replace(m.name, m.value);
  else if (m.op === 'remove') map.remove(m.name);
  else map.setAll(m.pairs);
}

describe('HeaderMap.encoded', () => {
  test('is the pair encoding of the pairs, made once while the map does not change', () => {
    const map = new HeaderMap([[':method', 'GET'], ['X-A', '1']]);
    const first = map.encoded();
    expect(first).toEqual(encodePairs([[':method', 'GET'], ['x-a', '1']]));
    expect(map.encoded()).toBe(first);
    map.get('x-a');
    map.pairs();
    expect(map.encoded()).toBe(first);
  });

  test.each([
    ['add', (m: HeaderMap) => m.add('x-b', '2')],
    ['replace', (m: HeaderMap) => m.replace('x-a', '2')],
    ['remove', (m: HeaderMap) => m.remove('x-a')],
    ['remove of an absent name', (m: HeaderMap) => m.remove('x-absent')],
    ['setAll', (m: HeaderMap) => m.setAll([['x-a', '1']])],
  ])('is made again after %s', (_name, change) => {
    const map = new HeaderMap([['x-a', '1']]);
    const before = map.encoded();
    change(map);
    expect(map.encoded()).not.toBe(before);
    expect(map.encoded()).toEqual(encodePairs(map.pairs()));
  });

  test('always equals the encoding of the current pairs, whatever mutations came between reads', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(names, values), { maxLength: 4 }), fc.array(fc.tuple(mutation, fc.boolean()), { maxLength: 12 }), (initial, steps) => {
        const map = new HeaderMap(initial);
        // A reference kept the plain way: lower-cased copies, edited with the array methods the map used to use.
        let reference: Pairs = initial.map(([k, v]) => [k.toLowerCase(), v]);
        for (const [m, isRead] of steps) {
          if (isRead) expect(map.encoded()).toEqual(encodePairs(reference));
          apply(map, m);
          if (m.op === 'add') reference.push([m.name.toLowerCase(), m.value]);
          else if (m.op === 'remove') reference = reference.filter(([k]) => k !== m.name.toLowerCase());
          else if (m.op === 'setAll') reference = m.pairs.map(([k, v]) => [k.toLowerCase(), v]);
          else {
            const key = m.name.toLowerCase();
            const at = reference.findIndex(([k]) => k === key);
            if (at === -1) reference.push([key, m.value]);
            else {
              reference[at] = [key, m.value];
              reference = reference.filter(([k], i) => k !== key || i === at);
            }
          }
          expect(map.pairs()).toEqual(reference);
          expect(map.get(m.op === 'setAll' ? 'x-a' : m.name)).toBe(reference.find(([k]) => k === (m.op === 'setAll' ? 'x-a' : m.name.toLowerCase()))?.[1]);
        }
        expect(map.encoded()).toEqual(encodePairs(reference));
      }),
      { numRuns: 500 },
    );
  });

  test('does not change when the caller changes the pairs it gave or got', () => {
    const given: Pairs = [['x-a', '1']];
    const map = new HeaderMap(given);
    const before = map.encoded().slice();
    given[0]![1] = 'changed';
    given.push(['y', 'y']);
    map.pairs()[0]![1] = 'changed';
    expect(map.encoded()).toEqual(before);
    expect(map.pairs()).toEqual([['x-a', '1']]);
  });
});
