import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, type Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { tcpRedisBackend } from '../../src/harness/node/tcp-redis-backend.ts';
import type { RedisBackend } from '../../src/harness/redis-backend.ts';
import { runScenario, type RunResult } from '../../src/harness/run.ts';
import { loadExample, loadFixture, scenario, type LoadedPlugin } from '../helpers/plugins.ts';

const hasRedis = spawnSync('redis-server', ['--version']).status === 0;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  await new Promise((ok) => server.close(ok));
  return port;
}

let server: ChildProcess | undefined;
let url = '';
let port = 0;

beforeAll(async () => {
  if (!hasRedis) return;
  port = await freePort();
  server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50; i++) {
    if (spawnSync('redis-cli', ['-p', String(port), 'ping']).stdout?.toString().includes('PONG')) return;
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error(`redis-server did not start on port ${port}`);
});

afterAll(() => {
  server?.kill();
});

/** Example plugins whose scenario talks to Redis: INCR/EXPIRE, and a Lua script through EVAL. */
const REDIS_EXAMPLES = ['redis-limiter', 'token-bucket'];

describe.skipIf(!hasRedis)('examples against a real redis-server (skipped: redis-server is not installed)', () => {
  for (const example of REDIS_EXAMPLES) {
    test(`${example} gives the same outcomes as with the embedded Redis`, async () => {
      const plugin: LoadedPlugin = await loadExample(example);
      const yaml = readFileSync(join(import.meta.dirname, '../../examples', example, 'scenario.yaml'), 'utf8');
      const summarize = (r: Awaited<ReturnType<typeof runScenario>>) =>
        r.outcomes.map((o) => ({ status: o.status, source: o.source, headers: o.headers, redis: o.redis.map((x) => `${x.command} → ${x.reply}`) }));
      const memory = await runScenario({ module: plugin.bytes, scenario: scenario(yaml), defaultConfig: plugin.defaultConfig });
      spawnSync('redis-cli', ['-p', String(port), 'flushall']);
      const tcp = tcpRedisBackend(url);
      try {
        const real = await runScenario({ module: plugin.bytes, scenario: scenario(yaml), defaultConfig: plugin.defaultConfig, redis: () => tcp });
        expect(summarize(real)).toEqual(summarize(memory));
        expect(memory.outcomes.some((o) => o.redis.length > 0)).toBe(true);
      } finally {
        await tcp.close();
      }
    });
  }
});

