/**
 * Hash commands, after Redis 7.0's src/t_hash.c. Fields keep insertion order, which is the
 * order a real server uses for small hashes (listpack encoding), so HGETALL replies match.
 */
import { addInt64, parseInt64 } from '../integers.ts';
import { addLongDouble, formatLongDouble, parseLongDouble } from '../doubles.ts';
import { textToByteString } from '../bytes.ts';
import { array, bulk, ERRORS, error, integer, NIL, OK } from '../replies.ts';
import type { RespValue } from '../resp.ts';
import { dropIfEmpty, readHash, valueForWrite, type CommandContext, type CommandSpec } from './types.ts';

/** HGET, HSET, HMSET, HDEL, HGETALL, HINCRBY, HINCRBYFLOAT, HEXISTS, HLEN, HKEYS, HVALS and HMGET. */
export const HASH_COMMANDS: CommandSpec[] = [
  {
    name: 'hget',
    arity: 3,
    run: (ctx, [, key, field]) => {
      const value = readHash(ctx, key as string)?.get(field as string);
      return value === undefined ? NIL : bulk(value);
    },
  },
  { name: 'hset', arity: -4, run: (ctx, args) => hashSet(ctx, 'hset', args) },
  {
    name: 'hmset',
    arity: -4,
    run: (ctx, args) => {
      const reply = hashSet(ctx, 'hmset', args);
      return reply.type === 'error' ? reply : OK;
    },
  },
  {
    name: 'hdel',
    arity: -3,
    run: (ctx, [, key, ...fields]) => {
      const hash = readHash(ctx, key as string);
      if (hash === null) return integer(0);
      const deleted = fields.filter((field) => hash.delete(field)).length;
      dropIfEmpty(ctx, key as string, hash.size);
      return integer(deleted);
    },
  },
  {
    name: 'hgetall',
    arity: 2,
    run: (ctx, [, key]) => array([...(readHash(ctx, key as string) ?? [])].flatMap(([field, value]) => [bulk(field), bulk(value)])),
  },
  {
    name: 'hincrby',
    arity: 4,
    run: (ctx, [, key, field, by]) => {
      const delta = parseInt64(by as string);
      if (delta === null) return error(ERRORS.notInteger);
      const hash = hashForWrite(ctx, key as string);
      const current = hash.get(field as string);
      const base = current === undefined ? 0n : parseInt64(current);
      if (base === null) return error(ERRORS.hashNotInteger);
      const sum = addInt64(base, delta);
      if (sum === null) return error(ERRORS.overflow);
      hash.set(field as string, String(sum));
      return integer(sum);
    },
  },
  {
    name: 'hincrbyfloat',
    arity: 4,
    run: (ctx, [, key, field, by]) => {
      const delta = parseLongDouble(by as string);
      if (delta === null) return error('ERR value is not a valid float');
      const current = readHash(ctx, key as string)?.get(field as string);
      const base = current === undefined ? { m: 0n, e: 0 } : parseLongDouble(current);
      if (base === null) return error('ERR hash value is not a float');
      const sum = base === 'infinite' || delta === 'infinite' ? null : addLongDouble(base, delta);
      if (sum === null) return error('ERR increment would produce NaN or Infinity');
      const text = textToByteString(formatLongDouble(sum));
      hashForWrite(ctx, key as string).set(field as string, text);
      return bulk(text);
    },
  },
  {
    name: 'hexists',
    arity: 3,
    run: (ctx, [, key, field]) => integer(readHash(ctx, key as string)?.has(field as string) ? 1 : 0),
  },
  { name: 'hlen', arity: 2, run: (ctx, [, key]) => integer(readHash(ctx, key as string)?.size ?? 0) },
  { name: 'hkeys', arity: 2, run: (ctx, [, key]) => array([...(readHash(ctx, key as string)?.keys() ?? [])].map(bulk)) },
  { name: 'hvals', arity: 2, run: (ctx, [, key]) => array([...(readHash(ctx, key as string)?.values() ?? [])].map(bulk)) },
  {
    name: 'hmget',
    arity: -3,
    run: (ctx, [, key, ...fields]) => {
      const hash = readHash(ctx, key as string);
      return array(fields.map((field) => {
        const value = hash?.get(field);
        return value === undefined ? NIL : bulk(value);
      }));
    },
  },
];

/** HSET and HMSET: field/value pairs must come in twos; replies with how many fields are new. */
function hashSet(ctx: CommandContext, name: string, args: readonly string[]): RespValue {
  if (args.length % 2 === 1) return error(`ERR wrong number of arguments for '${name}' command`);
  const hash = hashForWrite(ctx, args[1] as string);
  let added = 0;
  for (let i = 2; i < args.length; i += 2) {
    if (!hash.has(args[i] as string)) added++;
    hash.set(args[i] as string, args[i + 1] as string);
  }
  return integer(added);
}

/** The hash at `key`, created empty when absent (Redis's hashTypeLookupWriteOrCreate). */
function hashForWrite(ctx: CommandContext, key: string): Map<string, string> {
  return valueForWrite(ctx, key, 'hash', () => new Map());
}
