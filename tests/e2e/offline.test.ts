/**
 * Offline once loaded (src/playground/offline/): a page with a playground, loaded and run once
 * online, reloads and runs with the network gone — Chromium told it is offline and the server
 * stopped, so nothing can come from anywhere but the service worker's caches.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { collectPageErrors, waitForAsync } from './helpers/browser.ts';
import { useBuiltSite } from './helpers/built-site.ts';
import { buildAndRun } from './helpers/playground.ts';
import { serveStatic, type StaticSite } from './helpers/static-server.ts';

const DIST = join(import.meta.dirname, '../../dist');
/** A first Run fetches and compiles the plugin, which a busy machine can stretch to tens of seconds. */
const WAIT = { timeout: 90_000 };

const lab = useBuiltSite();

/** Opens `path` on a server of its own (so the test can stop it) in a fresh context. */
async function open(path: string, options: { holdServiceWorker?: boolean } = {}) {
  const site = await serveStatic();
  const context = await lab.browser.newContext();
  if (options.holdServiceWorker) {
    // Holds the page's registration until the test releases it, so the harness worker starts
    // before any service worker exists: the page must then hand over what passed by (backfill.ts).
    await context.addInitScript(() => {
      const container = navigator.serviceWorker;
      if (!container || container.controller) return;
      const gate = new Promise<void>((resolve) => Object.assign(window, { releaseServiceWorker: resolve }));
      const register = container.register.bind(container);
      container.register = (url, options) => gate.then(() => register(url, options));
    });
  }
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await page.goto(`${site.url}/${path}`);
  return { site, context, page, errors };
}

/** Waits until the site's service worker is active and controls the page. */
async function whenControlled(page: Page): Promise<string> {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, WAIT);
  return page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
}

/** Presses Run on the first playground for `example` and reads the outcomes' statuses once it is done. */
async function runAndReadStatuses(page: Page, example: string): Promise<string[]> {
  const root = page.locator(`[data-playground="${example}"]`).first();
  await root.locator('[data-action="run"]').click();
  await page.waitForFunction(
    (name) => {
      const playground = document.querySelector(`[data-playground="${name}"]`);
      const status = playground?.querySelector('[data-role="status"]')?.textContent ?? '';
      return playground?.querySelector('[data-action="run"]')?.getAttribute('aria-busy') !== 'true' && /完成|Done|rejected|拒绝|failed|失败|error|错误/i.test(status);
    },
    example,
    WAIT,
  );
  return root.locator('[data-outcome]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status') ?? ''));
}

/** Waits until Cache Storage holds every URL whose path matches one of `patterns` among the page's kept files. */
async function whenKept(page: Page, patterns: RegExp[]): Promise<void> {
  const sources = patterns.map((p) => p.source);
  await waitForAsync(
    page,
    async (list) => {
      const urls: string[] = [];
      for (const name of await caches.keys()) {
        if (!name.startsWith('higress-wasm-lab-offline-')) continue;
        for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
      }
      return list.every((source) => urls.some((url) => new RegExp(source).test(url)));
    },
    sources,
    { ...WAIT, polling: 250 },
  );
}

/** Cuts the network: Chromium is told it is offline and the server stops. */
async function goOffline(context: BrowserContext, site: StaticSite): Promise<void> {
  await context.setOffline(true);
  await site.close();
}

/** Reloads offline and checks the page came from the service worker. */
async function reloadOffline(page: Page): Promise<void> {
  const response = await page.reload();
  expect(response?.status()).toBe(200);
  expect(response?.fromServiceWorker()).toBe(true);
  expect(await page.locator('h1').first().textContent()).toMatch(/\S/);
}

const MAIN_GO = readFileSync(join(import.meta.dirname, '../../examples/redis-limiter/main.go'), 'utf8');
/** A build in the browser takes about 35 s on an idle machine, several times that on a busy one: a ceiling for a hang. */
const BUILD_WAIT = { timeout: 600_000 };


/** Errors the offline page may log that are not the playground's: a file nobody asked for before going offline. */
const isOfflineNoise = (error: string) => /ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(error);

