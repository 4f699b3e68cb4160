import { describe, expect, test } from 'vitest';
import { decodePairs, encodePairs } from '../../../../src/harness/abi/pair-map.ts';
import { HeaderMap } from '../../../../src/harness/host/header-map.ts';
import { headerFunctions } from '../../../../src/harness/host/headers.ts';
import { bytes, GUARD } from '../wat-guest.ts';
import { type EnvState, fakeStream, LEN_OUT, PTR_OUT, startEnvGuest, type StreamState } from './env-guest.ts';

/** The exports of guests/headers.wat, each calling the import of the same name. */
interface HeadersGuest {
  proxy_get_header_map_value(mapType: number, keyPtr: number, keyLen: number, ptrOut: number, lenOut: number): number;
  proxy_get_header_map_pairs(mapType: number, ptrOut: number, lenOut: number): number;
  proxy_get_header_map_size(mapType: number, sizeOut: number): number;
  proxy_set_header_map_pairs(mapType: number, ptr: number, len: number): number;
  proxy_add_header_map_value(mapType: number, keyPtr: number, keyLen: number, valuePtr: number, valueLen: number): number;
  proxy_replace_header_map_value(mapType: number, keyPtr: number, keyLen: number, valuePtr: number, valueLen: number): number;
  proxy_remove_header_map_value(mapType: number, keyPtr: number, keyLen: number): number;
}

// The spec's numbers (host-abi.md §4.1, §4.3), written out so a wrong enum in src/ cannot hide.
const Ok = 0;
const NotFound = 1;
const BadArgument = 2;
const InvalidMemoryAccess = 6;
const InternalFailure = 10;
const HttpRequestHeaders = 0;
const HttpResponseHeaders = 2;
const GrpcReceiveInitialMetadata = 4;
const HttpCallResponseHeaders = 6;

const PAGE = 65_536;

/** A stream in its request-headers phase, with `request` as the request header map. */
async function inRequestHeaders(request: HeaderMap, setUp: (state: StreamState, env: EnvState) => void = () => {}) {
  const stream: StreamState = { maps: { request }, immutable: new Set(), bodies: {} };
  const env: EnvState = { stream: fakeStream(stream), scope: {} };
  setUp(stream, env);
  const guest = await startEnvGuest<HeadersGuest>('headers', headerFunctions, env);
  return { ...guest, stream, env, call: guest.exports };
}

