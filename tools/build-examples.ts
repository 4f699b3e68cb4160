/**
 * `npm run build:examples`: builds every examples/<name>/ Go plugin into public/wasm/<name>.wasm
 * with the Go ≥ 1.24 wasip1 reactor build, skips unchanged ones, and checks each module's exports.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeModule } from '../src/harness/module-info.ts';
import { listGoPlugins } from '../src/harness/node/plugin-files.ts';
import { tempPathFor, writeFileAtomic } from './lib/atomic-write.ts';
import { findGo, ToolchainError, type GoToolchain } from './lib/go-toolchain.ts';
import { hashSources } from './lib/source-hash.ts';

const ROOT = resolve(import.meta.dirname, '..');

/** Where Go plugins come from and where their .wasm files go. */
export interface BuildTarget {
  sourceDir: string;
  outDir: string;
  /** How paths are shown in messages, e.g. `examples`. */
  label: string;
  /** Also write <name>.wasm.gz, which the site's pages fetch (a third of the bytes; see gzipCopy). */
  isServed?: boolean;
}

/** The site's examples, served from public/wasm/. */
export const EXAMPLES: BuildTarget = { sourceDir: join(ROOT, 'examples'), outDir: join(ROOT, 'public', 'wasm'), label: 'examples', isServed: true };
/** Test-only plugins (fault paths), kept out of the site. */
export const FIXTURES: BuildTarget = { sourceDir: join(ROOT, 'tests', 'fixtures'), outDir: join(ROOT, '.cache', 'fixtures'), label: 'tests/fixtures' };

/** The build command every page shows; keep the two in step. */
const GO_BUILD_ARGS = ['build', '-buildmode=c-shared', '-trimpath', '-o'];

export interface BuiltExample {
  name: string;
  hash: string;
  file: string;
  sizeBytes: number;
  abiVersions: string[];
  imports: string[];
}

export interface Manifest {
  goVersion: string;
  examples: Record<string, BuiltExample>;
}

function readManifest(target: BuildTarget): Manifest | null {
  try {
    return JSON.parse(readFileSync(join(target.outDir, 'manifest.json'), 'utf8')) as Manifest;
  } catch {
    return null;
  }
}

/** The Go plugins of a target: its sub-folders that have a go.mod, sorted. */
export function listPlugins(target: BuildTarget = EXAMPLES): string[] {
  return listGoPlugins(target.sourceDir);
}

class BuildError extends Error {}

function goBuild(target: BuildTarget, name: string, outFile: string): void {
  const result = spawnSync('go', [...GO_BUILD_ARGS, outFile, '.'], {
    cwd: join(target.sourceDir, name),
    env: { ...process.env, GOOS: 'wasip1', GOARCH: 'wasm' },
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    throw new BuildError(`${target.label}/${name} failed to build:\n${result.stderr.trim()}`);
  }
}

async function checkModule(target: BuildTarget, name: string, file: string): Promise<Omit<BuiltExample, 'hash'>> {
  const bytes = readFileSync(file);
  const info = describeModule(await WebAssembly.compile(bytes));
  const problems = [...info.problems];
  if (info.entryPoint === '_start') problems.push('exports `_start` instead of `_initialize` (add -buildmode=c-shared)');
  if (problems.length > 0) {
    throw new BuildError(`${target.label}/${name} built, but a gateway would refuse it: ${problems.join('; ')}.`);
  }
  return {
    name,
    file: `wasm/${name}.wasm`,
    sizeBytes: bytes.length,
    abiVersions: info.abiVersions,
    imports: [...new Set(info.imports.map((i) => `${i.module}.${i.name}`))],
  };
}

/**
 * Writes <file>.gz unless one at least as new exists. Pages fetch the plugin gzipped and the
 * browser inflates it natively while compiling (DecompressionStream into compileStreaming), so a
 * plain static host needs no Content-Encoding set up; brotli would save a little more but needs a
 * decoder in script and gives up the streaming compile.
 */
function gzipCopy(file: string): void {
  const gz = `${file}.gz`;
  if (existsSync(gz) && statSync(gz).mtimeMs >= statSync(file).mtimeMs) return;
  writeFileAtomic(gz, gzipSync(readFileSync(file), { level: 9 }));
}

function formatSize(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
}

/**
 * Builds what changed, checks every module, writes <outDir>/manifest.json, and returns it.
 *
 * Safe to run in several processes at once on the same target (test workers, a site build beside
 * a test run): each build goes to a temporary file of its own and is renamed into place only once
 * checked, and manifest.json is replaced the same way, so a reader never sees a partial file.
 * There is no lock: the same sources and Go version give byte-identical modules (-trimpath), so
 * when two builders race, the last rename publishes the same bytes and the same manifest. A lock
 * would only save the duplicate work, and would need stale-lock recovery after a killed build.
 */
export async function buildExamples(go: GoToolchain, log: (line: string) => void = console.log, target: BuildTarget = EXAMPLES): Promise<Manifest> {
  mkdirSync(target.outDir, { recursive: true });
  const previous = readManifest(target);
  const manifest: Manifest = { goVersion: go.version, examples: {} };
  for (const name of listPlugins(target)) {
    const hash = hashSources(join(target.sourceDir, name), go.version);
    const outFile = join(target.outDir, `${name}.wasm`);
    const cached = previous?.examples[name];
    if (cached?.hash === hash && existsSync(outFile)) {
      if (target.isServed) gzipCopy(outFile);
      manifest.examples[name] = cached;
      log(`✓ ${name}: unchanged (${formatSize(cached.sizeBytes)}, ${hash})`);
      continue;
    }
    log(`… ${name}: building with ${go.version} (GOOS=wasip1 GOARCH=wasm -buildmode=c-shared)`);
    const started = performance.now();
    const tmpFile = tempPathFor(outFile);
    let checked: Omit<BuiltExample, 'hash'>;
    try {
      goBuild(target, name, tmpFile);
      checked = await checkModule(target, name, tmpFile);
      renameSync(tmpFile, outFile);
      if (target.isServed) gzipCopy(outFile);
    } finally {
      rmSync(tmpFile, { force: true });
    }
    manifest.examples[name] = { ...checked, hash };
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    log(`✓ ${name}: ${formatSize(checked.sizeBytes)} in ${seconds}s, ABI ${checked.abiVersions.join(', ')}`);
    log(`    imports: ${checked.imports.join(' ')}`);
  }
  writeFileAtomic(join(target.outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    await buildExamples(findGo());
  } catch (error) {
    if (error instanceof ToolchainError || error instanceof BuildError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
