/**
 * The Web Worker that builds a reader's edited main.go with the real Go compiler and linker
 * (compiled to WebAssembly), so the harness runs the code they wrote. The toolchain is fetched
 * only when the reader first edits code, decoded here (brotli, so plain static hosting works),
 * compiled once and kept for the next build; progress is reported in bytes. The decoded files are
 * kept in Cache Storage (toolchain-cache.ts), so a reload or another page neither downloads nor
 * decodes them, and Chromium reuses the tools' compiled code.
 * Builds run one after another, so the page can time each tool run from its progress message.
 */
import { buildPlugin } from '../gobuild/build-plugin.ts';
import { type GoTool, isAllocationFailure, isGoBuildError } from '../gobuild/errors.ts';
import { listImports } from '../gobuild/go-imports.ts';
import type { LoadStats, ToolchainLoader } from '../gobuild/toolchain-loader.ts';
import type { PublishedFile } from '../gobuild/toolchain-manifest.ts';
import { openToolchain } from './open-toolchain.ts';

/** `requestedAtMs`: when the page asked for the build, in ms since the epoch (performance.timeOrigin + now()), comparable across the page and the worker. */
export type ToGoWorker =
  | { type: 'prepare'; baseUrl: string; example: string }
  | { type: 'build'; id: number; baseUrl: string; example: string; sources: Record<string, string>; requestedAtMs: number };

/** Why a build stopped in the worker without diagnostics (see GoBuildError for the two tool kinds). */
export type WorkerFailure =
  | { kind: 'toolchain-failed'; message: string }
  | { kind: 'out-of-memory'; tool: GoTool | 'toolchain'; message: string }
  | { kind: 'tool-crashed'; tool: GoTool | 'toolchain'; message: string };

/**
 * Where a build's time went, in milliseconds, for the page to report the download apart from
 * the build (GoBuildClient documents each field for callers).
 */
export interface BuildTimings {
  /** From the page's build request to the compiler starting: the worker's start, and waiting for the toolchain (0-ish when the worker had it). */
  toolchainMs: number;
  /** Where the toolchain files came from since the previous build: `network` when any was downloaded, else `cache` when any was read from Cache Storage, else `memory`. */
  toolchainSource: 'network' | 'cache' | 'memory';
  /** Bytes downloaded (brotli, as served) since the previous build. */
  downloadedBytes: number;
  /** Time spent decoding brotli since the previous build (0 when the decoded files came from Cache Storage). */
  decodeMs: number;
  /** Time spent compiling the compiler and linker WebAssembly modules since the previous build, summed over both. */
  toolCompileMs: number;
  /** How the compiler and linker modules were made: `memory` when this worker already had them (see ToolSource for the rest). */
  toolSource: 'service-worker' | 'store' | 'bytes' | 'memory';
  /** How long the compiler ran on main.go. */
  compileMs: number;
  /** How long the linker ran (0 when compiling failed). */
  linkMs: number;
}

export type FromGoWorker =
  /** `id` is set for the compile and link phases: which build the tool runs for. */
  | { type: 'progress'; phase: 'download' | 'unpack' | GoTool; loadedBytes: number; totalBytes: number; id?: number }
  | { type: 'built'; id: number; wasm: Uint8Array; compileMs: number; linkMs: number; memory: { compileBytes: number; linkBytes: number }; timings: BuildTimings }
  | { type: 'diagnostics'; id: number; phase: GoTool; diagnostics: Array<{ file: string; line: number; col: number; message: string }>; output: string; timings: BuildTimings }
  | ({ type: 'failed'; id: number } & WorkerFailure);

const post = (message: FromGoWorker, transfer: Transferable[] = []) => self.postMessage(message, { transfer });

let loader: Promise<ToolchainLoader> | null = null;
let loaded = 0;
let total = 0;

/**
 * Downloads a published file, counting its bytes for the progress bar. Some servers label .br
 * files `Content-Encoding: br` (Vite's dev server does); the browser then decodes them before we
 * see them, so those bytes count at their compressed share.
 */
