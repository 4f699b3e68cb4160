/**
 * EVAL's Lua side, as Redis 7.0 runs it (src/script_lua.c, src/eval.c): one Lua state per server,
 * `redis.call`/`redis.pcall` into the same engine, Redis's reply ⇄ Lua conversions, `cjson` and
 * `bit` (lua-libraries.ts), read-only globals, and its error texts (`… script: <sha>, on
 * @user_script:<line>.`). The VM is fengari, Lua 5.3 in JS, set to print numbers as Redis's Lua
 * 5.1 does (fengari-config.ts); what differs is 5.3's syntax (integer division `//`, bitwise
 * operators) and that some runtime messages name the variable. Arguments to redis.call are formatted as Redis does (`%.17g`).
 * This module is loaded only when a plugin first sends EVAL (with fengari, a 236 KB chunk).
 */
import './fengari-config.ts';
import { lauxlib, lua, lualib, to_luastring, type LuaState } from 'fengari';
import { bytesToByteString, byteStringToBytes } from '../bytes.ts';
import type { RespValue } from '../resp.ts';
import { formatG17 } from '../doubles.ts';
import { openBit, openCjson } from './lua-libraries.ts';
import { scriptSha } from './script-sha.ts';

/** Runs a Redis command for the script, as the script's own client; returns the reply. */
export type ScriptCall = (args: string[]) => RespValue;

/** Lua's error handler, as Redis 7.0 installs it (`__redis__err__handler`); `J` is fengari's "C function". */
const ERROR_HANDLER = `
local getinfo = ...
return function(err)
  local i = getinfo(2, 'nSl')
  if i and (i.what == 'C' or i.what == 'J') then i = getinfo(3, 'nSl') end
  if type(err) ~= 'table' then err = {err = 'ERR ' .. tostring(err)} end
  if i then err['source'] = i.source; err['line'] = i.currentline end
  return err
end`;

/** How long a script may run before it is stopped; Redis would keep it running and answer BUSY. */
const SCRIPT_TIME_LIMIT_MS = 5000;
const INT64_MIN = -(2n ** 63n);
const INT64_LIMIT = 2 ** 63;

const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/** A Lua string (or number) at `index` as text, for error and status replies. */
function luaText(L: LuaState, index: number): string {
  return utf8.decode(lua.lua_tolstring(L, index) ?? new Uint8Array());
}

/** Lua number → Redis integer reply: C's `(long long)` cast, which gives INT64_MIN out of range on x86. */
function toRedisInteger(n: number): number | bigint {
  if (!Number.isFinite(n) || Math.abs(Math.trunc(n)) >= INT64_LIMIT) return INT64_MIN;
  const truncated = Math.trunc(n);
  return Number.isSafeInteger(truncated) ? truncated : BigInt(truncated);
}

export class LuaScripting {
  readonly #L: LuaState;
  readonly #functions = new Map<string, number>();
  readonly #handler: number;
  readonly #timeLimitMs: number;
  #call: ScriptCall | null = null;
  #deadline = 0;

  /** `timeLimitMs`: how long a script may run before it is stopped (Redis would answer BUSY to others meanwhile). */
  constructor({ timeLimitMs = SCRIPT_TIME_LIMIT_MS }: { timeLimitMs?: number } = {}) {
    this.#timeLimitMs = timeLimitMs;
    const L = lauxlib.luaL_newstate();
    this.#L = L;
    for (const [name, open] of [['_G', lualib.luaopen_base], ['table', lualib.luaopen_table], ['string', lualib.luaopen_string], ['math', lualib.luaopen_math]] as const) {
      lauxlib.luaL_requiref(L, name, open, 1);
      lua.lua_pop(L, 1);
    }
    // Redis's base library has no file access.
    for (const name of ['dofile', 'loadfile']) {
      lua.lua_pushnil(L);
      lua.lua_setglobal(L, name);
    }
    this.#installRedisTable();
    openCjson(L);
    openBit(L);
    // debug.getinfo for the error handler only: the debug library stays out of the globals.
    lauxlib.luaL_requiref(L, 'debug', lualib.luaopen_debug, 0);
    this.#load(ERROR_HANDLER, 'error handler');
    lua.lua_getfield(L, -2, 'getinfo');
    if (lua.lua_pcall(L, 1, 1, 0) !== lua.LUA_OK) throw new Error('Lua setup (error handler) failed');
    this.#handler = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
    lua.lua_settop(L, 0);
    this.#protectGlobals();
  }

