/**
 * The step-by-step lesson (Lesson.astro): moving between stages, what changed since the stage
 * before, the finished stage and the previous stage's code in the playground, and a stage marked
 * done once a run passes its checks, remembered across a reload. In both languages.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { collectPageErrors } from './helpers/browser.ts';
import { useBuiltSite } from './helpers/built-site.ts';

const ROOT = join(import.meta.dirname, '../..');
const mainGo = (example: string) => readFileSync(join(ROOT, 'examples', example, 'main.go'), 'utf8');
const WAIT = { timeout: 60_000 };
const lab = useBuiltSite();

type Api = { getFile(name: string): string; setFile(name: string, text: string): void };

describe.each([
  ['zh-CN', '/guide/redis-limiter-lesson/', /第 1 阶段，共 5 个/, /与第 3 阶段相比/],
  ['en', '/en/guide/redis-limiter-lesson/', /Stage 1 of 5/, /since stage 3/],
])('the limiter lesson (%s)', (_lang, path, firstCounter, diffTitle) => {
  test('steps through the stages, shows what changed, and puts the finished or previous code in the playground', async () => {
    const page = await lab.browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors = collectPageErrors(page);
    await page.goto(`${lab.site.url}${path}`);
    const lesson = page.locator('[data-lesson="redis-limiter"]');
    const visibleStage = () => lesson.locator('[data-stage]:visible').getAttribute('data-stage');
    await expect.poll(visibleStage).toBe('1');
    expect(await lesson.locator('[data-stage="1"] .lesson-counter').textContent()).toMatch(firstCounter);
    expect(await lesson.locator('[data-action="prev"]').isDisabled()).toBe(true);

    await lesson.locator('[data-action="next"]').click();
    await expect.poll(visibleStage).toBe('2');
    expect(new URL(page.url()).hash).toBe('#stage-2');
    await lesson.locator('[data-stage-link="4"]').click();
    await expect.poll(visibleStage).toBe('4');
    expect(await lesson.locator('[data-stage-work="4"]').isVisible()).toBe(true);
    expect(await lesson.locator('[data-stage-work="3"]').isVisible()).toBe(false);

    // What changed: a line stage 4 added is shown as added.
    const before = new Set(mainGo('limiter-step-3').split('\n'));
    const addedLine = mainGo('limiter-step-4').split('\n').find((l) => l.trim().length > 30 && !before.has(l))!;
    await lesson.locator('[data-action="diff"]').click();
    const diff = lesson.locator('[data-role="diff"]');
    await diff.locator('.wl-diff').waitFor(WAIT);
    expect(await diff.locator('.wl-diff-title').textContent()).toMatch(diffTitle);
    expect(await diff.locator('.wl-diff-add').allTextContents()).toContain(`+ ${addedLine}\n`);

    const playground = lesson.locator('[data-stage-work="4"] wasm-playground');
    const file = () => playground.evaluate((el) => (el as unknown as { playground: Api }).playground.getFile('main.go'));
    await lesson.locator('[data-action="start-over"]').click();
    await expect.poll(file, WAIT).toBe(mainGo('limiter-step-3'));
    await lesson.locator('[data-action="solve"]').click();
    await expect.poll(file, WAIT).toBe(mainGo('limiter-step-4'));
    expect(errors).toEqual([]);
    await page.close();
  });

  test('marks a stage done when a run passes its checks, and remembers it and the stage', async () => {
    const context = await lab.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${lab.site.url}${path}#stage-2`);
    const lesson = page.locator('[data-lesson="redis-limiter"]');
    const mark = lesson.locator('[data-stage-link="2"] [data-role="done"]');
    expect(await mark.isVisible()).toBe(false);
    const playground = lesson.locator('[data-stage-work="2"] wasm-playground');
    await playground.locator('[data-action="run"]').click();
    await playground.locator('.wl-check-summary[data-checks="pass"]').waitFor(WAIT);
    await mark.waitFor({ state: 'visible' });
    await page.goto(`${lab.site.url}${path}`);
    await expect.poll(() => lesson.locator('[data-stage]:visible').getAttribute('data-stage')).toBe('2');
    expect(await lesson.locator('[data-stage-link="2"] [data-role="done"]').isVisible()).toBe(true);
    expect(await lesson.locator('[data-stage-link="1"] [data-role="done"]').isVisible()).toBe(false);
    expect(errors).toEqual([]);
    await context.close();
  });
});
