/**
 * What the outcome views show, computed from a RunResult without touching the DOM, so every
 * label, class and number on screen is unit-tested on real harness output.
 */
import type { LogLevelName, Outcome, OutcomeError } from '../../harness/outcome.ts';
import type { RunResult } from '../../harness/run.ts';

/** The status badge's colour family; `none` when no response was produced (status 0). */
export type StatusClass = 'ok' | 'redirect' | 'client-error' | 'server-error' | 'none';

/** A response header the plugin added or changed, with the value the client received. */
export interface HeaderChange {
  name: string;
  value: string;
}

/** One request as the outcome list's summary line shows it. */
export interface OutcomeRow {
  index: number;
  /** Virtual arrival time, in milliseconds from the scenario start. */
  atMs: number;
  /** `atMs` as seconds: `0s`, `1.5s`, `61s`. */
  timeLabel: string;
  method: string;
  path: string;
  /** The status as text; `—` when there was no response (status 0). */
  status: string;
  statusClass: StatusClass;
  source: Outcome['source'];
  changedHeaders: HeaderChange[];
  error: OutcomeError | null;
  /** How many log lines the request produced at each level. */
  logCounts: Record<LogLevelName, number>;
}

/** How the timeline draws a request: let through, turned away by the plugin, or broken. */
export type TimelineKind = 'allowed' | 'rejected' | 'failed';

/** One request as a mark on the timeline. */
export interface TimelinePoint {
  index: number;
  atMs: number;
  kind: TimelineKind;
  status: number;
  /** The quota header's numeric value, or null when the response did not carry it. */
  remaining: number | null;
  /** When each chunk of a streamed response reached the client (virtual ms); empty when it came whole. */
  chunkAtMs: number[];
}

/** Tick positions for one chart axis; `max` is the end of the axis, at or past the largest value. */
export interface Axis {
  max: number;
  ticks: number[];
}

/** One key of the Redis view, flattened across clusters and databases. */
export interface RedisRow {
  cluster: string;
  /** The database the key is in (0 for most plugins). */
  db: number;
  key: string;
  type: RunResult['redis'][number]['keys'][number]['type'];
  /**
   * The value as text: a hash is one `field: value` line per field, a list or set one element per
   * line, a sorted set one `member: score` line per member.
   */
  value: string;
  /** Time to live as seconds (`45s`), or `—` when the key never expires. */
  ttl: string;
}

/** Shown where a value is absent (no status, no TTL). */
export const NONE = '—';

/** The response header redis-limiter puts its remaining quota in (examples/redis-limiter/main.go). */
export const QUOTA_HEADER = 'calltimeleft';

const LOG_LEVELS: readonly LogLevelName[] = ['trace', 'debug', 'info', 'warn', 'error', 'critical'];

/**
 * Formats milliseconds as seconds with at most three decimals and no trailing zeros:
 * 0 → `0s`, 1500 → `1.5s`, 61000 → `61s`, 250 → `0.25s`.
 */
export function formatSeconds(ms: number): string {
  // Rounding to whole milliseconds first keeps float noise (0.1 + 0.2) out of the label.
  return `${Number((Math.round(ms) / 1000).toFixed(3))}s`;
}

/** Sorts a status into its badge family: 2xx ok, 3xx redirect, 4xx client-error, 5xx server-error, else none. */
export function statusClass(status: number): StatusClass {
  if (status >= 200 && status < 300) return 'ok';
  if (status >= 300 && status < 400) return 'redirect';
  if (status >= 400 && status < 500) return 'client-error';
  if (status >= 500 && status < 600) return 'server-error';
  return 'none';
}

/** Builds the summary of every request, in outcome order. */
export function outcomeRows(outcomes: readonly Outcome[]): OutcomeRow[] {
  return outcomes.map((o) => ({
    index: o.index,
    atMs: o.at,
    timeLabel: formatSeconds(o.at),
    method: o.request.method,
    path: o.request.path,
    status: o.status === 0 ? NONE : String(o.status),
    statusClass: statusClass(o.status),
    source: o.source,
    changedHeaders: changedHeaderValues(o),
    error: o.error ?? null,
    logCounts: countLogs(o.logs),
  }));
}

