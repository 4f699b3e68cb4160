/**
 * The playground under `npm run dev` on a fresh clone: a Run clicked while its plugin is still
 * building waits for the build and then shows the outcomes, with no page reload. Every `go build`
 * is held until the test releases it (tests/helpers/dev-server.ts).
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startHeldDevServer, type HeldDevServer } from '../helpers/dev-server.ts';
import { hasGo } from '../helpers/plugins.ts';
import { collectPageErrors, launchChromium } from './helpers/browser.ts';

const NO_GO = hasGo() ? '' : ' (skipped: Go ≥ 1.24 is not on PATH)';
/** After the release, hello-world is the second plugin built; a loaded machine stretches that. */
const WAIT = { timeout: 150_000 };

describe.skipIf(NO_GO)(`the playground under npm run dev${NO_GO}`, () => {
  let dev: HeldDevServer;
  let browser: Browser;
  beforeAll(async () => {
    dev = await startHeldDevServer();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    dev?.close();
  });

  test('a Run clicked while its plugin is still building waits, then shows the outcomes without a reload', async () => {
    const page = await (await browser.newContext()).newPage();
    const errors = collectPageErrors(page);
    // A fresh Vite server keeps one full reload from its startup for the first page that connects;
    // let this first page take it, so it cannot be mistaken for a reload caused by the builds.
    await page.goto(`${dev.url}/`);
    await page.waitForEvent('framenavigated', { timeout: 10_000 }).catch(() => {});
    await page.goto(`${dev.url}/examples/hello-world/`);
    let reloads = 0;
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) reloads++;
    });
    const root = page.locator('[data-playground="hello-world"]').first();
    expect(await root.getAttribute('data-wasm-url')).toMatch(/\?v=pending$/);
    await root.locator('[data-action="run"]').click();
    // Held: no outcome and no failure, only the status a Run shows while the plugin loads.
    await page.waitForTimeout(2_000);
    expect(await root.locator('[data-outcome], [data-failure]').count()).toBe(0);
    expect(await root.locator('[data-action="run"]').getAttribute('aria-busy')).toBe('true');
    dev.release();
    await root.locator('[data-outcome]').first().waitFor(WAIT);
    expect(await root.locator('[data-failure]').count()).toBe(0);
    expect(reloads).toBe(0);
    expect(errors).toEqual([]);
  }, 240_000);
});
