/**
 * Conformance: the same commands go to MemoryRedis (through handleQuery) and to a real
 * redis-server (through TcpRedis), and the raw reply bytes must be identical. This is what proves
 * the engine's error texts and edge cases are Redis's own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TcpRedis } from '../../src/harness/node/redis-tcp.ts';
import {
  decodeResp,
  encodeCommand,
  formatReply,
  handleQuery,
  MemoryRedis,
  parseInlineCommand,
  prepareQuery,
  type MemoryRedisOptions,
  type RespValue,
} from '../../src/harness/redis/index.ts';

const REDIS_SERVER = process.env.REDIS_SERVER ?? findOnPath('redis-server');
const SKIP_REASON =
  'redis-server is not on PATH (nor named by REDIS_SERVER); install Redis 7 (apt-get install redis-server) to run the conformance test';

/** How to compare one reply when exact bytes cannot match. */
type Check = (memory: RespValue, real: RespValue) => void;

/** A command line, or a command line and the structural check that replaces byte equality. */
type Step = string | [string, Check];

/** KEYS order comes from the hash table on a real server; we reply sorted. */
const sameItemsInAnyOrder: Check = (memory, real) => {
  expect(sortedItems(memory)).toEqual(sortedItems(real));
};

/** Remaining TTLs move with the clock; both must be integers inside the range. */
const integerWithin =
  (low: number, high: number): Check =>
  (memory, real) => {
    for (const reply of [memory, real]) {
      expect(reply.type).toBe('integer');
      expect(Number(reply.value)).toBeGreaterThanOrEqual(low);
      expect(Number(reply.value)).toBeLessThanOrEqual(high);
    }
  };

const LONG_ARG = 'a'.repeat(150);

