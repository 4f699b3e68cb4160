import { describe, expect, test } from 'vitest';
import { formatRun } from '../../../src/cli/format.ts';
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
