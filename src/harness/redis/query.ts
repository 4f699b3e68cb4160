/**
 * The whole round trip of one proxy_redis_call against the in-memory engine: raw RESP query in,
 * raw RESP reply out, exactly the bytes a gateway would put in buffer 9 (reference/host-abi.md §9.2).
 */
import { decodeCommand } from './command.ts';
import type { RedisSession } from './commands/types.ts';
import type { MemoryRedis } from './engine.ts';
import { RespDecodeError } from './errors.ts';
import { error } from './replies.ts';
import { encodeResp } from './resp.ts';

/**
 * Decodes a query, runs it on `engine` at `nowMs` (Unix milliseconds) in `session`, and encodes
 * the reply. A query that is not valid RESP gets the reply Redis sends before it hangs up,
 * `-ERR Protocol error: <detail>`; this never throws for bad input.
 */
export function handleQuery(engine: MemoryRedis, session: RedisSession, query: Uint8Array, nowMs: number): Uint8Array {
  let args: Uint8Array[];
  try {
    args = decodeCommand(query);
  } catch (e) {
    if (e instanceof RespDecodeError) return encodeResp(error(`ERR Protocol error: ${e.detail}`));
    throw e;
  }
  return encodeResp(engine.execute(args, nowMs, session));
}

/**
 * Loads the Lua VM into `engine` when `query` is a scripting command that needs it, so
 * handleQuery can stay synchronous; null (nothing to wait for) for every other query. Looks only
 * at the first argument's bytes.
 */
export function prepareQuery(engine: MemoryRedis, query: Uint8Array): Promise<void> | null {
  const start = peekCommandName(query);
  return start >= 0 && engine.needsScriptingAt(query, start, Math.min(query.length, start + nameLength)) ? engine.loadScripting() : null;
}

/** The length of the name peekCommandName found last (a module variable rather than a view per query). */
let nameLength = 0;

/**
 * Where the first argument of a RESP array query (`*N\r\n$len\r\nname…`) starts when it is one
 * digit long (its length then in nameLength), else -1. Clamped to the query as subarray would.
 */
function peekCommandName(query: Uint8Array): number {
  if (query[0] !== 0x2a /* '*' */) return -1;
  const lengthAt = query.indexOf(0x0a) + 1;
  // `$` + one digit + CR LF: every scripting command's name is 4 to 7 bytes long.
  if (lengthAt === 0 || query[lengthAt] !== 0x24 /* '$' */ || query[lengthAt + 2] !== 0x0d) return -1;
  const length = (query[lengthAt + 1] ?? 0) - 0x30;
  if (length < 0 || length > 9) return -1;
  nameLength = length;
  return Math.min(query.length, lengthAt + 4);
}
