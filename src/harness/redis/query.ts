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
