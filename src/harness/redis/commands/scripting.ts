/**
 * EVAL, EVALSHA and SCRIPT (src/eval.c in Redis 7.0). The Lua VM itself (../scripting/
 * lua-scripting.ts) is loaded on demand, before the first of these commands runs.
 */
import { asciiLower } from '../bytes.ts';
import { parseInt64 } from '../integers.ts';
import { array, bulk, ERRORS, error, integer, OK, wrongArity } from '../replies.ts';
import type { RespValue } from '../resp.ts';
import { scriptSha } from '../scripting/script-sha.ts';
import type { CommandContext, CommandSpec } from './types.ts';

function luaOf(ctx: CommandContext) {
  if (ctx.server.lua === null) throw new Error('a scripting command ran before MemoryRedis.loadScripting()');
  return ctx.server.lua;
}

function runScript(ctx: CommandContext, body: string, sha: string, numkeys: string, rest: readonly string[]): RespValue {
  const count = parseInt64(numkeys);
  if (count === null) return error(ERRORS.notInteger);
  if (count < 0n) return error("ERR Number of keys can't be negative");
  if (count > BigInt(rest.length)) return error("ERR Number of keys can't be greater than number of args");
  const lua = luaOf(ctx);
  const compileError = lua.compile(body, sha);
  if (compileError) return compileError;
  ctx.server.scripts.set(sha, body);
  // The script's own client starts in the caller's database; a SELECT inside stays inside.
  const session = { authenticated: true, db: ctx.session.db };
  const keys = rest.slice(0, Number(count));
  return lua.eval(body, sha, keys, rest.slice(Number(count)), (args) => ctx.server.callFromScript(args, ctx.nowMs, session));
}

export const SCRIPTING_COMMANDS: readonly CommandSpec[] = [
  {
    name: 'eval',
    arity: -3,
    isDeniedInScripts: true,
    run: (ctx, [, body, numkeys, ...rest]) => runScript(ctx, body!, scriptSha(body!), numkeys!, rest),
  },
  {
    name: 'evalsha',
    arity: -3,
    isDeniedInScripts: true,
    run: (ctx, [, sha, numkeys, ...rest]) => {
      const body = ctx.server.scripts.get(asciiLower(sha!));
      if (body === undefined) return error('NOSCRIPT No matching script. Please use EVAL.');
      return runScript(ctx, body, asciiLower(sha!), numkeys!, rest);
    },
  },
  {
    name: 'script',
    arity: -2,
    isDeniedInScripts: true,
    run: (ctx, args) => {
      const sub = asciiLower(args[1]!);
      switch (sub) {
        case 'load': {
          if (args.length !== 3) return wrongArity('script|load');
          const sha = scriptSha(args[2]!);
          const compileError = luaOf(ctx).compile(args[2]!, sha);
          if (compileError) return compileError;
          ctx.server.scripts.set(sha, args[2]!);
          return bulk(sha);
        }
        case 'exists':
          if (args.length < 3) return wrongArity('script|exists');
          return array(args.slice(2).map((sha) => integer(ctx.server.scripts.has(asciiLower(sha)) ? 1 : 0)));
        case 'flush':
          if (args.length > 3) return wrongArity('script|flush');
          if (args.length === 3 && !['sync', 'async'].includes(asciiLower(args[2]!))) return error('ERR SCRIPT FLUSH only support SYNC|ASYNC option');
          ctx.server.scripts.clear();
          return OK;
        default:
          return error(`ERR unknown subcommand '${args[1]!.slice(0, 128)}'. Try SCRIPT HELP.`);
      }
    },
  },
];
