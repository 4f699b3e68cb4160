/**
 * requestStream plans requests one at a time; it must give exactly what expanding every repeat and
 * sorting by arrival gave: the same order (by time, ties in the order written), the same indexes.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { countRequests, expandRequests, parseScenario, requestStream, type Scenario } from '../../../src/harness/scenario.ts';

/** The oracle: every repeat of every spec, then a stable sort by arrival time (what expandRequests did before). */
function eagerOrder(scenario: Scenario): Array<{ specIndex: number; repeatIndex: number; atMs: number }> {
  const all: Array<{ specIndex: number; repeatIndex: number; atMs: number }> = [];
  scenario.requests.forEach((spec, specIndex) => {
    const startMs = ms(spec.at);
    for (let repeatIndex = 0; repeatIndex < spec.repeat; repeatIndex++) all.push({ specIndex, repeatIndex, atMs: startMs + repeatIndex * ms(spec.every) });
  });
  return all.sort((a, b) => a.atMs - b.atMs);
}

/** The durations the arbitrary writes: whole milliseconds. */
function ms(duration: string): number {
  return Number(duration.replace(/ms$/, ''));
}

/** Request specs in time order of `at` (the scenario requires it), with repeats and spacing that interleave. */
const specs = fc
  .array(
    fc.record({
      gap: fc.integer({ min: 0, max: 30 }),
      repeat: fc.integer({ min: 1, max: 12 }),
      every: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 25 })),
      expects: fc.boolean(),
    }),
    { minLength: 1, maxLength: 8 },
  )
  .map((list) => {
    let at = 0;
    return list.map(({ gap, repeat, every, expects }, i) => {
      at += gap;
      return { at: `${at}ms`, every: `${every}ms`, repeat, path: `/s${i}`, ...(expects ? { expect: { status: 200 } } : {}) };
    });
  });

describe('requestStream', () => {
  test('yields the eager expansion sorted by arrival, ties in written order, indexed 0, 1, 2…', () => {
    fc.assert(
      fc.property(specs, (requests) => {
        const scenario = parseScenario({ requests });
        const streamed = [...requestStream(scenario)];
        expect(streamed.map((r) => ({ specIndex: r.specIndex, repeatIndex: r.repeatIndex, atMs: r.atMs }))).toEqual(eagerOrder(scenario));
        expect(streamed.map((r) => r.index)).toEqual(streamed.map((_, i) => i));
        expect(streamed.every((r) => r.path === `/s${r.specIndex}` && r.specPath === `requests[${r.specIndex}]`)).toBe(true);
        expect(streamed.every((r) => r.expect === scenario.requests[r.specIndex]!.expect)).toBe(true);
        expect(countRequests(scenario)).toBe(streamed.length);
      }),
      { numRuns: 300 },
    );
  });

  test('is what expandRequests returns, field for field', () => {
    const scenario = parseScenario({
      route: 'r1',
      properties: { tenant: 'a' },
      requests: [
        { path: '/a', repeat: 3, every: '10s', headers: { 'X-A': '1' }, source: '10.0.0.1:1', expect: { status: 200 } },
        { at: '10s', method: 'post', path: '/b', body: 'x', properties: { tenant: 'b' }, route: 'r2', domain: 'b.example' },
      ],
    });
    expect(expandRequests(scenario)).toEqual([...requestStream(scenario)]);
    expect(expandRequests(scenario).map((r) => `${r.index} ${r.specPath}.${r.repeatIndex} ${r.atMs}`)).toEqual([
      '0 requests[0].0 0',
      '1 requests[0].1 10000',
      '2 requests[1].0 10000',
      '3 requests[0].2 20000',
    ]);
  });

  test('makes a million requests without holding them: one entry per spec', () => {
    const scenario = parseScenario({ requests: [{ path: '/a', repeat: 1_000_000, every: '1ms' }, { at: '1s', path: '/b', repeat: 2 }] });
    let count = 0;
    let outOfOrder = 0;
    let last = -1;
    const indexesOfB: number[] = [];
    for (const request of requestStream(scenario)) {
      if (request.atMs < last || request.index !== count) outOfOrder++;
      last = request.atMs;
      if (request.specIndex === 1) indexesOfB.push(request.index);
      count++;
    }
    expect({ count, outOfOrder }).toEqual({ count: 1_000_002, outOfOrder: 0 });
    // /a's 1001st repeat (at 1 s) was written first, so it comes before both /b requests at 1 s.
    expect(indexesOfB).toEqual([1001, 1002]);
  });
});
