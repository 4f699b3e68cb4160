/**
 * The expanded part of one outcome: what went wrong first (failed checks, an error), then the
 * request in the order it travelled: what the client sent, what the plugin said and whom it
 * called, what the upstream received, what the client got back.
 */
import type { ExpectationFailure } from '../../harness/expect.ts';
import type { Outcome } from '../../harness/outcome.ts';
import { append, el, type Translate } from './dom.ts';
import { checkDiffList } from './render-checks.ts';
import { bodyBlock, errorBlock, headerList, label, labelled, logList, section, unimplementedList } from './render-parts.ts';

/**
 * Builds the body of an outcome's `<details>`; sections with nothing to show are left out.
 * `failures` are the request's unmet expectations, shown first with what differs.
 */
export function outcomeDetails(outcome: Outcome, t: Translate, failures: readonly ExpectationFailure[] = []): HTMLElement {
  return append(
    el('div', 'wl-outcome-body'),
    failures.length > 0 && section('wl-section--checks', t('outcome.check.title'), checkDiffList(failures, t)),
    outcome.error ? section('wl-section--error', t('outcome.error'), errorBlock(outcome.error, t)) : null,
    outcome.unimplemented?.length ? section('wl-section--unimplemented', t('outcome.unimplemented'), unimplementedList(outcome.unimplemented)) : null,
    section(
      'wl-section--request',
      t('outcome.request'),
      label(t('outcome.headers')),
      headerList(outcome.request.headers, t),
      label(t('outcome.body')),
      bodyBlock(outcome.request.body, t),
    ),
    outcome.logs.length > 0 && section('wl-section--logs', t('outcome.logs'), logList(outcome.logs)),
    outcome.redis.length > 0 && section('wl-section--redis', t('outcome.redis'), redisCalls(outcome.redis)),
    outcome.httpCalls.length > 0 && section('wl-section--http', t('outcome.httpCalls'), httpCalls(outcome.httpCalls)),
    upstreamSection(outcome, t),
    section(
      'wl-section--response',
      t('outcome.response'),
      label(t('outcome.headers')),
      headerList(outcome.headers, t, outcome.changedHeaders),
      ...bodyParts(outcome.body, outcome.chunks, outcome.trailers, outcome.at, t),
    ),
    outcome.trace?.length ? traceBlock(outcome.trace, t) : null,
    labelled('wl-muted wl-plugin-time', t('outcome.pluginTime'), `${(outcome.pluginTimeUs / 1000).toFixed(2)} ms`),
  );
}

function upstreamSection(outcome: Outcome, t: Translate): HTMLElement {
  const upstream = outcome.upstreamRequest;
  if (!upstream) return section('wl-section--upstream', t('outcome.upstream'), el('p', 'wl-muted wl-not-reached', t('outcome.notReached')));
  return section(
    'wl-section--upstream',
    t('outcome.upstream'),
    label(t('outcome.headers')),
    headerList(upstream.headers, t),
    ...bodyParts(upstream.body, upstream.chunks, upstream.trailers, outcome.at, t),
  );
}

/**
 * A body as it travelled: whole, or chunk by chunk with each chunk's time after the request
 * arrived (a streamed body); then its trailers, if any.
 */
function bodyParts(body: string, chunks: Outcome['chunks'], trailers: Outcome['trailers'], arrivedAt: number, t: Translate): Array<HTMLElement | null> {
  const parts: Array<HTMLElement | null> = [];
  if (chunks) {
    parts.push(label(t('outcome.chunks', { count: chunks.length })));
    parts.push(chunks.length === 0 ? el('p', 'wl-muted', t('outcome.emptyBody')) : chunkList(chunks, arrivedAt));
  } else {
    parts.push(label(t('outcome.body')), bodyBlock(body, t));
  }
  if (trailers?.length) parts.push(label(t('outcome.trailers')), headerList(trailers, t));
  return parts;
}

function chunkList(chunks: NonNullable<Outcome['chunks']>, arrivedAt: number): HTMLElement {
  const list = el('ol', 'wl-chunks');
  for (const chunk of chunks) {
    const offset = Math.round((chunk.at - arrivedAt) * 10) / 10;
    const body = el('pre', 'wl-body wl-chunk-body', chunk.body);
    body.tabIndex = 0;
    list.append(append(el('li', 'wl-chunk'), el('span', 'wl-chunk-at', `+${offset} ms`), body));
  }
  return list;
}

function redisCalls(calls: Outcome['redis']): HTMLElement {
  const list = el('ol', 'wl-calls');
  for (const { command, reply, cluster } of calls) {
    // The harness renders failures as `(error) …` (Redis said no) or `(failed) …` (never got there).
    const isError = reply.startsWith('(error)') || reply.startsWith('(failed)');
    list.append(
      append(
        el('li', 'wl-call'),
        el('code', 'wl-command', command),
        arrow(),
        el('code', isError ? 'wl-reply wl-reply--error' : 'wl-reply', reply),
        el('span', 'wl-cluster', cluster),
      ),
    );
  }
  return list;
}

function httpCalls(calls: Outcome['httpCalls']): HTMLElement {
  const list = el('ol', 'wl-calls');
  for (const call of calls) {
    list.append(
      append(
        el('li', 'wl-call'),
        el('code', 'wl-command', `${call.method} ${call.path}`),
        arrow(),
        el('code', call.status >= 400 || call.status === 0 ? 'wl-reply wl-reply--error' : 'wl-reply', String(call.status)),
        el('span', 'wl-cluster', call.cluster),
      ),
    );
  }
  return list;
}

function traceBlock(trace: string[], t: Translate): HTMLElement {
  const pre = el('pre', 'wl-trace', trace.join('\n'));
  pre.tabIndex = 0;
  // Nested and closed: a trace runs to dozens of lines per request and would bury the rest.
  return append(el('details', 'wl-section wl-section--trace'), el('summary', 'wl-section-title', `${t('outcome.trace')} (${trace.length})`), pre);
}

function arrow(): HTMLElement {
  const span = el('span', 'wl-arrow', ' → ');
  span.setAttribute('aria-hidden', 'true');
  return span;
}
