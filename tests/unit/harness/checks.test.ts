import { describe, expect, test } from 'vitest';
import { allFailures, checkScenario } from '../../../src/harness/checks.ts';
import type { Outcome } from '../../../src/harness/outcome.ts';
import { expandRequests, parseScenario } from '../../../src/harness/scenario.ts';

/** A plain outcome of `GET /` answered by the upstream; `at` and `status` vary per test. */
function outcome(index: number, at: number, status: number): Outcome {
  return {
    index,
    at,
    request: { method: 'GET', path: '/', headers: [], body: '' },
    status,
    headers: [['content-type', 'application/json']],
    body: '{"ok":true}',
    source: status === 200 ? 'upstream' : 'plugin',
    upstreamRequest: status === 200 ? { headers: [], body: '' } : null,
    logs: [],
    redis: [],
    httpCalls: [],
    changedHeaders: [],
    pluginTimeUs: 1,
  };
}

const requestsOf = (requests: unknown[]) => expandRequests(parseScenario({ requests }));

describe('checkScenario', () => {
  test('checks nothing and gives null per outcome when no request has an expect block', () => {
    const checks = checkScenario(requestsOf([{ path: '/' }, { path: '/' }]), [outcome(0, 0, 200), outcome(1, 0, 200)]);
    expect(checks).toEqual({ checked: 0, passed: 0, byOutcome: [null, null] });
  });

  test('counts every repeat of a spec and names its failures by the spec, as written', () => {
    const requests = requestsOf([{ repeat: 3, every: '1s', expect: { status: 200 } }]);
    const checks = checkScenario(requests, [outcome(0, 0, 200), outcome(1, 1000, 200), outcome(2, 2000, 429)]);
    expect(checks.checked).toBe(3);
    expect(checks.passed).toBe(2);
    expect(checks.byOutcome.map((failures) => failures?.map((f) => `#${f.index} ${f.path}: ${f.message}`))).toEqual([
      [],
      [],
      ['#2 requests[0].expect.status: expected status 200, got 429.'],
    ]);
  });

  test('matches each outcome to the request that arrived at its index when repeats interleave with a later spec', () => {
    // requests[0] at 0s and 2s, requests[1] at 1s: outcome 1 is requests[1], outcome 2 the second repeat.
    const requests = requestsOf([{ repeat: 2, every: '2s', expect: { status: 200 } }, { at: '1s', expect: { status: 429 } }]);
    const checks = checkScenario(requests, [outcome(0, 0, 200), outcome(1, 1000, 429), outcome(2, 2000, 429)]);
    expect(checks.byOutcome.map((failures) => failures?.map((f) => `#${f.index} ${f.path}`))).toEqual([[], [], ['#2 requests[0].expect.status']]);
    expect(checks).toMatchObject({ checked: 3, passed: 2 });
  });

  test('leaves requests without an expect block out of the count, beside ones that fail', () => {
    const requests = requestsOf([{ expect: { status: 200, source: 'upstream' } }, { at: '1s' }, { at: '2s', expect: { status: 429 } }]);
    const checks = checkScenario(requests, [outcome(0, 0, 429), outcome(1, 1000, 200), outcome(2, 2000, 429)]);
    expect(checks.checked).toBe(2);
    expect(checks.passed).toBe(1);
    expect(checks.byOutcome.map((failures) => failures?.map((f) => f.keys.join('.')) ?? null)).toEqual([['status', 'source'], null, []]);
  });

  test('gives plain data that survives structured cloning (the Worker boundary)', () => {
    const requests = requestsOf([{ expect: { status: 200, headers: { 'x-foo': 'a' }, logs: ['hit'] } }]);
    const checks = checkScenario(requests, [outcome(0, 0, 429)]);
    expect(structuredClone(checks)).toEqual(checks);
  });
});

describe('allFailures', () => {
  test('lists every failure in outcome order, as wasm-lab test prints them', () => {
    const requests = requestsOf([{ expect: { status: 201 } }, { at: '1s', expect: { status: 202 } }]);
    const checks = checkScenario(requests, [outcome(0, 0, 200), outcome(1, 1000, 200)]);
    expect(allFailures(checks).map((f) => f.path)).toEqual(['requests[0].expect.status', 'requests[1].expect.status']);
  });

  test('is empty when every check passes', () => {
    const checks = checkScenario(requestsOf([{ expect: { status: 200 } }]), [outcome(0, 0, 200)]);
    expect(allFailures(checks)).toEqual([]);
  });
});
