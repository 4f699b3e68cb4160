import { describe, expect, test } from 'vitest';
import { formatDurationMs, parseDurationMs, readDuration } from '../../../src/harness/duration.ts';
import { isHarnessError } from '../../../src/harness/errors.ts';

describe('parseDurationMs', () => {
  test.each([
    ['0s', 0],
    ['61s', 61_000],
    ['1500ms', 1500],
    ['1m', 60_000],
    ['1m30s', 90_000],
    ['2.5s', 2500],
    ['.5s', 500],
    ['1h', 3_600_000],
    ['1h1m1s1ms', 3_661_001],
    [' 2s ', 2000],
  ])('reads %j as %i ms', (text, ms) => {
    expect(parseDurationMs(text)).toBe(ms);
  });

  test('throws a bad-duration error naming the fix when a string has no unit', () => {
    expect(() => parseDurationMs('61')).toThrowErrorMatchingInlineSnapshot(`[DurationError: "61" has no unit; write "61s" or "1500ms".]`);
    try {
      parseDurationMs('61');
    } catch (error) {
      expect(isHarnessError(error) && error.kind).toBe('bad-duration');
    }
  });

  test('rejects a bare number the same way as a unitless string', () => {
    expect(readDuration(61)).toMatchInlineSnapshot(`""61" has no unit; write "61s" or "1500ms"."`);
    expect(readDuration(0)).toMatchInlineSnapshot(`""0" has no unit; write "0s" or "1500ms"."`);
  });

  test('words every other malformed duration as one sentence ending in the fix', () => {
    const problems = ['', '100us', '1S', '-1s', '1m30', '1 m', 'soon', '0.5ms', '1.5.5s'].map((text) => readDuration(text));
    expect(problems).toMatchInlineSnapshot(`
      [
        "the duration is empty; write "0s" for no delay.",
        ""100us" uses the unknown unit "us"; use ms, s, m or h.",
        ""1S" uses the unknown unit "S"; use ms, s, m or h.",
        ""-1s" is negative; write "0s" or more.",
        ""1m30" ends without a unit; add ms, s, m or h after 30.",
        ""1 m" is not a duration (stuck at " m"); write it like "61s", "1500ms" or "1m30s".",
        ""soon" is not a duration; write it like "61s", "1500ms" or "1m30s".",
        ""0.5ms" is finer than a millisecond; round it to whole milliseconds.",
        ""1.5.5s" is not a duration (stuck at ".5s"); write it like "61s", "1500ms" or "1m30s".",
      ]
    `);
  });
});

describe('formatDurationMs', () => {
  test.each([
    [0, '0s'],
    [250, '250ms'],
    [1500, '1.5s'],
    [61_000, '61s'],
    [90_000, '90s'],
    [120_000, '2m'],
    [7_200_000, '2h'],
    [-1500, '-1.5s'],
  ])('formats %i ms as %j', (ms, text) => {
    expect(formatDurationMs(ms)).toBe(text);
  });

  test('writes text that parseDurationMs reads back to the same milliseconds', () => {
    for (const ms of [0, 1, 999, 1000, 1001, 59_999, 60_000, 61_500, 3_600_000, 3_601_000]) {
      expect(parseDurationMs(formatDurationMs(ms))).toBe(ms);
    }
  });
});
