/**
 * The sequence view: for one request at a time, a sequence diagram of the calls between the
 * client, the gateway, the plugin, the services the plugin calls and the upstream
 * (Outcome.sequence), with each stretch where the plugin held the stream shaded on the gateway's
 * lifeline, and the same steps as an ordered list of text for screen readers and small screens.
 * Kinds of arrow differ in line and arrowhead as well as colour (WCAG 1.4.1): calls are solid with
 * a filled head, returns and replies dashed with an open head, body chunks dotted, failures end in
 * a cross. Every label the plugin or the harness produced goes in as text, never as markup.
 */
import type { Outcome, SequenceParty, SequenceStep } from '../../harness/outcome.ts';
import { append, el, svgEl, type Translate } from './dom.ts';
import { formatSeconds, NONE } from './view-model.ts';

/** Room for the time labels left of the first lifeline, in viewBox units. */
const LEFT = 60;
/** Distance between two lifelines. */
const COL = 150;
const RIGHT = 8;
const TOP = 8;
const HEAD_HEIGHT = 30;
/** Space between the party boxes and the first arrow. */
const HEAD_GAP = 30;
const ROW = 30;
const BOTTOM = 20;
/** Extra length for a pause that never ends, below the last step. */
const TAIL = 36;
/** Half the width of a pause band on the gateway's lifeline. */
const BAND = 6;
/** A label may be wider than its arrow (it has a halo in the page colour), up to this width. */
const LABEL_MIN = 196;
/** Font sizes in viewBox units, and the average character width in em: labels are monospace, headers the system font. */
const LABEL_FONT = 11;
const MONO_EM = 0.6;
const HEAD_FONT = 12;
const SANS_EM = 0.55;
/** The narrowest the diagram is drawn at on screen (CSS px); wider diagrams keep ~85% of their size, and the wrapper scrolls. */
const MIN_WIDTH = 560;

const FIXED_START = ['client', 'gateway', 'plugin'] as const;
const KINDS: ReadonlySet<string> = new Set([
  'request', 'callback', 'return', 'callout', 'callout-reply', 'resume', 'local-reply',
  'upstream-request', 'upstream-response', 'chunk', 'response', 'error',
]);
/** Drawn dashed with an open arrowhead: answers to an earlier arrow. */
const REPLIES: ReadonlySet<string> = new Set(['return', 'callout-reply', 'upstream-response', 'response']);
/** Labels that name a host export or import: shown without the `proxy_` prefix. */
const ABI_LABELS: ReadonlySet<string> = new Set(['callback', 'resume', 'local-reply']);

type Direction = 'request' | 'response';

/** A stretch of a request's steps during which the plugin held one direction of the stream. */
export interface SequencePause {
  direction: Direction;
  /** The step (index into the sequence) of the `return` that paused the stream. */
  fromStep: number;
  /** The step that ended the pause: a resume, a local reply, the response, a non-paused return of the same direction, or the error the request failed with; null when the steps end first. */
  toStep: number | null;
  /** The stream was never let go: the pause ended in an error, or not at all. */
  isUnfinished: boolean;
}

// Each diagram's <title>, <desc> and picker need ids unique on the page.
let diagramCount = 0;

/**
 * Replaces the container's content with a request picker and the sequence diagram of the chosen
 * request: `selectedIndex` is that request's Outcome.index (the first request when absent or not
 * in the run). The root carries `data-role="sequence"`; each step's group `data-step` (its position
 * in the sequence, from 0), `data-kind`, `data-from` and `data-to`; each pause band `data-pause`
 * (its direction) with `data-from-step` and `data-to-step`, and `data-unfinished` when it never ended.
 */