describe('offline once loaded', () => {
  test('the limiter guide reloads and runs with the network gone', async () => {
    const { site, context, page, errors } = await open('en/guide/redis-limiter/');
    const scope = await whenControlled(page);
    expect(new URL(scope).pathname).toBe('/');
    expect(await runAndReadStatuses(page, 'redis-limiter')).toEqual(['200', '200', '200', '429', '200']);
    // The page came before its service worker: the page hands its HTML over (backfill.ts).
    await whenKept(page, [/\/en\/guide\/redis-limiter\/$/, /\/_astro\/harness-worker-[^/]+\.js$/, /\/wasm\/redis-limiter\.wasm\.gz\?v=/, /\/example-files\/redis-limiter\.json\?v=/]);
    // One build's two caches; the Go toolchain is the Go service worker's: nothing of it is kept here.
    const kept = await page.evaluate(async () => {
      const names = (await caches.keys()).filter((n) => n.startsWith('higress-wasm-lab-offline-'));
      const urls = await Promise.all(names.map(async (n) => (await (await caches.open(n)).keys()).map((r) => new URL(r.url).pathname)));
      return { names, paths: urls.flat() };
    });
    expect(kept.names).toHaveLength(2);
    expect(kept.paths.filter((path) => /^\/go(-dev)?\//.test(path) || path === '/sw.js')).toEqual([]);

    await goOffline(context, site);
    await reloadOffline(page);
    await whenControlled(page);
    expect(await runAndReadStatuses(page, 'redis-limiter')).toEqual(['200', '200', '200', '429', '200']);
    expect(errors.filter((e) => !isOfflineNoise(e))).toEqual([]);
    await context.close();
  });

  test('a Run before the service worker took over is kept too, and works offline', async () => {
    const { site, context, page, errors } = await open('en/guide/redis-limiter/', { holdServiceWorker: true });
    const wasmFromServiceWorker: boolean[] = [];
    page.on('response', (r) => {
      if (r.url().includes('/wasm/redis-limiter.wasm.gz')) wasmFromServiceWorker.push(r.fromServiceWorker());
    });
    expect(await runAndReadStatuses(page, 'redis-limiter')).toEqual(['200', '200', '200', '429', '200']);
    expect(wasmFromServiceWorker).toEqual([false]);
    await page.evaluate(() => (window as unknown as { releaseServiceWorker(): void }).releaseServiceWorker());
    await whenControlled(page);
    await whenKept(page, [/\/en\/guide\/redis-limiter\/$/, /\/_astro\/harness-worker-[^/]+\.js$/, /\/wasm\/redis-limiter\.wasm\.gz\?v=/]);

    await goOffline(context, site);
    await reloadOffline(page);
    expect(await runAndReadStatuses(page, 'redis-limiter')).toEqual(['200', '200', '200', '429', '200']);
    expect(errors.filter((e) => !isOfflineNoise(e))).toEqual([]);
    await context.close();
  });

  test('a plugin that needs the Lua VM gets its chunk offline too', async () => {
    const { site, context, page, errors } = await open('en/examples/token-bucket/');
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    await whenControlled(page);
    const online = await runAndReadStatuses(page, 'token-bucket');
    expect(online.length).toBeGreaterThan(0);
    expect(requested.some((url) => /lua-scripting/.test(url))).toBe(true);
    await whenKept(page, [/\/en\/examples\/token-bucket\/$/, /\/_astro\/lua-scripting-[^/]+\.js$/, /\/wasm\/token-bucket\.wasm\.gz\?v=/]);

    await goOffline(context, site);
    await reloadOffline(page);
    expect(await runAndReadStatuses(page, 'token-bucket')).toEqual(online);
    expect(errors.filter((e) => !isOfflineNoise(e))).toEqual([]);
    await context.close();
  });

  test.skipIf(!existsSync(join(DIST, 'en/playground/index.html')))('the playground page reloads and runs with the network gone', async () => {
    const { site, context, page, errors } = await open('en/playground/');
    await whenControlled(page);
    const example = (await page.locator('wasm-playground[data-playground]').first().getAttribute('data-playground', WAIT)) ?? '';
    const online = await runAndReadStatuses(page, example);
    expect(online.length).toBeGreaterThan(0);
    await whenKept(page, [/\/en\/playground\/$/, new RegExp(`/wasm/${example}\\.wasm\\.gz\\?v=`)]);

    await goOffline(context, site);
    await reloadOffline(page);
    expect(await runAndReadStatuses(page, example)).toEqual(online);
    expect(errors.filter((e) => !isOfflineNoise(e))).toEqual([]);
    await context.close();
  });

  test('an edited main.go builds offline once a build ran online', { timeout: 900_000 }, async () => {
    const { site, context, page, errors } = await open('en/guide/redis-limiter/');
    await whenControlled(page);
    expect(await buildAndRun(page.locator('[data-playground="redis-limiter"]').first(), MAIN_GO.replace('SendHttpResponse(429,', 'SendHttpResponse(503,'))).toEqual([200, 200, 200, 503, 200]);
    // The Go workers' service worker kept their scripts and the manifest; the toolchain store the tools.
    await waitForAsync(
      page,
      async ([files, tools]) => {
        const paths = async (name: string) => (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname);
        const [kept, stored] = await Promise.all([paths(files), paths(tools)]);
        return kept.some((p) => p.endsWith('/manifest.json')) && kept.some((p) => /\/go-build-worker-[^/]+\.js$/.test(p)) && stored.some((p) => /\/compile-/.test(p)) && stored.some((p) => /\/link-/.test(p));
      },
      ['higress-wasm-lab-go-worker-files', 'higress-wasm-lab-go-toolchain'] as const,
      { ...BUILD_WAIT, polling: 500 },
    );

    await goOffline(context, site);
    await reloadOffline(page);
    await whenControlled(page);
    expect(await buildAndRun(page.locator('[data-playground="redis-limiter"]').first(), MAIN_GO.replace('SendHttpResponse(429,', 'SendHttpResponse(502,'))).toEqual([200, 200, 200, 502, 200]);
    expect(errors.filter((e) => !isOfflineNoise(e))).toEqual([]);
    await context.close();
  });

  test('the service worker is a classic script at the root, with a build id', async () => {
    const site = await serveStatic();
    try {
      const response = await fetch(`${site.url}/sw.js`);
      expect(response.headers.get('content-type')).toMatch(/javascript/);
      const text = await response.text();
      expect(text).toMatch(/"\d+\.\d+\.\d+-[0-9a-z]+"/);
      expect(text).not.toMatch(/^\s*(import|export)\b/m);
    } finally {
      await site.close();
    }
  });
});
