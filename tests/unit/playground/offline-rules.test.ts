/** Which request the site's service worker answers how, and what it keeps (src/playground/offline/rules.ts). */
import { describe, expect, test } from 'vitest';
import { cacheNames, CACHE_PREFIX, excessCount, isKeepable, MAX_ENTRIES, relativePath, routeFor, staleCaches, type RequestFacts } from '../../../src/playground/offline/rules.ts';

const SCOPE = 'https://lab.example/';
const get = (path: string, extra: Partial<RequestFacts> = {}): RequestFacts => ({ url: new URL(path, SCOPE).href, method: 'GET', mode: 'cors', ...extra });

describe('routeFor', () => {
  test('navigations are network-first into the pages cache', () => {
    for (const path of ['/', '/en/guide/redis-limiter/', '/playground/', '/en/playground/?x=1']) {
      expect(routeFor(get(path, { mode: 'navigate' }), SCOPE)).toEqual({ strategy: 'network-first', bucket: 'pages' });
    }
  });

  test('files that name their content are cache-first into the assets cache', () => {
    for (const path of [
      '/_astro/harness-worker-Cee0U2JD.js',
      '/_astro/lua-scripting-cOfFwAXc.js',
      '/_astro/Playground.D47OJUen.css',
      '/wasm/redis-limiter.wasm.gz?v=abc123',
      '/wasm/redis-limiter.wasm.gz',
      '/example-files/redis-limiter.json?v=13bc4ee0c416',
      '/anything/else.json?v=1',
    ]) {
      expect(routeFor(get(path), SCOPE), path).toEqual({ strategy: 'cache-first', bucket: 'assets' });
    }
  });

  test('other same-origin files are network-first into the assets cache', () => {
    for (const path of ['/favicon.svg', '/pagefind/pagefind.js', '/pagefind/pagefind-entry.json']) {
      expect(routeFor(get(path), SCOPE), path).toEqual({ strategy: 'network-first', bucket: 'assets' });
    }
  });

  test('the Go toolchain is left alone: it has its own cache and service worker', () => {
    for (const path of ['/go/go1.24.4/manifest.json', '/go/go1.24.4/compile-0123456789abcdef01234567.wasm', '/go/go1.24.4/compile.wasm.br?v=1', '/go-dev/manifest.json']) {
      expect(routeFor(get(path), SCOPE).strategy, path).toBe('bypass');
      expect(routeFor(get(path, { mode: 'navigate' }), SCOPE).strategy, path).toBe('bypass');
    }
    // Only the folder: a page or chunk whose name starts with "go" is the site's own.
    expect(routeFor(get('/_astro/go-build-worker-CLQbfOG6.js'), SCOPE).strategy).toBe('cache-first');
    expect(routeFor(get('/guide/go-things/', { mode: 'navigate' }), SCOPE).strategy).toBe('network-first');
  });

  test('non-GET, cross-origin, out-of-scope, Range and the worker\'s own script are bypassed', () => {
    expect(routeFor(get('/_astro/x.js', { method: 'POST' }), SCOPE).strategy).toBe('bypass');
    expect(routeFor(get('/_astro/x.js', { method: 'HEAD' }), SCOPE).strategy).toBe('bypass');
    expect(routeFor({ url: 'https://cdn.example/_astro/x.js', method: 'GET', mode: 'cors' }, SCOPE).strategy).toBe('bypass');
    expect(routeFor({ url: 'http://lab.example/_astro/x.js', method: 'GET', mode: 'cors' }, SCOPE).strategy).toBe('bypass');
    expect(routeFor(get('/wasm/a.wasm.gz?v=1', { hasRange: true }), SCOPE).strategy).toBe('bypass');
    expect(routeFor(get('/sw.js'), SCOPE).strategy).toBe('bypass');
    expect(routeFor(get('/_astro/x.js', { cache: 'only-if-cached', mode: 'no-cors' }), SCOPE).strategy).toBe('bypass');
    expect(routeFor(get('/_astro/x.js', { cache: 'only-if-cached', mode: 'same-origin' }), SCOPE).strategy).toBe('cache-first');
  });

  test('under a base path, the folders are relative to the scope', () => {
    const scope = 'https://lab.example/docs/';
    expect(routeFor(get('/docs/_astro/x.js'), scope)).toEqual({ strategy: 'cache-first', bucket: 'assets' });
    expect(routeFor(get('/docs/go/go1.24.4/manifest.json'), scope).strategy).toBe('bypass');
    expect(routeFor(get('/docs/sw.js'), scope).strategy).toBe('bypass');
    expect(routeFor(get('/other/', { mode: 'navigate' }), scope).strategy).toBe('bypass');
    expect(relativePath('https://lab.example/docs/en/', scope)).toBe('en/');
    expect(relativePath('https://lab.example/doc', scope)).toBeNull();
  });
});

describe('isKeepable', () => {
  const ok = { status: 200, type: 'basic', redirected: false, cacheControl: null };
  test('keeps a whole same-origin response', () => {
    expect(isKeepable(ok)).toBe(true);
    expect(isKeepable({ ...ok, cacheControl: 'public, max-age=31536000, immutable' })).toBe(true);
  });
  test('never keeps errors, partial, opaque, redirected or no-store responses', () => {
    for (const status of [201, 204, 206, 304, 404, 500, 503]) expect(isKeepable({ ...ok, status }), String(status)).toBe(false);
    for (const type of ['opaque', 'opaqueredirect', 'cors', 'error']) expect(isKeepable({ ...ok, type }), type).toBe(false);
    expect(isKeepable({ ...ok, redirected: true })).toBe(false);
    expect(isKeepable({ ...ok, cacheControl: 'private, no-store' })).toBe(false);
  });
});

describe('caches of a build', () => {
  test('are named by the build id', () => {
    const names = cacheNames('0.1.0-abc');
    expect(names.pages).toBe(`${CACHE_PREFIX}0.1.0-abc-pages`);
    expect(names.assets).toBe(`${CACHE_PREFIX}0.1.0-abc-assets`);
  });

  test('activating drops the other builds\' caches and nobody else\'s', () => {
    const existing = [...Object.values(cacheNames('old')), ...Object.values(cacheNames('new')), 'higress-wasm-lab-go-toolchain', 'someone-else'];
    expect(staleCaches(existing, 'new').sort()).toEqual(Object.values(cacheNames('old')).sort());
    expect(staleCaches(existing, 'old').sort()).toEqual(Object.values(cacheNames('new')).sort());
  });

  test('a cache over its cap loses its oldest entries', () => {
    expect(excessCount(10, MAX_ENTRIES.pages)).toBe(0);
    expect(excessCount(MAX_ENTRIES.assets, MAX_ENTRIES.assets)).toBe(0);
    expect(excessCount(MAX_ENTRIES.assets + 3, MAX_ENTRIES.assets)).toBe(3);
  });
});