const OPEN_SERVER_STEPS: Step[] = [
  'flushall',
  // connection
  'ping',
  'ping hello',
  'ping a b',
  'echo "hi there"',
  'echo',
  // unknown commands: quoting, the 128-byte cut, CR/LF turned to spaces, NUL cutting an argument
  'foo',
  'foo a b',
  'FOO A',
  `foo ${LONG_ARG} b c`,
  `foo ${'a'.repeat(123)} b c d`,
  `${'f'.repeat(140)} x`,
  'foo "a\\r\\nb"',
  'foo "a\\x00b" c',
  '"" x',
  // strings
  'get missing',
  'set k v',
  'get k',
  'GET k',
  'get',
  'get a b',
  'set k',
  'set k v nx xx',
  'set k v xx nx',
  'set k v foo',
  'set k v ex 0',
  'set k v ex -1',
  'set k v px 0',
  'set k v exat 0',
  'set k v ex abc',
  'set k v ex',
  'set k v ex 10 px 100',
  'set k v keepttl ex 10',
  'set k v ex 10 keepttl',
  'set k v ex 10 ex 20',
  'set k v ex 9223372036854775807',
  'set k v px 9223372036854775807',
  'set k v EX 9223372036854775',
  'set k v get',
  'set k v2 get nx',
  'set k v3 xx get',
  'set nokey v xx get',
  'set nokey v xx',
  'set k v nx',
  'set k v keepttl',
  'set k v exat 1',
  'get k',
  'set k v',
  'incr k',
  'set n 9223372036854775807',
  'incr n',
  'incrby n -1',
  'decrby n -9223372036854775808',
  'incrby n abc',
  'incrby n 9223372036854775808',
  'decr n',
  'decrby n 10',
  'get n',
  'set m -9223372036854775808',
  'decr m',
  'incrby m -1',
  'set n " 12"',
  'incr n',
  'set n 012',
  'incr n',
  'set n -0',
  'incr n',
  'set n 12.0',
  'incr n',
  'set n +5',
  'incr n',
  'incr c1',
  'incrby c2 5',
  'decr c3',
  'decrby c4 -7',
  'incr',
  'incrby c2',
  'setnx a 1',
  'setnx a 2',
  'setnx a',
  'setex e 0 v',
  'setex e abc v',
  'setex e 100 v',
  ['ttl e', integerWithin(99, 100)],
  'psetex p 0 v',
  'psetex p 100000 v',
  ['pttl p', integerWithin(98_000, 100_000)],
  'mset a 1 b',
  'mset a 1 b 2',
  'mset',
  'mget a b missing',
  'mget',
  // hashes, in a real server's listpack order
  'hset h a 1 b 2 c 3',
  'hdel h b',
  'hset h b 9 a 7',
  'hgetall h',
  'hget h a',
  'hget h zz',
  'hset h a',
  'hset h a 1 b',
  'hmset h x 1 y 2',
  'hmset h x',
  'hmget h a zz b',
  'hmget missing a b',
  'hexists h a',
  'hexists h zz',
  'hlen h',
  'hlen missing',
  'hgetall missing',
  'hincrby h a x',
  'hset h s abc',
  'hincrby h s 1',
  'hset h big 9223372036854775807',
  'hincrby h big 1',
  'hincrby h new 5',
  'hincrby h new -9223372036854775808',
  'hincrby fresh f 1',
  'hincrby fresh f',
  'hdel h a zz b',
  'hdel missing a',
  'hgetall h',
  'hdel fresh f',
  'exists fresh',
  // WRONGTYPE, and the commands that do not care about type
  'set s v',
  'get h',
  'incr h',
  'incrby h 1',
  'incrby h x',
  'hget s a',
  'hgetall s',
  'hset s a 1',
  'hincrby s f 1',
  'hincrby s f x',
  'hmget s a',
  'hlen s',
  'hexists s a',
  'hdel s a',
  'mget s h',
  'set h v get',
  'set s w get',
  'type s',
  'type h',
  'type missing',
  // expiry
  'expire s 100',
  ['ttl s', integerWithin(99, 100)],
  ['pttl s', integerWithin(98_000, 100_000)],
  'expire s 100 nx',
  'expire s 200 xx',
  'expire s 50 gt',
  'expire s 300 GT',
  'expire s 400 lt',
  'expire s 10 lt',
  'expire s 10 nx xx',
  'expire s 10 nx gt',
  'expire s 10 gt lt',
  'expire s 10 foo',
  'expire s 10 "a\\r\\nb"',
  'expire s 10 "nx\\x00y"',
  'expire s 10 "n\\x00x"',
  'set t v "nx\\x00y"',
  'expire s abc',
  'expire s abc foo',
  'expire s',
  'expire s 9223372036854775807',
  'expire s -9223372036854775808',
  'pexpire s 9223372036854775807',
  'persist s',
  'persist s',
  'persist missing',
  'ttl s',
  'ttl missing',
  'pttl missing',
  'expire missing 10',
  'expire h 10 xx',
  'expire h 10 gt',
  'expire h 10 lt',
  'expire s 0',
  'exists s',
  'set a 1',
  'expireat a 1',
  'exists a',
  'set b 2',
  'pexpireat b 1',
  'expireat b abc',
  'expire a -5',
  // keys
  'set a 1',
  'set b 2',
  'exists a a b missing',
  'del a missing',
  'unlink b',
  'del',
  'exists',
  'set "" empty',
  'mset hello 1 hallo 2 hxllo 3 heello 4 "h*llo" 5',
  ['keys *', sameItemsInAnyOrder],
  ['keys h?llo', sameItemsInAnyOrder],
  ['keys h*llo', sameItemsInAnyOrder],
  ['keys h[ae]llo', sameItemsInAnyOrder],
  ['keys h[^e]llo', sameItemsInAnyOrder],
  ['keys h[a-b]llo', sameItemsInAnyOrder],
  ['keys h[b-a]llo', sameItemsInAnyOrder],
  ['keys h\\*llo', sameItemsInAnyOrder],
  ['keys h[a', sameItemsInAnyOrder],
  ['keys nothing*', sameItemsInAnyOrder],
  'keys',
  'dbsize',
  // databases
  'select 16',
  'select -1',
  'select abc',
  'select 99999999999',
  'select',
  'select 1',
  'get k',
  'set k db1',
  'dbsize',
  'select 0',
  'get k',
  'flushdb foo',
  'flushdb',
  'dbsize',
  'select 1',
  'get k',
  'select 0',
  'flushall foo',
  'flushall a b',
  'flushall ASYNC',
  'flushall sync',
  'select 1',
  'dbsize',
  'select 0',
  'dbsize x',
  // authentication on a server without a password
  'auth x',
  'auth default x',
  'auth a b',
  'auth a b c',
  'auth',
];

