/**
 * Commands on keys of any type, after Redis 7.0's src/db.c and src/expire.c: DEL, UNLINK,
 * EXISTS, EXPIRE and its variants, TTL, PTTL, PERSIST, TYPE and KEYS.
 */
import { asciiLower, cString } from '../bytes.ts';
import { globMatch } from '../glob.ts';
import { INT64_MAX, INT64_MIN, parseInt64 } from '../integers.ts';
import { array, bulk, ERRORS, error, integer, invalidExpireTime, simple } from '../replies.ts';
import type { RespValue } from '../resp.ts';
import type { CommandContext, CommandSpec } from './types.ts';

/** The key-space commands. */
export const GENERIC_COMMANDS: CommandSpec[] = [
  { name: 'del', arity: -2, run: deleteKeys },
  { name: 'unlink', arity: -2, run: deleteKeys },
  {
    name: 'exists',
    arity: -2,
    // A key named twice counts twice, as in Redis.
    run: (ctx, [, ...keys]) => integer(keys.filter((key) => ctx.db.get(key, ctx.nowMs) !== undefined).length),
  },
  { name: 'expire', arity: -3, run: (ctx, args) => expireGeneric(ctx, 'expire', args, ctx.nowMs, 's') },
  { name: 'pexpire', arity: -3, run: (ctx, args) => expireGeneric(ctx, 'pexpire', args, ctx.nowMs, 'ms') },
  { name: 'expireat', arity: -3, run: (ctx, args) => expireGeneric(ctx, 'expireat', args, 0n, 's') },
  { name: 'pexpireat', arity: -3, run: (ctx, args) => expireGeneric(ctx, 'pexpireat', args, 0n, 'ms') },
  { name: 'ttl', arity: 2, run: (ctx, [, key]) => ttl(ctx, key as string, 's') },
  { name: 'pttl', arity: 2, run: (ctx, [, key]) => ttl(ctx, key as string, 'ms') },
  {
    name: 'persist',
    arity: 2,
    run: (ctx, [, key]) => {
      const entry = ctx.db.get(key as string, ctx.nowMs);
      if (entry?.expiresAtMs == null) return integer(0);
      entry.expiresAtMs = null;
      return integer(1);
    },
  },
  {
    name: 'type',
    arity: 2,
    run: (ctx, [, key]) => simple(ctx.db.get(key as string, ctx.nowMs)?.value.type ?? 'none'),
  },
  {
    name: 'keys',
    arity: 2,
    run: (ctx, [, pattern]) => {
      // Redis short-cuts a lone `*`, which is how it also lists the empty key.
      const isAll = pattern === '*';
      return array(
        ctx.db
          .keys(ctx.nowMs)
          .filter((key) => isAll || globMatch(pattern as string, key))
          .map(bulk),
      );
    },
  },
];

function deleteKeys(ctx: CommandContext, [, ...keys]: readonly string[]): RespValue {
  return integer(keys.filter((key) => ctx.db.delete(key, ctx.nowMs)).length);
}

/** Redis's expireGenericCommand; `basetimeMs` is now for EXPIRE/PEXPIRE and 0 for the -AT forms. */
function expireGeneric(ctx: CommandContext, name: string, args: readonly string[], basetimeMs: bigint, unit: 's' | 'ms'): RespValue {
  const flags = new Set<string>();
  for (const arg of args.slice(3)) {
    const opt = asciiLower(cString(arg));
    if (opt !== 'nx' && opt !== 'xx' && opt !== 'gt' && opt !== 'lt') return error(`ERR Unsupported option ${cString(arg)}`);
    flags.add(opt);
  }
  if (flags.has('nx') && (flags.has('xx') || flags.has('gt') || flags.has('lt'))) return error(ERRORS.expireNxConflict);
  if (flags.has('gt') && flags.has('lt')) return error(ERRORS.expireGtLtConflict);

  let when = parseInt64(args[2] as string);
  if (when === null) return error(ERRORS.notInteger);
  if (unit === 's') {
    if (when > INT64_MAX / 1000n || when < INT64_MIN / 1000n) return invalidExpireTime(name);
    when *= 1000n;
  }
  if (when > INT64_MAX - basetimeMs) return invalidExpireTime(name);
  when += basetimeMs;

  const key = args[1] as string;
  const entry = ctx.db.get(key, ctx.nowMs);
  if (entry === undefined) return integer(0);
  const current = entry.expiresAtMs;
  if (flags.has('nx') && current !== null) return integer(0);
  if (flags.has('xx') && current === null) return integer(0);
  // No TTL counts as an infinite one: never less than a new time, always greater.
  if (flags.has('gt') && (current === null || when <= current)) return integer(0);
  if (flags.has('lt') && current !== null && when >= current) return integer(0);

  if (when <= ctx.nowMs) {
    ctx.db.delete(key, ctx.nowMs);
  } else {
    ctx.db.setExpiry(key, when, ctx.nowMs);
  }
  return integer(1);
}

/** Redis's ttlGenericCommand: -2 for no key, -1 for no expiry, seconds rounded to nearest. */
function ttl(ctx: CommandContext, key: string, unit: 's' | 'ms'): RespValue {
  const entry = ctx.db.get(key, ctx.nowMs);
  if (entry === undefined) return integer(-2);
  if (entry.expiresAtMs === null) return integer(-1);
  const leftMs = entry.expiresAtMs - ctx.nowMs;
  return integer(unit === 'ms' ? leftMs : (leftMs + 500n) / 1000n);
}
