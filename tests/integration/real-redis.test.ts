import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { tcpRedisBackend } from '../../src/harness/node/tcp-redis-backend.ts';
import { runScenario } from '../../src/harness/run.ts';
import { loadExample, scenario, type LoadedPlugin } from '../helpers/plugins.ts';

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
