/**
 * `npm run build:go-toolchain`: what in-browser Go builds need, from the local Go (≥ 1.24) only —
 * cmd/compile (wasm backend only), cmd/link and tools/gofmt-wasm (for Format) built for js/wasm,
 * the distribution's wasm_exec.js, and every package archive each example links, from `go list -export -deps` under GOOS=wasip1
 * (reference/in-browser-go.md §1.2–1.3, §1.7). Output: .cache/go-toolchain/<go version>/ with
 * archives named by content hash (shared across examples) and a manifest, then brotli copies in
 * public/go/<go version>/; each step is redone only when its inputs change.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { brotliCompress, constants } from 'node:zlib';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isTempFile, tempPathFor, writeFileAtomic } from './lib/atomic-write.ts';
import { findGo, ToolchainError, type GoToolchain } from './lib/go-toolchain.ts';
import { EXAMPLES, listPlugins } from './build-examples.ts';
import { hashSources } from './lib/source-hash.ts';
import { planBundles } from './lib/archive-bundles.ts';
import { wasmOnlyCompilerOverlay } from './lib/wasm-only-compiler.ts';
import type { PublishedBundle, PublishedFile, PublishedToolchain } from '../src/gobuild/toolchain-manifest.ts';

const ROOT = resolve(import.meta.dirname, '..');
/** File names of published and cached payload: the first 24 hex digits of the SHA-256. */
const contentHash = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex').slice(0, 24);

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
  /** tools/gofmt-wasm built for js/wasm (the Format button's go/format). */
  gofmt: string;
  examples: Record<string, ExamplePackages>;
  /** The link closure of STDLIB_EXTRAS, for edited code that imports them. */
  extras: ExamplePackages;
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

/** Bump when the way the tools are built changes, so cached tools are rebuilt. r2: wasm-only compiler, `-s -w`. */
const TOOL_RECIPE = 'r2';

function buildTool(go: GoToolchain, goroot: string, dir: string, tool: 'compile' | 'link', log: (line: string) => void): string {
  const file = `${tool}.${TOOL_RECIPE}.wasm`;
  if (existsSync(join(dir, file))) return file;
  log(`… building cmd/${tool} for js/wasm with ${go.version} (about a minute, once per Go version)`);
  const started = performance.now();
  const tmpFile = tempPathFor(join(dir, file));
  const args = ['build', '-trimpath', '-ldflags=-s -w', '-o', tmpFile];
  const scratch = mkdtempSync(join(tmpdir(), 'wasm-lab-overlay-'));
  try {
    const overlay = tool === 'compile' ? wasmOnlyCompilerOverlay(goroot) : null;
    if (overlay) {
      const replace = Object.fromEntries(Object.entries(overlay.replace).map(([from, text], i) => {
        writeFileSync(join(scratch, `${i}.go`), text);
        return [from, join(scratch, `${i}.go`)];
      }));
      writeFileSync(join(scratch, 'overlay.json'), JSON.stringify({ Replace: replace }));
      args.push(`-overlay=${join(scratch, 'overlay.json')}`);
    } else if (tool === 'compile') {
      log(`  (this Go's cmd/compile sources look different: building the compiler with every backend, about 1.2 MiB more to download)`);
    }
    run('go', [...args, `cmd/${tool}`], ROOT, { GOOS: 'js', GOARCH: 'wasm' });
    renameSync(tmpFile, join(dir, file));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    rmSync(tmpFile, { force: true });
  }
  log(`✓ ${file}: ${(readFileSync(join(dir, file)).length / 1024 / 1024).toFixed(1)} MiB in ${((performance.now() - started) / 1000).toFixed(0)}s`);
  return file;
}

/** The Format button's program: go/format behind a small JSON interface (tools/gofmt-wasm/main.go). */
const GOFMT_SOURCE = join(ROOT, 'tools', 'gofmt-wasm', 'main.go');

