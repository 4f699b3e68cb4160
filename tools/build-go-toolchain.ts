/**
 * `npm run build:go-toolchain`: what in-browser Go builds need, from the local Go (≥ 1.24) only —
 * cmd/compile and cmd/link built for js/wasm, the distribution's wasm_exec.js, and every package
 * archive each example links, from `go list -export -deps` under GOOS=wasip1 (reference/
 * in-browser-go.md §1.2–1.3, §1.7). Output: .cache/go-toolchain/<go version>/ with archives named
 * by content hash (shared across examples) and a manifest; rebuilt only when inputs change.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findGo, ToolchainError, type GoToolchain } from './lib/go-toolchain.ts';
import { EXAMPLES, listPlugins } from './build-examples.ts';
import { hashSources } from './lib/source-hash.ts';
import type { PublishedFile, PublishedToolchain } from '../src/gobuild/toolchain-manifest.ts';

const ROOT = resolve(import.meta.dirname, '..');

export interface ExamplePackages {
  /** Hash of the example's sources the list was made from. */
  hash: string;
  /** The `-lang` for compile, from the example's go.mod (`go 1.24.1` → `go1.24`). */
  lang: string;
  /** Every package of the link closure: import path → archive file name (content hash). */
  packages: Array<[importPath: string, archive: string]>;
}

export interface GoToolchainManifest {
  goVersion: string;
  compile: string;
  link: string;
  wasmExec: string;
  examples: Record<string, ExamplePackages>;
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): string {
  const result = spawnSync(command, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new ToolchainError(`${command} ${args.join(' ')} failed in ${cwd}:\n${result.stderr.trim()}`);
  return result.stdout;
}

/** The directory this Go version's toolchain payload lives in. */
export function toolchainDir(go: GoToolchain): string {
  return join(ROOT, '.cache', 'go-toolchain', go.version);
}

function buildTool(go: GoToolchain, dir: string, tool: 'compile' | 'link', log: (line: string) => void): string {
  const file = `${tool}.wasm`;
  if (existsSync(join(dir, file))) return file;
  log(`… building cmd/${tool} for js/wasm with ${go.version} (about a minute, once per Go version)`);
  const started = performance.now();
  run('go', ['build', '-trimpath', '-o', join(dir, `${file}.tmp`), `cmd/${tool}`], ROOT, { GOOS: 'js', GOARCH: 'wasm' });
  renameSync(join(dir, `${file}.tmp`), join(dir, file));
  log(`✓ ${file}: ${(readFileSync(join(dir, file)).length / 1024 / 1024).toFixed(1)} MiB in ${((performance.now() - started) / 1000).toFixed(0)}s`);
  return file;
}

/** Lists an example's link closure and copies each archive out of the build cache under its hash. */
function collectPackages(exampleDir: string, dir: string): Array<[string, string]> {
  const env = { GOOS: 'wasip1', GOARCH: 'wasm' };
  const mainPath = run('go', ['list', '-f', '{{.ImportPath}}', '.'], exampleDir, env).trim();
  const lines = run('go', ['list', '-trimpath', '-export', '-deps', '-f', '{{if .Export}}{{.ImportPath}} {{.Export}}{{end}}', '.'], exampleDir, env);
  const packages: Array<[string, string]> = [];
  for (const line of lines.split('\n')) {
    const [importPath, file] = line.trim().split(' ');
    if (!importPath || !file || importPath === mainPath) continue;
    const bytes = readFileSync(file);
    const name = `${createHash('sha256').update(bytes).digest('hex').slice(0, 24)}.a`;
    if (!existsSync(join(dir, 'pkg', name))) copyFileSync(file, join(dir, 'pkg', name));
    packages.push([importPath, name]);
  }
  return packages;
}

/** Builds (or reuses) the tools and the archives of every example; returns the manifest. */
export function buildGoToolchain(go: GoToolchain = findGo(), log: (line: string) => void = console.log): GoToolchainManifest {
  const dir = toolchainDir(go);
  mkdirSync(join(dir, 'pkg'), { recursive: true });
  const manifestPath = join(dir, 'manifest.json');
  const previous: GoToolchainManifest | null = existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, 'utf8')) : null;
  const goroot = run('go', ['env', 'GOROOT'], ROOT, {}).trim();
  copyFileSync(join(goroot, 'lib', 'wasm', 'wasm_exec.js'), join(dir, 'wasm_exec.js'));
  const manifest: GoToolchainManifest = {
    goVersion: go.version,
    compile: buildTool(go, dir, 'compile', log),
    link: buildTool(go, dir, 'link', log),
    wasmExec: 'wasm_exec.js',
    examples: {},
  };
  for (const name of listPlugins(EXAMPLES)) {
    const exampleDir = join(EXAMPLES.sourceDir, name);
    const hash = hashSources(exampleDir, go.version);
    const cached = previous?.examples[name];
    if (cached?.hash === hash && cached.packages.every(([, file]) => existsSync(join(dir, 'pkg', file)))) {
      manifest.examples[name] = cached;
      continue;
    }
    const goLine = /^go (\d+)\.(\d+)/m.exec(readFileSync(join(exampleDir, 'go.mod'), 'utf8'));
    const packages = collectPackages(exampleDir, dir);
    manifest.examples[name] = { hash, lang: goLine ? `go${goLine[1]}.${goLine[2]}` : 'go1.24', packages };
    log(`✓ ${name}: ${packages.length} archives`);
  }
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/**
 * Copies the payload into public/go/<go version>/ as .gz files plus manifest.json. Plain static
 * hosting is enough: the browser decompresses with DecompressionStream, no server headers needed.
 */
export function publishGoToolchain(manifest: GoToolchainManifest, go: GoToolchain = findGo(), log: (line: string) => void = console.log): PublishedToolchain {
  const from = toolchainDir(go);
  const to = join(ROOT, 'public', 'go', go.version);
  mkdirSync(join(to, 'pkg'), { recursive: true });
  let written = 0;
  const publish = (name: string): PublishedFile => {
    const target = join(to, `${name}.gz`);
    const raw = readFileSync(join(from, name));
    if (!existsSync(target)) {
      writeFileSync(`${target}.tmp`, gzipSync(raw, { level: 9 }));
      renameSync(`${target}.tmp`, target);
      written++;
    }
    return { file: `${name}.gz`, sizeBytes: raw.length, gzipBytes: statSync(target).size };
  };
  const archives: Record<string, PublishedFile> = {};
  for (const example of Object.values(manifest.examples)) {
    for (const [, archive] of example.packages) archives[archive] ??= publish(`pkg/${archive}`);
  }
  const published: PublishedToolchain = {
    goVersion: manifest.goVersion,
    compile: publish(manifest.compile),
    link: publish(manifest.link),
    wasmExec: publish(manifest.wasmExec),
    examples: Object.fromEntries(Object.entries(manifest.examples).map(([name, e]) => [name, { lang: e.lang, packages: e.packages }])),
    archives,
  };
  writeFileSync(join(to, 'manifest.json'), `${JSON.stringify(published)}\n`);
  const gz = Object.values(archives).reduce((n, f) => n + f.gzipBytes, 0) + published.compile.gzipBytes + published.link.gzipBytes;
  log(`✓ go toolchain for the browser: public/go/${go.version}/ (${written} files compressed; ${(gz / 1024 / 1024).toFixed(1)} MiB gzip in all)`);
  return published;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const go = findGo();
    publishGoToolchain(buildGoToolchain(go), go);
  } catch (error) {
    if (!(error instanceof ToolchainError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
