/**
 * `npm run bench` (browser part): what a guide page costs before the reader touches anything, and
 * how long Run takes to rendered outcomes, in headless Debian Chromium against the built site.
 *   node --experimental-strip-types bench/browser.ts     (run `npm run build` first)
 */
import { gzipSync } from 'node:zlib';
import { launchChromium } from '../tests/e2e/helpers/browser.ts';
import { serveStatic } from '../tests/e2e/helpers/static-server.ts';

const WARM_RUNS = 10;
const PAGES = ['guide/redis-limiter/', 'en/guide/redis-limiter/', 'guide/setup/'];

const site = await serveStatic();
const browser = await launchChromium();
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

console.log(`browser bench — ${browser.version()}, headless\n`);
console.log('JS a page loads before any interaction (gzip, as served by a compressing host):');
for (const path of PAGES) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const scripts: Array<{ url: string; gz: number }> = [];
  page.on('response', async (response) => {
    if (response.request().resourceType() !== 'script') return;
    const body = await response.body().catch(() => Buffer.alloc(0));
    scripts.push({ url: new URL(response.url()).pathname, gz: gzipSync(body).length });
  });
  await page.goto(`${site.url}/${path}`, { waitUntil: 'networkidle' });
  const total = scripts.reduce((n, s) => n + s.gz, 0);
  const monaco = scripts.some((s) => /monaco|editor\.api/.test(s.url));
  console.log(`  /${path.padEnd(26)} ${kb(total).padStart(9)} in ${scripts.length} files${monaco ? '  (includes Monaco!)' : ''}`);
  if (process.argv.includes('--files')) for (const s of scripts.sort((a, b) => b.gz - a.gz)) console.log(`      ${kb(s.gz).padStart(9)}  ${s.url}`);
  await context.close();
}

console.log('\nRun → outcomes rendered (performance measure "wasm-lab:run"), redis-limiter scenario, Monaco not loaded:');
const context = await browser.newContext();
const page = await context.newPage();
await page.goto(`${site.url}/guide/redis-limiter/`, { waitUntil: 'networkidle' });
const root = page.locator('[data-playground="redis-limiter"]').first();
const runOnce = async () => {
  const before = await page.evaluate(() => performance.getEntriesByName('wasm-lab:run').length);
  await root.locator('[data-action="run"]').click();
  await page.waitForFunction((n) => performance.getEntriesByName('wasm-lab:run').length > n, before);
  return page.evaluate(() => performance.getEntriesByName('wasm-lab:run').at(-1)!.duration);
};
const cold = await runOnce();
// A second page, where the reader's pointer reached the playground a moment before Run: the
// worker and the compiled plugin are ready (the playground warms them on first interaction).
const prewarmedPage = await context.newPage();
await prewarmedPage.goto(`${site.url}/en/guide/redis-limiter/`, { waitUntil: 'networkidle' });
await prewarmedPage.locator('[data-playground="redis-limiter"]').first().hover();
await prewarmedPage.waitForTimeout(1500);
await prewarmedPage.locator('[data-playground="redis-limiter"] [data-action="run"]').first().click();
await prewarmedPage.waitForFunction(() => performance.getEntriesByName('wasm-lab:run').length > 0);
const prewarmed = await prewarmedPage.evaluate(() => performance.getEntriesByName('wasm-lab:run')[0]!.duration);
const warm: number[] = [];
for (let i = 0; i < WARM_RUNS; i++) warm.push(await runOnce());
warm.sort((a, b) => a - b);
console.log(`  cold (first Run: worker start, plugin download + compile, run, render): ${cold.toFixed(0)} ms`);
console.log(`  first Run after the pointer rested on the playground for 1.5 s (worker and plugin warmed): ${prewarmed.toFixed(0)} ms`);
console.log(`  warm (median of ${WARM_RUNS}, min ${warm[0]!.toFixed(0)}, max ${warm.at(-1)!.toFixed(0)}): ${warm[Math.floor(WARM_RUNS / 2)]!.toFixed(0)} ms`);
await context.close();
await browser.close();
await site.close();