describe('proxy_get_header_map_value', () => {
  test('returns the first value of a key in memory allocated by the guest', async () => {
    const { call, put, allocations, raw, guardOutPointers, outPointers } = await inRequestHeaders(
      new HeaderMap([[':path', '/a'], ['x-a', 'one'], ['x-a', 'two']]),
    );
    guardOutPointers();
    expect(call.proxy_get_header_map_value(HttpRequestHeaders, ...put('x-a'), PTR_OUT, LEN_OUT)).toBe(Ok);
    expect(allocations).toEqual([3]);
    expect(outPointers()).toEqual([
      ...GUARD,
      0x00, 0x10, 0x00, 0x00, // *ptr = 0x1000, the guest allocator's first block
      ...GUARD,
      0x03, 0x00, 0x00, 0x00, // *len = 3
      ...GUARD,
    ]);
    expect(raw.text(0x1000, 3)).toBe('one');
  });

  test('finds a key the plugin wrote in upper case', async () => {
    const { call, put, raw } = await inRequestHeaders(new HeaderMap([['x-a', 'v']]));
    expect(call.proxy_get_header_map_value(HttpRequestHeaders, ...put('X-A'), PTR_OUT, LEN_OUT)).toBe(Ok);
    expect(raw.text(raw.u32(PTR_OUT), raw.u32(LEN_OUT))).toBe('v');
  });

  test('returns NotFound for an absent key and leaves the out-pointers alone', async () => {
    const { call, put, allocations, guardOutPointers, outPointers } = await inRequestHeaders(new HeaderMap([['x-a', '1']]));
    guardOutPointers();
    expect(call.proxy_get_header_map_value(HttpRequestHeaders, ...put('x-missing'), PTR_OUT, LEN_OUT)).toBe(NotFound);
    expect(allocations).toEqual([]);
    expect(outPointers()).toEqual(Array(20).fill(0xaa));
  });

  test('returns an empty value as 0/0 without allocating', async () => {
    const { call, put, allocations, guardOutPointers, outPointers } = await inRequestHeaders(new HeaderMap([['x-empty', '']]));
    guardOutPointers();
    expect(call.proxy_get_header_map_value(HttpRequestHeaders, ...put('x-empty'), PTR_OUT, LEN_OUT)).toBe(Ok);
    expect(allocations).toEqual([]);
    expect(outPointers()).toEqual([
      ...GUARD,
      0x00, 0x00, 0x00, 0x00, // *ptr = 0
      ...GUARD,
      0x00, 0x00, 0x00, 0x00, // *len = 0
      ...GUARD,
    ]);
  });

  test('returns BadArgument for a map that is unavailable in this phase', async () => {
    const { call, put } = await inRequestHeaders(new HeaderMap([['x-a', '1']]));
    expect(call.proxy_get_header_map_value(HttpResponseHeaders, ...put('x-a'), PTR_OUT, LEN_OUT)).toBe(BadArgument);
    expect(call.proxy_get_header_map_value(GrpcReceiveInitialMetadata, ...put('x-a'), PTR_OUT, LEN_OUT)).toBe(BadArgument);
  });

  test('returns BadArgument for request headers in a root context, which has no stream', async () => {
    const { call, put } = await inRequestHeaders(new HeaderMap([['x-a', '1']]), (_stream, env) => {
      env.stream = null;
    });
    expect(call.proxy_get_header_map_value(HttpRequestHeaders, ...put('x-a'), PTR_OUT, LEN_OUT)).toBe(BadArgument);
  });

  test('reads callout response headers only while a callout reply is in scope', async () => {
    const { call, put, raw, env } = await inRequestHeaders(new HeaderMap());
    const key = put(':status');
    expect(call.proxy_get_header_map_value(HttpCallResponseHeaders, ...key, PTR_OUT, LEN_OUT)).toBe(BadArgument);
    env.scope = { calloutHeaders: new HeaderMap([[':status', '200']]) };
    expect(call.proxy_get_header_map_value(HttpCallResponseHeaders, ...key, PTR_OUT, LEN_OUT)).toBe(Ok);
    expect(raw.text(raw.u32(PTR_OUT), raw.u32(LEN_OUT))).toBe('200');
  });

  test('returns InvalidMemoryAccess for a key outside memory', async () => {
    const { call } = await inRequestHeaders(new HeaderMap([['x-a', '1']]));
    expect(call.proxy_get_header_map_value(HttpRequestHeaders, PAGE - 2, 3, PTR_OUT, LEN_OUT)).toBe(InvalidMemoryAccess);
  });

  test('returns InvalidMemoryAccess for out-pointers outside memory', async () => {
    const { call, put } = await inRequestHeaders(new HeaderMap([['x-a', '1']]));
    expect(call.proxy_get_header_map_value(HttpRequestHeaders, ...put('x-a'), PAGE - 2, LEN_OUT)).toBe(InvalidMemoryAccess);
  });

  test('returns InternalFailure when the guest cannot allocate', async () => {
    const { call, put, failAllocations, guardOutPointers, outPointers } = await inRequestHeaders(new HeaderMap([['x-a', '1']]));
    failAllocations();
    guardOutPointers();
    expect(call.proxy_get_header_map_value(HttpRequestHeaders, ...put('x-a'), PTR_OUT, LEN_OUT)).toBe(InternalFailure);
    expect(outPointers()).toEqual(Array(20).fill(0xaa));
  });
});

