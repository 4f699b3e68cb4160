/**
 * The guide page "Write the Redis rate limiter" (content/docs/{,en/}guide/redis-limiter.mdx): every
 * scenario its playgrounds start from passes its own `expect` blocks, and the claims the page makes
 * that an `expect` cannot state (a rejected config, a burst across a minute boundary, the cluster an
 * error names) hold for the real compiled plugins.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { allFailures } from '../../src/harness/checks.ts';
import type { Outcome } from '../../src/harness/outcome.ts';
import { MEMORY_REDIS_COMMANDS } from '../../src/harness/redis/index.ts';
import { runScenario, type RunResult } from '../../src/harness/run.ts';
import { expandRequests, loadScenarioText, type Scenario } from '../../src/harness/scenario.ts';
import { loadExample, type LoadedPlugin } from '../helpers/plugins.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const STEPS = ['limiter-step-1', 'limiter-step-2', 'limiter-step-3', 'limiter-step-4', 'limiter-step-5'];
/** Every scenario file the page's playgrounds start from, besides redis-limiter/scenario.yaml. */
const SCENARIO_FILES = [
  ...STEPS.map((step) => `${step}/scenario.yaml`),
  'limiter-step-3/wrong-cluster.yaml',
  'redis-limiter/fail-open.yaml',
  'redis-limiter/burst.yaml',
];
const PAGES = ['content/docs/guide/redis-limiter.mdx', 'content/docs/en/guide/redis-limiter.mdx'];
// 2025-01-01T00:00:00Z, the default start of the virtual clock, and the minute after it.
const MINUTE_0 = '1735689600';
const MINUTE_1 = '1735689660';

const plugins = new Map<string, LoadedPlugin>();
beforeAll(async () => {
  for (const name of [...STEPS, 'redis-limiter']) plugins.set(name, await loadExample(name));
});

function readScenario(file: string): Scenario {
  return loadScenarioText(readFileSync(join(ROOT, 'examples', file), 'utf8'), file);
}

/** Runs a scenario as the playground does: the plugin it names, with config.json (or `config`) as the configuration. */
function run(scenario: Scenario, config?: unknown): Promise<RunResult> {
  const plugin = plugins.get(scenario.plugin!)!;
  return runScenario({ module: plugin.bytes, scenario, config: config ?? plugin.defaultConfig });
}

const header = (outcome: Outcome, name: string) => outcome.headers.find(([k]) => k === name)?.[1];
const messages = (outcome: Outcome) => outcome.logs.map((l) => l.message);

describe('scenario files of the redis-limiter guide', () => {
  for (const file of SCENARIO_FILES) {
    test(`${file} meets every expect block`, async () => {
      const scenario = readScenario(file);
      const { outcomes, checks } = await run(scenario);
      expect(outcomes).toHaveLength(expandRequests(scenario).length);
      // The checks the playground shows as ✓ and `wasm-lab test` prints (src/harness/checks.ts).
      expect(allFailures(checks)).toEqual([]);
      expect(checks.passed).toBe(checks.checked);
    });

    test(`${file} puts an expect on every request and leaves the config to config.json`, () => {
      const scenario = readScenario(file);
      expect(scenario.requests.filter((r) => r.expect === undefined)).toEqual([]);
      // The playground always sends its config.json tab, which replaces a scenario's `config`.
      expect(scenario.config).toBeUndefined();
      expect(STEPS.concat('redis-limiter')).toContain(scenario.plugin);
      expect(file.startsWith(`${scenario.plugin}/`)).toBe(true);
    });
  }
});

