/**
 * The timeline: every request as a mark over virtual time, the chunks of streamed responses as
 * ticks under them, and the remaining quota the plugin reported as a step line above them. Kinds
 * differ in shape as well as colour (WCAG 1.4.1).
 */
import type { Outcome } from '../../harness/outcome.ts';
import { append, el, svgEl, type Translate } from './dom.ts';
import { countAxis, formatSeconds, NONE, timeAxis, timelinePoints, type TimelineKind, type TimelinePoint } from './view-model.ts';

/** viewBox width when the container has no layout yet (detached, or a test DOM). */
const DEFAULT_WIDTH = 640;
/** The chart is drawn at about its on-screen width so its text stays readable on a phone. */
const MIN_WIDTH = 320;
const MAX_WIDTH = 960;
const LEFT = 44;
const RIGHT = 16;
const TOP = 12;
const QUOTA_HEIGHT = 96;
/** Half the size of a mark, in viewBox units. */
const MARK = 6;
const STACK_STEP = 2 * MARK + 2;
/** Marks closer than this share a column and stack upwards instead of hiding each other. */
const SAME_COLUMN = 1.6 * MARK;
const MAX_STACK = 6;
const AXIS_HEIGHT = 40;
const KINDS: readonly TimelineKind[] = ['allowed', 'rejected', 'failed'];

// Each chart's <title> and <desc> need ids unique on the page for aria-labelledby.
let chartCount = 0;

/**
 * Replaces the container's content with an SVG timeline of `outcomes` and its legend. The SVG
 * scales to the container's width (viewBox); colours come from Starlight's CSS variables through
 * the classes in playground.css, so it follows the dark and light themes.
 */
export function renderTimeline(container: HTMLElement, outcomes: readonly Outcome[], t: Translate): void {
  const points = timelinePoints(outcomes);
  const hasQuota = points.some((p) => p.remaining !== null);
  const width = Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, Math.round(container.clientWidth) || DEFAULT_WIDTH));
  const x = xScale(points, width);
  const levels = stackLevels(points.map((p) => x.at(p.atMs)));
  const laneTop = TOP + (hasQuota ? QUOTA_HEIGHT + 12 : 0);
  const baseline = laneTop + Math.max(...levels, 0) * STACK_STEP + MARK + 2;
  const axisY = baseline + MARK + 6;
  const height = axisY + AXIS_HEIGHT;

  const id = `wl-timeline-${++chartCount}`;
  const svg = svgEl('svg', {
    class: 'wl-timeline-chart',
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-labelledby': `${id}-title ${id}-desc`,
    preserveAspectRatio: 'xMidYMid meet',
  });
  const title = svgEl('title', { id: `${id}-title` });
  title.textContent = t('timeline.title');
  const desc = svgEl('desc', { id: `${id}-desc` });
  desc.textContent = describe(points, t);
  svg.append(title, desc, xAxis(x, axisY, t));
  if (hasQuota) svg.append(quotaLine(points, x, t));
  const marks = svgEl('g', { class: 'wl-marks' });
  points.forEach((p, i) => marks.append(mark(p, x.at(p.atMs), baseline - (levels[i] ?? 0) * STACK_STEP, t)));
  svg.append(marks);
  const hasChunks = points.some((p) => p.chunkAtMs.length > 0);
  if (hasChunks) svg.append(chunkTicks(points, x, baseline + MARK + 1, t));

  const figure = append(el('figure', 'wl-timeline not-content'), svg, legend(points, hasQuota, hasChunks, t));
  container.replaceChildren(figure);
}

interface XScale {
  at: (ms: number) => number;
  ticks: number[];
  /** The plot's right edge, in viewBox units. */
  end: number;
}

function xScale(points: readonly TimelinePoint[], width: number): XScale {
  const end = width - RIGHT;
  // Fewer ticks on a narrow chart, so labels like "120s" do not run into each other.
  const axis = timeAxis(Math.max(0, ...points.flatMap((p) => [p.atMs, ...p.chunkAtMs])), width < 480 ? 4 : 6);
  return { at: (ms) => LEFT + (ms / axis.max) * (end - LEFT), ticks: axis.ticks, end };
}

/** Stack level per mark: 0 on the baseline, +1 for each earlier mark in the same column, capped. */
function stackLevels(xs: readonly number[]): number[] {
  const levels = new Array<number>(xs.length).fill(0);
  // The harness numbers requests in time order (scenario.ts expandRequests); sorting here keeps the view from relying on it.
  const order = xs.map((_, i) => i).sort((a, b) => xs[a]! - xs[b]! || a - b);
  let columnX = Number.NEGATIVE_INFINITY;
  let level = 0;
  for (const i of order) {
    const x = xs[i]!;
    if (x - columnX < SAME_COLUMN) level++;
    else [columnX, level] = [x, 0];
    // Past the cap, marks wrap and overlap: a burst of hundreds at one instant is still one column.
    levels[i] = level % MAX_STACK;
  }
  return levels;
}

function xAxis(x: XScale, y: number, t: Translate): SVGGElement {
  const axis = svgEl('g', { class: 'wl-axis' });
  axis.append(svgEl('line', { x1: LEFT, x2: x.end, y1: y, y2: y }));
  for (const tick of x.ticks) {
    const tx = x.at(tick);
    axis.append(svgEl('line', { x1: tx, x2: tx, y1: y, y2: y + 4 }));
    const label = svgEl('text', { x: tx, y: y + 16, 'text-anchor': 'middle' });
    label.textContent = formatSeconds(tick);
    axis.append(label);
  }
  const name = svgEl('text', { class: 'wl-axis-title', x: (LEFT + x.end) / 2, y: y + 34, 'text-anchor': 'middle' });
  name.textContent = t('timeline.seconds');
  axis.append(name);
  return axis;
}

