/**
 * List commands, after Redis 7.0's src/t_list.c: the ones wasm-go's RedisClient sends (LPUSH,
 * RPUSH, LPOP, RPOP, LLEN, LINDEX, LRANGE, LREM, LINSERT) plus LSET and LTRIM.
 */
import { asciiLower } from '../bytes.ts';
import { parseInt64 } from '../integers.ts';
import { array, bulk, ERRORS, error, integer, NIL, OK, wrongArity } from '../replies.ts';
import type { RespValue } from '../resp.ts';
import { dropIfEmpty, indexSpan, readLong, readValue, valueForWrite, type CommandContext, type CommandSpec } from './types.ts';

const NULL_ARRAY: RespValue = { type: 'array', value: null };

function push(ctx: CommandContext, key: string, elements: readonly string[], atHead: boolean): RespValue {
  const list = valueForWrite(ctx, key, 'list', () => []);
  for (const element of elements) {
    if (atHead) list.unshift(element);
    else list.push(element);
  }
  return integer(list.length);
}

function pop(ctx: CommandContext, name: string, args: readonly string[], atHead: boolean): RespValue {
  if (args.length > 3) return wrongArity(name);
  let count: number | null = null;
  if (args.length === 3) {
    const parsed = parseInt64(args[2]!);
    if (parsed === null || parsed < 0n) return error('ERR value is out of range, must be positive');
    count = Number(parsed);
  }
  const key = args[1]!;
  const list = readValue(ctx, key, 'list');
  if (list === null) return count === null ? NIL : NULL_ARRAY;
  const taken = atHead ? list.splice(0, count ?? 1) : list.splice(Math.max(0, list.length - (count ?? 1))).reverse();
  dropIfEmpty(ctx, key, list.length);
  return count === null ? bulk(taken[0]!) : array(taken.map(bulk));
}

export const LIST_COMMANDS: CommandSpec[] = [
  { name: 'lpush', arity: -3, run: (ctx, [, key, ...elements]) => push(ctx, key!, elements, true) },
  { name: 'rpush', arity: -3, run: (ctx, [, key, ...elements]) => push(ctx, key!, elements, false) },
  { name: 'lpop', arity: -2, run: (ctx, args) => pop(ctx, 'lpop', args, true) },
  { name: 'rpop', arity: -2, run: (ctx, args) => pop(ctx, 'rpop', args, false) },
  { name: 'llen', arity: 2, run: (ctx, [, key]) => integer(readValue(ctx, key!, 'list')?.length ?? 0) },
  {
    name: 'lindex',
    arity: 3,
    run: (ctx, [, key, index]) => {
      const list = readValue(ctx, key!, 'list');
      const at = readLong(index!);
      if (list === null) return NIL;
      const element = list[at < 0 ? list.length + at : at];
      return element === undefined ? NIL : bulk(element);
    },
  },
  {
    name: 'lrange',
    arity: 4,
    run: (ctx, [, key, start, stop]) => {
      const [from, to] = [readLong(start!), readLong(stop!)];
      const list = readValue(ctx, key!, 'list');
      const range = list === null ? null : indexSpan(list.length, from, to);
      return array(range === null ? [] : list!.slice(range[0], range[1] + 1).map(bulk));
    },
  },
  {
    name: 'lrem',
    arity: 4,
    run: (ctx, [, key, count, element]) => {
      const wanted = readLong(count!);
      const list = readValue(ctx, key!, 'list');
      if (list === null) return integer(0);
      let removed = 0;
      const limit = wanted === 0 ? Infinity : Math.abs(wanted);
      if (wanted >= 0) {
        for (let i = 0; i < list.length && removed < limit; ) {
          if (list[i] === element) {
            list.splice(i, 1);
            removed++;
          } else i++;
        }
      } else {
        for (let i = list.length - 1; i >= 0 && removed < limit; i--) {
          if (list[i] === element) {
            list.splice(i, 1);
            removed++;
          }
        }
      }
      dropIfEmpty(ctx, key!, list.length);
      return integer(removed);
    },
  },
  {
    name: 'linsert',
    arity: 5,
    run: (ctx, [, key, where, pivot, element]) => {
      const place = asciiLower(where!);
      if (place !== 'before' && place !== 'after') return error(ERRORS.syntax);
      const list = readValue(ctx, key!, 'list');
      if (list === null) return integer(0);
      const at = list.indexOf(pivot!);
      if (at === -1) return integer(-1);
      list.splice(place === 'before' ? at : at + 1, 0, element!);
      return integer(list.length);
    },
  },
  {
    name: 'lset',
    arity: 4,
    run: (ctx, [, key, index, element]) => {
      const at = readLong(index!);
      const list = readValue(ctx, key!, 'list');
      if (list === null) return error('ERR no such key');
      const position = at < 0 ? list.length + at : at;
      if (position < 0 || position >= list.length) return error('ERR index out of range');
      list[position] = element!;
      return OK;
    },
  },
  {
    name: 'ltrim',
    arity: 4,
    run: (ctx, [, key, start, stop]) => {
      const [from, to] = [readLong(start!), readLong(stop!)];
      const list = readValue(ctx, key!, 'list');
      if (list === null) return OK;
      const range = indexSpan(list.length, from, to);
      const kept = range === null ? [] : list.slice(range[0], range[1] + 1);
      list.splice(0, list.length, ...kept);
      dropIfEmpty(ctx, key!, list.length);
      return OK;
    },
  },
];
