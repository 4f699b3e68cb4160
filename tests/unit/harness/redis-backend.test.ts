import { describe, expect, test } from 'vitest';
import { memoryRedisBackend, type RedisConnectOptions } from '../../../src/harness/redis-backend.ts';
import { decodeResp, encodeCommand, formatReply } from '../../../src/harness/redis/index.ts';

const CLUSTER = 'outbound|6379||redis.static';
const T0 = Date.UTC(2025, 0, 1);
const options = (more: Partial<RedisConnectOptions>): RedisConnectOptions => ({ username: '', password: '', db: null, timeoutMs: 1000, ...more });

/** Sends command lines on one connection; each reply as redis-cli prints it, with the database it ran in. */
async function transcript(connection: Awaited<ReturnType<ReturnType<typeof memoryRedisBackend>['connect']>>, ...commands: string[][]) {
  const lines: string[] = [];
  for (const command of commands) {
    const { bytes, db } = await connection.send(encodeCommand(command), T0);
    lines.push(`[${db}] ${command.join(' ')} → ${formatReply(decodeResp(bytes).value)}`);
  }
  return lines;
}

describe('memoryRedisBackend', () => {
  test('selects the database redis_init asked for, so the plugin\'s commands act on it', async () => {
    const backend = memoryRedisBackend([{ cluster: CLUSTER, seed: { hits: 5 } }]);
    const connection = await backend.connect({ cluster: CLUSTER }, options({ db: '2' }), T0);
    expect(connection.failedSelect).toBeNull();
    expect(await transcript(connection, ['incr', 'hits'], ['select', '0'], ['get', 'hits'])).toEqual([
      '[2] incr hits → (integer) 1',
      '[2] select 0 → OK',
      '[0] get hits → "5"',
    ]);
  });

  test('stays in database 0 when SELECT fails, and tells the server\'s error', async () => {
    const backend = memoryRedisBackend([{ cluster: CLUSTER }]);
    const outOfRange = await backend.connect({ cluster: CLUSTER }, options({ db: '16' }), T0);
    const notNumber = await backend.connect({ cluster: CLUSTER }, options({ db: 'abc' }), T0);
    expect([outOfRange.failedSelect, notNumber.failedSelect]).toEqual([
      { db: '16', error: 'ERR DB index is out of range' },
      { db: 'abc', error: 'ERR value is not an integer or out of range' },
    ]);
    expect(await transcript(outOfRange, ['incr', 'hits'])).toEqual(['[0] incr hits → (integer) 1']);
  });

  test('selects after AUTH, and not at all when AUTH fails', async () => {
    const backend = memoryRedisBackend([{ cluster: CLUSTER, password: 'right' }]);
    const right = await backend.connect({ cluster: CLUSTER }, options({ password: 'right', db: '3' }), T0);
    const wrong = await backend.connect({ cluster: CLUSTER }, options({ password: 'wrong', db: '3' }), T0);
    expect(await transcript(right, ['incr', 'hits'])).toEqual(['[3] incr hits → (integer) 1']);
    expect(wrong.failedSelect).toBeNull();
    expect(await transcript(wrong, ['incr', 'hits'])).toEqual(['[0] incr hits → (error) WRONGPASS invalid username-password pair or user is disabled.']);
  });

  test('snapshots database 0 of every cluster and each other database that holds keys', async () => {
    const backend = memoryRedisBackend([{ cluster: CLUSTER, databases: { 4: { seeded: 'x' } } }, { cluster: 'other' }]);
    await (await backend.connect({ cluster: CLUSTER }, options({ db: '1' }), T0)).send(encodeCommand(['set', 'k', 'v']), T0);
    expect(backend.snapshot!(T0)).toEqual([
      { cluster: CLUSTER, keys: [] },
      { cluster: CLUSTER, db: 1, keys: [{ key: 'k', type: 'string', value: 'v', ttlMs: null }] },
      { cluster: CLUSTER, db: 4, keys: [{ key: 'seeded', type: 'string', value: 'x', ttlMs: null }] },
      { cluster: 'other', keys: [] },
    ]);
  });
});