export function renderSequence(container: HTMLElement, outcomes: readonly Outcome[], t: Translate, selectedIndex?: number): void {
  const root = el('div', 'wl-sequence not-content');
  root.dataset.role = 'sequence';
  if (outcomes.length === 0) {
    container.replaceChildren(append(root, el('p', 'wl-empty', t('sequence.empty'))));
    return;
  }
  const id = `wl-sequence-${++diagramCount}`;
  const selected = outcomes.find((o) => o.index === selectedIndex) ?? outcomes[0]!;
  const select = el('select', 'wl-seq-select');
  select.id = `${id}-request`;
  select.dataset.role = 'sequence-request';
  for (const outcome of outcomes) {
    const option = el('option', '', requestName(outcome));
    option.value = String(outcome.index);
    option.selected = outcome === selected;
    select.append(option);
  }
  const label = el('label', 'wl-seq-picker-label', t('sequence.request'));
  label.htmlFor = select.id;
  const body = el('div', 'wl-seq-body');
  select.addEventListener('change', () => {
    const outcome = outcomes.find((o) => String(o.index) === select.value);
    if (outcome) drawRequest(body, outcome, t, id);
  });
  drawRequest(body, selected, t, id);
  container.replaceChildren(append(root, append(el('div', 'wl-seq-picker'), label, select), body));
}

/** `#0 GET /get → 200`, with the error kind when the request failed. */
function requestName(outcome: Outcome): string {
  const status = outcome.status === 0 ? NONE : String(outcome.status);
  const error = outcome.error ? ` ⚠ ${outcome.error.kind}` : '';
  return `#${outcome.index} ${outcome.request.method} ${outcome.request.path} → ${status}${error}`;
}

function drawRequest(body: HTMLElement, outcome: Outcome, t: Translate, id: string): void {
  const steps = outcome.sequence ?? [];
  if (steps.length === 0) {
    body.replaceChildren(el('p', 'wl-empty', t('sequence.none')));
    return;
  }
  const parties = sequenceParties(steps);
  const pauses = sequencePauses(steps);
  const names = new Map(parties.map((p) => [p, partyName(p, t)]));
  const times = stepTimes(steps);
  const svg = sequenceDiagram(steps, parties, pauses, names, times, t, `${id}-${outcome.index}`, requestName(outcome));
  const scroll = append(el('div', 'wl-seq-scroll'), svg);
  scroll.tabIndex = 0;
  scroll.setAttribute('role', 'region');
  scroll.setAttribute('aria-label', t('sequence.scroll'));
  body.replaceChildren(scroll, legend(steps, pauses, t), stepList(steps, pauses, names, times, t));
}

/**
 * The parties that take part, as columns: client, gateway and plugin, then each called service in
 * order of first appearance, then the upstream; only those some step goes from or to.
 */
export function sequenceParties(steps: readonly SequenceStep[]): SequenceParty[] {
  const seen = new Set<SequenceParty>(steps.flatMap((s) => [s.from, s.to]));
  const services: SequenceParty[] = [];
  for (const step of steps) {
    for (const party of [step.from, step.to]) {
      if (!(FIXED_START as readonly string[]).includes(party) && party !== 'upstream' && !services.includes(party)) services.push(party);
    }
  }
  return [...FIXED_START.filter((p) => seen.has(p)), ...services, ...(seen.has('upstream') ? (['upstream'] as const) : [])];
}

/**
 * A column's heading: the translated name of a fixed party, or `Redis · redis.static` for
 * `redis:outbound|6379||redis.static` (the Envoy `outbound|port|subset|` prefix left out).
 */
export function partyName(party: string, t: Translate): string {
  if ((FIXED_START as readonly string[]).includes(party) || party === 'upstream') return t(`sequence.party.${party}`);
  const match = /^(redis|http):(.*)$/.exec(party);
  if (!match) return party;
  const cluster = match[2]!;
  const service = cluster.replace(/^(?:outbound|inbound)\|[^|]*\|[^|]*\|/, '') || cluster;
  return `${match[1] === 'redis' ? 'Redis' : 'HTTP'} · ${service}`;
}

/**
 * Finds where the plugin held the stream: from a `return` with `paused` to the step that let it
 * go on — a `resume`, a `local-reply`, the `response`, or a later non-paused `return` of the same
 * direction (a body callback that buffered and then continued). An `error` ends a pause as
 * unfinished: the request failed while held (a stall). A paused return while that direction is
 * already held extends the same pause.
 */