describe('limiter-step-1', () => {
  test('prefixes each log line with the plugin name, the plugin id and the request id', async () => {
    const { outcomes } = await run(readScenario('limiter-step-1/scenario.yaml'));
    expect(outcomes[0]!.logs).toEqual([{ level: 'info', message: `[limiter-step-1] [nil] [nil] GET /get arrived in minute ${MINUTE_0}` }]);
  });

  test('logs at info level, which a gateway at its default warn level hides', async () => {
    const scenario = readScenario('limiter-step-1/scenario.yaml');
    const quiet = await run({ ...scenario, logLevel: 'warn' });
    expect(quiet.outcomes.flatMap(messages)).toEqual([]);
    expect(quiet.outcomes.map((o) => header(o, 'timestamp'))).toEqual([MINUTE_0, MINUTE_0, MINUTE_1]);
  });

  test('the pinned wasm-go logger never asks the gateway for its level: the module does not import proxy_call_foreign_function', async () => {
    // The page: Envoy's wasm logger filters; only wasm-go after #41 calls get_log_level (a foreign function).
    const imports = WebAssembly.Module.imports(new WebAssembly.Module(new Uint8Array(plugins.get('limiter-step-1')!.bytes))).map((i) => `${i.module}.${i.name}`);
    expect(imports).toContain('env.proxy_log');
    expect(imports).not.toContain('env.proxy_call_foreign_function');
    for (const page of PAGES) {
      const text = readFileSync(join(ROOT, page), 'utf8');
      expect(text, page).toContain('--proxyLogLevel=warning');
      expect(text, page).toContain('logLevel: warn');
    }
  });

  test('starts with an empty configuration as with {} (the page: empty works too)', async () => {
    const scenario = readScenario('limiter-step-1/scenario.yaml');
    const empty = await run(scenario, '');
    const braces = await run(scenario, {});
    expect(empty.outcomes.map((o) => [o.status, header(o, 'timestamp'), messages(o)])).toEqual(braces.outcomes.map((o) => [o.status, header(o, 'timestamp'), messages(o)]));
  });
});

describe('limiter-step-2', () => {
  const scenario = () => readScenario('limiter-step-2/scenario.yaml');

  test('rejects a configuration without qpm, with its own log line naming the field', async () => {
    const failure = await run(scenario(), { serviceName: 'redis.static', servicePort: 6379, timeout: 1000 }).catch((e: unknown) => e);
    expect(failure).toMatchObject({ kind: 'config-rejected' });
    const logs = (failure as { logs: Array<{ level: string; message: string }> }).logs;
    expect(logs[0]).toEqual({ level: 'error', message: '[limiter-step-2] [nil] [nil] invalid configuration: qpm: required, an integer >= 1' });
    expect(logs.at(-1)?.message).toContain('plugin start failed');
  });

  test('an empty configuration is not refused as such: a warning, then the parser runs as on {} (the debugging page)', async () => {
    const rejection = (config: unknown) => run(scenario(), config).then(() => undefined, (e: unknown) => e as { kind: string; logs: Array<{ level: string; message: string }> });
    const empty = await rejection('');
    const braces = await rejection({});
    expect(empty?.kind).toBe('config-rejected');
    expect(empty!.logs[0]).toEqual({ level: 'warn', message: '[limiter-step-2] [nil] [nil] config is empty, but has ParseConfigFunc' });
    // What follows is exactly what {} gives: the parser's own complaint about the missing fields.
    expect(empty!.logs.slice(1)).toEqual(braces!.logs);
  });

  test('rejects qpm given as a string instead of converting it', async () => {
    await expect(run(scenario(), { serviceName: 'redis.static', qpm: '3' })).rejects.toMatchObject({
      kind: 'config-rejected',
      message: expect.stringContaining('qpm: required, an integer >= 1'),
    });
  });

  test('logs the parsed configuration at start, with port 80 for a .static service without servicePort', async () => {
    const explicit = await run(scenario());
    expect(explicit.startup.logs.map((l) => l.message)).toContain('[limiter-step-2] [nil] [nil] redis redis.static port 6379, timeout 1000 ms, qpm 3');
    const defaulted = await run(scenario(), { serviceName: 'redis.static', qpm: 3 });
    expect(defaulted.startup.logs.map((l) => l.message)).toContain('[limiter-step-2] [nil] [nil] redis redis.static port 80, timeout 1000 ms, qpm 3');
    const dns = await run(scenario(), { serviceName: 'my-redis.dns', qpm: 3 });
    expect(dns.startup.logs.map((l) => l.message)).toContain('[limiter-step-2] [nil] [nil] redis my-redis.dns port 6379, timeout 1000 ms, qpm 3');
  });
});

