/**
 * The Web Worker that builds a reader's edited main.go with the real Go compiler and linker
 * (compiled to WebAssembly), so the harness runs the code they wrote. The toolchain is fetched
 * only when the reader first edits code, decompressed in the page (plain static hosting), compiled
 * with streaming compilation, and kept for the next build; progress is reported in bytes.
 */
import { buildPlugin, type GoTools, type PackageArchive } from '../gobuild/build-plugin.ts';
import { loadGoClass } from '../gobuild/go-tool.ts';
import type { PublishedToolchain } from '../gobuild/toolchain-manifest.ts';

export type ToGoWorker = { type: 'prepare'; baseUrl: string; example: string } | { type: 'build'; id: number; baseUrl: string; example: string; sources: Record<string, string> };

export type FromGoWorker =
  | { type: 'progress'; phase: 'download' | 'compile' | 'link'; loadedBytes: number; totalBytes: number }
  | { type: 'built'; id: number; wasm: Uint8Array; compileMs: number; linkMs: number }
  | { type: 'diagnostics'; id: number; phase: 'compile' | 'link'; diagnostics: Array<{ file: string; line: number; col: number; message: string }>; output: string }
  | { type: 'failed'; id: number; message: string };

const post = (message: FromGoWorker, transfer: Transferable[] = []) => self.postMessage(message, { transfer });

let toolchain: Promise<{ manifest: PublishedToolchain; tools: GoTools }> | null = null;
const archives = new Map<string, Promise<Uint8Array>>();
let loaded = 0;
let total = 0;

/** Cache Storage for the toolchain: every URL names a Go version or a content hash, so entries never go stale. */
const CACHE_NAME = 'higress-wasm-lab-go-toolchain';

async function cachedFetch(url: string): Promise<Response> {
  const cache = typeof caches === 'undefined' ? null : await caches.open(CACHE_NAME).catch(() => null);
  const hit = await cache?.match(url);
  if (hit) return hit;
  const response = await fetch(url);
  if (response.ok && cache) await cache.put(url, response.clone()).catch(() => {});
  return response;
}

/** Fetches a .gz file (from Cache Storage after the first visit) and returns its decompressed body, counting compressed bytes. */
async function fetchGzip(url: string): Promise<Response> {
  const response = await cachedFetch(url);
  if (!response.ok || !response.body) throw new Error(`${url} could not be downloaded (HTTP ${response.status})`);
  const counted = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        loaded += chunk.length;
        post({ type: 'progress', phase: 'download', loadedBytes: loaded, totalBytes: total });
        controller.enqueue(chunk);
      },
    }),
  );
  return new Response(counted.pipeThrough(new DecompressionStream('gzip') as unknown as ReadableWritablePair<Uint8Array, Uint8Array>));
}

function loadToolchain(baseUrl: string): Promise<{ manifest: PublishedToolchain; tools: GoTools }> {
  toolchain ??= (async () => {
    const manifest = (await (await fetch(`${baseUrl}/manifest.json`)).json()) as PublishedToolchain;
    total += manifest.compile.gzipBytes + manifest.link.gzipBytes + manifest.wasmExec.gzipBytes;
    const wasm = async (file: string) =>
      WebAssembly.compileStreaming(new Response((await fetchGzip(`${baseUrl}/${file}`)).body, { headers: { 'content-type': 'application/wasm' } }));
    const [compile, link, wasmExec] = await Promise.all([wasm(manifest.compile.file), wasm(manifest.link.file), fetchGzip(`${baseUrl}/${manifest.wasmExec.file}`).then((r) => r.text())]);
    return { manifest, tools: { Go: loadGoClass(wasmExec), compile, link } };
  })();
  toolchain.catch(() => (toolchain = null));
  return toolchain;
}

function loadArchive(baseUrl: string, file: string): Promise<Uint8Array> {
  let archive = archives.get(file);
  if (!archive) {
    archive = fetchGzip(`${baseUrl}/${file}`).then(async (r) => new Uint8Array(await r.arrayBuffer()));
    archive.catch(() => archives.delete(file));
    archives.set(file, archive);
  }
  return archive;
}

async function loadPackages(baseUrl: string, manifest: PublishedToolchain, example: string): Promise<PackageArchive[]> {
  const packages = manifest.examples[example]?.packages;
  if (!packages) throw new Error(`the toolchain has no package list for ${example}; rebuild the site`);
  // Archives shared with an example built before are already here: count only the new ones.
  for (const [, archive] of packages) {
    const file = manifest.archives[archive]!;
    if (!archives.has(file.file)) total += file.gzipBytes;
  }
  return Promise.all(packages.map(async ([importPath, archive]) => ({ importPath, bytes: await loadArchive(baseUrl, manifest.archives[archive]!.file) })));
}

self.addEventListener('message', async (event: MessageEvent<ToGoWorker>) => {
  const message = event.data;
  try {
    const { manifest, tools } = await loadToolchain(message.baseUrl);
    const packages = await loadPackages(message.baseUrl, manifest, message.example);
    if (message.type === 'prepare') return;
    const result = await buildPlugin(tools, message.sources, packages, {
      lang: manifest.examples[message.example]?.lang ?? 'go1.24',
      onPhase: (phase) => post({ type: 'progress', phase, loadedBytes: loaded, totalBytes: total }),
    });
    if (result.ok) post({ type: 'built', id: message.id, wasm: result.wasm, compileMs: result.compileMs, linkMs: result.linkMs }, [result.wasm.buffer]);
    else post({ type: 'diagnostics', id: message.id, phase: result.phase, diagnostics: result.diagnostics, output: result.output });
  } catch (error) {
    if (message.type === 'build') post({ type: 'failed', id: message.id, message: error instanceof Error ? error.message : String(error) });
  }
});
