/**
 * The tables of the reference page "Calls by phase" (content/docs/reference/phases.mdx and its
 * English twin), checked where wasm-lab can show them on a running plugin: the order of the
 * callbacks, which callbacks run for a local reply, a local reply after the response headers went
 * out, the buffer limit, and what the wasm-go wrapper returns for you.
 *
 * No example or fixture sends a local reply after its response headers went out (none should), so
 * that row runs a hand-written guest, LATE_REPLY below, compiled with wabt like the guests of
 * tests/unit/harness.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import wabt from 'wabt';
import type { Outcome, SequenceStep } from '../../src/harness/outcome.ts';
import { runScenario } from '../../src/harness/run.ts';
import { loadExample, loadFixture, scenario, type LoadedPlugin } from '../helpers/plugins.ts';

let probe: LoadedPlugin;
let hello: LoadedPlugin;
let customResponse: LoadedPlugin;
let faulty: LoadedPlugin;
beforeAll(async () => {
  [probe, hello, customResponse, faulty] = await Promise.all([
    loadFixture('stream-probe'),
    loadExample('hello-world'),
    loadExample('custom-response'),
    loadFixture('faulty-plugin'),
  ]);
});

const run = async (plugin: LoadedPlugin, yaml: string, pluginName?: string): Promise<Outcome[]> => {
  const { outcomes } = await runScenario({ module: plugin.bytes, scenario: scenario(yaml), defaultConfig: plugin.defaultConfig, isTraced: true, ...(pluginName ? { pluginName } : {}) });
  return outcomes;
};

/** The stream-probe's own log lines for one callback kind, e.g. `request_body`. */
const lines = (outcome: Outcome, prefix: string) => outcome.logs.map((l) => l.message).filter((m) => m.startsWith(prefix));

/** The plugin callbacks of a traced request, in the order the gateway made them. */
const callbacks = (outcome: Outcome) => outcome.sequence!.filter((s) => s.kind === 'callback').map((s) => s.label);

const kinds = (outcome: Outcome, kind: SequenceStep['kind']) => outcome.sequence!.filter((s) => s.kind === kind);

describe('the callbacks of one request, in order', () => {
  test('request headers, each body chunk, trailers, then the same for the response, then log and done', async () => {
    const [outcome] = await run(probe, `
upstream:
  body: [ab, { text: cd, after: 10ms }]
  trailers: { x-upstream-checksum: "1" }
requests:
  - method: POST
    body: ["12", { text: "34", after: 10ms }]
    trailers: { x-checksum: abc }`, 'stream-probe');
    expect(callbacks(outcome!)).toEqual([
      'proxy_on_request_headers',
      'proxy_on_request_body',
      'proxy_on_request_body',
      'proxy_on_request_trailers',
      'proxy_on_response_headers',
      'proxy_on_response_body',
      'proxy_on_response_body',
      'proxy_on_response_trailers',
      'proxy_on_log',
      'proxy_on_done',
    ]);
    // Trailers follow, so no body callback sees end_of_stream.
    expect(lines(outcome!, 'request_body').map((l) => l.split(' body=')[0])).toEqual(['request_body size=2 eos=false', 'request_body size=2 eos=false']);
    // OnHttpStreamDone (the wrapper's ProcessStreamDone) runs from proxy_on_log, last.
    expect(outcome!.logs.at(-1)!.message).toBe('done');
  });

  test('a request without a body ends with its headers, and the body callback never runs', async () => {
    const [outcome] = await run(probe, 'requests: [{ path: /get }]', 'stream-probe');
    expect(lines(outcome!, 'request_headers')).toEqual(['request_headers eos=true']);
    expect(lines(outcome!, 'request_body')).toEqual([]);
  });
});

describe('header actions', () => {
  const BODY = `\n    method: POST\n    body: [ab, { text: cd, after: 10ms }]`;

  test('HeaderStopIteration on request headers (ABI 0_2_100) holds them but still delivers the body', async () => {
    const [outcome] = await run(probe, `requests:\n  - headers: { x-req-headers: stop }${BODY}`, 'stream-probe');
    expect(lines(outcome!, 'request_body')).toHaveLength(2);
    expect(outcome).toMatchObject({ status: 200, upstreamRequest: { body: 'abcd' } });
  });

  test('HeaderStopAllIterationAndWatermark holds headers and body, without calling the body callback, until something resumes', async () => {
    const [outcome] = await run(probe, `requests:\n  - headers: { x-req-headers: stopall }${BODY}`, 'stream-probe');
    expect(lines(outcome!, 'request_body')).toEqual([]);
    expect(outcome!.upstreamRequest).toBeNull();
    expect(outcome!.error).toMatchObject({ kind: 'stalled' });
  });
});

