import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { decodeCommand, encodeCommand } from '../../../../src/harness/redis/command.ts';
import { parseInlineCommand } from '../../../../src/harness/redis/inline.ts';

function wire(...fields: string[]): Uint8Array {
  return Uint8Array.from(fields.join(''), (c) => c.charCodeAt(0));
}

const text = (args: Uint8Array[]) => args.map((a) => new TextDecoder().decode(a));

describe('encodeCommand', () => {
  test('encodes a command as an array of bulk strings, as the wasm-go client sends it', () => {
    expect(encodeCommand(['set', 'k', 'v', 'nx', 'ex', '60'])).toEqual(wire(
      '*6\r\n',      // six arguments
      '$3\r\n',      // "set"
      'set\r\n',
      '$1\r\n',      // key
      'k\r\n',
      '$1\r\n',      // value
      'v\r\n',
      '$2\r\n',
      'nx\r\n',
      '$2\r\n',
      'ex\r\n',
      '$2\r\n',
      '60\r\n',
    ));
  });

  test('sends text as UTF-8 and bytes as they are', () => {
    expect(encodeCommand(['get', '键', new Uint8Array([0, 255])])).toEqual(wire(
      '*3\r\n',
      '$3\r\n',
      'get\r\n',
      '$3\r\n',
      '\xe9\x94\xae\r\n',
      '$2\r\n',
      '\x00\xff\r\n',
    ));
  });
});

describe('decodeCommand', () => {
  test('reads back every encoded command', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 20 }), { minLength: 1, maxLength: 6 }), (args) => {
        expect(decodeCommand(encodeCommand(args))).toEqual(args);
      }),
    );
  });

  test('reads an inline command line, with or without its line ending', () => {
    expect(text(decodeCommand(wire('set "a b" 1\r\n')))).toEqual(['set', 'a b', '1']);
    expect(text(decodeCommand(wire('ping')))).toEqual(['ping']);
  });

  test('gives no arguments for an empty array, a null array or a blank line, which Redis skips', () => {
    expect(decodeCommand(wire('*0\r\n'))).toEqual([]);
    expect(decodeCommand(wire('*-1\r\n'))).toEqual([]);
    expect(decodeCommand(wire('   \r\n'))).toEqual([]);
  });

  test.each([
    ['a count that is not a number', wire('*x\r\n'), 'invalid multibulk length'],
    ['a count with a leading zero', wire('*01\r\n$1\r\na\r\n'), 'invalid multibulk length'],
    ['an element that is not a bulk string', wire('*1\r\n:1\r\n'), "expected '$', got ':'"],
    ['a null bulk string', wire('*1\r\n$-1\r\n'), 'invalid bulk length'],
    ['a bulk length that is not a number', wire('*1\r\n$x\r\n'), 'invalid bulk length'],
    ['bytes after the command', wire('*1\r\n$4\r\nping\r\n+extra'), 'unexpected bytes after the command'],
    ['a second inline line', wire('ping\r\nping\r\n'), 'unexpected bytes after the command'],
    ['an open quote in an inline command', wire('ping "a\r\n'), 'unbalanced quotes in request'],
  ])('rejects %s with the detail Redis gives', (_name, bytes, detail) => {
    expect(() => decodeCommand(bytes)).toThrow(expect.objectContaining({ kind: 'resp-malformed', detail }));
  });

  test('says resp-incomplete for a query cut short', () => {
    expect(() => decodeCommand(wire('*2\r\n$3\r\nget\r\n'))).toThrow(expect.objectContaining({ kind: 'resp-incomplete' }));
    expect(() => decodeCommand(wire('*1\r\n$4\r\npi'))).toThrow(expect.objectContaining({ kind: 'resp-incomplete' }));
  });
});

describe('parseInlineCommand', () => {
  test('splits on any run of spaces and tabs', () => {
    expect(text(parseInlineCommand('  set\tk   v  '))).toEqual(['set', 'k', 'v']);
  });

  test('turns double-quoted escapes into bytes', () => {
    expect(parseInlineCommand('"a\\n\\r\\t\\b\\a\\\\\\"\\x41\\xzz\\q"')).toEqual([
      new Uint8Array([0x61, 0x0a, 0x0d, 0x09, 0x08, 0x07, 0x5c, 0x22, 0x41, 0x78, 0x7a, 0x7a, 0x71]),
    ]);
  });

  test("keeps single-quoted text literal except for \\'", () => {
    expect(text(parseInlineCommand("'a\\nb' 'it\\'s'"))).toEqual(['a\\nb', "it's"]);
  });

  test('joins quoted and unquoted parts of one argument, as sdssplitargs does', () => {
    expect(text(parseInlineCommand('a"b c"'))).toEqual(['ab c']);
    expect(text(parseInlineCommand('""'))).toEqual(['']);
  });

  test('rejects a closing quote followed by more text, and an open quote', () => {
    expect(() => parseInlineCommand('"a"b')).toThrowErrorMatchingInlineSnapshot(
      `[RespDecodeError: malformed RESP at byte 2: unbalanced quotes in request]`,
    );
    expect(() => parseInlineCommand("'a")).toThrow(/unbalanced quotes/);
  });
});

describe('decodeCommand lengths', () => {
  test('reads lengths of any number of digits, and refuses the ones string2ll or the limits refuse', () => {
    const big = 'x'.repeat(123_456);
    expect(text(decodeCommand(wire('*1\r\n$123456\r\n', big, '\r\n')))).toEqual([big]);
  });

  test.each([
    ['a count with leading zeros', wire('*0000000001\r\n'), 'invalid multibulk length'],
    ['a count of ten digits', wire('*2147483648\r\n'), 'invalid multibulk length'],
    ['a count beyond int64', wire('*9223372036854775808\r\n'), 'invalid multibulk length'],
    ['a bulk length with a leading zero', wire('*1\r\n$04\r\nping\r\n'), 'invalid bulk length'],
    ['a bulk length of -0', wire('*1\r\n$-0\r\n'), 'invalid bulk length'],
    ['a bulk length past 512 MB', wire('*1\r\n$536870913\r\n'), 'invalid bulk length'],
    ['a bulk length with a sign', wire('*1\r\n$+4\r\nping\r\n'), 'invalid bulk length'],
  ])('rejects %s', (_name, bytes, detail) => {
    expect(() => decodeCommand(bytes)).toThrow(expect.objectContaining({ kind: 'resp-malformed', detail }));
  });

  test('takes a negative count as no arguments, as a null array', () => {
    expect(decodeCommand(wire('*-5\r\n'))).toEqual([]);
    expect(decodeCommand(wire('*-9223372036854775808\r\n'))).toEqual([]);
  });
});
