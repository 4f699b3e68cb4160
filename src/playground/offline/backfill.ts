/**
 * Backfill: what a page asks the service worker to keep after it has loaded. The worker starts
 * after the page (register.ts waits until the page is idle), so the page's HTML, CSS and scripts,
 * and a harness worker started before the service worker took control, reached the browser past
 * it. The page lists what it loaded; the worker keeps each from the browser's HTTP cache, which
 * costs no download (site-sw.ts). Pure functions here, shared by both sides and unit tested.
 */
import { routeFor, type Bucket } from './rules.ts';

export const BACKFILL = 'wasm-lab:offline-backfill';

/** The most entries one message may ask for: a page loads a few dozen. */
export const MAX_BACKFILL = 200;

export interface BackfillEntry {
  url: string;
  /** The page itself (kept as a navigation), not a file it loaded. */
  page?: boolean;
  /** The page loaded it (Resource Timing says so), so fetching it again is no surprise; otherwise only a copy already in the HTTP cache is kept. */
  loaded: boolean;
  /** A Worker's script: its lazily imported chunks are looked for too (the page's timeline does not list a worker's fetches). */
  worker?: boolean;
}

export interface BackfillMessage {
  type: typeof BACKFILL;
  entries: BackfillEntry[];
}

export function isBackfillMessage(data: unknown): data is BackfillMessage {
  if (typeof data !== 'object' || data === null) return false;
  const { type, entries } = data as { type?: unknown; entries?: unknown };
  return type === BACKFILL && Array.isArray(entries) && entries.every((e) => typeof e === 'object' && e !== null && typeof (e as BackfillEntry).url === 'string');
}

export interface PlannedFill {
  url: string;
  bucket: Bucket;
  /** May be downloaded when the HTTP cache has no copy. */
  mayDownload: boolean;
  /** Read it for the chunks it imports (a worker script). */
  scanImports: boolean;
}

/**
 * The entries the worker would keep anyway (routeFor() sends them to a cache), without fragments
 * or duplicates, at most MAX_BACKFILL. Anything routeFor() bypasses (the Go toolchain, other
 * origins) is dropped, so a page cannot make the worker store what it would not.
 */
export function planBackfill(entries: readonly BackfillEntry[], scope: string): PlannedFill[] {
  const planned = new Map<string, PlannedFill>();
  for (const entry of entries) {
    if (planned.size >= MAX_BACKFILL) break;
    let url: URL;
    try {
      url = new URL(entry.url);
    } catch {
      continue;
    }
    url.hash = '';
    const route = routeFor({ url: url.href, method: 'GET', mode: entry.page ? 'navigate' : 'same-origin' }, scope);
    if (route.strategy === 'bypass' || planned.has(url.href)) continue;
    planned.set(url.href, { url: url.href, bucket: route.bucket, mayDownload: entry.loaded, scanImports: entry.worker === true && url.pathname.endsWith('.js') });
  }
  return [...planned.values()];
}

/**
 * The chunks a bundled script imports by relative URL (`import("./x.js")`, `from "./x.js"`, in any
 * quotes; Vite's output uses backticks), resolved against the script's URL. For a worker script:
 * its chunks (the harness worker's Lua VM) are fetched by the worker, which the page cannot see.
 */
export function chunkImports(scriptText: string, scriptUrl: string): string[] {
  const found = new Set<string>();
  for (const match of scriptText.matchAll(/\b(?:import\s*\(\s*|from\s*|import\s*)(["'`])(\.{1,2}\/[^"'`\s]+?\.m?js)\1/g)) {
    found.add(new URL(match[2]!, scriptUrl).href);
  }
  return [...found];
}
