/**
 * The service worker of the Go workers: answers their requests for kept tools (compile, link,
 * gofmt) from Cache Storage, exactly as stored, so Chromium can reuse the tools' compiled code on
 * the next visit (toolchain-cache.ts says why only a fetch() gets that). The workers' scripts and
 * the toolchain's manifest go to the network first and are kept, so a build works offline once one
 * has run online (go-worker-files.ts); everything else is left to the network. It controls the Go
 * workers only (toolchain-service-worker.ts registers it), never a page.
 */
import { GO_WORKER_FILES_CACHE, isKeptWorkerFile, MAX_GO_WORKER_FILES } from './go-worker-files.ts';
import { isResponseKeepable, storeTrimmed } from './offline/cache-store.ts';
import { isKeptToolUrl, TOOLCHAIN_CACHE } from './toolchain-cache.ts';

/** The parts of ServiceWorkerGlobalScope used here (the project's TypeScript libs are DOM's, not the worker's). */
interface ExtendableEventLike extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEventLike extends ExtendableEventLike {
  readonly request: Request;
  respondWith(response: Promise<Response>): void;
}
interface ServiceWorkerScope {
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEventLike) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEventLike) => void): void;
  skipWaiting(): Promise<void>;
  readonly clients: { claim(): Promise<void> };
}
const scope = self as unknown as ServiceWorkerScope;

// A new site build's worker takes over at once: it only reads the cache, whose entries never change.
scope.addEventListener('install', (event) => event.waitUntil(scope.skipWaiting()));
scope.addEventListener('activate', (event) => event.waitUntil(scope.clients.claim()));

scope.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  if (isKeptWorkerFile(request.url, self.location.origin)) {
    event.respondWith(networkFirst(request, (work) => event.waitUntil(work)));
    return;
  }
  if (!isKeptToolUrl(request.url)) return;
  // The kept response itself, not a copy: Chromium keys the compiled code by its URL and time.
  event.respondWith(
    caches
      .open(TOOLCHAIN_CACHE)
      .then((cache) => cache.match(request.url))
      .then((kept) => kept ?? (request.cache === 'only-if-cached' ? Response.error() : fetch(request))),
  );
});

/** The network's answer, kept for later; without a network, the copy kept last (this worker's, or the site's). */
async function networkFirst(request: Request, keepAlive: (work: Promise<unknown>) => void): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(request);
  } catch (error) {
    const kept = await caches.match(request);
    if (kept) return kept;
    throw error;
  }
  if (isResponseKeepable(response)) keepAlive(storeTrimmed(GO_WORKER_FILES_CACHE, request.url, response.clone(), MAX_GO_WORKER_FILES));
  return response;
}
