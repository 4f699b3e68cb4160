import { describe, expect, test } from 'vitest';
import { BodyBuffer } from '../../../../src/harness/host/body-buffer.ts';
import { bufferFunctions } from '../../../../src/harness/host/buffers.ts';
import { GUARD } from '../wat-guest.ts';
import { type EnvState, fakeStream, LEN_OUT, PTR_OUT, startEnvGuest, type StreamState } from './env-guest.ts';

/** The exports of guests/buffers.wat, each calling the import of the same name. */
interface BuffersGuest {
  proxy_get_buffer_bytes(type: number, start: number, maxSize: number, ptrOut: number, lenOut: number): number;
  proxy_set_buffer_bytes(type: number, start: number, size: number, dataPtr: number, dataLen: number): number;
  proxy_get_buffer_status(type: number, lengthOut: number, flagsOut: number): number;
}

// The spec's numbers (host-abi.md §4.1, §4.2), written out so a wrong enum in src/ cannot hide.
const Ok = 0;
const NotFound = 1;
const BadArgument = 2;
const InvalidMemoryAccess = 6;
const HttpRequestBody = 0;
const HttpResponseBody = 1;
const HttpCallResponseBody = 4;
const PluginConfiguration = 7;
const RedisCallResponse = 9;

const MAX_INT32 = 0x7fffffff;
const PAGE = 65_536;
const utf8 = (text: string) => new TextEncoder().encode(text);
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** A stream in its request-body phase with `body` as the request body. */
async function inRequestBody(body: string | null, setUp: (stream: StreamState, env: EnvState) => void = () => {}) {
  const stream: StreamState = { maps: {}, immutable: new Set(), bodies: body === null ? {} : { request: new BodyBuffer(utf8(body)) } };
  const env: EnvState = { stream: fakeStream(stream), scope: {} };
  setUp(stream, env);
  const guest = await startEnvGuest<BuffersGuest>('buffers', bufferFunctions, env);
  return { ...guest, stream, env, call: guest.exports, requestBody: () => text(stream.bodies.request?.bytes ?? new Uint8Array()) };
}

describe('proxy_get_buffer_bytes', () => {
  test('copies a slice of the request body into memory allocated by the guest', async () => {
    const { call, raw, allocations, guardOutPointers, outPointers } = await inRequestBody('hello world');
    guardOutPointers();
    expect(call.proxy_get_buffer_bytes(HttpRequestBody, 6, 3, PTR_OUT, LEN_OUT)).toBe(Ok);
    expect(allocations).toEqual([3]);
    expect(outPointers()).toEqual([
      ...GUARD,
      0x00, 0x10, 0x00, 0x00, // *ptr = 0x1000
      ...GUARD,
      0x03, 0x00, 0x00, 0x00, // *len = 3
      ...GUARD,
    ]);
    expect(raw.text(0x1000, 3)).toBe('wor');
  });

  test('clamps the wasm-go over-ask (0, 30) to a 20-byte body', async () => {
    const { call, raw } = await inRequestBody('0123456789abcdefghij');
    expect(call.proxy_get_buffer_bytes(HttpRequestBody, 0, 30, PTR_OUT, LEN_OUT)).toBe(Ok);
    expect(raw.u32(LEN_OUT)).toBe(20);
    expect(raw.text(raw.u32(PTR_OUT), 20)).toBe('0123456789abcdefghij');
  });

  test('returns OK with 0/0 and allocates nothing when start is past the end', async () => {
    const { call, allocations, guardOutPointers, outPointers } = await inRequestBody('short');
    guardOutPointers();
    expect(call.proxy_get_buffer_bytes(HttpRequestBody, 9, 10, PTR_OUT, LEN_OUT)).toBe(Ok);
    expect(allocations).toEqual([]);
    expect(outPointers()).toEqual([
      ...GUARD,
      0x00, 0x00, 0x00, 0x00, // *ptr = 0
      ...GUARD,
      0x00, 0x00, 0x00, 0x00, // *len = 0
      ...GUARD,
    ]);
  });

  test('returns BadArgument when start + max_size overflows u32', async () => {
    const { call } = await inRequestBody('hello');
    expect(call.proxy_get_buffer_bytes(HttpRequestBody, 1, -1, PTR_OUT, LEN_OUT)).toBe(BadArgument);
  });

  test('returns NotFound when the stream has no such body now', async () => {
    const { call, guardOutPointers, outPointers } = await inRequestBody('hello');
    guardOutPointers();
    expect(call.proxy_get_buffer_bytes(HttpResponseBody, 0, MAX_INT32, PTR_OUT, LEN_OUT)).toBe(NotFound);
    expect(outPointers()).toEqual(Array(20).fill(0xaa));
  });

  test('returns NotFound for a body in a root context, which has no stream', async () => {
    const { call } = await inRequestBody('hello', (_stream, env) => {
      env.stream = null;
    });
    expect(call.proxy_get_buffer_bytes(HttpRequestBody, 0, MAX_INT32, PTR_OUT, LEN_OUT)).toBe(NotFound);
  });

  test('reads buffers that exist only in the current callback', async () => {
    const { call, raw, env } = await inRequestBody(null);
    expect(call.proxy_get_buffer_bytes(PluginConfiguration, 0, MAX_INT32, PTR_OUT, LEN_OUT)).toBe(NotFound);
    env.scope = { bufferType: PluginConfiguration, buffer: new BodyBuffer(utf8('{"limit":3}'), false) };
    expect(call.proxy_get_buffer_bytes(PluginConfiguration, 0, MAX_INT32, PTR_OUT, LEN_OUT)).toBe(Ok);
    expect(raw.text(raw.u32(PTR_OUT), raw.u32(LEN_OUT))).toBe('{"limit":3}');
    expect(call.proxy_get_buffer_bytes(RedisCallResponse, 0, MAX_INT32, PTR_OUT, LEN_OUT)).toBe(NotFound);
    env.scope = { bufferType: RedisCallResponse, buffer: new BodyBuffer(utf8(':1\r\n'), false) };
    expect(call.proxy_get_buffer_bytes(PluginConfiguration, 0, MAX_INT32, PTR_OUT, LEN_OUT)).toBe(NotFound);
    expect(call.proxy_get_buffer_bytes(RedisCallResponse, 0, MAX_INT32, PTR_OUT, LEN_OUT)).toBe(Ok);
    expect(raw.text(raw.u32(PTR_OUT), raw.u32(LEN_OUT))).toBe(':1\r\n');
  });

  test('returns BadArgument for a buffer type past RedisCallResponse', async () => {
    const { call, guardOutPointers, outPointers } = await inRequestBody('hello');
    guardOutPointers();
    expect(call.proxy_get_buffer_bytes(10, 0, MAX_INT32, PTR_OUT, LEN_OUT)).toBe(BadArgument);
    expect(call.proxy_get_buffer_bytes(-1, 0, MAX_INT32, PTR_OUT, LEN_OUT)).toBe(BadArgument); // type 0xffffffff
    expect(outPointers()).toEqual(Array(20).fill(0xaa));
  });

  test('returns InvalidMemoryAccess for an out-pointer outside memory', async () => {
    const { call } = await inRequestBody('hello');
    expect(call.proxy_get_buffer_bytes(HttpRequestBody, 0, 5, PTR_OUT, PAGE - 2)).toBe(InvalidMemoryAccess);
  });
});

