/**
 * Where a playground fetches its compiled plugin and the in-browser Go toolchain. A built site
 * serves what `npm run build` wrote into public/; under `astro dev` the server prepares both in the
 * background (tools/dev/prepare-in-background.ts), so a dev page renders before they exist.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The path, under the site's base, where `astro dev` serves the toolchain it compressed quickly.
 * `npm run build` never publishes there, so the browser's Cache Storage (keyed by URL) never hands
 * a dev-quality file to a built site, whose manifest gives other byte counts for the same names.
 */
export const DEV_GO_PATH = '/go-dev';

/** The `?v=` of a plugin under `astro dev` while public/wasm/manifest.json does not list it yet. */
export const PENDING_VERSION = 'pending';

export interface AssetContext {
  /** The project root: public/ is read from there. */
  root: string;
  /** The site's base URL without its trailing slash (`''` at the root of a host). */
  base: string;
  /** True under `astro dev`, whose server answers for plugins and a toolchain still being built. */
  isDev: boolean;
}

interface WasmManifest {
  goVersion?: string;
  examples?: Record<string, { hash?: string } | undefined>;
}

function readWasmManifest(root: string): WasmManifest {
  const path = join(root, 'public/wasm/manifest.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as WasmManifest) : {};
}

/**
 * The `?v=` of an example's compiled plugin: its content hash, so caches refresh when it is
 * rebuilt. Under `astro dev` a plugin not built yet gets `pending`, and the dev server holds the
 * request until its build ends. Throws in a site build when the plugin is not built.
 */
export function pluginVersion(example: string, context: AssetContext): string {
  const hash = readWasmManifest(context.root).examples?.[example]?.hash;
  if (hash) return hash;
  if (context.isDev) return PENDING_VERSION;
  throw new Error(`<Playground example="${example}">: public/wasm/${example}.wasm is not built; run npm run build:examples.`);
}

/**
 * The base URL of the in-browser Go toolchain, or `''` when there is none, which turns in-browser
 * builds off. A site build has one when `npm run build:go-toolchain` published it for the Go
 * version that built the plugins; `astro dev` always has one, prepared in the background.
 */
export function goToolchainUrl(context: AssetContext): string {
  if (context.isDev) return `${context.base}${DEV_GO_PATH}`;
  const goVersion = readWasmManifest(context.root).goVersion;
  return goVersion && existsSync(join(context.root, 'public/go', goVersion, 'manifest.json')) ? `${context.base}/go/${goVersion}` : '';
}