describe('proxy_get_header_map_pairs', () => {
  test('returns the map in the pair encoding', async () => {
    const { call, raw, allocations } = await inRequestHeaders(new HeaderMap([[':method', 'GET'], ['x-a', '1']]));
    expect(call.proxy_get_header_map_pairs(HttpRequestHeaders, PTR_OUT, LEN_OUT)).toBe(Ok);
    expect(allocations).toEqual([38]);
    expect(raw.u32(PTR_OUT)).toBe(0x1000);
    expect(raw.u32(LEN_OUT)).toBe(38);
    expect(raw.bytes(0x1000, 38)).toEqual([...bytes(
      [0x02, 0x00, 0x00, 0x00], // count = 2
      [0x07, 0x00, 0x00, 0x00], // key_len   (":method")
      [0x03, 0x00, 0x00, 0x00], // value_len ("GET")
      [0x03, 0x00, 0x00, 0x00], // key_len   ("x-a")
      [0x01, 0x00, 0x00, 0x00], // value_len ("1")
      ':method', [0x00],
      'GET', [0x00],
      'x-a', [0x00],
      '1', [0x00],
    )]);
  });

  test('returns an available empty map as the 4-byte zero count, which the Go SDK reads as empty', async () => {
    const { call, raw, allocations } = await inRequestHeaders(new HeaderMap());
    expect(call.proxy_get_header_map_pairs(HttpRequestHeaders, PTR_OUT, LEN_OUT)).toBe(Ok);
    expect(allocations).toEqual([4]);
    expect(raw.u32(LEN_OUT)).toBe(4);
    expect(raw.bytes(raw.u32(PTR_OUT), 4)).toEqual([0x00, 0x00, 0x00, 0x00]);
  });

  test('returns OK with 0/0 for an unavailable map, without allocating', async () => {
    const { call, allocations, guardOutPointers, outPointers } = await inRequestHeaders(new HeaderMap([['x-a', '1']]));
    guardOutPointers();
    expect(call.proxy_get_header_map_pairs(HttpResponseHeaders, PTR_OUT, LEN_OUT)).toBe(Ok);
    expect(allocations).toEqual([]);
    expect(outPointers()).toEqual([
      ...GUARD,
      0x00, 0x00, 0x00, 0x00, // *ptr = 0
      ...GUARD,
      0x00, 0x00, 0x00, 0x00, // *len = 0
      ...GUARD,
    ]);
  });

  test('returns BadArgument for a map type past HttpCallResponseTrailers', async () => {
    const { call } = await inRequestHeaders(new HeaderMap([['x-a', '1']]));
    expect(call.proxy_get_header_map_pairs(8, PTR_OUT, LEN_OUT)).toBe(BadArgument);
  });
});

describe('proxy_get_header_map_size', () => {
  test('writes the byte size of the serialized map', async () => {
    const { call, raw } = await inRequestHeaders(new HeaderMap([[':method', 'GET'], ['x-a', '1']]));
    raw.fill(0x0c, 12);
    expect(call.proxy_get_header_map_size(HttpRequestHeaders, 0x10)).toBe(Ok);
    expect(raw.bytes(0x0c, 12)).toEqual([
      ...GUARD,
      0x26, 0x00, 0x00, 0x00, // 38 bytes
      ...GUARD,
    ]);
  });

  test('returns BadArgument for an unavailable map', async () => {
    const { call } = await inRequestHeaders(new HeaderMap());
    expect(call.proxy_get_header_map_size(HttpResponseHeaders, 0x10)).toBe(BadArgument);
  });
});

describe('proxy_set_header_map_pairs', () => {
  test('replaces every entry with the given pairs, lower-casing names', async () => {
    const request = new HeaderMap([['old', '1'], ['x-a', 'old']]);
    const { call, put } = await inRequestHeaders(request);
    const pairs = put(bytes(
      [0x02, 0x00, 0x00, 0x00], // count = 2
      [0x05, 0x00, 0x00, 0x00], // key_len   ("X-New")
      [0x01, 0x00, 0x00, 0x00], // value_len ("a")
      [0x03, 0x00, 0x00, 0x00], // key_len   ("x-a")
      [0x01, 0x00, 0x00, 0x00], // value_len ("b")
      'X-New', [0x00],
      'a', [0x00],
      'x-a', [0x00],
      'b', [0x00],
    ));
    expect(call.proxy_set_header_map_pairs(HttpRequestHeaders, ...pairs)).toBe(Ok);
    expect(request.pairs()).toEqual([['x-new', 'a'], ['x-a', 'b']]);
  });

  test('clears the map for malformed pairs, as cpp-host decodes them as empty', async () => {
    const request = new HeaderMap([['x-a', '1']]);
    const { call, put } = await inRequestHeaders(request);
    expect(call.proxy_set_header_map_pairs(HttpRequestHeaders, ...put(bytes([0x01, 0x00])))).toBe(Ok);
    expect(request.pairs()).toEqual([]);
  });

  test('returns InvalidMemoryAccess for pairs outside memory', async () => {
    const { call } = await inRequestHeaders(new HeaderMap());
    expect(call.proxy_set_header_map_pairs(HttpRequestHeaders, PAGE - 2, 4)).toBe(InvalidMemoryAccess);
  });
});

