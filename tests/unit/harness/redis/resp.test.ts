import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { RespDecodeError } from '../../../../src/harness/redis/errors.ts';
import { decodeResp, encodeResp, frameResp, toRespInteger, type RespValue } from '../../../../src/harness/redis/resp.ts';

/** Bytes from wire fields written as text, one field per argument; `\xNN` stays a single byte. */
function wire(...fields: string[]): Uint8Array {
  return Uint8Array.from(fields.join(''), (c) => c.charCodeAt(0));
}

const utf8 = (text: string) => new TextEncoder().encode(text);

/** Each value beside its bytes, one wire field per line. */
const TABLE: Array<[string, RespValue, Uint8Array]> = [
  ['simple string', { type: 'simple', value: 'OK' }, wire(
    '+',      // type
    'OK',     // text
    '\r\n',   // end of line
  )],
  ['error', { type: 'error', value: 'ERR syntax error' }, wire(
    '-',
    'ERR syntax error',
    '\r\n',
  )],
  ['integer', { type: 'integer', value: 42 }, wire(
    ':',
    '42',
    '\r\n',
  )],
  ['negative integer', { type: 'integer', value: -7 }, wire(
    ':',
    '-7',
    '\r\n',
  )],
  ['largest 64-bit integer', { type: 'integer', value: 9223372036854775807n }, wire(
    ':',
    '9223372036854775807',
    '\r\n',
  )],
  ['bulk string', { type: 'bulk', value: utf8('abc') }, wire(
    '$',      // type
    '3',      // byte length
    '\r\n',
    'abc',    // payload
    '\r\n',
  )],
  ['bulk string holding CR LF', { type: 'bulk', value: wire('a\r\nb') }, wire(
    '$',
    '4',
    '\r\n',
    'a\r\nb',
    '\r\n',
  )],
  ['empty bulk string', { type: 'bulk', value: new Uint8Array(0) }, wire(
    '$',
    '0',
    '\r\n',
    '',
    '\r\n',
  )],
  ['UTF-8 bulk string, counted in bytes', { type: 'bulk', value: utf8('限流') }, wire(
    '$',
    '6',
    '\r\n',
    '\xe9\x99\x90\xe6\xb5\x81',
    '\r\n',
  )],
  ['null bulk string', { type: 'bulk', value: null }, wire(
    '$',
    '-1',
    '\r\n',
  )],
  ['array of bulk strings (an INCR query)', { type: 'array', value: [
    { type: 'bulk', value: utf8('incr') },
    { type: 'bulk', value: utf8('k') },
  ] }, wire(
    '*',      // type
    '2',      // element count
    '\r\n',
    '$4\r\n', // element 1: length
    'incr\r\n',
    '$1\r\n', // element 2: length
    'k\r\n',
  )],
  ['nested array', { type: 'array', value: [
    { type: 'integer', value: 1 },
    { type: 'array', value: [{ type: 'simple', value: 'x' }] },
  ] }, wire(
    '*2\r\n',
    ':1\r\n',
    '*1\r\n',
    '+x\r\n',
  )],
  ['empty array', { type: 'array', value: [] }, wire(
    '*',
    '0',
    '\r\n',
  )],
  ['null array', { type: 'array', value: null }, wire(
    '*',
    '-1',
    '\r\n',
  )],
];

describe('encodeResp', () => {
  test.each(TABLE)('encodes a %s', (_name, value, bytes) => {
    expect(encodeResp(value)).toEqual(bytes);
  });

  test('throws when a simple string holds a line break', () => {
    expect(() => encodeResp({ type: 'simple', value: 'a\r\nb' })).toThrowErrorMatchingInlineSnapshot(
      `[RespEncodeError: a RESP simple cannot contain CR or LF ("a\\r\\nb"); send it as a bulk string.]`,
    );
  });

  test('throws when an integer does not fit in 64 bits or is not exact', () => {
    expect(() => encodeResp({ type: 'integer', value: 2n ** 63n })).toThrowErrorMatchingInlineSnapshot(
      `[RespEncodeError: RESP integers are signed 64-bit, so 9223372036854775808 cannot be sent; send it as a bulk string.]`,
    );
    expect(() => encodeResp({ type: 'integer', value: 1.5 })).toThrow(/signed 64-bit/);
  });
});

