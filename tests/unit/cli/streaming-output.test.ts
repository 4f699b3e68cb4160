/**
 * `wasm-lab run` prints outcomes as they come: the JSON array must be valid JSON wherever the run
 * stops, byte for byte the whole array's JSON when it does not; the table, printed row by row,
 * must read as the whole table did for a short run; the progress line says done/total, rate, ETA.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { DETAILS_SHOWN, formatRun, JsonArrayWriter, jsonLine, RunTable, toJson } from '../../../src/cli/format.ts';
import { junitXml } from '../../../src/cli/junit.ts';
import { ProgressLine } from '../../../src/cli/progress.ts';
import type { ScenarioReport } from '../../../src/cli/test.ts';
import type { Outcome } from '../../../src/harness/outcome.ts';
import type { RunResult } from '../../../src/harness/run.ts';

/** JSON values with the awkward parts of outcomes: nested objects, strings with newlines and quotes, empty lists. */
const jsonValue = fc.jsonValue({ maxDepth: 3 });

function outcome(index: number, overrides: Partial<Outcome> = {}): Outcome {
  return {
    index,
    at: index * 1000,
    request: { method: 'GET', path: `/p${index}`, headers: [], body: '' },
    status: 200,
    headers: [['x-hello', 'world']],
    body: 'ok',
    source: 'plugin',
    upstreamRequest: null,
    logs: [],
    redis: [],
    httpCalls: [],
    changedHeaders: ['x-hello'],
    pluginTimeUs: 10,
    ...overrides,
  };
}

describe('JsonArrayWriter', () => {
  test('is valid JSON holding the items so far at every stop, and the whole array JSON at the end', () => {
    fc.assert(
      fc.property(fc.array(jsonValue, { maxLength: 12 }), fc.nat(), (items, stopAt) => {
        const stop = items.length === 0 ? 0 : stopAt % (items.length + 1);
        const writer = new JsonArrayWriter();
        let text = '';
        items.slice(0, stop).forEach((item) => (text += writer.item(item)));
        text += writer.end();
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(items.slice(0, stop))));
        // Stopped or not, the text is what printing the array at once gives.
        expect(text).toBe(`${toJson(items.slice(0, stop))}\n`);
      }),
      { numRuns: 300 },
    );
  });

  test('jsonLine writes one compact line per value, bigints as strings', () => {
    expect(jsonLine({ a: 'x\ny', n: 5n })).toBe('{"a":"x\\ny","n":"5"}\n');
  });
});

describe('RunTable', () => {
  test('prints a short run exactly as formatRun prints it whole', () => {
    const outcomes = [outcome(0), outcome(1, { status: 429, source: 'plugin', error: { kind: 'stalled', message: 'held', hint: 'resume it' } }), outcome(12, { logs: [{ level: 'warn', message: 'careful' }] })];
    const table = new RunTable();
    const text = outcomes.map((o) => table.add(o)).join('') + table.end();
    expect(text).toBe(`${formatRun({ outcomes } as RunResult)}\n`);
    expect(text).toContain('\n#1 stalled: held\n   hint: resume it');
  });

  test('prints rows as they come once the first ones have sized the columns, leaving room for longer numbers', () => {
    const table = new RunTable({ bufferRows: 2, total: 2000 });
    expect(table.add(outcome(0))).toBe('');
    const first = table.add(outcome(1));
    expect(first.split('\n').slice(0, 3)).toEqual([
      '#     at       request  status  by      redis  plugin headers / error',
      '0     0s       GET /p0  200     plugin         x-hello: world',
      '1     1s       GET /p1  200     plugin         x-hello: world',
    ]);
    expect(table.add(outcome(1999))).toBe('1999  1999s    GET /p1999  200     plugin         x-hello: world\n');
    expect(table.end()).toBe('');
  });

  test('lists the first DETAILS_SHOWN problems after the table and counts the rest', () => {
    const table = new RunTable({ bufferRows: 1 });
    for (let i = 0; i < DETAILS_SHOWN + 5; i++) table.add(outcome(i, { logs: [{ level: 'error', message: `bad ${i}` }] }));
    const end = table.end();
    expect(end).toContain(`#${DETAILS_SHOWN - 1} [error] bad ${DETAILS_SHOWN - 1}\n`);
    expect(end).not.toContain(`[error] bad ${DETAILS_SHOWN}\n`);
    expect(end).toContain('… and 5 more warnings not shown here; --jsonl prints every outcome in full\n');
  });
});

describe('ProgressLine', () => {
  test('says requests done of the total, the rate and the time left, once the run has gone on two seconds', () => {
    let now = 0;
    const lines: string[] = [];
    const progress = new ProgressLine({ stream: { isTTY: false, write: (text: string) => lines.push(text) }, env: { WASM_LAB_PROGRESS: '1' }, now: () => now });
    progress.start(100_000);
    progress.advance(5_000);
    now = 1000;
    progress.draw();
    expect(lines).toEqual([]);
    now = 2500;
    progress.advance(5_000);
    progress.draw();
    expect(lines).toEqual(['10,000/100,000 requests · 4,000/s · ETA 23s\n']);
    progress.stop();
  });

  test('redraws in place on a terminal and takes itself off at the end; shows nothing when hidden', () => {
    let now = 0;
    const written: string[] = [];
    const progress = new ProgressLine({ stream: { isTTY: true, write: (text: string) => written.push(text) }, env: {}, now: () => now });
    now = 3000;
    progress.start(10);
    progress.advance(10);
    progress.draw();
    progress.stop();
    expect(written).toEqual(['\r\x1b[K10/10 requests · 3/s', '\r\x1b[K']);
    const hidden: string[] = [];
    const off = new ProgressLine({ stream: { isTTY: true, write: (text: string) => hidden.push(text) }, env: { WASM_LAB_PROGRESS: '0' }, now: () => (now += 5000) });
    off.draw();
    off.stop();
    expect(hidden).toEqual([]);
  });
});

describe('junitXml for a long run', () => {
  test('names the cases it kept and stands for the rest with one case each for passed and failed', () => {
    const failure = { path: 'requests[0].expect.status', keys: ['status'], expected: 200, actual: 429, message: 'expected status 200, got 429.', index: 7, request: 'GET / at 7s' };
    const report: ScenarioReport = {
      scenario: 'long.yaml',
      status: 'failed',
      checked: 5000,
      failures: [failure],
      cases: [{ name: '#0 GET / at 0s', failures: [] }, { name: '#7 GET / at 7s', failures: [failure] }],
      casesOmitted: { passed: 3998, failed: 1000 },
    };
    const xml = junitXml([report], 1);
    expect(xml).toContain('<testsuites name="wasm-lab test" tests="4" failures="2" errors="0"');
    expect(xml).toContain('<testcase classname="long.yaml" name="… 3,998 more requests passed"/>');
    expect(xml).toContain('<testcase classname="long.yaml" name="… 1,000 more requests failed">\n      <failure message="1,000 more requests failed their checks; wasm-lab test lists the first ones" type="expectation"/>');
  });
});
