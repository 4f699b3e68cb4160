import { describe, expect, test } from 'vitest';
import { redisConsole } from '../redis-console.ts';

describe('GET and SET', () => {
  test('returns nil for a missing key and the value once set', () => {
    const r = redisConsole();
    expect(r.transcript(['get k', 'set k v', 'get k', 'GET k'])).toEqual([
      'get k → (nil)',
      'set k v → OK',
      'get k → "v"',
      'GET k → "v"',
    ]);
  });

  test('sets with NX only a missing key and with XX only an existing one', () => {
    const r = redisConsole();
    expect(r.transcript(['set k 1 xx', 'set k 1 nx', 'set k 2 nx', 'set k 3 xx', 'get k'])).toEqual([
      'set k 1 xx → (nil)',
      'set k 1 nx → OK',
      'set k 2 nx → (nil)',
      'set k 3 xx → OK',
      'get k → "3"',
    ]);
  });

  test('returns the old value with GET, and with NX leaves an existing key alone', () => {
    const r = redisConsole();
    expect(r.transcript(['set k a get', 'set k b get', 'set k c nx get', 'get k'])).toEqual([
      'set k a get → (nil)',
      'set k b get → "a"',
      'set k c nx get → "b"',
      'get k → "b"',
    ]);
  });

  test('expires a key set with EX, PX, EXAT or PXAT at the time the clock says', () => {
    const r = redisConsole();
    const atSeconds = Math.floor(r.nowMs() / 1000) + 30;
    r.run('set ex v ex 10');
    r.run('set px v px 1500');
    r.run(`set exat v exat ${atSeconds}`);
    r.run(`set pxat v pxat ${r.nowMs() + 20_000}`);
    expect(r.transcript(['pttl ex', 'pttl px', 'pttl exat', 'pttl pxat'])).toEqual([
      'pttl ex → (integer) 10000',
      'pttl px → (integer) 1500',
      `pttl exat → (integer) ${atSeconds * 1000 - r.nowMs()}`,
      'pttl pxat → (integer) 20000',
    ]);
    r.advance(1500);
    expect(r.run('get px')).toBe('(nil)');
    expect(r.run('get ex')).toBe('"v"');
  });

  test('clears the TTL on a plain SET and keeps it with KEEPTTL', () => {
    const r = redisConsole();
    r.run('set k v ex 100');
    r.run('set k w keepttl');
    expect(r.run('ttl k')).toBe('(integer) 100');
    r.run('set k x');
    expect(r.run('ttl k')).toBe('(integer) -1');
  });

  test('accepts the same expiry option twice and keeps the last', () => {
    const r = redisConsole();
    expect(r.run('set k v ex 10 EX 20')).toBe('OK');
    expect(r.run('ttl k')).toBe('(integer) 20');
  });

  test('answers a syntax error to options that conflict or lack their value', () => {
    const r = redisConsole();
    expect(r.transcript(['set k v nx xx', 'set k v ex 10 px 100', 'set k v keepttl ex 10', 'set k v ex', 'set k v foo']))
      .toMatchInlineSnapshot(`
        [
          "set k v nx xx → (error) ERR syntax error",
          "set k v ex 10 px 100 → (error) ERR syntax error",
          "set k v keepttl ex 10 → (error) ERR syntax error",
          "set k v ex → (error) ERR syntax error",
          "set k v foo → (error) ERR syntax error",
        ]
      `);
    expect(r.run('get k')).toBe('(nil)');
  });

  test('rejects an expire time that is not positive or overflows, naming the command', () => {
    const r = redisConsole();
    expect(
      r.transcript([
        'set k v ex 0',
        'set k v px -1',
        'set k v ex abc',
        'set k v ex 9223372036854775807',
        'set k v px 9223372036854775807',
        'setex k 0 v',
        'psetex k 0 v',
      ]),
    ).toMatchInlineSnapshot(`
      [
        "set k v ex 0 → (error) ERR invalid expire time in 'set' command",
        "set k v px -1 → (error) ERR invalid expire time in 'set' command",
        "set k v ex abc → (error) ERR value is not an integer or out of range",
        "set k v ex 9223372036854775807 → (error) ERR invalid expire time in 'set' command",
        "set k v px 9223372036854775807 → (error) ERR invalid expire time in 'set' command",
        "setex k 0 v → (error) ERR invalid expire time in 'setex' command",
        "psetex k 0 v → (error) ERR invalid expire time in 'psetex' command",
      ]
    `);
  });
});

