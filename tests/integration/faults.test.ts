import { beforeAll, describe, expect, test } from 'vitest';
import { RunError, runInWorker } from '../../src/harness/node/run-in-worker.ts';
import { runScenario } from '../../src/harness/run.ts';
import { loadFixture, scenario, type LoadedPlugin } from '../helpers/plugins.ts';

let faulty: LoadedPlugin;
beforeAll(async () => {
  faulty = await loadFixture('faulty-plugin');
});

const header = (headers: Array<[string, string]>, name: string) => headers.find(([k]) => k === name)?.[1];
const request = (fault: string, extra = '') => `  - { path: /, headers: { x-fault: ${fault} }${extra} }`;
const CLUSTERS = `
clusters:
  - { type: http, name: auth.static, reply: { status: 204 } }`;

const run = (yaml: string, env?: Record<string, string>) =>
  runScenario({ module: faulty.bytes, scenario: scenario(yaml), pluginName: 'faulty-plugin', ...(env ? { env } : {}) });

describe('fault handling', () => {
  test('lets the wasm-go wrapper recover a panic and continue, as a default gateway does', async () => {
    const { outcomes } = await run(`requests:\n${request('panic')}`);
    expect(outcomes[0]!.status).toBe(200);
    expect(outcomes[0]!.logs.some((l) => l.level === 'error' && l.message.includes('recovered from panic fixture panic: boom'))).toBe(true);
  });

  test('fails a request closed with 503 when a panic traps, then rebuilds the VM for the next request', async () => {
    const { outcomes } = await run(`requests:\n${request('panic')}\n  - { path: /after }`, { WASM_DISABLE_PANIC_RECOVERY: 'true' });
    expect(outcomes[0]).toMatchObject({ status: 503, source: 'gateway', error: { kind: 'plugin-trap' } });
    expect(outcomes[0]!.error!.message).toContain('fixture panic: boom');
    expect(outcomes[0]!.logs.some((l) => l.level === 'error' && l.message.startsWith('panic: '))).toBe(true);
    expect(outcomes[1]).toMatchObject({ status: 200, source: 'upstream' });
  });

  test('lets a trapped request through under FAIL_OPEN', async () => {
    const { outcomes } = await run(`failStrategy: FAIL_OPEN\nrequests:\n${request('panic-raw')}`);
    expect(outcomes[0]).toMatchObject({ status: 200, source: 'upstream', error: { kind: 'plugin-trap' } });
  });

  test('treats proc_exit as a crash', async () => {
    const { outcomes } = await run(`requests:\n${request('exit')}`);
    expect(outcomes[0]).toMatchObject({ status: 503, error: { kind: 'plugin-trap' } });
    expect(outcomes[0]!.error!.message).toContain('proc_exit(3)');
  });

  test('fails the held request when the plugin panics in a callout callback', async () => {
    const { outcomes } = await run(`${CLUSTERS}\nrequests:\n${request('panic-callback')}`);
    expect(outcomes[0]).toMatchObject({ status: 503, error: { kind: 'plugin-trap' } });
    expect(outcomes[0]!.error!.message).toContain('proxy_on_http_call_response');
  });

  test('answers BadArgument for an unknown callout cluster and names the cluster', async () => {
    const { outcomes } = await run(`requests:\n${request('unknown-cluster')}`);
    expect(outcomes[0]!.status).toBe(500);
    expect(outcomes[0]!.body).toBe('callout failed: error status returned by host: bad argument');
    expect(outcomes[0]!.error?.message).toContain('"outbound|80||missing.static"');
  });

  test('delivers an HTTP callout reply through the root context and resumes the request', async () => {
    const { outcomes } = await run(`${CLUSTERS}\nrequests:\n${request('callout')}`);
    expect(outcomes[0]!.status).toBe(200);
    expect(header(outcomes[0]!.upstreamRequest!.headers, 'x-auth-status')).toBe('204');
    expect(outcomes[0]!.httpCalls).toEqual([{ cluster: 'outbound|80||auth.static', method: 'GET', path: '/check', status: 204 }]);
  });

  test('delivers a reset with no :status when an HTTP cluster is down, which the wasm-go client reports as 502', async () => {
    const { outcomes } = await run(`clusters:\n  - { type: http, name: auth.static, down: true }\nrequests:\n${request('callout')}`);
    expect(outcomes[0]!.status).toBe(200);
    expect(header(outcomes[0]!.upstreamRequest!.headers, 'x-auth-status')).toBe('502');
    expect(outcomes[0]!.httpCalls[0]!.status).toBe(0);
  });

  test('reports a stream paused with nothing to resume it as stalled, with a hint', async () => {
    const { outcomes } = await run(`requests:\n${request('stall')}\n${request('pause-no-body')}`);
    expect(outcomes.map((o) => o.error?.kind)).toEqual(['stalled', 'stalled']);
    expect(outcomes[0]!.error!.hint).toContain('did you mean HeaderContinue?');
    expect(outcomes[1]!.error!.hint).toContain('HeaderStopIteration on a request without a body');
    expect(outcomes[0]!.status).toBe(0);
  });

  test('moves the virtual clock by exactly the length of a sleep, which is all the plugin measures', async () => {
    const { outcomes } = await run(`requests:\n${request('sleep')}`);
    // time.Since around time.Sleep(5s): real waiting, or a clock that ignored the sleep, would not give exactly 5000.
    expect(header(outcomes[0]!.headers, 'x-slept-ms')).toBe('5000');
    expect(outcomes[0]!.logs.filter((l) => l.message.includes('slept'))).toEqual([{ level: 'info', message: expect.stringMatching(/ slept 5000 ms$/) }]);
  });

  test('captures log levels, stdout as info and stderr as error, and drops lines below logLevel', async () => {
    const all = (await run(`requests:\n${request('log-levels')}`)).outcomes[0]!.logs;
    expect(all.filter((l) => l.message.includes('fixture log:')).map((l) => l.level)).toEqual(['trace', 'debug', 'info', 'warn', 'error', 'critical']);
    expect(all).toContainEqual({ level: 'info', message: 'to stdout' });
    expect(all).toContainEqual({ level: 'error', message: 'to stderr' });
    const warnUp = (await run(`logLevel: warn\nrequests:\n${request('log-levels')}`)).outcomes[0]!.logs;
    expect(warnUp.filter((l) => l.message.includes('fixture log:')).map((l) => l.level)).toEqual(['warn', 'error', 'critical']);
  });

  test('serves properties from the scenario and reads back what the plugin set', async () => {
    const { outcomes } = await run(`route: api-route\nservice: backend.default.svc.cluster.local:8080\nrequests:\n${request('property', ', source: "10.1.2.3:4567"')}`);
    const h = outcomes[0]!.headers;
    expect([header(h, 'x-prop-route'), header(h, 'x-prop-cluster'), header(h, 'x-prop-source'), header(h, 'x-prop-plugin'), header(h, 'x-prop-path'), header(h, 'x-prop-set')]).toEqual([
      'api-route',
      'outbound|8080||backend.default.svc.cluster.local',
      '10.1.2.3:4567',
      'faulty-plugin',
      '/',
      'v1',
    ]);
  });

  test('rejects a configuration the plugin refuses, with the plugin\'s log line', async () => {
    await expect(runScenario({ module: faulty.bytes, scenario: scenario('requests: [{ path: / }]'), config: { reject: true } })).rejects.toMatchObject({
      kind: 'config-rejected',
      message: expect.stringContaining('reject: asked to reject this configuration'),
    });
  });

  test('stops an endless loop in a Go callback by terminating the worker, naming the callback, and the next run works', async () => {
    const job = { plugin: { bytes: faulty.bytes }, scenario: scenario(`callbackTimeout: 500ms\nrequests:\n  - { path: /first }\n${request('loop')}`) };
    const error = await runInWorker(job).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunError);
    const { failure } = error as RunError;
    expect(failure).toMatchObject({ kind: 'callback-timeout', overrun: { callback: 'proxy_on_request_headers', request: 1, limitMs: 500 } });
    expect(failure.message).toMatch(/^proxy_on_request_headers ran for \d+ ms.* while handling request #1 \(GET \/ at 0 ms\), over the callbackTimeout of 500 ms; the VM was stopped$/);
    const next = await runInWorker({ plugin: { bytes: faulty.bytes }, scenario: scenario('requests: [{ path: / }]') });
    expect(next.outcomes[0]!.status).toBe(200);
  });
});

