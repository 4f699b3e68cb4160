/**
 * The site's service worker, served as `<base>/sw.js` (src/site/service-worker-route.ts bundles
 * this file) with scope `<base>/`: so that a page with a playground works offline once it has been
 * loaded and run. Root scope because Chromium matches a dedicated worker's requests by the
 * worker's own URL: the harness worker lives under `/_astro/`, and its script, its Lua chunk and
 * the plugin's .wasm.gz must come from the cache too. The Go build workers (`/_astro/go…`) belong
 * to the Go toolchain's service worker, whose narrower scope wins for them (go-toolchain-sw.ts);
 * the toolchain's files under `<base>/go/` are bypassed here for any other client.
 * What is answered how: rules.ts. What a page asks to keep after loading: backfill.ts.
 * Nothing is sent anywhere: the worker only reads and writes this origin's Cache Storage.
 */
import { chunkImports, isBackfillMessage, planBackfill, type BackfillEntry } from './backfill.ts';
import { isResponseKeepable, storeTrimmed, trim } from './cache-store.ts';
import { cacheNames, MAX_ENTRIES, routeFor, staleCaches, type Bucket } from './rules.ts';

/** Set by the route when it bundles this file: new on every site build, so each deploy installs a new worker. `dev` under `astro dev`. */
declare const __BUILD_ID__: string;

/** The parts of ServiceWorkerGlobalScope used here (the project's TypeScript libs are DOM's, not the worker's). */
interface ExtendableEventLike extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEventLike extends ExtendableEventLike {
  readonly request: Request;
  respondWith(response: Promise<Response>): void;
}
interface MessageEventLike extends ExtendableEventLike {
  readonly data: unknown;
  readonly origin: string;
}
interface ServiceWorkerScope {
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEventLike) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEventLike) => void): void;
  addEventListener(type: 'message', listener: (event: MessageEventLike) => void): void;
  skipWaiting(): Promise<void>;
  readonly clients: { claim(): Promise<void> };
  readonly registration: { readonly scope: string; unregister(): Promise<boolean> };
  readonly location: Location;
}
const sw = self as unknown as ServiceWorkerScope;
const BUILD_ID = __BUILD_ID__;
const names = cacheNames(BUILD_ID);

/** Deletes every cache of this worker from earlier builds (rules.ts staleCaches). */
async function pruneOldBuilds(): Promise<void> {
  await Promise.all(staleCaches(await caches.keys(), BUILD_ID).map((name) => caches.delete(name)));
}

if (BUILD_ID === 'dev') {
  // `astro dev` serves this stand-in, so a worker a built site left on the same origin (astro
  // preview on the same port) removes itself and its caches instead of serving Vite's modules.
  sw.addEventListener('install', (event) => event.waitUntil(sw.skipWaiting()));
  sw.addEventListener('activate', (event) => event.waitUntil(pruneOldBuilds().then(() => sw.registration.unregister())));
} else {
  // A new build's worker takes over at once and drops the caches of the old one: their hashed
  // files belong to a build the server no longer has.
  sw.addEventListener('install', (event) => event.waitUntil(sw.skipWaiting()));
  sw.addEventListener('activate', (event) => event.waitUntil(pruneOldBuilds().then(() => sw.clients.claim())));

  sw.addEventListener('fetch', (event) => {
    const { request } = event;
    const route = routeFor({ url: request.url, method: request.method, mode: request.mode, cache: request.cache, hasRange: request.headers.has('range') }, sw.registration.scope);
    if (route.strategy === 'bypass') return;
    const answer = route.strategy === 'cache-first' ? cacheFirst(request, route.bucket, event) : networkFirst(request, route.bucket, event);
    event.respondWith(answer);
  });

  sw.addEventListener('message', (event) => {
    if (event.origin !== sw.location.origin || !isBackfillMessage(event.data)) return;
    event.waitUntil(backfill(event.data.entries).catch((error: unknown) => console.warn('Offline copies could not be completed.', error)));
  });
}

/** The kept copy, or the network's answer (kept when keepable). */
async function cacheFirst(request: Request, bucket: Bucket, event: ExtendableEventLike): Promise<Response> {
  const kept = await caches.match(request, { cacheName: names[bucket], ignoreVary: true }).catch(() => undefined);
  if (kept) return kept;
  const response = await fetch(request);
  keep(request, response, bucket, event);
  return response;
}

/** The network's answer (kept when keepable); the kept copy only when the network cannot be reached. */
async function networkFirst(request: Request, bucket: Bucket, event: ExtendableEventLike): Promise<Response> {
  try {
    const response = await fetch(request);
    keep(request, response, bucket, event);
    return response;
  } catch (error) {
    const kept = await caches.match(request.url, { cacheName: names[bucket], ignoreVary: true }).catch(() => undefined);
    if (kept) return kept;
    throw error;
  }
}

/** Stores a copy of `response` when rules.ts allows, then trims the cache; never delays the answer. */
function keep(request: Request, response: Response, bucket: Bucket, event: ExtendableEventLike): void {
  if (!isResponseKeepable(response)) return;
  event.waitUntil(storeTrimmed(names[bucket], request.url, response.clone(), MAX_ENTRIES[bucket]));
}

/**
 * Keeps what a page loaded before this worker controlled it (backfill.ts): from the HTTP cache
 * (`only-if-cached` never reaches the network), or downloaded again only for what the page loaded
 * itself and the HTTP cache no longer holds. A worker script's chunks are kept when the HTTP cache
 * has them (the worker loaded them).
 */
async function backfill(entries: readonly BackfillEntry[]): Promise<void> {
  const scope = sw.registration.scope;
  const queue = planBackfill(entries, scope);
  const seen = new Set(queue.map((fill) => fill.url));
  while (queue.length > 0) {
    const fill = queue.shift()!;
    const cache = await caches.open(names[fill.bucket]);
    let response: Response | undefined = await cache.match(fill.url, { ignoreVary: true });
    if (!response) {
      response = await fetchForBackfill(fill.url, fill.mayDownload);
      if (!response || !isResponseKeepable(response)) continue;
      await cache.put(fill.url, response.clone());
    }
    if (!fill.scanImports) continue;
    const more = planBackfill(chunkImports(await response.text(), fill.url).map((url): BackfillEntry => ({ url, loaded: false })), scope);
    for (const chunk of more) {
      if (seen.has(chunk.url)) continue;
      seen.add(chunk.url);
      queue.push(chunk);
    }
  }
  await Promise.all((Object.keys(names) as Bucket[]).map(async (bucket) => trim(await caches.open(names[bucket]), MAX_ENTRIES[bucket])));
}

async function fetchForBackfill(url: string, mayDownload: boolean): Promise<Response | undefined> {
  const stored = await fetch(url, { cache: 'only-if-cached', mode: 'same-origin' }).catch(() => undefined);
  if (stored?.ok || !mayDownload) return stored;
  return fetch(url, { mode: 'same-origin' }).catch(() => undefined);
}
