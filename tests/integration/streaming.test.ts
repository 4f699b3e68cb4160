/**
 * Envoy's body streaming (reference/host-abi.md §8.1, §8.4) as the stream-probe fixture sees it:
 * each callback logs its size, end_of_stream and bytes, and request headers pick what it returns.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { runScenario } from '../../src/harness/run.ts';
import type { Outcome } from '../../src/harness/outcome.ts';
import { loadFixture, scenario, type LoadedPlugin } from '../helpers/plugins.ts';

let probe: LoadedPlugin;
beforeAll(async () => {
  probe = await loadFixture('stream-probe');
});

async function run(yaml: string): Promise<Outcome[]> {
  const { outcomes } = await runScenario({ module: probe.bytes, scenario: scenario(yaml), pluginName: 'stream-probe' });
  return outcomes;
}

/** The probe's own lines for one callback kind, e.g. `request_body`. */
const lines = (outcome: Outcome, prefix: string) => outcome.logs.map((l) => l.message).filter((m) => m.startsWith(prefix));

const CHUNKED_REQUEST = `
    method: POST
    body:
      - ab
      - { text: cd, after: 10ms }
      - { text: ef, after: 10ms }`;

describe('request body chunks', () => {
  test('a buffering plugin sees the cumulative body, and the upstream gets it in one piece when it continues', async () => {
    const [outcome] = await run(`requests:\n  - headers: { x-req-body: buffer }${CHUNKED_REQUEST}`);
    expect(lines(outcome!, 'request_headers')).toEqual(['request_headers eos=false']);
    expect(lines(outcome!, 'request_body')).toEqual([
      'request_body size=2 eos=false body="ab"',
      'request_body size=4 eos=false body="abcd"',
      'request_body size=6 eos=true body="abcdef"',
    ]);
    expect(outcome!.upstreamRequest!.chunks).toEqual([{ at: 20, body: 'abcdef' }]);
    expect(outcome!.upstreamRequest!.body).toBe('abcdef');
  });

  test('a watermarking plugin sees each chunk alone, while the gateway keeps them and sends them on together when it continues', async () => {
    const [outcome] = await run(`requests:\n  - headers: { x-req-body: watermark }${CHUNKED_REQUEST}`);
    // Unlike StopIterationAndBuffer, Envoy hands only the new chunk to the next body callback.
    expect(lines(outcome!, 'request_body')).toEqual([
      'request_body size=2 eos=false body="ab"',
      'request_body size=2 eos=false body="cd"',
      'request_body size=2 eos=true body="ef"',
    ]);
    expect(outcome!.upstreamRequest!.chunks).toEqual([{ at: 20, body: 'abcdef' }]);
  });

  test('a streaming plugin sees each chunk alone, and each goes on as it arrives', async () => {
    const [outcome] = await run(`requests:\n  - headers: { x-req-body: continue }${CHUNKED_REQUEST}`);
    expect(lines(outcome!, 'request_body')).toEqual([
      'request_body size=2 eos=false body="ab"',
      'request_body size=2 eos=false body="cd"',
      'request_body size=2 eos=true body="ef"',
    ]);
    expect(outcome!.upstreamRequest!.chunks).toEqual([
      { at: 0, body: 'ab' },
      { at: 10, body: 'cd' },
      { at: 20, body: 'ef' },
    ]);
  });

  test('a chunk the plugin replaces is what goes on', async () => {
    const [outcome] = await run(`requests:\n  - headers: { x-req-body: upper }${CHUNKED_REQUEST}`);
    expect(outcome!.upstreamRequest!.chunks!.map((c) => c.body)).toEqual(['AB', 'CD', 'EF']);
  });

  test('StopIterationNoBuffer drops every chunk, and on the last one the stream waits for a resume that never comes', async () => {
    const [outcome] = await run(`requests:\n  - headers: { x-req-body: nobuffer }${CHUNKED_REQUEST}`);
    expect(lines(outcome!, 'request_body')).toHaveLength(3);
    expect(outcome!.upstreamRequest).toBeNull();
    expect(outcome!.error).toMatchObject({ kind: 'stalled' });
    expect(outcome!.error!.hint).toContain('DataStopIterationNoBuffer');
  });

  test('after a header StopAll, the body the host held reaches the plugin in one call once a callout resumes the request', async () => {
    const [outcome] = await run(`
clusters:
  - { type: http, name: auth.static, reply: { status: 200, body: resumed, latency: 50ms } }
requests:
  - headers: { x-req-headers: stopall, x-resume-after-ms: "50", x-callout-cluster: "outbound|80||auth.static" }${CHUNKED_REQUEST}`);
    expect(lines(outcome!, 'callout')).toEqual(['callout status=200 body=resumed']);
    expect(lines(outcome!, 'request_body')).toEqual(['request_body size=6 eos=true body="abcdef"']);
    // The callout's reply is due 50 ms after the plugin asked, a few clock reads past the arrival.
    expect(outcome!.upstreamRequest!.chunks).toEqual([{ at: expect.closeTo(50, 1), body: 'abcdef' }]);
  });

  test('a real StopIteration (ABI 0_2_100) holds the headers but still delivers the body; Continue from the body releases both', async () => {
    const [outcome] = await run(`requests:\n  - headers: { x-req-headers: stop }${CHUNKED_REQUEST}`);
    expect(lines(outcome!, 'request_body')).toHaveLength(3);
    expect(outcome!.upstreamRequest!.chunks!.map((c) => c.body)).toEqual(['ab', 'cd', 'ef']);
  });

  test('request trailers come after the last chunk, which then is not the end of the stream', async () => {
    const [outcome] = await run(`requests:\n  - method: POST\n    body: hello\n    trailers: { x-checksum: abc }`);
    expect(lines(outcome!, 'request_body')).toEqual(['request_body size=5 eos=false body="hello"']);
    expect(lines(outcome!, 'request_trailers')).toEqual(['request_trailers count=1']);
    expect(outcome!.upstreamRequest!.trailers).toEqual([['x-checksum', 'abc']]);
  });
});

