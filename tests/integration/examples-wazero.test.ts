/**
 * wasm-go's pkg/test runs the wasm mode on wazero, and the SDK asks for wazero v1.7.2, whose
 * compiler crashes Go ≥ 1.24 plugins after about a thousand requests (`fatal error: … freeIndex …`,
 * wazero#2375, fixed in v1.9.0). Every example whose tests use pkg/test therefore requires a newer
 * wazero in its go.mod, and the debugging page tells readers to do the same, with the same version.
 * Examples whose tests do not use pkg/test do not build wazero at all (checked with `go list`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { hasGo } from '../helpers/plugins.ts';

/** The wazero the examples require: the newest release that still supports Go 1.24 (v1.12 needs Go 1.25). */
const MIN_WAZERO = 'v1.11.0';
const WAZERO = 'github.com/tetratelabs/wazero';

const ROOT = join(import.meta.dirname, '../..');
const EXAMPLES_DIR = join(ROOT, 'examples');
const EXAMPLES = readdirSync(EXAMPLES_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(EXAMPLES_DIR, entry.name, 'go.mod')))
  .map((entry) => entry.name)
  .sort();

/** [major, minor, patch] of a plain vX.Y.Z, or null for anything else (a pre-release, a pseudo-version). */
function release(version: string): [number, number, number] | null {
  const m = /^v(\d+)\.(\d+)\.(\d+)$/.exec(version);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

function atLeast(version: string, min: string): boolean {
  const [a, b] = [release(version), release(min)];
  if (!a || !b) return false;
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! > b[i]!;
  return true;
}

/** The version go.mod requires of a module, or null when it does not name it. */
function required(example: string, module: string): string | null {
  const goMod = readFileSync(join(EXAMPLES_DIR, example, 'go.mod'), 'utf8');
  const escaped = module.replace(/[.]/g, '\\.');
  return new RegExp(`^\\s*(?:require\\s+)?${escaped}\\s+(v\\S+)`, 'm').exec(goMod)?.[1] ?? null;
}

/** Whether one of the example's test files imports wasm-go's pkg/test (and so runs wazero). */
const usesPkgTest = (example: string) =>
  readdirSync(join(EXAMPLES_DIR, example))
    .filter((name) => name.endsWith('_test.go'))
    .some((name) => readFileSync(join(EXAMPLES_DIR, example, name), 'utf8').includes('"github.com/higress-group/wasm-go/pkg/test"'));

describe('wazero in the examples', () => {
  test('the version helpers compare releases', () => {
    expect(atLeast('v1.11.0', 'v1.11.0')).toBe(true);
    expect(atLeast('v1.12.0', 'v1.11.0')).toBe(true);
    expect(atLeast('v2.0.0', 'v1.11.0')).toBe(true);
    expect(atLeast('v1.7.2', 'v1.11.0')).toBe(false);
    expect(atLeast('v1.9.0', 'v1.11.0')).toBe(false);
  });

  test('the examples that use pkg/test are found', () => {
    expect(EXAMPLES.filter(usesPkgTest)).toEqual(expect.arrayContaining(['hello-world', 'redis-limiter', 'http-call', 'key-auth']));
  });

  for (const example of EXAMPLES) {
    if (usesPkgTest(example)) {
      test(`examples/${example}/go.mod requires wazero ≥ ${MIN_WAZERO}: its tests use pkg/test`, () => {
        const version = required(example, WAZERO);
        expect(version, `${example}/go.mod does not require ${WAZERO}; run go get ${WAZERO}@${MIN_WAZERO} && go mod tidy there`).not.toBeNull();
        expect(atLeast(version!, MIN_WAZERO), `${example}/go.mod requires ${WAZERO} ${version}`).toBe(true);
      });
    } else {
      test(`examples/${example}/go.mod names wazero only at ≥ ${MIN_WAZERO}, if at all`, () => {
        const version = required(example, WAZERO);
        if (version !== null) expect(atLeast(version, MIN_WAZERO), `${example}/go.mod requires ${WAZERO} ${version}`).toBe(true);
      });
    }
  }

  test('the debugging page tells readers to require the same wazero, in both languages', () => {
    for (const path of ['content/docs/guide/debugging.mdx', 'content/docs/en/guide/debugging.mdx']) {
      const mdx = readFileSync(join(ROOT, path), 'utf8');
      const shown = [...mdx.matchAll(/go get github\.com\/tetratelabs\/wazero@(v[\w.-]*\w)/g)].map((m) => m[1]);
      expect(shown.length, path).toBeGreaterThan(0);
      for (const version of shown) expect(version, path).toBe(MIN_WAZERO);
    }
  });
});

const NO_GO = hasGo() ? '' : ' (skipped: Go ≥ 1.24 is not on PATH)';

describe.skipIf(NO_GO)(`wazero in the examples' builds${NO_GO}`, () => {
  // The checksum database is unreachable from the test machines; see examples-go-test.test.ts.
  const env = { ...process.env, GONOSUMDB: 'github.com/higress-group/wasm-go,github.com/higress-group/proxy-wasm-go-sdk' };
  const list = (example: string, args: string[], goos?: string) => {
    const result = spawnSync('go', ['list', ...args], {
      cwd: join(EXAMPLES_DIR, example),
      env: goos ? { ...env, GOOS: goos, GOARCH: 'wasm' } : env,
      encoding: 'utf8',
    });
    expect(result.status, result.stderr).toBe(0);
    return result.stdout;
  };

  for (const example of EXAMPLES) {
    test(`examples/${example}: no wazero in the plugin, and ${usesPkgTest(example) ? `wazero ≥ ${MIN_WAZERO} in the tests` : 'none in the tests'}`, { timeout: 120_000 }, () => {
      // The plugin itself never links wazero: it is test-only, so requiring it cannot change main.wasm.
      expect(list(example, ['-deps', '.'], 'wasip1')).not.toContain(WAZERO);
      const testDeps = list(example, ['-deps', '-test', './...']);
      if (usesPkgTest(example)) {
        expect(testDeps).toContain(`${WAZERO}\n`);
        const selected = list(example, ['-m', '-f', '{{.Version}}', WAZERO]).trim();
        expect(atLeast(selected, MIN_WAZERO), `${example} builds its tests with wazero ${selected}`).toBe(true);
      } else {
        expect(testDeps, `${example}'s tests build wazero, so its go.mod must require ≥ ${MIN_WAZERO}`).not.toContain(WAZERO);
      }
    });
  }
});
