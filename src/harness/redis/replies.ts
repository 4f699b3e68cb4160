/**
 * Reply builders and the exact error texts of Redis 7.0 (src/server.c `createSharedObjects`,
 * src/object.c, src/t_string.c). The integration test redis-tcp.test.ts compares them byte for
 * byte with a real redis-server, so change one only together with that test.
 */
import { byteStringToBytes, byteStringToText } from './bytes.ts';
import { toRespInteger, type RespValue } from './resp.ts';

/** Error replies that Redis sends with fixed wording. */
export const ERRORS = {
  syntax: 'ERR syntax error',
  notInteger: 'ERR value is not an integer or out of range',
  overflow: 'ERR increment or decrement would overflow',
  decrementOverflow: 'ERR decrement would overflow',
  hashNotInteger: 'ERR hash value is not an integer',
  wrongType: 'WRONGTYPE Operation against a key holding the wrong kind of value',
  noAuth: 'NOAUTH Authentication required.',
  wrongPass: 'WRONGPASS invalid username-password pair or user is disabled.',
  authWithoutPassword:
    'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?',
  dbIndexOutOfRange: 'ERR DB index is out of range',
  intOutOfRange: 'ERR value is out of range, value must between -2147483648 and 2147483647',
  expireNxConflict: 'ERR NX and XX, GT or LT options at the same time are not compatible',
  expireGtLtConflict: 'ERR GT and LT options at the same time are not compatible',
} as const;

/** `+OK`. */
export const OK: RespValue = { type: 'simple', value: 'OK' };
/** The null bulk string, `$-1`. */
export const NIL: RespValue = { type: 'bulk', value: null };

/** An integer reply; bigints beyond 2^53 keep every digit. */
export function integer(n: number | bigint): RespValue {
  return { type: 'integer', value: typeof n === 'bigint' ? toRespInteger(n) : n };
}

/** A bulk string reply from a byte string. */
export function bulk(bytes: string): RespValue {
  return { type: 'bulk', value: byteStringToBytes(bytes) };
}

/** A simple string reply such as `PONG` or `string`. */
export function simple(text: string): RespValue {
  return { type: 'simple', value: text };
}

/** An array reply. */
export function array(items: RespValue[]): RespValue {
  return { type: 'array', value: items };
}

/**
 * An error reply from a byte string, cleaned as Redis's `addReplyErrorFormat` cleans it: CR and
 * LF become spaces, so an argument echoed in the message cannot break the protocol.
 */
export function error(bytes: string): RespValue {
  return { type: 'error', value: byteStringToText(bytes.replace(/[\r\n]/g, ' ')) };
}

/** `ERR wrong number of arguments for '<name>' command`, with the command's lower-case name. */
export function wrongArity(name: string): RespValue {
  return error(`ERR wrong number of arguments for '${name}' command`);
}

/** `ERR invalid expire time in '<name>' command`. */
export function invalidExpireTime(name: string): RespValue {
  return error(`ERR invalid expire time in '${name}' command`);
}
