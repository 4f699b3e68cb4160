/**
 * What every command implementation receives, and the lookups they share. Arguments arrive as
 * byte strings (see ../bytes.ts), already checked against the command's arity.
 */
import type { Keyspace, StoredValue } from '../keyspace.ts';
import type { LuaScripting } from '../scripting/lua-scripting.ts';
import { parseInt64 } from '../integers.ts';
import { ERRORS, error } from '../replies.ts';
import type { RespValue } from '../resp.ts';

/** Per-connection state: whether AUTH has succeeded, and which database SELECT chose. */
export interface RedisSession {
  /** True once AUTH succeeded, or from the start when the default user needs no password. */
  authenticated: boolean;
  /** The selected database, 0–15. */
  db: number;
}

/** Server-wide state that a few commands (AUTH, FLUSHALL) reach beyond their database. */
export interface ServerState {
  /** The 16 databases SELECT chooses from. */
  readonly databases: readonly Keyspace[];
  /** Enabled users and their passwords; null means the user accepts any password (`nopass`). */
  readonly users: ReadonlyMap<string, string | null>;
  /** Scripts by SHA-1, from EVAL and SCRIPT LOAD. */
  readonly scripts: Map<string, string>;
  /** The Lua VM, once MemoryRedis.loadScripting() has loaded it. */
  lua: LuaScripting | null;
  /** Runs a command from a script, with Redis's extra checks for script calls. */
  readonly callFromScript: (args: string[], nowMs: bigint, session: RedisSession) => RespValue;
}

/** The world as one command sees it. */
export interface CommandContext {
  readonly db: Keyspace;
  /** The caller's clock in Unix milliseconds; expiry follows it, never the wall clock. */
  readonly nowMs: bigint;
  readonly session: RedisSession;
  readonly server: ServerState;
}

/** One command: its lower-case name, Redis's arity rule and its implementation. */
export interface CommandSpec {
  name: string;
  /** As in Redis's command table: n means exactly n arguments, -n means at least n (name included). */
  arity: number;
  /** AUTH must run before authentication; everything else answers NOAUTH until then. */
  isAllowedBeforeAuth?: boolean;
  /** Redis's `noscript` flag: redis.call refuses the command. */
  isDeniedInScripts?: boolean;
  run(ctx: CommandContext, args: readonly string[]): RespValue;
}

/** Thrown by a lookup to end a command early with an error reply; the engine catches it. */
export class CommandAbort extends Error {
  readonly reply: RespValue;

  constructor(reply: RespValue) {
    super('command aborted with an error reply');
    this.reply = reply;
  }
}

/** The string at `key`, null when absent; aborts with WRONGTYPE when it holds another type. */
export function readString(ctx: CommandContext, key: string): string | null {
  return readValue(ctx, key, 'string');
}

/** The hash at `key`, null when absent; aborts with WRONGTYPE when it holds another type. */
export function readHash(ctx: CommandContext, key: string): Map<string, string> | null {
  return readValue(ctx, key, 'hash');
}

type ValueOf<T extends StoredValue['type']> = StoredValueByType[T];
interface StoredValueByType {
  string: string;
  hash: Map<string, string>;
  list: string[];
  set: Set<string>;
  zset: Map<string, number>;
}

/** The value of `type` at `key`, null when absent; aborts with WRONGTYPE when it holds another type. */
export function readValue<T extends StoredValue['type']>(ctx: CommandContext, key: string, type: T): ValueOf<T> | null {
  const entry = ctx.db.get(key, ctx.nowMs);
  if (entry === undefined) return null;
  if (entry.value.type !== type) throw new CommandAbort(error(ERRORS.wrongType));
  return entry.value.value as ValueOf<T>;
}

/** The value of `type` at `key`, created empty by `create` when absent (a write command's lookup). */
export function valueForWrite<T extends StoredValue['type']>(ctx: CommandContext, key: string, type: T, create: () => ValueOf<T>): ValueOf<T> {
  const existing = readValue(ctx, key, type);
  if (existing !== null) return existing;
  const value = create();
  ctx.db.set(key, { type, value } as StoredValue, ctx.nowMs);
  return value;
}

/** Deletes `key` when its collection became empty, as Redis does after every removal. */
export function dropIfEmpty(ctx: CommandContext, key: string, size: number): void {
  if (size === 0) ctx.db.delete(key, ctx.nowMs);
}

/** An integer argument (a C long), or abort with "value is not an integer or out of range". */
export function readLong(text: string): number {
  const value = parseInt64(text);
  if (value === null) throw new CommandAbort(error(ERRORS.notInteger));
  return Number(value);
}

/**
 * Redis's start/stop normalisation for index ranges (LRANGE, LTRIM, ZRANGE, ZREMRANGEBYRANK):
 * negative counts from the end; the inclusive range inside `length`, or null when empty.
 */
export function indexSpan(length: number, start: number, stop: number): [number, number] | null {
  if (start < 0) start = length + start;
  if (stop < 0) stop = length + stop;
  if (start < 0) start = 0;
  if (start > stop || start >= length) return null;
  return [start, Math.min(stop, length - 1)];
}
