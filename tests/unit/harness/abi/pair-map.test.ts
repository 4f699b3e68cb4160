import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { decodePairs, encodePairs, type Pairs } from '../../../../src/harness/abi/pair-map.ts';
import { bytes } from '../wat-guest.ts';

/** host-abi.md §6.1's worked example: `:method`=`GET`, `x-a`=`1`. */
const WORKED_EXAMPLE = bytes(
  [0x02, 0x00, 0x00, 0x00], // count = 2
  [0x07, 0x00, 0x00, 0x00], // pair 0 key_len   (":method")
  [0x03, 0x00, 0x00, 0x00], // pair 0 value_len ("GET")
  [0x03, 0x00, 0x00, 0x00], // pair 1 key_len   ("x-a")
  [0x01, 0x00, 0x00, 0x00], // pair 1 value_len ("1")
  ':method', [0x00],
  'GET', [0x00],
  'x-a', [0x00],
  '1', [0x00],
);

const utf8Length = (text: string) => new TextEncoder().encode(text).length;

describe('encodePairs', () => {
  test('writes the worked example of host-abi.md §6.1 as 38 bytes', () => {
    const encoded = encodePairs([[':method', 'GET'], ['x-a', '1']]);
    expect(encoded).toEqual(WORKED_EXAMPLE);
    expect(encoded.length).toBe(38);
  });

  test('writes an empty map as a 4-byte zero count', () => {
    expect(encodePairs([])).toEqual(bytes(
      [0x00, 0x00, 0x00, 0x00], // count = 0
    ));
  });

  test('writes UTF-8 byte lengths, not string lengths', () => {
    expect(encodePairs([['x-名', 'é']])).toEqual(bytes(
      [0x01, 0x00, 0x00, 0x00], // count = 1
      [0x05, 0x00, 0x00, 0x00], // key_len: "x-名" is 3 characters, 5 bytes
      [0x02, 0x00, 0x00, 0x00], // value_len: "é" is 1 character, 2 bytes
      'x-名', [0x00],
      'é', [0x00],
    ));
  });

  test('keeps repeated keys and an empty value', () => {
    expect(encodePairs([['set-cookie', 'a=1'], ['set-cookie', '']])).toEqual(bytes(
      [0x02, 0x00, 0x00, 0x00], // count = 2
      [0x0a, 0x00, 0x00, 0x00], // key_len   ("set-cookie")
      [0x03, 0x00, 0x00, 0x00], // value_len ("a=1")
      [0x0a, 0x00, 0x00, 0x00], // key_len   ("set-cookie")
      [0x00, 0x00, 0x00, 0x00], // value_len ("")
      'set-cookie', [0x00],
      'a=1', [0x00],
      'set-cookie', [0x00],
      [0x00], // the empty value's NUL
    ));
  });
});

describe('decodePairs', () => {
  test('reads the worked example of host-abi.md §6.1', () => {
    expect(decodePairs(WORKED_EXAMPLE)).toEqual([[':method', 'GET'], ['x-a', '1']]);
  });

  test('reads a 4-byte zero count as an empty map', () => {
    expect(decodePairs(bytes([0x00, 0x00, 0x00, 0x00]))).toEqual([]);
  });

  test('reads pairs from a view into a larger buffer', () => {
    const backing = new Uint8Array(WORKED_EXAMPLE.length + 6).fill(0xff);
    backing.set(WORKED_EXAMPLE, 3);
    expect(decodePairs(backing.subarray(3, 3 + WORKED_EXAMPLE.length))).toEqual([[':method', 'GET'], ['x-a', '1']]);
  });

  test('reads UTF-8 keys and values by their byte lengths', () => {
    const encoded = bytes(
      [0x01, 0x00, 0x00, 0x00], // count = 1
      [0x05, 0x00, 0x00, 0x00], // key_len ("x-名")
      [0x02, 0x00, 0x00, 0x00], // value_len ("é")
      'x-名', [0x00],
      'é', [0x00],
    );
    expect(decodePairs(encoded)).toEqual([['x-名', 'é']]);
  });

  // Each malformed input decodes as an empty list, as cpp-host's PairsUtil::toPairs does.
  test.each<[string, Uint8Array]>([
    ['no bytes', bytes()],
    ['a single 0x00', bytes([0x00])],
    ['a count cut short', bytes([0x01, 0x00, 0x00])],
    ['a count larger than the size table', bytes(
      [0x02, 0x00, 0x00, 0x00], // count = 2, but only one size entry follows
      [0x01, 0x00, 0x00, 0x00],
      [0x01, 0x00, 0x00, 0x00],
      'a', [0x00], 'b', [0x00],
    )],
    ['a key length past the end', bytes(
      [0x01, 0x00, 0x00, 0x00],
      [0x09, 0x00, 0x00, 0x00], // key_len 9, only 1 byte of key data
      [0x01, 0x00, 0x00, 0x00],
      'a', [0x00], 'b', [0x00],
    )],
    ['a key without its NUL', bytes(
      [0x01, 0x00, 0x00, 0x00],
      [0x01, 0x00, 0x00, 0x00],
      [0x01, 0x00, 0x00, 0x00],
      'a', [0x2d], 'b', [0x00], // 0x2d where the key's NUL belongs
    )],
    ['a value without its NUL', bytes(
      [0x01, 0x00, 0x00, 0x00],
      [0x01, 0x00, 0x00, 0x00],
      [0x01, 0x00, 0x00, 0x00],
      'a', [0x00], 'b', [0x2d], // 0x2d where the value's NUL belongs
    )],
    ['bytes left over after the last pair', bytes(
      [0x01, 0x00, 0x00, 0x00],
      [0x01, 0x00, 0x00, 0x00],
      [0x01, 0x00, 0x00, 0x00],
      'a', [0x00], 'b', [0x00],
      [0x00], // one byte too many
    )],
  ])('decodes %s as an empty list', (_situation, input) => {
    expect(decodePairs(input)).toEqual([]);
  });

  test('accepts 1024 pairs and decodes 1025 as an empty list', () => {
    const pairs = (n: number): Pairs => Array.from({ length: n }, (_, i) => [`k${i}`, 'v']);
    expect(decodePairs(encodePairs(pairs(1024)))).toHaveLength(1024);
    expect(decodePairs(encodePairs(pairs(1025)))).toEqual([]);
  });

  test('decodes a map over 1 MiB as an empty list', () => {
    const justUnder = 1024 * 1024 - 4 - 8 - 1 - 2; // one pair with key "k" totals exactly 1 MiB
    expect(decodePairs(encodePairs([['k', 'v'.repeat(justUnder)]]))).toHaveLength(1);
    expect(decodePairs(encodePairs([['k', 'v'.repeat(justUnder + 1)]]))).toEqual([]);
  });

  test('returns what encodePairs was given, for any list of pairs', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 12 });
    fc.assert(
      fc.property(fc.array(fc.tuple(text, text), { maxLength: 20 }), (pairs) => {
        const encoded = encodePairs(pairs);
        const expectedSize = 4 + pairs.reduce((n, [k, v]) => n + 8 + utf8Length(k) + utf8Length(v) + 2, 0);
        expect(encoded.length).toBe(expectedSize);
        expect(decodePairs(encoded)).toEqual(pairs);
      }),
    );
  });
});
