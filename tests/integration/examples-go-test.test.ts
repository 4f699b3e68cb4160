/**
 * Every example's Go unit tests (its main_test.go; `wasm-lab init` copies it into the project, and
 * the debugging page shows the limiter's) pass as `go test ./...` runs them (the test binary built by `go test -c`), and
 * `go vet` has nothing to say about them. The examples are found, not listed: each folder of
 * examples/ with a main_test.go.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { hasGo } from '../helpers/plugins.ts';

const EXAMPLES_DIR = join(import.meta.dirname, '../../examples');
const EXAMPLES = readdirSync(EXAMPLES_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(EXAMPLES_DIR, entry.name, 'main_test.go')))
  .map((entry) => entry.name)
  .sort();

// test.RunTest compiles the plugin to this file on first use; leave each folder as it was found.
const UNIT_TEST_WASM = 'wasm-unit-test.wasm';
const hadUnitTestWasm = new Set(EXAMPLES.filter((name) => existsSync(join(EXAMPLES_DIR, name, UNIT_TEST_WASM))));
afterAll(() => {
  for (const name of EXAMPLES) {
    if (!hadUnitTestWasm.has(name)) rmSync(join(EXAMPLES_DIR, name, UNIT_TEST_WASM), { force: true });
  }
});

// The checksum database is unreachable from the test machines; these two modules come from the
// module cache or the proxy without it. Readers with normal internet access never need this.
const GO_ENV = {
  ...process.env,
  GONOSUMDB: 'github.com/higress-group/wasm-go,github.com/higress-group/proxy-wasm-go-sdk',
};

/**
 * `go test -v`, with the test binary writing to a file rather than to go test's pipe: the wasm
 * mode's Go runtime (through wazero's WASI) puts the binary's stdout into non-blocking mode, so on
 * a busy machine, when that pipe is full, writes fail with EAGAIN and lines are lost — the
 * `--- PASS` lines included — while the run still ends in `ok`. A file never fills up.
 */
function runTestBinary(example: string): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), `go-test-${example}-`));
  try {
    const binary = join(dir, `${example}.test`);
    const built = go(example, ['test', '-c', '-o', binary, '.']);
    if (built.status !== 0) return built;
    const log = join(dir, 'output.txt');
    const fd = openSync(log, 'w');
    let status: number | null;
    try {
      // -test.count=1: run the tests even when go has a cached pass, so a broken wasm build cannot hide.
      status = spawnSync(binary, ['-test.v', '-test.count=1'], { cwd: join(EXAMPLES_DIR, example), env: GO_ENV, stdio: ['ignore', fd, fd] }).status;
    } finally {
      closeSync(fd);
    }
    return { status, output: readFileSync(log, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function go(example: string, args: string[]) {
  const result = spawnSync('go', args, { cwd: join(EXAMPLES_DIR, example), env: GO_ENV, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/**
 * The top-level tests of an example's main_test.go, each with the modes it runs in: test.RunTest
 * runs its body natively ("go") and against the wasm build ("wasm"), test.RunGoTest only natively,
 * and a plain Go test in neither.
 */
function topLevelTests(example: string): { name: string; modes: string[] }[] {
  const source = readFileSync(join(EXAMPLES_DIR, example, 'main_test.go'), 'utf8');
  return [...source.matchAll(/^func (Test\w+)\(t \*testing\.T\) \{\n([\s\S]*?)^\}/gm)].map(([, name = '', body = '']) => ({
    name,
    modes: /\btest\.RunTest\(/.test(body) ? ['go', 'wasm'] : /\btest\.RunGoTest\(/.test(body) ? ['go'] : [],
  }));
}

const NO_GO = hasGo() ? '' : ' (skipped: Go ≥ 1.24 is not on PATH)';

describe.skipIf(NO_GO)(`examples' Go unit tests${NO_GO}`, () => {
  test('finds the examples with a main_test.go', () => {
    expect(EXAMPLES).toEqual(
      expect.arrayContaining([
        'ai-token-usage', 'custom-response', 'hello-world', 'http-call', 'json-mask',
        'key-auth', 'redis-limiter', 'request-block', 'token-bucket',
      ]),
    );
  });

  for (const example of EXAMPLES) {
    const tests = topLevelTests(example);
    const where = tests.some((t) => t.modes.includes('wasm')) ? 'in both the native and the wasm mode' : 'natively';
    describe(`examples/${example}`, () => {
      test(`go test ./... passes ${where}`, { timeout: 300_000 }, () => {
        expect(tests, 'main_test.go has no func TestXxx(t *testing.T)').not.toEqual([]);
        const { status, output } = runTestBinary(example);
        expect(status, output).toBe(0);
        // Not anchored to a line start: the plugin's log lines come from another goroutine and may
        // run into the test's own lines on a busy machine. "(" follows a test's name on its PASS line.
        for (const { name, modes } of tests) {
          expect(output).toMatch(new RegExp(`--- PASS: ${name} \\(`));
          for (const mode of modes) expect(output).toMatch(new RegExp(`--- PASS: ${name}/${mode} \\(`));
        }
        // The wasm mode skips itself when the plugin does not compile to wasm.
        expect(output).not.toMatch(/--- SKIP/);
        expect(output).toMatch(/^PASS$/m);
      });

      test('go vet ./... reports nothing', { timeout: 120_000 }, () => {
        const { status, output } = go(example, ['vet', './...']);
        expect(status, output).toBe(0);
        expect(output.trim()).toBe('');
      });
    });
  }
});
