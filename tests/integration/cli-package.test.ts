/**
 * The wasm-lab package as a reader gets it: packed, installed into an empty folder outside the
 * repository with Node on PATH but no Go, then inspect and test on plugins built elsewhere, a JUnit
 * file, and init → make build → make test with Go. Nothing here reads the repository at run time:
 * the installed package must carry what it needs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildCliPackage, CLI_PACKAGE_DIR } from '../../tools/build-cli-package.ts';
import { findGo } from '../../tools/lib/go-toolchain.ts';
import { assembleWatFile } from '../unit/harness/wat-guest.ts';
import { loadExample } from '../helpers/plugins.ts';

/** Installing, and a Go build in a fresh project, can each take a while on a busy machine. */
const SLOW = 240_000;
const NODE_ONLY_PATH = [dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(':');

let home: string;
let project: string;

/** The machine's Go caches, so a project's build reuses the modules the examples' builds fetched. */
const GO_CACHES = Object.fromEntries(
  ['GOMODCACHE', 'GOCACHE'].map((name) => [name, spawnSync('go', ['env', name], { encoding: 'utf8' }).stdout?.trim() ?? '']),
);

function sh(command: string, args: string[], options: { cwd: string; path?: string }) {
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    encoding: 'utf8',
    env: { HOME: home, PATH: options.path ?? NODE_ONLY_PATH, npm_config_cache: join(home, '.npm'), npm_config_update_notifier: 'false', ...GO_CACHES },
    timeout: SLOW,
  });
  return { code: result.status, out: `${result.stdout}${result.stderr}` };
}

const wasmLab = (args: string[], path?: string) => sh('npx', ['--no-install', 'wasm-lab', ...args], { cwd: project, ...(path ? { path } : {}) });

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'wasm-lab-package-'));
  project = join(home, 'reader');
  await buildCliPackage();
  const packed = sh('npm', ['pack', CLI_PACKAGE_DIR, '--pack-destination', home], { cwd: home });
  expect(packed.code, packed.out).toBe(0);
  const tarball = readdirSync(home).find((f) => f.endsWith('.tgz'))!;
  sh('mkdir', ['-p', project], { cwd: home });
  writeFileSync(join(project, 'package.json'), '{ "name": "reader", "private": true }\n');
  const installed = sh('npm', ['install', '--no-audit', '--no-fund', '--save-dev', join(home, tarball)], { cwd: project });
  expect(installed.code, installed.out).toBe(0);
  // Plugins "built elsewhere": the examples' builds, and a hand-written module with an import no gateway has.
  writeFileSync(join(project, 'hello.wasm'), (await loadExample('hello-world')).bytes);
  writeFileSync(join(project, 'limiter.wasm'), (await loadExample('redis-limiter')).bytes);
  writeFileSync(join(project, 'unknown-import.wasm'), await assembleWatFile(new URL('./guests/minimal-0-2-0.wat', import.meta.url)));
}, SLOW);

afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('the packed wasm-lab, installed outside the repository', () => {
  test('carries no TypeScript and no repository paths, and declares Node ≥ 22.12', () => {
    const installed = join(project, 'node_modules', 'wasm-lab');
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { engines: { node: string }; bin: Record<string, string> };
    expect(manifest.engines.node).toBe('>=22.12.0');
    expect(manifest.bin['wasm-lab']).toBe('dist/wasm-lab.js');
    const files = readdirSync(join(installed, 'dist'));
    expect(files.some((f) => f.endsWith('.ts'))).toBe(false);
    expect(sh('which', ['go'], { cwd: project }).code).not.toBe(0);
  });

  test('inspect gives each gateway\'s verdict and exits 1 only for a module current Higress cannot load', () => {
    const hello = wasmLab(['inspect', './hello.wasm']);
    expect(hello.out).toMatch(/gateways:\n {2}[✓?] Higress ≥ 2\.1\.5/);
    expect(hello.out).toContain('✗ Higress 2.0.x and older: cannot load it');
    expect(hello.code).toBe(0);
    const limiter = wasmLab(['inspect', './limiter.wasm']);
    expect(limiter.out).toContain('missing import: env.proxy_redis_init');
    expect(limiter.code).toBe(0);
    const unknown = wasmLab(['inspect', './unknown-import.wasm']);
    expect(unknown.out).toContain('✗ Higress ≥ 2.1.5 (gateway or all-in-one): cannot load it\n      missing import: env.proxy_not_a_real_call');
    expect(unknown.code).toBe(1);
  });

  test('test passes a scenario against a plugin built elsewhere, fails one with a wrong expectation, and writes JUnit', () => {
    const scenario = (status: number) => `plugin: ./limiter.wasm
config: {"serviceName":"redis.static","servicePort":6379,"qpm":2}
clusters: [{ type: redis, name: redis.static, port: 6379 }]
requests:
  - { path: /a, expect: { status: 200 } }
  - { path: /a, expect: { status: 200 } }
  - { path: /a, expect: { status: ${status} } }
`;
    writeFileSync(join(project, 'pass.yaml'), scenario(429));
    writeFileSync(join(project, 'fail.yaml'), scenario(200));
    const passed = wasmLab(['test', 'pass.yaml']);
    expect(passed.out).toContain('✓ pass.yaml (3 requests checked)');
    expect(passed.code).toBe(0);
    const failed = wasmLab(['test', 'pass.yaml', 'fail.yaml', '--reporter', 'junit', '--output', 'wasm-lab.xml']);
    expect(failed.out).toContain('requests[2].expect.status: expected status 200, got 429.');
    expect(failed.code).toBe(1);
    const xml = readFileSync(join(project, 'wasm-lab.xml'), 'utf8');
    expect(xml).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="wasm-lab test" tests="6" failures="1" errors="0" time="[\d.]+">/);
    expect(xml).toContain('<testsuite name="fail.yaml" tests="3" failures="1" errors="0">');
    expect(xml).toContain('<testcase classname="fail.yaml" name="#2 GET /a at 0s">\n      <failure message="requests[2].expect.status: expected status 200, got 429." type="expectation">');
    const broken = wasmLab(['test', 'missing.yaml', '--reporter', 'junit', '--output', 'broken.xml']);
    expect(broken.code).toBe(2);
    expect(readFileSync(join(project, 'broken.xml'), 'utf8')).toContain('<error message="missing.yaml does not exist; check the path." type="bad-input"/>');
  });

  test('names a .wasm when given an example name, since the package has no examples', () => {
    const run = wasmLab(['run', 'redis-limiter', '--scenario', 'pass.yaml']);
    expect(run.code).toBe(2);
    expect(run.out).toContain('"redis-limiter" is not a .wasm file; name your plugin\'s build, e.g. ./main.wasm');
  });

  test('init makes a project that builds with Go and passes its own scenario', () => {
    findGo();
    const goRoot = spawnSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).stdout.trim();
    // Go for the build, with the test's module cache, so a warm cache stays warm.
    const withGo = `${join(goRoot, 'bin')}:${NODE_ONLY_PATH}`;
    const made = wasmLab(['init', 'my-limiter', '--template', 'limiter']);
    expect(made.code, made.out).toBe(0);
    const dir = join(project, 'my-limiter');
    expect(readdirSync(dir).sort()).toEqual([
      '.dockerignore', 'Dockerfile', 'Makefile', 'README.md', 'config.json', 'docker-compose.yaml', 'envoy.yaml', 'go.mod', 'go.sum', 'higress',
      'main.go', 'main_test.go', 'scenario.yaml', 'wasmplugin.yaml',
    ]);
    expect(readFileSync(join(dir, 'go.mod'), 'utf8')).toMatch(/^module my-limiter$/m);
    const built = sh('make', ['build'], { cwd: dir, path: withGo });
    expect(built.code, built.out).toBe(0);
    expect(existsSync(join(dir, 'main.wasm'))).toBe(true);
    const tested = sh('make', ['test'], { cwd: dir, path: withGo });
    expect(tested.out).toContain('✓ scenario.yaml');
    expect(tested.code, tested.out).toBe(0);
    expect(wasmLab(['init', 'my-limiter']).out).toContain('my-limiter is not empty; name a new folder');
    expect(wasmLab(['init', 'x', '--template', 'limitr']).out).toContain('there is no template "limitr"; did you mean "limiter"?');
  }, SLOW);
});