describe('limiter-step-3', () => {
  test('calls the cluster outbound|<servicePort>||<serviceName>', async () => {
    const { outcomes, startup } = await run(readScenario('limiter-step-3/scenario.yaml'));
    expect(outcomes[0]!.redis.map((r) => `${r.cluster} ${r.command} → ${r.reply}`)).toEqual([`outbound|6379||redis.static incr ${MINUTE_0} → (integer) 1`]);
    expect(startup.logs.map((l) => l.message)).toContain('[limiter-step-3] [nil] [nil] using redis cluster outbound|6379||redis.static, qpm 3');
    // The playground logs at trace, so the wasm-go client's own debug lines show as well.
    expect(outcomes[0]!.logs.some((l) => l.level === 'debug' && l.message.startsWith('redis call start, '))).toBe(true);
  });

  test('reaches a Kubernetes service by its full name, port 6379 by default', async () => {
    const scenario = readScenario('limiter-step-3/scenario.yaml');
    const k8s = { ...scenario, clusters: [{ ...scenario.clusters[0]!, name: 'redis.my-ns.svc.cluster.local' }] };
    const { outcomes } = await run(k8s, { serviceName: 'redis.my-ns.svc.cluster.local', qpm: 3 });
    expect(outcomes[0]!.redis[0]!.cluster).toBe('outbound|6379||redis.my-ns.svc.cluster.local');
    expect(outcomes[0]!.error).toBeUndefined();
  });

  test('in wrong-cluster.yaml, names the cluster the plugin called and logs bad argument at start and per request', async () => {
    const { outcomes, startup } = await run(readScenario('limiter-step-3/wrong-cluster.yaml'));
    const { error } = outcomes[0]!;
    expect(error?.kind).toBe('unknown-cluster');
    expect(error?.message).toContain('"outbound|6379||redis.static"');
    expect(startup.logs.map((l) => l.message)).toContain('failed to init redis: error status returned by host: bad argument, will retry later');
    expect(messages(outcomes[0]!)).toEqual([
      'failed to re-authenticate redis: error status returned by host: bad argument',
      '[limiter-step-3] [nil] [nil] redis incr failed, letting the request through: error status returned by host: bad argument',
    ]);
    expect(outcomes.every((o) => o.redis.length === 0)).toBe(true);
  });

  test('in wrong-cluster.yaml, counts again once servicePort is deleted, because .static defaults to port 80', async () => {
    const { outcomes } = await run(readScenario('limiter-step-3/wrong-cluster.yaml'), { serviceName: 'redis.static', timeout: 1000, qpm: 3 });
    expect(outcomes.map((o) => o.error)).toEqual([undefined, undefined]);
    expect(outcomes[1]!.redis[0]!.cluster).toBe('outbound|80||redis.static');
    expect(messages(outcomes[1]!)).toContain(`[limiter-step-3] [nil] [nil] redis INCR ${MINUTE_0} replied 2`);
  });
});

describe('limiter-step-4', () => {
  test('sends EXPIRE 60 only for the first request of a minute, and nothing after a 429', async () => {
    const { outcomes, redis } = await run(readScenario('limiter-step-4/scenario.yaml'));
    expect(outcomes.map((o) => o.redis.map((r) => r.command).join(', '))).toEqual([
      `incr ${MINUTE_0}, expire ${MINUTE_0} 60`,
      `incr ${MINUTE_0}`,
      `incr ${MINUTE_0}`,
      `incr ${MINUTE_0}`,
      `incr ${MINUTE_1}, expire ${MINUTE_1} 60`,
    ]);
    expect(redis[0]!.keys.map((k) => k.key)).toEqual([MINUTE_1]);
  });

  test('answers the 429 without the response headers the finished plugin adds', async () => {
    const { outcomes } = await run(readScenario('limiter-step-4/scenario.yaml'));
    expect(outcomes[3]!.changedHeaders).toEqual([]);
    expect(header(outcomes[3]!, 'calltimeleft')).toBeUndefined();
  });
});

