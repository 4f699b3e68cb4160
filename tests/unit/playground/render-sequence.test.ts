// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Outcome, SequenceStep } from '../../../src/harness/outcome.ts';
import type { RunResult } from '../../../src/harness/run.ts';
import { ResultsPanel } from '../../../src/playground/results-panel.ts';
import { renderSequence, sequencePauses } from '../../../src/playground/views/render-sequence.ts';
import { HOSTILE, LIMITER_SCENARIO, runLimiter } from './real-runs.ts';
import { readStrings, translator } from './translations.ts';

const SVG_NS = 'http://www.w3.org/2000/svg';
const REDIS = 'redis:outbound|6379||redis.static';
const AUTH = 'http:outbound|80||auth.static';

type Step = SequenceStep;
const step = (at: number, kind: Step['kind'], from: Step['from'], to: Step['to'], label: string, extra: Partial<Step> = {}): Step => ({ at, kind, from, to, label, ...extra });

/** redis-limiter's first request of a minute: INCR, held, EXPIRE, resumed, to the upstream and back. */
const ALLOWED: Step[] = [
  step(0, 'request', 'client', 'gateway', 'GET /get'),
  step(0, 'callback', 'gateway', 'plugin', 'proxy_on_http_request_headers', { direction: 'request' }),
  step(0, 'callout', 'plugin', REDIS, 'INCR 1735689600'),
  step(0, 'return', 'plugin', 'gateway', 'StopAllIterationAndWatermark', { direction: 'request', paused: true }),
  step(5, 'callout-reply', REDIS, 'gateway', '(integer) 1'),
  step(5, 'callback', 'gateway', 'plugin', 'proxy_on_redis_call_response'),
  step(5, 'callout', 'plugin', REDIS, 'EXPIRE 1735689600 60'),
  step(10, 'callout-reply', REDIS, 'gateway', '(integer) 1'),
  step(10, 'callback', 'gateway', 'plugin', 'proxy_on_redis_call_response'),
  step(10, 'resume', 'plugin', 'gateway', 'proxy_continue_stream', { direction: 'request' }),
  step(10, 'upstream-request', 'gateway', 'upstream', 'GET /get'),
  step(30, 'upstream-response', 'upstream', 'gateway', '200'),
  step(30, 'callback', 'gateway', 'plugin', 'proxy_on_http_response_headers', { direction: 'response' }),
  step(30, 'return', 'plugin', 'gateway', 'Continue', { direction: 'response' }),
  step(30, 'response', 'gateway', 'client', '200'),
];

/** Over the limit: the plugin answers 429 itself while the request is held; no upstream. */
const REJECTED: Step[] = [
  step(3000, 'request', 'client', 'gateway', 'GET /get'),
  step(3000, 'callback', 'gateway', 'plugin', 'proxy_on_http_request_headers', { direction: 'request' }),
  step(3000, 'callout', 'plugin', REDIS, 'INCR 1735689600'),
  step(3000, 'return', 'plugin', 'gateway', 'StopAllIterationAndWatermark', { direction: 'request', paused: true }),
  step(3005, 'callout-reply', REDIS, 'gateway', '(integer) 4'),
  step(3005, 'callback', 'gateway', 'plugin', 'proxy_on_redis_call_response'),
  step(3005, 'local-reply', 'plugin', 'gateway', 'proxy_send_local_response 429'),
  step(3005, 'callback', 'gateway', 'plugin', 'proxy_on_http_response_headers', { direction: 'response' }),
  step(3005, 'return', 'plugin', 'gateway', 'Continue', { direction: 'response' }),
  step(3005, 'response', 'gateway', 'client', '429'),
];

