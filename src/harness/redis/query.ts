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
  const name = peekCommandName(query);
  return name !== null && engine.needsScripting(name) ? engine.loadScripting() : null;
}

/** The first argument of a RESP array query (`*N\r\n$len\r\nname…`) when it is one digit long, else null. */
function peekCommandName(query: Uint8Array): Uint8Array | null {
  if (query[0] !== 0x2a /* '*' */) return null;
  const lengthAt = query.indexOf(0x0a) + 1;
  // `$` + one digit + CR LF: every scripting command's name is 4 to 7 bytes long.
  if (lengthAt === 0 || query[lengthAt] !== 0x24 /* '$' */ || query[lengthAt + 2] !== 0x0d) return null;
  const length = (query[lengthAt + 1] ?? 0) - 0x30;
  if (length < 0 || length > 9) return null;
  return query.subarray(lengthAt + 4, lengthAt + 4 + length);
}
