/**
 * The two extra libraries Redis 7.0 gives scripts that plugins use: `cjson` (lua_cjson 2.1, as
 * Redis configures it) and `bit` (LuaBitOp). Same outputs and error texts as redis-server, except
 * the key order of an encoded object with several keys, which follows the Lua VM's table order.
 */
import { lauxlib, lua, to_luastring, type LuaState } from 'fengari';
import { formatG } from '../doubles.ts';

/** cjson.null: a light userdata, as in lua_cjson. */
const JSON_NULL = Symbol('cjson.null');
const MAX_DEPTH = 1000;
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

function fail(L: LuaState, message: string): never {
  return lauxlib.luaL_error(L, to_luastring('%s'), to_luastring(message));
}

function setFunctions(L: LuaState, functions: Record<string, (L: LuaState) => number>): void {
  for (const [name, fn] of Object.entries(functions)) {
    lua.lua_pushjsfunction(L, fn);
    lua.lua_setfield(L, -2, name);
  }
}

// ---- cjson.encode ----

const ESCAPES: string[] = Array.from({ length: 256 }, (_, byte) => {
  if (byte < 0x20) return ({ 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' } as Record<number, string>)[byte] ?? `\\u${hex(byte, 4)}`;
  if (byte === 0x22) return '\\"';
  if (byte === 0x2f) return '\\/';
  if (byte === 0x5c) return '\\\\';
  if (byte === 0x7f) return '\\u007f';
  return String.fromCharCode(byte);
});

function encodeString(bytes: Uint8Array): string {
  let out = '"';
  for (const byte of bytes) out += ESCAPES[byte];
  return `${out}"`;
}

function encodeNumber(L: LuaState, n: number): string {
  if (!Number.isFinite(n)) fail(L, 'Cannot serialise number: must not be NaN or Inf');
  return formatG(n, 14);
}

function typeName(L: LuaState, index: number): string {
  return new TextDecoder().decode(lua.lua_typename(L, lua.lua_type(L, index)));
}

/** Appends the value at `index` as JSON; the output is a byte string (one char per byte). */
function encodeValue(L: LuaState, index: number, depth: number): string {
  const at = lua.lua_absindex(L, index);
  const type = lua.lua_type(L, at);
  if (type === lua.LUA_TNIL) return 'null';
  if (type === lua.LUA_TBOOLEAN) return lua.lua_toboolean(L, at) ? 'true' : 'false';
  if (type === lua.LUA_TNUMBER) return encodeNumber(L, lua.lua_tonumber(L, at));
  if (type === lua.LUA_TSTRING) return encodeString(lua.lua_tolstring(L, at)!);
  if (type === lua.LUA_TLIGHTUSERDATA && lua.lua_touserdata(L, at) === JSON_NULL) return 'null';
  if (type !== lua.LUA_TTABLE) return fail(L, `Cannot serialise ${typeName(L, at)}: type not supported`);
  if (depth > MAX_DEPTH) fail(L, `Cannot serialise, excessive nesting (${depth})`);
  lua.lua_checkstack(L, 4);
  // An array has only positive whole-number keys; lua_cjson refuses very sparse ones.
  let max = 0;
  let items = 0;
  let isArray = true;
  lua.lua_pushnil(L);
  while (lua.lua_next(L, at) !== 0) {
    const key = lua.lua_type(L, -2) === lua.LUA_TNUMBER ? lua.lua_tonumber(L, -2) : NaN;
    if (Number.isInteger(key) && key >= 1) {
      max = Math.max(max, key);
      items++;
    } else isArray = false;
    lua.lua_pop(L, 1);
  }
  if (isArray && max > 0) {
    if (max > items * 2 && max > 10) fail(L, 'Cannot serialise table: excessively sparse array');
    const parts: string[] = [];
    for (let i = 1; i <= max; i++) {
      lua.lua_rawgeti(L, at, i);
      parts.push(encodeValue(L, -1, depth + 1));
      lua.lua_pop(L, 1);
    }
    return `[${parts.join(',')}]`;
  }
  const members: string[] = [];
  lua.lua_pushnil(L);
  while (lua.lua_next(L, at) !== 0) {
    const keyType = lua.lua_type(L, -2);
    let key: string;
    if (keyType === lua.LUA_TSTRING) key = encodeString(lua.lua_tolstring(L, -2)!);
    else if (keyType === lua.LUA_TNUMBER) key = `"${encodeNumber(L, lua.lua_tonumber(L, -2))}"`;
    else return fail(L, `Cannot serialise ${typeName(L, -2)}: table key must be a number or string`);
    members.push(`${key}:${encodeValue(L, -1, depth + 1)}`);
    lua.lua_pop(L, 1);
  }
  return `{${members.join(',')}}`;
}

// ---- cjson.decode ----

type Token =
  | { type: 'T_OBJ_BEGIN' | 'T_OBJ_END' | 'T_ARR_BEGIN' | 'T_ARR_END' | 'T_COLON' | 'T_COMMA' | 'T_END'; at: number }
  | { type: 'T_STRING'; at: number; value: Uint8Array }
  | { type: 'T_NUMBER'; at: number; value: number }
  | { type: 'T_BOOLEAN'; at: number; value: boolean }
  | { type: 'T_NULL'; at: number }
  | { type: 'T_ERROR'; at: number; message: string };

const PUNCTUATION: Record<number, Token['type']> = { 0x7b: 'T_OBJ_BEGIN', 0x7d: 'T_OBJ_END', 0x5b: 'T_ARR_BEGIN', 0x5d: 'T_ARR_END', 0x3a: 'T_COLON', 0x2c: 'T_COMMA' };
/** What strtod reads after a `-` or digit (Redis's lua_cjson hands numbers straight to it): hex too. */
const NUMBER = /^-?(?:0x[0-9a-f]+(?:p[+-]?\d+)?|inf(?:inity)?|nan|(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)/i;

class JsonReader {
  #at = 0;
  readonly bytes: Uint8Array;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }

  next(): Token {
    const b = this.bytes;
    while (this.#at < b.length && [0x20, 0x09, 0x0a, 0x0d].includes(b[this.#at]!)) this.#at++;
    const at = this.#at;
    if (at >= b.length) return { type: 'T_END', at };
    const byte = b[at]!;
    const punctuation = PUNCTUATION[byte];
    if (punctuation) {
      this.#at++;
      return { type: punctuation, at } as Token;
    }
    if (byte === 0x22) return this.#string(at);
    if (byte === 0x2d || (byte >= 0x30 && byte <= 0x39)) return this.#number(at);
    for (const [word, token] of [['true', { type: 'T_BOOLEAN', at, value: true }], ['false', { type: 'T_BOOLEAN', at, value: false }], ['null', { type: 'T_NULL', at }]] as const) {
      if (String.fromCharCode(...b.subarray(at, at + word.length)) === word) {
        this.#at += word.length;
        return token as Token;
      }
    }
    return { type: 'T_ERROR', at, message: 'invalid token' };
  }

  #number(at: number): Token {
    const text = String.fromCharCode(...this.bytes.subarray(at, at + 400));
    const match = NUMBER.exec(text);
    if (!match) return { type: 'T_ERROR', at, message: 'invalid number' };
    this.#at += match[0].length;
    const word = match[0].replace(/^-/, '').toLowerCase();
    let value: number;
    if (word.startsWith('inf')) value = Infinity;
    else if (word === 'nan') value = NaN;
    else if (word.startsWith('0x')) {
      const [mantissa, power] = word.slice(2).split('p') as [string, string | undefined];
      value = parseInt(mantissa, 16) * 2 ** Number(power ?? 0);
    } else value = Number(word);
    return { type: 'T_NUMBER', at, value: match[0].startsWith('-') ? -value : value };
  }

  #string(at: number): Token {
    const b = this.bytes;
    const out: number[] = [];
    let i = at + 1;
    const codeUnit = (from: number) => (/^[0-9a-fA-F]{4}$/.test(String.fromCharCode(...b.subarray(from, from + 4))) ? parseInt(String.fromCharCode(...b.subarray(from, from + 4)), 16) : -1);
    while (i < b.length && b[i] !== 0x22) {
      if (b[i] !== 0x5c) {
        out.push(b[i++]!);
        continue;
      }
      const escape = String.fromCharCode(b[i + 1] ?? 0);
      const simple = ({ '"': 0x22, '\\': 0x5c, '/': 0x2f, b: 8, f: 12, n: 10, r: 13, t: 9 } as Record<string, number>)[escape];
      if (simple !== undefined) {
        out.push(simple);
        i += 2;
        continue;
      }
      if (escape !== 'u') return { type: 'T_ERROR', at: i, message: 'invalid escape code' };
      let code = codeUnit(i + 2);
      let length = 6;
      if (code >= 0xd800 && code <= 0xdbff) {
        const low = b[i + 6] === 0x5c && b[i + 7] === 0x75 ? codeUnit(i + 8) : -1;
        code = low >= 0xdc00 && low <= 0xdfff ? 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00) : -1;
        length = 12;
      } else if (code >= 0xdc00 && code <= 0xdfff) code = -1;
      if (code < 0) return { type: 'T_ERROR', at: i, message: 'invalid unicode escape code' };
      out.push(...new TextEncoder().encode(String.fromCodePoint(code)));
      i += length;
    }
    if (i >= b.length) return { type: 'T_ERROR', at: i, message: 'unexpected end of string' };
    this.#at = i + 1;
    return { type: 'T_STRING', at, value: Uint8Array.from(out) };
  }
}

