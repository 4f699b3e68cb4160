/**
 * `npm run bench` (in-browser Go part): what the Go toolchain costs a reader who edits main.go —
 * bytes to download (gzip as served; brotli for comparison), the first build after download and a
 * warm build, in headless Chromium against the built site.
 *   node --experimental-strip-types bench/go-build.ts     (run `npm run build` first)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { gunzipSync } from 'node:zlib';
import { launchChromium } from '../tests/e2e/helpers/browser.ts';
import { serveStatic } from '../tests/e2e/helpers/static-server.ts';

const ROOT = join(import.meta.dirname, '..');
const manifestPath = join(ROOT, 'public/wasm/manifest.json');
const goVersion = (JSON.parse(readFileSync(manifestPath, 'utf8')) as { goVersion: string }).goVersion;
const goDir = join(ROOT, 'public/go', goVersion);
const published = JSON.parse(readFileSync(join(goDir, 'manifest.json'), 'utf8')) as {
  compile: { file: string; gzipBytes: number };
  link: { file: string; gzipBytes: number };
  examples: Record<string, { packages: Array<[string, string]> }>;
  archives: Record<string, { file: string; gzipBytes: number; sizeBytes: number }>;
};

const files = [published.compile.file, published.link.file, ...published.examples['redis-limiter']!.packages.map(([, a]) => published.archives[a]!.file)];
let gzip = 0;
let brotli = 0;
let raw = 0;
for (const file of files) {
  const gz = readFileSync(join(goDir, file));
  const bytes = gunzipSync(gz);
  gzip += gz.length;
  raw += bytes.length;
  brotli += brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } }).length;
}
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
console.log(`in-browser Go build — ${goVersion}, redis-limiter (compile.wasm + link.wasm + ${files.length - 2} archives)`);
console.log(`  download: ${mb(gzip)} gzip as served, ${mb(brotli)} brotli (quality 9), ${mb(raw)} raw`);

const site = await serveStatic();
const browser = await launchChromium();
const page = await browser.newPage();
await page.goto(`${site.url}/guide/redis-limiter/`, { waitUntil: 'networkidle' });
const root = page.locator('[data-playground="redis-limiter"]').first();
const source = readFileSync(join(ROOT, 'examples/redis-limiter/main.go'), 'utf8');
const timeRun = (text: string) =>
  root.evaluate(async (el, code) => {
    const api = (el as HTMLElement & { playground: { setFile(n: string, t: string): void; run(): Promise<unknown> } }).playground;
    api.setFile('main.go', code);
    const t0 = performance.now();
    await api.run();
    return performance.now() - t0;
  }, text);
const first = await timeRun(source.replace('SendHttpResponse(429,', 'SendHttpResponse(503,'));
const afterDownload = await page.evaluate(() => performance.now() - performance.getEntriesByName('wasm-lab:build:compile')[0]!.startTime);
const warm: number[] = [];
for (let i = 0; i < 3; i++) warm.push(await timeRun(source.replace('SendHttpResponse(429,', `SendHttpResponse(${510 + i},`)));
const cachedRebuild = await timeRun(source.replace('SendHttpResponse(429,', 'SendHttpResponse(510,'));
console.log(`  first edit → outcomes (download from localhost + compile tools + build + run): ${(first / 1000).toFixed(1)} s`);
console.log(`  first build after the download (compile + link + run, tools compiled by the browser on first use): ${(afterDownload / 1000).toFixed(1)} s`);
console.log(`  warm edit → outcomes (median of 3): ${(warm.sort((a, b) => a - b)[1]! / 1000).toFixed(1)} s`);
console.log(`  unchanged code again (content-hash cache, no rebuild): ${cachedRebuild.toFixed(0)} ms`);
await browser.close();
await site.close();