/** Lists, sets and sorted sets: what wasm-go's RedisClient can send, plus the by-score commands. */
const COLLECTION_STEPS: Step[] = [
  'flushall',
  // lists
  'rpush l a b c',
  'lpush l x y',
  'lrange l 0 -1',
  'llen l',
  'llen missing',
  'lindex l 0',
  'lindex l -1',
  'lindex l 99',
  'lindex l x',
  'lindex missing 0',
  'lrange l 1 2',
  'lrange l -2 -1',
  'lrange l 5 10',
  'lrange l 2 1',
  'lrange l -100 100',
  'lrange l a 1',
  'lrange missing 0 -1',
  'lpop l',
  'rpop l',
  'lpop l 2',
  'rpop l 0',
  'lpop l -1',
  'lpop l x',
  'lpop l 1 2',
  'lpop missing',
  'lpop missing 2',
  'rpush l b b a b c b',
  'lrem l 2 b',
  'lrange l 0 -1',
  'lrem l -1 b',
  'lrange l 0 -1',
  'lrem l 0 a',
  'lrem l x a',
  'lrem missing 0 a',
  'linsert l before c z',
  'linsert l AFTER c w',
  'linsert l before nothere z',
  'linsert l middle c z',
  'linsert missing before a b',
  'lrange l 0 -1',
  'lset l 0 first',
  'lset l 99 x',
  'lset missing 0 x',
  'ltrim l 1 2',
  'lrange l 0 -1',
  'ltrim l 5 10',
  'exists l',
  'set s str',
  'lpush s a',
  'lrange s 0 -1',
  'type l',
  'rpush l2 a',
  'type l2',
  'rpop l2',
  'exists l2',
  // sets
  'sadd st b a c a',
  'scard st',
  'sismember st a',
  'sismember st z',
  'sismember missing a',
  'sadd ints 3 1 2 10 -5',
  'smembers ints',
  ['smembers st', sameItemsInAnyOrder],
  'srem st a z',
  'scard st',
  'sadd st2 b x',
  ['sdiff st st2', sameItemsInAnyOrder],
  ['sinter st st2', sameItemsInAnyOrder],
  ['sunion st st2', sameItemsInAnyOrder],
  'sinter st missing',
  'sinter missing s',
  'sunion st s',
  'sdiff st s',
  'sdiffstore dst st st2',
  ['smembers dst', sameItemsInAnyOrder],
  'sinterstore dst st st2',
  'sinterstore dst st missing',
  'exists dst',
  'sunionstore s st st2',
  'type s',
  'srem s b c x',
  'exists s',
  'sadd s',
  'type st',
  // sorted sets
  'zadd z 1 a 2 b 3 c',
  'zadd z 1.5 d',
  'zcard z',
  'zcard missing',
  'zrange z 0 -1',
  'zrange z 0 -1 withscores',
  'zrange z 0 -1 WITHSCORES rev',
  'zrevrange z 0 1',
  'zrevrange z 0 1 withscores',
  'zrevrange z 0 1 foo',
  'zrange z 1 2 foo',
  'zscore z d',
  'zscore z nothere',
  'zadd z 0.1 e',
  'zscore z e',
  'zadd z inf top -inf bottom',
  'zrange z 0 -1 withscores',
  'zadd z 5 a',
  'zadd z nx 9 a 9 new',
  'zadd z xx 7 a 7 nothere',
  'zadd z xx ch 8 a',
  'zadd z gt 1 a',
  'zadd z gt ch 10 a',
  'zadd z lt ch 20 a',
  'zadd z incr 2 a',
  'zadd z incr nx 2 a',
  'zadd z incr 2 a 3 b',
  'zadd z nx xx 1 a',
  'zadd z gt lt 1 a',
  'zadd z gt nx 1 a',
  'zadd z 1',
  'zadd z x a',
  'zadd z nan a',
  'zadd z 1 a 2',
  'zadd missing xx 1 a',
  'zadd missing xx incr 1 a',
  'exists missing',
  'zincrby z 1.5 b',
  'zincrby z x b',
  'zincrby z2 3 m',
  'zincrby z inf top',
  'zincrby z -inf top',
  'zrank z b',
  'zrevrank z b',
  'zrank z nothere',
  'zrank missing a',
  'zcount z -inf +inf',
  'zcount z 1 3',
  'zcount z (1 3',
  'zcount z 1 (3',
  'zcount z x 3',
  'zcount missing 0 1',
  'zrangebyscore z 1 10',
  'zrangebyscore z (1 10 withscores',
  'zrangebyscore z -inf +inf limit 1 2',
  'zrangebyscore z -inf +inf limit 1 -1',
  'zrangebyscore z x 10',
  'zrevrangebyscore z 10 1',
  'zrevrangebyscore z +inf -inf withscores limit 0 2',
  'zrange z 1 10 byscore',
  'zrange z 10 1 byscore rev',
  'zrange z 0 -1 limit 0 1',
  'zrange z (1 +inf byscore limit 0 2 withscores',
  'zrem z a nothere',
  'zrem missing a',
  'zremrangebyscore z -inf 2',
  'zrange z 0 -1 withscores',
  'zremrangebyscore z (1 x',
  'zremrangebyrank z 0 0',
  'zremrangebyrank z -1 -1',
  'zrange z 0 -1 withscores',
  'zadd z 1 a',
  'zadd z 1 A 1 b',
  'zrange z 0 -1',
  'zremrangebyrank z 0 -1',
  'exists z',
  'zadd st 1 a',
  'zscore st a',
  'hset h f1 v1 f2 v2',
  'hkeys h',
  'hvals h',
  'hkeys missing',
  'hkeys st',
  // floats
  'incrbyfloat fl 10.5',
  'incrbyfloat fl 0.1',
  'incrbyfloat fl -5',
  'incrbyfloat fl 1e3',
  'incrbyfloat fl 5.6',
  'incrbyfloat fl -1005.6',
  'incrbyfloat exact 12345678901234567.5',
  'incrbyfloat exact .5',
  'incrbyfloat exact 1e-20',
  'incrbyfloat exact 1e5000',
  'incrbyfloat exact 1e4000',
  'incrbyfloat exact 1e-5000',
  'incrbyfloat exact 0e-9999',
  'incrbyfloat exact "1 "',
  'incrbyfloat exact ""',
  'incrbyfloat exact 1.',
  'incrbyfloat fl x',
  'incrbyfloat fl inf',
  'set fl2 0.1',
  'incrbyfloat fl2 0.2',
  'incrbyfloat fl2 1e20',
  'set fl3 abc',
  'incrbyfloat fl3 1',
  'incrbyfloat h 1',
  'hincrbyfloat hf a 1.5',
  'hincrbyfloat hf a 0.25',
  'hincrbyfloat hf a x',
  'hset hf s abc',
  'hincrbyfloat hf s 1',
  'hincrbyfloat st a 1',
  'hgetall hf',
  // a sliding-window limiter, the way plugins use sorted sets
  'zadd window 1000 r1 1500 r2 2500 r3',
  'zremrangebyscore window -inf 1500',
  'zcard window',
  'zadd window 3000 r4',
  'zrange window 0 -1 withscores',
];

