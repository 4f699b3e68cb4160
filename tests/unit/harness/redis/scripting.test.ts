import { describe, expect, test } from 'vitest';
import { encodeCommand, handleQuery, MemoryRedis, prepareQuery } from '../../../../src/harness/redis/index.ts';
import { formatG17 } from '../../../../src/harness/redis/doubles.ts';
import { LuaScripting } from '../../../../src/harness/redis/scripting/lua-scripting.ts';
import { scriptSha } from '../../../../src/harness/redis/scripting/script-sha.ts';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** Sends one command the way the harness does: load Lua if the command needs it, then run it. */
async function send(engine: MemoryRedis, session: ReturnType<MemoryRedis['newSession']>, ...args: string[]): Promise<string> {
  const query = encodeCommand(args);
  await prepareQuery(engine, query);
  return text(handleQuery(engine, session, query, 1_000));
}

describe('which queries load Lua', () => {
  test('the scripting commands in any case, read where they lie in the query; no other command, and nothing once Lua is in', () => {
    const engine = new MemoryRedis();
    const name = (text: string) => new TextEncoder().encode(text);
    for (const yes of ['eval', 'EVAL', 'EvalSha', 'evalsha', 'SCRIPT', 'scrIpt']) expect(engine.needsScripting(name(yes)), yes).toBe(true);
    for (const no of ['expire', 'EXPIRE', 'evals', 'evalshaa', 'scripts', 'incr', 'eva', '', 'ëval']) expect(engine.needsScripting(name(no)), no).toBe(false);
    const query = encodeCommand(['EvalSHA', 'x', '0']);
    expect(engine.needsScriptingAt(query, 8, 15)).toBe(true);
    expect(engine.needsScriptingAt(query, 8, 14)).toBe(false);
    expect(prepareQuery(engine, encodeCommand(['expire', 'k', '1']))).toBeNull();
    expect(prepareQuery(engine, encodeCommand(['ev']))).toBeNull();
    expect(prepareQuery(engine, Uint8Array.from('*1\r\n$4\r\nev', (c) => c.charCodeAt(0)))).toBeNull();
    expect(prepareQuery(engine, encodeCommand(['Eval', 'return 1', '0']))).toBeInstanceOf(Promise);
  });
});

describe('EVAL in the embedded Redis', () => {
  test('loads Lua only for scripting commands, then runs scripts against the same keys', async () => {
    const engine = new MemoryRedis({ seed: { hits: 41 } });
    const session = engine.newSession();
    expect(engine.needsScripting(new TextEncoder().encode('GET'))).toBe(false);
    expect(engine.needsScripting(new TextEncoder().encode('EVAL'))).toBe(true);
    expect(await send(engine, session, 'eval', "return redis.call('incr', KEYS[1])", '1', 'hits')).toBe(':42\r\n');
    expect(engine.needsScripting(new TextEncoder().encode('EVAL'))).toBe(false);
    expect(await send(engine, session, 'get', 'hits')).toBe('$2\r\n42\r\n');
  });

  test('keeps EVAL\u2019s scripts for EVALSHA by their SHA-1', async () => {
    const engine = new MemoryRedis();
    const session = engine.newSession();
    const script = 'return ARGV[1] .. ARGV[2]';
    // SHA-1s as redis-server 7.0 prints them for SCRIPT LOAD.
    expect(scriptSha('')).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
    expect(scriptSha("return 'hi'")).toBe('2f31ba2bb6d6a0f42cc159d2e2dad55440778de3');
    // Names are kept by body: after many other scripts, the same body still gets its own name.
    for (let i = 0; i < 200; i++) expect(scriptSha(`return ${i}`)).toMatch(/^[0-9a-f]{40}$/);
    expect(scriptSha("return 'hi'")).toBe('2f31ba2bb6d6a0f42cc159d2e2dad55440778de3');
    expect(scriptSha('return 1')).toBe('e0e1f9fabfc9d4800c877a703b823ac0578ff8db');
    expect(scriptSha('return 1')).toBe('e0e1f9fabfc9d4800c877a703b823ac0578ff8db');
    expect(await send(engine, session, 'evalsha', scriptSha(script), '0', 'a', 'b')).toBe('-NOSCRIPT No matching script. Please use EVAL.\r\n');
    expect(await send(engine, session, 'eval', script, '0', 'a', 'b')).toBe('$2\r\nab\r\n');
    expect(await send(engine, session, 'evalsha', scriptSha(script), '0', 'c', 'd')).toBe('$2\r\ncd\r\n');
  });

  // An endless script that returns at all was stopped; how soon after the limit is bench/harness.ts's to measure.
  test('stops a script that runs too long and stays usable', () => {
    const lua = new LuaScripting({ timeLimitMs: 50 });
    const reply = lua.eval('while true do end', 'sha', [], [], () => ({ type: 'bulk', value: null }));
    expect(reply).toEqual({ type: 'error', value: 'ERR Script killed by user with SCRIPT KILL... script: sha, on @user_script:1.' });
    expect(lua.eval('return 2', 'sha2', [], [], () => ({ type: 'bulk', value: null }))).toEqual({ type: 'integer', value: 2 });
  });

  test('passes each redis.call to the engine with Redis\u2019s argument formatting', () => {
    const lua = new LuaScripting();
    const calls: string[][] = [];
    lua.eval("redis.call('SET', 'k', 3.0, 0.1, 7, 'x')", 'sha', [], [], (args) => {
      calls.push(args);
      return { type: 'simple', value: 'OK' };
    });
    expect(calls).toEqual([['SET', 'k', '3', '0.10000000000000001', '7', 'x']]);
  });
});

