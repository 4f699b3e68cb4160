/**
 * Turns the published toolchain (manifest + brotli files) into what `buildPlugin` needs: the
 * compiled compiler and linker, wasm_exec.js's Go class, and an example's package archives. Where
 * the bytes come from is the caller's business (Cache Storage + fetch in the Worker, the disk in
 * Node tests), so both run this same code. Everything is loaded once and kept.
 */
import { decompress } from 'brotli/decompress';
import type { GoTools, PackageArchive } from './build-plugin.ts';
import { isAllocationFailure } from './errors.ts';
import { loadGoClass } from './go-tool.ts';
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

export interface ToolchainLoader {
  readonly manifest: PublishedToolchain;
  tools(): Promise<GoTools>;
  /**
   * The example's link closure, plus the standard-library extras when `imports` (the edited
   * code's import paths) name one the example does not link; fetches only bundles not loaded yet.
   */
  packages(example: string, imports?: readonly string[]): Promise<PackageArchive[]>;
  /** Compressed bytes still to fetch for that (tools included): the progress bar's total. */
  pendingBytes(example: string, imports?: readonly string[]): number;
}

export function createToolchainLoader(manifest: PublishedToolchain, fetchPublished: FetchPublished): ToolchainLoader {
  let tools: Promise<GoTools> | null = null;
  const bundles = new Map<string, Promise<Map<string, Uint8Array>>>();
  const load = async (file: PublishedFile) => decodePublished(await fetchPublished(file), file);
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

  const loader: ToolchainLoader = {
    manifest,
    tools() {
      tools ??= (async () => {
        const [compile, link, wasmExec] = await Promise.all([
          load(manifest.compile).then((bytes) => WebAssembly.compile(bytes as BufferSource)),
          load(manifest.link).then((bytes) => WebAssembly.compile(bytes as BufferSource)),
          load(manifest.wasmExec).then((bytes) => new TextDecoder().decode(bytes)),
        ]);
        return { Go: loadGoClass(wasmExec), compile, link };
      })();
      tools.catch(() => (tools = null));
      return tools;
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
      const toolBytes = tools ? 0 : manifest.compile.compressedBytes + manifest.link.compressedBytes + manifest.wasmExec.compressedBytes;
      const bundleBytes = closure(name, imports).bundles.filter((file) => !bundles.has(file)).reduce((n, file) => n + (manifest.bundles[file]?.compressedBytes ?? 0), 0);
      return toolBytes + bundleBytes;
    },
  };
  return loader;
}
