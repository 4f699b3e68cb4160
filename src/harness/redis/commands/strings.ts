/**
 * String commands, following Redis 7.0's src/t_string.c step for step: the order of the checks
 * decides which error a bad command gets, so it matches the original.
 */
import { asciiLower, cString } from '../bytes.ts';
import { addInt64, INT64_MAX, INT64_MIN, parseInt64 } from '../integers.ts';
import { bulk, ERRORS, error, integer, invalidExpireTime, NIL, OK, array } from '../replies.ts';
import type { RespValue } from '../resp.ts';
import { addLongDouble, formatLongDouble, parseLongDouble } from '../doubles.ts';
import { textToByteString } from '../bytes.ts';
import { readString, type CommandContext, type CommandSpec } from './types.ts';

/** GET, SET, SETNX, SETEX, PSETEX, INCR, INCRBY, DECR, DECRBY, MGET and MSET. */
export const STRING_COMMANDS: CommandSpec[] = [
  {
    name: 'get',
    arity: 2,
    run: (ctx, [, key]) => orNil(readString(ctx, key as string)),
  },
  {
    name: 'set',
    arity: -3,
    run: (ctx, args) => {
      const options = parseSetOptions(args);
      return options === null ? error(ERRORS.syntax) : setGeneric(ctx, 'set', options, args[1] as string, args[2] as string);
    },
  },
  {
    name: 'setnx',
    arity: 3,
    run: (ctx, [, key, value]) =>
      setGeneric(ctx, 'setnx', { ...NO_OPTIONS, isNx: true }, key as string, value as string, integer(1), integer(0)),
  },
  {
    name: 'setex',
    arity: 4,
    run: (ctx, [, key, seconds, value]) =>
      setGeneric(ctx, 'setex', { ...NO_OPTIONS, expire: { raw: seconds as string, unit: 's', isRelative: true } }, key as string, value as string),
  },
  {
    name: 'psetex',
    arity: 4,
    run: (ctx, [, key, ms, value]) =>
      setGeneric(ctx, 'psetex', { ...NO_OPTIONS, expire: { raw: ms as string, unit: 'ms', isRelative: true } }, key as string, value as string),
  },
  { name: 'incr', arity: 2, run: (ctx, [, key]) => incrBy(ctx, key as string, 1n) },
  { name: 'decr', arity: 2, run: (ctx, [, key]) => incrBy(ctx, key as string, -1n) },
  {
    name: 'incrbyfloat',
    arity: 3,
    run: (ctx, [, key, by]) => {
      const current = readString(ctx, key as string);
      const base = current === null ? { m: 0n, e: 0 } : parseLongDouble(current);
      const delta = parseLongDouble(by as string);
      if (base === null || delta === null) return error('ERR value is not a valid float');
      const sum = base === 'infinite' || delta === 'infinite' ? null : addLongDouble(base, delta);
      if (sum === null) return error('ERR increment would produce NaN or Infinity');
      const text = textToByteString(formatLongDouble(sum));
      ctx.db.set(key as string, { type: 'string', value: text }, ctx.nowMs, true);
      return bulk(text);
    },
  },
  {
    name: 'incrby',
    arity: 3,
    run: (ctx, [, key, by]) => {
      const delta = parseInt64(by as string);
      return delta === null ? error(ERRORS.notInteger) : incrBy(ctx, key as string, delta);
    },
  },
  {
    name: 'decrby',
    arity: 3,
    run: (ctx, [, key, by]) => {
      const delta = parseInt64(by as string);
      if (delta === null) return error(ERRORS.notInteger);
      // Negating LLONG_MIN overflows, so Redis refuses it before looking at the key.
      if (delta === INT64_MIN) return error(ERRORS.decrementOverflow);
      return incrBy(ctx, key as string, -delta);
    },
  },
  {
    name: 'mget',
    arity: -2,
    run: (ctx, [, ...keys]) =>
      array(
        keys.map((key) => {
          const entry = ctx.db.get(key, ctx.nowMs);
          return entry?.value.type === 'string' ? bulk(entry.value.value) : NIL;
        }),
      ),
  },
  {
    name: 'mset',
    arity: -3,
    run: (ctx, args) => {
      if (args.length % 2 === 0) return error(`ERR wrong number of arguments for 'mset' command`);
      for (let i = 1; i < args.length; i += 2) {
        ctx.db.set(args[i] as string, { type: 'string', value: args[i + 1] as string }, ctx.nowMs);
      }
      return OK;
    },
  },
];