/** EVAL and friends: the Lua conversions, redis.call's checks and Redis 7.0's error texts. */
const SCRIPTING_STEPS: Step[] = [
  'flushall',
  'script flush',
  'eval "return 1" 0',
  'EVAL "return 1" 0',
  `eval "return {1,2,'x',nil,4}" 0`,
  'eval "return 3.7" 0',
  'eval "return -3.7" 0',
  'eval "return {1, 2.9, -3.9}" 0',
  'eval "return true" 0',
  'eval "return false" 0',
  'eval "return nil" 0',
  'eval "return 1/0" 0',
  'eval "return 2^63" 0',
  `eval "return {ok='FINE'}" 0`,
  `eval "return {err='MYERR bad'}" 0`,
  `eval "return {err='bad'}" 0`,
  `eval "return {1,{2,{ok='x'}},{err='E inner'}}" 0`,
  `eval "return redis.status_reply('OKK')" 0`,
  `eval "return redis.error_reply('MY bad')" 0`,
  `eval "return redis.sha1hex('')" 0`,
  `eval "return redis.sha1hex('abc')" 0`,
  `eval "return redis.call('incr', KEYS[1])" 1 counter`,
  `eval "return redis.call('incr', KEYS[1])" 1 counter`,
  `eval "return {KEYS[1], KEYS[2], ARGV[1], ARGV[2], #KEYS, #ARGV}" 2 a b c d`,
  `eval "return ARGV[1]" 0 "bin\\x00ary\\xff"`,
  `eval "return redis.call('incr')" 0`,
  `eval "return redis.pcall('incr')" 0`,
  `eval "return redis.call()" 0`,
  `eval "return redis.call('nosuch')" 0`,
  `eval "return redis.call('ping', 'a', 'b')" 0`,
  `eval "return redis.call('eval', 'return 1', 0)" 0`,
  `eval "return redis.call('auth', 'x')" 0`,
  `eval "return redis.call('set', 'g', {})" 0`,
  `eval "return redis.call('set', 'g', true)" 0`,
  'set s str',
  `eval "return redis.call('incr', 's')" 0`,
  `eval "return redis.pcall('incr', 's')" 0`,
  `eval "local r = redis.pcall('incr', 's') return r['err']" 0`,
  `eval "return type(redis.pcall('incr', 's'))" 0`,
  `eval "return redis.call('get', 'nokey')" 0`,
  `eval "return type(redis.call('get', 'nokey'))" 0`,
  `eval "return redis.call('ping')" 0`,
  `eval "return type(redis.call('ping'))" 0`,
  `eval "return redis.call('ping')['ok']" 0`,
  `eval "redis.call('set', 'f', 3.0) return redis.call('get', 'f')" 0`,
  `eval "redis.call('set', 'f', 0.1) return redis.call('get', 'f')" 0`,
  `eval "redis.call('set', 'f', 1e20) return redis.call('get', 'f')" 0`,
  `eval "redis.call('set', 'f', -0.5) return redis.call('get', 'f')" 0`,
  `eval "redis.call('set', 'f', 7) return redis.call('get', 'f')" 0`,
  `eval "redis.call('set', 'f', 0/0) return redis.call('get', 'f')" 0`,
  `eval "redis.call('set', 'f', math.huge) return redis.call('get', 'f')" 0`,
  `eval "redis.call('set', 'f', -0.0) return redis.call('get', 'f')" 0`,
  `eval "return tostring(3.0)" 0`,
  `eval "return tostring(10 / 4)" 0`,
  `eval "return 'a' .. 1.5 .. 'b' .. 2.0" 0`,
  `eval "return tonumber('5') + 1" 0`,
  `eval "return string.format('%d-%s-%.2f', 3, 'x', 1.005)" 0`,
  `eval "return math.floor(7 / 2)" 0`,
  `eval "return table.concat({'a', 'b', 'c'}, ',')" 0`,
  `eval "return string.rep('ab', 3)" 0`,
  'eval "return x" 0',
  'eval "x = 1" 0',
  'eval "return type(os)" 0',
  'eval "return type(io)" 0',
  'eval "return type(loadfile)" 0',
  'eval "return (" 0',
  'eval "return 1 +" 0',
  `eval "error('boom')" 0`,
  `eval "error({err='E2 custom'})" 0`,
  `eval "local a = 1\nlocal b = 2\nerror('third line')" 0`,
  'eval "return 1" -1',
  'eval "return 1" 3 a',
  'eval "return 1" x',
  'eval "return 1"',
  'evalsha 0000000000000000000000000000000000000000 0',
  `script load "return 'hi'"`,
  'evalsha 2f31ba2bb6d6a0f42cc159d2e2dad55440778de3 0',
  'evalsha 2F31BA2BB6D6A0F42CC159D2E2DAD55440778DE3 0',
  'script exists 2f31ba2bb6d6a0f42cc159d2e2dad55440778de3 abc',
  'script load "return ("',
  'script exists',
  'script foo',
  'script flush xx',
  'script flush async',
  'evalsha 2f31ba2bb6d6a0f42cc159d2e2dad55440778de3 0',
  // cjson and bit, the libraries Redis gives scripts
  `eval "return cjson.encode({1,2,'a/b',true,false})" 0`,
  `eval "return cjson.encode({})" 0`,
  `eval "return cjson.encode({a=1.5})" 0`,
  `eval "return cjson.encode({a={b={1,{c='x'}}}})" 0`,
  `eval "return cjson.encode(string.char(0,1,8,9,10,12,13,31,34,47,92,127,200))" 0`,
  `eval "return cjson.encode(1/3)" 0`,
  `eval "return cjson.encode(1e20)" 0`,
  `eval "return cjson.encode(2^53)" 0`,
  `eval "return cjson.encode(-0.5)" 0`,
  `eval "return cjson.encode(0/0)" 0`,
  `eval "return cjson.encode({[1]=1,[20]=2})" 0`,
  `eval "return cjson.encode({[1]=1,[3]=3})" 0`,
  `eval "return cjson.encode({1,nil,3})" 0`,
  `eval "return cjson.encode({[2.5]='x'})" 0`,
  `eval "return cjson.encode(redis.call)" 0`,
  `eval "return cjson.encode({[true]=1})" 0`,
  `eval "return cjson.encode(cjson.null)" 0`,
  `eval "return cjson.encode({cjson.null, 1})" 0`,
  `eval "return cjson.encode()" 0`,
  `eval "return cjson.encode(1, 2)" 0`,
  `eval "local t = cjson.decode(ARGV[1]) return {t[1], t[2], type(t[3]), tostring(t[4]), t[5].k * 2, #t}" 0 '[1,"a",null,true,{"k":2.5}]'`,
  `eval "return cjson.encode(cjson.decode(ARGV[1]))" 0 '{"a":[1,2,{"b":null}]}'`,
  `eval "return cjson.decode(ARGV[1])" 0 '"\\u00e9\\ud83d\\ude00 \\n\\t\\/"'`,
  `eval "return tostring(cjson.decode('3'))" 0`,
  `eval "return tostring(cjson.decode(' -1.5e2 '))" 0`,
  `eval "return cjson.decode('{')" 0`,
  `eval "return cjson.decode('')" 0`,
  `eval "return cjson.decode('[1,]')" 0`,
  `eval "return cjson.decode(ARGV[1])" 0 '{"a" 1}'`,
  `eval "return cjson.decode('1 2')" 0`,
  `eval "return cjson.decode('tru')" 0`,
  `eval "return cjson.decode('{1:2}')" 0`,
  `eval "return cjson.decode('[1 2]')" 0`,
  `eval "return cjson.decode(ARGV[1])" 0 '{"a":1 "b":2}'`,
  `eval "return cjson.decode(ARGV[1])" 0 '"\\x"'`,
  `eval "return cjson.decode(ARGV[1])" 0 '"\\ud800"'`,
  `eval "return cjson.decode(ARGV[1])" 0 '"abc'`,
  `eval "return cjson.decode('0x10')" 0`,
  `eval "return cjson.decode('012')" 0`,
  `eval "return cjson.decode('-0x1p4')" 0`,
  `eval "return cjson.decode('-')" 0`,
  `eval "return cjson.decode('[]')" 0`,
  `eval "return cjson.decode()" 0`,
  `eval "return {bit.band(0xff, 0x0f), bit.bor(1, 2, 4), bit.bxor(5, 3), bit.bnot(0), bit.lshift(1, 31), bit.rshift(-1, 28), bit.arshift(-16, 2)}" 0`,
  `eval "return {bit.tobit(2^32 + 5), bit.tobit(1.5), bit.tobit(2.5), bit.tobit(-1.5), bit.rol(0x12345678, 8), bit.ror(0x12345678, 8), bit.bswap(0x12345678)}" 0`,
  `eval "return {bit.tohex(255), bit.tohex(255, 2), bit.tohex(255, -4), bit.tohex(-1), bit.tohex(0x12345678, 12)}" 0`,
  // the script's SELECT stays inside the script
  `eval "redis.call('select', 3) redis.call('set', 'db3', 'x') return redis.call('get', 'db3')" 0`,
  'get db3',
  // a token bucket, the way rate limiters use EVAL
  `eval "local t = redis.call('HMGET', KEYS[1], 'tokens', 'ts') local tokens = tonumber(t[1]) or tonumber(ARGV[1]) tokens = tokens - 1 redis.call('HSET', KEYS[1], 'tokens', tokens, 'ts', ARGV[2]) return {tokens, t[1], t[2]}" 1 bucket 3 1000`,
  `eval "local t = redis.call('HMGET', KEYS[1], 'tokens', 'ts') local tokens = tonumber(t[1]) or tonumber(ARGV[1]) tokens = tokens - 0.5 redis.call('HSET', KEYS[1], 'tokens', tokens, 'ts', ARGV[2]) return {tokens, t[1], t[2]}" 1 bucket 3 1500`,
  'hgetall bucket',
];

