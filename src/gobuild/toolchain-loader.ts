/**
 * Turns the published toolchain (manifest + brotli files) into what `buildPlugin` needs: the
 * compiled compiler and linker, wasm_exec.js's Go class, and an example's package archives (and
 * gofmt for the Format button). Where the bytes come from is the caller's business (fetch in the
 * Worker, the disk in Node tests), so both run this same code. Everything is loaded once and kept.
 * A ToolchainStore, when given, keeps the decoded files between visits: a file found there is
 * neither downloaded nor decoded again, and a tool found there is compiled the way the browser
 * can answer from its compiled-code cache (src/playground/toolchain-cache.ts says how).
 */
import { decompress } from 'brotli/decompress';
import type { GoTools, PackageArchive } from './build-plugin.ts';
import { isAllocationFailure } from './errors.ts';
import { type GoClass, loadGoClass } from './go-tool.ts';
import type { PublishedBundle, PublishedFile, PublishedToolchain } from './toolchain-manifest.ts';

/** Returns a published file's bytes as stored (still brotli-compressed). */
export type FetchPublished = (file: PublishedFile) => Promise<Uint8Array>;

/**
 * Decodes a published file and checks it has the size the manifest says. Bytes that already have
 * the decoded size were decoded by the browser (the server sent `Content-Encoding: br`) and are
 * returned as they are; compression never leaves a file at its own size, so the two cannot mix up.
 */
export function decodePublished(compressed: Uint8Array, file: PublishedFile): Uint8Array {
  if (compressed.length === file.sizeBytes && file.sizeBytes !== file.compressedBytes) return compressed;
  let bytes: Uint8Array;
  try {
    bytes = decompress(compressed, file.sizeBytes);
  } catch (error) {
    // A tab short of memory is not a damaged file: let the caller report it as such.
    if (isAllocationFailure(error)) throw error;
    throw new Error(`${file.file} is damaged (${error instanceof Error ? error.message : String(error)}); reload the page to download it again`);
  }
  if (bytes.length !== file.sizeBytes) throw new Error(`${file.file} is damaged: ${bytes.length} bytes after decoding, ${file.sizeBytes} expected; reload the page to download it again`);
  return bytes;
}

/** Splits a decoded bundle into its archives (views, no copies). */
export function unpackBundle(bytes: Uint8Array, bundle: PublishedBundle): Map<string, Uint8Array> {
  const archives = new Map<string, Uint8Array>();
  for (const [archive, offset, length] of bundle.members) {
    if (offset + length > bytes.length) throw new Error(`${bundle.file} is shorter than its manifest says`);
    archives.set(archive, bytes.subarray(offset, offset + length));
  }
  return archives;
}

/**
 * Where decoded toolchain files are kept between visits (Cache Storage in the browser). Every
 * file name carries the hash of its decoded bytes (PublishedFile.file), so a kept file never goes
 * stale; files no manifest names any more are the store's to drop.
 */
export interface ToolchainStore {
  /** Whether `file` is kept (known without waiting, so the progress bar's total is right at once). */
  has(file: PublishedFile): boolean;
  /** The kept bytes of `file`, or null when it is not kept (or could not be read). */
  read(file: PublishedFile): Promise<Uint8Array | null>;
  /** Keeps the decoded bytes of `file` for later visits. */
  write(file: PublishedFile, bytes: Uint8Array): Promise<void>;
  /** Compiles a kept tool (a .wasm file); null when it is not kept. */
  compile(file: PublishedFile): Promise<CompiledTool | null>;
  /**
   * Compiles a kept tool once more as `compile()` did, only so that the browser keeps the machine
   * code the running module has by now (Chromium keeps one snapshot per compilation, taken early:
   * src/playground/toolchain-cache.ts); the module itself is not needed.
   */
  refresh?(file: PublishedFile): Promise<void>;
}

/**
 * How a tool's WebAssembly.Module was made. `service-worker`: compiled streaming from a fetch()
 * answered from the store, which is what lets the browser reuse its compiled code from an earlier
 * visit (src/playground/toolchain-cache.ts); `store`: streaming from the stored copy, compiled
 * afresh; `bytes`: from bytes just downloaded and decoded, compiled afresh.
 */
export type ToolSource = 'service-worker' | 'store' | 'bytes';

