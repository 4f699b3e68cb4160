/**
 * Typed errors of the Redis area. Like every harness error they are recognised by `kind`
 * (isHarnessError in ../errors.ts), because they cross postMessage.
 */
import { HarnessError, type HarnessErrorJSON } from '../errors.ts';

/** Why bytes could not be read as RESP: they stop too early, or they break the grammar. */
export type RespDecodeErrorKind = 'resp-incomplete' | 'resp-malformed';

/**
 * Bytes that are not one RESP value. `resp-incomplete` means a stream reader should wait for
 * more bytes; `resp-malformed` means no amount of further bytes can help.
 */
export class RespDecodeError extends HarnessError {
  declare readonly kind: RespDecodeErrorKind;
  /** Byte offset where the problem was found. */
  readonly offset: number;
  /** The problem in Redis's own words where Redis has them, e.g. `invalid bulk length`. */
  readonly detail: string;

  constructor(kind: RespDecodeErrorKind, detail: string, offset: number) {
    super(kind, `${kind === 'resp-incomplete' ? 'incomplete' : 'malformed'} RESP at byte ${offset}: ${detail}`);
    this.name = 'RespDecodeError';
    this.offset = offset;
    this.detail = detail;
  }

  /** The plain form for postMessage, with the offset and Redis's detail. */
  override toJSON(): HarnessErrorJSON & { offset: number; detail: string } {
    return { ...super.toJSON(), offset: this.offset, detail: this.detail };
  }
}

/** A value that RESP2 cannot carry, such as a simple string with a line break in it. */
export class RespEncodeError extends HarnessError {
  constructor(message: string) {
    super('resp-unencodable', message);
    this.name = 'RespEncodeError';
  }
}

/** Why talking to a real Redis failed. */
export type RedisConnectionErrorKind =
  | 'redis-url-invalid'
  | 'redis-unreachable'
  | 'redis-disconnected'
  | 'redis-protocol'
  | 'redis-timeout';

/** A real Redis server that cannot be reached, or that hung up, answered garbage or did not answer in time. */
export class RedisConnectionError extends HarnessError {
  declare readonly kind: RedisConnectionErrorKind;
  /** `host:port` of the server, or the URL as given when it could not be parsed. */
  readonly address: string;

  constructor(kind: RedisConnectionErrorKind, address: string, message: string, hint?: string) {
    super(kind, message, hint);
    this.name = 'RedisConnectionError';
    this.address = address;
  }

  /** The plain form for postMessage, with the server's address. */
  override toJSON(): HarnessErrorJSON & { address: string } {
    return { ...super.toJSON(), address: this.address };
  }
}

/** A seed value the engine cannot store (see RedisSeed for the forms it takes). */
export class RedisSeedError extends HarnessError {
  /** The key, or `key.field` for a hash field. */
  readonly path: string;

  constructor(path: string, value: unknown) {
    super(
      'bad-redis-seed',
      `Redis seed "${path}" is ${value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`}; write a string, a number, an object of strings (a hash), {list: [...]}, {set: [...]} or {zset: {member: score}}.`,
    );
    this.name = 'RedisSeedError';
    this.path = path;
  }

  /** The plain form for postMessage, with the seed path. */
  override toJSON(): HarnessErrorJSON & { path: string } {
    return { ...super.toJSON(), path: this.path };
  }
}
