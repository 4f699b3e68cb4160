/**
 * Small blocks the outcome views share: a titled section, a log list, an error with its hint,
 * a header list with the plugin's changes marked, a body. All plugin text goes in as textContent.
 */
import type { HeaderList, LogLevelName, OutcomeError, UnimplementedCall } from '../../harness/outcome.ts';
import { append, el, type Translate } from './dom.ts';

/** A log line as it reaches the views; startup failures cross postMessage with `level` as a plain string. */
export interface LogLineLike {
  level: string;
  message: string;
}

const LEVELS = new Set<string>(['trace', 'debug', 'info', 'warn', 'error', 'critical'] satisfies LogLevelName[]);

/** A titled block of the expanded outcome; `title` is already translated. */
export function section(className: string, title: string, ...children: Array<Node | null | false>): HTMLElement {
  return append(el('section', `wl-section ${className}`), el('h4', 'wl-section-title', title), ...children);
}

/**
 * A line of `label value`. The label's string carries its own colon (`Hint:`, `建议：`), because
 * the two languages punctuate differently; the gap after it is CSS, not a space character.
 */
export function labelled(className: string, labelText: string, value: string): HTMLElement {
  return append(el('p', className), el('span', 'wl-inline-label', labelText), document.createTextNode(value));
}

/** A small label above a sub-block (headers, body) inside a section. */
export function label(text: string): HTMLElement {
  return el('p', 'wl-label', text);
}

/**
 * Lists log lines, each with its level as a visible word (so levels read without colour).
 * An unknown level (it arrived as a plain string) is shown as written but styled as `unknown`.
 */
export function logList(logs: readonly LogLineLike[]): HTMLOListElement {
  const list = el('ol', 'wl-logs');
  for (const { level, message } of logs) {
    const style = LEVELS.has(level) ? level : 'unknown';
    list.append(append(el('li', `wl-log wl-log--${style}`), el('span', 'wl-level', level), el('span', 'wl-message', message)));
  }
  return list;
}

/** The error block: the kind, the one-sentence message, and the hint when there is one. */
export function errorBlock(error: Pick<OutcomeError, 'message' | 'hint'> & { kind?: string }, t: Translate): HTMLElement {
  const block = el('div', 'wl-error');
  const message = el('p', 'wl-error-message');
  if (error.kind) append(message, el('code', 'wl-error-kind', error.kind), document.createTextNode(' '));
  message.append(document.createTextNode(error.message));
  block.append(message);
  if (error.hint) {
    block.append(append(el('p', 'wl-hint'), el('strong', 'wl-inline-label', t('outcome.hint')), document.createTextNode(error.hint)));
  }
  return block;
}

/**
 * Lists headers in order as `name: value`. Names in `changed` are marked with a visible pencil
 * and a screen-reader phrase, not only a colour.
 */
export function headerList(headers: HeaderList, t: Translate, changed: readonly string[] = []): HTMLElement {
  if (headers.length === 0) return el('p', 'wl-muted', t('outcome.noHeaders'));
  const changedNames = new Set(changed);
  const list = el('dl', 'wl-headers');
  for (const [name, value] of headers) {
    const isChanged = changedNames.has(name);
    const row = el('div', isChanged ? 'wl-header wl-header--changed' : 'wl-header');
    const term = el('dt', '', name);
    if (isChanged) {
      const mark = el('span', 'wl-changed-mark', '✎');
      mark.setAttribute('aria-hidden', 'true');
      term.prepend(mark);
      term.append(el('span', 'wl-sr-only', ` (${t('outcome.changedByPlugin')})`));
    }
    list.append(append(row, term, el('dd', '', value)));
  }
  return list;
}

/** A request or response body in a scrollable `<pre>`, or a muted note when it is empty. */
export function bodyBlock(body: string, t: Translate): HTMLElement {
  if (body === '') return el('p', 'wl-muted', t('outcome.emptyBody'));
  const pre = el('pre', 'wl-body', body);
  // A scrollable region must be reachable by keyboard to be scrolled without a mouse (WCAG 2.1.1).
  pre.tabIndex = 0;
  return pre;
}

/** Lists imports the plugin called that this gateway does not provide, with how often. */
export function unimplementedList(calls: readonly UnimplementedCall[]): HTMLElement {
  const list = el('ul', 'wl-calls');
  for (const { module, name, count } of calls) list.append(el('li', 'wl-call', `${module}.${name} × ${count}`));
  return list;
}