function found(token: Token): string {
  return token.type === 'T_ERROR' ? token.message : token.type;
}

function expected(L: LuaState, what: string, token: Token): never {
  return fail(L, `Expected ${what} but found ${found(token)} at character ${token.at + 1}`);
}

/** Pushes the value that starts with `token`. */
function decodeValue(L: LuaState, reader: JsonReader, token: Token, depth: number): void {
  switch (token.type) {
    case 'T_STRING':
      lua.lua_pushstring(L, token.value);
      return;
    case 'T_NUMBER':
      lua.lua_pushnumber(L, token.value);
      return;
    case 'T_BOOLEAN':
      lua.lua_pushboolean(L, token.value);
      return;
    case 'T_NULL':
      lua.lua_pushlightuserdata(L, JSON_NULL);
      return;
    case 'T_OBJ_BEGIN':
    case 'T_ARR_BEGIN':
      break;
    default:
      expected(L, 'value', token);
  }
  if (depth > MAX_DEPTH) fail(L, `Found too many nested data structures (${depth}) at character ${token.at + 1}`);
  lua.lua_checkstack(L, 3);
  lua.lua_newtable(L);
  if (token.type === 'T_ARR_BEGIN') {
    let next = reader.next();
    if (next.type === 'T_ARR_END') return;
    for (let i = 1; ; i++) {
      decodeValue(L, reader, next, depth + 1);
      lua.lua_rawseti(L, -2, i);
      const after = reader.next();
      if (after.type === 'T_ARR_END') return;
      if (after.type !== 'T_COMMA') expected(L, 'comma or array end', after);
      next = reader.next();
    }
  }
  let key = reader.next();
  if (key.type === 'T_OBJ_END') return;
  for (;;) {
    if (key.type !== 'T_STRING') expected(L, 'object key string', key);
    lua.lua_pushstring(L, key.value);
    const colon = reader.next();
    if (colon.type !== 'T_COLON') expected(L, 'colon', colon);
    decodeValue(L, reader, reader.next(), depth + 1);
    lua.lua_rawset(L, -3);
    const after = reader.next();
    if (after.type === 'T_OBJ_END') return;
    if (after.type !== 'T_COMMA') expected(L, 'comma or object end', after);
    key = reader.next();
  }
}