  /**
   * Runs `body` (a byte string) with KEYS and ARGV, sending its redis.call commands to `call`.
   * Returns the script's reply, or the error reply Redis would send.
   */
  eval(body: string, sha: string, keys: string[], argv: string[], call: ScriptCall): RespValue {
    const L = this.#L;
    const compileError = this.compile(body, sha);
    if (compileError) return compileError;
    const fn = this.#functions.get(sha)!;
    lua.lua_settop(L, 0);
    this.#setGlobalArray('KEYS', keys);
    this.#setGlobalArray('ARGV', argv);
    lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, this.#handler);
    lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, fn);
    this.#call = call;
    this.#deadline = performance.now() + this.#timeLimitMs;
    lua.lua_sethook(L, (state) => {
      if (performance.now() > this.#deadline) this.#raise(state, 'ERR Script killed by user with SCRIPT KILL...');
    }, lua.LUA_MASKCOUNT, 10_000);
    try {
      const status = lua.lua_pcall(L, 0, 1, 1);
      if (status !== lua.LUA_OK) return this.#errorReply(sha);
      return this.#toResp(-1);
    } finally {
      lua.lua_sethook(L, null, 0, 0);
      this.#call = null;
      lua.lua_settop(L, 0);
    }
  }

  /** Compiles a script once per SHA (as Redis defines `f_<sha>` once); the error reply if it does not compile. */
  compile(body: string, sha: string): RespValue | null {
    if (this.#functions.has(sha)) return null;
    const L = this.#L;
    lua.lua_settop(L, 0);
    if (lauxlib.luaL_loadbuffer(L, byteStringToBytes(body), null, '@user_script') !== lua.LUA_OK) {
      // Lua 5.1 quotes the end of input in syntax errors, 5.3 does not.
      const message = luaText(L, -1).replace(/ near <eof>$/, " near '<eof>'");
      lua.lua_settop(L, 0);
      return { type: 'error', value: `ERR Error compiling script (new function): ${message}`.replace(/[\r\n]/g, ' ') };
    }
    this.#functions.set(sha, lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX));
    return null;
  }

  /** Compiles one of our own setup chunks and leaves it on the stack. */
  #load(source: string, what: string): void {
    if (lauxlib.luaL_loadbuffer(this.#L, to_luastring(source), null, `=${what}`) !== lua.LUA_OK) throw new Error(`Lua setup (${what}) does not compile`);
  }

  /**
   * Redis 7.0 makes the globals read-only once its libraries are loaded; like Redis's, the
   * metamethods are native functions, so errors point at the script's line.
   */
  #protectGlobals(): void {
    const L = this.#L;
    lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, lua.LUA_RIDX_GLOBALS);
    lua.lua_newtable(L);
    lua.lua_pushjsfunction(L, (state) => {
      const name = lua.lua_tolstring(state, 2) ?? to_luastring('?');
      return lauxlib.luaL_error(state, to_luastring("Script attempted to access nonexistent global variable '%s'"), name);
    });
    lua.lua_setfield(L, -2, '__index');
    lua.lua_pushjsfunction(L, (state) => lauxlib.luaL_error(state, to_luastring('Attempt to modify a readonly table')));
    lua.lua_setfield(L, -2, '__newindex');
    lua.lua_setmetatable(L, -2);
    lua.lua_pop(L, 1);
  }