const REQUIREPASS_STEPS: Step[] = [
  'get a',
  'foo a',
  'get',
  'ping',
  'auth',
  'auth x',
  'auth default x',
  'auth alice sekret',
  'auth a b c',
  'auth sekret',
  'get a',
  'auth x',
  'get a',
  'auth default sekret',
  'set a 1',
];

const ACL_STEPS: Step[] = [
  'get a',
  'auth pw',
  'auth default pw',
  'auth alice x',
  'auth alice pw',
  'get a',
];

/**
 * Where MemoryRedis knowingly answers differently, and why. The test checks that each still
 * differs, so a fix shows up as a failure that asks to move the line into the lists above.
 */
const KNOWN_GAPS: Array<{ step: string; reason: string }> = [
  {
    step: `eval "local x return x + 1" 0`,
    reason: 'Lua 5.3 (fengari) words runtime errors differently from Redis\u2019s Lua 5.1',
  },
  { step: 'eval "return 7 // 2" 0', reason: 'Lua 5.3 syntax (floor division) that Lua 5.1 cannot compile' },
  { step: 'eval "return type(cmsgpack)" 0', reason: 'no struct or cmsgpack library in the embedded Lua' },
  {
    step: `eval "return cjson.encode({a=1,b=2,c=3,d=4})" 0`,
    reason: 'an object with several keys is encoded in the Lua VM\u2019s table order, not Lua 5.1\u2019s',
  },
  {
    step: `foo ${'中'.repeat(50)}`,
    reason: 'error replies are text: an argument cut inside a UTF-8 character ends in U+FFFD, not the raw bytes',
  },
];

