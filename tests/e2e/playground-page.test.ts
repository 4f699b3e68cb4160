/**
 * The playground page (/playground/): start from the blank plugin or an example, open a .wasm of
 * one's own and run it with requests typed in, share the files as a link that another browser
 * opens to the same outcomes, the too-long link, and the guides' "Open in playground".
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { collectPageErrors } from './helpers/browser.ts';
import { useBuiltSite } from './helpers/built-site.ts';

const ROOT = join(import.meta.dirname, '../..');
/** A first Run fetches and compiles the plugin, which a busy machine can stretch to tens of seconds. */
const WAIT = { timeout: 60_000 };

const lab = useBuiltSite();

interface Api {
  setFile(name: string, text: string): void;
  getFile(name: string): string;
}

async function openPage(page: Page, path = 'en/playground/'): Promise<Locator> {
  await page.goto(`${lab.site.url}/${path}`);
  return page.locator('[data-playground-page]');
}

/** Runs the page's playground by its button and returns each outcome's status once they show. */
async function run(playground: Locator): Promise<string[]> {
  const before = await playground.locator('[data-role="status"]').textContent();
  await playground.locator('[data-action="run"]').click();
  await expect.poll(async () => {
    const status = (await playground.locator('[data-role="status"]').textContent()) ?? '';
    return status !== before && /Done|完成/.test(status) && (await playground.locator('[data-outcome]').count()) > 0;
  }, WAIT).toBe(true);
  return playground.locator('[data-outcome]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status') ?? ''));
}

