/**
 * Writing to Cache Storage for offline use, shared by the site's service worker (site-sw.ts) and
 * the Go workers' (go-toolchain-sw.ts): what may be kept is rules.ts's call, and every cache is
 * held to a number of entries, the oldest going first.
 */
import { excessCount, isKeepable } from './rules.ts';

/** Whether `response` may be stored (rules.ts isKeepable). */
export function isResponseKeepable(response: Response): boolean {
  return isKeepable({ status: response.status, type: response.type, redirected: response.redirected, cacheControl: response.headers.get('cache-control') });
}

/** Stores `response` under `url` in cache `cacheName`, then trims it to `max` entries; a failure (out of quota, most likely) only warns. */
export async function storeTrimmed(cacheName: string, url: string, response: Response, max: number): Promise<void> {
  try {
    const cache = await caches.open(cacheName);
    await cache.put(url, response);
    await trim(cache, max);
  } catch (error) {
    console.warn(`Could not keep ${url} for offline use.`, error);
  }
}

/** Deletes the oldest entries beyond `max` (put() moves a stored URL to the end, so recent visits stay). */
export async function trim(cache: Cache, max: number): Promise<void> {
  const keys = await cache.keys();
  await Promise.all(keys.slice(0, excessCount(keys.length, max)).map((key) => cache.delete(key)));
}