interface SetOptions {
  isNx: boolean;
  isXx: boolean;
  isGet: boolean;
  keepTtl: boolean;
  /** The EX/PX/EXAT/PXAT argument as given, parsed only once the options are known to be valid. */
  expire: { raw: string; unit: 's' | 'ms'; isRelative: boolean } | null;
}

const NO_OPTIONS: SetOptions = { isNx: false, isXx: false, isGet: false, keepTtl: false, expire: null };

/** SET's options after key and value, or null for a syntax error (Redis's parseExtendedStringArgumentsOrReply). */
function parseSetOptions(args: readonly string[]): SetOptions | null {
  const options = { ...NO_OPTIONS };
  let expireKind: string | null = null;
  for (let j = 3; j < args.length; j++) {
    const opt = asciiLower(cString(args[j] as string));
    const next = args[j + 1];
    if (opt === 'nx' && !options.isXx) {
      options.isNx = true;
    } else if (opt === 'xx' && !options.isNx) {
      options.isXx = true;
    } else if (opt === 'get') {
      options.isGet = true;
    } else if (opt === 'keepttl' && expireKind === null) {
      options.keepTtl = true;
    } else if (EXPIRE_OPTIONS.has(opt) && !options.keepTtl && (expireKind === null || expireKind === opt) && next !== undefined) {
      // Repeating the same expiry option is allowed, and the last one wins, as in Redis.
      expireKind = opt;
      options.expire = { raw: next, unit: opt === 'ex' || opt === 'exat' ? 's' : 'ms', isRelative: opt === 'ex' || opt === 'px' };
      j++;
    } else {
      return null;
    }
  }
  return options;
}

const EXPIRE_OPTIONS = new Set(['ex', 'px', 'exat', 'pxat']);

/** Redis's setGenericCommand: expiry first, then GET, then the NX/XX condition, then the write. */
function setGeneric(
  ctx: CommandContext,
  name: string,
  options: SetOptions,
  key: string,
  value: string,
  okReply: RespValue = OK,
  abortReply: RespValue = NIL,
): RespValue {
  let expiresAtMs: bigint | null = null;
  if (options.expire !== null) {
    const at = expireAt(ctx, name, options.expire);
    if (typeof at !== 'bigint') return at;
    expiresAtMs = at;
  }
  const oldReply = options.isGet ? orNil(readString(ctx, key)) : null;
  const isFound = ctx.db.get(key, ctx.nowMs) !== undefined;
  if ((options.isNx && isFound) || (options.isXx && !isFound)) return oldReply ?? abortReply;
  ctx.db.set(key, { type: 'string', value }, ctx.nowMs, options.keepTtl);
  if (expiresAtMs !== null) ctx.db.setExpiry(key, expiresAtMs, ctx.nowMs);
  return oldReply ?? okReply;
}

/** Redis's getExpireMillisecondsOrReply: the absolute expiry time, or the error reply. */
function expireAt(ctx: CommandContext, name: string, expire: NonNullable<SetOptions['expire']>): bigint | RespValue {
  const n = parseInt64(expire.raw);
  if (n === null) return error(ERRORS.notInteger);
  if (n <= 0n || (expire.unit === 's' && n > INT64_MAX / 1000n)) return invalidExpireTime(name);
  const atMs = (expire.unit === 's' ? n * 1000n : n) + (expire.isRelative ? ctx.nowMs : 0n);
  // In C the sum wraps below zero; Redis catches that as an invalid time.
  return atMs > INT64_MAX ? invalidExpireTime(name) : atMs;
}

/** Redis's incrDecrCommand: a missing key counts as 0, and the key keeps its TTL. */
function incrBy(ctx: CommandContext, key: string, delta: bigint): RespValue {
  const current = readString(ctx, key);
  const base = current === null ? 0n : parseInt64(current);
  if (base === null) return error(ERRORS.notInteger);
  const sum = addInt64(base, delta);
  if (sum === null) return error(ERRORS.overflow);
  ctx.db.set(key, { type: 'string', value: String(sum) }, ctx.nowMs, true);
  return integer(sum);
}

function orNil(value: string | null): RespValue {
  return value === null ? NIL : bulk(value);
}
