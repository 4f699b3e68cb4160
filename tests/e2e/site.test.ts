import { globSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { collectPageErrors } from './helpers/browser.ts';
import { useBuiltSite } from './helpers/built-site.ts';

const STEP_PAGES = ['guide/setup/', 'guide/redis-limiter/', 'guide/debugging/', 'guide/deploy/', 'examples/'];
const SIDEBAR = {
  zh: ['1 · 工具准备', '2 · 编写插件：Redis 限流', '3 · 本地调试与部署', '4 · 更多示例', '参考'],
  en: ['1 · Tool setup', '2 · Write the Redis rate limiter', '3 · Local debugging and deploying', '4 · More examples', 'Reference'],
};

const lab = useBuiltSite();

async function visit(path: string) {
  const page = await lab.browser.newPage();
  const errors = collectPageErrors(page);
  const response = await page.goto(`${lab.site.url}/${path}`);
  return { page, errors, status: response?.status() };
}

describe('built site', () => {
  for (const [lang, prefix] of [['zh', ''], ['en', 'en/']] as const) {
    test(`serves the ${lang} home page with the four steps and no console errors`, async () => {
      const { page, errors, status } = await visit(prefix);
      expect(status).toBe(200);
      expect(await page.getAttribute('html', 'lang')).toBe(lang === 'zh' ? 'zh-CN' : 'en');
      const cards = await page.locator('.card-grid a').allTextContents();
      expect(cards.length).toBe(4);
      expect(errors).toEqual([]);
      await page.close();
    });

    for (const step of STEP_PAGES) {
      test(`serves /${prefix}${step} with the step groups in the sidebar and no console errors`, async () => {
        const { page, errors, status } = await visit(`${prefix}${step}`);
        expect(status).toBe(200);
        const groups = await page.locator('#starlight__sidebar details > summary').allTextContents();
        expect(groups.map((g) => g.trim())).toEqual(SIDEBAR[lang]);
        expect(await page.locator('main h1').textContent()).toBeTruthy();
        expect(errors).toEqual([]);
        await page.close();
      });
    }
  }

  test('switches from the zh-CN limiter page to its English twin with the language menu', async () => {
    const { page, errors } = await visit('guide/redis-limiter/');
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/en/guide/redis-limiter/'),
      page.locator('starlight-lang-select select').first().selectOption({ label: 'English' }),
    ]);
    expect(await page.locator('main h1').textContent()).toBe('Write the Redis rate limiter');
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/guide/redis-limiter/'),
      page.locator('starlight-lang-select select').first().selectOption({ label: '简体中文' }),
    ]);
    expect(await page.locator('main h1').textContent()).toBe('编写插件：Redis 限流');
    expect(errors).toEqual([]);
    await page.close();
  });
});

/** Every zh-CN page by its URL path, from its source in content/docs (partials start with `_`). */
function zhPages(): string[] {
  const docs = resolve(import.meta.dirname, '../../content/docs');
  return globSync('**/*.{md,mdx}', { cwd: docs })
    .filter((file) => !file.startsWith('en/') && !basename(file).startsWith('_'))
    .map((file) => file.replace(/\.mdx?$/, ''))
    .map((slug) => (slug === '404' ? '404.html' : `${slug.replace(/(^|\/)index$/, '')}/`.replace(/^\/$/, '')))
    .sort();
}

/**
 * Runs in the page: the text of each box in <main> (an element the browser does not lay out
 * inline), with code replaced by a marker, so a match never spans two boxes or code's own spacing.
 */
function mainTextRuns(): string[] {
  const boxOf = (el: Element): Element => {
    for (let e: Element | null = el; e; e = e.parentElement) {
      if (!getComputedStyle(e).display.startsWith('inline')) return e;
    }
    return el;
  };
  const runs = new Map<Element, string>();
  const walker = document.createTreeWalker(document.querySelector('main')!, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement!;
    const box = boxOf(parent);
    runs.set(box, (runs.get(box) ?? '') + (parent.closest('pre, code, script, style') ? '\u0000' : node.textContent));
  }
  return [...runs.values()];
}

// A source line break between two Han or kana characters or CJK/full-width punctuation: the HTML
// keeps the newline, so this finds exactly the breaks that would show as a space.
const CJK = '[\\p{sc=Han}\\u3000-\\u30FF\\uFF01-\\uFF60]';
const CJK_BREAK = new RegExp(`${CJK}[ \\t]*\\n\\s*${CJK}`, 'gu');

describe('zh-CN text', () => {
  test('has no line break between two Chinese characters in the main content of any page', async () => {
    const pages = zhPages();
    expect(pages).toContain('guide/redis-limiter/');
    const gaps: string[] = [];
    for (const path of pages) {
      const page = await lab.browser.newPage();
      await page.goto(`${lab.site.url}/${path}`);
      for (const run of await page.evaluate(mainTextRuns)) {
        for (const m of run.matchAll(CJK_BREAK)) gaps.push(`/${path}: …${run.slice(Math.max(0, m.index - 8), m.index + m[0].length + 8).replace(/\n/g, "⏎")}…`);
      }
      await page.close();
    }
    expect(gaps).toEqual([]);
  });
});