export function sequencePauses(steps: readonly SequenceStep[]): SequencePause[] {
  const pauses: SequencePause[] = [];
  const open = new Map<Direction, SequencePause>();
  const close = (direction: Direction, step: number, isUnfinished: boolean) => {
    const pause = open.get(direction);
    if (!pause) return;
    Object.assign(pause, { toStep: step, isUnfinished });
    open.delete(direction);
  };
  steps.forEach((step, i) => {
    const direction: Direction = step.direction ?? 'request';
    switch (step.kind) {
      case 'return':
        if (!step.paused) close(direction, i, false);
        else if (!open.has(direction)) {
          const pause: SequencePause = { direction, fromStep: i, toStep: null, isUnfinished: true };
          open.set(direction, pause);
          pauses.push(pause);
        }
        break;
      case 'resume':
        close(step.direction ?? (open.has('request') ? 'request' : 'response'), i, false);
        break;
      case 'local-reply':
      case 'response':
        for (const d of [...open.keys()]) close(d, i, false);
        break;
      case 'error':
        for (const d of [...open.keys()]) close(d, i, true);
        break;
      default:
        break;
    }
  });
  return pauses;
}

/** Each step's time relative to the request's first step: `0 ms`, `+5 ms`, `+1.5s`. */
function stepTimes(steps: readonly SequenceStep[]): string[] {
  const start = steps[0]?.at ?? 0;
  return steps.map((s) => formatOffset(s.at - start));
}

/**
 * Whole milliseconds: the virtual clock moves a few microseconds with each read, which is not a
 * wait worth a label (a reply with no latency would read `+0.013 ms`).
 */
function formatOffset(ms: number): string {
  if (ms < 0.5) return '0 ms';
  if (ms >= 1000) return `+${formatSeconds(ms)}`;
  return `+${Math.round(ms)} ms`;
}

/** The label as shown: callback names without `proxy_`; what the harness words in English, in the page's language. */
function stepLabel(step: SequenceStep, t: Translate): string {
  if (step.kind === 'chunk' && step.folded !== undefined) return t('sequence.folded', { n: step.folded });
  if (step.kind === 'chunk' && step.bytes !== undefined) return t('sequence.bytes', { n: step.bytes });
  if (step.kind === 'resume' && step.direction) return t(`sequence.resume.${step.direction}`);
  return ABI_LABELS.has(step.kind) ? step.label.replace(/^proxy_/, '') : step.label;
}

function pauseLabel(pause: SequencePause, t: Translate): string {
  return t(`sequence.paused.${pause.direction}`);
}

