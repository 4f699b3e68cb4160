import type { SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { loadExample } from '../helpers/plugins.ts';
import { runCli, startCli } from '../helpers/wasm-lab-cli.ts';
import { assembleWatFile } from '../unit/harness/wat-guest.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const cli = (...args: string[]) => cliWith({}, [], ...args);
/** Runs the CLI with extra environment variables and extra node flags (e.g. --import of a fault). */
const cliWith = (env: Record<string, string>, nodeFlags: string[], ...args: string[]) =>
  runCli(args, { cwd: ROOT, nodeFlags, env: { ...process.env, WASM_LAB_DEBUG: '', ...env } });

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

  test('runs under node with a V8 flag of its own (the worker inherits the flags)', () => {
    const result = cliWith({}, ['--max-semi-space-size=8'], 'run', 'redis-limiter', '--scenario', 'examples/redis-limiter/scenario.yaml', '--json');
    expect(result.stderr).toBe('');
    expect((JSON.parse(result.stdout) as Array<{ status: number }>).map((o) => o.status)).toEqual([200, 200, 200, 429, 200]);
  });

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

/** Asserts the CLI failed with exit code `status` and printed exactly `sentence` on stderr, and no stack. */
function expectRefusal(result: SpawnSyncReturns<string>, status: number, sentence: string): void {
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(result.stderr).toBe(`${sentence}\n`);
  expect(result.status).toBe(status);
}

/** Writes a hand-written test guest (tests/unit/harness/guests/<name>.wat) as <dir>/<name>.wasm. */
async function guestFile(name: string): Promise<string> {
  const file = join(mkdtempSync(join(tmpdir(), 'wasm-lab-')), `${name}.wasm`);
  writeFileSync(file, await assembleWatFile(new URL(`../unit/harness/guests/${name}.wat`, import.meta.url)));
  return file;
}

const SCENARIO = 'examples/redis-limiter/scenario.yaml';

describe('wasm-lab failures', () => {
  test('refuses a module that imports its memory with the fix, instead of a LinkError stack', async () => {
    expectRefusal(
      cli('run', await guestFile('imports-memory'), '--scenario', SCENARIO),
      2,
      'imports-memory cannot be loaded: imports its memory (env.memory) instead of exporting it, and wasm-lab provides no memory (export it, as Go, TinyGo and Rust builds do; with clang or wasm-ld, link without --import-memory)',
    );
  });

  test('refuses a host import declared with the wrong signature, naming the expected and found one', async () => {
    expectRefusal(
      cli('run', await guestFile('wrong-signatures'), '--scenario', SCENARIO),
      2,
      "wrong-signatures cannot be loaded: imports env.proxy_log as (i32, i32) -> i32, but the gateway's proxy_log is (i32, i32, i32) -> i32; imports wasi_snapshot_preview1.clock_time_get as (i32, i32, i32) -> i32, but the gateway's clock_time_get is (i32, i64, i32) -> i32 (a real gateway refuses a mismatched import when it links the module; declare each import as proxy-wasm-go-sdk's proxywasm/internal/abi_hostcalls.go does, or rebuild with the Higress SDK)",
    );
  });

  test('inspect lists the signature mismatches and exits 1', async () => {
    const result = cli('inspect', await guestFile('wrong-signatures'));
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(
      "cannot be loaded (2):\n  imports env.proxy_log as (i32, i32) -> i32, but the gateway's proxy_log is (i32, i32, i32) -> i32\n",
    );
    const json = JSON.parse(cli('inspect', await guestFile('wrong-signatures'), '--json').stdout) as { mismatches: unknown[] };
    expect(json.mismatches).toContainEqual({ module: 'env', name: 'proxy_log', expected: '(i32, i32, i32) -> i32', found: '(i32, i32) -> i32' });
  });

  test('names a directory given as the plugin or as the scenario', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasm-lab-'));
    mkdirSync(join(dir, 'plugin.wasm'));
    expectRefusal(
      cli('run', join(dir, 'plugin.wasm'), '--scenario', SCENARIO),
      2,
      `${join(dir, 'plugin.wasm')} is a directory, not a .wasm file; build the plugin with GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o main.wasm and name that file.`,
    );
    expectRefusal(cli('run', 'redis-limiter', '--scenario', dir), 2, `${dir} is a directory; name a file in it.`);
  });

  test('refuses a YAML alias bomb in one sentence', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const [i, name] of [...'bcdefghi'].entries()) levels.push(`${name}: &${name} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(', ')}]`);
    const file = tempScenario(`${levels.join('\n')}\nrequests: [{ path: / }]\n`);
    expectRefusal(
      cli('run', 'redis-limiter', '--scenario', file),
      2,
      `${file}: its aliases (*name) would expand more than 100 times, as a "billion laughs" file does; write the values out, or reuse fewer anchors.`,
    );
  });

  test('says an unexpected error is a bug in wasm-lab, with the stack only under WASM_LAB_DEBUG=1', () => {
    // A fault injected into the real CLI: listing the examples throws something no code expects.
    const fault = `data:text/javascript,${encodeURIComponent(
      "import fs from 'node:fs'; import { syncBuiltinESMExports } from 'node:module'; fs.readdirSync = () => { throw new TypeError('injected fault'); }; syncBuiltinESMExports();",
    )}`;
    const sentence =
      'wasm-lab failed unexpectedly (TypeError: injected fault); this is a bug in wasm-lab, not in your plugin or scenario; please report it to the Higress WASM Lab maintainers with the command you ran (WASM_LAB_DEBUG=1 prints the stack).';
    expectRefusal(cliWith({}, ['--import', fault], 'run', 'redis-limiter', '--scenario', SCENARIO), 2, sentence);
    const debug = cliWith({ WASM_LAB_DEBUG: '1' }, ['--import', fault], 'run', 'redis-limiter', '--scenario', SCENARIO);
    expect(debug.status).toBe(2);
    expect(debug.stderr.split('\n')[0]).toBe(sentence);
    expect(debug.stderr).toMatch(/^ {4}at .*plugin-files\.ts/m);
  });

  test('gives an error thrown outside the command, in a callback, the same sentence', () => {
    // Listing the examples (while the command runs) schedules a throw that no promise chain catches.
    const fault = `data:text/javascript,${encodeURIComponent(
      "import fs from 'node:fs'; import { syncBuiltinESMExports } from 'node:module'; const real = fs.readdirSync; fs.readdirSync = (...a) => { setImmediate(() => { throw new RangeError('late fault'); }); return real(...a); }; syncBuiltinESMExports();",
    )}`;
    const result = cliWith({}, ['--import', fault], 'run', 'redis-limiter', '--scenario', SCENARIO);
    expect(result.stderr).toMatch(/^wasm-lab failed unexpectedly \(RangeError: late fault\); this is a bug in wasm-lab/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.status).toBe(2);
  });

  test('refuses a --redis that is not a Redis URL before running anything', () => {
    expectRefusal(
      cli('run', 'redis-limiter', '--scenario', SCENARIO, '--redis', 'http://127.0.0.1:6379'),
      2,
      '--redis "http://127.0.0.1:6379" is neither memory nor a Redis URL; write --redis memory or --redis redis://[user:password@]host[:port][/db].',
    );
    expect(cli('test', SCENARIO, '--redis', 'memroy').stderr).toMatch(/^--redis "memroy" is neither memory nor a Redis URL;/);
  });

  test('refuses a --redis server that does not answer before running anything', async () => {
    const server = createServer();
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const { port } = server.address() as { port: number };
    await new Promise((ok) => server.close(ok));
    expectRefusal(
      cli('run', 'redis-limiter', '--scenario', SCENARIO, '--redis', `redis://127.0.0.1:${port}`),
      2,
      `cannot connect to redis at 127.0.0.1:${port}: connection refused (ECONNREFUSED); start redis-server there, or drop --redis to use the in-memory Redis.`,
    );
  });

  test('recognises inline JSON of any kind in --config, and refuses a config that is not an object', () => {
    expectRefusal(
      cli('run', 'redis-limiter', '--scenario', SCENARIO, '--config', '[1,2]'),
      2,
      `--config is a JSON list, not an object; a plugin's config is a JSON object like {"qpm": 10}, and wasm-go would read anything else as an empty config.`,
    );
    expectRefusal(
      cli('run', 'redis-limiter', '--scenario', SCENARIO, '--config', 'no-such-config.json'),
      2,
      `--config "no-such-config.json" is neither JSON nor an existing file; pass a JSON object like '{"qpm": 10}' or a path to a JSON file.`,
    );
  });

  test('refuses an unknown option and a misplaced one in one sentence', () => {
    expectRefusal(cli('run', 'redis-limiter', '--scenari', SCENARIO), 2, 'unknown option --scenari; did you mean --scenario? (wasm-lab --help lists the options)');
    expectRefusal(cli('test', SCENARIO, '--trace'), 2, '--trace applies to wasm-lab run; to see the host calls of one scenario, use wasm-lab run <plugin> --scenario <file> --trace.');
  });

  test('test runs every file, reports a bad one with its sentence, prints the summary and exits 2', () => {
    const bad = tempScenario('plugin: redis-limiter\nrequests:\n  - { path: /, at: "61" }\n');
    const result = cli('test', SCENARIO, bad, 'examples/hello-world/scenario.yaml');
    expect(result.stdout).not.toMatch(/^\s+at /m);
    expect(result.stdout).toBe(
      [
        '✓ examples/redis-limiter/scenario.yaml (5 requests checked)',
        `✗ ${bad} could not run:`,
        `  ${bad}:3:20: scenario.requests[0].at: "61" has no unit; write "61s" or "1500ms".`,
        '✓ examples/hello-world/scenario.yaml (2 requests checked)',
        '',
        '2 passed, 0 failed, 1 could not run',
        '',
      ].join('\n'),
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(2);
  });

  test('test --json reports a file that could not run with its error', () => {
    const result = cli('test', SCENARIO, 'no-such-scenario.yaml', '--json');
    expect(result.status).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual([
      { scenario: SCENARIO, status: 'passed', checked: 5, failures: [] },
      { scenario: 'no-such-scenario.yaml', status: 'error', checked: 0, failures: [], error: { kind: 'bad-input', message: 'no-such-scenario.yaml does not exist; check the path.' } },
    ]);
  });
});