/** Starts one more redis-server on a free port, with extra arguments (e.g. ACL users); stop() ends it. */
async function startServer(args: string[] = []): Promise<{ port: number; stop(): void }> {
  const serverPort = await freePort();
  const child = spawn('redis-server', ['--port', String(serverPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...args], { stdio: 'ignore' });
  for (let i = 0; i < 50; i++) {
    // Any reply (PONG, or NOAUTH when the default user is off) means it is listening.
    if (spawnSync('redis-cli', ['-p', String(serverPort), 'ping']).stdout?.toString().trim()) return { port: serverPort, stop: () => child.kill() };
    await new Promise((ok) => setTimeout(ok, 100));
  }
  child.kill();
  throw new Error(`redis-server did not start on port ${serverPort}`);
}

/** One command through redis-cli at a redis:// URL (credentials and database included); its reply, trimmed. */
function redisCli(redisUrl: string, ...command: string[]): string {
  return spawnSync('redis-cli', ['-u', redisUrl, '--no-auth-warning', ...command]).stdout.toString().trim();
}

/**
 * The redis-database fixture: every request INCRs `hits` in the database its config names and is
 * answered 200 with x-count, or 502 with the Redis error (tests/fixtures/redis-database/README.md).
 */
let databasePlugin: LoadedPlugin;
const DATABASE_SCENARIO = 'clusters:\n  - { type: redis, name: redis.static, port: 6379 }\nrequests:\n  - { path: /, repeat: 2, every: 1s }';

async function runDatabasePlugin(config: Record<string, unknown>, redis?: RedisBackend, yaml = DATABASE_SCENARIO): Promise<RunResult> {
  databasePlugin ??= await loadFixture('redis-database');
  return runScenario({ module: databasePlugin.bytes, scenario: scenario(yaml), config, ...(redis ? { redis: () => redis } : {}) });
}

const counts = (result: RunResult) => result.outcomes.map((o) => o.headers.find(([k]) => k === 'x-count')?.[1] ?? `${o.status} ${o.body}`);
const exchanges = (result: RunResult) => result.outcomes.flatMap((o) => o.redis.map((r) => ({ reply: r.reply, db: r.db ?? 0 })));

/** Runs `body` with the embedded engine, and again against a fresh redis-server (skipped with a reason when there is none). */
function inBothHomes(name: string, body: (home: { redis?: RedisBackend; cli?: (db: number, ...command: string[]) => string }) => Promise<void>): void {
  test(`${name}, with the embedded Redis`, () => body({}));
  test.skipIf(!hasRedis)(`${name}, against redis-server (skipped: redis-server is not installed)`, async () => {
    spawnSync('redis-cli', ['-p', String(port), 'flushall']);
    const tcp = tcpRedisBackend(url);
    try {
      await body({ redis: tcp, cli: (db, ...command) => redisCli(`${url}/${db}`, ...command) });
    } finally {
      await tcp.close();
    }
  });
}

describe('Redis databases (redis_init ?db=N, wasm-go WithDataBase)', () => {
  inBothHomes('two runs whose plugin uses database 1 and database 2 keep their keys apart', async ({ redis, cli }) => {
    const one = await runDatabasePlugin({ database: 1 }, redis);
    const two = await runDatabasePlugin({ database: 2 }, redis);
    expect(counts(one)).toEqual(['1', '2']);
    expect(counts(two)).toEqual(['1', '2']);
    expect(exchanges(one)).toEqual([{ reply: '(integer) 1', db: 1 }, { reply: '(integer) 2', db: 1 }]);
    expect(exchanges(two)).toEqual([{ reply: '(integer) 1', db: 2 }, { reply: '(integer) 2', db: 2 }]);
    if (cli) expect([0, 1, 2].map((db) => cli(db, 'get', 'hits'))).toEqual(['', '2', '2']);
    else expect(two.redis.map((r) => [r.db ?? 0, r.keys.map((k) => `${k.key}=${String(k.value)}`)])).toEqual([[0, []], [2, ['hits=2']]]);
  });

  inBothHomes('a database the server lacks leaves the commands in database 0, and the outcome says why', async ({ redis, cli }) => {
    const result = await runDatabasePlugin({ database: 16 }, redis);
    expect(counts(result)).toEqual(['1', '2']);
    expect(exchanges(result).map((e) => e.db)).toEqual([0, 0]);
    expect(result.outcomes[0]!.logs.filter((l) => l.message.startsWith('gateway:'))).toEqual([
      {
        level: 'warn',
        message:
          `gateway: SELECT 16 on "outbound|6379||redis.static" failed (ERR DB index is out of range), so the plugin's commands run in database 0, as on a gateway, which ignores that reply; choose a database the server has (0 to 15 by default).`,
      },
    ]);
    expect(result.outcomes[1]!.logs.some((l) => l.message.startsWith('gateway:'))).toBe(false);
    if (cli) expect(cli(0, 'get', 'hits')).toBe('2');
  });

  test('seeds other databases from databases, and the plugin counts on in its own', async () => {
    const yaml = 'clusters:\n  - { type: redis, name: redis.static, seed: { hits: 5 }, databases: { 2: { hits: 10 }, 3: { other: x } } }\nrequests:\n  - { path: / }';
    const result = await runDatabasePlugin({ database: 2 }, undefined, yaml);
    expect(counts(result)).toEqual(['11']);
    expect(result.redis).toEqual([
      { cluster: 'outbound|6379||redis.static', keys: [{ key: 'hits', type: 'string', value: '5', ttlMs: null }] },
      { cluster: 'outbound|6379||redis.static', db: 2, keys: [{ key: 'hits', type: 'string', value: '11', ttlMs: null }] },
      { cluster: 'outbound|6379||redis.static', db: 3, keys: [{ key: 'other', type: 'string', value: 'x', ttlMs: null }] },
    ]);
  });
});

describe.skipIf(!hasRedis)('--redis URL credentials and database (skipped: redis-server is not installed)', () => {
  let acl: { port: number; stop(): void } | undefined;
  let aclUrl = '';
  beforeAll(async () => {
    acl = await startServer(['--user', 'default', 'off', '--user', 'alice', 'on', '>s3cret', '~*', '&*', '+@all']);
    aclUrl = `redis://alice:s3cret@127.0.0.1:${acl.port}`;
  });
  afterAll(() => acl?.stop());

  async function runWith(redisUrl: string, config: Record<string, unknown>): Promise<RunResult> {
    const tcp = tcpRedisBackend(redisUrl);
    try {
      return await runDatabasePlugin(config, tcp);
    } finally {
      await tcp.close();
    }
  }

  test('authenticates with the URL\'s user and selects its database when the plugin gives neither', async () => {
    const result = await runWith(`${aclUrl}/3`, {});
    expect(counts(result)).toEqual(['1', '2']);
    expect(exchanges(result).map((e) => e.db)).toEqual([3, 3]);
    expect(redisCli(`${aclUrl}/3`, 'get', 'hits')).toBe('2');
  });

  test('selects the plugin\'s database over the URL\'s', async () => {
    const result = await runWith(`${aclUrl}/3`, { database: 4 });
    expect(exchanges(result).map((e) => e.db)).toEqual([4, 4]);
    expect(redisCli(`${aclUrl}/4`, 'get', 'hits')).toBe('2');
  });

  test('stays in database 0 with a gateway warning when the URL\'s database does not exist', async () => {
    const result = await runWith(`${aclUrl}/16`, {});
    expect(exchanges(result).map((e) => e.db)).toEqual([0, 0]);
    expect(result.outcomes[0]!.logs.find((l) => l.message.startsWith('gateway:'))?.message).toContain('SELECT 16 on "outbound|6379||redis.static" failed (ERR DB index is out of range)');
  });

  test('sends the plugin\'s credentials over the URL\'s, as the gateway would', async () => {
    const result = await runWith(`${aclUrl}/3`, { username: 'alice', password: 'wrong' });
    expect(counts(result)).toEqual(Array(2).fill('502 redis error: WRONGPASS invalid username-password pair or user is disabled.'));
  });

  test('gets NOAUTH from a server that needs credentials when neither the plugin nor the URL gives them', async () => {
    const result = await runWith(`redis://127.0.0.1:${acl!.port}`, {});
    expect(counts(result)).toEqual(Array(2).fill('502 redis error: NOAUTH Authentication required.'));
  });
});

describe('a Redis that accepts the connection but never answers', () => {
  let silent: ReturnType<typeof createServer>;
  let silentPort = 0;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((ok) => silent.listen(0, '127.0.0.1', ok));
    silentPort = (silent.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((ok) => silent.close(ok));
  });

  async function runSilent(config: Record<string, unknown>, redisUrl = `redis://127.0.0.1:${silentPort}`, yaml = DATABASE_SCENARIO): Promise<RunResult> {
    const tcp = tcpRedisBackend(redisUrl);
    try {
      return await runDatabasePlugin(config, tcp, yaml);
    } finally {
      await tcp.close();
    }
  }

  test('fails each command as a network error at the client\'s timeout, then connects again', async () => {
    const before = sockets.length;
    const result = await runSilent({ timeout: 200 });
    expect(counts(result)).toEqual(Array(2).fill('502 redis error: cannot connect to redis cluster'));
    expect(exchanges(result).map((e) => e.reply)).toEqual(Array(2).fill(`(failed) no reply from redis at 127.0.0.1:${silentPort} within 200 ms`));
    expect(sockets.length - before).toBe(2);
  });

  test.each([
    ['AUTH', { timeout: 200 }, 'redis://alice:s3cret@127.0.0.1:PORT'],
    ['SELECT', { timeout: 200, database: 1 }, 'redis://127.0.0.1:PORT'],
  ])('fails the same way when the connection\'s %s gets no answer', async (_command, config, redisUrl) => {
    const result = await runSilent(config, redisUrl.replace('PORT', String(silentPort)));
    expect(exchanges(result).map((e) => e.reply)).toEqual(Array(2).fill(`(failed) no reply from redis at 127.0.0.1:${silentPort} within 200 ms`));
  });

  test('uses the gateway client\'s default timeout when redis_init passes none', async () => {
    const result = await runSilent({}, `redis://127.0.0.1:${silentPort}`, 'clusters: [{ type: redis, name: redis.static, port: 6379 }]\nrequests: [{ path: / }]');
    expect(result.outcomes[0]!.redis[0]!.reply).toBe(`(failed) no reply from redis at 127.0.0.1:${silentPort} within 1000 ms`);
  });
});