/** Installs `cjson` as a global table (before the globals become read-only). */
export function openCjson(L: LuaState): void {
  lua.lua_newtable(L);
  setFunctions(L, {
    encode: (state) => {
      if (lua.lua_gettop(state) !== 1) fail(state, "bad argument #1 to 'encode' (expected 1 argument)");
      const json = encodeValue(state, 1, 1);
      lua.lua_pushstring(state, Uint8Array.from(json, (c) => c.charCodeAt(0)));
      return 1;
    },
    decode: (state) => {
      if (lua.lua_gettop(state) !== 1) fail(state, "bad argument #1 to 'decode' (expected 1 argument)");
      const reader = new JsonReader(lauxlib.luaL_checklstring(state, 1));
      decodeValue(state, reader, reader.next(), 1);
      const end = reader.next();
      if (end.type !== 'T_END') expected(state, 'the end', end);
      return 1;
    },
  });
  lua.lua_pushlightuserdata(L, JSON_NULL);
  lua.lua_setfield(L, -2, 'null');
  lua.lua_setglobal(L, 'cjson');
}

// ---- bit (LuaBitOp) ----

/** LuaBitOp's tobit: round to nearest (ties to even), then wrap to a signed 32-bit integer. */
function toBit(n: number): number {
  const rounded = Math.abs(n % 1) === 0.5 ? 2 * Math.round(n / 2) : Math.round(n);
  return Number(BigInt.asIntN(32, BigInt(Number.isFinite(rounded) ? rounded : 0)));
}

