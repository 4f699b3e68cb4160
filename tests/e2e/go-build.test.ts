import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { collectPageErrors } from './helpers/browser.ts';
import { useBuiltSite } from './helpers/built-site.ts';
import { buildAndRun, type PlaygroundElement } from './helpers/playground.ts';
import { serveStatic } from './helpers/static-server.ts';

const ROOT = join(import.meta.dirname, '../..');
const MAIN_GO = readFileSync(join(ROOT, 'examples/redis-limiter/main.go'), 'utf8');
const lab = useBuiltSite();
/** How long a poll may wait for the page: generous, so only a page that never gets there fails on a busy machine. */
const POLL = { timeout: 30_000 };
const TOOLCHAIN_CACHE = 'higress-wasm-lab-go-toolchain';


// Test timeouts are ceilings for a hang, not speed limits: about 35 s and 8 s on an idle machine,
// and several times that at a load of 10 on two cores (bench/go-build.ts measures the speed).
describe('editing main.go in the playground', () => {
  test('builds the edited limiter with the Go toolchain in the browser, shows compile errors as markers, and runs the fix', async () => {
    const context = await lab.browser.newContext();
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    const firstVisit: string[] = [];
    page.on('request', (request) => firstVisit.push(new URL(request.url()).pathname));
    await page.goto(`${lab.site.url}/guide/redis-limiter/`);
    const root = page.locator('[data-playground="redis-limiter"]').first();
    const run = (code: string) => buildAndRun(root, code);

    // Every status the reader sees during the first build, in order.
    await root.evaluate((el) => {
      const status = el.querySelector('[data-role="status"]')!;
      const seen: string[] = [];
      (window as unknown as { statuses: string[] }).statuses = seen;
      new MutationObserver(() => seen.push(status.textContent ?? '')).observe(status, { childList: true, characterData: true, subtree: true });
    });
    expect(await run(MAIN_GO.replace('SendHttpResponse(429,', 'SendHttpResponse(503,'))).toEqual([200, 200, 200, 503, 200]);
    const shown = await page.evaluate(() => (window as unknown as { statuses: string[] }).statuses);
    const phases = [/^正在下载 Go 工具链：[\d.]+ \/ 1\d\.\d MB$/, /^正在解压 Go 工具链/, /^正在编译 main\.go/, /^正在链接插件/];
    const firstSeen = phases.map((phase) => shown.findIndex((text) => phase.test(text)));
    expect(firstSeen.every((i) => i >= 0), shown.join('\n')).toBe(true);
    expect(firstSeen).toEqual([...firstSeen].sort((a, b) => a - b));
    expect(await root.locator('[data-outcome]').count()).toBe(5);
    // The first build downloads the compiler, the linker and the archive bundles (seen from the worker).
    const toolchainFiles = firstVisit.filter((path) => /\/go\/.*\.br$/.test(path));
    expect(toolchainFiles.filter((path) => /\/(compile|link)-\w+\.wasm\.br$/.test(path))).toHaveLength(2);
    expect(toolchainFiles.filter((path) => /\/pkg\/bundle-\w+\.bin\.br$/.test(path)).length).toBeGreaterThan(0);

    const broken = MAIN_GO.replace('count := response.Integer()', 'count := response.Integer(');
    expect(await run(broken)).toBeNull();
    const problems = root.locator('[data-role="problems-code"]');
    await expect.poll(() => problems.textContent(), POLL).toMatch(/^\d+:\d+ /);
    const line = MAIN_GO.split('\n').findIndex((l) => l.includes('count := response.Integer()')) + 1;
    expect(Number((await problems.textContent())!.split(':')[0])).toBeGreaterThanOrEqual(line);
    // Code set by a script shows in the plain editor; Monaco loads when the reader touches it,
    // with the build's problems marked.
    expect(await root.locator('[data-editor="main.go"] .monaco-editor').count()).toBe(0);
    await root.locator('[data-editor="main.go"] textarea').click();
    await root.locator('[data-editor="main.go"] .monaco-editor .squiggly-error').first().waitFor(POLL);
    // A build error keeps the last good outcomes, marked as the previous build's.
    expect(await root.locator('[data-outcome]').count()).toBe(5);
    expect(await root.locator('[data-role="results"]').getAttribute('data-stale')).not.toBeNull();
    expect(await root.locator('[data-role="stale"]').isVisible()).toBe(true);

    expect(await run(MAIN_GO)).toEqual([200, 200, 200, 429, 200]);
    expect(await root.locator('[data-role="results"]').getAttribute('data-stale')).toBeNull();

    // An import the example does not link (regexp) brings the standard-library extras along.
    const bundles = () => firstVisit.filter((path) => /\/pkg\/bundle-\w+\.bin\.br$/.test(path)).length;
    const before = bundles();
    const withRegexp = MAIN_GO.replace('import (', 'import (\n\t"regexp"').replace('func main() {}', 'func main() {}\n\nvar _ = regexp.MustCompile(`^/get`)');
    expect(await run(withRegexp)).toEqual([200, 200, 200, 429, 200]);
    expect(bundles()).toBeGreaterThan(before);
    expect(errors).toEqual([]);

    // A file an earlier site build cached (another Go version) is dropped on the next visit. It is
    // cached before that visit loads: the visit starts the toolchain loader at once (main.go edits
    // are in localStorage), and the loader lists the cache only once.
    const cachedPaths = (on: typeof page) =>
      on.evaluate(async (name) => (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname), TOOLCHAIN_CACHE);
    const stale = `${lab.site.url}/go/go1.0.0/compile-old.wasm.br`;
    await page.evaluate(async ([name, url]) => (await caches.open(name)).put(url, new Response('old')), [TOOLCHAIN_CACHE, stale] as const);
    expect(await cachedPaths(page)).toContain('/go/go1.0.0/compile-old.wasm.br');

    // A second visit takes the toolchain from Cache Storage: no compiler or archive download.
    const again = await context.newPage();
    const fetched: string[] = [];
    again.on('request', (request) => fetched.push(new URL(request.url()).pathname));
    await again.goto(`${lab.site.url}/en/guide/redis-limiter/`);
    const statuses = await buildAndRun(again.locator('[data-playground="redis-limiter"]').first(), MAIN_GO.replace('SendHttpResponse(429,', 'SendHttpResponse(418,'));
    expect(statuses).toEqual([200, 200, 200, 418, 200]);
    expect(fetched.filter((path) => /\/go\/.*\.br$/.test(path))).toEqual([]);
    await expect.poll(() => cachedPaths(again), POLL).not.toContain('/go/go1.0.0/compile-old.wasm.br');
    await context.close();
  }, 600_000);

  test('after a reload, builds from the decoded toolchain kept in Cache Storage: no .br fetched, nothing decoded, the tools compiled through the service worker', async () => {
    const context = await lab.browser.newContext();
    try {
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      const run = (code: string) => buildAndRun(page.locator('[data-playground="redis-limiter"]').first(), code);
      const lastTimings = () =>
        page.evaluate(() => (performance.getEntriesByName('wasm-lab:build:built').at(-1) as PerformanceMark | undefined)?.detail?.timings as Record<string, unknown> | undefined);
      await page.goto(`${lab.site.url}/en/guide/redis-limiter/`);
      expect(await run(MAIN_GO.replace('SendHttpResponse(429,', 'SendHttpResponse(503,'))).toEqual([200, 200, 200, 503, 200]);
      expect(await lastTimings()).toMatchObject({ toolchainSource: 'network', downloadedBytes: expect.any(Number) });

      const fetched: string[] = [];
      page.on('request', (request) => fetched.push(new URL(request.url()).pathname));
      await page.reload();
      expect(await run(MAIN_GO.replace('SendHttpResponse(429,', 'SendHttpResponse(418,'))).toEqual([200, 200, 200, 418, 200]);
      expect(fetched.filter((path) => /\/go\/.*\.br$/.test(path))).toEqual([]);
      // `service-worker`: compiled from a fetch() answered from Cache Storage, which is what lets
      // Chromium reuse the tools' machine code from the earlier visit (toolchain-cache.ts).
      expect(await lastTimings()).toMatchObject({ toolchainSource: 'cache', downloadedBytes: 0, decodeMs: 0, toolSource: 'service-worker' });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 300_000);

  test('builds too where the server labels the .br files Content-Encoding: br (as Vite\u2019s dev server does)', async () => {
    const site = await serveStatic(undefined, { brotliEncoding: true });
    const context = await lab.browser.newContext();
    try {
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      const encodings: string[] = [];
      page.on('response', (response) => {
        if (response.url().endsWith('.wasm.br')) encodings.push(response.headers()['content-encoding'] ?? '');
      });
      await page.goto(`${site.url}/en/guide/redis-limiter/`);
      const statuses = await buildAndRun(page.locator('[data-playground="redis-limiter"]').first(), MAIN_GO.replace('SendHttpResponse(429,', 'SendHttpResponse(503,'));
      expect(statuses).toEqual([200, 200, 200, 503, 200]);
      expect(encodings).toEqual(['br', 'br']);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await site.close();
    }
  }, 300_000);
});

/** The local gofmt on `source`: what the browser's must match. */
function nativeGofmt(source: string): { stdout: string; stderr: string; status: number | null } {
  const result = spawnSync('gofmt', [], { input: source, encoding: 'utf8' });
  if (result.error) throw result.error;
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

describe('gofmt in the browser (the Format button\u2019s worker)', () => {
  test('the Format button formats main.go as the local gofmt does, Ctrl+Z undoes it, and a syntax error is marked at its line', async () => {
    const context = await lab.browser.newContext();
    try {
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      await page.goto(`${lab.site.url}/guide/redis-limiter/`);
      const root = page.locator('[data-playground="redis-limiter"]').first();
      const file = () => root.evaluate((el) => (el as unknown as { playground: { getFile(n: string): string } }).playground.getFile('main.go'));
      const setFile = (text: string) => root.evaluate((el, t) => (el as PlaygroundElement).playground.setFile('main.go', t), text);
      await root.locator('[data-action="edit-code"]').click();
      await root.locator('[data-editor="main.go"] .monaco-editor').waitFor(POLL);
      const format = root.locator('[data-action="format"]');
      expect(await format.isVisible()).toBe(true);

      const misformatted = MAIN_GO.replace(/\) \{/g, '){').replace(/ := /g, ':=');
      await setFile(misformatted);
      await format.click();
      await expect.poll(file, POLL).toBe(nativeGofmt(misformatted).stdout);
      // One edit in Monaco's history: undo brings back what was there before Format.
      await root.locator('[data-editor="main.go"] .monaco-editor .view-lines').click();
      await page.keyboard.press('Control+z');
      await expect.poll(file, POLL).toBe(misformatted);

      const broken = MAIN_GO.replace('count := response.Integer()', 'count := response.Integer(');
      const [, line] = /^<standard input>:(\d+):(\d+): /m.exec(nativeGofmt(broken).stderr)!;
      await setFile(broken);
      await format.click();
      await expect.poll(() => root.locator('[data-role="problems-code"]').textContent(), POLL).toMatch(new RegExp(`^${line}:\\d+ `));
      expect(await root.locator('[data-role="status"]').getAttribute('data-tone')).toBe('error');
      expect(await file()).toBe(broken);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 180_000);

  test('formats badly indented code as the local gofmt does, and names a syntax error\u2019s line and column', async () => {
    const workerFile = readdirSync(join(ROOT, 'dist/_astro')).find((name) => /^gofmt-worker-[\w-]+\.js$/.test(name));
    expect(workerFile, 'the built site has a gofmt worker').toBeDefined();
    const context = await lab.browser.newContext();
    try {
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      await page.goto(`${lab.site.url}/en/guide/redis-limiter/`);
      const format = (source: string) =>
        page.evaluate(
          ({ url, source }) =>
            new Promise((resolve) => {
              const worker = new Worker(url, { type: 'module' });
              const baseUrl = document.querySelector<HTMLElement>('[data-go-url]')!.dataset.goUrl!;
              worker.addEventListener('message', (event) => {
                worker.terminate();
                resolve(event.data);
              });
              worker.postMessage({ type: 'format', id: 1, baseUrl, source });
            }),
          { url: `/_astro/${workerFile}`, source },
        );
      const misformatted = MAIN_GO.split('\n').map((line) => line.replace(/^\t/, '  ')).join('\n').replace(/ := /g, ':=').replace(/\) \{/g, '){');
      expect(misformatted).not.toBe(MAIN_GO);
      expect(await format(misformatted)).toEqual({ type: 'formatted', id: 1, answer: { text: nativeGofmt(misformatted).stdout } });

      const broken = MAIN_GO.replace('count := response.Integer()', 'count := response.Integer(');
      const [, line, col, message] = /^<standard input>:(\d+):(\d+): (.*)$/m.exec(nativeGofmt(broken).stderr)!;
      expect(await format(broken)).toEqual({ type: 'formatted', id: 1, answer: { error: { line: Number(line), col: Number(col), message } } });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});
