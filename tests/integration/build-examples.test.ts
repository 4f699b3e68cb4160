import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { describeModule } from '../../src/harness/module-info.ts';
import { buildExamples, listPlugins, type Manifest } from '../../tools/build-examples.ts';
import { findGo } from '../../tools/lib/go-toolchain.ts';

const ROOT = resolve(import.meta.dirname, '../..');
/** Every examples/<name>/ with a go.mod: each must build, pass the export checks and go vet. */
const EXAMPLES = listPlugins();

let manifest: Manifest;
const buildLog: string[] = [];

beforeAll(async () => {
  manifest = await buildExamples(findGo(), (line) => buildLog.push(line));
});

describe('buildExamples', () => {
  test('finds the site\'s examples', () => {
    expect(EXAMPLES).toEqual(expect.arrayContaining(['hello-world', 'redis-limiter']));
  });

  for (const name of EXAMPLES) {
    test(`builds ${name} into a reactor module a gateway can load`, async () => {
      const bytes = readFileSync(join(ROOT, 'public/wasm', `${name}.wasm`));
      const info = describeModule(await WebAssembly.compile(bytes));
      expect(info.entryPoint).toBe('_initialize');
      expect(info.exports).toContain('proxy_on_memory_allocate');
      expect(info.abiVersions).toEqual(['0_2_100']);
      expect(info.problems).toEqual([]);
      expect(manifest.examples[name]?.sizeBytes).toBe(bytes.length);
      expect(info.imports.some((i) => i.module === 'wasi_snapshot_preview1')).toBe(true);
    });
  }

  test('skips examples whose sources did not change', async () => {
    const again: string[] = [];
    const second = await buildExamples(findGo(), (line) => again.push(line));
    expect(again.filter((l) => l.includes('unchanged'))).toHaveLength(Object.keys(manifest.examples).length);
    expect(second.examples).toEqual(manifest.examples);
  });
});

describe('build-examples command', () => {
  const script = join(ROOT, 'tools/build-examples.ts');
  const nodeDir = dirname(process.execPath);
  const run = (pathDirs: string[]) =>
    spawnSync(process.execPath, ['--experimental-strip-types', '--no-warnings', script], {
      env: { PATH: pathDirs.join(':'), HOME: tmpdir() },
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
    const fakeBin = mkdtempSync(join(tmpdir(), 'old-go-'));
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