function sequenceDiagram(
  steps: readonly SequenceStep[],
  parties: readonly SequenceParty[],
  pauses: readonly SequencePause[],
  names: ReadonlyMap<string, string>,
  times: readonly string[],
  t: Translate,
  id: string,
  request: string,
): SVGSVGElement {
  const width = LEFT + parties.length * COL + RIGHT;
  const x = (party: string) => LEFT + (parties.indexOf(party as SequenceParty) + 0.5) * COL;
  const rowY = (i: number) => TOP + HEAD_HEIGHT + HEAD_GAP + i * ROW;
  const lastY = rowY(steps.length - 1);
  const hasOpenEnd = pauses.some((p) => p.isUnfinished);
  const end = lastY + (hasOpenEnd ? TAIL : ROW / 2);
  const height = end + BOTTOM;

  const svg = svgEl('svg', {
    class: 'wl-seq-chart',
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-labelledby': `${id}-title ${id}-desc`,
    preserveAspectRatio: 'xMinYMin meet',
  });
  // On screen at about its own size: never narrower than MIN_WIDTH px, nor than 85% of its units (the wrapper scrolls).
  svg.style.setProperty('--wl-seq-min', `${Math.max(MIN_WIDTH, Math.round(width * 0.85))}px`);
  svg.style.setProperty('--wl-seq-max', `${Math.round(width * 1.25)}px`);
  const title = svgEl('title', { id: `${id}-title` });
  title.textContent = t('sequence.title', { request });
  const desc = svgEl('desc', { id: `${id}-desc` });
  desc.textContent = t('sequence.desc', { count: steps.length, parties: parties.map((p) => names.get(p)!).join(', ') });
  svg.append(title, desc);

  // Pause zones first, under everything: a faint stripe across the diagram, and a band on the gateway's lifeline.
  const gx = x('gateway');
  const bands = svgEl('g', { class: 'wl-seq-pauses' });
  const held = new Set<number>();
  for (const pause of pauses) {
    const y1 = rowY(pause.fromStep);
    const y2 = pause.isUnfinished ? end : rowY(pause.toStep!);
    const last = pause.isUnfinished ? steps.length - 1 : pause.toStep!;
    for (let i = pause.fromStep; i <= last; i++) held.add(i);
    const next = steps[pause.fromStep + 1];
    const nextTouchesClient = next !== undefined && (next.from === 'client' || next.to === 'client');
    if (parties.includes('gateway')) bands.append(pauseBand(pause, gx, y1, y2, width, nextTouchesClient, t));
  }

  const heads = svgEl('g', { class: 'wl-seq-parties' });
  for (const party of parties) heads.append(partyHead(party, names.get(party)!, x(party), end));

  const rows = svgEl('g', { class: 'wl-seq-steps' });
  steps.forEach((step, i) => {
    const y = rowY(i);
    if (i === 0 || times[i] !== times[i - 1]) {
      const time = svgEl('text', { class: 'wl-seq-time', x: 4, y: y + 4 });
      time.textContent = times[i]!;
      rows.append(time);
    }
    rows.append(stepGroup(step, i, x(step.from), x(step.to), y, width, held.has(i), `${times[i]} · ${names.get(step.from)} → ${names.get(step.to)} · ${stepLabel(step, t)}`, t));
  });

  svg.append(bands, heads, rows);
  return svg;
}

function partyHead(party: string, name: string, cx: number, end: number): SVGGElement {
  const group = svgEl('g', { class: 'wl-seq-party', 'data-party': party });
  const title = svgEl('title');
  // Services show a short name; the tooltip keeps the full one (`redis:outbound|6379||redis.static`).
  title.textContent = party.includes(':') ? party : name;
  const boxWidth = COL - 8;
  const text = svgEl('text', { x: cx, y: TOP + HEAD_HEIGHT / 2 + 4, 'text-anchor': 'middle' });
  text.textContent = truncate(name, boxWidth - 8, HEAD_FONT, SANS_EM);
  group.append(
    title,
    svgEl('line', { class: 'wl-seq-lifeline', x1: cx, x2: cx, y1: TOP + HEAD_HEIGHT, y2: end }),
    svgEl('rect', { class: 'wl-seq-head', x: cx - boxWidth / 2, y: TOP, width: boxWidth, height: HEAD_HEIGHT, rx: 4 }),
    text,
  );
  return group;
}

