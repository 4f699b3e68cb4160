// @vitest-environment happy-dom
import { beforeAll, describe, expect, test } from 'vitest';
import type { Outcome } from '../../../src/harness/outcome.ts';
import { renderTimeline } from '../../../src/playground/views/render-timeline.ts';
import { fault, LIMITER_SCENARIO, runFaulty, runLimiter, runStreamProbe, STREAMED_SCENARIO } from './real-runs.ts';
import { translator } from './translations.ts';

const SVG_NS = 'http://www.w3.org/2000/svg';
const t = translator('en');
let limiter: Outcome[];

beforeAll(async () => {
  limiter = (await runLimiter(LIMITER_SCENARIO)).outcomes;
});

function render(outcomes: readonly Outcome[]): HTMLElement {
  const container = document.createElement('div');
  renderTimeline(container, outcomes, t);
  return container;
}

const marks = (root: ParentNode) => [...root.querySelectorAll<SVGGElement>('.wl-marks .wl-mark')];
const shapeOf = (mark: Element) => mark.lastElementChild!.tagName.toLowerCase();

describe('renderTimeline', () => {
  test('draws one mark per request, in the SVG namespace, labelled by its index', () => {
    const list = marks(render(limiter));
    expect(list.map((m) => m.getAttribute('data-index'))).toEqual(['0', '1', '2', '3', '4']);
    expect(list.every((m) => m.namespaceURI === SVG_NS)).toBe(true);
  });

  test('gives allowed, rejected and failed marks their own class and their own shape', async () => {
    const failed = await runFaulty(`requests:\n${fault('stall')}`);
    const list = marks(render([...limiter, ...failed.outcomes.map((o) => ({ ...o, index: 5, at: 62_000 }))]));
    expect(list.map((m) => m.getAttribute('class'))).toEqual([
      'wl-mark wl-mark--allowed',
      'wl-mark wl-mark--allowed',
      'wl-mark wl-mark--allowed',
      'wl-mark wl-mark--rejected',
      'wl-mark wl-mark--allowed',
      'wl-mark wl-mark--failed',
    ]);
    expect([shapeOf(list[0]!), shapeOf(list[3]!), shapeOf(list[5]!)]).toEqual(['circle', 'rect', 'path']);
    expect(list[5]!.querySelector('title')!.textContent).toBe('#5 62s — failed');
  });

  test('names each mark with its time, status and kind for a tooltip', () => {
    expect(marks(render(limiter)).map((m) => m.querySelector('title')!.textContent)).toEqual([
      '#0 0s 200 allowed',
      '#1 1s 200 allowed',
      '#2 2s 200 allowed',
      '#3 3s 429 rejected by the plugin',
      '#4 61s 200 allowed',
    ]);
  });

  test('places marks left to right by virtual time', () => {
    const xs = marks(render(limiter)).map((m) => Number(m.querySelector('circle, rect')!.getAttribute(m.querySelector('circle') ? 'cx' : 'x')));
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
    expect(new Set(xs).size).toBe(5);
  });

  test('draws the remaining quota as a step line that falls with each request and resets in the next minute', () => {
    const path = render(limiter).querySelector('.wl-quota .wl-quota-line')!;
    const d = path.getAttribute('d')!;
    // "M x,y H x V y H x V y … H edge": the y of each report, in SVG units (down is larger).
    const ys = [Number(/^M[\d.]+,([\d.]+)/.exec(d)![1]), ...[...d.matchAll(/V([\d.]+)/g)].map((m) => Number(m[1]))];
    expect(ys).toHaveLength(5);
    const [q2, q1, q0, q0again, next] = ys as [number, number, number, number, number];
    expect(q2 < q1 && q1 < q0).toBe(true);
    expect(q0again).toBe(q0);
    expect(next).toBe(q2);
    expect(d).toMatch(/ H624$/);
    expect(path.querySelector('title')!.textContent).toBe('remaining quota (calltimeleft)');
  });

  test('leaves the quota line and its legend entry out when no response carries calltimeleft', async () => {
    const down = await runLimiter('clusters:\n  - { type: redis, name: redis.static, port: 6379, down: true }\nrequests:\n  - { path: /get }');
    const root = render(down.outcomes);
    expect(root.querySelector('.wl-quota')).toBeNull();
    expect(root.querySelector('.wl-legend-item--remaining')).toBeNull();
    expect(marks(root)).toHaveLength(1);
  });

  test('labels the time axis in seconds with ticks from 0 past the last request', () => {
    const labels = [...render(limiter).querySelectorAll('.wl-axis text')].map((n) => n.textContent);
    expect(labels).toEqual(expect.arrayContaining(['0s', '20s', '40s', '60s', '80s', 'virtual time (seconds)']));
  });

  test('stacks requests that arrive at the same instant instead of hiding them', async () => {
    const { outcomes } = await runLimiter('clusters:\n  - { type: redis, name: redis.static, port: 6379 }\nrequests:\n  - { path: /get, repeat: 4 }');
    const list = marks(render(outcomes));
    const centre = (m: Element) => {
      const shape = m.lastElementChild!;
      return shape.tagName.toLowerCase() === 'circle' ? Number(shape.getAttribute('cy')) : Number(shape.getAttribute('y'));
    };
    expect(list).toHaveLength(4);
    expect(new Set(list.map(centre)).size).toBe(4);
  });

  test('is a scalable, titled image with a text summary for screen readers', () => {
    const root = render(limiter);
    const svg = root.querySelector('svg.wl-timeline-chart')!;
    expect(svg.getAttribute('viewBox')).toMatch(/^0 0 640 \d+/);
    expect(svg.hasAttribute('width')).toBe(false);
    expect(svg.getAttribute('role')).toBe('img');
    const [titleId, descId] = svg.getAttribute('aria-labelledby')!.split(' ');
    expect(svg.querySelector(`[id="${titleId}"]`)!.tagName.toLowerCase()).toBe('title');
    expect(svg.querySelector(`[id="${titleId}"]`)!.textContent).toBe('Requests over virtual time');
    expect(svg.querySelector(`[id="${descId}"]`)!.textContent).toBe('Requests 5: allowed 4, rejected by the plugin 1, failed 0');
  });

  test('draws at the container\'s width, between 320 and 960 units, so text keeps its size', () => {
    const widths = [350, 100, 2000].map((clientWidth) => {
      const container = document.createElement('div');
      Object.defineProperty(container, 'clientWidth', { value: clientWidth });
      renderTimeline(container, limiter, t);
      return container.querySelector('svg')!.getAttribute('viewBox')!.split(' ')[2];
    });
    expect(widths).toEqual(['350', '320', '960']);
  });

  test('gives every chart on a page its own title id', () => {
    const ids = [render(limiter), render(limiter)].map((r) => r.querySelector('svg')!.getAttribute('aria-labelledby'));
    expect(ids[0]).not.toBe(ids[1]);
  });

  test('shows a legend with counts, each with the shape its marks use', () => {
    const items = [...render(limiter).querySelectorAll('.wl-legend-item')];
    expect(items.map((i) => i.textContent)).toEqual(['allowed (4)', 'rejected by the plugin (1)', 'failed (0)', 'remaining quota (calltimeleft)']);
    expect(items.slice(0, 3).map((i) => i.querySelector('.wl-mark')!.firstElementChild!.tagName.toLowerCase())).toEqual(['circle', 'rect', 'path']);
    expect(items.every((i) => i.querySelector('svg')!.getAttribute('aria-hidden') === 'true')).toBe(true);
  });

  test('draws an empty axis for a run without requests', () => {
    const root = render([]);
    expect(marks(root)).toEqual([]);
    expect(root.querySelector('.wl-axis')).not.toBeNull();
  });

  test('draws a tick per chunk of a streamed response under its request, and names them in the legend', async () => {
    const { outcomes } = await runStreamProbe(STREAMED_SCENARIO);
    const container = document.createElement('div');
    renderTimeline(container, outcomes, translator('en'));
    const ticks = [...container.querySelectorAll('.wl-chunk-ticks [data-index="0"] line')].map((l) => Number(l.getAttribute('x1')));
    expect(ticks).toHaveLength(3);
    const mark = Number(container.querySelector('.wl-mark[data-index="0"] circle')!.getAttribute('cx'));
    // The reply starts once the request's last chunk is in (+10 ms), its events 20 ms apart: left to right after the mark.
    expect(ticks[0]! > mark && ticks[1]! > ticks[0]! && ticks[2]! > ticks[1]!).toBe(true);
    expect(container.querySelector('.wl-legend-item--chunks')!.textContent).toBe('chunk arrivals (3)');
  });

  test('draws no chunk ticks and no legend entry when nothing was streamed', () => {
    const container = document.createElement('div');
    renderTimeline(container, limiter, translator("en"));
    expect(container.querySelector('.wl-chunk-ticks')).toBeNull();
    expect(container.querySelector('.wl-legend-item--chunks')).toBeNull();
  });
});
