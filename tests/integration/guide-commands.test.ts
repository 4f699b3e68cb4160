/**
 * The commands on the setup and debugging pages (and the route-rules scenario of reference/match-rules) work
 * as shown: each shell command either runs here, or is listed below with the reason it cannot;
 * every "you should see" block (a ```text block whose title is the command) equals the real
 * output; the docker compose and Envoy files the pages rely on have the structure the pages claim;
 * and the zh-CN and English twins show the same commands.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { runScenario } from '../../src/harness/run.ts';
import { hasGo, loadExample, scenario } from '../helpers/plugins.ts';
import { copyFreshProject } from '../helpers/project-copy.ts';

const ROOT = join(import.meta.dirname, '../..');
const DOCS = join(ROOT, 'content/docs');

// The checksum database is unreachable from the test machines; these two modules come from the
// module cache or the proxy without it. The pages do not tell readers to set this.
const ENV = {
  ...process.env,
  PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
  GONOSUMDB: 'github.com/higress-group/wasm-go,github.com/higress-group/proxy-wasm-go-sdk',
};

/** Shell commands on the pages that this test cannot run, with the reason. */
const NOT_RUN: Record<string, string> = {
  'curl -LO https://go.dev/dl/go1.24.4.linux-amd64.tar.gz': 'installs Go; the test uses the Go on PATH',
  'sudo rm -rf /usr/local/go && sudo tar -C /usr/local -xzf go1.24.4.linux-amd64.tar.gz': 'installs Go system-wide',
  'export PATH=$PATH:/usr/local/go/bin': "changes the reader's shell",
  'brew install go': 'macOS only',
  'docker compose up': 'needs a Docker daemon and the gateway image; the compose and Envoy files are checked instead',
  'docker compose restart envoy': 'needs the running compose project',
  'for i in 1 2 3 4; do curl -s -o /dev/null -w "%{http_code}\\n" http://127.0.0.1:10000/get; done': 'needs the running gateway',
  'curl -X POST "http://127.0.0.1:9901/logging?wasm=debug"': 'needs the running gateway',
  'curl -X POST "localhost:15000/logging?wasm=debug"': 'needs a Higress gateway container',
};

// ---- reading the pages --------------------------------------------------------------------------

interface Block {
  lang: string;
  title: string | undefined;
  code: string;
}

const page = (path: string) => readFileSync(join(DOCS, path), 'utf8');

/** Fenced code blocks, indented ones (inside <Steps> or <Tabs>) included, dedented. */
function blocks(mdx: string): Block[] {
  const found: Block[] = [];
  for (const m of mdx.matchAll(/^([ \t]*)```(\w*)([^\n]*)\n([\s\S]*?)\n\1```[ \t]*$/gm)) {
    const indent = m[1]!.length;
    const code = m[4]!.split('\n').map((line) => line.slice(Math.min(indent, line.length - line.trimStart().length))).join('\n');
    found.push({ lang: m[2]!, title: /title="([^"]*)"/.exec(m[3]!)?.[1], code });
  }
  return found;
}

/** The commands of a shell block, one per line, comments dropped. */
function commandLines(code: string): string[] {
  return code
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line && !line.startsWith('#'));
}

/** The commands of a page's shell blocks, one per line, comments dropped. */
function shellCommands(mdx: string): string[] {
  return blocks(mdx)
    .filter((b) => b.lang === 'sh')
    .flatMap((b) => commandLines(b.code));
}

/** The code of the first shell block that contains `text`, or '' when the page has none. */
const shellBlock = (mdx: string, text: string) => blocks(mdx).find((b) => b.lang === 'sh' && b.code.includes(text))?.code ?? '';

/** The ```text blocks titled with the command that prints them. */
const outputBlocks = (mdx: string) => blocks(mdx).filter((b) => b.lang === 'text' && b.title);

// ---- running commands -----------------------------------------------------------------------------

