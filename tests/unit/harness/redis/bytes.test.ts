import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { asciiLower, bytesToByteString, byteStringToBytes } from '../../../../src/harness/redis/bytes.ts';

/** One char per byte, the slow obvious way. */
const reference = (bytes: Uint8Array) => Array.from(bytes, (b) => String.fromCharCode(b)).join('');

describe('asciiLower', () => {
  test('lower-cases A-Z only, whether or not the text has any, and returns lower-case text as it is', () => {
    const lower = 'incr\u00c9\u00ff';
    expect(asciiLower(lower)).toBe(lower);
    expect(asciiLower('EXPIRE')).toBe('expire');
    expect(asciiLower('exPire@[Z]\u00c9')).toBe('expire@[z]\u00c9');
    expect(asciiLower('')).toBe('');
  });
});

describe('bytesToByteString', () => {
  test('makes one char per byte, 0x80–0x9f included, for short and for long inputs', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ minLength: 8000, maxLength: 20000 })), (bytes) => {
        const text = bytesToByteString(bytes);
        expect(text).toBe(reference(bytes));
        expect(byteStringToBytes(text)).toEqual(bytes);
      }),
      { numRuns: 200 },
    );
  });

  test('reads a view into a larger buffer, not the whole buffer', () => {
    const backing = Uint8Array.from({ length: 20 }, (_, i) => 0x80 + i);
    expect(bytesToByteString(backing.subarray(3, 6))).toBe('\x83\x84\x85');
    expect(bytesToByteString(new Uint8Array(0))).toBe('');
  });
});
