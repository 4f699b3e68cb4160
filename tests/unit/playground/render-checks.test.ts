// @vitest-environment happy-dom
import { beforeAll, describe, expect, test } from 'vitest';
import type { RunResult } from '../../../src/harness/run.ts';
import { describeFailure } from '../../../src/playground/views/render-checks.ts';
import { renderOutcomes } from '../../../src/playground/views/render-outcomes.ts';
import { LIMITER_SCENARIO, runLimiter, runStreamProbe, STREAMED_SCENARIO } from './real-runs.ts';
import { translator } from './translations.ts';

/** The example's scenario with the 429 request's status expectation turned wrong. */
const WRONG_STATUS = LIMITER_SCENARIO.replace('status: 429', 'status: 200');
/** Every kind of expectation, all wrong, on the request the plugin turns away. */
const EVERY_KIND = `
clusters: [{ type: redis, name: redis.static }]
requests:
  - { path: /get, repeat: 3 }
  - path: /get
    expect:
      source: upstream
      headers: { x-foo: "a", retry-after: "*", content-type: null }
      body: welcome
      upstream: { reached: true }
      logs: [no such line]
      error: stalled
`;

let passing: RunResult;
let wrongStatus: RunResult;
let everyKind: RunResult;

beforeAll(async () => {
  [passing, wrongStatus, everyKind] = await Promise.all([runLimiter(LIMITER_SCENARIO), runLimiter(WRONG_STATUS), runLimiter(EVERY_KIND)]);
});

function render(result: RunResult, lang: 'en' | 'zh-CN' = 'en'): HTMLElement {
  const container = document.createElement('div');
  document.body.replaceChildren(container);
  renderOutcomes(container, result, translator(lang));
  return container;
}

const items = (root: ParentNode) => [...root.querySelectorAll<HTMLElement>('[data-outcome]')];
const texts = (root: ParentNode, selector: string) => [...root.querySelectorAll(selector)].map((n) => n.textContent);

