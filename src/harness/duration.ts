/**
 * Durations as scenarios write them: `0s`, `61s`, `1500ms`, `1m30s`, `2.5s`, `1h`. Every amount
 * needs a unit, because a bare `61` reads as seconds to some people and milliseconds to others.
 */
import { DurationError } from './errors.ts';

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d+)?|\.\d+)([A-Za-zµ]*)/y;

/**
 * Reads a duration and returns it in whole milliseconds.
 *
 * Accepts one or more `<amount><unit>` parts with units `ms`, `s`, `m` and `h` (`1m30s`), and
 * decimal amounts (`2.5s`). Throws DurationError, whose message is one sentence ending in the
 * fix, for a bare number, an unknown unit, a negative value or one finer than a millisecond.
 */
export function parseDurationMs(text: string | number): number {
  const result = readDuration(text);
  if (typeof result === 'string') throw new DurationError(result);
  return result;
}

/**
 * Reads a duration like parseDurationMs, but returns the problem sentence instead of throwing.
 * Schema checks use it to report a bad duration as an issue.
 */
export function readDuration(text: string | number): number | string {
  if (typeof text === 'number') return noUnit(String(text));
  const trimmed = text.trim();
  if (trimmed === '') return 'the duration is empty; write "0s" for no delay.';
  if (trimmed.startsWith('-')) return `"${text}" is negative; write "0s" or more.`;
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) return noUnit(trimmed);
  let totalMs = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < trimmed.length) {
    const start = PART.lastIndex;
    const match = PART.exec(trimmed);
    if (match === null) return notADuration(text, trimmed.slice(start));
    const [, amount = '', unit = ''] = match;
    const unitMs = UNIT_MS[unit];
    if (unitMs === undefined) {
      if (unit !== '') return `"${text}" uses the unknown unit "${unit}"; use ms, s, m or h.`;
      if (PART.lastIndex < trimmed.length) return notADuration(text, trimmed.slice(PART.lastIndex));
      return `"${text}" ends without a unit; add ms, s, m or h after ${amount}.`;
    }
    totalMs += Number(amount) * unitMs;
  }
  const rounded = Math.round(totalMs * 1000) / 1000;
  if (!Number.isInteger(rounded)) return `"${text}" is finer than a millisecond; round it to whole milliseconds.`;
  return rounded;
}

function noUnit(amount: string): string {
  return `"${amount}" has no unit; write "${amount}s" or "1500ms".`;
}

function notADuration(text: string, rest: string): string {
  const where = rest === text.trim() ? '' : ` (stuck at "${rest}")`;
  return `"${text}" is not a duration${where}; write it like "61s", "1500ms" or "1m30s".`;
}

/**
 * Formats milliseconds the way a person writes them: 250 → `250ms`, 1500 → `1.5s`,
 * 61000 → `61s`, 120000 → `2m`, 7200000 → `2h`.
 */
export function formatDurationMs(ms: number): string {
  if (ms < 0) return `-${formatDurationMs(-ms)}`;
  if (ms === 0) return '0s';
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms >= 1000) return `${ms / 1000}s`;
  return `${ms}ms`;
}
