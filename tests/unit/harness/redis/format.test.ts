import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { formatCommand, formatReply } from '../../../../src/harness/redis/format.ts';
import { parseInlineCommand } from '../../../../src/harness/redis/inline.ts';
import type { RespValue } from '../../../../src/harness/redis/resp.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('formatReply', () => {
  test.each<[RespValue, string]>([
    [{ type: 'simple', value: 'OK' }, 'OK'],
    [{ type: 'error', value: 'ERR syntax error' }, '(error) ERR syntax error'],
    [{ type: 'integer', value: 3 }, '(integer) 3'],
    [{ type: 'integer', value: -9223372036854775808n }, '(integer) -9223372036854775808'],
    [{ type: 'bulk', value: utf8('value') }, '"value"'],
    [{ type: 'bulk', value: utf8('') }, '""'],
    [{ type: 'bulk', value: null }, '(nil)'],
    [{ type: 'array', value: null }, '(nil)'],
    [{ type: 'array', value: [] }, '(empty array)'],
  ])('renders %o as redis-cli does', (reply, text) => {
    expect(formatReply(reply)).toBe(text);
  });

  test('numbers array items on one line and brackets a nested array', () => {
    const reply: RespValue = {
      type: 'array',
      value: [
        { type: 'bulk', value: utf8('a') },
        { type: 'bulk', value: null },
        { type: 'array', value: [{ type: 'integer', value: 1 }, { type: 'simple', value: 'x' }] },
        { type: 'array', value: [] },
      ],
    };
    expect(formatReply(reply)).toMatchInlineSnapshot(`"1) "a", 2) (nil), 3) [1) (integer) 1, 2) x], 4) [(empty array)]"`);
  });

  test('escapes quotes, control bytes and invalid UTF-8 but keeps readable Unicode', () => {
    expect(formatReply({ type: 'bulk', value: utf8('say "hi"\n\t限流\\') })).toBe('"say \\"hi\\"\\n\\t限流\\\\"');
    expect(formatReply({ type: 'bulk', value: new Uint8Array([0x61, 0x00, 0xff, 0x07]) })).toBe('"a\\x00\\xff\\a"');
  });
});

describe('formatCommand', () => {
  test('joins plain arguments with spaces', () => {
    expect(formatCommand(['incr', '1735689600'])).toBe('incr 1735689600');
  });

  test('quotes arguments that are empty or hold spaces, quotes or control characters', () => {
    expect(formatCommand(['set', 'a key', '', "it's", 'tab\there', '键'])).toBe(
      `set "a key" "" "it's" "tab\\there" 键`,
    );
  });

  test('writes what parseInlineCommand reads back as the same arguments', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 12 }), { minLength: 1, maxLength: 5 }), (args) => {
        expect(parseInlineCommand(formatCommand(args))).toEqual(args);
      }),
    );
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 12 }), { minLength: 1, maxLength: 5 }), (args) => {
        expect(parseInlineCommand(formatCommand(args))).toEqual(args.map(utf8));
      }),
    );
  });
});
