/**
 * Keys are dropped once their time comes, whether or not anyone reads them again (redis-server's
 * active expiry): a long run that writes a key per client per minute must not keep them all.
 */
import { describe, expect, test } from 'vitest';
import { redisConsole } from './redis-console.ts';

describe('expired keys', () => {
  test('are dropped at the next command on any key, however their expiry was set', async () => {
    const r = redisConsole();
    await r.engine.loadScripting();
    for (let i = 0; i < 500; i++) r.run(`SET px:${i} v PX 10`);
    for (let i = 0; i < 500; i++) {
      r.run(`INCR expire:${i}`);
      r.run(`PEXPIRE expire:${i} 15`);
    }
    r.run(`EVAL "redis.call('SET', KEYS[1], 'v'); return redis.call('PEXPIRE', KEYS[1], 5)" 1 lua:0`);
    r.run('SET kept v PX 10');
    r.run('PERSIST kept');
    r.run('SET reset v PX 10');
    r.run('SET reset v');
    r.run('SET later v PX 100');
    expect(r.engine.storedKeys()).toBe(1004);
    r.advance(20);
    expect(r.run('GET unrelated')).toBe('(nil)');
    expect(r.engine.storedKeys()).toBe(3);
    expect(r.run('DBSIZE')).toBe('(integer) 3');
    r.advance(100);
    expect(r.run('DBSIZE')).toBe('(integer) 2');
    expect(r.run('KEYS *')).toBe('1) "kept", 2) "reset"');
  });

  test('a later expiry of the same key wins over the earlier one', () => {
    const r = redisConsole();
    r.run('SET k v PX 10');
    r.run('PEXPIRE k 50');
    r.advance(20);
    expect(r.run('GET k')).toBe('"v"');
    r.advance(40);
    expect(r.run('GET k')).toBe('(nil)');
    expect(r.engine.storedKeys()).toBe(0);
  });
});