function sh(command: string, cwd = ROOT) {
  const result = spawnSync('bash', ['-c', command], { cwd, env: ENV, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, output: `${result.stdout}${result.stderr}` };
}

const temps: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'guide-commands-'));
  temps.push(dir);
  return dir;
}

/** A copy of an example folder, so builds and tests here never race other tests in examples/. */
function copyExample(name: string): string {
  const dir = join(tempDir(), name);
  cpSync(join(ROOT, 'examples', name), dir, { recursive: true, filter: (src) => !src.endsWith('.wasm') });
  return dir;
}

afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});


/** go test prints its duration, or "(cached)"; both vary from run to run. */
const withoutTiming = (text: string) => text.replace(/\t/g, ' ').replace(/ +/g, ' ').replace(/\s(\d+\.\d+s|\(cached\))$/gm, ' <time>').trim();

const SETUP = { zh: 'guide/setup.mdx', en: 'en/guide/setup.mdx' };
const DEBUGGING = { zh: 'guide/debugging.mdx', en: 'en/guide/debugging.mdx' };
const MATCH_RULES = { zh: 'reference/match-rules.mdx', en: 'en/reference/match-rules.mdx' };
const WASM_LAB = { zh: 'reference/wasm-lab.mdx', en: 'en/reference/wasm-lab.mdx' };
const SCENARIO = { zh: 'reference/scenario.mdx', en: 'en/reference/scenario.mdx' };
const REFERENCE_INDEX = { zh: 'reference/index.mdx', en: 'en/reference/index.mdx' };
const PAIRS = { SETUP, DEBUGGING, MATCH_RULES, WASM_LAB, SCENARIO, REFERENCE_INDEX };

/** Pages whose "you should see" blocks are checked against the real output. */
const OUTPUT_PAGES = [SETUP.en, SETUP.zh, DEBUGGING.en, DEBUGGING.zh, WASM_LAB.en, WASM_LAB.zh];

/**
 * The page commands the tests below run, picked from the pages once, here: each test runs its
 * entry, and the last test accounts for every command from this list alone, so it holds whichever
 * tests ran before it, in any order, or alone.
 */
const RUN_HERE = {
  goVersion: 'go version',
  /** The setup page's module steps (a whole block, run as one script). */
  moduleSteps: shellBlock(page(SETUP.en), 'go mod init'),
  /** The setup page's build block. */
  build: shellBlock(page(SETUP.en), 'go build'),
  /** The setup page's wasm-lab block: build the examples, then inspect one by name (run in a fresh clone). */
  firstWasmLab: shellBlock(page(SETUP.en), 'npm run build:examples'),
  vet: 'GOOS=wasip1 GOARCH=wasm go vet ./...',
  runs: shellCommands(page(DEBUGGING.en)).filter((c) => c.startsWith('npx wasm-lab run redis-limiter --scenario examples/redis-limiter') && !c.includes('--redis')),
  runWithRedis: shellCommands(page(DEBUGGING.en)).find((c) => c.includes('--redis redis://127.0.0.1:6379')) ?? '',
  /** The debugging page's `go get testify` block. */
  testDeps: shellBlock(page(DEBUGGING.en), 'testify'),
  composeBuild: 'GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o main.wasm ./',
  /** The debugging page's way to keep every line of go test -v: the test binary, its output in a file. */
  testBinary: shellCommands(page(DEBUGGING.en)).find((c) => c.includes('go test -c')) ?? '',
  /** The commands that title a "you should see" block; each is run and its output compared. */
  outputs: OUTPUT_PAGES.flatMap((path) => outputBlocks(page(path)).map((b) => b.title!)),
};

/** The setup page's module steps, run in a fresh folder: the my-plugin module with hello-world. */
function createMyPlugin(): string {
  expect(RUN_HERE.moduleSteps, 'the setup page shows go mod init').not.toBe('');
  const parent = tempDir();
  const created = sh(RUN_HERE.moduleSteps, parent);
  expect(created.status, created.output).toBe(0);
  const dir = join(parent, 'my-plugin');
  // Step 2 of the page: save the hello-world example as main.go.
  cpSync(join(ROOT, 'examples/hello-world/main.go'), join(dir, 'main.go'));
  return dir;
}

