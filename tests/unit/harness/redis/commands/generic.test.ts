import { describe, expect, test } from 'vitest';
import { redisConsole } from '../redis-console.ts';

describe('expiry', () => {
  test('keeps a key until the millisecond it expires, then forgets it', () => {
    const r = redisConsole();
    r.run('set k v px 1000');
    r.advance(999);
    expect(r.transcript(['pttl k', 'get k'])).toEqual(['pttl k → (integer) 1', 'get k → "v"']);
    r.advance(1);
    expect(r.transcript(['pttl k', 'get k', 'exists k', 'dbsize'])).toEqual([
      'pttl k → (integer) -2',
      'get k → (nil)',
      'exists k → (integer) 0',
      'dbsize → (integer) 0',
    ]);
  });

  test('follows the caller clock even when it goes back', () => {
    const r = redisConsole();
    r.run('set k v ex 10');
    r.advance(-5000);
    expect(r.run('ttl k')).toBe('(integer) 15');
  });
});

describe('TTL and PTTL', () => {
  test('replies -2 for a missing key, -1 for no expiry, and rounds seconds to nearest', () => {
    const r = redisConsole();
    r.run('set plain v');
    r.run('set k v px 10499');
    expect(r.transcript(['ttl missing', 'pttl missing', 'ttl plain', 'pttl plain', 'ttl k'])).toEqual([
      'ttl missing → (integer) -2',
      'pttl missing → (integer) -2',
      'ttl plain → (integer) -1',
      'pttl plain → (integer) -1',
      'ttl k → (integer) 10',
    ]);
    r.advance(-1);
    expect(r.run('ttl k')).toBe('(integer) 11');
  });
});

describe('EXPIRE, PEXPIRE, EXPIREAT and PEXPIREAT', () => {
  test('replies 1 when a TTL is set and 0 for a missing key', () => {
    const r = redisConsole();
    r.run('set k v');
    expect(r.transcript(['expire k 100', 'pexpire k 2500', 'pttl k', 'expire missing 10'])).toEqual([
      'expire k 100 → (integer) 1',
      'pexpire k 2500 → (integer) 1',
      'pttl k → (integer) 2500',
      'expire missing 10 → (integer) 0',
    ]);
  });

  test('sets an absolute time with the -AT forms', () => {
    const r = redisConsole();
    r.run('set k v');
    r.run(`pexpireat k ${r.nowMs() + 1234}`);
    expect(r.run('pttl k')).toBe('(integer) 1234');
    r.run(`expireat k ${r.nowMs() / 1000 + 60}`);
    expect(r.run('ttl k')).toBe('(integer) 60');
  });

  test('deletes the key for a time that has already passed', () => {
    const r = redisConsole();
    r.run('mset a 1 b 2 c 3');
    expect(r.transcript(['expire a 0', 'expire b -5', 'expireat c 1', 'dbsize'])).toEqual([
      'expire a 0 → (integer) 1',
      'expire b -5 → (integer) 1',
      'expireat c 1 → (integer) 1',
      'dbsize → (integer) 0',
    ]);
  });

  test('applies NX, XX, GT and LT, counting no TTL as infinite', () => {
    const r = redisConsole();
    r.run('set k v');
    expect(
      r.transcript(['expire k 100 xx', 'expire k 100 gt', 'expire k 100 lt', 'expire k 200 nx', 'expire k 100 nx', 'expire k 300 gt', 'expire k 50 lt', 'expire k 60 LT', 'ttl k']),
    ).toEqual([
      'expire k 100 xx → (integer) 0',
      'expire k 100 gt → (integer) 0',
      'expire k 100 lt → (integer) 1',
      'expire k 200 nx → (integer) 0',
      'expire k 100 nx → (integer) 0',
      'expire k 300 gt → (integer) 1',
      'expire k 50 lt → (integer) 1',
      'expire k 60 LT → (integer) 0',
      'ttl k → (integer) 50',
    ]);
  });

  test('rejects conflicting or unknown options and times beyond 64 bits', () => {
    const r = redisConsole();
    r.run('set k v');
    expect(
      r.transcript([
        'expire k 10 nx xx',
        'expire k 10 gt lt',
        'expire k 10 foo',
        'expire k abc',
        'expire k 9223372036854775807',
        'pexpire k 9223372036854775807',
      ]),
    ).toMatchInlineSnapshot(`
      [
        "expire k 10 nx xx → (error) ERR NX and XX, GT or LT options at the same time are not compatible",
        "expire k 10 gt lt → (error) ERR GT and LT options at the same time are not compatible",
        "expire k 10 foo → (error) ERR Unsupported option foo",
        "expire k abc → (error) ERR value is not an integer or out of range",
        "expire k 9223372036854775807 → (error) ERR invalid expire time in 'expire' command",
        "pexpire k 9223372036854775807 → (error) ERR invalid expire time in 'pexpire' command",
      ]
    `);
  });
});

describe('PERSIST', () => {
  test('removes a TTL once and replies 0 when there is none', () => {
    const r = redisConsole();
    r.run('set k v ex 10');
    expect(r.transcript(['persist k', 'persist k', 'persist missing', 'ttl k'])).toEqual([
      'persist k → (integer) 1',
      'persist k → (integer) 0',
      'persist missing → (integer) 0',
      'ttl k → (integer) -1',
    ]);
  });
});

describe('DEL, UNLINK, EXISTS and TYPE', () => {
  test('counts deleted keys once and existing keys once per mention', () => {
    const r = redisConsole();
    r.run('mset a 1 b 2 c 3');
    expect(r.transcript(['exists a a b missing', 'del a a missing', 'unlink b', 'exists a b c'])).toEqual([
      'exists a a b missing → (integer) 3',
      'del a a missing → (integer) 1',
      'unlink b → (integer) 1',
      'exists a b c → (integer) 1',
    ]);
  });

  test('names the type of a key', () => {
    const r = redisConsole();
    r.run('set s v');
    r.run('hset h f v');
    expect(r.transcript(['type s', 'type h', 'type missing'])).toEqual(['type s → string', 'type h → hash', 'type missing → none']);
  });
});

describe('KEYS', () => {
  test('lists live keys that match the glob, sorted', () => {
    const r = redisConsole();
    r.run('mset rate:b 1 rate:a 2 user:1 3');
    r.run('set rate:gone 1 px 10');
    r.advance(10);
    expect(r.run('keys rate:*')).toBe('1) "rate:a", 2) "rate:b"');
    expect(r.run('keys *')).toBe('1) "rate:a", 2) "rate:b", 3) "user:1"');
    expect(r.run('keys nothing*')).toBe('(empty array)');
  });

  test('lists the empty key for a lone star', () => {
    const r = redisConsole();
    r.run('set "" v');
    expect(r.run('keys *')).toBe('1) ""');
  });
});

describe('WRONGTYPE', () => {
  test('answers every typed command on a key of the other type', () => {
    const r = redisConsole();
    r.run('set s v');
    r.run('hset h f v');
    const lines = ['get h', 'incr h', 'incrby h 1', 'decr h', 'decrby h 1', 'set h v get', 'hget s f', 'hset s f v', 'hmset s f v', 'hdel s f', 'hgetall s', 'hincrby s f 1', 'hexists s f', 'hlen s', 'hmget s f'];
    for (const line of lines) {
      expect(r.run(line), line).toBe('(error) WRONGTYPE Operation against a key holding the wrong kind of value');
    }
    expect(r.transcript(['get s', 'hgetall h'])).toEqual(['get s → "v"', 'hgetall h → 1) "f", 2) "v"']);
  });
});
