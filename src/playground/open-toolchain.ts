/**
 * Opens the published Go toolchain under a base URL for a worker: its manifest, and a loader whose
 * decoded files are kept in Cache Storage (toolchain-cache.ts). The build and gofmt workers share it.
 */
import { createToolchainLoader, type FetchPublished, type ToolchainLoader } from '../gobuild/toolchain-loader.ts';
import type { PublishedFile, PublishedToolchain } from '../gobuild/toolchain-manifest.ts';
import { openToolchainCache } from './toolchain-cache.ts';

/** Downloads a published file whole (the build worker counts bytes for its progress bar instead). */
async function download(baseUrl: string, file: PublishedFile): Promise<Uint8Array> {
  const response = await fetch(`${baseUrl}/${file.file}`);
  if (!response.ok) throw new Error(`${file.file} could not be downloaded (HTTP ${response.status})`);
  return new Uint8Array(await response.arrayBuffer());
}

/** Fetches the manifest and makes the loader; `fetchPublished` downloads one file (brotli, or decoded by the browser). */
export async function openToolchain(baseUrl: string, fetchPublished: FetchPublished = (file) => download(baseUrl, file)): Promise<ToolchainLoader> {
  const response = await fetch(`${baseUrl}/manifest.json`);
  if (!response.ok) throw new Error(`the Go toolchain manifest could not be downloaded (HTTP ${response.status})`);
  const manifest = (await response.json()) as PublishedToolchain;
  const store = await openToolchainCache(baseUrl, manifest);
  return createToolchainLoader(manifest, fetchPublished, store ?? undefined);
}
