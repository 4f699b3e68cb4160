/**
 * Registers the site's service worker (site-sw.ts, served as `<base>/sw.js`, scope `<base>/`) so a
 * page with a playground works offline once loaded, then tells it what the page loaded before it
 * was there (backfill.ts). Loaded lazily by playground-element.ts when the page is idle, in built
 * sites only; every failure is a console warning: the playground works online without it.
 */
import { BACKFILL, type BackfillEntry, type BackfillMessage } from './backfill.ts';

export async function registerOfflineWorker(): Promise<void> {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
  try {
    const base = import.meta.env.BASE_URL.replace(/\/?$/, '/');
    await navigator.serviceWorker.register(`${base}sw.js`, { scope: base });
    const registration = await navigator.serviceWorker.ready;
    const send = () => registration.active?.postMessage({ type: BACKFILL, entries: loadedEntries() } satisfies BackfillMessage);
    send();
    // A harness worker started before the service worker controlled the page fetched the plugin
    // (and perhaps the Lua VM) past it: after each Run, ask again; what is kept already costs a lookup.
    document.addEventListener('playground:ran', send);
  } catch (error) {
    console.warn('The offline service worker could not be registered; the playground works online only.', error);
  }
}

/** The page, what its timeline says it loaded, and the playgrounds' plugins and files (kept only if the browser has them). */
function loadedEntries(): BackfillEntry[] {
  const entries: BackfillEntry[] = [{ url: location.href, page: true, loaded: true }];
  for (const entry of performance.getEntriesByType('resource') as PerformanceResourceTiming[]) {
    // Chromium lists a Worker's script as `other`; what the worker itself fetches is not listed.
    entries.push({ url: entry.name, loaded: true, worker: entry.initiatorType === 'other' && /\.m?js$/.test(new URL(entry.name).pathname) });
  }
  for (const playground of document.querySelectorAll<HTMLElement>('wasm-playground')) {
    for (const url of [playground.dataset.wasmUrl, playground.dataset.filesUrl]) {
      if (url) entries.push({ url: new URL(url, location.href).href, loaded: false });
    }
  }
  return entries;
}
