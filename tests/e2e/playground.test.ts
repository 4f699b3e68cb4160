import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { describe, expect, test } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { FIXTURES } from '../../tools/build-examples.ts';
import { loadFixture } from '../helpers/plugins.ts';
import { collectPageErrors } from './helpers/browser.ts';
import { useBuiltSite } from './helpers/built-site.ts';
import { serveStatic } from './helpers/static-server.ts';

const ROOT = join(import.meta.dirname, '../..');
const LIMITER_CONFIG = readFileSync(join(ROOT, 'examples/redis-limiter/config.json'), 'utf8');
/**
 * How long a wait for the page may take: a first Run fetches and compiles the plugin, which a
 * busy machine can stretch to tens of seconds; only a page that never gets there fails.
 */
const WAIT = { timeout: 60_000 };

const lab = useBuiltSite();

async function openLimiter(context: BrowserContext, path = 'guide/redis-limiter/', siteUrl = lab.site.url) {
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  const requested: string[] = [];
  page.on('request', (r) => requested.push(r.url()));
  await page.goto(`${siteUrl}/${path}`);
  return { page, errors, requested, root: page.locator('[data-playground="redis-limiter"]').first() };
}

async function runAndReadStatuses(page: Page): Promise<string[]> {
  const root = page.locator('[data-playground="redis-limiter"]').first();
  await root.locator('[data-action="run"]').click();
  await page.waitForFunction(() => {
    const status = document.querySelector('[data-playground="redis-limiter"] [data-role="status"]')?.textContent ?? '';
    return /完成|Done|rejected|拒绝/.test(status);
  }, undefined, WAIT);
  return root.locator('[data-outcome]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status') ?? ''));
}