/** A step line: each reported quota holds until the next report, and the last one to the edge. */
function quotaLine(points: readonly TimelinePoint[], x: XScale, t: Translate): SVGGElement {
  const known = points.filter((p): p is TimelinePoint & { remaining: number } => p.remaining !== null);
  const axis = countAxis(Math.max(...known.map((p) => p.remaining)));
  const y = (v: number) => TOP + QUOTA_HEIGHT - (Math.max(0, v) / axis.max) * QUOTA_HEIGHT;
  const group = svgEl('g', { class: 'wl-quota' });
  const yAxis = svgEl('g', { class: 'wl-axis' });
  yAxis.append(svgEl('line', { x1: LEFT, x2: LEFT, y1: TOP, y2: TOP + QUOTA_HEIGHT }));
  for (const tick of axis.ticks) {
    yAxis.append(svgEl('line', { class: 'wl-grid', x1: LEFT, x2: x.end, y1: y(tick), y2: y(tick) }));
    const label = svgEl('text', { x: LEFT - 6, y: y(tick) + 4, 'text-anchor': 'end' });
    label.textContent = String(tick);
    yAxis.append(label);
  }
  const [first, ...rest] = known;
  let d = first ? `M${x.at(first.atMs)},${y(first.remaining)}` : '';
  for (const p of rest) d += ` H${x.at(p.atMs)} V${y(p.remaining)}`;
  d += ` H${x.end}`;
  const line = svgEl('path', { class: 'wl-quota-line', d });
  const lineTitle = svgEl('title');
  lineTitle.textContent = t('timeline.remaining');
  line.append(lineTitle);
  group.append(yAxis, line);
  return group;
}

/** A short tick per chunk a client received, just under the marks: a stream shows as a comb after its request. */
function chunkTicks(points: readonly TimelinePoint[], x: XScale, top: number, t: Translate): SVGGElement {
  const group = svgEl('g', { class: 'wl-chunk-ticks' });
  for (const p of points) {
    if (p.chunkAtMs.length === 0) continue;
    const comb = svgEl('g', { 'data-index': p.index });
    const title = svgEl('title');
    title.textContent = `#${p.index} ${t('timeline.chunks')}: ${p.chunkAtMs.length}`;
    comb.append(title, ...p.chunkAtMs.map((at) => svgEl('line', { x1: x.at(at), x2: x.at(at), y1: top, y2: top + 4 })));
    group.append(comb);
  }
  return group;
}

function mark(p: TimelinePoint, cx: number, cy: number, t: Translate): SVGGElement {
  const group = svgEl('g', { class: `wl-mark wl-mark--${p.kind}`, 'data-index': p.index });
  const title = svgEl('title');
  const status = p.status === 0 ? NONE : String(p.status);
  title.textContent = `#${p.index} ${formatSeconds(p.atMs)} ${status} ${t(`timeline.${p.kind}`)}`;
  group.append(title, shape(p.kind, cx, cy));
  return group;
}

/** Circle for allowed, square for rejected, triangle for failed. */
function shape(kind: TimelineKind, cx: number, cy: number): SVGElement {
  if (kind === 'allowed') return svgEl('circle', { cx, cy, r: MARK });
  if (kind === 'rejected') return svgEl('rect', { x: cx - MARK + 1, y: cy - MARK + 1, width: 2 * MARK - 2, height: 2 * MARK - 2 });
  return svgEl('path', { d: `M${cx},${cy - MARK} L${cx + MARK},${cy + MARK - 1} L${cx - MARK},${cy + MARK - 1} Z` });
}

function describe(points: readonly TimelinePoint[], t: Translate): string {
  const counts = KINDS.map((kind) => `${t(`timeline.${kind}`)} ${points.filter((p) => p.kind === kind).length}`);
  return `${t('timeline.requests')} ${points.length}: ${counts.join(', ')}`;
}

function legend(points: readonly TimelinePoint[], hasQuota: boolean, hasChunks: boolean, t: Translate): HTMLUListElement {
  const list = el('ul', 'wl-legend');
  for (const kind of KINDS) {
    const count = points.filter((p) => p.kind === kind).length;
    list.append(append(el('li', `wl-legend-item wl-legend-item--${kind}`), swatch(svgEl('g', { class: `wl-mark wl-mark--${kind}` }), kind), document.createTextNode(`${t(`timeline.${kind}`)} (${count})`)));
  }
  if (hasQuota) {
    const line = svgEl('path', { class: 'wl-quota-line', d: 'M1,11 H6 V5 H13' });
    list.append(append(el('li', 'wl-legend-item wl-legend-item--remaining'), swatch(line, null), document.createTextNode(t('timeline.remaining'))));
  }
  if (hasChunks) {
    const ticks = svgEl('g', { class: 'wl-chunk-ticks' });
    for (const tx of [3, 7, 11]) ticks.append(svgEl('line', { x1: tx, x2: tx, y1: 4, y2: 10 }));
    const count = points.reduce((n, p) => n + p.chunkAtMs.length, 0);
    list.append(append(el('li', 'wl-legend-item wl-legend-item--chunks'), swatch(ticks, null), document.createTextNode(`${t('timeline.chunks')} (${count})`)));
  }
  return list;
}

function swatch(content: SVGElement, kind: TimelineKind | null): SVGSVGElement {
  const icon = svgEl('svg', { class: 'wl-swatch', viewBox: '0 0 14 14', width: 14, height: 14, 'aria-hidden': 'true' });
  if (kind) content.append(shape(kind, 7, 7));
  icon.append(content);
  return icon;
}
