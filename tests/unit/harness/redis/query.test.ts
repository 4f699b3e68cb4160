import { describe, expect, test } from 'vitest';
import { encodeCommand, handleQuery, MemoryRedis } from '../../../../src/harness/redis/index.ts';

function wire(...fields: string[]): Uint8Array {
  return Uint8Array.from(fields.join(''), (c) => c.charCodeAt(0));
}

const text = (bytes: Uint8Array) => String.fromCharCode(...bytes);

describe('handleQuery', () => {
  test('answers a RESP query with the raw RESP reply', () => {
    const engine = new MemoryRedis();
    const session = engine.newSession();
    expect(handleQuery(engine, session, encodeCommand(['incr', 'k']), 0)).toEqual(wire(
      ':',
      '1',
      '\r\n',
    ));
    expect(handleQuery(engine, session, encodeCommand(['get', 'k']), 0)).toEqual(wire(
      '$1\r\n',
      '1\r\n',
    ));
  });

  test('answers a malformed query with the protocol error Redis sends', () => {
    const engine = new MemoryRedis();
    const session = engine.newSession();
    expect(text(handleQuery(engine, session, wire('*1\r\n:1\r\n'), 0))).toMatchInlineSnapshot(`
      "-ERR Protocol error: expected '$', got ':'
      "
    `);
    expect(text(handleQuery(engine, session, wire('*2\r\n$3\r\nget\r\n'), 0))).toMatchInlineSnapshot(`
      "-ERR Protocol error: the command stops before its last argument ends
      "
    `);
  });

  test('answers an empty command with an error, where Redis would stay silent', () => {
    const engine = new MemoryRedis();
    expect(text(handleQuery(engine, engine.newSession(), wire('*0\r\n'), 0))).toBe('-ERR empty command\r\n');
  });
});
