/**
 * `npm run build:cli`: turns the CLI into the installable `wasm-lab` package in packages/wasm-lab/.
 * esbuild bundles the command and its worker, with the harness, the embedded Redis and its Lua VM,
 * into dist/ as plain JavaScript for Node ≥ 22.12 (no TypeScript stripping, no dependencies to
 * install); `wasm-lab init`'s templates are copied from the examples into templates/. The site,
 * the examples' builds and the in-browser Go toolchain stay out. `npm run pack:cli` then packs it.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { INIT_TEMPLATES } from '../src/cli/init-templates.ts';

const ROOT = resolve(import.meta.dirname, '..');
export const CLI_PACKAGE_DIR = join(ROOT, 'packages', 'wasm-lab');
const DIST = join(CLI_PACKAGE_DIR, 'dist');
const TEMPLATES = join(CLI_PACKAGE_DIR, 'templates');
/** The files of an example that `init` copies; the rest (README, scenarios besides scenario.yaml) stay behind. */
const TEMPLATE_FILES = ['go.mod', 'go.sum', 'main.go', 'main_test.go', 'config.json', 'scenario.yaml', 'docker-compose.yaml', 'envoy.yaml'];

export async function buildCliPackage(): Promise<void> {
  rmSync(DIST, { recursive: true, force: true });
  rmSync(TEMPLATES, { recursive: true, force: true });
  await build({
    entryPoints: { 'wasm-lab': join(ROOT, 'src/cli/wasm-lab.ts'), 'run-worker': join(ROOT, 'src/harness/node/run-worker.ts') },
    outdir: DIST,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22.12',
    // The Lua VM stays a chunk of its own, loaded only when a plugin sends EVAL (as in the repository).
    splitting: true,
    // Chunks sit beside the entries: run-in-worker.ts finds ./run-worker.js and init.ts ../templates/ from wherever they land.
    chunkNames: '[name]-[hash]',
    // fengari is CommonJS and requires Node built-ins; an ES module has no `require` of its own.
    banner: { js: "import { createRequire as wasmLabCreateRequire } from 'node:module'; const require = wasmLabCreateRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  // The source runs through Node's type stripping; the bundle is plain JavaScript.
  const entry = join(DIST, 'wasm-lab.js');
  writeFileSync(entry, readFileSync(entry, 'utf8').replace(/^#!.*\n/, '#!/usr/bin/env node\n'), { mode: 0o755 });
  for (const { name, example } of INIT_TEMPLATES) {
    mkdirSync(join(TEMPLATES, name), { recursive: true });
    for (const file of TEMPLATE_FILES) {
      const from = join(ROOT, 'examples', example, file);
      if (existsSync(from)) cpSync(from, join(TEMPLATES, name, file));
    }
  }
  // npm pack --pack-destination .cache (package.json's pack:cli) needs the folder to exist.
  mkdirSync(join(ROOT, '.cache'), { recursive: true });
  const version = (JSON.parse(readFileSync(join(CLI_PACKAGE_DIR, 'package.json'), 'utf8')) as { version: string }).version;
  console.log(`built wasm-lab ${version} into ${DIST} and ${INIT_TEMPLATES.length} init templates`);
}

if (import.meta.main) await buildCliPackage();
