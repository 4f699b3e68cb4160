/**
 * Connection and server commands: PING, ECHO, AUTH (Redis 7.0's src/acl.c authCommand), SELECT,
 * FLUSHALL, FLUSHDB and DBSIZE.
 */
import { asciiLower, cString } from '../bytes.ts';
import { parseInt64 } from '../integers.ts';
import { bulk, ERRORS, error, integer, OK, simple } from '../replies.ts';
import type { RespValue } from '../resp.ts';
import type { CommandSpec, ServerState } from './types.ts';

/** Redis's default `databases 16`. */
export const DATABASE_COUNT = 16;
const INT32_MIN = -(2n ** 31n);
const INT32_MAX = 2n ** 31n - 1n;

/** The connection and server commands. */
export const SERVER_COMMANDS: CommandSpec[] = [
  {
    name: 'ping',
    arity: -1,
    run: (_ctx, args) => {
      if (args.length > 2) return error(`ERR wrong number of arguments for 'ping' command`);
      return args.length === 2 ? bulk(args[1] as string) : simple('PONG');
    },
  },
  { name: 'echo', arity: 2, run: (_ctx, [, message]) => bulk(message as string) },
  {
    name: 'auth',
    arity: -2,
    isAllowedBeforeAuth: true,
    isDeniedInScripts: true,
    run: (ctx, args) => {
      if (args.length > 3) return error(ERRORS.syntax);
      // The one-argument form means the default user, and is refused when that user has no password.
      if (args.length === 2 && ctx.server.users.get('default') === null) return error(ERRORS.authWithoutPassword);
      const [username, password] = args.length === 2 ? ['default', args[1] as string] : [args[1] as string, args[2] as string];
      if (!checkPassword(ctx.server, username, password)) return error(ERRORS.wrongPass);
      ctx.session.authenticated = true;
      return OK;
    },
  },
  {
    name: 'select',
    arity: 2,
    run: (ctx, [, index]) => {
      const n = parseInt64(index as string);
      if (n === null) return error(ERRORS.notInteger);
      if (n < INT32_MIN || n > INT32_MAX) return error(ERRORS.intOutOfRange);
      if (n < 0n || n >= BigInt(DATABASE_COUNT)) return error(ERRORS.dbIndexOutOfRange);
      ctx.session.db = Number(n);
      return OK;
    },
  },
  {
    name: 'flushall',
    arity: -1,
    run: (ctx, args) => flush(args, () => ctx.server.databases.forEach((db) => db.clear())),
  },
  { name: 'flushdb', arity: -1, run: (ctx, args) => flush(args, () => ctx.db.clear()) },
  // Live keys only: a real server also counts expired keys its background sweep has not reached yet.
  { name: 'dbsize', arity: 1, run: (ctx) => integer(ctx.db.size(ctx.nowMs)) },
];

function checkPassword(server: ServerState, username: string, password: string): boolean {
  if (!server.users.has(username)) return false;
  const expected = server.users.get(username);
  return expected === null || expected === password;
}

/** FLUSHALL and FLUSHDB take an optional SYNC or ASYNC, which makes no difference here. */
function flush(args: readonly string[], clear: () => void): RespValue {
  if (args.length > 2) return error(ERRORS.syntax);
  if (args.length === 2 && !['sync', 'async'].includes(asciiLower(cString(args[1] as string)))) return error(ERRORS.syntax);
  clear();
  return OK;
}