describe('proxy_set_buffer_bytes', () => {
  test('replaces the body for the Go SDK replace call (0, MaxInt32)', async () => {
    const { call, put, requestBody } = await inRequestBody('old body');
    expect(call.proxy_set_buffer_bytes(HttpRequestBody, 0, MAX_INT32, ...put('new'))).toBe(Ok);
    expect(requestBody()).toBe('new');
  });

  test('prepends for (0, 0) and appends for (MaxInt32, 0)', async () => {
    const { call, put, requestBody } = await inRequestBody('middle');
    expect(call.proxy_set_buffer_bytes(HttpRequestBody, 0, 0, ...put('<'))).toBe(Ok);
    expect(call.proxy_set_buffer_bytes(HttpRequestBody, MAX_INT32, 0, ...put('>'))).toBe(Ok);
    expect(requestBody()).toBe('<middle>');
  });

  test('takes the Go SDK null pointer for an empty slice and empties the body', async () => {
    const { call, requestBody } = await inRequestBody('secret');
    expect(call.proxy_set_buffer_bytes(HttpRequestBody, 0, MAX_INT32, 0, 0)).toBe(Ok);
    expect(requestBody()).toBe('');
  });

  test('returns BadArgument for a start inside the body and leaves it unchanged', async () => {
    const { call, put, requestBody } = await inRequestBody('abcdef');
    expect(call.proxy_set_buffer_bytes(HttpRequestBody, 3, 1, ...put('X'))).toBe(BadArgument);
    expect(requestBody()).toBe('abcdef');
  });

  test('returns BadArgument for the immutable callout response body', async () => {
    const reply = new BodyBuffer(utf8('{"ok":true}'), false);
    const { call, put } = await inRequestBody(null, (_stream, env) => {
      env.scope = { bufferType: HttpCallResponseBody, buffer: reply };
    });
    expect(call.proxy_set_buffer_bytes(HttpCallResponseBody, 0, MAX_INT32, ...put('x'))).toBe(BadArgument);
    expect(text(reply.bytes)).toBe('{"ok":true}');
  });

  test('returns NotFound when there is no such buffer now', async () => {
    const { call, put } = await inRequestBody(null);
    expect(call.proxy_set_buffer_bytes(HttpRequestBody, 0, MAX_INT32, ...put('x'))).toBe(NotFound);
  });

  test('returns InvalidMemoryAccess for data outside memory', async () => {
    const { call, requestBody } = await inRequestBody('hello');
    expect(call.proxy_set_buffer_bytes(HttpRequestBody, 0, MAX_INT32, PAGE - 1, 2)).toBe(InvalidMemoryAccess);
    expect(requestBody()).toBe('hello');
  });

  test('returns BadArgument for a buffer type past RedisCallResponse', async () => {
    const { call, put } = await inRequestBody('hello');
    expect(call.proxy_set_buffer_bytes(10, 0, 0, ...put('x'))).toBe(BadArgument);
  });
});

describe('proxy_get_buffer_status', () => {
  test('writes the buffer length and flags 0', async () => {
    const { call, raw } = await inRequestBody('hello');
    raw.fill(0x0c, 20);
    expect(call.proxy_get_buffer_status(HttpRequestBody, 0x10, 0x18)).toBe(Ok);
    expect(raw.bytes(0x0c, 20)).toEqual([
      ...GUARD,
      0x05, 0x00, 0x00, 0x00, // *length = 5
      ...GUARD,
      0x00, 0x00, 0x00, 0x00, // *flags = 0
      ...GUARD,
    ]);
  });

  test('returns NotFound without a buffer and BadArgument for an unknown type', async () => {
    const { call } = await inRequestBody(null);
    expect(call.proxy_get_buffer_status(HttpRequestBody, 0x10, 0x18)).toBe(NotFound);
    expect(call.proxy_get_buffer_status(10, 0x10, 0x18)).toBe(BadArgument);
  });
});
