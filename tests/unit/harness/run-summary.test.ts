import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ChecksCollector, FAILED_REQUESTS_KEPT } from '../../../src/harness/checks.ts';
import type { Outcome } from '../../../src/harness/outcome.ts';
import { LogHistogram, SummaryCollector } from '../../../src/harness/run-summary.ts';

function outcome(index: number, status: number, pluginTimeUs: number, error?: string): Outcome {
  return {
    index, at: index, request: { method: 'GET', path: '/', headers: [], body: '' }, status, headers: [], body: '', source: 'plugin',
    upstreamRequest: null, logs: [], redis: [], httpCalls: [], changedHeaders: [], pluginTimeUs, ...(error ? { error: { kind: error, message: error } } : {}),
  };
}

/** Percentile by nearest rank over the sorted values: what the histogram approximates. */
function exactPercentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]!;
}

describe('LogHistogram', () => {
  test('is exact below 128 µs and within 1.6 % above, in fixed memory', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 127 }), fc.integer({ min: 0, max: 50_000_000 })), { minLength: 1, maxLength: 400 }), fc.constantFrom(50, 90, 99, 100), (values, p) => {
        const histogram = new LogHistogram();
        for (const v of values) histogram.add(v);
        const exact = exactPercentile(values, p);
        const got = histogram.percentile(p);
        if (exact < 128) expect(got).toBe(exact);
        else expect(Math.abs(got - exact) / exact).toBeLessThanOrEqual(1 / 64);
        expect(histogram.max).toBe(Math.max(...values));
      }),
      { numRuns: 300 },
    );
  });
});

describe('SummaryCollector', () => {
  test('counts statuses and error kinds and summarises plugin time', () => {
    const summary = new SummaryCollector();
    [outcome(0, 200, 10), outcome(1, 429, 20), outcome(2, 0, 30, 'stalled'), outcome(3, 200, 40)].forEach((o) => summary.add(o));
    expect(summary.summary(4, 2)).toEqual({
      requests: 4,
      omitted: 4,
      byStatus: { '200': 2, '429': 1, '0': 1 },
      errors: { stalled: 1 },
      pluginTimeUs: { p50: 20, p90: 40, p99: 40, max: 40, mean: 25 },
      redisKeys: 2,
    });
  });
});

describe('ChecksCollector', () => {
  const expectOk = { specPath: 'requests[0]', expect: { status: 200 } };
  test('keeps every entry by default, as checkScenario gives them', () => {
    const checks = new ChecksCollector();
    checks.add(outcome(0, 200, 1), expectOk);
    checks.add(outcome(1, 200, 1), { specPath: 'requests[1]', expect: undefined });
    expect(checks.add(outcome(2, 429, 1), expectOk)!.map((f) => f.message)).toEqual(['expected status 200, got 429.']);
    expect(checks.result()).toEqual({ checked: 2, passed: 1, byOutcome: [[], null, [expect.objectContaining({ index: 2 })]] });
  });

  test('without entries, keeps the failures of the first FAILED_REQUESTS_KEPT failing requests and counts the rest', () => {
    const checks = new ChecksCollector(0);
    for (let i = 0; i < FAILED_REQUESTS_KEPT + 7; i++) checks.add(outcome(i, i === 3 ? 200 : 500, 1), expectOk);
    const result = checks.result();
    expect(result).toMatchObject({ checked: FAILED_REQUESTS_KEPT + 7, passed: 1, byOutcome: [], failuresOmitted: 6 });
    expect(result.failures!.map((f) => f.index).slice(0, 4)).toEqual([0, 1, 2, 4]);
    expect(result.failures).toHaveLength(FAILED_REQUESTS_KEPT);
  });
});
