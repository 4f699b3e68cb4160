import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { fromUtf8 } from '../../../../src/harness/abi/memory.ts';
import { decodePropertyPath, encodeScalar, propertyKey } from '../../../../src/harness/abi/property.ts';
import { bytes } from '../wat-guest.ts';

describe('decodePropertyPath', () => {
  test('splits a Go SDK path, which has no trailing NUL', () => {
    const path = bytes('source', [0x00], 'address');
    expect(path.length).toBe(14);
    expect(decodePropertyPath(path)).toEqual(['source', 'address']);
  });

  test('ignores the trailing NUL a Rust SDK path ends with', () => {
    expect(decodePropertyPath(bytes('source', [0x00], 'address', [0x00]))).toEqual(['source', 'address']);
  });

  test('reads a single segment with or without a trailing NUL', () => {
    expect(decodePropertyPath(bytes('plugin_name'))).toEqual(['plugin_name']);
    expect(decodePropertyPath(bytes('plugin_name', [0x00]))).toEqual(['plugin_name']);
  });

  test('decodes UTF-8 segments', () => {
    expect(decodePropertyPath(bytes('metadata', [0x00], '名'))).toEqual(['metadata', '名']);
  });
});

describe('encodeScalar', () => {
  test('writes a string as its raw UTF-8 bytes with no NUL', () => {
    expect(encodeScalar('GÉT')).toEqual(bytes(
      [0x47],       // G
      [0xc3, 0x89], // É
      [0x54],       // T
    ));
    expect(encodeScalar('')).toEqual(bytes());
  });

  test('writes an integer as an int64 in 8 little-endian bytes, negative numbers in two\'s complement', () => {
    expect(encodeScalar(258)).toEqual(bytes(
      [0x02, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00], // 0x0102, low byte first
    ));
    expect(encodeScalar(-2)).toEqual(bytes(
      [0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
    ));
  });

  test('writes a bigint as an int64, as request.time carries Unix nanoseconds', () => {
    expect(encodeScalar(1_700_000_000_000_000_001n)).toEqual(bytes(
      [0x01, 0x00, 0x2a, 0x36, 0xfe, 0x9c, 0x97, 0x17], // 0x17979cfe362a0001
    ));
    expect(encodeScalar(-2n)).toEqual(encodeScalar(-2));
  });

  test('writes a number with a fraction as a float64 in 8 little-endian bytes', () => {
    expect(encodeScalar(1.5)).toEqual(bytes(
      [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf8, 0x3f], // 0x3ff8000000000000
    ));
  });

  test('writes a bool as one byte', () => {
    expect(encodeScalar(true)).toEqual(bytes([0x01]));
    expect(encodeScalar(false)).toEqual(bytes([0x00]));
  });
});

describe('propertyKey, kept', () => {
  test('gives the same key for the same text, and never mixes up texts', () => {
    expect(propertyKey('request\0path')).toBe('request.path');
    expect(propertyKey('request\0path\0')).toBe('request.path');
    for (let i = 0; i < 2000; i++) expect(propertyKey(`p${i}\0x`)).toBe(`p${i}.x`);
    expect(propertyKey('request\0path')).toBe('request.path');
    const long = 'a'.repeat(300);
    expect(propertyKey(`${long}\0b`)).toBe(`${long}.b`);
  });
});

describe('propertyKey', () => {
  test('gives the segments decodePropertyPath gives, joined by ".", for any bytes (a trailing NUL, invalid UTF-8, a BOM)', () => {
    const pathBytes = fc.oneof(
      fc.uint8Array({ maxLength: 40 }),
      fc.array(fc.constantFrom('request', 'path', '名', '', '\ufeff'), { maxLength: 4 }).map((s) => new TextEncoder().encode(s.join('\0'))),
      fc.tuple(fc.uint8Array({ maxLength: 10 }), fc.constantFrom([0x00], [0xe5, 0x90, 0x00], [0xef, 0xbb, 0xbf, 0x00], [0xc3])).map(([a, b]) => new Uint8Array([...a, ...b])),
    );
    fc.assert(
      fc.property(pathBytes, (bytes) => {
        expect(propertyKey(fromUtf8(bytes))).toBe(decodePropertyPath(bytes).join('.'));
      }),
      { numRuns: 2000 },
    );
  });
});