export interface CompiledTool {
  module: WebAssembly.Module;
  source: Exclude<ToolSource, 'bytes'>;
}

/** What loading has cost so far, summed since the loader was made; callers report differences. */
export interface LoadStats {
  /** Files downloaded (and decoded). */
  filesDownloaded: number;
  /** Bytes those downloads took, as served (brotli). */
  downloadedBytes: number;
  /** Files taken decoded from the store: no download, no decoding. */
  filesFromStore: number;
  /** Time spent decoding brotli (synchronous, so the sum is time the worker spent on it). */
  decodeMs: number;
  /** Time WebAssembly compilation of the tools took, summed over the tools. */
  toolCompileMs: number;
  /** How the tool compiled last got its module; null before the first. */
  lastToolSource: ToolSource | null;
}

export interface ToolchainLoader {
  readonly manifest: PublishedToolchain;
  tools(): Promise<GoTools>;
  /** gofmt and the Go class that runs it; fetched on first use only. */
  gofmt(): Promise<{ Go: GoClass; module: WebAssembly.Module }>;
  /**
   * The example's link closure, plus the standard-library extras when `imports` (the edited
   * code's import paths) name one the example does not link; fetches only bundles not loaded yet.
   */
  packages(example: string, imports?: readonly string[]): Promise<PackageArchive[]>;
  /** Compressed bytes still to download for that (tools included, kept files not): the progress bar's total. */
  pendingBytes(example: string, imports?: readonly string[]): number;
  /** Whether `tools()` and `packages()` for that were asked for before (they are loaded or loading). */
  isLoaded(example: string, imports?: readonly string[]): boolean;
  /** A copy of what loading has cost so far. */
  stats(): LoadStats;
  /**
   * Has the store refresh the browser's compiled code of the compiler and linker, once they have
   * run (warm): the next visit then starts with their optimised code. False when there is nothing
   * to refresh (no store, or tools not compiled through it).
   */
  refreshCompiledTools(): Promise<boolean>;
}