export function openBit(L: LuaState): void {
  const arg = (state: LuaState, i: number) => toBit(lua.lua_tonumber(state, i));
  const result = (state: LuaState, n: number) => {
    lua.lua_pushinteger(state, n | 0);
    return 1;
  };
  const fold = (op: (a: number, b: number) => number) => (state: LuaState) => {
    let acc = arg(state, 1);
    for (let i = 2; i <= lua.lua_gettop(state); i++) acc = op(acc, arg(state, i));
    return result(state, acc);
  };
  lua.lua_newtable(L);
  setFunctions(L, {
    tobit: (state) => result(state, arg(state, 1)),
    bnot: (state) => result(state, ~arg(state, 1)),
    band: fold((a, b) => a & b),
    bor: fold((a, b) => a | b),
    bxor: fold((a, b) => a ^ b),
    lshift: (state) => result(state, arg(state, 1) << (arg(state, 2) & 31)),
    rshift: (state) => result(state, arg(state, 1) >>> (arg(state, 2) & 31)),
    arshift: (state) => result(state, arg(state, 1) >> (arg(state, 2) & 31)),
    rol: (state) => {
      const [x, n] = [arg(state, 1), arg(state, 2) & 31];
      return result(state, (x << n) | (x >>> (32 - n)));
    },
    ror: (state) => {
      const [x, n] = [arg(state, 1), arg(state, 2) & 31];
      return result(state, (x >>> n) | (x << (32 - n)));
    },
    bswap: (state) => {
      const x = arg(state, 1);
      return result(state, ((x >>> 24) & 0xff) | ((x >>> 8) & 0xff00) | ((x & 0xff00) << 8) | (x << 24));
    },
    tohex: (state) => {
      const x = arg(state, 1);
      let n = lua.lua_gettop(state) >= 2 ? arg(state, 2) : 8;
      const upper = n < 0;
      n = Math.min(Math.abs(n), 8);
      const digits = (x >>> 0).toString(16).padStart(8, '0').slice(8 - n);
      lua.lua_pushstring(state, to_luastring(upper ? digits.toUpperCase() : digits));
      return 1;
    },
  });
  lua.lua_setglobal(L, 'bit');
}