/** Raw queries a plugin should never send, but which must earn Redis's protocol errors. */
const BAD_QUERIES = ['*1\r\n:1\r\n', '*x\r\n', '*1\r\n$-1\r\n', '*1\r\n$x\r\n', 'PING "a\r\n', 'PING "a"b\r\n', 'ping hello\r\n'];

describe('MemoryRedis against a real redis-server', () => {
  let servers: RedisServer[] = [];
  let open: RedisServer | undefined;
  let requirePass: RedisServer | undefined;
  let acl: RedisServer | undefined;

  beforeAll(async () => {
    if (REDIS_SERVER === null) return;
    [open, requirePass, acl] = servers = await Promise.all([
      startRedis(REDIS_SERVER, []),
      startRedis(REDIS_SERVER, ['--requirepass', 'sekret']),
      startRedis(REDIS_SERVER, [], 'user default off\nuser alice on >pw ~* &* +@all\n'),
    ]);
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
  });

  test('replies byte for byte like redis-server to every command of the list', async ({ skip }) => {
    skip(open === undefined, SKIP_REASON);
    expect(await compareReplies(open!, {}, OPEN_SERVER_STEPS)).toEqual([]);
  });

  test('answers list, set and sorted-set commands byte for byte like redis-server', async ({ skip }) => {
    skip(open === undefined, SKIP_REASON);
    expect(await compareReplies(open!, {}, COLLECTION_STEPS)).toEqual([]);
  });

  test('runs EVAL, EVALSHA and SCRIPT like redis-server: conversions, redis.call checks, error texts', async ({ skip }) => {
    skip(open === undefined, SKIP_REASON);
    expect(await compareReplies(open!, {}, SCRIPTING_STEPS)).toEqual([]);
  });

  test('answers NOAUTH and AUTH like redis-server with requirepass', async ({ skip }) => {
    skip(requirePass === undefined, SKIP_REASON);
    expect(await compareReplies(requirePass!, { password: 'sekret' }, REQUIREPASS_STEPS)).toEqual([]);
  });

  test('answers AUTH like redis-server with a named user and the default user off', async ({ skip }) => {
    skip(acl === undefined, SKIP_REASON);
    expect(await compareReplies(acl!, { username: 'alice', password: 'pw' }, ACL_STEPS)).toEqual([]);
  });

  test('still differs from redis-server exactly where a known gap is listed', async ({ skip }) => {
    skip(open === undefined, SKIP_REASON);
    const mismatches = await compareReplies(open!, {}, KNOWN_GAPS.map((gap) => gap.step));
    expect(mismatches.map((m) => m.command)).toEqual(KNOWN_GAPS.map((gap) => gap.step));
  });

  test('answers malformed queries with the protocol errors of redis-server', async ({ skip }) => {
    skip(open === undefined, SKIP_REASON);
    const engine = new MemoryRedis();
    const mismatches: Mismatch[] = [];
    for (const query of BAD_QUERIES) {
      // Redis hangs up after a protocol error, so each query gets its own connection.
      const tcp = await TcpRedis.connect(open!.url);
      const bytes = new TextEncoder().encode(query);
      const real = await tcp.send(bytes);
      const memory = handleQuery(engine, engine.newSession(), bytes, Date.now());
      await tcp.close();
      if (latin1(memory) !== latin1(real)) mismatches.push({ command: query, memory: latin1(memory), real: latin1(real) });
    }
    expect(mismatches).toEqual([]);
  });
});

