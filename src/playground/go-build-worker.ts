/**
 * The Web Worker that builds a reader's edited main.go with the real Go compiler and linker
 * (compiled to WebAssembly), so the harness runs the code they wrote. The toolchain is fetched
 * only when the reader first edits code, kept in Cache Storage, decoded here (brotli, so plain
 * static hosting works), compiled once and kept for the next build; progress is reported in bytes.
 * Builds run one after another, so the page can time each tool run from its progress message.
 */
import { buildPlugin } from '../gobuild/build-plugin.ts';
import { type GoTool, isAllocationFailure, isGoBuildError } from '../gobuild/errors.ts';
import { listImports } from '../gobuild/go-imports.ts';
import { createToolchainLoader, type ToolchainLoader } from '../gobuild/toolchain-loader.ts';
import type { PublishedFile, PublishedToolchain } from '../gobuild/toolchain-manifest.ts';

export type ToGoWorker = { type: 'prepare'; baseUrl: string; example: string } | { type: 'build'; id: number; baseUrl: string; example: string; sources: Record<string, string> };

/** Why a build stopped in the worker without diagnostics (see GoBuildError for the two tool kinds). */
export type WorkerFailure =
  | { kind: 'toolchain-failed'; message: string }
  | { kind: 'out-of-memory'; tool: GoTool | 'toolchain'; message: string }
  | { kind: 'tool-crashed'; tool: GoTool | 'toolchain'; message: string };

export type FromGoWorker =
  /** `id` is set for the compile and link phases: which build the tool runs for. */
  | { type: 'progress'; phase: 'download' | 'unpack' | GoTool; loadedBytes: number; totalBytes: number; id?: number }
  | { type: 'built'; id: number; wasm: Uint8Array; compileMs: number; linkMs: number; memory: { compileBytes: number; linkBytes: number } }
  | { type: 'diagnostics'; id: number; phase: GoTool; diagnostics: Array<{ file: string; line: number; col: number; message: string }>; output: string }
  | ({ type: 'failed'; id: number } & WorkerFailure);

const post = (message: FromGoWorker, transfer: Transferable[] = []) => self.postMessage(message, { transfer });

let loader: Promise<ToolchainLoader> | null = null;
let loaded = 0;
let total = 0;

/**
 * Cache Storage for the toolchain: every URL names a Go version or a content hash, so an entry
 * never changes; entries the current manifest no longer names are dropped (forgetStaleFiles).
 */
const CACHE_NAME = 'higress-wasm-lab-go-toolchain';

async function cachedFetch(url: string): Promise<Response> {
  const cache = typeof caches === 'undefined' ? null : await caches.open(CACHE_NAME).catch(() => null);
  const hit = await cache?.match(url);
  if (hit) return hit;
  const response = await fetch(url);
  if (response.ok && cache) await cache.put(url, response.clone()).catch(() => {});
  return response;
}

/**
 * Reads a published file (from Cache Storage after the first visit), counting its bytes for the
 * progress bar. Some servers label .br files `Content-Encoding: br` (Vite's dev server does); the
 * browser then decodes them before we see them, so those bytes count at their compressed share.
 */
async function fetchPublished(baseUrl: string, file: PublishedFile): Promise<Uint8Array> {
  const response = await cachedFetch(`${baseUrl}/${file.file}`);
  if (!response.ok || !response.body) throw new Error(`${file.file} could not be downloaded (HTTP ${response.status})`);
  const decodedByBrowser = /\bbr\b/.test(response.headers.get('content-encoding') ?? '');
  const bytes = new Uint8Array(decodedByBrowser ? file.sizeBytes : file.compressedBytes);
  const share = decodedByBrowser ? file.compressedBytes / file.sizeBytes : 1;
  let at = 0;
  const reader = response.body.getReader();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    if (at + chunk.value.length > bytes.length) throw new Error(`${file.file} is larger than the manifest says; rebuild the site`);
    bytes.set(chunk.value, at);
    at += chunk.value.length;
    loaded += chunk.value.length * share;
    post({ type: 'progress', phase: 'download', loadedBytes: loaded, totalBytes: total });
  }
  if (at !== bytes.length) throw new Error(`${file.file} arrived incomplete (${at} of ${bytes.length} bytes)`);
  // Decoding brotli and compiling the two tools take a few seconds more after the last byte.
  if (loaded >= total - 1) post({ type: 'progress', phase: 'unpack', loadedBytes: total, totalBytes: total });
  return bytes;
}

