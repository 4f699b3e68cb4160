/**
 * The limiter's Go unit tests (examples/redis-limiter/main_test.go, shown on the debugging page)
 * pass with the plain `go test ./...` a reader runs, and `go vet` has nothing to say about them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { hasGo } from '../helpers/plugins.ts';

const EXAMPLE_DIR = join(import.meta.dirname, '../../examples/redis-limiter');
// test.RunTest compiles the plugin to this file on first use; leave the folder as it was found.
const UNIT_TEST_WASM = join(EXAMPLE_DIR, 'wasm-unit-test.wasm');
const hadUnitTestWasm = existsSync(UNIT_TEST_WASM);
afterAll(() => {
  if (!hadUnitTestWasm) rmSync(UNIT_TEST_WASM, { force: true });
});

// The checksum database is unreachable from the test machines; these two modules come from the
// module cache or the proxy without it. Readers with normal internet access never need this.
const GO_ENV = {
  ...process.env,
  GONOSUMDB: 'github.com/higress-group/wasm-go,github.com/higress-group/proxy-wasm-go-sdk',
};


function go(args: string[]) {
  const result = spawnSync('go', args, { cwd: EXAMPLE_DIR, env: GO_ENV, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const NO_GO = hasGo() ? '' : ' (skipped: Go ≥ 1.24 is not on PATH)';

describe.skipIf(NO_GO)(`examples/redis-limiter Go tests${NO_GO}`, () => {
  // -count=1: run the tests even when go has a cached pass, so a broken wasm build cannot hide.
  test('go test ./... passes in both the native and the wasm mode', { timeout: 300_000 }, () => {
    const { status, output } = go(['test', '-count=1', '-v', './...']);
    expect(status, output).toBe(0);
    expect(output).toMatch(/^--- PASS: TestLimiter\b/m);
    expect(output).toMatch(/^ {4}--- PASS: TestLimiter\/go\b/m);
    expect(output).toMatch(/^ {4}--- PASS: TestLimiter\/wasm\b/m);
    expect(output).not.toMatch(/--- SKIP/);
    expect(output).toMatch(/^ok\s+github\.com\/higress-wasm-lab\/examples\/redis-limiter\s/m);
  });

  test('go vet ./... reports nothing', { timeout: 120_000 }, () => {
    const { status, output } = go(['vet', './...']);
    expect(status, output).toBe(0);
    expect(output.trim()).toBe('');
  });
});
