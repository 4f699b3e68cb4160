import { describe, expect, test } from 'vitest';
import { GuestMemory } from '../../../src/harness/abi/memory.ts';
import { formatCall, traceImports } from '../../../src/harness/trace.ts';
import { RawMemory } from './wat-guest.ts';

/** A bound GuestMemory plus `put`, which lays inputs out from 0x100 and returns (ptr, len). */
function memoryWith() {
  const wasmMemory = new WebAssembly.Memory({ initial: 1 });
  const memory = new GuestMemory();
  memory.bind(wasmMemory, () => 0);
  const raw = new RawMemory(wasmMemory);
  let cursor = 0x100;
  const put = (data: string | number[]): [number, number] => {
    const bytes = typeof data === 'string' ? [...new TextEncoder().encode(data)] : data;
    const at = cursor;
    raw.set(at, bytes);
    cursor += bytes.length + 8;
    return [at, bytes.length];
  };
  return { memory, put };
}

const PTR_OUT = 0x10;
const LEN_OUT = 0x14;

describe('formatCall', () => {
  test('decodes string arguments and names the map type', () => {
    const { memory, put } = memoryWith();
    expect(formatCall('proxy_get_header_map_value', [0, ...put(':path'), PTR_OUT, LEN_OUT], memory))
      .toBe('proxy_get_header_map_value(HttpRequestHeaders, ":path")');
    expect(formatCall('proxy_add_header_map_value', [2, ...put('x-quota'), ...put('10')], memory))
      .toBe('proxy_add_header_map_value(HttpResponseHeaders, "x-quota", "10")');
  });

  test('prints the log level as a number and the message as a string', () => {
    const { memory, put } = memoryWith();
    expect(formatCall('proxy_log', [2, ...put('hello "lab"')], memory)).toBe('proxy_log(2, "hello \\"lab\\"")');
  });

  test('names the buffer type and keeps start and max size', () => {
    const { memory } = memoryWith();
    expect(formatCall('proxy_get_buffer_bytes', [0, 0, 30, PTR_OUT, LEN_OUT], memory))
      .toBe('proxy_get_buffer_bytes(HttpRequestBody, 0, 30)');
    expect(formatCall('proxy_get_buffer_bytes', [9, 0, 2147483647, PTR_OUT, LEN_OUT], memory))
      .toBe('proxy_get_buffer_bytes(RedisCallResponse, 0, 2147483647)');
  });

  test('prints a map or buffer type it does not know as its number', () => {
    const { memory } = memoryWith();
    expect(formatCall('proxy_get_header_map_pairs', [42, PTR_OUT, LEN_OUT], memory)).toBe('proxy_get_header_map_pairs(42)');
    expect(formatCall('proxy_get_buffer_bytes', [17, 0, 1, PTR_OUT, LEN_OUT], memory)).toBe('proxy_get_buffer_bytes(17, 0, 1)');
  });

  test('shows a pair map or body as its byte count', () => {
    const { memory, put } = memoryWith();
    const line = formatCall(
      'proxy_http_call',
      [...put('outbound|80||auth.static'), ...put([2, 0, 0, 0]), ...put('{}'), ...put([0, 0, 0, 0]), 500, PTR_OUT],
      memory,
    );
    expect(line).toBe('proxy_http_call("outbound|80||auth.static", <4 bytes>, <2 bytes>, <4 bytes>, 500)');
  });

  test('hides the Redis password and shows an empty one as ""', () => {
    const { memory, put } = memoryWith();
    const cluster = put('outbound|6379||redis.static');
    const user = put('default');
    const withPassword = formatCall('proxy_redis_init', [...cluster, ...user, ...put('hunter2'), 1000], memory);
    expect(withPassword).toBe('proxy_redis_init("outbound|6379||redis.static", "default", "***", 1000)');
    expect(withPassword).not.toContain('hunter2');
    expect(formatCall('proxy_redis_init', [...cluster, ...user, 0, 0, 1000], memory))
      .toBe('proxy_redis_init("outbound|6379||redis.static", "default", "", 1000)');
  });

  test('joins a NUL-separated property path with dots', () => {
    const { memory, put } = memoryWith();
    const path = put([...new TextEncoder().encode('request'), 0, ...new TextEncoder().encode('path')]);
    expect(formatCall('proxy_get_property', [...path, PTR_OUT, LEN_OUT], memory)).toBe('proxy_get_property("request.path")');
  });

  test('shows a RESP query on one line', () => {
    const { memory, put } = memoryWith();
    const query = put('*2\r\n$4\r\nincr\r\n$3\r\nkey\r\n');
    expect(formatCall('proxy_redis_call', [...put('redis'), ...query, PTR_OUT], memory))
      .toBe('proxy_redis_call("redis", "*2 $4 incr $3 key ")');
  });

  test('shortens a string over 80 characters to 77 and an ellipsis', () => {
    const { memory, put } = memoryWith();
    const line = formatCall('proxy_log', [2, ...put('x'.repeat(81))], memory);
    expect(line).toBe(`proxy_log(2, "${'x'.repeat(77)}…")`);
  });

  test('marks a string outside memory as a bad pointer', () => {
    const { memory } = memoryWith();
    expect(formatCall('proxy_log', [2, 65_530, 10], memory)).toBe('proxy_log(2, "<bad pointer>")');
  });

  test('shows raw numbers for functions without a signature, BigInts included', () => {
    const { memory } = memoryWith();
    expect(formatCall('fd_write', [1, 256, 2, 16], memory)).toBe('fd_write(1, 256, 2, 16)');
    expect(formatCall('proxy_increment_metric', [4, 5n], memory)).toBe('proxy_increment_metric(4, 5)');
    expect(formatCall('proxy_done', [], memory)).toBe('proxy_done()');
  });

  test('shows raw numbers for every function when there is no memory yet', () => {
    expect(formatCall('proxy_log', [2, 256, 5], null)).toBe('proxy_log(2, 256, 5)');
  });
});

describe('traceImports', () => {
  test('emits one line per call and one per return, naming env statuses and WASI errnos', () => {
    const { memory, put } = memoryWith();
    const lines: string[] = [];
    const traced = traceImports(
      {
        env: { proxy_get_header_map_value: () => 1 },
        wasi_snapshot_preview1: { fd_prestat_get: () => 8 },
      },
      () => memory,
      (line) => lines.push(line),
    );
    const key = put(':path');
    expect(traced.env?.proxy_get_header_map_value?.(0, ...key, PTR_OUT, LEN_OUT)).toBe(1);
    expect(traced.wasi_snapshot_preview1?.fd_prestat_get?.(3, 0x20)).toBe(8);
    expect(lines.join('\n')).toMatchInlineSnapshot(`
      "→ proxy_get_header_map_value(HttpRequestHeaders, ":path")
      ← NotFound
      → fd_prestat_get(3, 32)
      ← errno 8"
    `);
  });
});
