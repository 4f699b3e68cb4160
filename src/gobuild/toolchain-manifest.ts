/** The manifest of the Go toolchain the site serves under /go/<version>/ (written by tools/build-go-toolchain.ts). */

/** What the site serves for in-browser builds: every file gzip-compressed (the page decompresses). */
export interface PublishedToolchain {
  goVersion: string;
  compile: PublishedFile;
  link: PublishedFile;
  wasmExec: PublishedFile;
  examples: Record<string, { lang: string; packages: Array<[importPath: string, archive: string]> }>;
  archives: Record<string, PublishedFile>;
}

export interface PublishedFile {
  /** Path under public/go/<version>/. */
  file: string;
  sizeBytes: number;
  gzipBytes: number;
}