describe('decodeResp', () => {
  test.each(TABLE)('decodes a %s and counts every byte', (_name, value, bytes) => {
    expect(decodeResp(bytes)).toEqual({ value, bytesRead: bytes.length });
  });

  test('starts at the offset it is given and stops after one value', () => {
    const bytes = wire('+first\r\n', ':2\r\n', '+third\r\n');
    expect(decodeResp(bytes, 8)).toEqual({ value: { type: 'integer', value: 2 }, bytesRead: 4 });
  });

  test('returns a bigint only for an integer beyond 2^53', () => {
    expect(decodeResp(wire(':9007199254740991\r\n')).value).toEqual({ type: 'integer', value: 9007199254740991 });
    expect(decodeResp(wire(':-9223372036854775808\r\n')).value).toEqual({ type: 'integer', value: -9223372036854775808n });
  });

  test('throws a resp-incomplete error while the value is cut short', () => {
    expect(() => decodeResp(wire('$5\r\nab'))).toThrowErrorMatchingInlineSnapshot(
      `[RespDecodeError: incomplete RESP at byte 0: the value starting here needs more than the 6 bytes given]`,
    );
  });

  test.each([
    ['an unknown type byte', wire('?x\r\n')],
    ['a line ending in LF alone', wire('+OK\n')],
    ['a CR not followed by LF', wire('+O\rK\r\n')],
    ['a bulk length below -1', wire('$-2\r\n')],
    ['a bulk length that is not a number', wire('$x\r\n')],
    ['a bulk string without CRLF after its bytes', wire('$1\r\nab\r\n')],
    ['an array count below -1', wire('*-2\r\n')],
    ['an integer that is not a number', wire(':1.5\r\n')],
    ['an integer beyond 64 bits', wire(':9223372036854775808\r\n')],
    ['a length line that never ends', wire('$', '1'.repeat(40))],
  ])('throws a resp-malformed error for %s', (_name, bytes) => {
    expect(() => decodeResp(bytes)).toThrow(expect.objectContaining({ kind: 'resp-malformed' }));
  });

  test('names the problem and its byte offset in a malformed error', () => {
    expect(() => decodeResp(wire('*1\r\n', '?'))).toThrowErrorMatchingInlineSnapshot(
      `[RespDecodeError: malformed RESP at byte 4: unknown type byte '?']`,
    );
    expect(() => decodeResp(wire('$1\r\nab\r\n'))).toThrowErrorMatchingInlineSnapshot(
      `[RespDecodeError: malformed RESP at byte 5: bulk string of 1 bytes is not followed by CRLF]`,
    );
  });

  test('refuses arrays nested deeper than 512 levels', () => {
    expect(() => decodeResp(wire('*1\r\n'.repeat(600), ':1\r\n'))).toThrow(/nest deeper than 512/);
  });
});

describe('frameResp', () => {
  test('returns null for every strict prefix of a value and its length once complete', () => {
    fc.assert(
      fc.property(respValue, (value) => {
        const bytes = encodeResp(value);
        for (let end = 0; end < bytes.length; end++) expect(frameResp(bytes.subarray(0, end))).toBeNull();
        expect(frameResp(bytes)).toBe(bytes.length);
      }),
    );
  });

  test('measures only the first of two values sent back to back', () => {
    fc.assert(
      fc.property(respValue, respValue, (first, second) => {
        const a = encodeResp(first);
        const joined = new Uint8Array([...a, ...encodeResp(second)]);
        expect(frameResp(joined)).toBe(a.length);
        expect(frameResp(joined, a.length)).toBe(joined.length - a.length);
      }),
    );
  });
});

describe('RESP round trip', () => {
  test('decodes every encoded value back to itself', () => {
    fc.assert(
      fc.property(respValue, (value) => {
        const bytes = encodeResp(value);
        expect(decodeResp(bytes)).toEqual({ value, bytesRead: bytes.length });
      }),
    );
  });

  test('either decodes arbitrary bytes or throws a RespDecodeError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        try {
          const { bytesRead } = decodeResp(bytes);
          expect(bytesRead).toBeLessThanOrEqual(bytes.length);
        } catch (e) {
          expect(e).toBeInstanceOf(RespDecodeError);
        }
      }),
    );
  });
});

/** Text that a simple string or an error may carry: any Unicode but CR and LF. */
const lineText = fc.string({ unit: 'grapheme', maxLength: 20 }).filter((s) => !/[\r\n]/.test(s));

const respLeaf: fc.Arbitrary<RespValue> = fc.oneof(
  lineText.map((value): RespValue => ({ type: 'simple', value })),
  lineText.map((value): RespValue => ({ type: 'error', value })),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((n): RespValue => ({ type: 'integer', value: toRespInteger(n) })),
  fc.integer().map((value): RespValue => ({ type: 'integer', value })),
  fc.option(fc.uint8Array({ maxLength: 30 })).map((value): RespValue => ({ type: 'bulk', value })),
  fc.constant<RespValue>({ type: 'array', value: null }),
);

const respValue: fc.Arbitrary<RespValue> = fc.letrec<{ value: RespValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    respLeaf,
    fc.array(tie('value'), { maxLength: 4 }).map((items): RespValue => ({ type: 'array', value: items })),
  ),
})).value;
