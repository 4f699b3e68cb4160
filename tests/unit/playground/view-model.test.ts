import { beforeAll, describe, expect, test } from 'vitest';
import type { RunResult } from '../../../src/harness/run.ts';
import {
  changedHeaderValues,
  countAxis,
  formatSeconds,
  niceStep,
  outcomeRows,
  redisRows,
  statusClass,
  timeAxis,
  timelineKind,
  timelinePoints,
} from '../../../src/playground/views/view-model.ts';
import { fault, LIMITER_SCENARIO, runFaulty, runLimiter, runRedisDatabase } from './real-runs.ts';

const REDIS = 'clusters:\n  - { type: redis, name: redis.static, port: 6379 }';

let limiter: RunResult;
beforeAll(async () => {
  limiter = await runLimiter(LIMITER_SCENARIO);
});

describe('formatSeconds', () => {
  test('writes milliseconds as seconds without trailing zeros', () => {
    expect([0, 1000, 1500, 61000, 250, 1, 0.1 + 0.2].map(formatSeconds)).toEqual(['0s', '1s', '1.5s', '61s', '0.25s', '0.001s', '0s']);
  });
});

describe('statusClass', () => {
  test('sorts statuses into badge families, with none for a missing response', () => {
    expect([200, 204, 302, 404, 429, 500, 503, 0, 101].map(statusClass)).toEqual([
      'ok',
      'ok',
      'redirect',
      'client-error',
      'client-error',
      'server-error',
      'server-error',
      'none',
      'none',
    ]);
  });
});

describe('outcomeRows', () => {
  test('summarises the example scenario: three allowed, a 429 from the plugin at 3s, a new minute at 61s', () => {
    const rows = outcomeRows(limiter.outcomes);
    expect(rows.map((r) => [r.index, r.timeLabel, r.method, r.path, r.status, r.statusClass, r.source])).toEqual([
      [0, '0s', 'GET', '/get', '200', 'ok', 'upstream'],
      [1, '1s', 'GET', '/get', '200', 'ok', 'upstream'],
      [2, '2s', 'GET', '/get', '200', 'ok', 'upstream'],
      [3, '3s', 'GET', '/get', '429', 'client-error', 'plugin'],
      [4, '61s', 'GET', '/get', '200', 'ok', 'upstream'],
    ]);
  });

  test('pairs the headers the plugin changed with the values the client received', () => {
    const rows = outcomeRows(limiter.outcomes);
    expect(rows[0]!.changedHeaders).toEqual([
      { name: 'timestamp', value: '1735689600' },
      { name: 'calltimeleft', value: '2' },
    ]);
    expect(rows[3]!.changedHeaders).toEqual([
      { name: 'timestamp', value: '1735689600' },
      { name: 'calltimeleft', value: '0' },
    ]);
    expect(rows[4]!.changedHeaders.map((h) => h.value)).toEqual(['1735689660', '2']);
  });

  test('counts log lines by level', () => {
    const rows = outcomeRows(limiter.outcomes);
    // The wasm-go Redis client logs a start and an end line per call: INCR, plus EXPIRE on a minute's first request.
    expect(rows.map((r) => r.logCounts.debug)).toEqual([4, 2, 2, 2, 4]);
    expect(rows[0]!.logCounts).toMatchObject({ trace: 0, info: 0, warn: 0, error: 0, critical: 0 });
    expect(rows.every((r) => r.error === null)).toBe(true);
  });

  test('shows a dash and no badge colour when the plugin stalled the request and no response came', async () => {
    const { outcomes } = await runFaulty(`requests:\n${fault('stall')}`);
    const [row] = outcomeRows(outcomes);
    expect(row).toMatchObject({ status: '—', statusClass: 'none', source: 'gateway', error: { kind: 'stalled' } });
    expect(row!.error!.hint).toContain('did you mean HeaderContinue?');
  });

  test('carries the error kind, message and hint of a trapped request answered by the gateway', async () => {
    const { outcomes } = await runFaulty(`requests:\n${fault('panic')}`, { env: { WASM_DISABLE_PANIC_RECOVERY: 'true' } });
    const [row] = outcomeRows(outcomes);
    expect(row).toMatchObject({ status: '503', statusClass: 'server-error', source: 'gateway', error: { kind: 'plugin-trap' } });
    expect(row!.error!.message).toContain('fixture panic: boom');
    expect(row!.logCounts.error).toBeGreaterThan(0);
  });
});

describe('changedHeaderValues', () => {
  test('lists a header sent twice once per value, in response order', () => {
    const headers: Array<[string, string]> = [['set-cookie', 'a=1'], ['x', 'y'], ['set-cookie', 'b=2']];
    expect(changedHeaderValues({ headers, changedHeaders: ['set-cookie'] })).toEqual([
      { name: 'set-cookie', value: 'a=1' },
      { name: 'set-cookie', value: 'b=2' },
    ]);
  });
});