describe('TcpRedis', () => {
  let server: RedisServer | undefined;

  beforeAll(async () => {
    if (REDIS_SERVER !== null) server = await startRedis(REDIS_SERVER, []);
  });

  afterAll(async () => {
    await server?.stop();
  });

  test('resolves pipelined queries in the order they were sent', async ({ skip }) => {
    skip(server === undefined, SKIP_REASON);
    const tcp = await TcpRedis.connect(server!.url);
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) => tcp.send(encodeCommand(['echo', `reply ${i}`]))),
    );
    await tcp.close();
    expect(replies.map((r) => formatReply(decodeResp(r).value))).toEqual(Array.from({ length: 50 }, (_, i) => `"reply ${i}"`));
  });

  test('frames a reply that arrives in many TCP chunks as exactly one reply', async ({ skip }) => {
    skip(server === undefined, SKIP_REASON);
    const tcp = await TcpRedis.connect(server!.url);
    const value = new Uint8Array(3_000_000).map((_, i) => i % 251);
    const [set, get, ping] = await Promise.all([
      tcp.send(encodeCommand([new TextEncoder().encode('set'), new TextEncoder().encode('big'), value])),
      tcp.send(encodeCommand(['get', 'big'])),
      tcp.send(encodeCommand(['ping'])),
    ]);
    await tcp.close();
    expect(latin1(set!)).toBe('+OK\r\n');
    expect(decodeResp(get!)).toEqual({ value: { type: 'bulk', value }, bytesRead: get!.length });
    expect(latin1(ping!)).toBe('+PONG\r\n');
  });

  test('rejects sends after close with a disconnected error', async ({ skip }) => {
    skip(server === undefined, SKIP_REASON);
    const tcp = await TcpRedis.connect(server!.url);
    await tcp.close();
    await expect(tcp.send(encodeCommand(['ping']))).rejects.toMatchObject({ kind: 'redis-disconnected' });
  });

  test('rejects every waiting query with a redis-timeout error and closes when no reply comes in time', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((ok) => silent.listen(0, '127.0.0.1', ok));
    const { port } = silent.address() as { port: number };
    try {
      const tcp = await TcpRedis.connect(`redis://127.0.0.1:${port}`);
      const timed = tcp.send(encodeCommand(['ping']), { timeoutMs: 50 });
      const waiting = tcp.send(encodeCommand(['ping']));
      await expect(timed).rejects.toMatchObject({ kind: 'redis-timeout', message: `no reply from redis at 127.0.0.1:${port} within 50 ms` });
      await expect(waiting).rejects.toMatchObject({ kind: 'redis-timeout' });
      expect(tcp.isClosed).toBe(true);
      await expect(tcp.send(encodeCommand(['ping']))).rejects.toMatchObject({ kind: 'redis-timeout' });
    } finally {
      silent.close();
    }
  });

  test('keeps the connection when the reply comes within the timeout', async ({ skip }) => {
    skip(server === undefined, SKIP_REASON);
    const tcp = await TcpRedis.connect(server!.url);
    const reply = await tcp.send(encodeCommand(['ping']), { timeoutMs: 60_000 });
    expect(tcp.isClosed).toBe(false);
    await tcp.close();
    expect(latin1(reply)).toBe('+PONG\r\n');
  });

  test('rejects a refused connection with the address and the reason', async () => {
    const port = await freePort();
    await expect(TcpRedis.connect(`redis://127.0.0.1:${port}`)).rejects.toThrow(
      `cannot connect to redis at 127.0.0.1:${port}: connection refused (ECONNREFUSED)`,
    );
  });

  test('rejects a URL that is not redis:// with the expected form', async () => {
    await expect(TcpRedis.connect('http://localhost:6379')).rejects.toThrowErrorMatchingInlineSnapshot(
      `[RedisConnectionError: "http://localhost:6379" is not a Redis URL; write redis://[user:password@]host[:port][/db].]`,
    );
  });
});

