/**
 * Sorted-set commands, after Redis 7.0's src/t_zset.c: what wasm-go's RedisClient sends (ZADD,
 * ZCARD, ZCOUNT, ZINCRBY, ZSCORE, ZRANK, ZREVRANK, ZREM, ZRANGE, ZREVRANGE) plus the by-score
 * commands a sliding-window limiter needs (ZRANGEBYSCORE, ZREVRANGEBYSCORE, ZREMRANGEBYSCORE,
 * ZREMRANGEBYRANK). Members are ordered by score, then bytewise; scores print as `%.17g`.
 */
import { asciiLower } from '../bytes.ts';
import { array, bulk, ERRORS, error, integer, NIL } from '../replies.ts';
import type { RespValue } from '../resp.ts';
import { formatG17, parseDouble } from '../doubles.ts';
import { CommandAbort, dropIfEmpty, indexSpan, readLong, readValue, valueForWrite, type CommandContext, type CommandSpec } from './types.ts';

const NOT_FLOAT = 'ERR value is not a valid float';
const RANGE_NOT_FLOAT = 'ERR min or max is not a float';

/** Members sorted as Redis keeps them: by score, ties bytewise. */
export function sortedByScore(zset: ReadonlyMap<string, number>): Array<[string, number]> {
  return [...zset].sort(([ma, sa], [mb, sb]) => (sa !== sb ? sa - sb : ma < mb ? -1 : ma > mb ? 1 : 0));
}

function score(text: string, message = NOT_FLOAT): number {
  const value = parseDouble(text);
  if (value === null) throw new CommandAbort(error(message));
  return value;
}

/** One end of a score range: `1.5`, `(1.5` (exclusive), `-inf`, `+inf`. */
interface Bound {
  value: number;
  exclusive: boolean;
}

function bound(text: string): Bound {
  const exclusive = text.startsWith('(');
  return { value: score(exclusive ? text.slice(1) : text, RANGE_NOT_FLOAT), exclusive };
}

function inRange(value: number, min: Bound, max: Bound): boolean {
  return (min.exclusive ? value > min.value : value >= min.value) && (max.exclusive ? value < max.value : value <= max.value);
}

/** Members (and scores) as a reply: WITHSCORES flattens them into member, score, member, … */
function rangeReply(items: Array<[string, number]>, withScores: boolean): RespValue {
  return array(items.flatMap(([member, s]) => (withScores ? [bulk(member), bulk(formatG17(s))] : [bulk(member)])));
}

function zadd(ctx: CommandContext, args: readonly string[]): RespValue {
  const flags = new Set<string>();
  let at = 2;
  while (at < args.length && ['nx', 'xx', 'ch', 'incr', 'gt', 'lt'].includes(asciiLower(args[at]!))) flags.add(asciiLower(args[at++]!));
  const pairs = args.length - at;
  if (pairs === 0 || pairs % 2 === 1) return error(ERRORS.syntax);
  const [nx, xx, gt, lt, incr] = ['nx', 'xx', 'gt', 'lt', 'incr'].map((f) => flags.has(f));
  if (nx && xx) return error('ERR XX and NX options at the same time are not compatible');
  if ((gt && nx) || (lt && nx) || (gt && lt)) return error('ERR GT, LT, and/or NX options at the same time are not compatible');
  if (incr && pairs > 2) return error('ERR INCR option supports a single increment-element pair');
  const scores: number[] = [];
  for (let i = at; i < args.length; i += 2) scores.push(score(args[i]!));
  const key = args[1]!;
  if (xx && readValue(ctx, key, 'zset') === null) return incr ? NIL : integer(0);
  const zset = valueForWrite(ctx, key, 'zset', () => new Map());
  let added = 0;
  let updated = 0;
  let result: number | null = null;
  scores.forEach((s, i) => {
    const member = args[at + i * 2 + 1]!;
    const current = zset.get(member);
    if (current !== undefined) {
      if (nx) return;
      const next = incr ? current + s : s;
      if (Number.isNaN(next)) throw new CommandAbort(error('ERR resulting score is not a number (NaN)'));
      if ((gt && next <= current) || (lt && next >= current)) return;
      result = next;
      if (next !== current) {
        zset.set(member, next);
        updated++;
      }
    } else {
      if (xx) return;
      zset.set(member, s);
      result = s;
      added++;
    }
  });
  dropIfEmpty(ctx, key, zset.size);
  if (incr) return result === null ? NIL : bulk(formatG17(result));
  return integer(flags.has('ch') ? added + updated : added);
}

