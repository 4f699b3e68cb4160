/**
 * Long runs: outcomes reach the sink in request order as requests end, and a run that keeps no
 * outcomes holds the same memory for 100,000 requests as for 1,000 (requests are planned as they
 * arrive, outcomes are not kept, deadlines do not pile up).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Outcome } from '../../src/harness/outcome.ts';
import { runScenario } from '../../src/harness/run.ts';
import { loadExample, scenario, type LoadedPlugin } from '../helpers/plugins.ts';

let hello: LoadedPlugin;
let limiter: LoadedPlugin;
let module: WebAssembly.Module;
beforeAll(async () => {
  hello = await loadExample('hello-world');
  limiter = await loadExample('redis-limiter');
  module = await WebAssembly.compile(hello.bytes as Uint8Array<ArrayBuffer>);
});

/** A full collection, so heap figures are what is alive, not garbage waiting. */
const collect: () => void = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

/** Heap in use after a full collection, in MB. */
function liveHeapMb(): number {
  collect();
  return process.memoryUsage().heapUsed / 1e6;
}

/** Runs `n` hello-world requests 1 ms apart keeping no outcomes; returns the largest live heap seen during the run and after it. */
async function peakLiveHeap(n: number): Promise<{ peakMb: number; count: number }> {
  let peakMb = liveHeapMb();
  let count = 0;
  const result = await runScenario({
    module,
    scenario: scenario(`requests: [{ path: /hello, repeat: ${n}, every: 1ms }]`),
    defaultConfig: hello.defaultConfig,
    keepOutcomes: false,
    onOutcome: () => {
      // A look every tenth of the run: what the run holds while it runs.
      if (++count % Math.ceil(n / 10) === 0) peakMb = Math.max(peakMb, liveHeapMb());
    },
  });
  expect(result.outcomes).toEqual([]);
  expect(result.summary).toMatchObject({ requests: n, omitted: n, byStatus: { '200': n } });
  return { peakMb: Math.max(peakMb, liveHeapMb()), count };
}

describe('a run that keeps no outcomes', () => {
  test('holds as little for 100,000 requests as for 1,000', async () => {
    await peakLiveHeap(200); // warm up: compiled code, first VM
    const small = await peakLiveHeap(1_000);
    const large = await peakLiveHeap(100_000);
    expect(large.count).toBe(100_000);
    // Kept outcomes alone would be over 100 MB at 100,000 requests; flat memory stays within a few.
    expect(large.peakMb - small.peakMb).toBeLessThan(20);
    expect(large.peakMb / small.peakMb).toBeLessThan(1.5);
  }, 600_000);

  test('still checks every request, keeping only the failures', async () => {
    const result = await runScenario({
      module: limiter.bytes,
      scenario: scenario(`clusters: [{ type: redis, name: redis.static, port: 6379 }]
requests:
  - { path: /get, repeat: 5000, every: 10ms, expect: { status: 200 } }`),
      defaultConfig: { ...(limiter.defaultConfig as object), qpm: 3000 },
      keepOutcomes: false,
    });
    // 3,000 a minute pass; the window holds 50 s of requests at 100 a second, so the rest get 429.
    expect(result.checks.checked).toBe(5000);
    expect(result.checks.passed).toBe(result.summary.byStatus['200']);
    expect(result.checks.byOutcome).toEqual([]);
    expect(result.checks.failures!.length).toBe(100);
    expect(result.checks.failuresOmitted).toBe(5000 - result.checks.passed - 100);
    expect(result.summary.redisKeys).toBeGreaterThan(0);
  }, 300_000);
});

describe('kept outcomes with large bodies', () => {
  /** Memory outside the JS heap (where large decoded strings and the VM's memory live) after a run keeping its outcomes, in MB. */
  async function externalMbKeeping(repeat: number): Promise<number> {
    const body = 'x'.repeat(1 << 20);
    const result = await runScenario({
      module,
      scenario: scenario(`upstream: { body: "${body}" }\nrequests: [{ method: POST, path: /big, body: "${body}", repeat: ${repeat}, every: 1ms }]`),
      defaultConfig: hello.defaultConfig,
    });
    expect(result.outcomes.map((o) => [o.status, o.body.length, o.request.body.length, o.upstreamRequest!.body.length])).toEqual(
      Array.from({ length: repeat }, () => [200, 1 << 20, 1 << 20, 1 << 20]),
    );
    collect();
    const mb = process.memoryUsage().external / 1e6;
    expect(result.outcomes.length).toBe(repeat); // keeps the outcomes alive until measured
    return mb;
  }

  test('share one string per body that passed through unchanged, instead of one per outcome', async () => {
    const few = await externalMbKeeping(5);
    const many = await externalMbKeeping(45);
    // Three 1 MB strings per outcome would be 120 MB more for 40 more outcomes.
    expect(many - few).toBeLessThan(20);
  }, 300_000);
});

describe('the outcome sink', () => {
  test('gets each outcome in request order, as soon as every earlier request is over', async () => {
    const log: string[] = [];
    const outcomes: Outcome[] = [];
    const result = await runScenario({
      module: hello.bytes,
      // Request 0's body ends at 500 ms; request 1 comes and goes at 10 ms; request 2 comes at 1 s.
      scenario: scenario(`requests:
  - { method: POST, path: /slow, body: [{ text: a }, { text: b, after: 500ms }] }
  - { at: 10ms, path: /fast }
  - { at: 1s, path: /later }`),
      defaultConfig: hello.defaultConfig,
      onRequest: (request) => log.push(`arrive ${request.index}`),
      onOutcome: (outcome) => {
        log.push(`outcome ${outcome.index}`);
        outcomes.push(outcome);
      },
    });
    expect(outcomes[0]!.upstreamRequest!.chunks!.at(-1)!.at).toBe(500);
    // Outcome 1 waited for outcome 0, and both went out before request 2 arrived.
    expect(log).toEqual(['arrive 0', 'arrive 1', 'outcome 0', 'outcome 1', 'arrive 2', 'outcome 2']);
    expect(result.outcomes).toEqual(outcomes);
  });

  test('stops after the event in progress when the signal aborts, with the outcomes so far', async () => {
    const stop = new AbortController();
    let count = 0;
    const result = await runScenario({
      module,
      scenario: scenario('requests: [{ path: /hello, repeat: 100000, every: 1ms }]'),
      defaultConfig: hello.defaultConfig,
      keepOutcomes: 10,
      signal: stop.signal,
      onOutcome: () => {
        if (++count === 2500) stop.abort();
      },
    });
    expect(result.interrupted).toBe(true);
    expect(result.summary.requests).toBe(2500);
    expect(result.outcomes.map((o) => o.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(result.summary.omitted).toBe(2490);
  });
});
