/**
 * MemoryRedis: an in-memory Redis that answers with a Redis 7.0 server's exact replies, for the
 * commands plugins use. Time is whatever the caller says it is, so runs stay deterministic.
 */
import { asciiLower, bytesToByteString, byteStringToText, cString, textToByteString } from './bytes.ts';
import { GENERIC_COMMANDS } from './commands/generic.ts';
import { HASH_COMMANDS } from './commands/hashes.ts';
import { LIST_COMMANDS } from './commands/lists.ts';
import { SET_COMMANDS, setMembers } from './commands/sets.ts';
import { DATABASE_COUNT, SERVER_COMMANDS } from './commands/server.ts';
import { SCRIPTING_COMMANDS } from './commands/scripting.ts';
import { STRING_COMMANDS } from './commands/strings.ts';
import { CommandAbort, type CommandSpec, type RedisSession, type ServerState } from './commands/types.ts';
import { RedisSeedError } from './errors.ts';
import { Keyspace, type StoredValue } from './keyspace.ts';
import { SORTED_SET_COMMANDS, sortedByScore } from './commands/sorted-sets.ts';
import { formatG17 } from './doubles.ts';
import { ERRORS, error, wrongArity } from './replies.ts';
import type { RespValue } from './resp.ts';

/**
 * Keys to preload into a database: a string (numbers are stored as their decimal text), a hash,
 * or `{ list: [...] }`, `{ set: [...] }`, `{ zset: { member: score } }`.
 */
export type RedisSeed = Record<
  string,
  string | number | Record<string, string | number> | { list: Array<string | number> } | { set: Array<string | number> } | { zset: Record<string, number> }
>;

/** How the server is set up. */
export interface MemoryRedisOptions {
  /**
   * The user that `password` belongs to. Unset or `default`: the default user has that password,
   * as with `requirepass`. Any other name: that user has the password and the default user is
   * disabled, as with `user default off` plus `user <name> on >password`.
   */
  username?: string | undefined;
  /** Unset or empty: no password, and every connection starts authenticated. */
  password?: string | undefined;
  /** Keys present from the start, in database 0, without expiry. */
  seed?: RedisSeed | undefined;
  /** Keys present from the start in other databases, by database number (0 to 15), without expiry. */
  databases?: Record<number, RedisSeed> | undefined;
}

/** One key as the Redis view shows it; text is decoded as UTF-8. */
export interface RedisKeySnapshot {
  key: string;
  type: StoredValue['type'];
  /** A string; a hash's fields; a list's elements in order; a set's members; a sorted set's members (by score) with their scores. */
  value: string | Record<string, string> | string[];
  /** Milliseconds until the key expires, or null when it never does. */
  ttlMs: number | null;
}

const COMMANDS = new Map<string, CommandSpec>(
  [...STRING_COMMANDS, ...GENERIC_COMMANDS, ...HASH_COMMANDS, ...LIST_COMMANDS, ...SET_COMMANDS, ...SORTED_SET_COMMANDS, ...SERVER_COMMANDS, ...SCRIPTING_COMMANDS].map((spec) => [spec.name, spec]),
);

/** The commands that run Lua (MemoryRedis.needsScripting). */
const NEEDS_LUA_NAMES: readonly string[] = SCRIPTING_COMMANDS.map((spec) => spec.name);

/** Whether bytes[start, end) spell `name` (lower-case ASCII), ignoring the case of ASCII letters as asciiLower does. */
function isNameAt(name: string, bytes: Uint8Array, start: number, end: number): boolean {
  if (end - start !== name.length) return false;
  for (let i = 0; i < name.length; i++) {
    let byte = bytes[start + i]!;
    if (byte >= 0x41 && byte <= 0x5a) byte += 0x20;
    if (byte !== name.charCodeAt(i)) return false;
  }
  return true;
}