/** An HTTP callout first, then Redis: the service columns follow first appearance. */
const TWO_SERVICES: Step[] = [
  step(0, 'request', 'client', 'gateway', 'POST /login'),
  step(0, 'callback', 'gateway', 'plugin', 'proxy_on_http_request_headers', { direction: 'request' }),
  step(0, 'callout', 'plugin', AUTH, 'GET /auth'),
  step(0, 'return', 'plugin', 'gateway', 'StopIteration', { direction: 'request', paused: true }),
  step(2, 'callout-reply', AUTH, 'gateway', '200'),
  step(2, 'callback', 'gateway', 'plugin', 'proxy_on_http_call_response'),
  step(2, 'callout', 'plugin', REDIS, 'GET session:1'),
  step(4, 'callout-reply', REDIS, 'gateway', '(nil)'),
  step(4, 'callback', 'gateway', 'plugin', 'proxy_on_redis_call_response'),
  step(4, 'resume', 'plugin', 'gateway', 'proxy_continue_stream', { direction: 'request' }),
  step(4, 'upstream-request', 'gateway', 'upstream', 'POST /login'),
  step(1504, 'upstream-response', 'upstream', 'gateway', '200'),
  step(1504, 'response', 'gateway', 'client', '200'),
];

/** The callout is never answered: the request stays held until the harness gives up on it. */
const STALLED: Step[] = [
  step(0, 'request', 'client', 'gateway', 'GET /'),
  step(0, 'callback', 'gateway', 'plugin', 'proxy_on_http_request_headers', { direction: 'request' }),
  step(0, 'callout', 'plugin', AUTH, 'GET /never'),
  step(0, 'return', 'plugin', 'gateway', 'StopIteration', { direction: 'request', paused: true }),
  step(60_000, 'error', 'gateway', 'client', 'stalled'),
];

function outcome(index: number, sequence: Step[] | undefined, overrides: Partial<Outcome> = {}): Outcome {
  return {
    index,
    at: sequence?.[0]?.at ?? 0,
    request: { method: 'GET', path: '/get', headers: [], body: '' },
    status: 200,
    headers: [],
    body: '',
    source: 'upstream',
    upstreamRequest: null,
    logs: [],
    redis: [],
    httpCalls: [],
    changedHeaders: [],
    pluginTimeUs: 0,
    ...(sequence ? { sequence } : {}),
    ...overrides,
  };
}

const OUTCOMES: Outcome[] = [
  outcome(0, ALLOWED),
  outcome(1, REJECTED, { status: 429, source: 'plugin' }),
  outcome(2, TWO_SERVICES, { request: { method: 'POST', path: '/login', headers: [], body: '' } }),
  outcome(3, STALLED, { status: 0, source: 'gateway', request: { method: 'GET', path: '/', headers: [], body: '' }, error: { kind: 'stalled', message: 'm' } }),
  outcome(4, undefined),
];

function render(outcomes: readonly Outcome[], selectedIndex?: number, lang: 'en' | 'zh-CN' = 'en'): HTMLElement {
  const container = document.createElement('div');
  renderSequence(container, outcomes, translator(lang), selectedIndex);
  return container;
}

const steps = (root: ParentNode) => [...root.querySelectorAll<SVGGElement>('[data-step]:not(li)')];
const columns = (root: ParentNode) => [...root.querySelectorAll('.wl-seq-party')].map((p) => p.querySelector('text')!.textContent);
const lineY = (group: Element) => Number(group.querySelector('.wl-seq-line')!.getAttribute('y1'));
const bandRange = (band: Element) => {
  const rect = band.querySelector('.wl-seq-pause-band')!;
  const y = Number(rect.getAttribute('y'));
  return [y, y + Number(rect.getAttribute('height'))] as const;
};

