/**
 * `npm run bench` (page weight): what the home page, a plain guide page and the limiter page cost a
 * reader who has not touched anything yet, on the built site served gzip-compressed by a plain static
 * server: bytes by type (and Monaco's, which must be none), the limiter page's HTML size and element
 * count, and Lighthouse's mobile performance figures. Each target is marked met or NOT met; the bench
 * exits non-zero only when it could not measure. Run → outcomes rendered is in bench/browser.ts.
 *   node --experimental-strip-types bench/page-weight.ts [--runs 3] [--files]     (run `npm run build` first)
 */
import { statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Request } from 'playwright-core';
import { launchChromium } from '../tests/e2e/helpers/browser.ts';
import { serveStatic } from '../tests/e2e/helpers/static-server.ts';
import { startLighthouse } from './lighthouse.ts';
import { monacoAssets } from './monaco-assets.ts';

const DIST = resolve(import.meta.dirname, '../dist');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, files: { type: 'boolean', default: false } } });
const RUNS = Math.max(1, Number(values.runs));

const LIMITER = 'guide/redis-limiter/';
const PAGES = [
  { path: '', minScore: 98 },
  { path: 'guide/setup/', minScore: 98 },
  { path: LIMITER, minScore: 95 },
];
const MAX_HTML_BYTES = 150 * 1024;
const MAX_ELEMENTS = 3000;
const TYPES = ['html', 'css', 'js', 'wasm', 'font', 'other'] as const;
type Kind = (typeof TYPES)[number];

const started = performance.now();
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const unmet: string[] = [];
/** "met" or "NOT met", remembering the misses for the summary. */
const check = (ok: boolean, what: string) => {
  if (!ok) unmet.push(what);
  return ok ? 'met' : 'NOT met';
};

function kindOf(request: Request, contentType: string): Kind {
  const path = new URL(request.url()).pathname;
  if (/\.wasm(\.br)?$/.test(path) || contentType.startsWith('application/wasm')) return 'wasm';
  switch (request.resourceType()) {
    case 'document':
      return 'html';
    case 'stylesheet':
      return 'css';
    case 'script':
      return 'js';
    case 'font':
      return 'font';
  }
  if (/\.(ttf|woff2?)$/.test(path)) return 'font';
  if (/\.m?js$/.test(path)) return 'js';
  if (path.endsWith('.css')) return 'css';
  return 'other';
}

interface Loaded {
  url: string;
  kind: Kind;
  transferred: number;
  decoded: number;
  monaco: boolean;
}

const monaco = monacoAssets(DIST);
const site = await serveStatic(DIST, { compress: 'gzip' });
const browser = await launchChromium();
console.log(`page-weight bench — ${browser.version()}, headless; dist/ served gzip-compressed by a static server\n`);

console.log('Bytes before any interaction (load + network idle, desktop viewport), transferred / decoded:');
console.log(`  ${'page'.padEnd(22)} ${['total', ...TYPES].map((t) => t.padStart(20)).join('')}  requests  Monaco requests (target 0)`);
let limiterElements = 0;
let limiterHtmlTransferred = 0;
for (const { path } of PAGES) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const pending: Array<Promise<Loaded>> = [];
  page.on('requestfinished', (request) => {
    pending.push(
      (async () => {
        const response = await request.response();
        const sizes = await request.sizes();
        const body = await response?.body().catch(() => null);
        const url = new URL(request.url()).pathname;
        return {
          url,
          kind: kindOf(request, (await response?.headerValue('content-type')) ?? ''),
          transferred: sizes.responseHeadersSize + sizes.responseBodySize,
          decoded: body?.length ?? sizes.responseBodySize,
          monaco: url.startsWith('/_astro/') && monaco.has(basename(url)),
        };
      })(),
    );
  });
  await page.goto(`${site.url}/${path}`, { waitUntil: 'load' });
  await page.waitForLoadState('networkidle');
  const loaded = await Promise.all(pending);
  if (path === LIMITER) limiterElements = await page.evaluate(() => document.querySelectorAll('*').length);
  await context.close();

  const sum = (xs: Loaded[], k: 'transferred' | 'decoded') => xs.reduce((n, x) => n + x[k], 0);
  const cell = (xs: Loaded[]) => (xs.length ? `${kb(sum(xs, 'transferred'))} / ${kb(sum(xs, 'decoded'))}` : '—').padStart(20);
  const ofMonaco = loaded.filter((l) => l.monaco);
  if (path === LIMITER) limiterHtmlTransferred = sum(loaded.filter((l) => l.kind === 'html'), 'transferred');
  const monacoCell = ofMonaco.length === 0 ? '0 — met' : `${ofMonaco.length}, ${kb(sum(ofMonaco, 'transferred'))} — ${check(false, `/${path}: Monaco loaded before interaction`)}`;
  console.log(`  /${path.padEnd(21)} ${[cell(loaded), ...TYPES.map((t) => cell(loaded.filter((l) => l.kind === t)))].join('')}  ${String(loaded.length).padStart(8)}  ${monacoCell}`);
  for (const l of values.files ? loaded.sort((a, b) => b.transferred - a.transferred) : ofMonaco) {
    console.log(`      ${kb(l.transferred).padStart(10)} / ${kb(l.decoded).padStart(10)}  ${l.kind.padEnd(5)} ${l.url}${l.monaco ? '  (Monaco)' : ''}`);
  }
}
await browser.close();

