import { beforeAll, describe, expect, test } from 'vitest';
import { runScenario } from '../../src/harness/run.ts';
import { loadExample, scenario, type LoadedPlugin } from '../helpers/plugins.ts';

let limiter: LoadedPlugin;
beforeAll(async () => {
  limiter = await loadExample('redis-limiter');
});

const REDIS = `
clusters:
  - { type: redis, name: redis.static, port: 6379 }`;

const run = (yaml: string, config?: unknown) =>
  runScenario({ module: limiter.bytes, scenario: scenario(yaml), defaultConfig: limiter.defaultConfig, config });

const header = (headers: Array<[string, string]>, name: string) => headers.find(([k]) => k === name)?.[1];
// 2025-01-01T00:00:00Z, the default start of the virtual clock: a minute boundary.
const MINUTE_0 = '1735689600';

describe('redis-limiter', () => {
  test('lets qpm requests through with a falling callTimeLeft, then answers 429', async () => {
    const { outcomes } = await run(`${REDIS}\nrequests:\n  - { path: /get, repeat: 5, every: 1s }`);
    expect(outcomes.map((o) => o.status)).toEqual([200, 200, 200, 429, 429]);
    expect(outcomes.map((o) => header(o.headers, 'calltimeleft'))).toEqual(['2', '1', '0', '0', '0']);
    expect(outcomes.map((o) => header(o.headers, 'timestamp'))).toEqual(Array(5).fill(MINUTE_0));
    expect(outcomes.map((o) => o.source)).toEqual(['upstream', 'upstream', 'upstream', 'plugin', 'plugin']);
  });

  test('answers the 429 with its body and headers, once each, and never reaches the upstream', async () => {
    const { outcomes } = await run(`${REDIS}\nrequests:\n  - { path: /get, repeat: 4 }`);
    const rejected = outcomes[3]!;
    expect(rejected.body).toBe('Too many requests\n');
    expect(rejected.headers.filter(([k]) => k === 'timestamp')).toEqual([['timestamp', MINUTE_0]]);
    expect(rejected.headers.filter(([k]) => k === 'calltimeleft')).toEqual([['calltimeleft', '0']]);
    expect(rejected.upstreamRequest).toBeNull();
    expect(rejected.changedHeaders).toEqual(['timestamp', 'calltimeleft']);
  });

  test('sends INCR for every request and EXPIRE 60 only for the first of a minute', async () => {
    const { outcomes } = await run(`${REDIS}\nrequests:\n  - { path: /get, repeat: 2 }`);
    expect(outcomes[0]!.redis.map((r) => `${r.command} → ${r.reply}`)).toEqual([
      `incr ${MINUTE_0} → (integer) 1`,
      `expire ${MINUTE_0} 60 → (integer) 1`,
    ]);
    expect(outcomes[1]!.redis.map((r) => r.command)).toEqual([`incr ${MINUTE_0}`]);
    expect(outcomes[0]!.redis[0]!.cluster).toBe('outbound|6379||redis.static');
  });

  test('starts a new count in the next minute, and the old key has expired', async () => {
    const result = await run(`${REDIS}\nrequests:\n  - { path: /get, repeat: 4 }\n  - { path: /get, at: 61s }`);
    const next = result.outcomes[4]!;
    expect(next.status).toBe(200);
    expect(header(next.headers, 'timestamp')).toBe('1735689660');
    expect(header(next.headers, 'calltimeleft')).toBe('2');
    expect(result.redis[0]!.keys.map((k) => k.key)).toEqual(['1735689660']);
  });

  test('holds a POST body until Redis answers, so a rejected request never reaches the upstream', async () => {
    const { outcomes } = await run(`${REDIS}
clusters:
  - { type: redis, name: redis.static, port: 6379, latency: 50ms }
requests:
  - { method: POST, path: /upload, body: "payload", repeat: 4 }`.replace(REDIS, ''));
    expect(outcomes.map((o) => o.status)).toEqual([200, 200, 200, 429]);
    expect(outcomes[0]!.upstreamRequest?.body).toBe('payload');
    expect(outcomes[3]!.upstreamRequest).toBeNull();
  });

  test('fails open with a warning when Redis is down', async () => {
    const { outcomes } = await run(`
clusters:
  - { type: redis, name: redis.static, port: 6379, down: true }
requests:
  - { path: /get, repeat: 5 }`);
    expect(outcomes.map((o) => o.status)).toEqual([200, 200, 200, 200, 200]);
    expect(outcomes[0]!.logs.some((l) => l.level === 'warn' && l.message.includes('letting the request through'))).toBe(true);
    expect(header(outcomes[0]!.headers, 'calltimeleft')).toBeUndefined();
    expect(outcomes[0]!.redis[0]!.reply).toMatch(/^\(failed\) connection refused/);
  });

  test('fails open when the password is wrong, showing the server\'s WRONGPASS reply', async () => {
    const { outcomes } = await run(`
clusters:
  - { type: redis, name: redis.static, port: 6379, password: right }
requests:
  - { path: /get }`, { serviceName: 'redis.static', servicePort: 6379, password: 'wrong', qpm: 1 });
    expect(outcomes[0]!.status).toBe(200);
    expect(outcomes[0]!.redis[0]!.reply).toContain('WRONGPASS');
    expect(outcomes[0]!.logs.some((l) => l.level === 'warn')).toBe(true);
  });

  test('counts when the password is right', async () => {
    const { outcomes } = await run(`
clusters:
  - { type: redis, name: redis.static, port: 6379, password: right }
requests:
  - { path: /get, repeat: 2 }`, { serviceName: 'redis.static', servicePort: 6379, password: 'right', qpm: 1 });
    expect(outcomes.map((o) => o.status)).toEqual([200, 429]);
  });

  test('fails open when Redis answers slower than the plugin\'s timeout', async () => {
    const { outcomes } = await run(`
clusters:
  - { type: redis, name: redis.static, port: 6379, latency: 1500ms }
requests:
  - { path: /get, repeat: 4 }`);
    expect(outcomes.map((o) => o.status)).toEqual([200, 200, 200, 200]);
    expect(outcomes[0]!.redis[0]!.reply).toBe('(failed) no reply within 1000 ms');
  });

  test('rejects a configuration without qpm, naming the field', async () => {
    await expect(run(`${REDIS}\nrequests: [{ path: / }]`, { serviceName: 'redis.static' })).rejects.toMatchObject({
      kind: 'config-rejected',
      message: expect.stringContaining('qpm: required, an integer >= 1'),
    });
  });

  test('reports the unknown cluster when the service name does not match the gateway', async () => {
    const { outcomes } = await run(`${REDIS}\nrequests: [{ path: / }]`, { serviceName: 'redis.dns', qpm: 3 });
    expect(outcomes[0]!.status).toBe(200);
    expect(outcomes[0]!.error).toMatchObject({ kind: 'unknown-cluster' });
    expect(outcomes[0]!.error!.message).toMatchInlineSnapshot(
      `"The plugin called cluster "outbound|6379||redis.dns", which the scenario does not declare; add it under clusters with type: redis."`,
    );
  });
});
