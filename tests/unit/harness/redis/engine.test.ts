import { describe, expect, test } from 'vitest';
import { MEMORY_REDIS_COMMANDS, MemoryRedis } from '../../../../src/harness/redis/index.ts';
import { redisConsole, T0 } from './redis-console.ts';

describe('MemoryRedis.execute', () => {
  test('answers an unknown command with its arguments quoted, each followed by a space', () => {
    const r = redisConsole();
    expect(r.transcript(['foo', 'foo a b', 'FOO A', 'foo "a\\r\\nb" "x\\x00y"'])).toMatchInlineSnapshot(`
      [
        "foo → (error) ERR unknown command 'foo', with args beginning with: ",
        "foo a b → (error) ERR unknown command 'foo', with args beginning with: 'a' 'b' ",
        "FOO A → (error) ERR unknown command 'FOO', with args beginning with: 'A' ",
        "foo "a\\r\\nb" "x\\x00y" → (error) ERR unknown command 'foo', with args beginning with: 'a  b' 'x' ",
      ]
    `);
  });

  test('shows no more than 128 bytes of arguments in an unknown-command error', () => {
    const r = redisConsole();
    const reply = r.run(`foo ${'a'.repeat(150)} b`);
    expect(reply).toBe(`(error) ERR unknown command 'foo', with args beginning with: '${'a'.repeat(128)}' `);
    expect(r.run(`foo ${'a'.repeat(120)} b c d`)).toBe(
      `(error) ERR unknown command 'foo', with args beginning with: '${'a'.repeat(120)}' 'b' 'c' `,
    );
  });

  test('answers a wrong argument count with the lower-case command name', () => {
    const r = redisConsole();
    expect(r.transcript(['GET', 'get a b', 'hgetall', 'dbsize x'])).toMatchInlineSnapshot(`
      [
        "GET → (error) ERR wrong number of arguments for 'get' command",
        "get a b → (error) ERR wrong number of arguments for 'get' command",
        "hgetall → (error) ERR wrong number of arguments for 'hgetall' command",
        "dbsize x → (error) ERR wrong number of arguments for 'dbsize' command",
      ]
    `);
  });

  test('reads command names in any letter case', () => {
    const r = redisConsole();
    expect(r.transcript(['SeT k v', 'gEt k'])).toEqual(['SeT k v → OK', 'gEt k → "v"']);
  });

  test('answers an error to an empty command instead of throwing', () => {
    const engine = new MemoryRedis();
    expect(engine.execute([], T0, engine.newSession())).toEqual({ type: 'error', value: 'ERR empty command' });
  });

  test('keeps keys and values as bytes, not text', () => {
    const engine = new MemoryRedis();
    const session = engine.newSession();
    const key = new Uint8Array([0xff, 0x00, 0x80]);
    const value = new Uint8Array([0xc3, 0x28, 0x00]);
    engine.execute([new TextEncoder().encode('set'), key, value], T0, session);
    expect(engine.execute([new TextEncoder().encode('get'), key], T0, session)).toEqual({ type: 'bulk', value });
  });

  test('replies with a bigint once a counter passes 2^53', () => {
    const r = redisConsole();
    r.run('set n 9007199254740991');
    const reply = r.engine.execute([new TextEncoder().encode('incr'), new TextEncoder().encode('n')], T0, r.session);
    expect(reply).toEqual({ type: 'integer', value: 9007199254740992n });
  });
});

describe('MemoryRedis.newSession', () => {
  test('starts authenticated in database 0 when the server has no password', () => {
    expect(new MemoryRedis().newSession()).toEqual({ authenticated: true, db: 0 });
    expect(new MemoryRedis({ password: '' }).newSession()).toEqual({ authenticated: true, db: 0 });
    expect(new MemoryRedis({ password: 'p' }).newSession()).toEqual({ authenticated: false, db: 0 });
  });
});