describe('SETNX, SETEX and PSETEX', () => {
  test('replies 1 when SETNX sets the key and 0 when it exists', () => {
    const r = redisConsole();
    expect(r.transcript(['setnx k 1', 'setnx k 2', 'get k'])).toEqual(['setnx k 1 → (integer) 1', 'setnx k 2 → (integer) 0', 'get k → "1"']);
  });

  test('sets a value with a TTL in seconds or milliseconds', () => {
    const r = redisConsole();
    expect(r.transcript(['setex k 60 v', 'ttl k', 'psetex p 250 v', 'pttl p'])).toEqual([
      'setex k 60 v → OK',
      'ttl k → (integer) 60',
      'psetex p 250 v → OK',
      'pttl p → (integer) 250',
    ]);
  });
});

describe('INCR, INCRBY, DECR and DECRBY', () => {
  test('counts from 0 on a missing key', () => {
    const r = redisConsole();
    expect(r.transcript(['incr a', 'incr a', 'incrby b 5', 'decr c', 'decrby d 7', 'decrby d -10'])).toEqual([
      'incr a → (integer) 1',
      'incr a → (integer) 2',
      'incrby b 5 → (integer) 5',
      'decr c → (integer) -1',
      'decrby d 7 → (integer) -7',
      'decrby d -10 → (integer) 3',
    ]);
  });

  test('keeps the TTL of the counter, as a rate limiter relies on', () => {
    const r = redisConsole();
    r.run('incr window');
    r.run('expire window 60');
    r.advance(10_000);
    r.run('incr window');
    expect(r.run('ttl window')).toBe('(integer) 50');
    r.advance(50_000);
    expect(r.run('incr window')).toBe('(integer) 1');
  });

  test('refuses values that Redis does not read as integers', () => {
    const r = redisConsole();
    for (const value of ['abc', '" 12"', '012', '-0', '12.0', '+5', '""', '9223372036854775808']) {
      r.run(`set n ${value}`);
      expect(r.run('incr n'), value).toBe('(error) ERR value is not an integer or out of range');
    }
    expect(r.run('incrby n x')).toMatchInlineSnapshot(`"(error) ERR value is not an integer or out of range"`);
  });

  test('reports overflow at both ends of 64 bits and keeps every digit below', () => {
    const r = redisConsole();
    expect(
      r.transcript([
        'set n 9223372036854775806',
        'incr n',
        'incr n',
        'set m -9223372036854775807',
        'decr m',
        'decr m',
        'decrby m -9223372036854775808',
      ]),
    ).toMatchInlineSnapshot(`
      [
        "set n 9223372036854775806 → OK",
        "incr n → (integer) 9223372036854775807",
        "incr n → (error) ERR increment or decrement would overflow",
        "set m -9223372036854775807 → OK",
        "decr m → (integer) -9223372036854775808",
        "decr m → (error) ERR increment or decrement would overflow",
        "decrby m -9223372036854775808 → (error) ERR decrement would overflow",
      ]
    `);
  });
});

describe('MGET and MSET', () => {
  test('returns nil for missing keys and for keys that hold hashes', () => {
    const r = redisConsole();
    r.run('mset a 1 b 2');
    r.run('hset h f v');
    expect(r.run('mget a missing h b')).toBe('1) "1", 2) (nil), 3) (nil), 4) "2"');
  });

  test('needs keys and values in pairs, and clears TTLs', () => {
    const r = redisConsole();
    r.run('set a 1 ex 100');
    expect(r.run('mset a 1 b')).toMatchInlineSnapshot(`"(error) ERR wrong number of arguments for 'mset' command"`);
    expect(r.run('mset a 2 b 3')).toBe('OK');
    expect(r.run('ttl a')).toBe('(integer) -1');
  });
});