describe('the buffer limit', () => {
  const over = (n: number) => `"${'x'.repeat(n)}"`;

  test('a request body buffered past the limit with DataStopIterationAndBuffer gets the gateway\'s 413, through the response callbacks', async () => {
    const [outcome] = await run(probe, `
bufferLimit: 10
requests:
  - { method: POST, headers: { x-req-body: buffer }, body: [${over(6)}, ${over(6)}] }`, 'stream-probe');
    expect(outcome).toMatchObject({ status: 413, body: 'Payload Too Large', source: 'gateway', upstreamRequest: null, error: { kind: 'buffer-limit' } });
    expect(callbacks(outcome!)).toEqual(['proxy_on_request_headers', 'proxy_on_request_body', 'proxy_on_response_headers', 'proxy_on_response_body', 'proxy_on_log', 'proxy_on_done']);
  });

  test('HeaderStopAllIterationAndBuffer past the limit gets 413 too; HeaderStopAllIterationAndWatermark does not', async () => {
    const resumed = '{ type: http, name: auth.static, reply: { status: 200, latency: 20ms } }';
    const headers = (action: string) => `{ x-req-headers: ${action}, x-resume-after-ms: "20", x-callout-cluster: "outbound|80||auth.static" }`;
    const [buffered, watermark] = await run(probe, `
bufferLimit: 10
clusters: [${resumed}]
requests:
  - { method: POST, headers: ${headers('stopall-buffer')}, body: [${over(6)}, ${over(6)}] }
  - { method: POST, headers: ${headers('stopall')}, body: [${over(6)}, ${over(6)}] }`, 'stream-probe');
    expect(buffered).toMatchObject({ status: 413, source: 'gateway', error: { kind: 'buffer-limit' } });
    expect(watermark).toMatchObject({ status: 200, source: 'upstream', upstreamRequest: { body: 'x'.repeat(12) } });
    expect(watermark!.error).toBeUndefined();
  });

  test('a response buffered past the limit while its headers are already out is reset', async () => {
    const [outcome] = await run(probe, `
bufferLimit: 10
upstream: { body: [${over(6)}, ${over(6)}] }
requests:
  - headers: { x-resp-body: buffer }`, 'stream-probe');
    expect(outcome).toMatchObject({ status: 200, body: '', error: { kind: 'buffer-limit' } });
    expect(outcome!.sequence!.some((s) => s.kind === 'response' && s.label === 'reset')).toBe(true);
  });
});

describe('local replies', () => {
  test('a local reply from the request headers runs the response callbacks on the reply, and never reaches the upstream', async () => {
    const [outcome] = await run(hello, 'requests: [{ path: /hello }]');
    expect(callbacks(outcome!)).toEqual(['proxy_on_request_headers', 'proxy_on_response_headers', 'proxy_on_response_body', 'proxy_on_log', 'proxy_on_done']);
    const order = outcome!.sequence!.map((s) => s.kind);
    expect(order.indexOf('local-reply')).toBeLessThan(order.indexOf('response'));
    // onHttpResponseHeaders added x-hello to the plugin's own reply.
    expect(outcome).toMatchObject({ status: 200, source: 'plugin', upstreamRequest: null });
    expect(outcome!.headers).toContainEqual(['x-hello', 'world']);
  });

  test('a local reply from the response headers goes straight to the client: the response callbacks do not run again', async () => {
    const [replaced] = await run(customResponse, `
upstream: { status: 502, body: bad gateway }
requests: [{ path: /get }]`);
    expect(replaced).toMatchObject({ status: 503, source: 'plugin' });
    expect(callbacks(replaced!)).toEqual(['proxy_on_request_headers', 'proxy_on_response_headers', 'proxy_on_log', 'proxy_on_done']);
    expect(kinds(replaced!, 'response').map((s) => s.label)).toEqual(['503']);
  });

  test('a local reply after the response headers went out resets the stream; a second reply and late header changes return BadArgument', async () => {
    const { outcomes } = await runScenario({
      module: await assemble(LATE_REPLY),
      scenario: scenario(`
upstream: { body: [ab, { text: cd, after: 10ms }] }
requests: [{ path: /get }]`),
      isTraced: true,
    });
    const outcome = outcomes[0]!;
    // The client got the 200 headers and the first chunk, then a reset instead of the 500.
    expect(outcome).toMatchObject({ status: 200, body: 'ab', error: { kind: 'stream-reset' } });
    expect(kinds(outcome, 'response').map((s) => s.label)).toEqual(['200', 'reset']);
    // WasmResult digits: 0 Ok, 2 BadArgument (host-abi.md §4.1).
    expect(outcome.logs.map((l) => l.message)).toEqual([
      'response headers: change request header=2',
      'last chunk: first reply=0 second reply=2 change response header=2',
    ]);
    expect(callbacks(outcome).slice(-2)).toEqual(['proxy_on_log', 'proxy_on_done']);
  });
});