describe('proxy_add_header_map_value', () => {
  test('appends a value and keeps the existing ones', async () => {
    const request = new HeaderMap([['x-a', '1']]);
    const { call, put } = await inRequestHeaders(request);
    expect(call.proxy_add_header_map_value(HttpRequestHeaders, ...put('X-A'), ...put('2'))).toBe(Ok);
    expect(request.pairs()).toEqual([['x-a', '1'], ['x-a', '2']]);
  });

  test('returns BadArgument for an unavailable map', async () => {
    const { call, put } = await inRequestHeaders(new HeaderMap());
    expect(call.proxy_add_header_map_value(HttpResponseHeaders, ...put('x-a'), ...put('1'))).toBe(BadArgument);
  });

  test('returns BadArgument for the read-only callout response headers', async () => {
    const calloutHeaders = new HeaderMap([[':status', '200']]);
    const { call, put } = await inRequestHeaders(new HeaderMap(), (_stream, env) => {
      env.scope = { calloutHeaders };
    });
    expect(call.proxy_add_header_map_value(HttpCallResponseHeaders, ...put('x-a'), ...put('1'))).toBe(BadArgument);
    expect(calloutHeaders.pairs()).toEqual([[':status', '200']]);
  });

  test('returns InvalidMemoryAccess for a value outside memory', async () => {
    const request = new HeaderMap();
    const { call, put } = await inRequestHeaders(request);
    expect(call.proxy_add_header_map_value(HttpRequestHeaders, ...put('x-a'), PAGE - 1, 2)).toBe(InvalidMemoryAccess);
    expect(request.size).toBe(0);
  });
});

describe('proxy_replace_header_map_value', () => {
  test('sets one value in place of every duplicate', async () => {
    const request = new HeaderMap([['x-a', '1'], ['y', 'y'], ['x-a', '2']]);
    const { call, put } = await inRequestHeaders(request);
    expect(call.proxy_replace_header_map_value(HttpRequestHeaders, ...put('x-a'), ...put('new'))).toBe(Ok);
    expect(request.pairs()).toEqual([['x-a', 'new'], ['y', 'y']]);
  });
});

describe('proxy_remove_header_map_value', () => {
  test('removes every value of a key and answers OK for an absent key', async () => {
    const request = new HeaderMap([['x-a', '1'], ['y', 'y'], ['x-a', '2']]);
    const { call, put } = await inRequestHeaders(request);
    expect(call.proxy_remove_header_map_value(HttpRequestHeaders, ...put('X-A'))).toBe(Ok);
    expect(call.proxy_remove_header_map_value(HttpRequestHeaders, ...put('x-missing'))).toBe(Ok);
    expect(request.pairs()).toEqual([['y', 'y']]);
  });
});

