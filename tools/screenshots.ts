/**
 * `node --experimental-strip-types tools/screenshots.ts`: retakes the README's screenshots
 * (docs/screenshots/) from the built site in dist/ with Debian's Chromium: the limiter playground
 * after a Run, its timeline, and the step-by-step lesson, in both languages and both themes.
 * Build first (npm run build); zh-CN text needs fonts-noto-cjk.
 */
import { join, resolve } from 'node:path';
import { launchChromium } from '../tests/e2e/helpers/browser.ts';
import { serveStatic } from '../tests/e2e/helpers/static-server.ts';

const OUT = resolve(import.meta.dirname, '..', 'docs', 'screenshots');

interface Shot {
  file: string;
  path: string;
  theme: 'light' | 'dark';
  /** What to do before the picture; returns the element to frame. */
  show: 'playground' | 'timeline' | 'lesson';
}

const SHOTS: Shot[] = [
  { file: 'limiter-playground-zh-light.png', path: '/guide/redis-limiter/', theme: 'light', show: 'playground' },
  { file: 'limiter-playground-en-dark.png', path: '/en/guide/redis-limiter/', theme: 'dark', show: 'playground' },
  { file: 'limiter-timeline-en-light.png', path: '/en/guide/redis-limiter/', theme: 'light', show: 'timeline' },
  { file: 'limiter-timeline-zh-dark.png', path: '/guide/redis-limiter/', theme: 'dark', show: 'timeline' },
  { file: 'limiter-lesson-zh-light.png', path: '/guide/redis-limiter-lesson/#stage-4', theme: 'light', show: 'lesson' },
];

const site = await serveStatic();
const browser = await launchChromium();
try {
  for (const shot of SHOTS) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
    await page.addInitScript((theme) => localStorage.setItem('starlight-theme', theme), shot.theme);
    await page.goto(`${site.url}${shot.path}`);
    const scope = shot.show === 'lesson' ? page.locator('[data-lesson]') : page.locator('wasm-playground').first();
    const playground = shot.show === 'lesson' ? scope.locator('[data-stage-work="4"] wasm-playground') : scope;
    if (shot.show === 'lesson') await scope.locator('[data-action="diff"]').click();
    await playground.locator('[data-action="run"]').click();
    await playground.locator('[data-outcome]').first().waitFor({ timeout: 60_000 });
    if (shot.show === 'timeline') await playground.locator('[data-result-tab="timeline"]').click();
    await scope.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.evaluate(() => window.scrollBy(0, -110));
    await page.waitForTimeout(400);
    await page.screenshot({ path: join(OUT, shot.file) });
    console.log(`✓ docs/screenshots/${shot.file}`);
    await page.close();
  }
} finally {
  await browser.close();
  await site.close();
}
