/** The manifest of the Go toolchain the site serves under /go/<version>/ (written by tools/build-go-toolchain.ts). */

/**
 * What the site serves for in-browser builds. Every file is brotli-compressed and decoded by the
 * page, so any static file server works (no Content-Encoding headers needed).
 */
export interface PublishedToolchain {
  goVersion: string;
  compile: PublishedFile;
  link: PublishedFile;
  wasmExec: PublishedFile;
  /** tools/gofmt-wasm built for js/wasm: go/format for the Format button, fetched when first pressed. */
  gofmt: PublishedFile;
  examples: Record<string, PublishedExample>;
  /**
   * Standard-library packages no example links (regexp, hash/fnv, encoding/xml, text/template,
   * log/slog, …) with their closure, fetched only when edited code imports one of them.
   */
  extras: { packages: Array<[importPath: string, archive: string]>; bundles: string[] };
  /** Bundle file → what it holds. Archives are packed into bundles so brotli sees across them. */
  bundles: Record<string, PublishedBundle>;
}

export interface PublishedExample {
  /** `-lang` for compile, from the example's go.mod. */
  lang: string;
  /** The link closure in link order: import path → archive name (a content hash). */
  packages: Array<[importPath: string, archive: string]>;
  /** The bundles holding exactly those archives. */
  bundles: string[];
}

export interface PublishedFile {
  /** Path under public/go/<version>/. */
  file: string;
  /** Bytes after decoding. */
  sizeBytes: number;
  /** Bytes on the wire (brotli). */
  compressedBytes: number;
}

export interface PublishedBundle extends PublishedFile {
  /** Where each archive lies in the decoded bundle. */
  members: Array<[archive: string, offset: number, length: number]>;
}
