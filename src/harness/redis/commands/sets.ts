/**
 * Set commands, after Redis 7.0's src/t_set.c: SADD, SREM, SCARD, SISMEMBER, SMEMBERS and the
 * SDIFF / SINTER / SUNION family (plus their STORE forms), as wasm-go's RedisClient sends them.
 */
import { parseInt64 } from '../integers.ts';
import { array, bulk, integer } from '../replies.ts';
import type { RespValue } from '../resp.ts';
import { dropIfEmpty, readValue, valueForWrite, type CommandContext, type CommandSpec } from './types.ts';

/** Redis 7.0's set-max-intset-entries. */
const MAX_INTSET_ENTRIES = 512;

/**
 * A set's members in the order Redis 7.0 lists them where it can be known: a small set of
 * integers is an intset, sorted by value; any other set is a hash table, whose order clients must
 * not rely on (we keep insertion order).
 */
export function setMembers(set: ReadonlySet<string>): string[] {
  const members = [...set];
  if (members.length > MAX_INTSET_ENTRIES) return members;
  const numbers = members.map(parseInt64);
  if (numbers.some((n) => n === null)) return members;
  return members.map((m, i) => [m, numbers[i]!] as const).sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0)).map(([m]) => m);
}

type Combine = 'diff' | 'inter' | 'union';

function combine(ctx: CommandContext, how: Combine, keys: readonly string[]): Set<string> {
  // Every key is looked up first, so a wrong type anywhere is an error, as in Redis.
  const sets = keys.map((key) => readValue(ctx, key, 'set') ?? new Set<string>());
  const [first, ...rest] = sets;
  const result = new Set(first);
  if (how === 'union') for (const set of rest) for (const m of set) result.add(m);
  if (how === 'inter') for (const m of result) if (!rest.every((set) => set.has(m))) result.delete(m);
  if (how === 'diff') for (const m of result) if (rest.some((set) => set.has(m))) result.delete(m);
  return result;
}

function store(ctx: CommandContext, destination: string, members: Set<string>): RespValue {
  ctx.db.delete(destination, ctx.nowMs);
  if (members.size > 0) ctx.db.set(destination, { type: 'set', value: members }, ctx.nowMs);
  return integer(members.size);
}

export const SET_COMMANDS: CommandSpec[] = [
  {
    name: 'sadd',
    arity: -3,
    run: (ctx, [, key, ...members]) => {
      const set = valueForWrite(ctx, key!, 'set', () => new Set());
      const before = set.size;
      for (const m of members) set.add(m);
      return integer(set.size - before);
    },
  },
  {
    name: 'srem',
    arity: -3,
    run: (ctx, [, key, ...members]) => {
      const set = readValue(ctx, key!, 'set');
      if (set === null) return integer(0);
      const removed = members.filter((m) => set.delete(m)).length;
      dropIfEmpty(ctx, key!, set.size);
      return integer(removed);
    },
  },
  { name: 'scard', arity: 2, run: (ctx, [, key]) => integer(readValue(ctx, key!, 'set')?.size ?? 0) },
  { name: 'sismember', arity: 3, run: (ctx, [, key, member]) => integer(readValue(ctx, key!, 'set')?.has(member!) ? 1 : 0) },
  { name: 'smembers', arity: 2, run: (ctx, [, key]) => array(setMembers(readValue(ctx, key!, 'set') ?? new Set()).map(bulk)) },
  ...(['diff', 'inter', 'union'] as const).flatMap((how): CommandSpec[] => [
    { name: `s${how}`, arity: -2, run: (ctx, [, ...keys]) => array(setMembers(combine(ctx, how, keys)).map(bulk)) },
    { name: `s${how}store`, arity: -3, run: (ctx, [, destination, ...keys]) => store(ctx, destination!, combine(ctx, how, keys)) },
  ]),
];
