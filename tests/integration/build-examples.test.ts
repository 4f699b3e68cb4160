import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { describeModule } from '../../src/harness/module-info.ts';
import { buildExamples, EXAMPLES as SITE_EXAMPLES, FIXTURES, listPlugins, type BuildTarget, type Manifest } from '../../tools/build-examples.ts';
import { findGo } from '../../tools/lib/go-toolchain.ts';

const ROOT = resolve(import.meta.dirname, '../..');
/** Every examples/<name>/ with a go.mod: each must build, pass the export checks and go vet. */
const EXAMPLES = listPlugins();

// The builder writes into folders of its own here, so it never races the tests reading public/wasm/.
const scratch = mkdtempSync(join(tmpdir(), 'build-examples-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const into = (target: BuildTarget, name: string): BuildTarget => ({ ...target, outDir: join(scratch, name) });

const examples = into(SITE_EXAMPLES, 'examples');
let manifest: Manifest;
const buildLog: string[] = [];

beforeAll(async () => {
  manifest = await buildExamples(findGo(), (line) => buildLog.push(line), examples);
});

/** What a finished build left in its folder: the modules, manifest.json, and no temporary files. */
const leftIn = (target: BuildTarget) => readdirSync(target.outDir).sort();
const readManifest = (target: BuildTarget) => JSON.parse(readFileSync(join(target.outDir, 'manifest.json'), 'utf8')) as Manifest;

describe('buildExamples', () => {
  test('finds the site\'s examples', () => {
    expect(EXAMPLES).toEqual(expect.arrayContaining(['hello-world', 'redis-limiter']));
  });

  test('builds every example into an empty folder and lists each in manifest.json', () => {
    expect(buildLog.filter((l) => l.includes('unchanged'))).toEqual([]);
    expect(Object.keys(manifest.examples).sort()).toEqual(EXAMPLES);
    expect(readManifest(examples)).toEqual(manifest);
    // Each site plugin also as the .wasm.gz the pages fetch.
    expect(leftIn(examples)).toEqual([...EXAMPLES.flatMap((name) => [`${name}.wasm`, `${name}.wasm.gz`]), 'manifest.json'].sort());
  });

  for (const name of EXAMPLES) {
    test(`builds ${name} into a reactor module a gateway can load`, async () => {
      const bytes = readFileSync(join(examples.outDir, `${name}.wasm`));
      const info = describeModule(await WebAssembly.compile(bytes));
      expect(info.entryPoint).toBe('_initialize');
      expect(info.exports).toContain('proxy_on_memory_allocate');
      expect(info.abiVersions).toEqual(['0_2_100']);
      expect(info.problems).toEqual([]);
      expect(manifest.examples[name]?.sizeBytes).toBe(bytes.length);
      expect(info.imports.some((i) => i.module === 'wasi_snapshot_preview1')).toBe(true);
      expect(gunzipSync(readFileSync(join(examples.outDir, `${name}.wasm.gz`))).equals(bytes)).toBe(true);
    });
  }

  test('skips examples whose sources did not change', async () => {
    const again: string[] = [];
    const second = await buildExamples(findGo(), (line) => again.push(line), examples);
    expect(again.filter((l) => l.includes('unchanged'))).toHaveLength(Object.keys(manifest.examples).length);
    expect(second.examples).toEqual(manifest.examples);
  });

  // Two test workers (or a site build beside a test run) building the same plugins at once.
  // In one process the interleaving is fixed: both Go builds finish before either rename.
  test('lets two concurrent builds of the same target both succeed and leave a valid manifest', async () => {
    const target = into(FIXTURES, 'concurrent-in-process');
    const [first, second] = await Promise.all([buildExamples(findGo(), () => {}, target), buildExamples(findGo(), () => {}, target)]);
    expect(second).toEqual(first);
    expect(readManifest(target)).toEqual(first);
    await expectBuiltOnce(target);
  });

  test('lets two build processes on the same target both succeed and leave a valid manifest', async () => {
    const target = into(FIXTURES, 'concurrent-processes');
    const script = `
      import { buildExamples, FIXTURES } from ${JSON.stringify(join(ROOT, 'tools/build-examples.ts'))};
      import { findGo } from ${JSON.stringify(join(ROOT, 'tools/lib/go-toolchain.ts'))};
      await buildExamples(findGo(), () => {}, { ...FIXTURES, outDir: ${JSON.stringify(target.outDir)} });`;
    const build = () =>
      new Promise<{ code: number | null; stderr: string }>((done) => {
        const child = spawn(process.execPath, ['--experimental-strip-types', '--no-warnings', '--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('close', (code) => done({ code, stderr }));
      });
    expect(await Promise.all([build(), build()])).toEqual([{ code: 0, stderr: '' }, { code: 0, stderr: '' }]);
    await expectBuiltOnce(target);
  });
});

/** The folder holds each plugin once, as manifest.json describes it, a module a gateway loads, and no temporary file. */
async function expectBuiltOnce(target: BuildTarget): Promise<void> {
  const plugins = listPlugins(target);
  expect(plugins).toContain('faulty-plugin');
  expect(leftIn(target)).toEqual([...plugins.map((name) => `${name}.wasm`), 'manifest.json'].sort());
  const written = readManifest(target);
  expect(Object.keys(written.examples).sort()).toEqual(plugins);
  for (const name of plugins) {
    const bytes = readFileSync(join(target.outDir, `${name}.wasm`));
    expect(bytes.length, name).toBe(written.examples[name]!.sizeBytes);
    expect(describeModule(await WebAssembly.compile(bytes)).problems, name).toEqual([]);
  }
}

describe('build-examples command', () => {
  const script = join(ROOT, 'tools/build-examples.ts');
  const nodeDir = dirname(process.execPath);
  const run = (pathDirs: string[]) =>
    spawnSync(process.execPath, ['--experimental-strip-types', '--no-warnings', script], {
      env: { PATH: pathDirs.join(':'), HOME: scratch },
      encoding: 'utf8',
    });

  test('says in one sentence what to install when Go is missing', () => {
    const result = run([nodeDir]);
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toMatchInlineSnapshot(
      `"Go was not found on PATH; install Go 1.24 or newer from https://go.dev/dl/ and run \`npm run build:examples\` again."`,
    );
  });

  test('says in one sentence what to install when Go is older than 1.24', () => {
    const fakeBin = mkdtempSync(join(scratch, 'old-go-'));
    writeFileSync(join(fakeBin, 'go'), '#!/bin/sh\necho go1.22.5\n');
    chmodSync(join(fakeBin, 'go'), 0o755);
    const result = run([fakeBin, nodeDir, '/usr/bin', '/bin']);
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toMatchInlineSnapshot(
      `"go1.22.5 cannot build wasip1 plugins with -buildmode=c-shared (Go 1.24 added it); install Go 1.24 or newer from https://go.dev/dl/ and run \`npm run build:examples\` again."`,
    );
  });
});

describe('go vet', () => {
  for (const name of EXAMPLES) {
    test(`finds nothing in ${name}`, () => {
      const result = spawnSync('go', ['vet', './...'], {
        cwd: join(ROOT, 'examples', name),
        env: { ...process.env, GOOS: 'wasip1', GOARCH: 'wasm' },
        encoding: 'utf8',
      });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
    });
  }
});