/** ZRANGE key start stop [BYSCORE] [REV] [LIMIT offset count] [WITHSCORES], and the older forms. */
function zrange(ctx: CommandContext, args: readonly string[], mode: { byScore: boolean; rev: boolean; options: boolean }): RespValue {
  const key = args[1]!;
  let { byScore, rev } = mode;
  let withScores = false;
  let limit: [number, number] | null = null;
  for (let i = 4; i < args.length; i++) {
    const option = asciiLower(args[i]!);
    if (option === 'withscores') withScores = true;
    else if (option === 'limit' && i + 2 < args.length && (mode.byScore || mode.options)) {
      limit = [readLong(args[i + 1]!), readLong(args[i + 2]!)];
      i += 2;
    } else if (mode.options && option === 'byscore') byScore = true;
    else if (mode.options && option === 'rev') rev = true;
    else return error(ERRORS.syntax);
  }
  if (limit !== null && !byScore) return error('ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX');
  if (!byScore) {
    const [start, stop] = [readLong(args[2]!), readLong(args[3]!)];
    const zset = readValue(ctx, key, 'zset');
    if (zset === null) return array([]);
    const sorted = sortedByScore(zset);
    if (rev) sorted.reverse();
    const span = indexSpan(sorted.length, start, stop);
    return rangeReply(span === null ? [] : sorted.slice(span[0], span[1] + 1), withScores);
  }
  // By score, REV takes max before min.
  const [min, max] = rev ? [bound(args[3]!), bound(args[2]!)] : [bound(args[2]!), bound(args[3]!)];
  const zset = readValue(ctx, key, 'zset');
  if (zset === null) return array([]);
  let items = sortedByScore(zset).filter(([, s]) => inRange(s, min, max));
  if (rev) items.reverse();
  if (limit !== null) {
    const [offset, count] = limit;
    items = offset < 0 ? [] : items.slice(offset, count < 0 ? undefined : offset + count);
  }
  return rangeReply(items, withScores);
}

function rank(ctx: CommandContext, key: string, member: string, reverse: boolean): RespValue {
  const zset = readValue(ctx, key, 'zset');
  if (zset === null || !zset.has(member)) return NIL;
  const position = sortedByScore(zset).findIndex(([m]) => m === member);
  return integer(reverse ? zset.size - 1 - position : position);
}

function removeWhere(ctx: CommandContext, key: string, doomed: (items: Array<[string, number]>) => Array<[string, number]>): RespValue {
  const zset = readValue(ctx, key, 'zset');
  if (zset === null) return integer(0);
  const removed = doomed(sortedByScore(zset));
  for (const [member] of removed) zset.delete(member);
  dropIfEmpty(ctx, key, zset.size);
  return integer(removed.length);
}

export const SORTED_SET_COMMANDS: CommandSpec[] = [
  { name: 'zadd', arity: -4, run: zadd },
  { name: 'zcard', arity: 2, run: (ctx, [, key]) => integer(readValue(ctx, key!, 'zset')?.size ?? 0) },
  {
    name: 'zscore',
    arity: 3,
    run: (ctx, [, key, member]) => {
      const value = readValue(ctx, key!, 'zset')?.get(member!);
      return value === undefined ? NIL : bulk(formatG17(value));
    },
  },
  {
    name: 'zincrby',
    arity: 4,
    run: (ctx, [, key, increment, member]) => {
      const by = score(increment!);
      const zset = valueForWrite(ctx, key!, 'zset', () => new Map());
      const next = (zset.get(member!) ?? 0) + by;
      if (Number.isNaN(next)) {
        dropIfEmpty(ctx, key!, zset.size);
        return error('ERR resulting score is not a number (NaN)');
      }
      zset.set(member!, next);
      return bulk(formatG17(next));
    },
  },
  {
    name: 'zrem',
    arity: -3,
    run: (ctx, [, key, ...members]) => {
      const zset = readValue(ctx, key!, 'zset');
      if (zset === null) return integer(0);
      const removed = members.filter((m) => zset.delete(m)).length;
      dropIfEmpty(ctx, key!, zset.size);
      return integer(removed);
    },
  },
  { name: 'zrank', arity: 3, run: (ctx, [, key, member]) => rank(ctx, key!, member!, false) },
  { name: 'zrevrank', arity: 3, run: (ctx, [, key, member]) => rank(ctx, key!, member!, true) },
  {
    name: 'zcount',
    arity: 4,
    run: (ctx, [, key, min, max]) => {
      const [low, high] = [bound(min!), bound(max!)];
      const zset = readValue(ctx, key!, 'zset');
      return integer(zset === null ? 0 : [...zset.values()].filter((s) => inRange(s, low, high)).length);
    },
  },
  { name: 'zrange', arity: -4, run: (ctx, args) => zrange(ctx, args, { byScore: false, rev: false, options: true }) },
  {
    name: 'zrevrange',
    arity: -4,
    run: (ctx, args) => (args.length > 5 ? error(ERRORS.syntax) : zrange(ctx, args, { byScore: false, rev: true, options: false })),
  },
  { name: 'zrangebyscore', arity: -4, run: (ctx, args) => zrange(ctx, args, { byScore: true, rev: false, options: false }) },
  { name: 'zrevrangebyscore', arity: -4, run: (ctx, args) => zrange(ctx, args, { byScore: true, rev: true, options: false }) },
  {
    name: 'zremrangebyscore',
    arity: 4,
    run: (ctx, [, key, min, max]) => {
      const [low, high] = [bound(min!), bound(max!)];
      return removeWhere(ctx, key!, (items) => items.filter(([, s]) => inRange(s, low, high)));
    },
  },
  {
    name: 'zremrangebyrank',
    arity: 4,
    run: (ctx, [, key, start, stop]) => {
      const [from, to] = [readLong(start!), readLong(stop!)];
      return removeWhere(ctx, key!, (items) => {
        const span = indexSpan(items.length, from, to);
        return span === null ? [] : items.slice(span[0], span[1] + 1);
      });
    },
  },
];

