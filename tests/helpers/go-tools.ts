/**
 * Loads the published Go toolchain (public/go/<version>/, as the site serves it) through the same
 * loader the build Worker uses — brotli decoding, bundle unpacking, tool compilation — reading the
 * files from disk instead of fetching them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildGoToolchain, publishGoToolchain } from '../../tools/build-go-toolchain.ts';
import { findGo } from '../../tools/lib/go-toolchain.ts';
import { createToolchainLoader, type ToolchainLoader } from '../../src/gobuild/toolchain-loader.ts';
import type { GoTools } from '../../src/gobuild/build-plugin.ts';

const ROOT = join(import.meta.dirname, '../..');

export interface LoadedToolchain {
  tools: GoTools;
  loader: ToolchainLoader;
  sources(example: string): Record<string, string>;
}

/** Builds and publishes the payload if needed (cached per Go version and content); a loader that reads it from disk, nothing loaded yet. */
export async function openPublishedToolchain(): Promise<ToolchainLoader> {
  const go = findGo();
  const published = await publishGoToolchain(buildGoToolchain(go, () => {}), go, () => {});
  const dir = join(ROOT, 'public', 'go', go.version);
  return createToolchainLoader(published, async (file) => readFileSync(join(dir, file.file)));
}

/** The published toolchain with the two tools compiled once. */
export async function loadToolchain(): Promise<LoadedToolchain> {
  const loader = await openPublishedToolchain();
  return {
    tools: await loader.tools(),
    loader,
    sources: (example) =>
      Object.fromEntries(
        readdirSync(join(ROOT, 'examples', example))
          .filter((f) => f.endsWith('.go'))
          .map((f) => [f, readFileSync(join(ROOT, 'examples', example, f), 'utf8')]),
      ),
  };
}
