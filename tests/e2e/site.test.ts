import { describe, expect, test } from 'vitest';
import { collectPageErrors } from './helpers/browser.ts';
import { useBuiltSite } from './helpers/built-site.ts';

const STEP_PAGES = ['guide/setup/', 'guide/redis-limiter/', 'guide/debugging/', 'examples/'];
const SIDEBAR = {
  zh: ['1 · 工具准备', '2 · 编写插件：Redis 限流', '3 · 本地调试', '4 · 更多示例', '参考'],
  en: ['1 · Tool setup', '2 · Write the Redis rate limiter', '3 · Local debugging', '4 · More examples', 'Reference'],
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