/** Builds tools/gofmt-wasm for js/wasm, named by the hash of its source and the Go version, so an edit rebuilds it. */
function buildGofmt(go: GoToolchain, dir: string, log: (line: string) => void): string {
  const file = `gofmt.${createHash('sha256').update(go.version).update(readFileSync(GOFMT_SOURCE)).digest('hex').slice(0, 16)}.wasm`;
  if (existsSync(join(dir, file))) return file;
  const tmpFile = tempPathFor(join(dir, file));
  try {
    // A lone file builds without a go.mod: the standard library is all it imports.
    run('go', ['build', '-trimpath', '-ldflags=-s -w', '-o', tmpFile, GOFMT_SOURCE], ROOT, { GOOS: 'js', GOARCH: 'wasm' });
    renameSync(tmpFile, join(dir, file));
  } finally {
    rmSync(tmpFile, { force: true });
  }
  for (const old of readdirSync(dir).filter((name) => /^gofmt\.[0-9a-f]{16}\.wasm$/.test(name) && name !== file)) rmSync(join(dir, old), { force: true });
  log(`✓ ${file}: ${(readFileSync(join(dir, file)).length / 1024 / 1024).toFixed(1)} MiB`);
  return file;
}

/**
 * Standard-library packages a reader may add to an example's imports in the browser although no
 * example links them (regexp and friends, more hashes, containers, encodings, templates, slog).
 * Shipped in their own bundles, fetched only when edited code imports one of them.
 */
export const STDLIB_EXTRAS = [
  'regexp', 'hash/fnv', 'hash/adler32', 'hash/crc64', 'hash/maphash', 'container/heap', 'container/ring',
  'encoding/base32', 'encoding/ascii85', 'encoding/csv', 'encoding/xml', 'encoding/gob', 'html', 'text/template',
  'text/tabwriter', 'text/scanner', 'math/cmplx', 'log/slog', 'index/suffixarray',
];