interface Mismatch {
  command: string;
  memory: string;
  real: string;
}

/** Runs the steps on one connection to each side and lists every reply that differs. */
async function compareReplies(server: RedisServer, options: MemoryRedisOptions, steps: Step[]): Promise<Mismatch[]> {
  const tcp = await TcpRedis.connect(server.url);
  const engine = new MemoryRedis(options);
  const session = engine.newSession();
  const mismatches: Mismatch[] = [];
  try {
    for (const step of steps) {
      const [line, check] = typeof step === 'string' ? [step, null] : step;
      const query = encodeCommand(parseInlineCommand(line));
      const real = await tcp.send(query);
      await prepareQuery(engine, query);
      const memory = handleQuery(engine, session, query, Date.now());
      if (check === null) {
        if (latin1(memory) !== latin1(real)) mismatches.push({ command: line, memory: latin1(memory), real: latin1(real) });
      } else {
        try {
          check(decodeResp(memory).value, decodeResp(real).value);
        } catch {
          mismatches.push({ command: line, memory: latin1(memory), real: latin1(real) });
        }
      }
    }
  } finally {
    await tcp.close();
  }
  return mismatches;
}

function sortedItems(reply: RespValue): string[] {
  if (reply.type !== 'array' || reply.value === null) return [formatReply(reply)];
  return reply.value.map(formatReply).sort();
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('latin1');
}

interface RedisServer {
  url: string;
  stop(): Promise<void>;
}

/** Starts redis-server on a free port with no persistence, and waits until it accepts connections. */
async function startRedis(binary: string, args: string[], config?: string): Promise<RedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'redis-conformance-'));
  const configArgs: string[] = [];
  if (config !== undefined) {
    writeFileSync(join(dir, 'redis.conf'), config);
    configArgs.push(join(dir, 'redis.conf'));
  }
  const child: ChildProcess = spawn(
    binary,
    [...configArgs, '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...args],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `redis://127.0.0.1:${port}`;
  const stop = async () => {
    child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  for (let attempt = 0; ; attempt++) {
    try {
      await (await TcpRedis.connect(url)).close();
      return { url, stop };
    } catch (e) {
      if (attempt >= 100 || child.exitCode !== null) {
        await stop();
        throw e;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function findOnPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not in this directory
    }
  }
  return null;
}