describe('what the upstream received', () => {
  test('carries the plugin\'s rewritten :path, :authority and :method, in upstreamRequest, the echo and expect.upstream', async () => {
    const yaml = `upstream: { echo: true }
requests:
  - path: /original?q=1
    headers: { x-fault: rewrite, host: example.com }
    expect:
      upstream: { headers: { ':path': /rewritten?from=plugin, ':authority': backend.internal, ':method': POST } }
  - path: /original?q=1
    headers: { x-fault: rewrite }
    expect:
      upstream: { headers: { ':path': /original?q=1 } }`;
    const result = await run(yaml);
    const [rewritten, checked] = result.outcomes;
    const sent = rewritten!.upstreamRequest!.headers;
    expect(header(sent, ':path')).toBe('/rewritten?from=plugin');
    expect(header(sent, ':authority')).toBe('backend.internal');
    expect(header(sent, ':method')).toBe('POST');
    expect(header(sent, 'x-fault')).toBe('rewrite');
    // Pseudo-headers first, as HTTP/2 sends them.
    expect(sent.findIndex(([k]) => !k.startsWith(':'))).toBeGreaterThan(sent.findLastIndex(([k]) => k.startsWith(':')));
    const echo = JSON.parse(rewritten!.body) as { method: string; path: string };
    expect(echo).toMatchObject({ method: 'POST', path: '/rewritten?from=plugin' });
    // The client's own request is unchanged.
    expect(rewritten!.request).toMatchObject({ method: 'GET', path: '/original?q=1' });
    // The first expectation holds; the second, written for the original path, names the difference.
    expect(result.checks.byOutcome[0]).toEqual([]);
    expect(result.checks.byOutcome[1]).toEqual([expect.objectContaining({ path: 'requests[1].expect.upstream.headers[":path"]', expected: '/original?q=1', actual: '/rewritten?from=plugin' })]);
    expect(checked!.status).toBe(200);
  });
});