/** Collects the link closure of a module that imports every STDLIB_EXTRAS package. */
function collectExtras(go: GoToolchain, dir: string, previous: ExamplePackages | undefined): ExamplePackages {
  const moduleDir = join(dir, 'stdlib-extras');
  mkdirSync(moduleDir, { recursive: true });
  writeFileAtomic(join(moduleDir, 'go.mod'), 'module wasmlab/stdlib-extras\n\ngo 1.24\n');
  writeFileAtomic(join(moduleDir, 'main.go'), `package main\n\nimport (\n${STDLIB_EXTRAS.map((p) => `\t_ "${p}"\n`).join('')})\n\nfunc main() {}\n`);
  const hash = hashSources(moduleDir, go.version);
  if (previous?.hash === hash && previous.packages.every(([, file]) => existsSync(join(dir, 'pkg', file)))) return previous;
  return { hash, lang: 'go1.24', packages: collectPackages(moduleDir, dir) };
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
    const name = `${contentHash(bytes)}.a`;
    if (!existsSync(join(dir, 'pkg', name))) writeFileAtomic(join(dir, 'pkg', name), bytes);
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
  writeFileAtomic(join(dir, 'wasm_exec.js'), readFileSync(join(goroot, 'lib', 'wasm', 'wasm_exec.js')));
  const manifest: GoToolchainManifest = {
    goVersion: go.version,
    compile: buildTool(go, goroot, dir, 'compile', log),
    link: buildTool(go, goroot, dir, 'link', log),
    wasmExec: 'wasm_exec.js',
    gofmt: buildGofmt(go, dir, log),
    examples: {},
    extras: collectExtras(go, dir, previous?.extras),
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
  writeFileAtomic(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

const compress = promisify(brotliCompress);
/** Not a directory name under examples/, so it cannot collide with an example. */
const EXTRAS_PLAN_KEY = '(stdlib extras)';
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** How publishGoToolchain compresses and where it writes; the defaults are what the site ships. */
export interface PublishOptions {
  /** Brotli quality, 0–11; 11 (the default) for what the site ships. */
  quality?: number;
  /** The folder `<go version>/` is written into; public/go by default. Older files in it are removed. */
  outRoot?: string;
}

/**
 * Writes the payload into public/go/<go version>/ as brotli files (quality 11, 16 MiB window) plus
 * manifest.json: the tools and wasm_exec.js, and the archives packed into bundles (lib/
 * archive-bundles.ts). File names carry a content hash, so a file is compressed once and browsers
 * may keep it forever. Files of older builds are removed. The page decodes brotli itself, so any
 * static file server works. `options` serve `astro dev` (tools/dev/publish-dev-toolchain.ts): a
 * lower quality, published elsewhere than public/go/ so `npm run build` never ships it.
 */
export async function publishGoToolchain(
  manifest: GoToolchainManifest,
  go: GoToolchain = findGo(),
  log: (line: string) => void = console.log,
  options: PublishOptions = {},
): Promise<PublishedToolchain> {
  const { quality = 11, outRoot = join(ROOT, 'public', 'go') } = options;
  const from = toolchainDir(go);
  const to = join(outRoot, go.version);
  const jobs: Array<Promise<void>> = [];
  const pending: string[] = [];
  /** Publishes `bytes` as `<name>-<hash><ext>.br`, compressing only when that file is not there yet. */
  const publish = (name: string, ext: string, bytes: Uint8Array): PublishedFile => {
    const file = `${name}-${contentHash(bytes)}${ext}.br`;
    const published: PublishedFile = { file, sizeBytes: bytes.length, compressedBytes: 0 };
    const target = join(to, file);
    if (existsSync(target)) {
      published.compressedBytes = statSync(target).size;
      return published;
    }
    pending.push(`${file} (${mib(bytes.length)})`);
    jobs.push((async () => {
      const params = { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_LGWIN]: 24, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length };
      const compressed = await compress(bytes, { params });
      mkdirSync(dirname(target), { recursive: true });
      writeFileAtomic(target, compressed);
      published.compressedBytes = compressed.length;
    })());
    return published;
  };

  const bundles: Record<string, PublishedBundle> = {};
  const bundleOf = new Map<string, string>();
  // The extras plan like one more example, so archives only they need get bundles of their own.
  for (const archives of planBundles({ ...manifest.examples, [EXTRAS_PLAN_KEY]: manifest.extras })) {
    const parts = archives.map((archive) => readFileSync(join(from, 'pkg', archive)));
    const members: PublishedBundle['members'] = [];
    let offset = 0;
    archives.forEach((archive, i) => {
      members.push([archive, offset, parts[i]!.length]);
      offset += parts[i]!.length;
    });
    // The same object publish() fills in once compression ends, hence no spread.
    const bundle: PublishedBundle = Object.assign(publish('pkg/bundle', '.bin', Buffer.concat(parts)), { members });
    bundles[bundle.file] = bundle;
    for (const archive of archives) bundleOf.set(archive, bundle.file);
  }
  const published: PublishedToolchain = {
    goVersion: manifest.goVersion,
    compile: publish('compile', '.wasm', readFileSync(join(from, manifest.compile))),
    link: publish('link', '.wasm', readFileSync(join(from, manifest.link))),
    wasmExec: publish('wasm_exec', '.js', readFileSync(join(from, manifest.wasmExec))),
    gofmt: publish('gofmt', '.wasm', readFileSync(join(from, manifest.gofmt))),
    examples: Object.fromEntries(Object.entries(manifest.examples).map(([name, e]) => [
      name,
      { lang: e.lang, packages: e.packages, bundles: [...new Set(e.packages.map(([, archive]) => bundleOf.get(archive)!))] },
    ])),
    extras: { packages: manifest.extras.packages, bundles: [...new Set(manifest.extras.packages.map(([, archive]) => bundleOf.get(archive)!))] },
    bundles,
  };
  if (pending.length > 0) {
    const started = performance.now();
    log(`… compressing for the browser with brotli, quality ${quality} (${quality === 11 ? 'about 2 minutes for a new Go version; ' : ''}later only what changed): ${pending.join(', ')}`);
    await Promise.all(jobs);
    log(`✓ compressed in ${((performance.now() - started) / 1000).toFixed(0)}s`);
  }
  mkdirSync(to, { recursive: true });
  writeFileAtomic(join(to, 'manifest.json'), `${JSON.stringify(published)}\n`);
  removeStaleFiles(outRoot, published);
  const files = [published.compile, published.link, published.wasmExec, published.gofmt, ...Object.values(bundles)];
  log(`✓ go toolchain for the browser: ${relative(ROOT, to)}/ (${mib(files.reduce((n, f) => n + f.compressedBytes, 0))} brotli in all)`);
  return published;
}

/**
 * Deletes what earlier builds published under public/go/ that this manifest does not name; spares
 * the temporary files of a publish running beside this one (each removes its own).
 */
function removeStaleFiles(root: string, published: PublishedToolchain): void {
  const keep = new Set([published.compile, published.link, published.wasmExec, published.gofmt, ...Object.values(published.bundles)].map((f) => join(published.goVersion, f.file)));
  keep.add(join(published.goVersion, 'manifest.json'));
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (!keep.has(relative(root, path)) && !isTempFile(entry.name)) rmSync(path, { force: true });
    }
  };
  walk(root);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const go = findGo();
    await publishGoToolchain(buildGoToolchain(go), go);
  } catch (error) {
    if (!(error instanceof ToolchainError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
