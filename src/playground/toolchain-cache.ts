/**
 * Keeps the decoded Go toolchain in Cache Storage (a ToolchainStore, src/gobuild/toolchain-loader.ts),
 * so that a reload or another page neither downloads nor decodes it again, and compiles the tools
 * so that Chromium reuses the machine code it compiled on an earlier visit.
 *
 * Why the tools go through a service worker (measured in headless Chromium 156, bench/go-build.ts):
 * V8 keeps compiled WebAssembly only for `WebAssembly.compileStreaming(response)` where `response`
 * came from `fetch()` with `Content-Type: application/wasm`; Blink gives no other Response a code
 * cache handler. `compileStreaming(await cache.match(url))` therefore compiles from scratch on
 * every visit (the V8.WasmCodeCaching histogram counts "no cache handler"). A fetch() that a
 * service worker answers from Cache Storage does get one: Chromium then keeps the code in its
 * wasm code cache under that URL and the stored response's time, and a later visit deserializes
 * it (the histogram counts a hit from the first reload on). The service worker
 * (go-toolchain-sw.ts) controls only the Go workers, by their URL (toolchain-service-worker.ts).
 * Where it does not control this worker (first visit before it is active, other browsers, no
 * service workers), tools compile from the stored copy: no download and no decoding still.
 *
 * One compilation leaves one snapshot: V8 serializes the module each time another chunk of it is
 * optimised, but Chromium keeps only a compilation's first (traced: about 1.5 MB of optimised code,
 * taken a second into the first build; the later ones reach 16 MB once the compiler is warm), so
 * the next visit would start mostly cold. `refresh()` compiles the kept tool once more after a
 * build: V8 finds the running module by its bytes, and the new compilation's first snapshot, at the
 * next chunk (during the next build), holds everything optimised so far and replaces the old one.
 * So a visit with two builds leaves the next one warm (reload: compile 1.1–1.8 s instead of 3.5–4.3 s).
 */
import type { CompiledTool, ToolchainStore } from '../gobuild/toolchain-loader.ts';
import type { PublishedFile, PublishedToolchain } from '../gobuild/toolchain-manifest.ts';

/** The Cache Storage cache; every URL in it names a content hash, so an entry never changes. */
export const TOOLCHAIN_CACHE = 'higress-wasm-lab-go-toolchain';

/** Set on every response this store writes: what the service worker answers is told from a server's 404 page by it. */
export const KEPT_HEADER = 'X-Wasm-Lab-Toolchain';

/**
 * The URL a decoded file is kept under: the published URL without `.br`. Its name carries the hash
 * of the decoded bytes and its folder the Go version, so a new toolchain never meets stale entries
 * (and no server holds a file there, so nothing else is ever cached under it).
 */
export function keptUrl(baseUrl: string, file: PublishedFile): string {
  return new URL(`${baseUrl}/${file.file.replace(/\.br$/, '')}`, self.location.href).href;
}

/** Whether the service worker answers `url` from the store: a kept tool, `<name>-<24 hex digits>.wasm`. */
export function isKeptToolUrl(url: string): boolean {
  return /-[0-9a-f]{24}\.wasm$/.test(new URL(url).pathname);
}

/** Every file of `manifest`, for dropping what an earlier site build kept. */
function publishedFiles(manifest: PublishedToolchain): PublishedFile[] {
  return [manifest.compile, manifest.link, manifest.wasmExec, manifest.gofmt, ...Object.values(manifest.bundles)].filter((f): f is PublishedFile => f !== undefined);
}

/**
 * Opens the store for the toolchain under `baseUrl`, deleting entries this manifest does not name
 * (another Go version, older bundles, the brotli copies earlier site builds kept). Null where Cache
 * Storage is unavailable (an opaque origin, storage switched off): then every visit downloads.
 */
export async function openToolchainCache(baseUrl: string, manifest: PublishedToolchain): Promise<ToolchainStore | null> {
  if (typeof caches === 'undefined') return null;
  let cache: Cache;
  let keys: readonly Request[];
  try {
    cache = await caches.open(TOOLCHAIN_CACHE);
    keys = await cache.keys();
  } catch (error) {
    console.warn('Cache Storage is unavailable, so the Go toolchain is downloaded on every visit.', error);
    return null;
  }
  const current = new Set(publishedFiles(manifest).map((file) => keptUrl(baseUrl, file)));
  const kept = new Set<string>();
  for (const request of keys) {
    if (current.has(request.url)) kept.add(request.url);
    else void cache.delete(request).catch(() => {});
  }
  const type = (file: PublishedFile) => (file.file.endsWith('.wasm.br') ? 'application/wasm' : 'application/octet-stream');

  return {
    has: (file) => kept.has(keptUrl(baseUrl, file)),
    async read(file) {
      const response = await cache.match(keptUrl(baseUrl, file)).catch(() => undefined);
      return response ? new Uint8Array(await response.arrayBuffer()) : null;
    },
    async write(file, bytes) {
      const url = keptUrl(baseUrl, file);
      try {
        await cache.put(url, new Response(bytes as BodyInit, { headers: { 'Content-Type': type(file), [KEPT_HEADER]: file.file } }));
        kept.add(url);
      } catch (error) {
        // Out of quota, most likely: the next visit downloads the file again, which is all it costs.
        console.warn(`Could not keep ${file.file} in Cache Storage; the next visit downloads it again.`, error);
      }
    },
    async compile(file): Promise<CompiledTool | null> {
      const url = keptUrl(baseUrl, file);
      if (!kept.has(url)) return null;
      // `only-if-cached` never reaches the network: where no service worker answers, it fails at once.
      const answered = await fetch(url, { cache: 'only-if-cached', mode: 'same-origin' }).catch(() => null);
      if (answered?.ok && answered.headers.get(KEPT_HEADER) === file.file) {
        return { module: await WebAssembly.compileStreaming(answered), source: 'service-worker' };
      }
      const stored = await cache.match(url);
      if (!stored) {
        kept.delete(url);
        return null;
      }
      return { module: await WebAssembly.compileStreaming(stored), source: 'store' };
    },
    async refresh(file) {
      const url = keptUrl(baseUrl, file);
      const answered = kept.has(url) ? await fetch(url, { cache: 'only-if-cached', mode: 'same-origin' }).catch(() => null) : null;
      // V8 finds the running module by its bytes, so this costs a read of the bytes, not a compilation.
      if (answered?.ok && answered.headers.get(KEPT_HEADER) === file.file) await WebAssembly.compileStreaming(answered);
    },
  };
}
