import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { collectPageErrors, launchChromium } from './helpers/browser.ts';
import { useBuiltSite } from './helpers/built-site.ts';

const ROOT = join(import.meta.dirname, '../..');
const MAIN_GO = readFileSync(join(ROOT, 'examples/redis-limiter/main.go'), 'utf8');
const lab = useBuiltSite();

type PlaygroundElement = HTMLElement & { playground: { setFile(name: string, text: string): void; run(): Promise<{ outcomes: Array<{ status: number }> } | null> } };

/** The limiter, answering `status` instead of 429 once the quota is used. */
const rejectingWith = (status: number) => MAIN_GO.replace('SendHttpResponse(429,', `SendHttpResponse(${status},`);
/** The limiter with an import of regexp, whose archive comes in a bundle the example does not need: it is downloaded during the build. */
const WITH_REGEXP = MAIN_GO.replace('import (', 'import (\n\t"regexp"').replace('func main() {}', 'func main() {}\n\nvar _ = regexp.MustCompile(`^/get`)');
const TOOLCHAIN_FILE = /\/go\/.*\.br$/;

/** Sets main.go and runs; the statuses of the outcomes, or null when Run ended without outcomes. */
const run = (root: Locator, code: string) =>
  root.evaluate(async (el, text) => {
    const api = (el as PlaygroundElement).playground;
    api.setFile('main.go', text);
    return (await api.run())?.outcomes.map((o) => o.status) ?? null;
  }, code);

const shown = async (root: Locator) => ({
  status: await root.locator('[data-role="status"]').textContent(),
  outcomes: await root.locator('[data-outcome]').evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-status')))),
  isCancelShown: await root.locator('[data-action="cancel-build"]').isVisible(),
  isRunBusy: (await root.locator('[data-action="run"]').getAttribute('aria-busy')) === 'true',
});

/**
 * Holds every toolchain download until `release()`: a build that needs a bundle it has not
 * fetched yet waits there, mid-build, for as long as the test wants, whatever the machine's speed.
 */
async function holdToolchainDownloads(page: Page) {
  const held: Route[] = [];
  let onFirst!: () => void;
  const first = new Promise<void>((resolve) => (onFirst = resolve));
  await page.route(TOOLCHAIN_FILE, (route) => {
    held.push(route);
    onFirst();
  });
  return {
    first,
    release: async () => {
      await page.unroute(TOOLCHAIN_FILE);
      await Promise.all(held.map((route) => route.abort().catch(() => {})));
    },
  };
}

/** Clicks Cancel when the status first says the compiler is running (in the same task, so before the build can end). */
const cancelWhenCompiling = (root: Locator, compilingPrefix: string) =>
  root.evaluate((el, prefix) => {
    const status = el.querySelector('[data-role="status"]')!;
    const observer = new MutationObserver(() => {
      if (!status.textContent?.startsWith(prefix)) return;
      observer.disconnect();
      el.querySelector<HTMLButtonElement>('[data-action="cancel-build"]:not([hidden])')!.click();
    });
    observer.observe(status, { childList: true, characterData: true, subtree: true });
  }, compilingPrefix);