  #setGlobalArray(name: string, items: string[]): void {
    const L = this.#L;
    lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, lua.LUA_RIDX_GLOBALS);
    lua.lua_pushliteral(L, name);
    lua.lua_createtable(L, items.length, 0);
    items.forEach((item, i) => {
      lua.lua_pushstring(L, byteStringToBytes(item));
      lua.lua_rawseti(L, -2, i + 1);
    });
    // rawset: the globals are read-only to scripts, not to the server.
    lua.lua_rawset(L, -3);
    lua.lua_pop(L, 1);
  }

  #installRedisTable(): void {
    const L = this.#L;
    lua.lua_newtable(L);
    const fn = (name: string, f: (L: LuaState) => number) => {
      lua.lua_pushjsfunction(L, f);
      lua.lua_setfield(L, -2, name);
    };
    fn('call', (state) => this.#redisCall(state, true));
    fn('pcall', (state) => this.#redisCall(state, false));
    fn('error_reply', (state) => this.#statusTable(state, 'err'));
    fn('status_reply', (state) => this.#statusTable(state, 'ok'));
    fn('sha1hex', (state) => {
      const text = lauxlib.luaL_checklstring(state, 1);
      lua.lua_pushliteral(state, scriptSha(bytesToByteString(text)));
      return 1;
    });
    fn('log', () => 0);
    fn('setresp', () => 0);
    fn('set_repl', () => 0);
    fn('replicate_commands', (state) => {
      lua.lua_pushboolean(state, true);
      return 1;
    });
    for (const [name, value] of [['LOG_DEBUG', 0], ['LOG_VERBOSE', 1], ['LOG_NOTICE', 2], ['LOG_WARNING', 3], ['REPL_NONE', 0], ['REPL_SLAVE', 1], ['REPL_REPLICA', 1], ['REPL_AOF', 2], ['REPL_ALL', 3], ['REDIS_VERSION_NUM', 0x00070f]] as const) {
      lua.lua_pushinteger(L, value);
      lua.lua_setfield(L, -2, name);
    }
    lua.lua_pushliteral(L, '7.0.15');
    lua.lua_setfield(L, -2, 'REDIS_VERSION');
    lua.lua_setglobal(L, 'redis');
  }

  /** redis.error_reply / redis.status_reply: a one-field table, as Redis builds it. */
  #statusTable(L: LuaState, field: 'err' | 'ok'): number {
    const text = lauxlib.luaL_checklstring(L, 1);
    lua.lua_newtable(L);
    lua.lua_pushstring(L, text);
    lua.lua_setfield(L, -2, field);
    return 1;
  }

  #redisCall(L: LuaState, raise: boolean): number {
    const count = lua.lua_gettop(L);
    const fail = (message: string) => {
      if (raise) this.#raise(L, message);
      this.#pushErrorTable(L, message);
      return 1;
    };
    if (count === 0) return fail('ERR Please specify at least one argument for this redis lib call');
    const args: string[] = [];
    for (let i = 1; i <= count; i++) {
      const type = lua.lua_type(L, i);
      if (type === lua.LUA_TNUMBER) args.push(lua.lua_isinteger(L, i) ? String(lua.lua_tointeger(L, i)) : formatG17(lua.lua_tonumber(L, i)));
      else if (type === lua.LUA_TSTRING) args.push(bytesToByteString(lua.lua_tolstring(L, i)!));
      else return fail('ERR Lua redis lib command arguments must be strings or integers');
    }
    const reply = this.#call!(args);
    if (reply.type === 'error' && raise) this.#raise(L, reply.value);
    this.#pushReply(L, reply);
    return 1;
  }

  /** Raises `{err = message}`, the error value redis.call raises. */
  #raise(L: LuaState, message: string): never {
    this.#pushErrorTable(L, message);
    return lua.lua_error(L);
  }

  #pushErrorTable(L: LuaState, message: string): void {
    lua.lua_newtable(L);
    lua.lua_pushstring(L, to_luastring(message));
    lua.lua_setfield(L, -2, 'err');
  }

  /** Redis reply → Lua value (src/script_lua.c redisProtocolToLuaType, RESP2). */
  #pushReply(L: LuaState, reply: RespValue): void {
    switch (reply.type) {
      case 'integer':
        if (typeof reply.value === 'bigint') lua.lua_pushnumber(L, Number(reply.value));
        else lua.lua_pushinteger(L, reply.value);
        return;
      case 'bulk':
        if (reply.value === null) lua.lua_pushboolean(L, false);
        else lua.lua_pushstring(L, reply.value);
        return;
      case 'simple':
      case 'error':
        lua.lua_newtable(L);
        lua.lua_pushstring(L, to_luastring(reply.value));
        lua.lua_setfield(L, -2, reply.type === 'simple' ? 'ok' : 'err');
        return;
      case 'array':
        if (reply.value === null) {
          lua.lua_pushboolean(L, false);
          return;
        }
        lua.lua_createtable(L, reply.value.length, 0);
        reply.value.forEach((item, i) => {
          this.#pushReply(L, item);
          lua.lua_rawseti(L, -2, i + 1);
        });
    }
  }

  /** Lua value at `index` → Redis reply (src/script_lua.c luaReplyToRedisReply). */
  #toResp(index: number): RespValue {
    const L = this.#L;
    switch (lua.lua_type(L, index)) {
      case lua.LUA_TNUMBER:
        return { type: 'integer', value: lua.lua_isinteger(L, index) ? lua.lua_tointeger(L, index) : toRedisInteger(lua.lua_tonumber(L, index)) };
      case lua.LUA_TSTRING:
        return { type: 'bulk', value: lua.lua_tolstring(L, index)!.slice() };
      case lua.LUA_TBOOLEAN:
        return lua.lua_toboolean(L, index) ? { type: 'integer', value: 1 } : { type: 'bulk', value: null };
      case lua.LUA_TTABLE:
        return this.#tableToResp(index);
      default:
        return { type: 'bulk', value: null };
    }
  }

  #tableToResp(index: number): RespValue {
    const L = this.#L;
    const at = index < 0 ? lua.lua_gettop(L) + index + 1 : index;
    for (const field of ['err', 'ok'] as const) {
      const type = lua.lua_getfield(L, at, field);
      const text = type === lua.LUA_TSTRING ? luaText(L, -1) : null;
      lua.lua_pop(L, 1);
      if (text !== null) return field === 'err' ? { type: 'error', value: text.replace(/[\r\n]/g, ' ') } : { type: 'simple', value: text.replace(/[\r\n]/g, ' ') };
    }
    const items: RespValue[] = [];
    for (let i = 1; ; i++) {
      if (lua.lua_rawgeti(L, at, i) === lua.LUA_TNIL) {
        lua.lua_pop(L, 1);
        break;
      }
      items.push(this.#toResp(-1));
      lua.lua_pop(L, 1);
    }
    return { type: 'array', value: items };
  }

  /** The reply for an error the handler turned into `{err, source, line}`. */
  #errorReply(sha: string): RespValue {
    const L = this.#L;
    const field = (name: string) => {
      const type = lua.lua_getfield(L, -1, name);
      const value = type === lua.LUA_TSTRING || type === lua.LUA_TNUMBER ? luaText(L, -1) : null;
      lua.lua_pop(L, 1);
      return value;
    };
    if (lua.lua_type(L, -1) !== lua.LUA_TTABLE) return { type: 'error', value: `ERR ${luaText(L, -1)}` };
    const message = field('err') ?? 'ERR unknown error';
    const source = field('source');
    const line = field('line');
    const text = source && line ? `${message} script: ${sha}, on ${source}:${line}.` : message;
    return { type: 'error', value: text.replace(/[\r\n]/g, ' ') };
  }
}
