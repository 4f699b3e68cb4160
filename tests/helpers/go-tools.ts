/** Loads the js/wasm Go compiler and linker and an example's archives for in-process builds. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildGoToolchain, toolchainDir, type GoToolchainManifest } from '../../tools/build-go-toolchain.ts';
import { findGo } from '../../tools/lib/go-toolchain.ts';
import { loadGoClass } from '../../src/gobuild/go-tool.ts';
import type { GoTools, PackageArchive } from '../../src/gobuild/build-plugin.ts';

const ROOT = join(import.meta.dirname, '../..');

export interface LoadedToolchain {
  tools: GoTools;
  manifest: GoToolchainManifest;
  packages(example: string): PackageArchive[];
  sources(example: string): Record<string, string>;
}

/** Builds the payload if needed (cached per Go version) and compiles the two tools once. */
export async function loadToolchain(): Promise<LoadedToolchain> {
  const go = findGo();
  const manifest = buildGoToolchain(go, () => {});
  const dir = toolchainDir(go);
  const [compile, link] = await Promise.all([
    WebAssembly.compile(readFileSync(join(dir, manifest.compile))),
    WebAssembly.compile(readFileSync(join(dir, manifest.link))),
  ]);
  const Go = loadGoClass(readFileSync(join(dir, manifest.wasmExec), 'utf8'));
  return {
    tools: { Go, compile, link },
    manifest,
    packages: (example) =>
      manifest.examples[example]!.packages.map(([importPath, file]) => ({ importPath, bytes: readFileSync(join(dir, 'pkg', file)) })),
    sources: (example) =>
      Object.fromEntries(
        readdirSync(join(ROOT, 'examples', example))
          .filter((f) => f.endsWith('.go'))
          .map((f) => [f, readFileSync(join(ROOT, 'examples', example, f), 'utf8')]),
      ),
  };
}