describe('wasm-lab long runs', () => {
  /** hello-world answering `n` requests 1 ms apart. */
  const helloRuns = (n: number) => tempScenario(`plugin: hello-world\nrequests:\n  - { path: /hello, repeat: ${n}, every: 1ms }\n`);

  test('run --jsonl prints one outcome per line, the same outcomes --json prints as one array', () => {
    const file = helloRuns(300);
    const lines = cli('run', 'hello-world', '--scenario', file, '--jsonl');
    const array = cli('run', 'hello-world', '--scenario', file, '--json');
    expect(lines.status).toBe(0);
    expect(array.status).toBe(0);
    const fromLines = lines.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { index: number; status: number; pluginTimeUs: number });
    // --json is written an outcome at a time, and reads as one JSON array, pretty-printed as before.
    const fromArray = JSON.parse(array.stdout) as typeof fromLines;
    expect(fromLines.map((o) => o.index)).toEqual([...Array(300).keys()]);
    const withoutTime = (outcomes: typeof fromLines) => outcomes.map(({ pluginTimeUs: _t, ...o }) => o);
    expect(withoutTime(fromArray)).toEqual(withoutTime(fromLines));
    expect(array.stdout).toBe(`${JSON.stringify(fromArray, null, 2)}\n`);
  });

  test('--json and --jsonl together are refused in one sentence', () => {
    const result = cli('run', 'hello-world', '--scenario', helloRuns(1), '--json', '--jsonl');
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe('--json and --jsonl are two ways to print the same outcomes; keep one.');
  });

  test('Ctrl+C stops a long run with the outcomes so far as a valid JSON array, a note, and exit code 130', async () => {
    const run = startCli(['run', 'hello-world', '--scenario', helloRuns(1_000_000), '--json'], { cwd: ROOT, env: { ...process.env, WASM_LAB_PROGRESS: '1' } });
    try {
      // Past the two seconds after which the progress line shows, with outcomes printed.
      await run.waitFor(({ stdout, stderr }) => /requests · [\d,]+\/s/.test(stderr) && stdout.length > 0);
      run.child.kill('SIGINT');
      expect(await run.exited).toEqual({ code: 130, signal: null });
    } finally {
      run.child.kill('SIGKILL');
    }
    const outcomes = JSON.parse(run.stdout()) as Array<{ index: number; status: number }>;
    expect(outcomes.length).toBeGreaterThan(0);
    expect(outcomes.length).toBeLessThan(1_000_000);
    expect(outcomes.map((o) => o.index)).toEqual([...Array(outcomes.length).keys()]);
    expect(run.stderr()).toMatch(/\/1,000,000 requests · [\d,]+\/s · ETA \d/);
    const note = run.stderr().trimEnd().split('\n').at(-1);
    expect(note).toBe(`interrupted (Ctrl+C) after ${outcomes.length.toLocaleString('en-US')} of 1,000,000 requests; the outcomes printed are those of the requests that had ended.`);
  });

  test('test checks a long run keeping only its failures, and Ctrl+C still writes the JUnit file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasm-lab-'));
    const file = join(dir, 'long.yaml');
    writeFileSync(file, 'plugin: hello-world\nrequests:\n  - { path: /hello, repeat: 1000000, every: 1ms, expect: { status: 200 } }\n  - { at: 1ms, path: /hello, expect: { status: 404 } }\n');
    const junit = join(dir, 'results.xml');
    const run = startCli(['test', file, '--reporter', 'junit', '--output', junit], { cwd: ROOT, env: { ...process.env, WASM_LAB_PROGRESS: '1' } });
    try {
      await run.waitFor(({ stderr }) => /requests · /.test(stderr));
      run.child.kill('SIGINT');
      expect((await run.exited).code).toBe(130);
    } finally {
      run.child.kill('SIGKILL');
    }
    expect(run.stdout()).toContain(`✗ ${file}\n✗ request #2: GET /hello at 1ms\n  requests[1].expect.status: expected status 404, got 200.`);
    expect(run.stdout()).toContain('0 passed, 1 failed');
    const xml = readFileSync(junit, 'utf8');
    // The first 1,000 passing requests by name, the rest as one case; the failing one by name.
    expect(xml).toContain('name="#2 GET /hello at 1ms">');
    expect(xml).toMatch(/name="… [\d,]+ more requests passed"\/>/);
    expect(xml.match(/<testcase /g)).toHaveLength(1002);
  });
});