describe('cjson and bit in scripts', () => {
  const lua = new LuaScripting();
  const run = (script: string, argv: string[] = []) => lua.eval(script, script, [], argv, () => ({ type: 'bulk', value: null }));
  const text = (reply: ReturnType<typeof run>) => (reply.type === 'bulk' && reply.value ? new TextDecoder().decode(reply.value) : reply);

  test('encodes as lua_cjson does: %.14g numbers, escaped slashes, arrays, null', () => {
    expect(text(run("return cjson.encode({1, 1/3, 'a/b', cjson.null, {k = true}})"))).toBe('[1,0.33333333333333,"a\\/b",null,{"k":true}]');
  });

  test('decodes JSON into tables, and names the bad token and its position', () => {
    expect(run("local t = cjson.decode(ARGV[1]) return {t.list[2], t.name, type(t.none)}", ['{"list":[1,7],"name":"\\u00e9","none":null}'])).toEqual({
      type: 'array',
      value: [{ type: 'integer', value: 7 }, { type: 'bulk', value: new TextEncoder().encode('é') }, { type: 'bulk', value: new TextEncoder().encode('userdata') }],
    });
    const reply = run("return cjson.decode('[1,]')");
    expect(reply).toEqual({ type: 'error', value: 'ERR user_script:1: Expected value but found T_ARR_END at character 4 script: return cjson.decode(\'[1,]\'), on @user_script:1.' });
  });

  test('has LuaBitOp’s 32-bit operations', () => {
    expect(run('return {bit.band(0xff, 0x0f), bit.lshift(1, 31), bit.rshift(-1, 28), bit.tobit(2^32 + 5)}')).toEqual({
      type: 'array',
      value: [15, -2147483648, 15, 5].map((value) => ({ type: 'integer', value })),
    });
    expect(text(run('return bit.tohex(255, -4)'))).toBe('00FF');
  });
});

describe('formatG17', () => {
  test('prints numbers as C\u2019s %.17g', () => {
    expect([3, 0.1, 1e20, -0.5, 1 / 3, 123456789012345680000, 1e-5, 0.0001, 2 ** 53, 1e16, 100].map(formatG17)).toEqual([
      '3',
      '0.10000000000000001',
      '1e+20',
      '-0.5',
      '0.33333333333333331',
      '1.2345678901234568e+20',
      '1.0000000000000001e-05',
      '0.0001',
      '9007199254740992',
      '10000000000000000',
      '100',
    ]);
  });
});