describe('timelinePoints', () => {
  test('marks the 429 as rejected and reads the remaining quota from calltimeleft', () => {
    const points = timelinePoints(limiter.outcomes);
    expect(points.map((p) => [p.atMs, p.kind, p.status, p.remaining])).toEqual([
      [0, 'allowed', 200, 2],
      [1000, 'allowed', 200, 1],
      [2000, 'allowed', 200, 0],
      [3000, 'rejected', 429, 0],
      [61000, 'allowed', 200, 2],
    ]);
  });

  test('has no remaining quota when Redis is down and the plugin lets requests through without the header', async () => {
    const { outcomes } = await runLimiter('clusters:\n  - { type: redis, name: redis.static, port: 6379, down: true }\nrequests:\n  - { path: /get, repeat: 2 }');
    expect(timelinePoints(outcomes).map((p) => [p.kind, p.remaining])).toEqual([
      ['allowed', null],
      ['allowed', null],
    ]);
  });

  test('marks a trap, a stall and a failed-open trap as failed, and the request after the trap as allowed', async () => {
    const env = { WASM_DISABLE_PANIC_RECOVERY: 'true' };
    const closed = await runFaulty(`requests:\n${fault('panic')}\n  - { path: /after, at: 1s }\n${fault('stall', ', at: 2s')}`, { env });
    expect(timelinePoints(closed.outcomes).map((p) => [p.atMs, p.kind, p.status])).toEqual([
      [0, 'failed', 503],
      [1000, 'allowed', 200],
      [2000, 'failed', 0],
    ]);
    const open = await runFaulty(`failStrategy: FAIL_OPEN\nrequests:\n${fault('panic-raw')}`);
    expect(open.outcomes[0]).toMatchObject({ status: 200, source: 'upstream' });
    expect(timelinePoints(open.outcomes)[0]!.kind).toBe('failed');
  });
});

describe('timelineKind', () => {
  test('treats an upstream error status as failed and a plugin local reply below 400 as allowed', () => {
    expect(timelineKind({ status: 502, source: 'upstream' })).toBe('failed');
    expect(timelineKind({ status: 302, source: 'plugin' })).toBe('allowed');
    expect(timelineKind({ status: 403, source: 'plugin' })).toBe('rejected');
  });
});

describe('niceStep', () => {
  test('rounds up to 1, 2 or 5 times a power of ten', () => {
    expect([1, 3, 7, 12, 12_200, 20_000, 0].map(niceStep)).toEqual([1, 5, 10, 20, 20_000, 20_000, 1]);
  });
});

describe('timeAxis', () => {
  test('covers the last request with whole-step ticks from 0', () => {
    expect(timeAxis(61_000)).toEqual({ max: 80_000, ticks: [0, 20_000, 40_000, 60_000, 80_000] });
    expect(timeAxis(3000)).toEqual({ max: 3000, ticks: [0, 1000, 2000, 3000] });
  });

  test('spans one second when every request arrives at 0', () => {
    expect(timeAxis(0)).toEqual({ max: 1000, ticks: [0, 200, 400, 600, 800, 1000] });
  });
});

describe('countAxis', () => {
  test('uses integer ticks for a small quota', () => {
    expect(countAxis(2)).toEqual({ max: 2, ticks: [0, 1, 2] });
    expect(countAxis(0)).toEqual({ max: 1, ticks: [0, 1] });
    expect(countAxis(100)).toEqual({ max: 100, ticks: [0, 50, 100] });
  });
});

describe('redisRows', () => {
  test('lists the key left after the example run, with the TTL EXPIRE 60 set', () => {
    expect(redisRows(limiter.redis)).toEqual([
      { cluster: 'outbound|6379||redis.static', db: 0, key: '1735689660', type: 'string', value: '1', ttl: '60s' },
    ]);
  });

  test('shows the TTL left at the end of the run', async () => {
    const { redis } = await runLimiter(`${REDIS}\nrequests:\n  - { path: /get }\n  - { path: /get, at: 15s }`);
    expect(redisRows(redis).map((r) => [r.key, r.value, r.ttl])).toEqual([['1735689600', '2', '45s']]);
  });

  test('renders a seeded hash as field lines and a key without expiry as a dash', async () => {
    const { redis } = await runLimiter(
      `clusters:\n  - { type: redis, name: redis.static, port: 6379, seed: { "user:1": { name: ada, visits: 3 }, plain: hello } }\nrequests:\n  - { path: /get }`,
    );
    expect(redisRows(redis).filter((r) => r.key !== '1735689600')).toEqual([
      { cluster: 'outbound|6379||redis.static', db: 0, key: 'plain', type: 'string', value: 'hello', ttl: '—' },
      { cluster: 'outbound|6379||redis.static', db: 0, key: 'user:1', type: 'hash', value: 'name: ada\nvisits: 3', ttl: '—' },
    ]);
  });

  test('renders lists and sets one element per line and sorted sets as member: score by score', async () => {
    const { MemoryRedis, encodeCommand, handleQuery } = await import('../../../src/harness/redis/index.ts');
    const engine = new MemoryRedis();
    const session = engine.newSession();
    for (const command of [['rpush', 'queue', 'a', 'b'], ['sadd', 'ids', '10', '2'], ['zadd', 'window', '2.5', 'late', '1', 'early']]) {
      handleQuery(engine, session, encodeCommand(command), 0);
    }
    expect(redisRows([{ cluster: 'c', keys: engine.snapshot(0) }]).map((r) => [r.key, r.type, r.value])).toEqual([
      ['ids', 'set', '2\n10'],
      ['queue', 'list', 'a\nb'],
      ['window', 'zset', 'early: 1\nlate: 2.5'],
    ]);
  });

  test('tells the database of each key, database 0 first', async () => {
    const { redis } = await runRedisDatabase(
      'clusters:\n  - { type: redis, name: redis.static, seed: { hits: 5 }, databases: { 3: { other: x } } }\nrequests:\n  - { path: / }',
      { database: 2 },
    );
    expect(redisRows(redis).map((r) => [r.db, r.key, r.value])).toEqual([
      [0, 'hits', '5'],
      [2, 'hits', '1'],
      [3, 'other', 'x'],
    ]);
  });

  test('is empty when the scenario has no Redis cluster', async () => {
    const { redis } = await runFaulty('requests: [{ path: / }]');
    expect(redisRows(redis)).toEqual([]);
  });
});