describe('headerFunctions after the request headers continued', () => {
  test('rejects every mutation with BadArgument and leaves the map readable and unchanged', async () => {
    const request = new HeaderMap([['x-a', '1']]);
    const { call, put, stream, raw } = await inRequestHeaders(request);
    expect(call.proxy_add_header_map_value(HttpRequestHeaders, ...put('x-b'), ...put('2'))).toBe(Ok);
    stream.immutable.add('request'); // Envoy drops its header pointer on Continue
    const key = put('x-a');
    const value = put('changed');
    expect(call.proxy_add_header_map_value(HttpRequestHeaders, ...key, ...value)).toBe(BadArgument);
    expect(call.proxy_replace_header_map_value(HttpRequestHeaders, ...key, ...value)).toBe(BadArgument);
    expect(call.proxy_remove_header_map_value(HttpRequestHeaders, ...key)).toBe(BadArgument);
    expect(call.proxy_set_header_map_pairs(HttpRequestHeaders, ...put(bytes([0x00, 0x00, 0x00, 0x00])))).toBe(BadArgument);
    expect(request.pairs()).toEqual([['x-a', '1'], ['x-b', '2']]);
    expect(call.proxy_get_header_map_value(HttpRequestHeaders, ...key, PTR_OUT, LEN_OUT)).toBe(Ok);
    expect(raw.text(raw.u32(PTR_OUT), raw.u32(LEN_OUT))).toBe('1');
  });
});

describe('proxy_get_header_map_pairs and _size between mutations', () => {
  /** The map as the guest received it: the pairs decoded from the bytes written at *ptr. */
  function received(raw: { u32(at: number): number; bytes(at: number, len: number): number[] }): Array<[string, string]> {
    const data = new Uint8Array(raw.bytes(raw.u32(PTR_OUT), raw.u32(LEN_OUT)));
    return decodePairs(data);
  }

  test('answer what the map holds after every add, replace, remove and set, never an earlier encoding', async () => {
    const request = new HeaderMap([[':path', '/a'], ['x-a', '1']]);
    const { call, put, raw } = await inRequestHeaders(request);
    const read = () => {
      expect(call.proxy_get_header_map_pairs(HttpRequestHeaders, PTR_OUT, LEN_OUT)).toBe(Ok);
      const pairs = received(raw);
      expect(call.proxy_get_header_map_size(HttpRequestHeaders, 0x40)).toBe(Ok);
      expect(raw.u32(0x40)).toBe(raw.u32(LEN_OUT));
      return pairs;
    };
    expect(read()).toEqual([[':path', '/a'], ['x-a', '1']]);
    expect(read()).toEqual([[':path', '/a'], ['x-a', '1']]);
    expect(call.proxy_add_header_map_value(HttpRequestHeaders, ...put('X-B'), ...put('2'))).toBe(Ok);
    expect(read()).toEqual([[':path', '/a'], ['x-a', '1'], ['x-b', '2']]);
    expect(call.proxy_replace_header_map_value(HttpRequestHeaders, ...put('x-a'), ...put('é'))).toBe(Ok);
    expect(read()).toEqual([[':path', '/a'], ['x-a', 'é'], ['x-b', '2']]);
    expect(call.proxy_remove_header_map_value(HttpRequestHeaders, ...put(':path'))).toBe(Ok);
    expect(read()).toEqual([['x-a', 'é'], ['x-b', '2']]);
    expect(call.proxy_set_header_map_pairs(HttpRequestHeaders, ...put(encodePairs([['x-c', '3']])))).toBe(Ok);
    expect(read()).toEqual([['x-c', '3']]);
  });

  test('reads a value written in another case or with non-ASCII bytes as the map holds it', async () => {
    const request = new HeaderMap([['x-名', 'värde'], ['x-a', '1']]);
    const { call, put, raw } = await inRequestHeaders(request);
    expect(call.proxy_get_header_map_value(HttpRequestHeaders, ...put('x-名'), PTR_OUT, LEN_OUT)).toBe(Ok);
    expect(raw.bytes(raw.u32(PTR_OUT), raw.u32(LEN_OUT))).toEqual([...new TextEncoder().encode('värde')]);
    // An invalid byte in the key decodes as U+FFFD, as before, and so finds nothing.
    expect(call.proxy_get_header_map_value(HttpRequestHeaders, ...put(bytes('x-', [0xe5, 0x90])), PTR_OUT, LEN_OUT)).toBe(NotFound);
    expect(call.proxy_add_header_map_value(HttpRequestHeaders, ...put(bytes('x-', [0xff])), ...put(bytes([0xc0, 0x80])))).toBe(Ok);
    expect(request.pairs().at(-1)).toEqual(['x-\ufffd', '\ufffd\ufffd']);
  });
});
