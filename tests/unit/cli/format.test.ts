import { describe, expect, test } from 'vitest';
import { formatRun } from '../../../src/cli/format.ts';
import type { RunResult } from '../../../src/harness/run.ts';
import type { Outcome } from '../../../src/harness/outcome.ts';
import { runRedisDatabase } from '../playground/real-runs.ts';

const SCENARIO = 'clusters:\n  - { type: redis, name: redis.static }\nrequests:\n  - { path: /, repeat: 2 }';

describe('formatRun', () => {
  test('marks Redis commands that ran outside database 0 with their database', async () => {
    expect(formatRun(await runRedisDatabase(SCENARIO, { database: 2 }))).toMatchInlineSnapshot(`
      "#  at  request  status  by      redis       plugin headers / error
      0  0s  GET /    200     plugin  db2:incr→1  x-count: 1
      1  0s  GET /    200     plugin  db2:incr→2  x-count: 2"
    `);
  });

  test('leaves commands in database 0 unmarked', async () => {
    expect(formatRun(await runRedisDatabase(SCENARIO, {}))).toContain('plugin  incr→1  x-count: 1');
  });
});

describe('formatRun with streamed bodies', () => {
  test('lists each chunk after the table with its time after the request arrived, then the trailers', async () => {
    const result = await runRedisDatabase(SCENARIO, {});
    const streamed: Outcome = {
      ...result.outcomes[0]!,
      at: 1000,
      upstreamRequest: { headers: [], body: 'ab', chunks: [{ at: 1000, body: 'a' }, { at: 1010, body: 'b' }] },
      chunks: [{ at: 1000, body: 'data: 1\n\n' }, { at: 2000, body: 'x'.repeat(200) }],
      trailers: [['x-token-usage', '42']],
    };
    const text = formatRun({ ...result, outcomes: [streamed] } as RunResult);
    expect(text.slice(text.indexOf('\n\n#0'))).toMatchInlineSnapshot(`
      "

      #0 the upstream received (2 chunks):
         +0ms     "a"
         +10ms    "b"

      #0 the client received (2 chunks):
         +0ms     "data: 1\\n\\n"
         +1s      "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…" (200 bytes)
         trailers: x-token-usage: 42"
    `);
  });
});
