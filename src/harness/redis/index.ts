/**
 * The Redis area of the harness: the RESP codec, an in-memory Redis 7.0 engine, and the text
 * forms of commands and replies. Pure code: no Node, no DOM (the real-server adapter lives in
 * src/harness/node/redis-tcp.ts).
 */
export type { RespValue, RespDecoded } from './resp.ts';
export { encodeResp, decodeResp, frameResp } from './resp.ts';
export { encodeCommand, decodeCommand } from './command.ts';
export { parseInlineCommand } from './inline.ts';
export { formatReply, formatCommand } from './format.ts';
export type { RedisSession } from './commands/types.ts';
export type { MemoryRedisOptions, RedisSeed, RedisKeySnapshot } from './engine.ts';
export { MemoryRedis, MEMORY_REDIS_COMMANDS } from './engine.ts';
export { DATABASE_COUNT } from './commands/server.ts';
export { handleQuery, prepareQuery } from './query.ts';
export type { RespDecodeErrorKind, RedisConnectionErrorKind } from './errors.ts';
export { RespDecodeError, RespEncodeError, RedisConnectionError, RedisSeedError } from './errors.ts';
