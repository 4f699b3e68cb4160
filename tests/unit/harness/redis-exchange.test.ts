/**
 * Outcome.redis entries format their command and reply only when read (clusters.ts); whatever reads
 * them must see exactly what the eager formatting gave.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { fromUtf8 } from '../../../src/harness/abi/memory.ts';
import { lazyRedisExchange, setExchangeReply } from '../../../src/harness/clusters.ts';
import type { RedisExchange } from '../../../src/harness/outcome.ts';
import { decodeCommand, decodeResp, encodeCommand, encodeResp, formatCommand, formatReply, type RespValue } from '../../../src/harness/redis/index.ts';

/** What clusters.ts wrote into the outcome before the text was made lazily. */
function eagerCommand(query: Uint8Array): string {
  try {
    return formatCommand(decodeCommand(query).map((a) => fromUtf8(a)));
  } catch {
    return `<${query.length} bytes that are not a RESP command>`;
  }
}

function eagerReply(bytes: Uint8Array): string {
  try {
    return formatReply(decodeResp(bytes).value);
  } catch {
    return `<${bytes.length} bytes that are not a RESP reply>`;
  }
}

const argument = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
  fc.uint8Array({ maxLength: 12 }),
  fc.constantFrom('incr', 'set', 'a key', '"quoted"', '', 'EX', '\x00\n'),
);
const query = fc.oneof(
  { weight: 4, arbitrary: fc.array(argument, { maxLength: 5 }).map((args) => encodeCommand(args)) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }).map((line) => new TextEncoder().encode(line)) },
);

const lineText = fc.string({ unit: 'grapheme', maxLength: 12 }).filter((s) => !/[\r\n]/.test(s));
const respValue: fc.Arbitrary<RespValue> = fc.letrec<{ value: RespValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    lineText.map((value): RespValue => ({ type: 'simple', value })),
    lineText.map((value): RespValue => ({ type: 'error', value })),
    fc.integer().map((value): RespValue => ({ type: 'integer', value })),
    fc.option(fc.uint8Array({ maxLength: 20 })).map((value): RespValue => ({ type: 'bulk', value })),
    fc.array(tie('value'), { maxLength: 3 }).map((items): RespValue => ({ type: 'array', value: items })),
  ),
})).value;
const reply = fc.oneof(
  { weight: 4, arbitrary: respValue.map((v) => encodeResp(v)) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 30 }) },
);

describe('lazyRedisExchange', () => {
  test('reads, compares, serialises and clones as the eagerly formatted object did', () => {
    fc.assert(
      fc.property(query, fc.option(fc.oneof(reply, fc.constant('(failed) connection refused (cluster marked down)'))), fc.option(fc.integer({ min: 1, max: 15 })), (q, r, db) => {
        const lazy = lazyRedisExchange(q, 'outbound|6379||redis.static');
        const eager: RedisExchange = { command: eagerCommand(q), reply: '', cluster: 'outbound|6379||redis.static' };
        if (r !== null) {
          setExchangeReply(lazy, r);
          eager.reply = typeof r === 'string' ? r : eagerReply(r);
        }
        if (db !== null) {
          lazy.db = db;
          eager.db = db;
        }
        expect(JSON.stringify(lazy)).toBe(JSON.stringify(eager));
        expect(lazy.command).toBe(eager.command);
        expect(lazy.reply).toBe(eager.reply);
        expect(lazy).toEqual(eager);
        expect(lazy).toStrictEqual(eager);
        expect(Object.keys(lazy)).toEqual(Object.keys(eager));
        expect({ ...lazy }).toEqual(eager);
        expect(structuredClone(lazy)).toStrictEqual(eager);
      }),
      { numRuns: 1000 },
    );
  });

  test('has an empty reply until the reply is set, and shows the text assigned to it', () => {
    const exchange = lazyRedisExchange(encodeCommand(['incr', '1735689600']), 'c');
    expect(exchange).toStrictEqual({ command: 'incr 1735689600', reply: '', cluster: 'c' });
    setExchangeReply(exchange, encodeResp({ type: 'integer', value: 2 }));
    expect(exchange.reply).toBe('(integer) 2');
    exchange.reply = '(failed) replaced';
    exchange.command = 'get k';
    expect(exchange).toStrictEqual({ command: 'get k', reply: '(failed) replaced', cluster: 'c' });
  });

  test('names bytes that are not RESP by their length, as before', () => {
    const exchange = lazyRedisExchange(new Uint8Array([0x2a, 0x33, 0x0d]), 'c');
    setExchangeReply(exchange, new Uint8Array([0x3f, 0x0d, 0x0a]));
    expect(exchange.command).toBe('<3 bytes that are not a RESP command>');
    expect(exchange.reply).toBe('<3 bytes that are not a RESP reply>');
  });
});
