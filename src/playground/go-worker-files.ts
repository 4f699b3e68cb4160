/**
 * What the Go workers' service worker (go-toolchain-sw.ts) keeps besides the tools, so that a
 * build works offline once one has run online: the workers' own scripts and the chunks they
 * import, and the toolchain's manifest. The site's service worker cannot keep them: Chromium sends
 * a Go worker's requests to the Go service worker, whose scope matches the worker's URL. Never the
 * published brotli files: tens of MB each, the toolchain store keeps them decoded
 * (toolchain-cache.ts). Pure functions, unit tested without a browser.
 */

/** The Cache Storage cache of these files. */
export const GO_WORKER_FILES_CACHE = 'higress-wasm-lab-go-worker-files';

/** The most entries kept (offline/cache-store.ts drops the oldest): one site build's Go workers load a dozen scripts. */
export const MAX_GO_WORKER_FILES = 60;

/** Whether a response to `url` is kept: a script or the toolchain manifest of `origin`. */
export function isKeptWorkerFile(url: string, origin: string): boolean {
  const { origin: urlOrigin, pathname } = new URL(url);
  return urlOrigin === origin && (/\.m?js$/.test(pathname) || pathname.endsWith('/manifest.json'));
}