/** Deletes cached toolchain files of earlier site builds (another Go version, older bundles). */
async function forgetStaleFiles(baseUrl: string, manifest: PublishedToolchain): Promise<void> {
  if (typeof caches === 'undefined') return;
  const cache = await caches.open(CACHE_NAME);
  const current = new Set([manifest.compile, manifest.link, manifest.wasmExec, ...Object.values(manifest.bundles)].map((f) => new URL(`${baseUrl}/${f.file}`, self.location.href).href));
  for (const request of await cache.keys()) {
    if (!current.has(request.url)) await cache.delete(request);
  }
}

function getLoader(baseUrl: string): Promise<ToolchainLoader> {
  loader ??= (async () => {
    const response = await fetch(`${baseUrl}/manifest.json`);
    if (!response.ok) throw new Error(`the Go toolchain manifest could not be downloaded (HTTP ${response.status})`);
    const manifest = (await response.json()) as PublishedToolchain;
    void forgetStaleFiles(baseUrl, manifest).catch(() => {});
    return createToolchainLoader(manifest, (file) => fetchPublished(baseUrl, file));
  })();
  loader.catch(() => (loader = null));
  return loader;
}

/** Sorts what a build threw into the failures the page words differently. */
function describeFailure(error: unknown): WorkerFailure {
  const message = error instanceof Error ? error.message : String(error);
  if (isGoBuildError(error)) return { kind: error.kind, tool: error.tool, message };
  if (isAllocationFailure(error)) return { kind: 'out-of-memory', tool: 'toolchain', message };
  return { kind: 'toolchain-failed', message };
}

/** Loads what `message` needs and, for a build, builds; throws what went wrong. */
async function handle(message: ToGoWorker): Promise<void> {
  const toolchain = await getLoader(message.baseUrl);
  const imports = message.type === 'build' ? Object.values(message.sources).flatMap((text) => listImports(text).map((spec) => spec.path)) : [];
  // Count everything this build still needs before fetching any of it, so the bar's total is right from the start.
  total += toolchain.pendingBytes(message.example, imports);
  const [tools, packages] = await Promise.all([toolchain.tools(), toolchain.packages(message.example, imports)]);
  if (message.type === 'prepare') return;
  const result = await buildPlugin(tools, message.sources, packages, {
    lang: toolchain.manifest.examples[message.example]?.lang ?? 'go1.24',
    onPhase: (phase) => post({ type: 'progress', phase, loadedBytes: loaded, totalBytes: total, id: message.id }),
  });
  if (result.ok) post({ type: 'built', id: message.id, wasm: result.wasm, compileMs: result.compileMs, linkMs: result.linkMs, memory: result.memory }, [result.wasm.buffer]);
  else post({ type: 'diagnostics', id: message.id, phase: result.phase, diagnostics: result.diagnostics, output: result.output });
}

/** The build in progress (or the last one): the next build starts after it ends. */
let building: Promise<void> = Promise.resolve();
/** The page replaces a build with each newer one (ids grow), so a build still queued behind a newer one is skipped. */
let latestBuildId = 0;

self.addEventListener('message', (event: MessageEvent<ToGoWorker>) => {
  const message = event.data;
  if (message.type === 'prepare') {
    // A failed download is retried, and reported, by the next build.
    void handle(message).catch(() => {});
    return;
  }
  latestBuildId = Math.max(latestBuildId, message.id);
  building = building.then(async () => {
    if (message.id < latestBuildId) return;
    await handle(message).catch((error: unknown) => post({ type: 'failed', id: message.id, ...describeFailure(error) }));
  });
});