function pauseBand(pause: SequencePause, gx: number, y1: number, y2: number, width: number, nextTouchesClient: boolean, t: Translate): SVGGElement {
  const group = svgEl('g', {
    class: `wl-seq-pause wl-seq-pause--${pause.direction}${pause.isUnfinished ? ' wl-seq-pause--open' : ''}`,
    'data-pause': pause.direction,
    'data-from-step': pause.fromStep,
  });
  if (pause.toStep !== null) group.setAttribute('data-to-step', String(pause.toStep));
  if (pause.isUnfinished) group.setAttribute('data-unfinished', 'true');
  const label = pauseLabel(pause, t);
  const title = svgEl('title');
  title.textContent = pause.isUnfinished ? `${label} · ${t('sequence.neverResumed')}` : label;
  group.append(
    title,
    svgEl('rect', { class: 'wl-seq-pause-zone', x: LEFT, y: y1, width: width - LEFT - RIGHT, height: y2 - y1 }),
    svgEl('rect', { class: 'wl-seq-pause-band', x: gx - BAND, y: y1, width: 2 * BAND, height: y2 - y1 }),
    // The outline: an open pause has no bottom edge.
    svgEl('path', {
      class: 'wl-seq-pause-edge',
      d: `M${gx - BAND},${y2} V${y1} H${gx + BAND} V${y2}${pause.isUnfinished ? '' : ` H${gx - BAND}`}`,
    }),
  );
  // The label sits left of the gateway, where the steps of a held stream leave room: just under the
  // paused return (its arrow and label are on the right), or level with it when the next step
  // already crosses to the client (a stall's error) or the band ends there.
  const labelY = nextTouchesClient || y2 - y1 < ROW * 1.5 ? y1 + 4 : y1 + ROW / 2 + 4;
  const text = svgEl('text', { class: 'wl-seq-pause-label', x: gx - BAND - 6, y: labelY, 'text-anchor': 'end' });
  text.textContent = `‖ ${label}`;
  group.append(text);
  if (pause.isUnfinished) {
    // No bottom edge: a zigzag and the words say the band runs on past the last step.
    const zig = `M${gx - BAND},${y2} l3,-4 l3,4 l3,-4 l3,4`;
    const note = svgEl('text', { class: 'wl-seq-pause-label wl-seq-pause-open', x: gx - BAND - 6, y: y2 - 4, 'text-anchor': 'end' });
    note.textContent = `↓ ${t('sequence.neverResumed')}`;
    group.append(svgEl('path', { class: 'wl-seq-pause-zigzag', d: zig }), note);
  }
  return group;
}

function stepGroup(step: SequenceStep, i: number, fromX: number, toX: number, y: number, width: number, isHeld: boolean, full: string, t: Translate): SVGGElement {
  const kind = KINDS.has(step.kind) ? step.kind : 'other';
  const group = svgEl('g', {
    class: `wl-seq-step wl-seq-step--${kind}${step.paused ? ' wl-seq-step--paused' : ''}`,
    'data-step': i,
    'data-kind': step.kind,
    'data-from': step.from,
    'data-to': step.to,
  });
  const title = svgEl('title');
  title.textContent = full;
  group.append(title);
  const text = stepLabel(step, t);
  const shown = kind === 'error' ? `⚠ ${text}` : text;

  if (fromX === toX) {
    // A party calling itself: a small loop to the right, its label beside it.
    const loop = svgEl('path', { class: 'wl-seq-line', d: `M${fromX + 2},${y - 8} h22 v10 h-18`, fill: 'none' });
    const label = svgEl('text', { class: 'wl-seq-label', x: fromX + 30, y: y - 1 });
    label.textContent = truncate(shown, Math.max(LABEL_MIN, width - RIGHT - fromX - 30), LABEL_FONT);
    group.append(loop, arrowHead(kind, fromX + 4, y + 2, -1), label);
    return group;
  }
  const dir = toX > fromX ? 1 : -1;
  // Arrows stop at a pause band's edge rather than running into it.
  const gatewayGap = isHeld ? BAND + 1 : 3;
  const x1 = fromX + dir * (step.from === 'gateway' ? gatewayGap : 3);
  const x2 = toX - dir * (step.to === 'gateway' ? gatewayGap : 3);
  const line = svgEl('line', { class: 'wl-seq-line', x1, x2, y1: y, y2: y });
  const span = Math.abs(x2 - x1);
  const room = Math.max(span - 8, LABEL_MIN);
  const centre = Math.min(Math.max((x1 + x2) / 2, LEFT + room / 2), width - RIGHT - room / 2);
  const label = svgEl('text', { class: 'wl-seq-label', x: centre, y: y - 6, 'text-anchor': 'middle' });
  label.textContent = truncate(shown, room, LABEL_FONT);
  group.append(line, arrowHead(kind, x2, y, dir), label);
  return group;
}

