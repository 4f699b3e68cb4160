/**
 * The service worker of the Go workers: answers their requests for kept tools (compile, link,
 * gofmt) from Cache Storage, exactly as stored, so Chromium can reuse the tools' compiled code on
 * the next visit (toolchain-cache.ts says why only a fetch() gets that). Everything else, and
 * anything not kept, is left to the network. It controls the Go workers only
 * (toolchain-service-worker.ts registers it), never a page.
 */
import { isKeptToolUrl, TOOLCHAIN_CACHE } from './toolchain-cache.ts';

/** The parts of ServiceWorkerGlobalScope used here (the project's TypeScript libs are DOM's, not the worker's). */
interface FetchEventLike extends Event {
  readonly request: Request;
  respondWith(response: Promise<Response>): void;
}
interface ExtendableEventLike extends Event {
  waitUntil(promise: Promise<unknown>): void;
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
  if (request.method !== 'GET' || !isKeptToolUrl(request.url)) return;
  // The kept response itself, not a copy: Chromium keys the compiled code by its URL and time.
  event.respondWith(
    caches
      .open(TOOLCHAIN_CACHE)
      .then((cache) => cache.match(request.url))
      .then((kept) => kept ?? (request.cache === 'only-if-cached' ? Response.error() : fetch(request))),
  );
});