describe('which calls work where', () => {
  test('a callout callback may change the held request\'s headers and resume it; a failed call reaches it as 502', async () => {
    const [answered] = await run(faulty, `
clusters: [{ type: http, name: auth.static, reply: { status: 204 } }]
requests: [{ path: /, headers: { x-fault: callout } }]`);
    expect(answered!.upstreamRequest!.headers).toContainEqual(['x-auth-status', '204']);
    expect(kinds(answered!, 'callback').map((s) => s.label)).toContain('proxy_on_http_call_response');
    const [failed] = await run(faulty, `
clusters: [{ type: http, name: auth.static, down: true }]
requests: [{ path: /, headers: { x-fault: callout } }]`);
    expect(failed!.upstreamRequest!.headers).toContainEqual(['x-auth-status', '502']);
  });
});

describe('what the wasm-go wrapper returns for you', () => {
  test('a panic the wrapper recovers returns Continue: the request goes on (fail open)', async () => {
    const [outcome] = await run(faulty, 'requests: [{ path: /get, headers: { x-fault: panic } }]');
    expect(outcome).toMatchObject({ status: 200, source: 'upstream' });
    expect(kinds(outcome!, 'return')[0]).toMatchObject({ label: 'Continue', direction: 'request' });
    expect(outcome!.logs.some((l) => l.level === 'error' && l.message.includes('recovered from panic'))).toBe(true);
  });
});

/**
 * A proxy-wasm guest (ABI 0_2_100) that misuses the response phase on purpose:
 * - proxy_on_response_headers tries to replace a request header (map 0) and returns Continue;
 * - the last response chunk sends a 500 local reply (after the headers went out), then a second
 *   one, then tries to replace a response header (map 2).
 * Each host call's WasmResult is written as a digit into the log line.
 */
const LATE_REPLY = `
(module
  (import "env" "proxy_log" (func $log (param i32 i32 i32) (result i32)))
  (import "env" "proxy_send_local_response" (func $reply (param i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_replace_header_map_value" (func $replace (param i32 i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "late")
  (data (i32.const 32) "x-late")
  (data (i32.const 64) "response headers: change request header=?")
  (data (i32.const 128) "last chunk: first reply=? second reply=? change response header=?")
  (global $heap (mut i32) (i32.const 1024))
  (func $digit (param $at i32) (param $result i32)
    (i32.store8 (local.get $at) (i32.add (i32.const 48) (local.get $result))))
  (func (export "_initialize"))
  (func (export "proxy_abi_version_0_2_100"))
  (func (export "proxy_on_memory_allocate") (param $size i32) (result i32)
    (local $at i32)
    (local.set $at (global.get $heap))
    (global.set $heap (i32.add (global.get $heap) (local.get $size)))
    (local.get $at))
  (func (export "proxy_on_context_create") (param i32 i32))
  (func (export "proxy_on_vm_start") (param i32 i32) (result i32) (i32.const 1))
  (func (export "proxy_on_configure") (param i32 i32) (result i32) (i32.const 1))
  (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32) (i32.const 0))
  (func (export "proxy_on_response_headers") (param i32 i32 i32) (result i32)
    (call $digit (i32.const 104) (call $replace (i32.const 0) (i32.const 32) (i32.const 6) (i32.const 16) (i32.const 4)))
    (drop (call $log (i32.const 2) (i32.const 64) (i32.const 41)))
    (i32.const 0))
  (func (export "proxy_on_response_body") (param $context i32) (param $size i32) (param $end i32) (result i32)
    (if (i32.eqz (local.get $end)) (then (return (i32.const 0))))
    (call $digit (i32.const 152) (call $reply (i32.const 500) (i32.const 0) (i32.const 0) (i32.const 16) (i32.const 4) (i32.const 0) (i32.const 0) (i32.const -1)))
    (call $digit (i32.const 167) (call $reply (i32.const 500) (i32.const 0) (i32.const 0) (i32.const 16) (i32.const 4) (i32.const 0) (i32.const 0) (i32.const -1)))
    (call $digit (i32.const 192) (call $replace (i32.const 2) (i32.const 32) (i32.const 6) (i32.const 16) (i32.const 4)))
    (drop (call $log (i32.const 2) (i32.const 128) (i32.const 65)))
    (i32.const 0))
  (func (export "proxy_on_log") (param i32))
  (func (export "proxy_on_done") (param i32) (result i32) (i32.const 1))
  (func (export "proxy_on_delete") (param i32)))
`;

/** Assembles WebAssembly text into module bytes. */
async function assemble(text: string): Promise<Uint8Array> {
  const parsed = (await wabt()).parseWat('late-reply.wat', text);
  try {
    parsed.resolveNames();
    parsed.validate();
    return new Uint8Array(parsed.toBinary({}).buffer);
  } finally {
    parsed.destroy();
  }
}
