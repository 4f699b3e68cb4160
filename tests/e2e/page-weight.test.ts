/**
 * The lesson pages as a reader meets them: a page carries no copy of an example's code per
 * playground (main.go is fetched when a playground nears the screen), highlighted code still copies,
 * the playground gets the room of a wide screen, the first outcome is in view after Run, and Reset
 * can be undone.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { collectPageErrors } from './helpers/browser.ts';
import { useBuiltSite } from './helpers/built-site.ts';

const ROOT = join(import.meta.dirname, '../..');
const DIST = join(ROOT, 'dist');
/** A first Run fetches and compiles the plugin, which a busy machine can stretch a lot. */
const WAIT = { timeout: 60_000 };
const lab = useBuiltSite();

describe('page weight', () => {
  test('the limiter guide carries none of its playgrounds\' files', () => {
    const html = readFileSync(join(DIST, 'guide/redis-limiter/index.html'), 'utf8');
    const playgrounds = [...html.matchAll(/<wasm-playground[\s\S]*?<\/wasm-playground>/g)].map((m) => m[0]);
    expect(playgrounds.length).toBeGreaterThanOrEqual(5);
    const decoded = (h: string) => h.replace(/<[^>]+>/g, '').replaceAll('&quot;', '"').replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
    for (const file of ['main.go', 'config.json', 'scenario.yaml']) {
      const lines = readFileSync(join(ROOT, 'examples/redis-limiter', file), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l.length > 20);
      for (const playground of playgrounds) {
        const text = decoded(playground);
        for (const line of lines) expect(text, `${file}: ${line}`).not.toContain(line);
      }
    }
  });

  test('fetches an example\'s files only for playgrounds near the screen, once per example', async () => {
    const page = await lab.browser.newPage({ viewport: { width: 1280, height: 800 } });
    const fetched: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/example-files/')) fetched.push(new URL(r.url()).pathname);
    });
    await page.goto(`${lab.site.url}/guide/redis-limiter/`);
    await page.locator('[data-playground="redis-limiter"] [data-role="static-code"] .wl-code').first().waitFor(WAIT);
    // Coloured without an element per token: main.go adds a handful of elements, not thousands.
    const code = page.locator('[data-playground="redis-limiter"] .wl-code').first();
    expect(await code.evaluate((el) => el.querySelectorAll('*').length)).toBeLessThanOrEqual(1);
    expect(await page.evaluate(() => [...CSS.highlights.keys()].length)).toBeGreaterThan(3);
    const playgrounds = await page.locator('wasm-playground').count();
    expect(fetched.length).toBeGreaterThanOrEqual(1);
    expect(fetched.length).toBeLessThan(playgrounds);
    expect(new Set(fetched).size).toBe(fetched.length);
    await page.close();
  });

  test('the copy button of a highlighted block copies that block\'s code', async () => {
    const context = await lab.browser.newContext();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: lab.site.url });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${lab.site.url}/guide/redis-limiter/`);
    const block = page.locator('.sl-markdown-content > .expressive-code').first();
    const shown = await block.locator('pre > code > .ec-line').evaluateAll((lines) => lines.map((l) => l.textContent).join('\n'));
    await block.locator('.copy button').click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(shown);
    expect(shown).toMatch(/\S/);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('the playground on a page', () => {
  test.each([
    [1280, 800],
    [390, 844],
  ])('at %ix%i the first outcome is in view after Run, and at 1280 the playground is wider than the text', async (width, height) => {
    const page = await lab.browser.newPage({ viewport: { width, height } });
    const errors = collectPageErrors(page);
    await page.goto(`${lab.site.url}/guide/redis-limiter/`);
    const root = page.locator('[data-playground="redis-limiter"]').first();
    await root.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await root.locator('[data-action="run"]').click();
    const first = root.locator('[data-outcome]').first();
    await first.waitFor(WAIT);
    await expect.poll(() => first.evaluate((el) => {
      const box = el.getBoundingClientRect();
      return box.top >= 0 && box.bottom <= window.innerHeight + 1;
    })).toBe(true);
    if (width >= 1280) {
      const paragraph = await page.locator('.sl-markdown-content > p').first().boundingBox();
      const playground = await root.boundingBox();
      expect(playground!.width).toBeGreaterThan(paragraph!.width + 100);
      // Nothing in the playground is cut off at its right edge.
      expect(playground!.x + playground!.width).toBeLessThanOrEqual(width);
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  test('a phone is told it cannot build Go as soon as it presses "Edit the code", before any typing', async () => {
    const context = await lab.browser.newContext({
      viewport: { width: 390, height: 844 },
      userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36',
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${lab.site.url}/guide/redis-limiter/`);
    const root = page.locator('[data-playground="redis-limiter"]').first();
    await root.locator('[data-action="edit-code"]').click();
    await expect.poll(() => root.locator('[data-role="code-note"]').textContent()).toMatch(/不能在页面里编译 Go/);
    expect(await root.locator('[data-editor="main.go"]').isVisible()).toBe(false);
    expect(await root.locator('[data-role="status"]').getAttribute('data-tone')).toBe('error');
    expect(errors).toEqual([]);
    await context.close();
  });

  test('Reset brings back the example\'s files, and Undo brings back the edits', async () => {
    const page = await lab.browser.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${lab.site.url}/guide/redis-limiter/`);
    const root = page.locator('[data-playground="redis-limiter"]').first();
    const original = await root.evaluate(async (el) => {
      const api = (el as unknown as { playground: { getFile(n: string): string; setFile(n: string, t: string): void; run(): Promise<unknown> } }).playground;
      await api.run();
      const text = api.getFile('config.json');
      api.setFile('config.json', text.replace(/"qpm":\s*\d+/, '"qpm": 1'));
      return text;
    });
    await root.locator('[data-action="reset"]').click();
    await expect.poll(() => root.evaluate((el) => (el as unknown as { playground: { getFile(n: string): string } }).playground.getFile('config.json'))).toBe(original);
    await root.locator('[data-role="status"] [data-action="status-action"]').click();
    const restored = await root.evaluate((el) => (el as unknown as { playground: { getFile(n: string): string } }).playground.getFile('config.json'));
    expect(restored).toMatch(/"qpm": 1\b/);
    expect(errors).toEqual([]);
    await page.close();
  });
});
