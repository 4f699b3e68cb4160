/**
 * Monaco (about 4.7 MB of JS and 390 KB of CSS) is fetched when a reader opens an editor and never
 * with a page, and once loaded it throws nothing.
 */
import type { Page, Response } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { collectPageErrors } from './helpers/browser.ts';
import { useBuiltSite } from './helpers/built-site.ts';

const lab = useBuiltSite();

// Chunk names are Rolldown's choice (`format.*.js` holds most of the editor today), so Monaco's
// files are recognised by what they contain: its environment hook, or hundreds of `.monaco-` rules.
function monacoKind(response: Response, body: string): 'js' | 'css' | null {
  const type = response.headers()['content-type'] ?? '';
  if (type.includes('javascript') && body.includes('MonacoEnvironment')) return 'js';
  if (type.includes('css') && (body.match(/\.monaco-/g)?.length ?? 0) >= 50) return 'css';
  return null;
}

/** Every Monaco file the page fetches, as `kind path`, in the order they arrive. */
function recordMonaco(page: Page): { seen: string[]; settled(): Promise<void> } {
  const seen: string[] = [];
  const pending: Promise<void>[] = [];
  page.on('response', (response) => {
    if (!new URL(response.url()).pathname.startsWith('/_astro/')) return;
    pending.push(
      response
        .text()
        .then((body) => {
          const kind = monacoKind(response, body);
          if (kind) seen.push(`${kind} ${new URL(response.url()).pathname}`);
        })
        .catch(() => undefined),
    );
  });
  return { seen, settled: async () => void (await Promise.all(pending)) };
}

describe('Monaco', () => {
  for (const path of ['', 'guide/setup/', 'guide/redis-limiter/']) {
    test(`is not fetched by /${path} before the reader opens an editor`, async () => {
      const page = await lab.browser.newPage();
      const monaco = recordMonaco(page);
      await page.goto(`${lab.site.url}/${path}`, { waitUntil: 'networkidle' });
      await monaco.settled();
      expect(monaco.seen).toEqual([]);
      await page.close();
    });
  }

  test('loads its JS and CSS when config.json is opened, and edits, tabs, code editing and F8 throw nothing', async () => {
    const page = await lab.browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors = collectPageErrors(page);
    const monaco = recordMonaco(page);
    await page.goto(`${lab.site.url}/guide/redis-limiter/`, { waitUntil: 'networkidle' });
    const playground = page.locator('[data-playground="redis-limiter"]').first();

    await playground.locator('[data-tab="config.json"]').click();
    const config = playground.locator('[data-editor="config.json"] .monaco-editor');
    await config.waitFor({ timeout: 60_000 });
    await monaco.settled();
    expect(monaco.seen.filter((file) => file.startsWith('js ')).length).toBeGreaterThan(0);
    expect(monaco.seen.filter((file) => file.startsWith('css '))).toHaveLength(1);

    await config.locator('.view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' ');
    await playground.locator('[data-tab="scenario.yaml"]').click();
    await playground.locator('[data-tab="main.go"]').click();
    await playground.locator('[data-action="edit-code"]').click();
    const code = playground.locator('[data-editor="main.go"] .monaco-editor');
    await code.waitFor({ timeout: 60_000 });
    await code.locator('.view-lines').click();
    // F8: go to the next problem, a contribution that needs a service of its own.
    await page.keyboard.press('F8');
    // Monaco reports a failed contribution asynchronously; give it time to surface.
    await page.waitForTimeout(1000);
    expect(errors).toEqual([]);
    await page.close();
  });
});
