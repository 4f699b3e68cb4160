import { describe, expect, test } from 'vitest';
import { redisConsole } from '../redis-console.ts';

describe('HSET, HMSET and HGET', () => {
  test('counts only new fields and overwrites existing ones', () => {
    const r = redisConsole();
    expect(r.transcript(['hset h a 1 b 2', 'hset h b 3 c 4', 'hget h b', 'hget h zz', 'hget missing a', 'hmset h d 5'])).toEqual([
      'hset h a 1 b 2 → (integer) 2',
      'hset h b 3 c 4 → (integer) 1',
      'hget h b → "3"',
      'hget h zz → (nil)',
      'hget missing a → (nil)',
      'hmset h d 5 → OK',
    ]);
  });

  test('needs fields and values in pairs', () => {
    const r = redisConsole();
    expect(r.transcript(['hset h a', 'hset h a 1 b', 'hmset h a 1 b'])).toMatchInlineSnapshot(`
      [
        "hset h a → (error) ERR wrong number of arguments for 'hset' command",
        "hset h a 1 b → (error) ERR wrong number of arguments for 'hset' command",
        "hmset h a 1 b → (error) ERR wrong number of arguments for 'hmset' command",
      ]
    `);
    expect(r.run('exists h')).toBe('(integer) 0');
  });
});

describe('HGETALL, HMGET, HEXISTS and HLEN', () => {
  test('lists fields in insertion order, with a re-added field at the end', () => {
    const r = redisConsole();
    r.run('hset h a 1 b 2 c 3');
    r.run('hdel h b');
    r.run('hset h b 9 a 7');
    expect(r.run('hgetall h')).toBe('1) "a", 2) "7", 3) "c", 4) "3", 5) "b", 6) "9"');
    expect(r.run('hgetall missing')).toBe('(empty array)');
  });

  test('answers for missing keys and fields without creating anything', () => {
    const r = redisConsole();
    r.run('hset h a 1');
    expect(r.transcript(['hmget h a zz', 'hmget missing a b', 'hexists h a', 'hexists h zz', 'hlen h', 'hlen missing', 'dbsize'])).toEqual([
      'hmget h a zz → 1) "1", 2) (nil)',
      'hmget missing a b → 1) (nil), 2) (nil)',
      'hexists h a → (integer) 1',
      'hexists h zz → (integer) 0',
      'hlen h → (integer) 1',
      'hlen missing → (integer) 0',
      'dbsize → (integer) 1',
    ]);
  });
});

describe('HDEL', () => {
  test('counts removed fields and removes the key with its last field', () => {
    const r = redisConsole();
    r.run('hset h a 1 b 2');
    expect(r.transcript(['hdel h a zz a', 'hdel missing a', 'hdel h b', 'exists h'])).toEqual([
      'hdel h a zz a → (integer) 1',
      'hdel missing a → (integer) 0',
      'hdel h b → (integer) 1',
      'exists h → (integer) 0',
    ]);
  });
});

describe('HINCRBY', () => {
  test('creates the hash and the field from 0', () => {
    const r = redisConsole();
    expect(r.transcript(['hincrby h n 5', 'hincrby h n -7', 'hget h n'])).toEqual([
      'hincrby h n 5 → (integer) 5',
      'hincrby h n -7 → (integer) -2',
      'hget h n → "-2"',
    ]);
  });

  test('refuses a bad increment, a field that is not an integer, and overflow', () => {
    const r = redisConsole();
    r.run('hset h s abc big 9223372036854775807');
    expect(r.transcript(['hincrby h s x', 'hincrby h s 1', 'hincrby h big 1', 'hincrby fresh f x', 'exists fresh'])).toMatchInlineSnapshot(`
      [
        "hincrby h s x → (error) ERR value is not an integer or out of range",
        "hincrby h s 1 → (error) ERR hash value is not an integer",
        "hincrby h big 1 → (error) ERR increment or decrement would overflow",
        "hincrby fresh f x → (error) ERR value is not an integer or out of range",
        "exists fresh → (integer) 0",
      ]
    `);
  });
});