describe('renderSequence', () => {
  test('marks its root, and draws a titled, scalable image in a scrollable, focusable, labelled wrapper', () => {
    const root = render(OUTCOMES);
    expect(root.firstElementChild!.getAttribute('data-role')).toBe('sequence');
    const svg = root.querySelector<SVGSVGElement>('svg.wl-seq-chart')!;
    expect(svg.namespaceURI).toBe(SVG_NS);
    expect(svg.getAttribute('role')).toBe('img');
    expect(svg.getAttribute('viewBox')).toMatch(/^0 0 \d+ \d+$/);
    const [titleId, descId] = svg.getAttribute('aria-labelledby')!.split(' ');
    expect(svg.querySelector(`[id="${titleId}"]`)!.textContent).toBe('Call sequence of request #0 GET /get → 200');
    expect(svg.querySelector(`[id="${descId}"]`)!.textContent).toBe('15 steps between Client, Gateway, Plugin, Redis · redis.static, Upstream.');
    const scroll = svg.parentElement!;
    expect(scroll.className).toBe('wl-seq-scroll');
    expect(scroll.tabIndex).toBe(0);
    expect(scroll.getAttribute('aria-label')).toBe('Call sequence diagram (scrolls sideways)');
    // At least 560 px wide on screen whatever the container, so a phone scrolls instead of shrinking the text.
    expect(Number.parseInt(svg.style.getPropertyValue('--wl-seq-min'), 10)).toBeGreaterThanOrEqual(560);
  });

  test('has one column per party that takes part: client, gateway, plugin, services in order of first appearance, upstream', () => {
    expect(columns(render(OUTCOMES, 0))).toEqual(['Client', 'Gateway', 'Plugin', 'Redis · redis.static', 'Upstream']);
    expect(columns(render(OUTCOMES, 2))).toEqual(['Client', 'Gateway', 'Plugin', 'HTTP · auth.static', 'Redis · redis.static', 'Upstream']);
    // A local reply never reaches the upstream: no column for it.
    expect(columns(render(OUTCOMES, 1))).toEqual(['Client', 'Gateway', 'Plugin', 'Redis · redis.static']);
    const root = render(OUTCOMES, 2);
    const parties = [...root.querySelectorAll('.wl-seq-party')];
    expect(parties.map((p) => p.getAttribute('data-party'))).toEqual(['client', 'gateway', 'plugin', AUTH, REDIS, 'upstream']);
    // The full cluster name stays in the tooltip.
    expect(parties[3]!.querySelector('title')!.textContent).toBe(AUTH);
    // Columns left to right.
    const xs = parties.map((p) => Number(p.querySelector('line')!.getAttribute('x1')));
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
  });

  test('draws one row per step, top to bottom in order, with its hooks', () => {
    const list = steps(render(OUTCOMES));
    expect(list.map((g) => g.getAttribute('data-step'))).toEqual(ALLOWED.map((_, i) => String(i)));
    expect(list.map((g) => [g.getAttribute('data-kind'), g.getAttribute('data-from'), g.getAttribute('data-to')])).toEqual(ALLOWED.map((s) => [s.kind, s.from, s.to]));
    expect(list.every((g) => g.namespaceURI === SVG_NS)).toBe(true);
    const ys = list.map(lineY);
    expect(ys.every((y, i) => i === 0 || y > ys[i - 1]!)).toBe(true);
  });

  test('labels arrows without the proxy_ prefix, and draws calls and returns differently', () => {
    const list = steps(render(OUTCOMES));
    expect(list.map((g) => g.querySelector('.wl-seq-label')!.textContent).slice(0, 6)).toEqual([
      'GET /get',
      'on_http_request_headers',
      'INCR 1735689600',
      'StopAllIterationAndWatermark',
      '(integer) 1',
      'on_redis_call_response',
    ]);
    // Words the harness puts in English come in the page's language: a resume names its direction.
    expect(list[9]!.querySelector('.wl-seq-label')!.textContent).toBe('resume request');
    // A call has a filled head, a return or reply an open one (its dashes come from its class).
    expect(list[1]!.querySelector('.wl-seq-head-filled')).not.toBeNull();
    expect(list[3]!.querySelector('.wl-seq-head-open')).not.toBeNull();
    expect(list[3]!.getAttribute('class')).toBe('wl-seq-step wl-seq-step--return wl-seq-step--paused');
    expect(list[4]!.querySelector('.wl-seq-head-open')).not.toBeNull();
    // Arrows point the way the call went: plugin → gateway runs right to left.
    const line = list[3]!.querySelector('.wl-seq-line')!;
    expect(Number(line.getAttribute('x2'))).toBeLessThan(Number(line.getAttribute('x1')));
  });

  test('labels time at the left where it changes, relative to the first step, in seconds from 1000 ms', () => {
    expect([...render(OUTCOMES, 0).querySelectorAll('.wl-seq-time')].map((n) => n.textContent)).toEqual(['0 ms', '+5 ms', '+10 ms', '+30 ms']);
    expect([...render(OUTCOMES, 2).querySelectorAll('.wl-seq-time')].map((n) => n.textContent)).toEqual(['0 ms', '+2 ms', '+4 ms', '+1.504s']);
  });

  test('shades the gateway from the paused return to the resume, with the Redis reply and the next callout inside', () => {
    const root = render(OUTCOMES, 0);
    const bands = [...root.querySelectorAll('[data-pause]')];
    expect(bands).toHaveLength(1);
    const band = bands[0]!;
    expect([band.getAttribute('data-pause'), band.getAttribute('data-from-step'), band.getAttribute('data-to-step')]).toEqual(['request', '3', '9']);
    expect(band.hasAttribute('data-unfinished')).toBe(false);
    expect(band.querySelector('.wl-seq-pause-label')!.textContent).toContain('request paused');
    const [top, bottom] = bandRange(band);
    const list = steps(root);
    expect(lineY(list[3]!)).toBe(top);
    expect(lineY(list[9]!)).toBe(bottom);
    const inside = list.filter((g) => lineY(g) > top && lineY(g) < bottom);
    expect(inside.map((g) => g.getAttribute('data-step'))).toEqual(['4', '5', '6', '7', '8']);
    expect(inside.filter((g) => g.getAttribute('data-from') === REDIS || g.getAttribute('data-to') === REDIS).map((g) => g.getAttribute('data-kind'))).toEqual(['callout-reply', 'callout', 'callout-reply']);
    // On the gateway's lifeline.
    const gatewayX = Number(root.querySelector('[data-party="gateway"] line')!.getAttribute('x1'));
    const rect = band.querySelector('.wl-seq-pause-band')!;
    expect(Number(rect.getAttribute('x')) + Number(rect.getAttribute('width')) / 2).toBe(gatewayX);
  });

  test('ends a pause at a local reply, and names the direction a response pause holds', () => {
    const band = render(OUTCOMES, 1).querySelector('[data-pause]')!;
    expect([band.getAttribute('data-from-step'), band.getAttribute('data-to-step')]).toEqual(['3', '6']);
    const held: Step[] = [
      step(0, 'callback', 'gateway', 'plugin', 'proxy_on_http_response_headers', { direction: 'response' }),
      step(0, 'return', 'plugin', 'gateway', 'StopIteration', { direction: 'response', paused: true }),
      step(1, 'resume', 'plugin', 'gateway', 'proxy_continue_stream', { direction: 'response' }),
    ];
    expect(sequencePauses(held)).toEqual([{ direction: 'response', fromStep: 1, toStep: 2, isUnfinished: false }]);
    const root = render([outcome(0, held)]);
    expect(root.querySelector('[data-pause="response"] .wl-seq-pause-label')!.textContent).toContain('response paused');
  });

  test('a body callback that buffers and then continues ends its pause at the continuing return', () => {
    expect(sequencePauses([
      step(0, 'callback', 'gateway', 'plugin', 'proxy_on_http_request_body', { direction: 'request' }),
      step(0, 'return', 'plugin', 'gateway', 'StopIterationAndBuffer', { direction: 'request', paused: true }),
      step(10, 'callback', 'gateway', 'plugin', 'proxy_on_http_request_body', { direction: 'request' }),
      step(10, 'return', 'plugin', 'gateway', 'StopIterationAndBuffer', { direction: 'request', paused: true }),
      step(20, 'callback', 'gateway', 'plugin', 'proxy_on_http_request_body', { direction: 'request' }),
      step(20, 'return', 'plugin', 'gateway', 'Continue', { direction: 'request' }),
    ])).toEqual([{ direction: 'request', fromStep: 1, toStep: 5, isUnfinished: false }]);
  });

  test('draws a pause that never ends to the bottom of the diagram, past the error, and says so', () => {
    const root = render(OUTCOMES, 3);
    const band = root.querySelector('[data-pause]')!;
    expect([band.getAttribute('data-from-step'), band.getAttribute('data-to-step'), band.getAttribute('data-unfinished')]).toEqual(['3', '4', 'true']);
    expect(band.getAttribute('class')).toContain('wl-seq-pause--open');
    const [top, bottom] = bandRange(band);
    const list = steps(root);
    expect(top).toBe(lineY(list[3]!));
    expect(bottom).toBeGreaterThan(lineY(list[4]!));
    expect(band.querySelector('.wl-seq-pause-open')!.textContent).toContain('never resumed');
    expect(band.querySelector('title')!.textContent).toBe('request paused · never resumed');
    // Open at the bottom: the outline has no closing edge, a zigzag instead.
    expect(band.querySelector('.wl-seq-pause-edge')!.getAttribute('d')).not.toMatch(/H[\d.]+$/);
    expect(band.querySelector('.wl-seq-pause-zigzag')).not.toBeNull();
    // The failure itself ends in a cross, not an arrowhead, and says what failed.
    expect(list[4]!.querySelector('.wl-seq-head-cross')).not.toBeNull();
    expect(list[4]!.querySelector('.wl-seq-label')!.textContent).toBe('⚠ stalled');
    expect([...root.querySelectorAll('.wl-seq-legend li')].map((li) => li.textContent)).toEqual(['call', 'return or reply', 'failure', 'stream held by the plugin']);
  });

  test('a pause still open when the steps end is unfinished too', () => {
    expect(sequencePauses(STALLED.slice(0, 4))).toEqual([{ direction: 'request', fromStep: 3, toStep: null, isUnfinished: true }]);
    const root = render([outcome(0, STALLED.slice(0, 4))]);
    expect(root.querySelector('[data-pause]')!.hasAttribute('data-to-step')).toBe(false);
  });

  test('offers every request in a labelled picker and draws the one picked', () => {
    const root = render(OUTCOMES);
    const select = root.querySelector('select')!;
    expect(root.querySelector(`label[for="${select.id}"]`)!.textContent).toBe('Request');
    expect([...select.options].map((o) => o.textContent)).toEqual([
      '#0 GET /get → 200',
      '#1 GET /get → 429',
      '#2 POST /login → 200',
      '#3 GET / → — ⚠ stalled',
      '#4 GET /get → 200',
    ]);
    expect(select.value).toBe('0');
    select.value = '2';
    select.dispatchEvent(new Event('change'));
    expect(steps(root).map((g) => g.getAttribute('data-kind'))).toEqual(TWO_SERVICES.map((s) => s.kind));
    expect(root.querySelector('svg title')!.textContent).toBe('Call sequence of request #2 POST /login → 200');
    // The picker itself stays (and keeps focus): only the diagram below it is redrawn.
    expect(root.querySelector('select')).toBe(select);
  });

  test('starts on the request asked for, or the first when it is not in the run', () => {
    expect(render(OUTCOMES, 1).querySelector('select')!.value).toBe('1');
    expect(steps(render(OUTCOMES, 1))).toHaveLength(REJECTED.length);
    expect(render(OUTCOMES, 42).querySelector('select')!.value).toBe('0');
  });

  test('says in one sentence when a request has no recorded sequence, and when there are no requests', () => {
    const root = render(OUTCOMES, 4);
    expect(root.querySelector('svg')).toBeNull();
    expect(root.querySelector('.wl-seq-body')!.textContent).toBe('No call sequence was recorded for this request.');
    expect(render([outcome(0, [])]).querySelector('.wl-seq-body')!.textContent).toBe('No call sequence was recorded for this request.');
    const empty = render([]);
    expect(empty.querySelector('select')).toBeNull();
    expect(empty.textContent).toBe('The scenario has no requests.');
  });

  test('lists the steps as text in a closed <details>, one line each, the pause named', () => {
    const details = render(OUTCOMES, 0).querySelector<HTMLDetailsElement>('details.wl-seq-text')!;
    expect(details.open).toBe(false);
    expect(details.querySelector('summary')!.textContent).toBe('Steps as text');
    const lines = [...details.querySelectorAll('ol > li')].map((li) => li.textContent);
    expect(lines).toHaveLength(ALLOWED.length);
    expect(lines.slice(0, 5)).toEqual([
      '0 ms · Client → Gateway · GET /get',
      '0 ms · Gateway → Plugin · on_http_request_headers',
      '0 ms · Plugin → Redis · redis.static · INCR 1735689600',
      '0 ms · Plugin → Gateway · StopAllIterationAndWatermark (request paused)',
      '+5 ms · Redis · redis.static → Gateway · (integer) 1',
    ]);
    expect(lines.at(-1)).toBe('+30 ms · Gateway → Client · 200');
    const stalled = [...render(OUTCOMES, 3).querySelectorAll('.wl-seq-text li')].map((li) => li.textContent);
    expect(stalled[3]).toBe('0 ms · Plugin → Gateway · StopIteration (request paused, never resumed)');
    expect(stalled[4]).toBe('+60s · Gateway → Client · stalled');
  });

  test('truncates a long label with an ellipsis and keeps the whole of it in the tooltip', () => {
    const long = `SET ${'k'.repeat(80)} 1`;
    const root = render([outcome(0, [step(0, 'request', 'client', 'gateway', 'GET /'), step(0, 'callout', 'plugin', REDIS, long)])]);
    const group = steps(root)[1]!;
    const shown = group.querySelector('.wl-seq-label')!.textContent!;
    expect(shown.endsWith('…')).toBe(true);
    expect(shown.length).toBeLessThan(long.length);
    expect(group.querySelector('title')!.textContent).toBe(`0 ms · Plugin → Redis · redis.static · ${long}`);
  });

  test('puts plugin text in as text, never as markup', () => {
    const hostile: Step[] = [
      step(0, 'request', 'client', 'gateway', `GET /${HOSTILE}`),
      step(0, 'callout', 'plugin', `redis:${HOSTILE}`, HOSTILE),
      step(0, 'callout-reply', `redis:${HOSTILE}`, 'gateway', HOSTILE),
    ];
    const root = render([outcome(0, hostile, { request: { method: 'GET', path: `/${HOSTILE}`, headers: [], body: '' } })]);
    expect(root.querySelectorAll('script, img')).toHaveLength(0);
    expect(root.querySelector('option')!.textContent).toContain(HOSTILE);
    expect(root.querySelector('.wl-seq-text li:nth-child(2)')!.textContent).toBe(`0 ms · Plugin → Redis · ${HOSTILE} · ${HOSTILE}`);
    expect(steps(root)[1]!.querySelector('title')!.textContent).toContain(HOSTILE);
    expect(root.querySelectorAll('.wl-seq-party title')[3]!.textContent).toBe(`redis:${HOSTILE}`);
  });

  test('speaks Chinese on a zh-CN page', () => {
    const root = render(OUTCOMES, 0, 'zh-CN');
    expect(columns(root)).toEqual(['客户端', '网关', '插件', 'Redis · redis.static', '上游']);
    expect(root.querySelector('.wl-seq-pause-label')!.textContent).toContain('请求已暂停');
    expect(root.querySelector('label')!.textContent).toBe('请求');
    expect(root.querySelector('.wl-seq-text summary')!.textContent).toBe('以文字列出各步骤');
    expect(render(OUTCOMES, 3, 'zh-CN').querySelectorAll('.wl-seq-text li')[3]!.textContent).toBe('0 ms · 插件 → 网关 · StopIteration（请求已暂停，始终未恢复）');
  });
});

