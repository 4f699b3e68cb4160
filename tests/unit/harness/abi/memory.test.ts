import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { fromUtf8, fromUtf8Range, GuestMemory, utf8, type GuestAllocator } from '../../../../src/harness/abi/memory.ts';
import { GUARD, RawMemory } from '../wat-guest.ts';

const PAGE = 65_536;

/** A GuestMemory bound to one fresh page, with the allocator the test supplies. */
function boundMemory(allocate: GuestAllocator = () => 0) {
  const wasmMemory = new WebAssembly.Memory({ initial: 1 });
  const memory = new GuestMemory();
  memory.bind(wasmMemory, allocate);
  return { memory, wasmMemory, raw: new RawMemory(wasmMemory) };
}

/** An allocator that records each request and hands out addresses from `start` upwards. */
function recordingAllocator(start: number) {
  const calls: number[] = [];
  let next = start;
  const allocate: GuestAllocator = (sizeBytes) => {
    calls.push(sizeBytes);
    const at = next;
    next += sizeBytes;
    return at;
  };
  return { calls, allocate };
}

describe('GuestMemory', () => {
  test('fails every access before bind', () => {
    const memory = new GuestMemory();
    expect(memory.read(0, 1)).toBeNull();
    expect(memory.readU32(0)).toBeNull();
    expect(memory.write(0, new Uint8Array([1]))).toBe(false);
    expect(memory.writeU32(0, 1)).toBe(false);
    expect(memory.returnBytes('x', 0, 4)).toBe('alloc-failed');
  });

  test('read copies the bytes, so later guest writes do not show through', () => {
    const { memory, raw } = boundMemory();
    raw.set(100, [1, 2, 3]);
    const copy = memory.read(100, 3);
    raw.set(100, [9, 9, 9]);
    expect(copy).toEqual(new Uint8Array([1, 2, 3]));
  });

  test('reads up to the last byte and returns null one byte further', () => {
    const { memory, raw } = boundMemory();
    raw.set(PAGE - 2, [7, 8]);
    expect(memory.read(PAGE - 2, 2)).toEqual(new Uint8Array([7, 8]));
    expect(memory.read(PAGE - 2, 3)).toBeNull();
    expect(memory.readString(PAGE - 1, 2)).toBeNull();
  });

  test('reads a negative i32 pointer or length as unsigned and returns null instead of throwing', () => {
    const { memory } = boundMemory();
    expect(memory.read(-1, 1)).toBeNull();
    expect(memory.read(0, -1)).toBeNull();
    expect(memory.readU32(-4)).toBeNull();
    expect(memory.readU64(-8)).toBeNull();
  });

  test('readString decodes UTF-8', () => {
    const { memory, raw } = boundMemory();
    raw.set(10, [0x78, 0x2d, 0xe5, 0x90, 0x8d]); // "x-名"
    expect(memory.readString(10, 5)).toBe('x-名');
  });

  test('write returns false past the end and leaves memory unchanged', () => {
    const { memory, raw } = boundMemory();
    raw.fill(PAGE - 4, 4);
    expect(memory.write(PAGE - 2, new Uint8Array([1, 2, 3]))).toBe(false);
    expect(memory.write(-1, new Uint8Array([1]))).toBe(false);
    expect(raw.bytes(PAGE - 4, 4)).toEqual([...GUARD]);
  });

  test('writeU32 writes 4 little-endian bytes and nothing around them', () => {
    const { memory, raw } = boundMemory();
    raw.fill(0, 16);
    expect(memory.writeU32(4, 0x01020304)).toBe(true);
    expect(raw.bytes(0, 12)).toEqual([
      ...GUARD,
      0x04, 0x03, 0x02, 0x01, // 0x01020304, low byte first
      ...GUARD,
    ]);
  });

  test('writeU32 stores a negative i32 as its unsigned bits', () => {
    const { memory, raw } = boundMemory();
    expect(memory.writeU32(0, -1)).toBe(true);
    expect(raw.bytes(0, 4)).toEqual([0xff, 0xff, 0xff, 0xff]);
  });

  test('writeU64 writes 8 little-endian bytes and nothing around them', () => {
    const { memory, raw } = boundMemory();
    raw.fill(0, 20);
    expect(memory.writeU64(4, 0x0102030405060708n)).toBe(true);
    expect(raw.bytes(0, 16)).toEqual([
      ...GUARD,
      0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01,
      ...GUARD,
    ]);
  });

  test('writeU64 stores -1n as eight 0xff bytes', () => {
    const { memory, raw } = boundMemory();
    expect(memory.writeU64(0, -1n)).toBe(true);
    expect(raw.bytes(0, 8)).toEqual([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
  });

  test('writeU32 and writeU64 return false when the value would run past the end', () => {
    const { memory, raw } = boundMemory();
    raw.fill(PAGE - 8, 8);
    expect(memory.writeU32(PAGE - 3, 1)).toBe(false);
    expect(memory.writeU64(PAGE - 7, 1n)).toBe(false);
    expect(raw.bytes(PAGE - 8, 8)).toEqual([...GUARD, ...GUARD]);
    expect(memory.writeU32(PAGE - 4, 1)).toBe(true);
  });

  test('readU32 and readU64 read little-endian values', () => {
    const { memory, raw } = boundMemory();
    raw.set(0, [0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01]);
    expect(memory.readU32(0)).toBe(0x05060708);
    expect(memory.readU64(0)).toBe(0x0102030405060708n);
    expect(memory.readU32(PAGE - 3)).toBeNull();
    expect(memory.readU64(PAGE - 7)).toBeNull();
  });

  test('sees a grow between accesses: the old views read as empty, and the next access takes new ones', () => {
    const { memory, wasmMemory, raw } = boundMemory();
    expect(memory.writeU32(16, 1)).toBe(true); // views taken on the one-page buffer
    expect(memory.contains(PAGE, 4)).toBe(false);
    wasmMemory.grow(2);
    expect(memory.contains(3 * PAGE - 4, 4)).toBe(true);
    expect(memory.contains(3 * PAGE - 3, 4)).toBe(false);
    expect(memory.readU32(16)).toBe(1);
    expect(memory.writeU64(3 * PAGE - 8, 2n ** 64n - 1n)).toBe(true);
    expect(raw.bytes(3 * PAGE - 8, 8)).toEqual([255, 255, 255, 255, 255, 255, 255, 255]);
    expect(memory.readString(16, 0)).toBe('');
  });

  test('writeInPlace hands the live memory and the offset to fill, or returns false without calling it', () => {
    const { memory, raw } = boundMemory();
    const calls: number[] = [];
    const fill = (bytes: Uint8Array, at: number, len: number) => {
      calls.push(at, len);
      for (let i = 0; i < len; i++) bytes[at + i] = i + 1;
    };
    expect(memory.writeInPlace(PAGE - 3, 3, fill)).toBe(true);
    expect(raw.bytes(PAGE - 3, 3)).toEqual([1, 2, 3]);
    expect(memory.writeInPlace(PAGE - 2, 3, fill)).toBe(false);
    expect(memory.writeInPlace(0, -1, fill)).toBe(false);
    expect(calls).toEqual([PAGE - 3, 3]);
  });

  test('works on fresh views after memory.grow(), at an address beyond the old size', () => {
    const { memory, wasmMemory, raw } = boundMemory();
    wasmMemory.grow(1);
    expect(memory.write(PAGE + 10, new Uint8Array([5, 6]))).toBe(true);
    expect(memory.writeU32(PAGE + 20, 7)).toBe(true);
    expect(memory.read(PAGE + 10, 2)).toEqual(new Uint8Array([5, 6]));
    expect(raw.bytes(PAGE + 20, 4)).toEqual([7, 0, 0, 0]);
  });
});

describe('GuestMemory.returnBytes', () => {
  test('writes 0/0 for empty data without calling the allocator', () => {
    const { calls, allocate } = recordingAllocator(0x1000);
    const { memory, raw } = boundMemory(allocate);
    raw.fill(0, 16);
    expect(memory.returnBytes(new Uint8Array(0), 4, 8)).toBe('ok');
    expect(memory.returnBytes('', 4, 8)).toBe('ok');
    expect(calls).toEqual([]);
    expect(raw.bytes(0, 16)).toEqual([
      ...GUARD,
      0x00, 0x00, 0x00, 0x00, // *ptr = 0
      0x00, 0x00, 0x00, 0x00, // *len = 0
      ...GUARD,
    ]);
  });

  test('allocates the UTF-8 byte length once, copies the data and writes ptr/len', () => {
    const { calls, allocate } = recordingAllocator(0x1000);
    const { memory, raw } = boundMemory(allocate);
    raw.fill(0, 16);
    raw.fill(0x1000 - 4, 4 + 3 + 4);
    expect(memory.returnBytes('aé', 4, 8)).toBe('ok');
    expect(calls).toEqual([3]);
    expect(raw.bytes(0, 16)).toEqual([
      ...GUARD,
      0x00, 0x10, 0x00, 0x00, // *ptr = 0x1000
      0x03, 0x00, 0x00, 0x00, // *len = 3 ("aé" is 3 bytes)
      ...GUARD,
    ]);
    expect(raw.bytes(0x1000 - 4, 11)).toEqual([...GUARD, 0x61, 0xc3, 0xa9, ...GUARD]);
  });

  test('reports alloc-failed when the allocator returns 0, leaving the out-pointers alone', () => {
    const { memory, raw } = boundMemory(() => 0);
    raw.fill(0, 16);
    expect(memory.returnBytes('abc', 4, 8)).toBe('alloc-failed');
    expect(raw.bytes(0, 16)).toEqual([...GUARD, ...GUARD, ...GUARD, ...GUARD]);
  });

  test('reports alloc-failed when the allocated address is out of bounds', () => {
    const { memory } = boundMemory(() => PAGE - 1);
    expect(memory.returnBytes('abc', 4, 8)).toBe('alloc-failed');
  });

  test('reports bad-pointer when an out-pointer is out of bounds', () => {
    const { memory } = boundMemory(recordingAllocator(0x1000).allocate);
    expect(memory.returnBytes('abc', PAGE - 2, 8)).toBe('bad-pointer');
    expect(memory.returnBytes('', 4, PAGE)).toBe('bad-pointer');
  });

  test('copies into memory the allocator grew, through a fresh view', () => {
    const wasmMemory = new WebAssembly.Memory({ initial: 1 });
    const memory = new GuestMemory();
    memory.bind(wasmMemory, () => {
      wasmMemory.grow(1); // detaches every view taken before the allocation
      return PAGE + 8;
    });
    expect(memory.returnBytes('grown', 4, 8)).toBe('ok');
    const raw = new RawMemory(wasmMemory);
    expect(raw.u32(4)).toBe(PAGE + 8);
    expect(raw.u32(8)).toBe(5);
    expect(raw.text(PAGE + 8, 5)).toBe('grown');
  });
});

/**
 * The decoding the host used before strings were decoded in one call and short ASCII ones cached:
 * a character at a time for ASCII up to 64 bytes, else a default TextDecoder (invalid sequences
 * become U+FFFD, a leading BOM is dropped). Every guest string must still decode exactly so.
 */
function previousDecoding(bytes: Uint8Array): string {
  if (bytes.length > 64) return new TextDecoder().decode(bytes);
  let text = '';
  for (const byte of bytes) {
    if (byte > 0x7f) return new TextDecoder().decode(bytes);
    text += String.fromCharCode(byte);
  }
  return text;
}

/** Bytes that are not valid UTF-8, or are easy to get wrong, each as it decodes. */
const AWKWARD_BYTES: Array<[string, number[], string]> = [
  ['a lone continuation byte', [0x61, 0x80, 0x62], 'a\ufffdb'],
  ['a sequence cut short', [0x78, 0xe5, 0x90], 'x\ufffd'],
  ['a sequence cut short before ASCII', [0xe5, 0x90, 0x41], '\ufffdA'],
  ['an overlong NUL', [0xc0, 0x80], '\ufffd\ufffd'],
  ['an encoded surrogate', [0xed, 0xa0, 0x80], '\ufffd\ufffd\ufffd'],
  ['0xff', [0xff], '\ufffd'],
  ['a leading BOM, which TextDecoder drops', [0xef, 0xbb, 0xbf, 0x61], 'a'],
  ['a BOM after the start, which stays', [0x61, 0xef, 0xbb, 0xbf], 'a\ufeff'],
  ['NUL bytes', [0x00, 0x61, 0x00], '\0a\0'],
  ['a four-byte character', [0xf0, 0x9f, 0x98, 0x80], '\u{1f600}'],
  ['DEL and control characters', [0x7f, 0x01, 0x1b], '\x7f\x01\x1b'],
];

describe('guest string decoding (readString, fromUtf8)', () => {
  test.each(AWKWARD_BYTES)('decodes %s as before', (_name, input, expected) => {
    const { memory, raw } = boundMemory();
    raw.set(200, input);
    expect(previousDecoding(new Uint8Array(input))).toBe(expected);
    expect(memory.readString(200, input.length)).toBe(expected);
    expect(fromUtf8(new Uint8Array(input))).toBe(expected);
  });

  test('decodes any bytes, at any length around the cache and fast-path limits, exactly as before', () => {
    const { memory, raw } = boundMemory();
    const ascii = fc.uint8Array({ maxLength: 80 }).map((b) => b.map((x) => x & 0x7f));
    const anyBytes = fc.uint8Array({ maxLength: 80 });
    const nearAscii = fc.tuple(ascii, fc.uint8Array({ minLength: 1, maxLength: 3 }), fc.nat(80)).map(([text, odd, at]) => {
      const out = new Uint8Array(text.length + odd.length);
      const cut = Math.min(at, text.length);
      out.set(text.subarray(0, cut));
      out.set(odd, cut);
      out.set(text.subarray(cut), cut + odd.length);
      return out;
    });
    fc.assert(
      fc.property(fc.oneof(ascii, anyBytes, nearAscii), fc.nat(1000), (input, offset) => {
        const at = 1000 + offset;
        raw.set(at, input);
        const expected = previousDecoding(input);
        // Twice: the second read of a short ASCII string comes from the cache.
        expect(memory.readString(at, input.length)).toBe(expected);
        expect(memory.readString(at, input.length)).toBe(expected);
        expect(fromUtf8(input)).toBe(expected);
        const padded = new Uint8Array(input.length + 6).fill(0x41);
        padded.set(input, 3);
        expect(fromUtf8Range(padded, 3, 3 + input.length)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  test('reads what memory holds now, not what the same address held when it was cached', () => {
    const { memory, raw } = boundMemory();
    raw.set(300, [...new TextEncoder().encode('x-user: alice')]);
    expect(memory.readString(300, 13)).toBe('x-user: alice');
    raw.set(300, [...new TextEncoder().encode('x-user: alica')]);
    expect(memory.readString(300, 13)).toBe('x-user: alica');
    expect(memory.readString(300, 12)).toBe('x-user: alic');
  });

  test('keeps returning the right string while many others pass through the cache', () => {
    const { memory, raw } = boundMemory();
    const names = Array.from({ length: 3000 }, (_, i) => `x-header-${i.toString(36)}`);
    for (let round = 0; round < 2; round++) {
      for (const name of names) {
        raw.set(400, [...new TextEncoder().encode(name)]);
        expect(memory.readString(400, name.length)).toBe(name);
      }
    }
  });
});

describe('GuestMemory.returnBytes for text', () => {
  test('writes exactly the bytes TextEncoder makes, for ASCII, other text, lone surrogates and long text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary-ascii', maxLength: 300 }),
          fc.string({ unit: 'grapheme', maxLength: 40 }),
          fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 40 }),
        ),
        (text) => {
          const { calls, allocate } = recordingAllocator(0x1000);
          const { memory, raw } = boundMemory(allocate);
          const expected = new TextEncoder().encode(text);
          expect(memory.returnBytes(text, 4, 8)).toBe('ok');
          expect(calls).toEqual(expected.length === 0 ? [] : [expected.length]);
          expect(raw.u32(8)).toBe(expected.length);
          if (expected.length > 0) expect(raw.bytes(raw.u32(4), expected.length)).toEqual([...expected]);
          expect(utf8(text)).toEqual(expected);
        },
      ),
      { numRuns: 500 },
    );
  });

  test('writes a lone surrogate as EF BF BD, as TextEncoder does', () => {
    const { memory, raw } = boundMemory(recordingAllocator(0x1000).allocate);
    expect(memory.returnBytes('a\ud800', 4, 8)).toBe('ok');
    expect(raw.bytes(0x1000, raw.u32(8))).toEqual([0x61, 0xef, 0xbf, 0xbd]);
  });
});
