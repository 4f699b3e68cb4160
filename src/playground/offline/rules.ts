/**
 * Which request the site's service worker (site-sw.ts) answers how, and which responses it keeps:
 * pure functions, so the decisions are tested without a browser (tests/unit/playground/offline-*).
 * Kept apart from the worker because the worker's event plumbing cannot run in a unit test.
 *
 * - `bypass`: the browser does what it would without a service worker. Non-GET, cross-origin,
 *   outside the scope, Range requests, and the Go toolchain under `<base>/go/` (and `astro dev`'s
 *   `<base>/go-dev/`): those files are tens of MB and already have their own Cache Storage and
 *   service worker (toolchain-cache.ts, go-toolchain-sw.ts).
 * - `network-first` into the `pages` cache: navigations, so a reader online always gets fresh HTML
 *   and offline gets the copy of the last visit.
 * - `cache-first` into the `assets` cache: URLs that name their content (Vite's hashed `/_astro/`
 *   files, anything with `?v=`, the plugins under `/wasm/`, `/example-files/`): a kept copy is
 *   never stale, so the network is not asked again.
 * - `network-first` into `assets`: any other same-origin file (the favicon, Pagefind's index).
 */

export type Strategy = 'bypass' | 'network-first' | 'cache-first';
export type Bucket = 'pages' | 'assets';
export type Route = { strategy: 'bypass' } | { strategy: 'network-first' | 'cache-first'; bucket: Bucket };

/** What of a Request the decision reads (a Request has all of these). */
export interface RequestFacts {
  url: string;
  method: string;
  /** Request.mode: `navigate` for a page load. */
  mode: string;
  /** Request.cache: `only-if-cached` may only be fetched again in `same-origin` mode. */
  cache?: string;
  /** Whether the request has a Range header (media; a 206 cannot be kept). */
  hasRange?: boolean;
}

/** Folders (relative to the scope) left to the network: the Go toolchain keeps itself. */
const BYPASSED_FOLDERS = ['go/', 'go-dev/'];
/** Folders whose files name their content; `?v=` does the same for any URL. */
const VERSIONED_FOLDERS = ['_astro/', 'wasm/', 'example-files/'];
/** The service worker's own script: the browser fetches it past any service worker anyway. */
export const WORKER_SCRIPT = 'sw.js';

/** The cap on entries per cache: the oldest stored go first (trim()). Plugins are ~1.7 MB each. */
export const MAX_ENTRIES: Record<Bucket, number> = { pages: 60, assets: 250 };

/** Every cache this worker makes starts with this; the build id follows. */
export const CACHE_PREFIX = 'higress-wasm-lab-offline-';

/** The scope-relative path of `url`, or null when it is outside `scope` (another origin or folder). */
export function relativePath(url: string, scope: string): string | null {
  const target = new URL(url);
  const base = new URL(scope);
  if (target.origin !== base.origin || !target.pathname.startsWith(base.pathname)) return null;
  return target.pathname.slice(base.pathname.length);
}

/** How the worker answers `request` under `scope` (the registration's scope, ending in `/`). */
export function routeFor(request: RequestFacts, scope: string): Route {
  if (request.method !== 'GET' || request.hasRange) return { strategy: 'bypass' };
  const path = relativePath(request.url, scope);
  if (path === null || path === WORKER_SCRIPT || BYPASSED_FOLDERS.some((folder) => path.startsWith(folder))) return { strategy: 'bypass' };
  // DevTools sends these in `no-cors` mode, which fetch() then refuses: leave them alone.
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return { strategy: 'bypass' };
  if (request.mode === 'navigate') return { strategy: 'network-first', bucket: 'pages' };
  if (isVersioned(request.url, path)) return { strategy: 'cache-first', bucket: 'assets' };
  return { strategy: 'network-first', bucket: 'assets' };
}

function isVersioned(url: string, path: string): boolean {
  return VERSIONED_FOLDERS.some((folder) => path.startsWith(folder)) || new URL(url).searchParams.has('v');
}

/** What of a Response the keep-or-not decision reads. */
export interface ResponseFacts {
  status: number;
  /** Response.type: only `basic` (same-origin, readable) is kept; never `opaque` or `opaqueredirect`. */
  type: string;
  /** A redirected response may not answer a navigation, so it is not kept. */
  redirected: boolean;
  cacheControl: string | null;
}

/** Whether a response may be stored: a whole (200), same-origin, unredirected one the server lets be stored. */
export function isKeepable(response: ResponseFacts): boolean {
  return response.status === 200 && response.type === 'basic' && !response.redirected && !/\bno-store\b/i.test(response.cacheControl ?? '');
}

/** The names of this build's caches. */
export function cacheNames(buildId: string): Record<Bucket, string> {
  return { pages: `${CACHE_PREFIX}${buildId}-pages`, assets: `${CACHE_PREFIX}${buildId}-assets` };
}

/**
 * The caches an activating worker deletes: every one of this worker's caches from other builds
 * (their hashed files are gone from this build). Caches of others (the Go toolchain's) stay.
 */
export function staleCaches(existing: readonly string[], buildId: string): string[] {
  const current = new Set(Object.values(cacheNames(buildId)));
  return existing.filter((name) => name.startsWith(CACHE_PREFIX) && !current.has(name));
}

/** How many of a cache's oldest entries to delete so it holds at most `max` (Cache.keys() lists oldest first). */
export function excessCount(entries: number, max: number): number {
  return Math.max(0, entries - max);
}