// ---- the pages ------------------------------------------------------------------------------------

describe('guide pages in both languages', () => {
  for (const [name, pair] of Object.entries(PAIRS)) {
    test(`${name} opens with what the reader will have, in zh-CN and English`, () => {
      const firstParagraph = (mdx: string) => mdx.replace(/^---[\s\S]*?---\n/, '').split('\n').find((line) => line.startsWith('**'));
      expect(firstParagraph(page(pair.zh))).toMatch(/^\*\*读完本页你会得到\*\*：\S/);
      expect(firstParagraph(page(pair.en))).toMatch(/^\*\*At the end of this page you will have:\*\* \S/);
    });

    test(`${name} shows the same commands, outputs and example files in zh-CN and English`, () => {
      const comparable = (mdx: string) => ({
        commands: blocks(mdx)
          .filter((b) => ['sh', 'powershell', 'bat', 'json', 'yaml'].includes(b.lang))
          .map((b) => b.code.split('\n').map((l) => l.replace(/\s+#.*$/, '').trim()).filter((l) => l && !l.startsWith('#')).join('\n')),
        outputs: outputBlocks(mdx).map((b) => `${b.title}\n${b.code}`),
        examples: [...mdx.matchAll(/<ExampleCode[^>]*\/>/g)].map((m) => m[0]),
      });
      expect(comparable(page(pair.zh))).toEqual(comparable(page(pair.en)));
    });
  }
});

const NO_GO = hasGo() ? '' : ' (skipped: Go ≥ 1.24 is not on PATH)';

describe.skipIf(NO_GO)(`setup page commands${NO_GO}`, () => {
  const setup = page(SETUP.en);

  test('go version reports Go 1.24 or newer', () => {
    const { status, stdout } = sh(RUN_HERE.goVersion);
    expect(status).toBe(0);
    const [, major, minor] = /go(\d+)\.(\d+)/.exec(stdout) ?? [];
    expect(Number(major) * 100 + Number(minor)).toBeGreaterThanOrEqual(124);
  });

  test('the module steps and the build give a reactor that inspects like the hello-world example', { timeout: 300_000 }, () => {
    const dir = createMyPlugin();
    expect(RUN_HERE.build, 'the setup page shows go build').not.toBe('');
    const built = sh(RUN_HERE.build, dir);
    expect(built.status, built.output).toBe(0);
    expect(built.stdout).toBe('');
    const sizeMiB = statSync(join(dir, 'main.wasm')).size / 1024 / 1024;
    expect(sizeMiB, 'the page says "about 6 MiB"').toBeGreaterThan(5);
    expect(sizeMiB).toBeLessThan(7);

    // The page: "the module you built from the same main.go prints the same lines, except the first".
    const inspected = sh(`npx wasm-lab inspect ${join(dir, 'main.wasm')}`);
    expect(inspected.status, inspected.output).toBe(0);
    const shown = outputBlocks(setup).find((b) => b.title === 'npx wasm-lab inspect hello-world')!;
    expect(inspected.stdout.trim().split('\n').slice(1)).toEqual(shown.code.split('\n').slice(1));
    expect(inspected.stdout).toMatch(/^main: \d+\.\d\d MiB$/m);
  });

  test('the editor section is right: the test framework compiles only natively', { timeout: 120_000 }, () => {
    const command = RUN_HERE.vet;
    expect(shellCommands(setup)).toContain(command);
    const dir = copyExample('redis-limiter');
    // With the example's //go:build !wasm line, the check prints nothing ...
    const clean = sh(command, dir);
    expect(clean.status, clean.output).toBe(0);
    expect(clean.output).toBe('');
    // ... and without it, proxytest fails to build for wasip1 with the error the page quotes.
    const testFile = join(dir, 'main_test.go');
    writeFileSync(testFile, readFileSync(testFile, 'utf8').replace(/^\/\/go:build !wasm\n/, ''));
    const broken = sh(command, dir);
    expect(broken.status).not.toBe(0);
    expect(broken.output).toContain('undefined: internal.RegisterMockWasmHost');
  });
});

describe.skipIf(NO_GO)(`debugging page commands${NO_GO}`, () => {
  const debugging = page(DEBUGGING.en);
  let redis: ChildProcess | undefined;
  afterAll(() => redis?.kill());

  test('wasm-lab run prints a table, a trace and JSON as the page describes', { timeout: 120_000 }, () => {
    const runs = RUN_HERE.runs;
    expect(runs.map((c) => c.split(' ').pop())).toEqual(['examples/redis-limiter/scenario.yaml', '--trace', '--json']);
    for (const command of runs) {
      const result = sh(command);
      expect(result.status, result.output).toBe(0);
      if (command.endsWith('--trace')) {
        expect(result.stdout).toContain('→ proxy_get_property("route_name")');
        expect(result.stdout).toContain('← Ok');
      }
      if (command.endsWith('--json')) {
        const outcomes = JSON.parse(result.stdout) as Array<{ status: number; logs: unknown[]; redis: unknown[] }>;
        expect(outcomes.map((o) => o.status)).toEqual([200, 200, 200, 429, 200]);
        expect(outcomes[0]).toHaveProperty('logs');
        expect(outcomes[0]).toHaveProperty('redis');
      }
    }
  });

  const NO_REDIS = spawnSync('redis-server', ['--version']).status === 0 ? '' : ' (skipped: redis-server is not installed)';
  test.skipIf(NO_REDIS)(`wasm-lab run --redis works against a real redis-server${NO_REDIS}`, { timeout: 60_000 }, async () => {
    const command = RUN_HERE.runWithRedis;
    expect(command, 'the debugging page shows wasm-lab run --redis').not.toBe('');
    const server = createServer();
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const { port } = server.address() as { port: number };
    await new Promise((ok) => server.close(ok));
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    // Wait for it to answer; a busy machine can take seconds to start it, so only a server that never comes up fails.
    for (const until = Date.now() + 30_000; Date.now() < until && !sh(`redis-cli -p ${port} ping`).stdout.includes('PONG'); ) await new Promise((ok) => setTimeout(ok, 100));
    // The page's default port, swapped for this test's server.
    const result = sh(command.replace('127.0.0.1:6379', `127.0.0.1:${port}`));
    expect(result.status, result.output).toBe(0);
    expect(result.stdout).toMatch(/^3 +3s +GET \/get +429 +plugin +incr→4/m);
  });

  test('pkg/test works in a module of your own after go get testify and go mod tidy', { timeout: 300_000 }, () => {
    const dir = createMyPlugin();
    writeFileSync(
      join(dir, 'main_test.go'),
      `//go:build !wasm

package main

import (
	"encoding/json"
	"testing"

	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	"github.com/higress-group/wasm-go/pkg/test"
	"github.com/stretchr/testify/require"
)

func TestHello(t *testing.T) {
	test.RunGoTest(t, func(t *testing.T) {
		host, status := test.NewTestHost(json.RawMessage(\`{}\`))
		defer host.Reset()
		require.Equal(t, types.OnPluginStartStatusOK, status)
		host.CallOnHttpRequestHeaders([][2]string{{":authority", "example.com"}, {":method", "GET"}, {":path", "/hello"}})
		require.EqualValues(t, 200, host.GetLocalResponse().StatusCode)
	})
}
`,
    );
    expect(RUN_HERE.testDeps, 'the debugging page shows go get testify').not.toBe('');
    const added = sh(RUN_HERE.testDeps, dir);
    expect(added.status, added.output).toBe(0);
    // The page's second line lifts wazero above the v1.7.2 the SDK asks for (its wasm mode crashes on Go ≥ 1.24).
    expect(readFileSync(join(dir, 'go.mod'), 'utf8')).toContain('github.com/tetratelabs/wazero v1.11.0');
    const tested = sh('go test ./...', dir);
    expect(tested.status, tested.output).toBe(0);
  });

  test('the go test -c line runs the tests with every line in test.log and says the exit status', { timeout: 300_000 }, () => {
    const command = RUN_HERE.testBinary;
    expect(command, 'the debugging page shows go test -c').toMatch(/^cd examples\/redis-limiter && /);
    const dir = copyExample('redis-limiter');
    const result = sh(command.replace(/^cd examples\/redis-limiter && /, ''), dir);
    expect(result.stdout.trim(), result.output).toBe('exit 0');
    const log = readFileSync(join(dir, 'test.log'), 'utf8');
    for (const name of ['TestLimiter', 'TestConfigDefaultsThePort']) expect(log).toContain(`--- PASS: ${name} `);
    expect(log.trimEnd().split('\n').at(-1)).toBe('PASS');
  });

  test('the compose section builds main.wasm in the plugin folder with the command shown', { timeout: 300_000 }, () => {
    const command = RUN_HERE.composeBuild;
    expect(shellCommands(debugging)).toContain(command);
    const dir = copyExample('redis-limiter');
    const built = sh(command, dir);
    expect(built.status, built.output).toBe(0);
    const inspected = sh(`npx wasm-lab inspect ${join(dir, 'main.wasm')}`);
    expect(inspected.stdout).toContain('entry point: _initialize');
  });
});

describe('what the pages say wasm-lab needs', () => {
  test('the setup and wasm-lab pages state the Node.js version package.json asks for', () => {
    const { engines } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
    expect(engines.node).toBe('>=22.12.0');
    for (const path of [SETUP.zh, SETUP.en, WASM_LAB.zh, WASM_LAB.en]) expect(page(path), path).toContain('Node.js ≥ 22.12');
  });

  test('upstream Envoy refuses hello-world for its ABI marker alone: it imports no Higress-only host function', () => {
    const shown = outputBlocks(page(SETUP.en)).find((b) => b.title === 'npx wasm-lab inspect hello-world')!.code;
    expect(shown).toMatch(/^ABI: +0_2_100$/m);
    const imports = shown.split('\n').filter((line) => /^ {2}(env|wasi_snapshot_preview1)\./.test(line)).map((line) => line.trim());
    expect(imports.length).toBeGreaterThan(0);
    const higressOnly = ['proxy_redis_init', 'proxy_redis_call', 'proxy_inject_encoded_data_to_filter_chain', 'proxy_get_upstream_hosts', 'proxy_set_upstream_override_host'];
    expect(imports.filter((name) => higressOnly.some((h) => name === `env.${h}`))).toEqual([]);
    // So the message the pages and the error index give for upstream Envoy is the ABI one.
    for (const path of [SETUP.zh, SETUP.en, DEBUGGING.zh, DEBUGGING.en, REFERENCE_INDEX.zh, REFERENCE_INDEX.en]) {
      expect(page(path), path).toContain('Missing or unknown Proxy-Wasm ABI version');
    }
  });

  test('the debugging page hides lines like a default gateway with logLevel: warn (the harness drops lines below the level)', () => {
    for (const path of [DEBUGGING.zh, DEBUGGING.en]) {
      expect(page(path), path).toContain('`logLevel: warn`');
      expect(page(path), path).not.toContain('`logLevel: info`');
    }
  });

  test('the setup and debugging pages name both steps a clone needs: npm install and npm run build:examples', () => {
    for (const path of [SETUP.zh, SETUP.en, DEBUGGING.zh, DEBUGGING.en, WASM_LAB.zh, WASM_LAB.en]) {
      expect(page(path), path).toContain('`npm install`');
      expect(page(path), path).toContain('npm run build:examples');
    }
  });
});

describe.skipIf(NO_GO)(`in a fresh clone after npm install${NO_GO}`, () => {
  test('the wasm-lab commands of the setup, debugging and reference/wasm-lab pages run as written', { timeout: 600_000 }, () => {
    const dir = join(tempDir(), 'clone');
    copyFreshProject(dir);
    // npx finds the command in the bin of the clone's own package.json: nothing links it into node_modules/.bin.
    expect(existsSync(join(dir, 'node_modules/.bin/wasm-lab'))).toBe(false);
    // Before the examples are built, a command that names one says which step is missing.
    const early = sh('npx wasm-lab inspect hello-world', dir);
    expect(early.status, early.output).toBe(2);
    expect(early.output).toContain('run `npm run build:examples`');

    // The setup page's block, line by line; its last line prints what the page shows.
    const setupLines = commandLines(RUN_HERE.firstWasmLab);
    expect(setupLines).toEqual(['npm run build:examples', 'npx wasm-lab inspect hello-world']);
    let last = sh(setupLines[0]!, dir);
    expect(last.status, last.output).toBe(0);
    last = sh(setupLines[1]!, dir);
    expect(last.status, last.output).toBe(0);
    expect(last.stdout.trimEnd()).toBe(outputBlocks(page(SETUP.en)).find((b) => b.title === setupLines[1])!.code);

    // Then every wasm-lab command of the debugging page and of reference/wasm-lab's command list,
    // except those that need a Redis server. The ai-token-usage-naive line fails on purpose (the page says so).
    const wasmLabCommands = [
      ...shellCommands(page(DEBUGGING.en)),
      ...commandLines(shellBlock(page(WASM_LAB.en), 'npx wasm-lab init my-plugin')),
    ].filter((c) => c.startsWith('npx wasm-lab ') && !c.includes('--redis redis://'));
    expect(wasmLabCommands.length).toBeGreaterThanOrEqual(10);
    for (const command of wasmLabCommands) {
      const result = sh(command, dir);
      expect(result.status, `${command}\n${result.output}`).toBe(command.includes('--plugin ai-token-usage-naive') ? 1 : 0);
    }
  });
});

describe('"you should see" blocks equal the real output', () => {
  // The wasm-lab commands read the built examples in public/wasm/: the global setup builds them, and
  // this builds them when the file runs without it.
  beforeAll(() => loadExample('hello-world'), 300_000);
  // reference/wasm-lab's table is checked by tests/integration/cli.test.ts.
  const shown = OUTPUT_PAGES.flatMap((path) => outputBlocks(page(path)).map((block) => ({ path, ...block })));

  test('the pages have output blocks to check', () => {
    expect(shown.length).toBeGreaterThanOrEqual(8);
  });

  for (const { path, title, code } of shown) {
    const skip = title!.includes('go test') ? NO_GO : '';
    test.skipIf(skip)(`${path}: ${title}${skip}`, { timeout: 300_000 }, () => {
      // go test runs in a copy of the example, so it never races the other Go tests in examples/.
      const cd = /^cd (examples\/[\w-]+) && (.*)$/.exec(title!);
      const result = cd ? sh(cd[2]!, copyExample(cd[1]!.replace('examples/', ''))) : sh(title!);
      expect(result.status, result.output).toBe(0);
      if (cd) expect(withoutTiming(result.stdout)).toBe(withoutTiming(code));
      else expect(result.stdout.trimEnd()).toBe(code);
    });
  }
});

describe('reference/match-rules: route-level config in wasm-lab', () => {
  for (const path of [MATCH_RULES.en, MATCH_RULES.zh]) {
    test(`${path}: npx wasm-lab test route-rules.yaml passes`, { timeout: 60_000 }, () => {
      const yaml = blocks(page(path)).find((b) => b.title === 'route-rules.yaml');
      expect(yaml).toBeDefined();
      const dir = tempDir();
      writeFileSync(join(dir, 'route-rules.yaml'), yaml!.code);
      expect(shellCommands(page(path))).toContain('npx wasm-lab test route-rules.yaml');
      const result = sh(`npx wasm-lab test ${join(dir, 'route-rules.yaml')}`);
      expect(result.status, result.output).toBe(0);
      expect(result.stdout).toContain('(3 requests checked)');
    });
  }
});

// ---- docker compose and Envoy files ------------------------------------------------------------------

const COMPOSE_EXAMPLES = readdirSync(join(ROOT, 'examples')).filter((name) => existsSync(join(ROOT, 'examples', name, 'docker-compose.yaml')));

type Json = Record<string, unknown>;
const at = (value: unknown, ...keys: Array<string | number>): unknown =>
  keys.reduce<unknown>((node, key) => (node as Record<string | number, unknown> | undefined)?.[key], value);

/** The Wasm HTTP filters of every listener in an envoy.yaml. */
function wasmFilters(envoy: Json): Json[] {
  const listeners = (at(envoy, 'static_resources', 'listeners') as Json[] | undefined) ?? [];
  return listeners
    .flatMap((l) => (at(l, 'filter_chains') as Json[]) ?? [])
    .flatMap((chain) => (at(chain, 'filters') as Json[]) ?? [])
    .flatMap((f) => (at(f, 'typed_config', 'http_filters') as Json[]) ?? [])
    .filter((f) => at(f, 'typed_config', 'type_url') === 'type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm');
}

describe('docker compose and envoy.yaml of the examples', () => {
  test('finds the examples with a compose file, redis-limiter among them', () => {
    expect(COMPOSE_EXAMPLES).toContain('redis-limiter');
  });

  for (const name of COMPOSE_EXAMPLES) {
    const dir = join(ROOT, 'examples', name);
    const compose = () => parse(readFileSync(join(dir, 'docker-compose.yaml'), 'utf8')) as Json;
    const envoy = () => parse(readFileSync(join(dir, 'envoy.yaml'), 'utf8')) as Json;
    const config = () => JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as unknown;

    test(`${name}: the gateway is a Higress image ≥ v2.1.5 that mounts envoy.yaml and main.wasm`, () => {
      const services = Object.values(compose().services as Record<string, Json>);
      const gateways = services.filter((s) => /\/higress\/gateway:/.test(String(s.image)));
      expect(gateways.length).toBeGreaterThan(0);
      for (const service of gateways) {
        const [, major, minor, patch] = /:v(\d+)\.(\d+)\.(\d+)$/.exec(String(service.image)) ?? [];
        expect(Number(major) * 10_000 + Number(minor) * 100 + Number(patch), String(service.image)).toBeGreaterThanOrEqual(20_105);
      }
      const plugin = gateways.find((s) => ((s.volumes as string[]) ?? []).includes('./main.wasm:/etc/envoy/main.wasm'));
      expect(plugin, 'a gateway service mounts ./main.wasm at /etc/envoy/main.wasm').toBeDefined();
      expect(plugin!.volumes).toContain('./envoy.yaml:/etc/envoy/envoy.yaml');
      expect(String(plugin!.command)).toContain('-c /etc/envoy/envoy.yaml');
      // The debugging page: "start Envoy with --component-log-level wasm:debug, as the compose file does".
      expect(String(plugin!.command)).toContain('--component-log-level wasm:debug');
    });

    test(`${name}: the Wasm filter loads /etc/envoy/main.wasm with the example's config.json`, () => {
      const filters = wasmFilters(envoy());
      expect(filters.length).toBe(1);
      const value = at(filters[0], 'typed_config', 'value') as Json;
      expect(at(value, 'config', 'vm_config', 'code', 'local', 'filename')).toBe('/etc/envoy/main.wasm');
      expect(at(value, 'config', 'configuration', '@type')).toBe('type.googleapis.com/google.protobuf.StringValue');
      const json = at(value, 'config', 'configuration', 'value');
      expect(typeof json).toBe('string');
      expect(JSON.parse(json as string)).toEqual(config());
    });

    test(`${name}: every cluster the plugin calls with that config exists under its exact name`, { timeout: 120_000 }, async () => {
      const clusters = ((at(envoy(), 'static_resources', 'clusters') as Json[]) ?? []).map((c) => String(c.name));
      // The routes' clusters exist.
      const routes = JSON.stringify(at(envoy(), 'static_resources', 'listeners')).matchAll(/"cluster":"([^"]+)"/g);
      for (const [, cluster] of routes) expect(clusters).toContain(cluster);
      // Run the example's own scenario with config.json (what envoy.yaml holds) and collect the
      // clusters the real plugin calls, including any the scenario forgot to declare.
      const plugin = await loadExample(name);
      const scenarioText = readFileSync(join(dir, 'scenario.yaml'), 'utf8');
      const { outcomes } = await runScenario({ module: plugin.bytes, scenario: scenario(scenarioText), config: config() });
      const called = new Set<string>();
      for (const o of outcomes) {
        for (const r of o.redis) called.add(r.cluster);
        for (const h of o.httpCalls) called.add(h.cluster);
        const unknown = o.error?.kind === 'unknown-cluster' ? /cluster "([^"]+)"/.exec(o.error.message)?.[1] : undefined;
        if (unknown) called.add(unknown);
      }
      for (const cluster of called) {
        expect(cluster).toMatch(/^outbound\|\d+\|[^|]*\|.+$/);
        expect(clusters, `envoy.yaml declares ${cluster}`).toContain(cluster);
      }
    });
  }

  test('redis-limiter: Redis sits at the fixed address the STATIC cluster points to', () => {
    const dir = join(ROOT, 'examples/redis-limiter');
    const compose = parse(readFileSync(join(dir, 'docker-compose.yaml'), 'utf8')) as Json;
    const envoy = parse(readFileSync(join(dir, 'envoy.yaml'), 'utf8')) as Json;
    const address = at(compose, 'services', 'redis', 'networks', 'wasmtest', 'ipv4_address');
    const cluster = ((at(envoy, 'static_resources', 'clusters') as Json[]) ?? []).find((c) => c.name === 'outbound|6379||redis.static')!;
    expect(cluster.type).toBe('STATIC');
    const endpoint = at(cluster, 'load_assignment', 'endpoints', 0, 'lb_endpoints', 0, 'endpoint', 'address', 'socket_address') as Json;
    expect(endpoint).toEqual({ address, port_value: 6379 });
  });
});

// ---- every command accounted for ---------------------------------------------------------------------

describe('every shell command on the setup and debugging pages', () => {
  test('is run by a test in this file or listed with the reason it cannot run here', () => {
    const runHere = new Set([
      RUN_HERE.goVersion,
      ...commandLines(RUN_HERE.moduleSteps),
      ...commandLines(RUN_HERE.build),
      ...commandLines(RUN_HERE.firstWasmLab),
      RUN_HERE.vet,
      ...RUN_HERE.runs,
      RUN_HERE.runWithRedis,
      ...commandLines(RUN_HERE.testDeps),
      RUN_HERE.composeBuild,
      RUN_HERE.testBinary,
      ...RUN_HERE.outputs,
    ]);
    const commands = [...shellCommands(page(SETUP.en)), ...shellCommands(page(DEBUGGING.en))];
    const unaccounted = commands.filter((c) => !runHere.has(c) && !(c in NOT_RUN));
    expect(unaccounted).toEqual([]);
    const stale = Object.keys(NOT_RUN).filter((c) => !commands.includes(c));
    expect(stale, 'NOT_RUN lists commands the pages no longer show').toEqual([]);
  });
});
