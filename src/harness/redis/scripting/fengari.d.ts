/** The part of fengari (Lua 5.3 in JS, MIT) the Redis scripting engine uses; the package ships no types. */
declare module 'fengari' {
  /** A Lua string: bytes. */
  type LuaString = Uint8Array;
  /** A Lua state. */
  interface LuaState {
    readonly __luaState: unique symbol;
  }
  type JsFunction = (L: LuaState) => number;
  interface LuaDebug {
    currentline: number;
  }

  export const lua: {
    LUA_OK: number;
    LUA_ERRSYNTAX: number;
    LUA_MULTRET: number;
    LUA_REGISTRYINDEX: number;
    LUA_RIDX_GLOBALS: number;
    LUA_MASKCOUNT: number;
    LUA_TNIL: number;
    LUA_TBOOLEAN: number;
    LUA_TNUMBER: number;
    LUA_TSTRING: number;
    LUA_TTABLE: number;
    LUA_TLIGHTUSERDATA: number;
    LUA_TFUNCTION: number;
    lua_absindex(L: LuaState, index: number): number;
    lua_next(L: LuaState, index: number): number;
    lua_pushlightuserdata(L: LuaState, p: unknown): void;
    lua_touserdata(L: LuaState, index: number): unknown;
    lua_typename(L: LuaState, type: number): LuaString;
    lua_checkstack(L: LuaState, n: number): boolean;
    lua_gettop(L: LuaState): number;
    lua_settop(L: LuaState, index: number): void;
    lua_pop(L: LuaState, n: number): void;
    lua_pushvalue(L: LuaState, index: number): void;
    lua_type(L: LuaState, index: number): number;
    lua_isinteger(L: LuaState, index: number): boolean;
    lua_tonumber(L: LuaState, index: number): number;
    lua_tointeger(L: LuaState, index: number): number;
    lua_toboolean(L: LuaState, index: number): boolean;
    lua_tolstring(L: LuaState, index: number): LuaString | null;
    lua_pushnil(L: LuaState): void;
    lua_pushboolean(L: LuaState, b: boolean): void;
    lua_pushinteger(L: LuaState, n: number): void;
    lua_pushnumber(L: LuaState, n: number): void;
    lua_pushstring(L: LuaState, s: LuaString): LuaString;
    lua_pushliteral(L: LuaState, s: string): LuaString;
    lua_pushjsfunction(L: LuaState, f: JsFunction): void;
    lua_createtable(L: LuaState, narr: number, nrec: number): void;
    lua_newtable(L: LuaState): void;
    lua_setfield(L: LuaState, index: number, key: LuaString | string): void;
    lua_getfield(L: LuaState, index: number, key: LuaString | string): number;
    lua_rawgeti(L: LuaState, index: number, n: number): number;
    lua_rawseti(L: LuaState, index: number, n: number): void;
    lua_rawset(L: LuaState, index: number): void;
    lua_setglobal(L: LuaState, name: LuaString | string): void;
    lua_getglobal(L: LuaState, name: LuaString | string): number;
    lua_setmetatable(L: LuaState, index: number): void;
    lua_pcall(L: LuaState, nargs: number, nresults: number, msgh: number): number;
    lua_error(L: LuaState): never;
    lua_sethook(L: LuaState, hook: ((L: LuaState, ar: LuaDebug) => void) | null, mask: number, count: number): void;
  };

  export const lauxlib: {
    luaL_newstate(): LuaState;
    luaL_requiref(L: LuaState, name: LuaString | string, open: JsFunction, global: number): void;
    luaL_loadbuffer(L: LuaState, buffer: LuaString, size: number | null, chunkname: LuaString | string): number;
    luaL_ref(L: LuaState, table: number): number;
    luaL_checklstring(L: LuaState, arg: number): LuaString;
    luaL_error(L: LuaState, format: LuaString, ...args: LuaString[]): never;
  };

  export const lualib: {
    luaopen_base: JsFunction;
    luaopen_table: JsFunction;
    luaopen_string: JsFunction;
    luaopen_math: JsFunction;
    luaopen_debug: JsFunction;
  };

  export function to_luastring(text: string, cache?: boolean): LuaString;
  export function to_jsstring(bytes: LuaString): string;
}