async function fetchPublished(baseUrl: string, file: PublishedFile): Promise<Uint8Array> {
  const response = await fetch(`${baseUrl}/${file.file}`);
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

function getLoader(baseUrl: string): Promise<ToolchainLoader> {
  loader ??= openToolchain(baseUrl, (file) => fetchPublished(baseUrl, file));
  loader.catch(() => (loader = null));
  return loader;
}

/** Sorts what a build threw into the failures the page words differently. */
function describeFailure(error: unknown): WorkerFailure {
  const message = error instanceof Error ? error.message : String(error);
  // gofmt runs in its own worker (gofmt-worker.ts), never here.
  if (isGoBuildError(error) && error.tool !== 'gofmt') return { kind: error.kind, tool: error.tool, message };
  if (isAllocationFailure(error)) return { kind: 'out-of-memory', tool: 'toolchain', message };
  return { kind: 'toolchain-failed', message };
}

/** What loading had cost when the last build ended: each build reports the difference. */
let reported: LoadStats | null = null;

/** The toolchain part of a build's timings: what loading cost since the previous build. */
function loadTimings(stats: LoadStats, toolchainMs: number): Omit<BuildTimings, 'compileMs' | 'linkMs'> {
  const before = reported ?? { filesDownloaded: 0, downloadedBytes: 0, filesFromStore: 0, decodeMs: 0, toolCompileMs: 0, lastToolSource: null };
  reported = stats;
  const downloaded = stats.filesDownloaded - before.filesDownloaded;
  const fromStore = stats.filesFromStore - before.filesFromStore;
  const toolCompileMs = stats.toolCompileMs - before.toolCompileMs;
  return {
    toolchainMs,
    toolchainSource: downloaded > 0 ? 'network' : fromStore > 0 ? 'cache' : 'memory',
    downloadedBytes: stats.downloadedBytes - before.downloadedBytes,
    decodeMs: stats.decodeMs - before.decodeMs,
    toolCompileMs,
    toolSource: toolCompileMs > 0 && stats.lastToolSource ? stats.lastToolSource : 'memory',
  };
}

/** Loads what `message` needs and, for a build, builds; throws what went wrong. */
async function handle(message: ToGoWorker): Promise<void> {
  const toolchain = await getLoader(message.baseUrl);
  const imports = message.type === 'build' ? Object.values(message.sources).flatMap((text) => listImports(text).map((spec) => spec.path)) : [];
  // Count everything this build still needs before fetching any of it, so the bar's total is right from the start.
  const pending = toolchain.pendingBytes(message.example, imports);
  total += pending;
  // Nothing to download but something to load: the files come from Cache Storage.
  if (pending === 0 && !toolchain.isLoaded(message.example, imports)) post({ type: 'progress', phase: 'unpack', loadedBytes: loaded, totalBytes: total });
  const [tools, packages] = await Promise.all([toolchain.tools(), toolchain.packages(message.example, imports)]);
  if (message.type === 'prepare') return;
  // Counted from the page's request: a worker busy loading the toolchain reads its messages late.
  const toolchainMs = Math.max(0, performance.timeOrigin + performance.now() - message.requestedAtMs);
  const result = await buildPlugin(tools, message.sources, packages, {
    lang: toolchain.manifest.examples[message.example]?.lang ?? 'go1.24',
    onPhase: (phase) => post({ type: 'progress', phase, loadedBytes: loaded, totalBytes: total, id: message.id }),
  });
  const timings = { ...loadTimings(toolchain.stats(), toolchainMs), compileMs: result.compileMs, linkMs: result.linkMs };
  if (result.ok) post({ type: 'built', id: message.id, wasm: result.wasm, compileMs: result.compileMs, linkMs: result.linkMs, memory: result.memory, timings }, [result.wasm.buffer]);
  else post({ type: 'diagnostics', id: message.id, phase: result.phase, diagnostics: result.diagnostics, output: result.output, timings });
  if (result.ok) refreshTools(toolchain);
}

/**
 * How many builds of a worker are followed by a refresh of the tools' compiled-code cache. Each
 * refresh is a compilation whose first snapshot V8 takes at the next chunk of optimised code, so
 * it records what the builds before it optimised (toolchain-cache.ts); after two builds the
 * compiler is about as warm as it gets, and every refresh costs a read of the tools' 47 MB.
 */
const TOOL_REFRESHES = 2;
let toolRefreshes = 0;

/** After a good build: lets the next visit start with the tools as warm as they are now. */
function refreshTools(toolchain: ToolchainLoader): void {
  if (toolRefreshes >= TOOL_REFRESHES) return;
  toolRefreshes++;
  toolchain.refreshCompiledTools().catch((error: unknown) => console.warn('Could not refresh the compiled-code cache of the Go tools; the next visit compiles more of them afresh.', error));
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