/** Names of the commands MemoryRedis knows, sorted; any other gets Redis's unknown-command error. */
export const MEMORY_REDIS_COMMANDS: readonly string[] = [...COMMANDS.keys()].sort();

/** An in-memory Redis server with 16 databases, lazy expiry and Redis's users, replies and errors. */
export class MemoryRedis {
  readonly #databases: Keyspace[] = Array.from({ length: DATABASE_COUNT }, () => new Keyspace());
  readonly #server: ServerState;

  constructor(options: MemoryRedisOptions = {}) {
    const users = new Map<string, string | null>();
    const username = options.username || 'default';
    if (!options.password) {
      users.set('default', null);
    } else {
      users.set(username, options.password);
    }
    this.#server = {
      databases: this.#databases,
      users,
      scripts: new Map(),
      lua: null,
      callFromScript: (args, nowMs, session) => this.#run(args, nowMs, session, true),
    };
    this.#seed(0, options.seed ?? {});
    for (const [db, seed] of Object.entries(options.databases ?? {})) this.#seed(Number(db), seed);
  }

  #seed(db: number, seed: RedisSeed): void {
    const keyspace = this.#databases[db];
    if (keyspace === undefined) throw new RangeError(`Redis seed for database ${db}: there are databases 0 to ${DATABASE_COUNT - 1}`);
    for (const [key, value] of Object.entries(seed)) keyspace.set(textToByteString(key), seedValue(key, value), 0n);
  }

  /** How many keys database `db` holds in memory, expired ones not yet dropped included: what a long run costs. */
  storedKeys(db = 0): number {
    return this.#databases[db]?.stored ?? 0;
  }

  /**
   * Opens a connection's state: database 0, authenticated only when the default user needs no
   * password (as Redis sets up a new client).
   */
  newSession(): RedisSession {
    return { authenticated: this.#server.users.get('default') === null, db: 0 };
  }

  /**
   * Runs one command and returns its reply; never throws for bad input, which gets the error
   * reply Redis would send. Checks run in Redis's order (src/server.c processCommand): unknown
   * command, then arity, then NOAUTH. `nowMs` is the current time in Unix milliseconds; expiry
   * follows it. The session is updated by AUTH and SELECT.
   */
  execute(args: readonly Uint8Array[], nowMs: number, session: RedisSession): RespValue {
    if (args.length === 0) return error('ERR empty command');
    return this.#run(args.map(bytesToByteString), BigInt(Math.floor(nowMs)), session, false);
  }

  /**
   * True when a command named `name` needs the Lua VM that loadScripting() brings in (EVAL,
   * EVALSHA, SCRIPT before it loaded): the engine stays synchronous, and the VM's code is fetched
   * only by a plugin that uses scripts.
   */
  needsScripting(name: Uint8Array): boolean {
    return this.needsScriptingAt(name, 0, name.length);
  }

  /** needsScripting of the name in bytes[start, end), compared where it lies (it is asked for every query). */
  needsScriptingAt(bytes: Uint8Array, start: number, end: number): boolean {
    if (this.#server.lua !== null || end - start > 7) return false;
    return NEEDS_LUA_NAMES.some((name) => isNameAt(name, bytes, start, end));
  }

  /** Loads the Lua VM for EVAL, EVALSHA and SCRIPT (once). */
  async loadScripting(): Promise<void> {
    if (this.#server.lua !== null) return;
    const { LuaScripting } = await import('./scripting/lua-scripting.ts');
    this.#server.lua ??= new LuaScripting();
  }

  #run(strings: readonly string[], nowMs: bigint, session: RedisSession, fromScript: boolean): RespValue {
    if (strings.length === 0) return error('ERR Please specify at least one argument for this redis lib call');
    const spec = COMMANDS.get(asciiLower(strings[0] as string));
    if (spec === undefined) return fromScript ? error('ERR Unknown Redis command called from script') : unknownCommand(strings);
    if (spec.arity > 0 ? strings.length !== spec.arity : strings.length < -spec.arity) {
      return fromScript ? error('ERR Wrong number of args calling Redis command from script') : wrongArity(spec.name);
    }
    if (fromScript && spec.isDeniedInScripts === true) return error('ERR This Redis command is not allowed from script');
    if (!session.authenticated && spec.isAllowedBeforeAuth !== true) return error(ERRORS.noAuth);
    const db = this.#databases[session.db];
    if (db === undefined) return error(ERRORS.dbIndexOutOfRange);
    try {
      return spec.run({ db, nowMs, session, server: this.#server }, strings);
    } catch (e) {
      if (e instanceof CommandAbort) return e.reply;
      throw e;
    }
  }

  /** Lists the live keys of database `db` at `nowMs`, sorted bytewise, for the Redis view. */
  snapshot(nowMs: number, db = 0): RedisKeySnapshot[] {
    const keyspace = this.#databases[db];
    if (keyspace === undefined) return [];
    const now = BigInt(Math.floor(nowMs));
    return keyspace.keys(now).flatMap((key) => {
      const entry = keyspace.get(key, now);
      if (entry === undefined) return [];
      const { value } = entry;
      return [{ key: byteStringToText(key), type: value.type, value: snapshotValue(value), ttlMs: entry.expiresAtMs === null ? null : Number(entry.expiresAtMs - now) }];
    });
  }
}

/**
 * Redis 7.0's reply to an unknown command: the name and the arguments, each cut at NUL, quoted
 * and followed by a space, until 128 bytes of arguments have been shown.
 */
function unknownCommand(args: readonly string[]): RespValue {
  let shown = '';
  for (let i = 1; i < args.length && shown.length < 128; i++) {
    shown += `'${cString(args[i] as string).slice(0, 128 - shown.length)}' `;
  }
  return error(`ERR unknown command '${cString(args[0] as string).slice(0, 128)}', with args beginning with: ${shown}`);
}

function snapshotValue(value: StoredValue): RedisKeySnapshot['value'] {
  switch (value.type) {
    case 'string':
      return byteStringToText(value.value);
    case 'hash':
      return Object.fromEntries([...value.value].map(([f, v]) => [byteStringToText(f), byteStringToText(v)]));
    case 'list':
      return value.value.map(byteStringToText);
    case 'set':
      return setMembers(value.value).map(byteStringToText);
    case 'zset':
      return Object.fromEntries(sortedByScore(value.value).map(([member, score]) => [byteStringToText(member), formatG17(score)]));
  }
}

function seedValue(key: string, value: unknown): StoredValue {
  const text = (v: unknown, path: string) => {
    if (typeof v !== 'string' && typeof v !== 'number') throw new RedisSeedError(path, v);
    return textToByteString(String(v));
  };
  if (typeof value === 'string' || typeof value === 'number') return { type: 'string', value: text(value, key) };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new RedisSeedError(key, value);
  const entries = Object.entries(value);
  // A hash's values are never arrays or objects, so these one-key forms cannot be a hash.
  if (entries.length === 1) {
    const [kind, items] = entries[0]!;
    if ((kind === 'list' || kind === 'set') && Array.isArray(items)) {
      const members = items.map((item, i) => text(item, `${key}.${kind}[${i}]`));
      return kind === 'list' ? { type: 'list', value: members } : { type: 'set', value: new Set(members) };
    }
    if (kind === 'zset' && typeof items === 'object' && items !== null && !Array.isArray(items)) {
      const zset = new Map<string, number>();
      for (const [member, score] of Object.entries(items)) {
        if (typeof score !== 'number' || Number.isNaN(score)) throw new RedisSeedError(`${key}.zset.${member}`, score);
        zset.set(textToByteString(member), score);
      }
      return { type: 'zset', value: zset };
    }
  }
  const fields = new Map<string, string>();
  for (const [field, v] of entries) fields.set(textToByteString(field), text(v, `${key}.${field}`));
  return { type: 'hash', value: fields };
}