describe('renderOutcomes with checks', () => {
  test('says every check passes above the list and marks each checked request ✓ with a name', () => {
    const root = render(passing);
    const summary = root.querySelector<HTMLElement>('.wl-check-summary')!;
    expect(summary.textContent).toBe(`✓${passing.checks.checked} of ${passing.checks.checked} checks pass`);
    expect(summary.dataset.checks).toBe('pass');
    expect(summary.nextElementSibling?.matches('ol.wl-outcomes')).toBe(true);
    const badges = items(root).map((li) => li.querySelector<HTMLElement>('summary [data-check]')!);
    expect(badges.map((b) => [b.textContent, b.dataset.check, b.getAttribute('role'), b.getAttribute('aria-label')])).toEqual(
      passing.outcomes.map(() => ['✓', 'pass', 'img', 'Checks pass']),
    );
    expect(items(root).every((li) => li.querySelector('details')!.open === false)).toBe(true);
  });

  test('words the summary and the badge in Simplified Chinese', () => {
    const root = render(passing, 'zh-CN');
    const n = passing.checks.checked;
    expect(root.querySelector('.wl-check-summary')!.textContent).toBe(`✓${n} 个检查中 ${n} 个通过`);
    expect(root.querySelector('[data-check]')!.getAttribute('aria-label')).toBe('检查通过');
  });

  test('shows no summary and no badge when no request has an expect block', async () => {
    const root = render(await runLimiter('clusters: [{ type: redis, name: redis.static }]\nrequests:\n  - { path: /get }'));
    expect(root.querySelector('.wl-check-summary')).toBeNull();
    expect(root.querySelector('[data-check]')).toBeNull();
    expect(items(root)).toHaveLength(1);
  });

  test('marks the failing request ✗, opens it on what was expected and what happened, and counts it', () => {
    const root = render(wrongStatus);
    const status = wrongStatus.outcomes[3]!.status;
    const { checked } = wrongStatus.checks;
    expect(root.querySelector<HTMLElement>('.wl-check-summary')!.dataset.checks).toBe('fail');
    expect(root.querySelector('.wl-check-summary')!.textContent).toBe(`✗${checked - 1} of ${checked} checks pass`);
    const failing = items(root)[3]!;
    const badge = failing.querySelector<HTMLElement>('summary [data-check]')!;
    expect([badge.textContent, badge.dataset.check, badge.getAttribute('aria-label')]).toEqual(['✗', 'fail', 'Checks fail']);
    expect(failing.querySelector('details')!.open).toBe(true);
    const body = failing.querySelector('.wl-outcome-body')!;
    expect(body.firstElementChild!.classList.contains('wl-section--checks')).toBe(true);
    expect(texts(body, '.wl-section--checks .wl-section-title')).toEqual(['Checks that fail']);
    expect(texts(body, '.wl-check-diff')).toEqual([`status: expected 200, got ${status}`]);
    expect(texts(body, '.wl-check-field, .wl-check-expected, .wl-check-actual')).toEqual(['status', '200', String(status)]);
    expect(items(root).filter((li) => li.querySelector('details')!.open)).toEqual([failing]);
  });

  test('words the difference in Simplified Chinese', () => {
    const status = wrongStatus.outcomes[3]!.status;
    expect(texts(render(wrongStatus, 'zh-CN'), '.wl-check-diff')).toEqual([`status：应为 200，实际为 ${status}`]);
  });

  test('words every kind of expectation from its structured fields', () => {
    expect(texts(render(everyKind), '.wl-check-diff')).toMatchInlineSnapshot(`
      [
        "source: expected answered by the upstream, got answered by the plugin",
        "headers.x-foo: expected "a", got (absent)",
        "headers.retry-after: expected any value, got (absent)",
        "headers.content-type: expected (absent), got "text/plain"",
        "body: expected containing "welcome", got "Too many requests\\n"",
        "upstream.reached: expected reaches the upstream, got answered before the upstream",
        "logs[0]: expected containing "no such line", got none of 2 log lines",
        "error: expected stalled, got no error",
      ]
    `);
    expect(texts(render(everyKind, 'zh-CN'), '.wl-check-diff')).toMatchInlineSnapshot(`
      [
        "source：应为 上游应答，实际为 插件应答",
        "headers.x-foo：应为 "a"，实际为 （不存在）",
        "headers.retry-after：应为 任意值，实际为 （不存在）",
        "headers.content-type：应为 （不存在），实际为 "text/plain"",
        "body：应为 包含 "welcome"，实际为 "Too many requests\\n"",
        "upstream.reached：应为 到达上游，实际为 在到达上游前应答",
        "logs[0]：应为 包含 "no such line"，实际为 2 行日志中没有",
        "error：应为 stalled，实际为 没有错误",
      ]
    `);
  });

  test('words chunk and trailer expectations like counts, bodies and headers', async () => {
    const wrong = STREAMED_SCENARIO.replace('x-resp-body: count } }', 'x-resp-body: count }, expect: { chunks: { count: 1, body: { "-1": nope } }, trailers: { x-probe-chunks: "9" }, upstream: { trailers: { x-sum: "*" } } } }');
    const { checks } = await runStreamProbe(wrong);
    const words = checks.byOutcome[0]!.map((f) => describeFailure(f, translator('en')));
    expect(words).toEqual([
      { field: 'chunks.count', expected: '1', actual: '3' },
      { field: 'chunks.body["-1"]', expected: 'containing "nope"', actual: '"data: [DONE]\\n\\n"' },
      { field: 'trailers.x-probe-chunks', expected: '"9"', actual: '"3"' },
      { field: 'upstream.trailers.x-sum', expected: 'any value', actual: '(absent)' },
    ]);
  });

  test('shows the details in the order the request travelled: client, plugin, upstream, response', () => {
    const sections = [...items(render(passing))[0]!.querySelectorAll('.wl-outcome-body > .wl-section')].map((s) => s.classList[1]);
    expect(sections).toEqual(['wl-section--request', 'wl-section--logs', 'wl-section--redis', 'wl-section--upstream', 'wl-section--response']);
  });
});

describe('describeFailure', () => {
  test('shows a dash for a status when there was no response', () => {
    const failure = { ...wrongStatus.checks.byOutcome[3]![0]!, actual: 0 };
    expect(describeFailure(failure, translator('en'))).toEqual({ field: 'status', expected: '200', actual: '—' });
  });
});