describe('a Go build that cannot finish, in the zh-CN playground', () => {
  let context: BrowserContext;
  let page: Page;
  let root: Locator;
  let errors: string[];
  const fetched: string[] = [];
  const buildWorker = () => page.workers().find((worker) => worker.url().includes('go-build-worker'));
  const toolchainFetchedSince = (count: number) => fetched.slice(count).filter((path) => TOOLCHAIN_FILE.test(path));

  // One page for the file: its first build puts the toolchain in Cache Storage, and each test starts with outcomes on screen.
  beforeAll(async () => {
    context = await lab.browser.newContext();
    page = await context.newPage();
    errors = collectPageErrors(page);
    page.on('request', (request) => fetched.push(new URL(request.url()).pathname));
    await page.goto(`${lab.site.url}/guide/redis-limiter/`);
    root = page.locator('[data-playground="redis-limiter"]').first();
    expect(await run(root, rejectingWith(503))).toEqual([200, 200, 200, 503, 200]);
  }, 240_000);
  afterAll(async () => {
    await context?.close();
  });

  test('a crashed build worker ends the Run with a message, keeps the outcomes, and the next Run builds in a fresh worker from Cache Storage', async () => {
    const hold = await holdToolchainDownloads(page);
    const pending = run(root, WITH_REGEXP);
    await hold.first;
    const worker = buildWorker()!;
    const isClosed = new Promise((resolve) => worker.once('close', resolve));
    // An uncaught error in the worker, as when a tool traps while the Go runtime resumes it from a timer.
    await worker.evaluate(() => {
      setTimeout(() => {
        throw new Error('build worker killed by the test');
      });
    });
    expect(await pending).toBeNull();
    expect(await shown(root)).toEqual({
      status: '浏览器里的 Go 编译意外中止（Uncaught Error: build worker killed by the test）；请按“运行”重试。',
      outcomes: [200, 200, 200, 503, 200],
      isCancelShown: false,
      isRunBusy: false,
    });
    await isClosed;
    await hold.release();

    const before = fetched.length;
    expect(await run(root, rejectingWith(418))).toEqual([200, 200, 200, 418, 200]);
    expect(buildWorker()).not.toBe(worker);
    expect(toolchainFetchedSince(before)).toEqual([]);
    expect(errors).toEqual([]);
  }, 240_000);

  test('Cancel during the compile ends the Run as cancelled, keeps the outcomes, and the next Run works', async () => {
    const worker = buildWorker()!;
    const isClosed = new Promise((resolve) => worker.once('close', resolve));
    await cancelWhenCompiling(root, '正在编译 main.go');
    expect(await run(root, rejectingWith(504))).toBeNull();
    expect(await shown(root)).toEqual({
      status: '已取消编译；按“运行”可重新编译 main.go。',
      outcomes: [200, 200, 200, 418, 200],
      isCancelShown: false,
      isRunBusy: false,
    });
    await isClosed;

    const before = fetched.length;
    expect(await run(root, rejectingWith(504))).toEqual([200, 200, 200, 504, 200]);
    expect(toolchainFetchedSince(before)).toEqual([]);
    expect(errors).toEqual([]);
  }, 240_000);

  test('Cancel is reached with Tab from Run and pressed with Enter; Escape cancels too', async () => {
    const cancelled = '已取消编译；按“运行”可重新编译 main.go。';
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-action') ?? null);
    const isStatus = (text: string) => page.waitForFunction((t) => document.querySelector('[data-playground="redis-limiter"] [data-role="status"]')?.textContent === t, text, { timeout: 0 });
    await root.evaluate((el, code) => (el as PlaygroundElement).playground.setFile('main.go', code), WITH_REGEXP);

    for (const cancelWith of ['Tab, Enter', 'Escape']) {
      const hold = await holdToolchainDownloads(page);
      await root.locator('[data-action="run"]').focus();
      await page.keyboard.press('Enter');
      await hold.first;
      expect((await shown(root)).isCancelShown, cancelWith).toBe(true);
      if (cancelWith === 'Escape') await page.keyboard.press('Escape');
      else {
        await page.keyboard.press('Tab');
        expect(await focused()).toBe('cancel-build');
        await page.keyboard.press('Enter');
      }
      await isStatus(cancelled);
      expect(await shown(root), cancelWith).toEqual({ status: cancelled, outcomes: [200, 200, 200, 504, 200], isCancelShown: false, isRunBusy: false });
      // Cancel hid under the focus: the focus went back to Run.
      expect(await focused(), cancelWith).toBe('run');
      await hold.release();
    }
    expect(errors).toEqual([]);
  }, 240_000);

  test('a second Run during a build ends the first Run and shows the second one’s outcomes', async () => {
    const results = await root.evaluate(
      async (el, { first, second }) => {
        const api = (el as PlaygroundElement).playground;
        const status = el.querySelector('[data-role="status"]')!;
        api.setFile('main.go', first);
        const firstRun = api.run();
        // The reader edits and presses Run again while the compiler works on the first edit.
        const secondRun = new Promise<ReturnType<typeof api.run>>((resolve) => {
          const observer = new MutationObserver(() => {
            if (!status.textContent?.startsWith('正在编译 main.go')) return;
            observer.disconnect();
            api.setFile('main.go', second);
            resolve(api.run());
          });
          observer.observe(status, { childList: true, characterData: true, subtree: true });
        });
        return Promise.all([firstRun, (await secondRun)].map(async (r) => (await r)?.outcomes.map((o) => o.status) ?? null));
      },
      { first: rejectingWith(505), second: rejectingWith(506) },
    );
    expect(results).toEqual([null, [200, 200, 200, 506, 200]]);
    expect(await shown(root)).toMatchObject({ status: expect.stringMatching(/^完成：5 个请求/), outcomes: [200, 200, 200, 506, 200], isCancelShown: false, isRunBusy: false });
    expect(errors).toEqual([]);
  }, 240_000);
});

describe('a Go build in a tab whose WebAssembly memory cannot grow', () => {
  let browser: Browser;
  // V8 caps every wasm memory at 512 pages of 64 KiB (32 MiB): plugins fit, the Go compiler (about 54 MiB) does not.
  beforeAll(async () => {
    browser = await launchChromium(['--js-flags=--wasm-max-mem-pages=512']);
  });
  afterAll(async () => {
    await browser?.close();
  });

  test('ends the Run with an out-of-memory message in English, keeps the outcomes, and says so again on the next Run', async () => {
    const page = await browser.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${lab.site.url}/en/guide/redis-limiter/`);
    const root = page.locator('[data-playground="redis-limiter"]').first();
    expect(await run(root, MAIN_GO)).toEqual([200, 200, 200, 429, 200]);
    const message = 'The Go compiler ran out of memory in this tab (a build needs nearly 1 GB); close other tabs and press Run to try again.';
    for (const status of [503, 504]) {
      expect(await run(root, rejectingWith(status))).toBeNull();
      expect(await shown(root)).toEqual({ status: message, outcomes: [200, 200, 200, 429, 200], isCancelShown: false, isRunBusy: false });
    }
    expect(errors).toEqual([]);
  }, 240_000);
});
