/**
 * The scenario's checks on the page: a summary line over the outcome list, a ✓ or ✗ per request
 * with an expect block, and for a ✗ what was expected and what happened, worded in the page's
 * language from the failure's structured fields (its English `message` is the CLI's).
 */
import type { ScenarioChecks } from '../../harness/checks.ts';
import { formatPath } from '../../harness/errors.ts';
import type { ExpectationFailure, ShownValue } from '../../harness/expect.ts';
import { append, el, type Translate } from './dom.ts';
import { NONE } from './view-model.ts';

/** How much of a body a difference quotes; the whole body is in the response section below. */
const QUOTE_CHARS = 120;

/** "4 of 5 checks pass" above the list, marked pass or fail by a glyph and a word; null when nothing is checked. */
export function checkSummary(checks: ScenarioChecks, t: Translate): HTMLElement | null {
  if (checks.checked === 0) return null;
  const isPassing = checks.passed === checks.checked;
  const line = el('p', `wl-check-summary wl-check-summary--${isPassing ? 'pass' : 'fail'} not-content`);
  line.dataset.checks = isPassing ? 'pass' : 'fail';
  const text = t('outcome.check.summary', { passed: checks.passed, total: checks.checked });
  return append(line, glyph(isPassing), document.createTextNode(text));
}

/**
 * The ✓ or ✗ of one request's summary line, named for screen readers (role img with a label),
 * so the result never rests on colour alone. `data-check` is a stable hook for tests.
 */
export function checkBadge(failures: readonly ExpectationFailure[], t: Translate): HTMLElement {
  const isPassing = failures.length === 0;
  const badge = el('span', `wl-check wl-check--${isPassing ? 'pass' : 'fail'}`, isPassing ? '✓' : '✗');
  const name = t(isPassing ? 'outcome.check.pass' : 'outcome.check.fail');
  badge.dataset.check = isPassing ? 'pass' : 'fail';
  badge.setAttribute('role', 'img');
  badge.setAttribute('aria-label', name);
  badge.title = name;
  return badge;
}

/** Lists a request's failed expectations, one `field: expected …, got …` line each. */
export function checkDiffList(failures: readonly ExpectationFailure[], t: Translate): HTMLElement {
  const list = el('ul', 'wl-check-diffs');
  for (const failure of failures) {
    const { field, expected, actual } = describeFailure(failure, t);
    const item = el('li', 'wl-check-diff');
    item.dataset.field = field;
    fill(item, t('outcome.check.diff'), {
      field: el('code', 'wl-check-field', field),
      expected: el('span', 'wl-check-expected', expected),
      actual: el('span', 'wl-check-actual', actual),
    });
    list.append(item);
  }
  return list;
}

/** One failure as the page words it: the field inside expect, then both sides in the page's language. */
export interface FailureWords {
  /** The path inside the expect block: `status`, `headers.x-foo`, `logs[0]`. */
  field: string;
  expected: string;
  actual: string;
}

/**
 * Words a failure's expected and actual values by what the field means: header rules (`*`, null),
 * texts that must be contained, whether the upstream was reached, who answered, an error kind.
 */
export function describeFailure(failure: ExpectationFailure, t: Translate): FailureWords {
  const field = formatPath('', failure.keys).replace(/^\./, '');
  const area = checkArea(failure.keys);
  const word = (value: ShownValue, side: 'expected' | 'actual'): string => {
    switch (area) {
      case 'status':
        return value === 0 ? NONE : String(value);
      case 'source':
        return t(`outcome.source.${String(value)}`);
      case 'headers':
        return value === null ? t('outcome.check.absent') : value === '*' && side === 'expected' ? t('outcome.check.anyValue') : JSON.stringify(value);
      case 'body':
      case 'logs':
        if (side === 'expected') return t('outcome.check.contains', { text: JSON.stringify(value) });
        if (Array.isArray(value)) return value.length === 0 ? t('outcome.check.noLogs') : t('outcome.check.noLogLine', { n: value.length });
        return value === '' ? t('outcome.emptyBody') : quote(String(value));
      case 'reached':
        return t(value === true ? 'outcome.check.reached' : 'outcome.check.notReached');
      case 'error':
        return value === null ? t('outcome.check.noError') : String(value);
      default:
        return value === null ? t('outcome.check.absent') : JSON.stringify(value);
    }
  };
  return { field, expected: word(failure.expected, 'expected'), actual: word(failure.actual, 'actual') };
}

/** Which kind of value a failure compares, from its keys: trailers word like headers, a chunk's text like the body. */
function checkArea(keys: ExpectationFailure['keys']): string | number | undefined {
  const [first, second, third] = keys;
  const [key, sub] = first === 'upstream' ? [second, third] : [first, second];
  if (key === 'trailers') return 'headers';
  if (key === 'chunks') return sub === 'body' ? 'body' : 'count';
  if (first === 'upstream') return key === 'headers' || key === 'body' ? key : 'reached';
  return key;
}

function quote(text: string): string {
  return JSON.stringify(text.length > QUOTE_CHARS ? `${text.slice(0, QUOTE_CHARS - 1)}…` : text);
}

function glyph(isPassing: boolean): HTMLElement {
  // The sentence beside it says the same, so the glyph is decoration for screen readers.
  const mark = el('span', 'wl-check-glyph', isPassing ? '✓' : '✗');
  mark.setAttribute('aria-hidden', 'true');
  return mark;
}

/**
 * Appends a translated template to `parent`, putting each `{name}` slot's node in its place; the
 * words around the slots stay in the language's order (`{field}: expected …` / `{field}：应为 …`).
 */
function fill(parent: HTMLElement, template: string, slots: Record<string, Node>): void {
  for (const piece of template.split(/(\{\w+\})/)) {
    const slot = /^\{(\w+)\}$/.exec(piece)?.[1];
    const node = slot === undefined ? undefined : slots[slot];
    if (node !== undefined) parent.append(node);
    else if (piece !== '') parent.append(document.createTextNode(piece));
  }
}