/** A filled head for calls, an open one for returns and replies, a cross for a failure. */
function arrowHead(kind: string, x: number, y: number, dir: number): SVGElement {
  const back = x - dir * 8;
  if (kind === 'error') return svgEl('path', { class: 'wl-seq-head-cross', d: `M${x - 5},${y - 5} L${x + 5},${y + 5} M${x - 5},${y + 5} L${x + 5},${y - 5}` });
  if (REPLIES.has(kind)) return svgEl('path', { class: 'wl-seq-head-open', d: `M${back},${y - 4} L${x},${y} L${back},${y + 4}` });
  if (kind === 'chunk') return svgEl('path', { class: 'wl-seq-head-filled', d: `M${x},${y} L${x - dir * 6},${y - 3} L${x - dir * 6},${y + 3} Z` });
  return svgEl('path', { class: 'wl-seq-head-filled', d: `M${x},${y} L${back},${y - 4} L${back},${y + 4} Z` });
}

/** Estimated text width: CJK and other wide characters take a full em, the rest `em`. */
function textWidth(text: string, font: number, em: number): number {
  let width = 0;
  for (const ch of text) width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? font : font * em;
  return width;
}

/** Cuts text to fit `room` units with an ellipsis; the full text stays in the step's <title>. */
function truncate(text: string, room: number, font: number, em = MONO_EM): string {
  if (textWidth(text, font, em) <= room) return text;
  let out = '';
  for (const ch of text) {
    if (textWidth(`${out}${ch}…`, font, em) > room) break;
    out += ch;
  }
  return `${out}…`;
}

function legend(steps: readonly SequenceStep[], pauses: readonly SequencePause[], t: Translate): HTMLUListElement {
  const kinds = new Set(steps.map((s) => s.kind));
  const list = el('ul', 'wl-legend wl-seq-legend');
  const item = (name: string, ...shapes: SVGElement[]) => {
    const icon = svgEl('svg', { class: 'wl-swatch', viewBox: '0 0 28 14', width: 28, height: 14, 'aria-hidden': 'true' });
    icon.append(...shapes);
    list.append(append(el('li', `wl-legend-item wl-seq-legend--${name}`), icon, document.createTextNode(t(`sequence.legend.${name}`))));
  };
  const sample = (kind: string) => {
    const group = svgEl('g', { class: `wl-seq-step wl-seq-step--${kind}` });
    group.append(svgEl('line', { class: 'wl-seq-line', x1: 2, x2: 24, y1: 7, y2: 7 }), arrowHead(kind, 26, 7, 1));
    return group;
  };
  item('call', sample('callback'));
  if ([...kinds].some((k) => REPLIES.has(k))) item('return', sample('return'));
  if (kinds.has('chunk')) item('chunk', sample('chunk'));
  if (kinds.has('error')) item('error', sample('error'));
  if (pauses.length > 0) {
    const band = svgEl('g', { class: 'wl-seq-pause' });
    band.append(svgEl('rect', { class: 'wl-seq-pause-band', x: 10, y: 1, width: 8, height: 12 }), svgEl('path', { class: 'wl-seq-pause-edge', d: 'M10,13 V1 H18 V13 Z' }));
    item('paused', band);
  }
  return list;
}

/** The steps as text, one line each: `+5 ms · Plugin → Gateway · StopIteration (request paused)`. */
function stepList(steps: readonly SequenceStep[], pauses: readonly SequencePause[], names: ReadonlyMap<string, string>, times: readonly string[], t: Translate): HTMLDetailsElement {
  const details = el('details', 'wl-seq-text');
  details.append(el('summary', '', t('sequence.steps')));
  const list = el('ol', 'wl-seq-list');
  steps.forEach((step, i) => {
    const pause = pauses.find((p) => p.fromStep === i);
    let line = `${times[i]} · ${names.get(step.from)} → ${names.get(step.to)} · ${stepLabel(step, t)}`;
    // The note brings its own spacing: ` (request paused)`, `（请求已暂停）`.
    if (pause) line += `${t(pause.isUnfinished ? 'sequence.pauseNote.unfinished' : 'sequence.pauseNote', { paused: pauseLabel(pause, t) })}`;
    const item = el('li', `wl-seq-item wl-seq-item--${KINDS.has(step.kind) ? step.kind : 'other'}`, line);
    item.dataset.step = String(i);
    list.append(item);
  });
  details.append(list);
  return details;
}
