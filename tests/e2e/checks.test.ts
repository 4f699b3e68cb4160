/**
 * The scenario's expect blocks in the browser: the playground shows ✓ or ✗ per checked request,
 * the difference for a ✗ in the page's language, and a summary above the list. Expected values
 * come from the scenario or from the run itself, never from knowledge of the plugin.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Locator } from 'playwright-core';
import { collectPageErrors } from './helpers/browser.ts';
import { useBuiltSite } from './helpers/built-site.ts';

const DOCS = join(import.meta.dirname, '../../content/docs');

/** Three requests let through, then one the plugin turns away: what the guide's config (qpm 3) promises. */
const HOLDS = `clusters: [{ type: redis, name: redis.static }]
requests:
  - path: /get
    repeat: 3
    every: 1s
    expect: { status: 200, source: upstream }
  - path: /get
    at: 3s
    expect: { status: 429, source: plugin }
`;
/** The same, with the last request's status expectation wrong. */
const WRONG = HOLDS.replace('status: 429', 'status: 200');

const lab = useBuiltSite();

interface RunSummary {
  statuses: number[];
  checks: { checked: number; passed: number; byOutcome: Array<unknown[] | null> };
}

/** Sets the scenario through the script API, runs, and returns what the page got back. */
async function runScenario(root: Locator, yaml: string): Promise<RunSummary | null> {
  return root.evaluate(async (el, text) => {
    type Api = { setFile(name: string, text: string): void; run(): Promise<(RunSummary & { outcomes: Array<{ status: number }> }) | null> };
    const playground = (el as HTMLElement & { playground: Api }).playground;
    playground.setFile('scenario.yaml', text);
    const result = await playground.run();
    return result && { statuses: result.outcomes.map((o) => o.status), checks: result.checks };
  }, yaml);
}

/** What the requests panel shows: the summary line, and each request's badge and differences. */
async function readChecks(root: Locator) {
  const summary = root.locator('.wl-check-summary');
  return {
    summary: (await summary.count()) ? await summary.textContent() : null,
    summaryState: (await summary.count()) ? await summary.getAttribute('data-checks') : null,
    requests: await root.locator('[data-outcome]').evaluateAll((items) =>
      items.map((item) => {
        const badge = item.querySelector('summary [data-check]');
        return {
          check: badge?.getAttribute('data-check') ?? null,
          label: badge?.getAttribute('aria-label') ?? null,
          isOpen: item.querySelector('details')?.open ?? false,
          diffs: [...item.querySelectorAll('.wl-check-diff')].map((d) => d.textContent),
        };
      }),
    ),
  };
}

async function openLimiter(path: string) {
  const context = await lab.browser.newContext();
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await page.goto(`${lab.site.url}/${path}`);
  return { context, errors, root: page.locator('[data-playground="redis-limiter"]').first() };
}

describe('checks on the redis-limiter page', () => {
  test('marks every request ✓ when the expectations hold, and one ✗ with the difference when one is wrong (zh-CN)', async () => {
    const { context, errors, root } = await openLimiter('guide/redis-limiter/');

    const holds = await runScenario(root, HOLDS);
    expect(holds?.checks).toMatchObject({ checked: 4, passed: 4 });
    const shown = await readChecks(root);
    expect(shown.summary).toBe('✓4 个检查中 4 个通过');
    expect(shown.summaryState).toBe('pass');
    expect(shown.requests.map((r) => [r.check, r.label, r.isOpen, r.diffs])).toEqual(Array(4).fill(['pass', '检查通过', false, []]));

    const wrong = await runScenario(root, WRONG);
    const actual = wrong!.statuses[3];
    expect(wrong?.checks).toMatchObject({ checked: 4, passed: 3 });
    const failed = await readChecks(root);
    expect(failed.summary).toBe('✗4 个检查中 3 个通过');
    expect(failed.summaryState).toBe('fail');
    expect(failed.requests.map((r) => r.check)).toEqual(['pass', 'pass', 'pass', 'fail']);
    expect(failed.requests[3]).toEqual({ check: 'fail', label: '检查未通过', isOpen: true, diffs: [`status：应为 200，实际为 ${actual}`] });
    expect(errors).toEqual([]);
    await context.close();
  });

  test('words the summary, the badges and the difference in English on the English page', async () => {
    const { context, errors, root } = await openLimiter('en/guide/redis-limiter/');
    await runScenario(root, HOLDS);
    expect((await readChecks(root)).summary).toBe('✓4 of 4 checks pass');

    const wrong = await runScenario(root, WRONG);
    const failed = await readChecks(root);
    expect(failed.summary).toBe('✗3 of 4 checks pass');
    expect(failed.requests.map((r) => r.label)).toEqual(['Checks pass', 'Checks pass', 'Checks pass', 'Checks fail']);
    expect(failed.requests[3]!.diffs).toEqual([`status: expected 200, got ${wrong!.statuses[3]}`]);
    expect(errors).toEqual([]);
    await context.close();
  });

  test('shows no summary and no badge for a scenario without expect blocks', async () => {
    const { context, root } = await openLimiter('en/guide/redis-limiter/');
    const result = await runScenario(root, 'clusters: [{ type: redis, name: redis.static }]\nrequests:\n  - path: /get\n');
    expect(result?.checks).toMatchObject({ checked: 0, passed: 0 });
    const shown = await readChecks(root);
    expect(shown.summary).toBeNull();
    expect(shown.requests).toEqual([{ check: null, label: null, isOpen: false, diffs: [] }]);
    await context.close();
  });
});

/** Every zh-CN page with a playground, as a site path (`guide/redis-limiter/`); English pages embed the same files. */
function pagesWithPlaygrounds(dir = DOCS): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'en' && dir === DOCS ? [] : pagesWithPlaygrounds(path);
    if (!/\.mdx$/.test(entry.name) || !readFileSync(path, 'utf8').includes('<Playground')) return [];
    return [`${relative(DOCS, path).replace(/(^|\/)index\.mdx$/, '$1').replace(/\.mdx$/, '/')}`];
  });
}

describe('checks of every playground as it starts', () => {
  test('pass for the scenario each playground opens with', async () => {
    const pages = pagesWithPlaygrounds();
    expect(pages).toContain('guide/redis-limiter/');
    const context = await lab.browser.newContext();
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    const verdicts: string[] = [];
    for (const path of pages) {
      await page.goto(`${lab.site.url}/${path}`);
      const roots = await page.locator('[data-playground]').all();
      for (const [i, root] of roots.entries()) {
        // One worker per page, and a Run cancels the one before: run them one after another.
        const result = await root.evaluate(async (el) => {
          type Api = { run(): Promise<{ checks: { checked: number; passed: number } } | null> };
          const r = await (el as HTMLElement & { playground: Api }).playground.run();
          return r && r.checks;
        });
        const state = await root.locator('.wl-check-summary').getAttribute('data-checks');
        verdicts.push(`${path}#${i} ${await root.getAttribute('data-playground')}: ${result?.passed}/${result?.checked} ${state}`);
      }
    }
    expect(verdicts.filter((v) => !/: (\d+)\/\1 pass$/.test(v))).toEqual([]);
    expect(verdicts.length).toBeGreaterThan(pages.length);
    expect(errors).toEqual([]);
    await context.close();
  }, 600_000);
});
