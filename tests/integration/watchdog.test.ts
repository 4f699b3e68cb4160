/**
 * The watchdog in a real worker_threads worker: a plugin callback that never returns is stopped
 * after about the scenario's callbackTimeout, named with the request it ran for; the time counted
 * is the plugin's own (CPU time on Linux), so start-up, compilation and a busy machine do not count.
 */
import { describe, expect, test } from 'vitest';
import { runInWorker, RunError } from '../../src/harness/node/run-in-worker.ts';
import type { RunJob } from '../../src/harness/worker/protocol.ts';
import { loadExample, scenario } from '../helpers/plugins.ts';
import { assembleWatFile } from '../unit/harness/wat-guest.ts';

const spinner = assembleWatFile(new URL('./guests/spinner.wat', import.meta.url));
const onLinux = process.platform === 'linux';

async function failureOf(job: RunJob) {
  const error = await runInWorker(job).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(RunError);
  return (error as RunError).failure;
}

describe('the watchdog', () => {
  test('stops a request callback that never returns, names it and its request, and the next run works', async () => {
    const bytes = await spinner;
    const failure = await failureOf({ plugin: { bytes }, scenario: scenario('callbackTimeout: 300ms\nrequests:\n  - { path: /ok }\n  - { path: /spin, at: 5s }') });
    expect(failure).toMatchObject({ kind: 'callback-timeout', overrun: { callback: 'proxy_on_request_headers', request: 1, limitMs: 300 }, request: { method: 'GET', path: '/spin', atMs: 5000 } });
    expect(failure.overrun!.usedMs).toBeGreaterThan(300);
    if (onLinux) expect(failure.overrun!.clock).toBe('cpu');
    expect(failure.message).toMatch(
      /^proxy_on_request_headers ran for \d+ ms( of CPU time)? without returning while handling request #1 \(GET \/spin at 5000 ms\), over the callbackTimeout of 300 ms; the VM was stopped$/,
    );
    const next = await runInWorker({ plugin: { bytes }, scenario: scenario('callbackTimeout: 300ms\nrequests:\n  - { path: /ok }') });
    expect(next.outcomes[0]!.status).toBe(200);
  });

  test('stops a start-up callback that never returns', async () => {
    const failure = await failureOf({ plugin: { bytes: await spinner }, scenario: scenario('callbackTimeout: 200ms\nconfig: { spin: true }\nrequests: [{ path: / }]') });
    expect(failure.overrun).toMatchObject({ callback: 'proxy_on_configure', request: -1 });
    expect(failure.message).toContain('proxy_on_configure ran for');
    expect(failure.message).toContain('without returning outside any request (start-up or a timer)');
  });

  test('stops a timer callback that never returns', async () => {
    const failure = await failureOf({ plugin: { bytes: await spinner }, scenario: scenario('callbackTimeout: 200ms\nconfig: { tick: true }\nrequests: [{ path: / , at: 1s }]') });
    expect(failure.overrun).toMatchObject({ callback: 'proxy_on_tick', request: -1 });
  });

  test('lets a callback that takes a while but returns finish, on its own budget', async () => {
    const { outcomes } = await runInWorker({ plugin: { bytes: await spinner }, scenario: scenario('callbackTimeout: 10s\nrequests: [{ path: /busy }, { path: /busy }]') });
    expect(outcomes.map((o) => o.status)).toEqual([200, 200]);
  });

  test('does not count worker start-up or compiling a Go plugin: the limiter runs with callbackTimeout 200ms', async () => {
    const limiter = await loadExample('redis-limiter');
    const { outcomes } = await runInWorker({
      plugin: { bytes: limiter.bytes },
      defaultConfig: limiter.defaultConfig,
      pluginName: 'redis-limiter',
      scenario: scenario(`callbackTimeout: 200ms
clusters: [{ type: redis, name: redis.static, port: 6379 }]
requests: [{ path: /get, repeat: 4, every: 1s }]`),
    });
    expect(outcomes.map((o) => o.status)).toEqual([200, 200, 200, 429]);
  });
});