const htmlBytes = statSync(join(DIST, LIMITER, 'index.html')).size;
console.log(`\nLimiter page (/${LIMITER}):`);
console.log(`  HTML: ${kb(htmlBytes)} (${htmlBytes} bytes; ${kb(limiterHtmlTransferred)} transferred gzip) — target ≤ ${kb(MAX_HTML_BYTES)} ${check(htmlBytes <= MAX_HTML_BYTES, 'limiter page HTML size')}`);
console.log(`  DOM elements after load (document.querySelectorAll('*').length): ${limiterElements} — target ≤ ${MAX_ELEMENTS} ${check(limiterElements <= MAX_ELEMENTS, 'limiter page DOM elements')}`);

const lighthouse = await startLighthouse();
const rows: string[] = [];
const warnings: string[] = [];
for (const { path, minScore } of PAGES) {
  const f = await lighthouse.measure(`${site.url}/${path}`, RUNS);
  const score = `${Math.round(f.score)} (≥ ${minScore} ${check(Math.round(f.score) >= minScore, `/${path}: Lighthouse score ${Math.round(f.score)} < ${minScore}`)})`;
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`.padStart(8);
  rows.push(
    `  /${path.padEnd(21)} ${score.padEnd(18)} ${s(f.lcpMs)} ${`${Math.round(f.tbtMs)} ms`.padStart(9)} ${s(f.fcpMs)} ${f.cls.toFixed(3).padStart(6)} ${s(f.siMs)} ${String(Math.round(f.domSize)).padStart(9)} ${kb(f.totalByteWeight).padStart(12)}   ${f.scores.map(Math.round).join(' / ').padEnd(16)} ${Math.round(f.benchmarkIndex)}`,
  );
  for (const w of f.warnings) warnings.push(`  /${path}: ${w}`);
}
await lighthouse.close();
await site.close();
console.log(`\n${lighthouse.version}, performance only, median of ${RUNS} run(s) per figure:`);
console.log(
  `  ${'page'.padEnd(22)} ${'score (target)'.padEnd(18)} ${'LCP'.padStart(8)} ${'TBT'.padStart(9)} ${'FCP'.padStart(8)} ${'CLS'.padStart(6)} ${'SI'.padStart(8)} ${'DOM (LH)'.padStart(9)} ${'bytes (LH)'.padStart(12)}   ${'each run'.padEnd(16)} CPU index`,
);
console.log(rows.join('\n'));
if (warnings.length) console.log(`Lighthouse warnings:\n${warnings.join('\n')}`);

console.log(unmet.length ? `\nTargets NOT met (${unmet.length}):\n${unmet.map((u) => `  - ${u}`).join('\n')}` : '\nAll page-weight targets met.');
console.log(`page-weight bench took ${((performance.now() - started) / 1000).toFixed(0)} s`);