describe('redis-limiter', () => {
  test('puts timeStamp and callTimeLeft on its 429 once each, although the 429 passes through onHttpResponseHeaders', async () => {
    const { outcomes } = await run(readScenario('redis-limiter/scenario.yaml'));
    const rejected = outcomes[3]!;
    expect(rejected.status).toBe(429);
    expect(rejected.headers.filter(([k]) => k === 'timestamp' || k === 'calltimeleft')).toEqual([['timestamp', MINUTE_0], ['calltimeleft', '0']]);
    expect(outcomes.map((o) => header(o, 'calltimeleft'))).toEqual(['2', '1', '0', '0', '2']);
  });

  test('in fail-open.yaml, lets every request through because each INCR fails', async () => {
    const { outcomes } = await run(readScenario('redis-limiter/fail-open.yaml'));
    expect(outcomes).toHaveLength(5);
    expect(outcomes.map((o) => o.status)).toEqual([200, 200, 200, 200, 200]);
    expect(outcomes.map((o) => o.redis[0]!.reply)).toEqual(Array(5).fill('(failed) connection refused (cluster marked down)'));
    expect(outcomes.every((o) => o.logs.some((l) => l.level === 'warn'))).toBe(true);
  });

  test('in burst.yaml, lets 2 × qpm requests through within 2 s of virtual time across the minute boundary', async () => {
    const qpm = (plugins.get('redis-limiter')!.defaultConfig as { qpm: number }).qpm;
    const { outcomes } = await run(readScenario('redis-limiter/burst.yaml'));
    const allowed = outcomes.filter((o) => o.status === 200);
    const mostWithin2s = Math.max(...allowed.map((first) => allowed.filter((o) => o.at >= first.at && o.at < first.at + 2000).length));
    expect(mostWithin2s).toBe(2 * qpm);
    const first = allowed[0]!;
    const last = allowed.at(-1)!;
    expect(last.at - first.at).toBeLessThan(2000);
    expect([header(first, 'timestamp'), header(last, 'timestamp')]).toEqual([MINUTE_0, MINUTE_1]);
    // Virtual time 1 s is wall-clock 00:00:59 (startTime 00:00:58), so the boundary falls at 2 s.
    expect(allowed.map((o) => o.at)).toEqual([1000, 1300, 1600, 2000, 2300, 2600]);
  });
});

describe('limiter-step-5', () => {
  test('keeps one prefixed counter per client and minute', async () => {
    const { redis } = await run(readScenario('limiter-step-5/scenario.yaml'));
    expect(redis[0]!.keys.map((k) => `${k.key}=${String(k.value)}`).sort()).toEqual([
      `redis-limiter:ip:10.0.0.7:${MINUTE_0}=4`,
      `redis-limiter:key:alice:${MINUTE_0}=4`,
      `redis-limiter:key:bob:${MINUTE_0}=1`,
    ]);
  });
});

describe('the embedded Redis', () => {
  test('has INCR, EXPIRE and EVAL, so the one-script limiter the guide points to (token-bucket) runs in the playground', () => {
    expect(MEMORY_REDIS_COMMANDS).toEqual(expect.arrayContaining(['incr', 'expire', 'eval', 'evalsha']));
    for (const page of PAGES) expect(readFileSync(join(ROOT, page), 'utf8')).toMatch(/\]\((\/en)?\/examples\/token-bucket\/\)/);
  });
});

describe('the guide pages', () => {
  const tags = (page: string) => [...readFileSync(join(ROOT, page), 'utf8').matchAll(/<(Playground|ExampleCode)\s[^>]*\/>/g)].map((m) => m[0]);

  test('start with the default redis-limiter playground, before any other redis-limiter playground', () => {
    for (const page of PAGES) {
      const limiterPlaygrounds = tags(page).filter((t) => t.startsWith('<Playground') && t.includes('example="redis-limiter"'));
      expect(limiterPlaygrounds[0], page).toBe('<Playground example="redis-limiter" />');
    }
  });

  test('show the same playgrounds and code regions in both languages, each scenario file tested here', () => {
    const [zh, en] = PAGES.map(tags);
    expect(en).toEqual(zh);
    const scenarios = zh!.filter((t) => t.startsWith('<Playground')).map((t) => {
      const example = /example="([^"]+)"/.exec(t)![1];
      const file = /scenario="([^"]+)"/.exec(t)?.[1] ?? 'scenario.yaml';
      return `${example}/${file}`;
    });
    for (const file of scenarios) expect([...SCENARIO_FILES, 'redis-limiter/scenario.yaml']).toContain(file);
  });
});
