import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { loadExample } from '../helpers/plugins.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['--experimental-strip-types', '--no-warnings', join(ROOT, 'src/cli/wasm-lab.ts'), ...args], { cwd: ROOT, encoding: 'utf8' });

beforeAll(async () => {
  await loadExample('redis-limiter');
});

function tempScenario(yaml: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'wasm-lab-')), 'scenario.yaml');
  writeFileSync(file, yaml);
  return file;
}

describe('wasm-lab', () => {
  test('run prints one table row per request with the 429', () => {
    const result = cli('run', 'redis-limiter', '--scenario', 'examples/redis-limiter/scenario.yaml');
    expect(result.status).toBe(0);
    const rows = result.stdout.trim().split('\n').slice(1);
    expect(rows.map((r) => r.split(/\s{2,}/)[3])).toEqual(['200', '200', '200', '429', '200']);
  });

  for (const page of ['content/docs/reference/wasm-lab.mdx', 'content/docs/en/reference/wasm-lab.mdx']) {
    test(`prints exactly the table ${page} says you should see`, () => {
      const text = readFileSync(join(ROOT, page), 'utf8');
      const shown = /```text\n([\s\S]*?)```/.exec(text)?.[1];
      const result = cli('run', 'redis-limiter', '--scenario', 'examples/redis-limiter/scenario.yaml');
      expect(result.stdout).toBe(shown);
    });
  }

  test('run --json prints the outcomes', () => {
    const result = cli('run', 'redis-limiter', '--scenario', 'examples/redis-limiter/scenario.yaml', '--json');
    const outcomes = JSON.parse(result.stdout) as Array<{ status: number; index: number }>;
    expect(outcomes.map((o) => o.status)).toEqual([200, 200, 200, 429, 200]);
  });

  test('--config replaces the example config', () => {
    const result = cli('run', 'redis-limiter', '--scenario', 'examples/redis-limiter/scenario.yaml', '--json', '--config', '{"serviceName":"redis.static","servicePort":6379,"qpm":1}');
    expect((JSON.parse(result.stdout) as Array<{ status: number }>).map((o) => o.status)).toEqual([200, 429, 429, 429, 200]);
  });

  test('test passes the example scenario', () => {
    const result = cli('test', 'examples/redis-limiter/scenario.yaml');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('1 passed, 0 failed');
  });

  test('test exits 1 with a diff when an expectation fails', () => {
    const file = tempScenario(`plugin: redis-limiter
clusters: [{ type: redis, name: redis.static, port: 6379 }]
requests:
  - { path: /get, repeat: 4, expect: { status: 200 } }
`);
    const result = cli('test', file);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('requests[0].expect.status: expected status 200, got 429.');
    expect(result.stdout).toContain('- 200');
    expect(result.stdout).toContain('+ 429');
    expect(result.stdout).toContain('0 passed, 1 failed');
  });

  test('exits non-zero with one sentence for a rejected config', () => {
    const result = cli('run', 'redis-limiter', '--scenario', 'examples/redis-limiter/scenario.yaml', '--config', '{"serviceName":"redis.static"}');
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('plugin rejected its configuration');
    expect(result.stderr).toContain('qpm: required, an integer >= 1');
  });

  test('exits non-zero naming the path of a bad scenario field', () => {
    const file = tempScenario('plugin: redis-limiter\nrequests:\n  - { path: /, at: "61" }\n');
    const result = cli('run', 'redis-limiter', '--scenario', file);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('scenario.requests[0].at: "61" has no unit; write "61s" or "1500ms".');
  });

  test('exits non-zero for a file that is not wasm', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'wasm-lab-')), 'plugin.wasm');
    writeFileSync(file, '<html>not wasm</html>');
    const result = cli('run', file, '--scenario', 'examples/redis-limiter/scenario.yaml');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('is not a WebAssembly module');
  });

  test('inspect lists the ABI, entry point and imports', () => {
    const result = cli('inspect', 'redis-limiter');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('ABI:         0_2_100');
    expect(result.stdout).toContain('entry point: _initialize');
    expect(result.stdout).toContain('env.proxy_redis_call');
  });
});