/**
 * Pairs each name in `changedHeaders` with its values in the final response, in response order;
 * a header sent twice appears twice.
 */
export function changedHeaderValues(outcome: Pick<Outcome, 'headers' | 'changedHeaders'>): HeaderChange[] {
  const changed = new Set(outcome.changedHeaders);
  return outcome.headers.filter(([name]) => changed.has(name)).map(([name, value]) => ({ name, value }));
}

function countLogs(logs: Outcome['logs']): Record<LogLevelName, number> {
  const counts = Object.fromEntries(LOG_LEVELS.map((level) => [level, 0])) as Record<LogLevelName, number>;
  for (const { level } of logs) counts[level]++;
  return counts;
}

/**
 * Sorts a request onto the timeline. An error or a gateway answer is `failed` even when the
 * request got through (FAIL_OPEN, an unknown cluster the plugin shrugged off), because the reader
 * should look at it; a plugin's local reply of 400 or more is `rejected`; an upstream answer of
 * 400 or more is the backend failing, so `failed`; everything else below 400 is `allowed`.
 */
export function timelineKind(outcome: Pick<Outcome, 'status' | 'source' | 'error'>): TimelineKind {
  if (outcome.error || outcome.source === 'gateway' || outcome.status === 0) return 'failed';
  if (outcome.status < 400) return 'allowed';
  return outcome.source === 'plugin' ? 'rejected' : 'failed';
}

/** Places every request on the timeline, with the quota it reported in `quotaHeader` (lower-case). */
export function timelinePoints(outcomes: readonly Outcome[], quotaHeader = QUOTA_HEADER): TimelinePoint[] {
  return outcomes.map((o) => ({
    index: o.index,
    atMs: o.at,
    kind: timelineKind(o),
    status: o.status,
    remaining: numericHeader(o.headers, quotaHeader),
    chunkAtMs: o.chunks?.map((c) => c.at) ?? [],
  }));
}

function numericHeader(headers: Outcome['headers'], name: string): number | null {
  const value = headers.find(([k]) => k === name)?.[1];
  if (value === undefined || value.trim() === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** Returns 1, 2 or 5 times a power of ten, the smallest such step at or above `rough`. */
export function niceStep(rough: number): number {
  if (!(rough > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough * (1 - 1e-9));
  return step ?? 10 * power;
}

/**
 * Ticks for a time axis from 0 to at least `maxMs`, about `count` of them on whole 1/2/5 steps
 * of milliseconds; the axis spans at least one second so a run at t=0 still has a width.
 */
export function timeAxis(maxMs: number, count = 5): Axis {
  return axisFrom0(Math.max(maxMs, 1000), count, 1);
}

/** Integer ticks from 0 to at least `maxValue`, for the remaining-quota axis. */
export function countAxis(maxValue: number, count = 4): Axis {
  return axisFrom0(Math.max(maxValue, 1), count, 1);
}

function axisFrom0(maxValue: number, count: number, minStep: number): Axis {
  const step = Math.max(niceStep(maxValue / count), minStep);
  const max = Math.ceil(maxValue / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let i = 0; i * step <= max + 1e-9; i++) ticks.push(i * step);
  return { max, ticks };
}

/** Flattens the Redis snapshot into table rows, cluster by cluster and database by database, keys in snapshot order. */
export function redisRows(redis: RunResult['redis']): RedisRow[] {
  return redis.flatMap(({ cluster, db = 0, keys }) =>
    keys.map((k) => ({
      cluster,
      db,
      key: k.key,
      type: k.type,
      value: typeof k.value === 'string' ? k.value : Array.isArray(k.value) ? k.value.join('\n') : Object.entries(k.value).map(([f, v]) => `${f}: ${v}`).join('\n'),
      ttl: k.ttlMs === null ? NONE : formatSeconds(k.ttlMs),
    })),
  );
}