describe('sequence strings', () => {
  const SOURCE = join(import.meta.dirname, '..', '..', '..', 'src', 'playground', 'views', 'render-sequence.ts');
  const own = (strings: Record<string, string>) => Object.keys(strings).filter((k) => k.startsWith('sequence.') || k === 'playground.results.sequence').sort();

  test('are the same keys in zh-CN and en, none empty, and each one used', () => {
    const en = readStrings('en');
    const zh = readStrings('zh-CN');
    expect(own(zh)).toEqual(own(en));
    expect(own(en).filter((k) => !en[k]!.trim() || !zh[k]!.trim())).toEqual([]);
    // Every key the view asks for on these runs, or names in full in its source, and the tab's name.
    const t = translator('en');
    for (const index of [0, 1, 3, 4]) renderSequence(document.createElement('div'), OUTCOMES, t, index);
    renderSequence(document.createElement('div'), [outcome(0, TWO_SERVICES.concat(step(1504, 'chunk', 'gateway', 'client', '5 bytes')))], t);
    renderSequence(document.createElement('div'), [outcome(0, [step(0, 'return', 'plugin', 'gateway', 'x', { direction: 'response', paused: true })])], t);
    renderSequence(document.createElement('div'), [outcome(0, [step(0, 'resume', 'plugin', 'gateway', 'x', { direction: 'response' }), step(1, 'chunk', 'upstream', 'gateway', '… 3 more chunks', { direction: 'response', folded: 3 }), step(1, 'chunk', 'upstream', 'gateway', '7 bytes', { direction: 'response', bytes: 7 })])], t);
    renderSequence(document.createElement('div'), [], t);
    const literal = [...readFileSync(SOURCE, 'utf8').matchAll(/['"`](sequence\.[A-Za-z.]+)['"`]/g)].map((m) => m[1]!);
    const asked = new Set([...t.used, ...literal, 'playground.results.sequence']);
    expect([...asked].filter((k) => !(k in en) || !(k in zh))).toEqual([]);
    expect(own(en).filter((k) => !asked.has(k))).toEqual([]);
  });
});

describe('ResultsPanel', () => {
  let result: RunResult;

  beforeAll(async () => {
    const run = await runLimiter(LIMITER_SCENARIO, { isTraced: true });
    // Until every run carries a sequence, give the first two requests hand-written ones.
    result = { ...run, outcomes: run.outcomes.map((o, i) => ({ ...o, sequence: o.sequence ?? (i === 0 ? ALLOWED : i === 1 ? REJECTED : undefined) })) };
  });

  test('adds a Sequence tab showing the first request, and follows the request the reader opens in Outcomes', () => {
    const host = document.createElement('div');
    document.body.append(host);
    const panel = new ResultsPanel(host, translator('en'));
    panel.show(result);
    expect([...host.querySelectorAll('[data-result-tab]')].map((b) => b.textContent)).toEqual(['Outcomes', 'Timeline', 'Redis', 'Sequence']);
    const sequence = host.querySelector<HTMLElement>('[data-result-panel="sequence"]')!;
    expect(sequence.hidden).toBe(true);
    expect(sequence.querySelector<HTMLSelectElement>('[data-role="sequence"] select')!.value).toBe('0');
    host.querySelector<HTMLElement>('[data-outcome="1"] summary')!.click();
    expect(sequence.querySelector('select')!.value).toBe('1');
    host.querySelector<HTMLButtonElement>('[data-result-tab="sequence"]')!.click();
    expect(sequence.hidden).toBe(false);
    panel.showFailure({ kind: 'plugin-trap', message: 'boom' } as never);
    expect(sequence.childElementCount).toBe(0);
    host.remove();
  });
});

describe('on a real run', () => {
  let real: Outcome[];

  beforeAll(async () => {
    real = (await runLimiter(LIMITER_SCENARIO, { isTraced: true })).outcomes;
  });

  test('the first request holds the stream while it calls Redis', (context) => {
    // The harness fills Outcome.sequence on traced runs (outcome-recorder.ts); skip until it does.
    if (!real[0]!.sequence?.length) return context.skip();
    const root = render(real);
    const redisParty = [...root.querySelectorAll('.wl-seq-party')].map((p) => p.getAttribute('data-party')!).find((p) => p.startsWith('redis:'));
    expect(redisParty).toBeDefined();
    const bands = [...root.querySelectorAll('[data-pause="request"]')];
    expect(bands.length).toBeGreaterThan(0);
    const list = steps(root);
    const calloutsInside = bands.flatMap((band) => {
      const [from, to] = [Number(band.getAttribute('data-from-step')), Number(band.getAttribute('data-to-step') ?? list.length)];
      return list.slice(from, to + 1).filter((g) => g.getAttribute('data-kind') === 'callout' && g.getAttribute('data-to') === redisParty);
    });
    expect(calloutsInside.length).toBeGreaterThan(0);
  });
});