export function createToolchainLoader(manifest: PublishedToolchain, fetchPublished: FetchPublished, store?: ToolchainStore): ToolchainLoader {
  let tools: Promise<GoTools> | null = null;
  let goClass: Promise<GoClass> | null = null;
  let gofmt: Promise<WebAssembly.Module> | null = null;
  const bundles = new Map<string, Promise<Map<string, Uint8Array>>>();
  const stats: LoadStats = { filesDownloaded: 0, downloadedBytes: 0, filesFromStore: 0, decodeMs: 0, toolCompileMs: 0, lastToolSource: null };
  /** Tools whose module came through the store's service worker: the ones worth refreshing. */
  const compiledThroughStore: PublishedFile[] = [];

  /** Downloads and decodes `file`, and keeps the decoded bytes in the store (awaited only when asked). */
  const download = async (file: PublishedFile, options: { awaitStore: boolean }) => {
    const compressed = await fetchPublished(file);
    const started = performance.now();
    const bytes = decodePublished(compressed, file);
    stats.decodeMs += performance.now() - started;
    stats.filesDownloaded++;
    stats.downloadedBytes += file.compressedBytes;
    const kept = store?.write(file, bytes);
    if (options.awaitStore) await kept;
    return bytes;
  };
  /** A file's decoded bytes: from the store when it is kept there, else downloaded. */
  const load = async (file: PublishedFile) => {
    const kept = store?.has(file) ? await store.read(file) : null;
    if (kept && kept.length === file.sizeBytes) {
      stats.filesFromStore++;
      return kept;
    }
    // The first build should not wait for the store: the bytes are already in memory.
    return download(file, { awaitStore: false });
  };
  const timed = async <T>(compile: () => Promise<T>) => {
    const started = performance.now();
    try {
      return await compile();
    } finally {
      stats.toolCompileMs += performance.now() - started;
    }
  };
  /** A kept tool's module; null when the store lacks it or holds bytes that do not compile (then it is downloaded again). */
  const compileKept = async (file: PublishedFile) => {
    try {
      return (await store?.compile(file)) ?? null;
    } catch (error) {
      if (isAllocationFailure(error)) throw error;
      console.warn(`The kept copy of ${file.file} did not compile; downloading it again.`, error);
      return null;
    }
  };
  /**
   * A tool's module. After a download it is compiled from the store when the store took it, so
   * even the first visit leaves the browser compiled code to reuse on the next one.
   */
  const loadTool = async (file: PublishedFile): Promise<WebAssembly.Module> => {
    const kept = store?.has(file) ? await timed(() => compileKept(file)) : null;
    if (kept) {
      stats.filesFromStore++;
      stats.lastToolSource = kept.source;
      if (kept.source === 'service-worker') compiledThroughStore.push(file);
      return kept.module;
    }
    const bytes = await download(file, { awaitStore: true });
    const compiled = store ? await timed(() => compileKept(file)) : null;
    stats.lastToolSource = compiled?.source ?? 'bytes';
    if (compiled?.source === 'service-worker') compiledThroughStore.push(file);
    return compiled?.module ?? (await timed(() => WebAssembly.compile(bytes as BufferSource)));
  };
  const loadGo = () => {
    goClass ??= load(manifest.wasmExec).then((bytes) => loadGoClass(new TextDecoder().decode(bytes)));
    goClass.catch(() => (goClass = null));
    return goClass;
  };
  /** The packages and bundles a build of `name` needs, given the edited code's imports. */
  const closure = (name: string, imports: readonly string[] = []) => {
    const found = manifest.examples[name];
    if (!found) throw new Error(`the toolchain has no package list for ${name}; rebuild the site`);
    const linked = new Set(found.packages.map(([path]) => path));
    const extras = manifest.extras ?? { packages: [], bundles: [] };
    const extraPaths = new Set(extras.packages.map(([path]) => path));
    if (!imports.some((path) => !linked.has(path) && extraPaths.has(path))) return found;
    return {
      packages: [...found.packages, ...extras.packages.filter(([path]) => !linked.has(path))],
      bundles: [...new Set([...found.bundles, ...extras.bundles])],
    };
  };
  /** Bytes to download for `file`: none when it is loaded or kept in the store. */
  const toDownload = (file: PublishedFile | undefined, isLoaded: boolean) => (!file || isLoaded || store?.has(file) ? 0 : file.compressedBytes);

  const loader: ToolchainLoader = {
    manifest,
    tools() {
      tools ??= (async () => {
        const [compile, link, Go] = await Promise.all([loadTool(manifest.compile), loadTool(manifest.link), loadGo()]);
        return { Go, compile, link };
      })();
      tools.catch(() => (tools = null));
      return tools;
    },
    gofmt() {
      gofmt ??= loadTool(manifest.gofmt);
      gofmt.catch(() => (gofmt = null));
      return Promise.all([loadGo(), gofmt]).then(([Go, module]) => ({ Go, module }));
    },
    async packages(name, imports) {
      const { packages, bundles: needed } = closure(name, imports);
      const loaded = await Promise.all(
        needed.map((file) => {
          let bundle = bundles.get(file);
          if (!bundle) {
            const published = manifest.bundles[file];
            if (!published) throw new Error(`the toolchain manifest has no bundle ${file}; rebuild the site`);
            bundle = load(published).then((bytes) => unpackBundle(bytes, published));
            bundle.catch(() => bundles.delete(file));
            bundles.set(file, bundle);
          }
          return bundle;
        }),
      );
      return packages.map(([importPath, archive]) => {
        const bytes = loaded.find((b) => b.has(archive))?.get(archive);
        if (!bytes) throw new Error(`no bundle holds the archive of ${importPath}; rebuild the site`);
        return { importPath, bytes };
      });
    },
    pendingBytes(name, imports) {
      const toolBytes = [manifest.compile, manifest.link].reduce((n, f) => n + toDownload(f, tools !== null), 0) + toDownload(manifest.wasmExec, tools !== null || goClass !== null);
      const bundleBytes = closure(name, imports).bundles.reduce((n, file) => n + toDownload(manifest.bundles[file], bundles.has(file)), 0);
      return toolBytes + bundleBytes;
    },
    isLoaded(name, imports) {
      return tools !== null && closure(name, imports).bundles.every((file) => bundles.has(file));
    },
    stats: () => ({ ...stats }),
    async refreshCompiledTools() {
      const tools = compiledThroughStore.filter((file) => file === manifest.compile || file === manifest.link);
      if (!store?.refresh || tools.length === 0) return false;
      await Promise.all(tools.map((file) => store.refresh!(file)));
      return true;
    },
  };
  return loader;
}
