/**
 * The outcome list: one native `<details>` per request (keyboard accessible for free), whose
 * summary answers "what happened" at a glance and whose body shows how; above it, how many of
 * the scenario's checks pass.
 */
import type { ExpectationFailure } from '../../harness/expect.ts';
import type { Outcome, UnimplementedCall } from '../../harness/outcome.ts';
import type { RunResult } from '../../harness/run.ts';
import { append, el, type Translate } from './dom.ts';
import { checkBadge, checkSummary } from './render-checks.ts';
import { outcomeDetails } from './render-outcome-details.ts';
import { errorBlock, label, logList, unimplementedList, type LogLineLike } from './render-parts.ts';
import { outcomeRows, type OutcomeRow } from './view-model.ts';

/** What a startup block can show besides its log lines. */
export interface StartupOptions {
  /** Open the block (a rejected config is the whole story); closed when it is context for a run. */
  isOpen?: boolean;
  /** The failure that stopped the run, e.g. `config-rejected`, shown above the logs. */
  error?: { kind?: string; message: string; hint?: string };
  /** Imports called at startup that this gateway does not provide. */
  unimplemented?: readonly UnimplementedCall[];
}

/**
 * Replaces the container's content with the run's outcomes: the startup logs (closed) when there
 * are any, the checks summary when a request has an expect block, then one list item per request
 * carrying `data-outcome="<index>"` and `data-status="<status>"` (stable hooks for tests and e2e),
 * or an empty-state message. A request whose checks fail opens on what differs.
 */
export function renderOutcomes(container: HTMLElement, result: RunResult, t: Translate): void {
  const { logs, unimplemented } = result.startup;
  const startup = logs.length > 0 || unimplemented.length > 0 ? startupBlock(logs, t, { isOpen: false, unimplemented }) : null;
  if (result.outcomes.length === 0) {
    container.replaceChildren(...[startup, el('p', 'wl-empty not-content', t('outcome.empty'))].filter((n) => n !== null));
    return;
  }
  const list = el('ol', 'wl-outcomes not-content');
  const rows = outcomeRows(result.outcomes);
  result.outcomes.forEach((outcome, i) => list.append(outcomeItem(outcome, rows[i]!, result.checks.byOutcome[i] ?? null, t)));
  // A very long run comes back with its first outcomes only (worker-client.ts): say so.
  const omitted = result.summary?.omitted ?? 0;
  const capped = omitted > 0 ? el('p', 'wl-muted wl-outcomes-capped not-content', t('playground.results.capped', { shown: result.outcomes.length, total: result.outcomes.length + omitted })) : null;
  container.replaceChildren(...[startup, checkSummary(result.checks, t), capped, list].filter((n) => n !== null));
}

/**
 * Replaces the container's content with configure-time log lines, open by default: this is what
 * the reader needs when the plugin rejected its configuration and no request ran.
 */
export function renderStartupLogs(container: HTMLElement, logs: readonly LogLineLike[], t: Translate, options: StartupOptions = {}): void {
  container.replaceChildren(startupBlock(logs, t, { isOpen: true, ...options }));
}

function startupBlock(logs: readonly LogLineLike[], t: Translate, options: StartupOptions): HTMLDetailsElement {
  const block = el('details', 'wl-startup not-content');
  block.open = options.isOpen ?? true;
  block.append(el('summary', 'wl-startup-title', `${t('startup.title')} (${logs.length})`));
  if (options.error) block.append(errorBlock(options.error, t));
  block.append(logs.length > 0 ? logList(logs) : el('p', 'wl-muted', t('startup.noLogs')));
  if (options.unimplemented?.length) block.append(label(t('outcome.unimplemented')), unimplementedList(options.unimplemented));
  return block;
}

/** `failures`: the request's unmet expectations, or null when it has no expect block. */
function outcomeItem(outcome: Outcome, row: OutcomeRow, failures: ExpectationFailure[] | null, t: Translate): HTMLLIElement {
  const item = el('li', `wl-outcome wl-outcome--${row.statusClass}`);
  item.dataset.outcome = String(outcome.index);
  item.dataset.status = String(outcome.status);
  const details = el('details', 'wl-outcome-details');
  // A failed check is what the reader came to see, so its difference is on screen without a click.
  details.open = failures !== null && failures.length > 0;
  details.append(summaryLine(row, failures, t), outcomeDetails(outcome, t, failures ?? []));
  item.append(details);
  return item;
}

function summaryLine(row: OutcomeRow, failures: ExpectationFailure[] | null, t: Translate): HTMLElement {
  const summary = el('summary', 'wl-outcome-summary');
  append(
    summary,
    failures && checkBadge(failures, t),
    el('span', 'wl-time', row.timeLabel),
    append(el('span', 'wl-request'), el('span', 'wl-method', row.method), document.createTextNode(' '), el('code', 'wl-path', row.path)),
    el('span', `wl-status wl-status--${row.statusClass}`, row.status),
    el('span', `wl-source wl-source--${row.source}`, t(`outcome.source.${row.source}`)),
  );
  if (row.changedHeaders.length > 0) {
    const changed = append(el('span', 'wl-changed-list'), el('span', 'wl-sr-only', `${t('outcome.changedHeaders')}:`));
    for (const { name, value } of row.changedHeaders) changed.append(el('code', 'wl-changed', `${name}: ${value}`));
    summary.append(changed);
  }
  if (row.error) summary.append(el('span', 'wl-error-badge', `⚠ ${row.error.kind}`));
  const levels = Object.entries(row.logCounts).filter(([, count]) => count > 0);
  if (levels.length > 0) {
    const counts = append(el('span', 'wl-log-counts'), el('span', 'wl-sr-only', `${t('outcome.logs')}:`));
    for (const [level, count] of levels) counts.append(el('span', `wl-count wl-log--${level}`, `${level} ${count}`));
    summary.append(counts);
  }
  return summary;
}