const SSE_UPSTREAM = `
upstream:
  body:
    - data: {"n":1}
    - { data: {"n":2}, after: 10ms }
    - { data: "[DONE]", after: 10ms }`;

describe('response body chunks', () => {
  test('the client receives a streamed response chunk by chunk, SSE events written as a server writes them', async () => {
    const [outcome] = await run(`${SSE_UPSTREAM}\nrequests:\n  - path: /`);
    expect(outcome!.headers).toContainEqual(['content-type', 'text/event-stream']);
    expect(outcome!.chunks).toEqual([
      { at: 0, body: 'data: {"n":1}\n\n' },
      { at: 10, body: 'data: {"n":2}\n\n' },
      { at: 20, body: 'data: [DONE]\n\n' },
    ]);
    expect(lines(outcome!, 'response_body').map((l) => l.split(' body=')[0])).toEqual([
      'response_body size=15 eos=false',
      'response_body size=15 eos=false',
      'response_body size=14 eos=true',
    ]);
  });

  test('a buffering plugin turns the stream into one chunk at the end', async () => {
    const [outcome] = await run(`${SSE_UPSTREAM}\nrequests:\n  - headers: { x-resp-body: buffer }`);
    expect(outcome!.chunks).toEqual([{ at: 20, body: 'data: {"n":1}\n\ndata: {"n":2}\n\ndata: [DONE]\n\n' }]);
  });

  test('a trailer added on the last chunk reaches the client', async () => {
    const [outcome] = await run(`${SSE_UPSTREAM}\nrequests:\n  - headers: { x-resp-body: count }\n    expect: { trailers: { x-probe-chunks: "3" }, chunks: { count: 3, body: { "-1": DONE } } }`);
    expect(outcome!.trailers).toEqual([['x-probe-chunks', '3']]);
  });

  test('data injected past the filter goes to the client, and its end ends the response', async () => {
    const [outcome] = await run(`${SSE_UPSTREAM}\nrequests:\n  - headers: { x-resp-body: inject }`);
    expect(outcome!.chunks).toEqual([{ at: 20, body: 'injected:data: {"n":1}\n\ndata: {"n":2}\n\ndata: [DONE]\n\n' }]);
    expect(outcome!.error).toBeUndefined();
  });
});

describe('buffer limits', () => {
  const big = (n: number) => `[${Array.from({ length: n }, () => '"0123456789"').join(', ')}]`;

  test('a request body buffered past the limit gets the gateway\'s 413, and the plugin may raise the limit', async () => {
    const [over, raised] = await run(`
bufferLimit: 10
requests:
  - { method: POST, headers: { x-req-body: buffer }, body: ${big(2)} }
  - { method: POST, headers: { x-req-body: buffer, x-req-limit: "100" }, body: ${big(2)} }`);
    expect(over).toMatchObject({ status: 413, body: 'Payload Too Large', source: 'gateway', upstreamRequest: null, error: { kind: 'buffer-limit' } });
    expect(lines(over!, 'response_headers')).toHaveLength(1);
    expect(raised).toMatchObject({ status: 200, source: 'upstream' });
    expect(raised!.error).toBeUndefined();
  });

  test('a response buffered past the limit after its headers went out is reset', async () => {
    const [outcome] = await run(`
bufferLimit: 20
${SSE_UPSTREAM}
requests:
  - headers: { x-resp-body: buffer }`);
    expect(outcome).toMatchObject({ status: 200, error: { kind: 'buffer-limit' } });
    expect(outcome!.body).toBe('');
    expect(outcome!.error!.message).toContain('reset the stream');
  });
});

describe('clusters', () => {
  test('the route\'s own cluster exists without a clusters entry, and a call to it reaches the mock upstream', async () => {
    const [outcome] = await run(`
service: httpbin.default.svc.cluster.local
upstream: { echo: true }
requests:
  - headers: { x-route-callout: "1" }`);
    const line = lines(outcome!, 'route callout')[0]!;
    expect(line).toMatch(/^route callout status=200 body=\{/);
    expect(JSON.parse(line.replace(/^.*? body=/, ''))).toMatchObject({ method: 'GET', path: '/from-plugin' });
    expect(outcome).toMatchObject({ status: 200, source: 'upstream' });
  });

  test('a stream left waiting after a call to an unknown cluster names the cluster, not the pause', async () => {
    const [outcome] = await run(`requests:\n  - headers: { x-req-headers: stopall, x-resume-after-ms: "1", x-callout-cluster: "outbound|80||missing.static" }`);
    expect(outcome!.error!.kind).toBe('unknown-cluster');
    expect(outcome!.error!.message).toContain('outbound|80||missing.static');
    expect(outcome!.error!.message).toContain('nothing left that could resume it');
  });
});

test('an empty header value stays a header with an empty value', async () => {
  const [outcome] = await run(`requests:\n  - headers: { x-empty: "" }`);
  expect(outcome!.upstreamRequest!.headers).toContainEqual(['x-empty', '']);
});
