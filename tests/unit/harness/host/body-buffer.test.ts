import { describe, expect, test } from 'vitest';
import { WasmResult } from '../../../../src/harness/abi/enums.ts';
import { BodyBuffer } from '../../../../src/harness/host/body-buffer.ts';

const MAX_INT32 = 0x7fffffff;
const text = (bytes: Uint8Array | null) => (bytes === null ? null : new TextDecoder().decode(bytes));
const body = (content: string, isMutable = true) => new BodyBuffer(new TextEncoder().encode(content), isMutable);
const data = (content: string) => new TextEncoder().encode(content);

describe('BodyBuffer.slice', () => {
  test('returns up to maxSize bytes from start', () => {
    expect(text(body('hello world').slice(6, 3))).toBe('wor');
  });

  test('returns an empty slice when start is at or past the end', () => {
    expect(body('hello').slice(5, 10)).toEqual(new Uint8Array(0));
    expect(body('hello').slice(99, 1)).toEqual(new Uint8Array(0));
  });

  test('clamps to the end when start + maxSize runs past it', () => {
    expect(text(body('hello').slice(2, 100))).toBe('llo');
    expect(text(body('hello').slice(0, MAX_INT32))).toBe('hello');
  });

  test('reads a negative i32 maxSize as unsigned: -1 from 0 asks for everything', () => {
    expect(text(body('hello').slice(0, -1))).toBe('hello');
    expect(body('hello').slice(1, -1)).toBeNull(); // 1 + 0xffffffff overflows u32
  });

  test('returns null when start + maxSize overflows u32', () => {
    expect(body('hello').slice(1, 0xffffffff)).toBeNull();
    expect(body('hello').slice(0x80000000, 0x80000000)).toBeNull();
  });

  test('serves the wasm-go over-ask of a cumulative size (host-abi.md §8.4)', () => {
    // Two 10-byte chunks arrive with cumulative sizes 10 and 20; the wrapper sums them to 30 and
    // then reads (0, 30) from a 20-byte body.
    const buffer = new BodyBuffer();
    buffer.append(data('0123456789'));
    const firstSize = buffer.length;
    buffer.append(data('abcdefghij'));
    const secondSize = buffer.length;
    expect(firstSize + secondSize).toBe(30);
    expect(text(buffer.slice(0, firstSize + secondSize))).toBe('0123456789abcdefghij');
  });
});

describe('BodyBuffer.write', () => {
  test('replaces the whole body for the Go SDK replace call (0, MaxInt32)', () => {
    const buffer = body('old body');
    expect(buffer.write(0, MAX_INT32, data('new'))).toBe(WasmResult.Ok);
    expect(text(buffer.bytes)).toBe('new');
  });

  test('prepends for the Go SDK prepend call (0, 0)', () => {
    const buffer = body('world');
    expect(buffer.write(0, 0, data('hello '))).toBe(WasmResult.Ok);
    expect(text(buffer.bytes)).toBe('hello world');
  });

  test('drains size bytes from the front, then prepends, at start 0', () => {
    const buffer = body('abcdef');
    expect(buffer.write(0, 2, data('XY-'))).toBe(WasmResult.Ok);
    expect(text(buffer.bytes)).toBe('XY-cdef');
  });

  test('empties the body when replacing with no data', () => {
    const buffer = body('abc');
    expect(buffer.write(0, MAX_INT32, new Uint8Array(0))).toBe(WasmResult.Ok);
    expect(buffer.length).toBe(0);
  });

  test('appends for the Go SDK append call (MaxInt32, 0) and at start = length', () => {
    const buffer = body('abc');
    expect(buffer.write(MAX_INT32, 0, data('de'))).toBe(WasmResult.Ok);
    expect(buffer.write(5, 0, data('f'))).toBe(WasmResult.Ok);
    expect(text(buffer.bytes)).toBe('abcdef');
  });

  test('returns BadArgument for a start inside the body and leaves it unchanged', () => {
    const buffer = body('abcdef');
    expect(buffer.write(3, 1, data('X'))).toBe(WasmResult.BadArgument);
    expect(text(buffer.bytes)).toBe('abcdef');
  });

  test('returns BadArgument on an immutable buffer, even for an append', () => {
    const buffer = body('callout reply', false);
    expect(buffer.write(0, MAX_INT32, data('x'))).toBe(WasmResult.BadArgument);
    expect(buffer.write(MAX_INT32, 0, data('x'))).toBe(WasmResult.BadArgument);
    expect(text(buffer.bytes)).toBe('callout reply');
  });
});

describe('BodyBuffer.append', () => {
  test('adds a received chunk to the end', () => {
    const buffer = body('ab');
    buffer.append(data('cd'));
    expect(text(buffer.bytes)).toBe('abcd');
    expect(buffer.length).toBe(4);
  });
});