/** Types into the config editor as a reader would: the first focus upgrades the textarea to Monaco. */
async function replaceConfig(page: Page, text: string): Promise<void> {
  const root = page.locator('[data-playground="redis-limiter"]').first();
  await root.locator('[role="tab"][data-tab="config.json"]').click();
  await root.locator('[data-editor="config.json"] textarea').first().focus();
  await root.locator('[data-editor="config.json"] .monaco-editor').waitFor(WAIT);
  await root.locator('[data-editor="config.json"] .view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

describe('playground on the redis-limiter page', () => {
  test('runs the real plugin and shows the 429 once the quota is used', async () => {
    const context = await lab.browser.newContext();
    const { page, errors, requested } = await openLimiter(context);
    expect(requested.some((url) => /monaco|editor\.api|\.wasm/.test(url))).toBe(false);
    expect(await runAndReadStatuses(page)).toEqual(['200', '200', '200', '429', '200']);
    // INCR and EXPIRE need no Lua: the VM's chunk is not fetched.
    expect(requested.some((url) => /lua-scripting/.test(url))).toBe(false);
    expect(errors).toEqual([]);
    await context.close();
  });

  test('lets fewer requests through after qpm is lowered in config.json', async () => {
    const context = await lab.browser.newContext();
    const { page, errors } = await openLimiter(context);
    await replaceConfig(page, '{"serviceName": "redis.static", "servicePort": 6379, "qpm": 1}');
    expect(await runAndReadStatuses(page)).toEqual(['200', '429', '429', '429', '200']);
    expect(errors).toEqual([]);
    await context.close();
  });

  test('shows the plugin\'s own rejection and no outcomes for an invalid config', async () => {
    const context = await lab.browser.newContext();
    const { page, errors, root } = await openLimiter(context);
    await runAndReadStatuses(page);
    await replaceConfig(page, '{"serviceName": "redis.static"}');
    expect(await runAndReadStatuses(page)).toEqual([]);
    await expect.poll(() => root.locator('[data-failure="config-rejected"]').textContent(), WAIT).toContain('qpm: required, an integer >= 1');
    expect(errors).toEqual([]);
    await context.close();
  });

  test('replaces the outcomes with a failure when config.json is not JSON, and runs again once fixed', async () => {
    const context = await lab.browser.newContext();
    const { page, errors, root } = await openLimiter(context);
    expect(await runAndReadStatuses(page)).toHaveLength(5);
    await replaceConfig(page, '{"serviceName": "redis.static",');
    await root.locator('[data-action="run"]').click();
    await root.locator('[data-failure="bad-config"]').waitFor(WAIT);
    expect(await root.locator('[data-outcome]').count()).toBe(0);
    expect(await root.locator('[data-failure="bad-config"]').textContent()).toContain('config.json 不是合法的 JSON');
    await replaceConfig(page, '{"serviceName": "redis.static", "servicePort": 6379, "qpm": 3}');
    expect(await runAndReadStatuses(page)).toEqual(['200', '200', '200', '429', '200']);
    expect(errors).toEqual([]);
    await context.close();
  });

  test('keeps an edit across a reload, and Reset restores the original', async () => {
    const context = await lab.browser.newContext();
    const { page, errors, root } = await openLimiter(context);
    await replaceConfig(page, '{"serviceName": "redis.static", "servicePort": 6379, "qpm": 2}');
    // The editor saves after a short pause: reload once the edit is in localStorage, not after a fixed sleep.
    await page.waitForFunction(() => Object.values(localStorage).some((saved) => {
      try {
        return (JSON.parse(saved) as { config?: string }).config?.includes('"qpm": 2') === true;
      } catch {
        return false;
      }
    }), undefined, WAIT);
    await page.reload();
    const getConfig = () => root.evaluate((el) => (el as HTMLElement & { playground: { getFile(n: string): string } }).playground.getFile('config.json'));
    expect(JSON.parse(await getConfig())).toEqual({ serviceName: 'redis.static', servicePort: 6379, qpm: 2 });
    expect(await runAndReadStatuses(page)).toEqual(['200', '200', '429', '429', '200']);
    await root.locator('[data-action="reset"]').click();
    expect(await getConfig()).toBe(LIMITER_CONFIG);
    await page.reload();
    expect(await getConfig()).toBe(LIMITER_CONFIG);
    expect(errors).toEqual([]);
    await context.close();
  });

  test('downloads a starter project zip with the files to build, debug and test locally', async () => {
    const context = await lab.browser.newContext({ acceptDownloads: true });
    const { page, errors, root } = await openLimiter(context);
    const [download] = await Promise.all([page.waitForEvent('download'), root.locator('[data-action="download"]').click()]);
    const files = unzipSync(new Uint8Array(readFileSync((await download.path())!)));
    const names = Object.keys(files).map((n) => n.replace(/^redis-limiter\//, ''));
    for (const name of ['go.mod', 'main.go', 'config.json', 'Makefile', 'docker-compose.yaml', 'envoy.yaml', 'scenario.yaml']) expect(names).toContain(name);
    expect(strFromU8(files['redis-limiter/Makefile']!)).toContain('GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared');
    expect(errors).toEqual([]);
    await context.close();
  });

  test('works the same on the English page, with English labels', async () => {
    const context = await lab.browser.newContext();
    const { page, errors, root } = await openLimiter(context, 'en/guide/redis-limiter/');
    expect(await root.locator('[data-action="run"]').textContent()).toContain('Run');
    expect(await runAndReadStatuses(page)).toEqual(['200', '200', '200', '429', '200']);
    expect(await root.locator('[data-role="status"]').textContent()).toMatch(/^Done: 5 requests/);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('playground on the hello-world page', () => {
  test('answers /hello from the plugin', async () => {
    const context = await lab.browser.newContext();
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${lab.site.url}/examples/hello-world/`);
    const root = page.locator('[data-playground="hello-world"]');
    await root.locator('[data-action="run"]').click();
    await root.locator('[data-outcome]').first().waitFor(WAIT);
    const statuses = await root.locator('[data-outcome]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')));
    expect(statuses[0]).toBe('200');
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('playground on the token-bucket page', () => {
  test('runs EVAL in the embedded Redis, loading the Lua VM only when the plugin sends it', async () => {
    const context = await lab.browser.newContext();
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    await page.goto(`${lab.site.url}/en/examples/token-bucket/`);
    const root = page.locator('[data-playground="token-bucket"]').first();
    const outcomes = await root.evaluate(async (el) => {
      type Outcome = { status: number; headers: Array<[string, string]>; redis: Array<{ command: string }> };
      const result = await (el as HTMLElement & { playground: { run(): Promise<{ outcomes: Outcome[] } | null> } }).playground.run();
      return (
        result?.outcomes.map((o) => ({
          status: o.status,
          remaining: o.headers.find(([name]) => name === 'x-ratelimit-remaining')?.[1] ?? null,
          command: o.redis[0]?.command ?? '',
        })) ?? null
      );
    });
    expect(outcomes?.map((o) => o.status)).toEqual([200, 200, 200, 429, 200, 200]);
    expect(outcomes?.map((o) => o.remaining)).toEqual(['2', '1', '0', '0', '0', '2']);
    expect(outcomes?.every((o) => /^eval /i.test(o.command))).toBe(true);
    expect(requested.filter((url) => /lua-scripting/.test(url))).toHaveLength(1);
    // The Redis tab shows the buckets the script wrote.
    await root.locator('[role="tab"][data-result-tab="redis"]').click();
    await expect.poll(() => root.locator('.wl-redis-key').allTextContents(), WAIT).toEqual([
      'token-bucket:key:alice',
      'token-bucket:key:bob',
    ]);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('playground on the ai-token-usage page', () => {
  test('shows a streamed reply chunk by chunk: the naive plugin loses the split event, the fixed one counts it', async () => {
    const context = await lab.browser.newContext();
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${lab.site.url}/examples/ai-token-usage/`);
    const read = async (example: string) => {
      const root = page.locator(`[data-playground="${example}"]`).last();
      await root.scrollIntoViewIfNeeded();
      await root.locator('[data-action="run"]').click();
      const outcome = root.locator('[data-outcome]').first();
      await outcome.waitFor(WAIT);
      await outcome.locator('summary').first().click();
      const response = outcome.locator('.wl-section--response');
      return {
        at: await response.locator('.wl-chunk-at').allTextContents(),
        trailers: await response.locator('.wl-headers').last().innerText(),
        ticks: await root.locator('.wl-timeline-chart .wl-chunk-ticks line').count(),
      };
    };
    const naive = await read('ai-token-usage-naive');
    expect(naive.at).toEqual(['+0 ms', '+20 ms', '+40 ms', '+60 ms', '+80 ms']);
    expect(naive.trailers).toMatch(/x-token-usage\s+0/);
    const fixed = await read('ai-token-usage');
    expect(fixed.at).toHaveLength(5);
    expect(fixed.trailers).toMatch(/x-token-usage\s+42/);
    expect(fixed.ticks).toBe(5);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('playground with a .wasm of the reader\'s own', () => {
  test('opens a .wasm through the file picker, shows which gateways can load it, and runs it with the written requests', async () => {
    const context = await lab.browser.newContext();
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${lab.site.url}/en/examples/hello-world/`);
    const root = page.locator('[data-playground="hello-world"]').first();
    const limiter = readFileSync(join(ROOT, 'public/wasm/redis-limiter.wasm'));
    // Not wasm first: a sentence, and nothing opened.
    let chooser = page.waitForEvent('filechooser');
    await root.locator('[data-action="open-wasm"]').click();
    await (await chooser).setFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    await expect.poll(() => root.locator('[data-role="status"]').textContent(), WAIT).toContain('notes.txt is not a WebAssembly module');
    chooser = page.waitForEvent('filechooser');
    await root.locator('[data-action="open-wasm"]').click();
    await (await chooser).setFiles({ name: 'limiter.wasm', mimeType: 'application/wasm', buffer: limiter });
    const opened = root.locator('[data-role="opened-module"]');
    await opened.waitFor(WAIT);
    expect(await opened.locator('[data-gateway="envoy"]').getAttribute('data-verdict')).toBe('no');
    expect(await opened.locator('[data-gateway="envoy"] .wl-verdict-reasons').innerText()).toContain('missing import: env.proxy_redis_init');
    expect(await opened.locator('[data-gateway="higress-before-2.1.5"]').getAttribute('data-verdict')).toBe('no');
    const statuses = await root.evaluate(async (el) => {
      type Api = { setFile(name: string, text: string): void; run(): Promise<{ outcomes: Array<{ status: number; redis: unknown[] }> } | null> };
      const api = (el as HTMLElement & { playground: Api }).playground;
      api.setFile('config.json', '{"serviceName":"redis.static","servicePort":6379,"qpm":1}');
      api.setFile('scenario.yaml', 'clusters: [{ type: redis, name: redis.static, port: 6379 }]\nrequests:\n  - { path: /a, repeat: 2 }\n');
      const result = await api.run();
      return result?.outcomes.map((o) => `${o.status} ${o.redis.length}`) ?? null;
    });
    // The limiter ran, not hello-world: INCR (and EXPIRE) per request, the second over the quota of 1.
    expect(statuses).toEqual(['200 2', '429 1']);
    await root.locator('[data-action="close-wasm"]').click();
    expect(await root.locator('[data-role="opened-module"]').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('playground with a runaway plugin', () => {
  test('stops a plugin stuck in a loop by terminating the worker, and the next Run works', async () => {
    await loadFixture('faulty-plugin');
    // Served beside the site, never copied into dist/, which other runs read and rebuild.
    const site = await serveStatic(undefined, { extraFiles: { '/wasm/faulty-plugin.wasm': join(FIXTURES.outDir, 'faulty-plugin.wasm') } });
    const context = await lab.browser.newContext();
    try {
      const { page, errors, root } = await openLimiter(context, undefined, site.url);
      const limiterUrl = await root.getAttribute('data-wasm-url');
      await root.evaluate((el) => {
        (el as HTMLElement).dataset.wasmUrl = '/wasm/faulty-plugin.wasm';
        const api = (el as HTMLElement & { playground: { setFile(n: string, t: string): void } }).playground;
        api.setFile('config.json', '{}');
        api.setFile('scenario.yaml', 'callbackTimeout: 300ms\nrequests:\n  - { path: /ok }\n  - { path: /, headers: { x-fault: loop } }\n');
      });
      await root.locator('[data-action="run"]').click();
      const failure = root.locator('[data-failure="callback-timeout"]');
      await failure.waitFor(WAIT);
      expect(await root.locator('[data-outcome]').count()).toBe(0);
      // The scenario's callbackTimeout, the callback and its request, in the page's language.
      expect(await failure.textContent()).toMatch(/proxy_on_request_headers 在处理请求 #1（GET \/，第 0 ms）时已运行 \d+ ms，仍未返回，超过了 callbackTimeout（300 ms）/);
      expect(await root.locator('[data-role="status"]').textContent()).toContain('callbackTimeout（300 ms）');
      await root.evaluate((el, url) => {
        (el as HTMLElement).dataset.wasmUrl = url!;
        const api = (el as HTMLElement & { playground: { setFile(n: string, t: string): void } }).playground;
        api.setFile('config.json', '{"serviceName":"redis.static","servicePort":6379,"qpm":3}');
        // A healthy plugin under a tight budget: start-up and compilation do not count against it.
        api.setFile('scenario.yaml', 'callbackTimeout: 200ms\nclusters: [{ type: redis, name: redis.static, port: 6379 }]\nrequests:\n  - { path: /get, repeat: 4 }\n');
      }, limiterUrl);
      expect(await runAndReadStatuses(page)).toEqual(['200', '200', '200', '429']);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await site.close();
    }
  });
});