/** Types `text` as a reader would into a file's editor (Monaco, which the first focus brings). */
async function typeInto(page: Page, playground: Locator, file: 'config.json' | 'scenario.yaml', text: string): Promise<void> {
  await playground.locator(`[role="tab"][data-tab="${file}"]`).click();
  await playground.locator(`[data-editor="${file}"] textarea`).first().focus();
  await playground.locator(`[data-editor="${file}"] .monaco-editor`).waitFor(WAIT);
  await playground.locator(`[data-editor="${file}"] .view-lines`).click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

const getFile = (playground: Locator, name: string) => playground.evaluate((el, n) => (el as HTMLElement & { playground: Api }).playground.getFile(n), name);

describe('the playground page', () => {
  test('starts from the blank plugin, switches to an example, and runs each', async () => {
    const context = await lab.browser.newContext();
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    const pageRoot = await openPage(page, 'playground/');
    const blank = pageRoot.locator('[data-playground="blank"]');
    await blank.waitFor(WAIT);
    expect(await run(blank)).toEqual(['200']);
    expect(await blank.locator('[data-outcome]').first().textContent()).toContain('x-plugin');
    await pageRoot.locator('[data-role="example-picker"]').selectOption('redis-limiter');
    const limiter = pageRoot.locator('[data-playground="redis-limiter"]');
    expect(await run(limiter)).toEqual(['200', '200', '200', '429', '200']);
    expect(await pageRoot.locator('[data-playground="blank"]').count()).toBe(0);

    // The sequence of the first request: the plugin pauses it, calls Redis, and resumes it once Redis answered.
    await limiter.locator('[data-result-tab="sequence"]').click();
    const sequence = limiter.locator('[data-role="sequence"]');
    await sequence.waitFor(WAIT);
    const drawn = await sequence.evaluate((root) => {
      const steps = [...root.querySelectorAll('svg [data-step]')].map((g) => ({ kind: g.getAttribute('data-kind'), to: g.getAttribute('data-to'), from: g.getAttribute('data-from') }));
      const band = root.querySelector('[data-pause]');
      return { steps, from: Number(band?.getAttribute('data-from-step')), to: Number(band?.getAttribute('data-to-step')) };
    });
    const { steps, from, to } = drawn;
    expect(steps[from]).toMatchObject({ kind: 'return', from: 'plugin' });
    expect(steps[to]).toMatchObject({ kind: 'resume', from: 'plugin' });
    const held = steps.slice(from + 1, to);
    expect(held.find((s) => s.kind === 'callout-reply')?.from).toMatch(/^redis:/);
    expect(held.some((s) => s.kind === 'callout' && s.to?.startsWith('redis:'))).toBe(true);
    // The upstream only hears of the request after the resume.
    expect(steps.findIndex((s) => s.kind === 'upstream-request')).toBeGreaterThan(to);
    expect(steps.slice(0, from).some((s) => s.kind === 'callout' && s.to?.startsWith('redis:'))).toBe(true);
    // The page opens where the reader left it.
    await page.reload();
    await pageRoot.locator('[data-playground="redis-limiter"]').waitFor(WAIT);
    expect(errors).toEqual([]);
    await context.close();
  });

  test('opens a .wasm through the file input, shows its verdicts, and runs it with requests typed in', async () => {
    const context = await lab.browser.newContext();
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    const pageRoot = await openPage(page);
    const playground = pageRoot.locator('[data-playground="blank"]');
    await playground.waitFor(WAIT);
    const chooser = page.waitForEvent('filechooser');
    await playground.locator('[data-action="open-wasm"]').click();
    await (await chooser).setFiles({ name: 'key-auth.wasm', mimeType: 'application/wasm', buffer: readFileSync(join(ROOT, 'public/wasm/key-auth.wasm')) });
    const opened = playground.locator('[data-role="opened-module"]');
    await opened.waitFor(WAIT);
    // Built with Go ≥ 1.24 and Higress's SDK: not for upstream Envoy, nor for Higress before 2.1.5.
    expect(await opened.locator('[data-gateway="envoy"]').getAttribute('data-verdict')).toBe('no');
    expect(await opened.locator('[data-gateway="higress-before-2.1.5"]').getAttribute('data-verdict')).toBe('no');
    expect(await opened.locator('[data-gateway="higress"]').getAttribute('data-verdict')).not.toBeNull();
    await typeInto(page, playground, 'config.json', '{"consumers":[{"name":"alice","credential":"k1"}],"keys":["x-api-key"],"in_header":true,"global_auth":true}');
    // One request per line and no indentation of its own: Monaco indents new lines as it does for a reader typing.
    await typeInto(page, playground, 'scenario.yaml', 'requests:\n- { path: /a, headers: { x-api-key: k1 } }\n- { path: /b }\n- { path: /c, headers: { x-api-key: nope } }\n');
    expect(await run(playground)).toEqual(['200', '401', '401']);
    expect(errors).toEqual([]);
    await context.close();
  });

  test('shares the files as a link that a fresh browser opens to the same files and outcomes', async () => {
    const sender = await lab.browser.newContext();
    await sender.grantPermissions(['clipboard-read', 'clipboard-write']);
    const page = await sender.newPage();
    const errors = collectPageErrors(page);
    const pageRoot = await openPage(page);
    await pageRoot.locator('[data-role="example-picker"]').selectOption('redis-limiter');
    const playground = pageRoot.locator('[data-playground="redis-limiter"]');
    await playground.waitFor(WAIT);
    const config = '{"serviceName":"redis.static","servicePort":6379,"qpm":2}';
    await typeInto(page, playground, 'config.json', config);
    await typeInto(page, playground, 'scenario.yaml', 'clusters: [{ type: redis, name: redis.static, port: 6379 }]\nrequests:\n- { path: /get, repeat: 3 }\n- { path: /get, at: 61s }\n');
    const scenario = await getFile(playground, 'scenario.yaml');
    const statuses = await run(playground);
    expect(statuses).toEqual(['200', '200', '429', '200']);
    await pageRoot.locator('[data-action="share"]').click();
    const link = await pageRoot.locator('[data-role="share-link"]').inputValue();
    expect(link).toMatch(/\/en\/playground\/#share=1\.[\w-]+$/);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);

    // Another browser: no storage in common with the sender.
    const receiver = await lab.browser.newContext();
    const other = await receiver.newPage();
    const otherErrors = collectPageErrors(other);
    await other.goto(link);
    const restored = other.locator('[data-playground-page] [data-playground="redis-limiter"]');
    await restored.waitFor(WAIT);
    expect(await getFile(restored, 'config.json')).toBe(config);
    expect(await getFile(restored, 'scenario.yaml')).toBe(scenario);
    expect(await other.locator('[data-role="page-status"]').textContent()).toContain('Opened the files from the link');
    // Read once: a reload must not put the link's files back over later edits.
    expect(new URL(other.url()).hash).toBe('');
    expect(await run(restored)).toEqual(statuses);
    expect([...errors, ...otherErrors]).toEqual([]);
    await sender.close();
    await receiver.close();
  });

  test('says when the files are too long for a link and offers the project instead', async () => {
    const context = await lab.browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    const pageRoot = await openPage(page, 'playground/');
    const playground = pageRoot.locator('[data-playground="blank"]');
    await playground.waitFor(WAIT);
    await playground.evaluate((el) => {
      // Text deflate cannot shrink: a pseudo-random comment of 30,000 characters.
      let seed = 7;
      const noise = Array.from({ length: 30_000 }, () => String.fromCharCode(33 + ((seed = (seed * 48271) % 2147483647) % 90))).join('');
      const api = (el as HTMLElement & { playground: Api }).playground;
      api.setFile('scenario.yaml', `# ${noise}\nrequests:\n  - path: /get\n`);
    });
    await pageRoot.locator('[data-action="share"]').click();
    const message = pageRoot.locator('[data-role="share-too-long"]');
    await message.waitFor(WAIT);
    expect(await message.textContent()).toMatch(/链接有 [\d,]+ 个字符，超过了.*16,384/);
    expect(await pageRoot.locator('[data-role="share-link"]').count()).toBe(0);
    const download = page.waitForEvent('download');
    await pageRoot.locator('[data-action="share-download"]').click();
    expect((await download).suggestedFilename()).toBe('blank.zip');
    await context.close();
  });

  test('a damaged link gets a sentence, and the page still opens', async () => {
    const context = await lab.browser.newContext();
    const page = await context.newPage();
    const errors = collectPageErrors(page).filter((e) => !e.includes('Share link not opened'));
    const pageRoot = await openPage(page, 'en/playground/#share=1.eJyrVkrOz0nVUbJSSU');
    await pageRoot.locator('[data-playground="blank"]').waitFor(WAIT);
    expect(await pageRoot.locator('[data-role="page-status"]').textContent()).toContain('This share link cannot be opened');
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('"Open in playground" on a guide playground', () => {
  test('opens the playground page in a new tab with the guide playground\'s files', async () => {
    const context = await lab.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${lab.site.url}/en/guide/redis-limiter/`);
    const guide = page.locator('[data-playground="redis-limiter"]').first();
    const config = '{"serviceName":"redis.static","servicePort":6379,"qpm":1}';
    await guide.evaluate((el, text) => (el as HTMLElement & { playground: Api }).playground.setFile('config.json', text), config);
    const popup = context.waitForEvent('page');
    await guide.locator('[data-action="open-in-playground"]').click();
    const tab = await popup;
    const restored = tab.locator('[data-playground-page] [data-playground="redis-limiter"]');
    await restored.waitFor(WAIT);
    expect(new URL(tab.url()).pathname).toBe('/en/playground/');
    expect(await getFile(restored, 'config.json')).toBe(config);
    expect(await run(restored)).toEqual(['200', '429', '429', '429', '200']);
    await context.close();
  });
});
