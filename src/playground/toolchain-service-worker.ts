/**
 * Registers go-toolchain-sw.ts, the service worker that lets Chromium reuse the Go tools' compiled
 * code between visits (toolchain-cache.ts). Its scope is `<the script's folder>/go`: the folder
 * where the bundler puts every worker script (`/_astro/`, or `src/playground/` under `astro dev`),
 * narrowed to the names starting with "go" — go-build-worker and gofmt-worker, which Chromium
 * matches by their own URL; no page and no other worker is ever controlled.
 */
import serviceWorkerUrl from './go-toolchain-sw.ts?worker&url';

/** How long a Go worker's start may wait for the service worker (installing it takes well under a second). */
const ACTIVATION_WAIT_MS = 3000;

let ready: Promise<void> | null = null;
let isSettled = false;

/** Resolves once `registration` has an active worker; rejects when the new one is rejected (redundant). */
function whenActive(registration: ServiceWorkerRegistration): Promise<void> {
  const worker = registration.installing ?? registration.waiting;
  if (!worker) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const check = () => {
      if (worker.state === 'activated') resolve();
      else if (worker.state === 'redundant') reject(new Error('the service worker was not installed'));
    };
    worker.addEventListener('statechange', check);
    check();
  });
}

/**
 * Starts registering the service worker, once per page. Returns what a Go worker's start should
 * wait for, so that the worker is controlled from the first visit on (a worker's controller is
 * chosen when it starts); null when there is nothing to wait for: no service workers in this
 * browser, or registration already settled. Never rejects: without the service worker, builds
 * only miss the compiled-code cache.
 */
export function whenToolchainServiceWorkerReady(): Promise<void> | null {
  if (isSettled || typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return null;
  ready ??= (async () => {
    try {
      const scope = new URL('go', new URL(serviceWorkerUrl, location.href)).href;
      const registration = await navigator.serviceWorker.register(serviceWorkerUrl, { type: 'module', scope });
      await Promise.race([whenActive(registration), new Promise((resolve) => setTimeout(resolve, ACTIVATION_WAIT_MS))]);
    } catch (error) {
      // Private windows of some browsers, file: pages, a blocked script: builds work all the same.
      console.warn('The Go toolchain service worker could not be registered; each visit compiles the Go tools afresh.', error);
    } finally {
      isSettled = true;
    }
  })();
  return ready;
}
