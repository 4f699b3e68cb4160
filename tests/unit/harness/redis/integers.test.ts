import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseInt64 } from '../../../../src/harness/redis/integers.ts';

/** parseInt64 as it was written first: Redis's string2ll rules as one regex, then a range check. */
function reference(text: string): bigint | null {
  if (text.length === 0 || text.length >= 21 || !/^(?:0|-?[1-9][0-9]*)$/.test(text)) return null;
  const value = BigInt(text);
  return value < -(2n ** 63n) || value > 2n ** 63n - 1n ? null : value;
}

describe('parseInt64', () => {
  test.each([
    '0', '-0', '00', '01', '-', '', '+1', ' 1', '1 ', '1\n', '12a', '٣', '9', '-9', '123456789', '999999999999999', '-999999999999999',
    '1000000000000000', '9007199254740993', '-9007199254740993', '9223372036854775807', '-9223372036854775808',
    '9223372036854775808', '-9223372036854775809', '99999999999999999999', '-99999999999999999999', '100000000000000000000',
  ])('reads %j as string2ll does', (text) => {
    expect(parseInt64(text)).toBe(reference(text));
  });

  test('agrees with the regex reference on any text, and on any decimal of any int64', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('0', '1', '9', '-', '+', 'a', ' ') , maxLength: 22 }), (text) => parseInt64(text) === reference(text)));
    fc.assert(fc.property(fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }), (n) => parseInt64(String(n)) === reference(String(n))));
  });
});