describe('MemoryRedis seed', () => {
  test('preloads strings, numbers and hashes into database 0 without expiry', () => {
    const r = redisConsole({ seed: { quota: 10, name: '限流', user: { plan: 'pro', used: 3 } } });
    expect(r.transcript(['incr quota', 'get name', 'hgetall user', 'ttl quota'])).toEqual([
      'incr quota → (integer) 11',
      'get name → "限流"',
      'hgetall user → 1) "plan", 2) "pro", 3) "used", 4) "3"',
      'ttl quota → (integer) -1',
    ]);
  });

  test('throws a seed error naming the key of a value it cannot store', () => {
    expect(() => new MemoryRedis({ seed: { ok: '1', bad: [1, 2] as never } })).toThrowErrorMatchingInlineSnapshot(
      `[RedisSeedError: Redis seed "bad" is an array; write a string, a number, an object of strings (a hash), {list: [...]}, {set: [...]} or {zset: {member: score}}.]`,
    );
    expect(() => new MemoryRedis({ seed: { h: { f: null as never } } })).toThrow(/Redis seed "h\.f" is null/);
    expect(() => new MemoryRedis({ seed: { z: { zset: { m: '1' as never } } } })).toThrow(/Redis seed "z\.zset\.m" is a string/);
  });

  test('preloads lists, sets and sorted sets from their one-key forms; any other object is a hash', () => {
    const r = redisConsole({ seed: { queue: { list: ['a', 2] }, blocked: { set: ['10.0.0.7'] }, window: { zset: { r1: 1000, r2: 500 } }, h: { list: 'x' } } });
    expect(r.transcript(['lrange queue 0 -1', 'sismember blocked 10.0.0.7', 'zrange window 0 -1 withscores', 'type h'])).toEqual([
      'lrange queue 0 -1 → 1) "a", 2) "2"',
      'sismember blocked 10.0.0.7 → (integer) 1',
      'zrange window 0 -1 withscores → 1) "r2", 2) "500", 3) "r1", 4) "1000"',
      'type h → hash',
    ]);
  });
});

describe('MemoryRedis databases seed', () => {
  test('preloads each database from its own seed, apart from database 0', () => {
    const r = redisConsole({ seed: { quota: 1 }, databases: { 2: { quota: 20, user: { plan: 'pro' } } } });
    expect(r.transcript(['get quota', 'select 2', 'get quota', 'hget user plan', 'select 1', 'dbsize'])).toEqual([
      'get quota → "1"',
      'select 2 → OK',
      'get quota → "20"',
      'hget user plan → "pro"',
      'select 1 → OK',
      'dbsize → (integer) 0',
    ]);
  });

  test('throws for a database the engine does not have', () => {
    expect(() => new MemoryRedis({ databases: { 16: { a: 1 } } })).toThrowErrorMatchingInlineSnapshot(`[RangeError: Redis seed for database 16: there are databases 0 to 15]`);
  });
});

describe('MemoryRedis.snapshot', () => {
  test('lists live keys sorted, with decoded values and the time left', () => {
    const r = redisConsole({ seed: { b: 'two' } });
    r.run('hset a f 1');
    r.run('set c 限 px 5000');
    r.run('set gone x px 10');
    r.advance(1000);
    expect(r.engine.snapshot(r.nowMs())).toEqual([
      { key: 'a', type: 'hash', value: { f: '1' }, ttlMs: null },
      { key: 'b', type: 'string', value: 'two', ttlMs: null },
      { key: 'c', type: 'string', value: '限', ttlMs: 4000 },
    ]);
  });

  test('shows another database when asked', () => {
    const r = redisConsole();
    r.run('select 3');
    r.run('set k v');
    expect(r.engine.snapshot(r.nowMs())).toEqual([]);
    expect(r.engine.snapshot(r.nowMs(), 3)).toEqual([{ key: 'k', type: 'string', value: 'v', ttlMs: null }]);
  });
});

describe('MEMORY_REDIS_COMMANDS', () => {
  test('names every supported command', () => {
    expect(MEMORY_REDIS_COMMANDS).toMatchInlineSnapshot(`
      [
        "auth",
        "dbsize",
        "decr",
        "decrby",
        "del",
        "echo",
        "eval",
        "evalsha",
        "exists",
        "expire",
        "expireat",
        "flushall",
        "flushdb",
        "get",
        "hdel",
        "hexists",
        "hget",
        "hgetall",
        "hincrby",
        "hincrbyfloat",
        "hkeys",
        "hlen",
        "hmget",
        "hmset",
        "hset",
        "hvals",
        "incr",
        "incrby",
        "incrbyfloat",
        "keys",
        "lindex",
        "linsert",
        "llen",
        "lpop",
        "lpush",
        "lrange",
        "lrem",
        "lset",
        "ltrim",
        "mget",
        "mset",
        "persist",
        "pexpire",
        "pexpireat",
        "ping",
        "psetex",
        "pttl",
        "rpop",
        "rpush",
        "sadd",
        "scard",
        "script",
        "sdiff",
        "sdiffstore",
        "select",
        "set",
        "setex",
        "setnx",
        "sinter",
        "sinterstore",
        "sismember",
        "smembers",
        "srem",
        "sunion",
        "sunionstore",
        "ttl",
        "type",
        "unlink",
        "zadd",
        "zcard",
        "zcount",
        "zincrby",
        "zrange",
        "zrangebyscore",
        "zrank",
        "zrem",
        "zremrangebyrank",
        "zremrangebyscore",
        "zrevrange",
        "zrevrangebyscore",
        "zrevrank",
        "zscore",
      ]
    `);
  });
});
