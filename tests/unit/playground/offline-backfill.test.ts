/** What a page asks the service worker to keep after loading (src/playground/offline/backfill.ts). */
import { describe, expect, test } from 'vitest';
import { BACKFILL, chunkImports, isBackfillMessage, MAX_BACKFILL, planBackfill } from '../../../src/playground/offline/backfill.ts';

const SCOPE = 'https://lab.example/';

describe('planBackfill', () => {
  test('keeps the page as a page, the assets as assets, and drops what the worker bypasses', () => {
    const plan = planBackfill(
      [
        { url: 'https://lab.example/en/guide/redis-limiter/#run-it-first', page: true, loaded: true },
        { url: 'https://lab.example/_astro/page.cNngjUgL.js', loaded: true },
        { url: 'https://lab.example/_astro/harness-worker-Cee0U2JD.js', loaded: true, worker: true },
        { url: 'https://lab.example/wasm/redis-limiter.wasm.gz?v=1', loaded: false },
        { url: 'https://lab.example/favicon.svg', loaded: true, worker: true },
        { url: 'https://lab.example/go/go1.24.4/manifest.json', loaded: true },
        { url: 'https://fonts.example/x.woff2', loaded: true },
        { url: 'https://lab.example/sw.js', loaded: true },
        { url: 'not a url', loaded: true },
        { url: 'https://lab.example/_astro/page.cNngjUgL.js', loaded: true },
      ],
      SCOPE,
    );
    expect(plan).toEqual([
      { url: 'https://lab.example/en/guide/redis-limiter/', bucket: 'pages', mayDownload: true, scanImports: false },
      { url: 'https://lab.example/_astro/page.cNngjUgL.js', bucket: 'assets', mayDownload: true, scanImports: false },
      { url: 'https://lab.example/_astro/harness-worker-Cee0U2JD.js', bucket: 'assets', mayDownload: true, scanImports: true },
      { url: 'https://lab.example/wasm/redis-limiter.wasm.gz?v=1', bucket: 'assets', mayDownload: false, scanImports: false },
      { url: 'https://lab.example/favicon.svg', bucket: 'assets', mayDownload: true, scanImports: false },
    ]);
  });

  test('asks for at most MAX_BACKFILL entries', () => {
    const many = Array.from({ length: MAX_BACKFILL + 50 }, (_, i) => ({ url: `https://lab.example/_astro/c${i}.js`, loaded: true }));
    expect(planBackfill(many, SCOPE)).toHaveLength(MAX_BACKFILL);
  });
});

describe('chunkImports', () => {
  test('finds a bundled worker\'s relative chunks in any quotes, resolved against the script', () => {
    const script = 'let a=()=>import(`./lua-scripting-cOfFwAXc.js`);import{x as y}from"./shared.B1.js";import"./side.js";const s="./not-an-import.js";';
    expect(chunkImports(script, 'https://lab.example/_astro/harness-worker-Cee0U2JD.js')).toEqual([
      'https://lab.example/_astro/lua-scripting-cOfFwAXc.js',
      'https://lab.example/_astro/shared.B1.js',
      'https://lab.example/_astro/side.js',
    ]);
  });

  test('ignores bare and absolute specifiers', () => {
    expect(chunkImports('import("fengari");import x from"https://cdn.example/x.js";', 'https://lab.example/_astro/w.js')).toEqual([]);
  });
});

describe('isBackfillMessage', () => {
  test('accepts only the page\'s message', () => {
    expect(isBackfillMessage({ type: BACKFILL, entries: [{ url: 'https://lab.example/', loaded: true }] })).toBe(true);
    expect(isBackfillMessage({ type: BACKFILL, entries: [] })).toBe(true);
    expect(isBackfillMessage({ type: 'other', entries: [] })).toBe(false);
    expect(isBackfillMessage({ type: BACKFILL, entries: [{ href: 'x' }] })).toBe(false);
    expect(isBackfillMessage({ type: BACKFILL, entries: [null] })).toBe(false);
    expect(isBackfillMessage(null)).toBe(false);
    expect(isBackfillMessage('wasm-lab:offline-backfill')).toBe(false);
  });
});
