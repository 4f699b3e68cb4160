/**
 * A real Redis over TCP (Node only): raw RESP queries out, raw RESP replies back, in order.
 * It adds nothing of its own but a reply timeout: no AUTH, no SELECT, no retries; the caller
 * sends those as queries.
 */
import { connect, type Socket } from 'node:net';
import { RedisConnectionError } from '../redis/errors.ts';
import { frameResp } from '../redis/resp.ts';

/** Where a Redis server is, as read from `redis://[user:password@]host[:port][/db]`. */
export interface RedisAddress {
  host: string;
  /** 6379 when the URL names none. */
  port: number;
  /** Credentials from the URL, for the caller's AUTH; empty when absent. */
  username: string;
  password: string;
  /** The database from the URL path, for the caller's SELECT; 0 when absent. */
  db: number;
}

/** Options for TcpRedis.connect. */
export interface TcpRedisOptions {
  /** How long to wait for the TCP handshake, in real milliseconds; 5000 by default. */
  connectTimeoutMs?: number;
}

const URL_FORM = 'redis://[user:password@]host[:port][/db]';
const CONNECT_HINT = 'Check that redis-server is running and listening at that address, or use the in-memory Redis.';
/** Socket error codes in words; others are shown as Node words them. */
const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'no such host',
  EHOSTUNREACH: 'host unreachable',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'timed out',
};

/** Reads a redis:// URL; throws RedisConnectionError (`redis-url-invalid`) naming the expected form. */
export function parseRedisUrl(url: string): RedisAddress {
  const parsed = URL.canParse(url) ? new URL(url) : null;
  const db = parsed?.pathname.replace(/^\//, '') ?? '';
  if (parsed === null || parsed.protocol !== 'redis:' || parsed.hostname === '' || !/^\d*$/.test(db)) {
    throw new RedisConnectionError('redis-url-invalid', url, `"${url}" is not a Redis URL; write ${URL_FORM}.`);
  }
  return {
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: parsed.port === '' ? 6379 : Number(parsed.port),
    username: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    db: db === '' ? 0 : Number(db),
  };
}

/** A query waiting for its reply, with the timer of its reply timeout if it has one. */
interface Waiter {
  resolve: (reply: Uint8Array) => void;
  reject: (error: Error) => void;
  timer?: ReturnType<typeof setTimeout>;
}

/** One TCP connection to a Redis server, with pipelined requests answered in order. */
export class TcpRedis {
  /** The server this connection talks to. */
  readonly address: RedisAddress;
  readonly #socket: Socket;
  readonly #pending: Waiter[] = [];
  #buffered: Uint8Array = new Uint8Array(0);
  #failure: RedisConnectionError | null = null;

  private constructor(address: RedisAddress, socket: Socket) {
    this.address = address;
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    socket.on('error', (e: NodeJS.ErrnoException) =>
      this.#fail(new RedisConnectionError('redis-disconnected', hostPort(address), `redis connection to ${hostPort(address)} failed: ${reasonOf(e)}`)),
    );
    socket.on('close', () =>
      this.#fail(new RedisConnectionError('redis-disconnected', hostPort(address), `redis connection to ${hostPort(address)} is closed`)),
    );
  }

  /**
   * Connects to the server a redis:// URL names. Rejects with RedisConnectionError: kind
   * `redis-url-invalid` for a bad URL, `redis-unreachable` with the message
   * `cannot connect to redis at host:port: <reason>` when the connection fails or times out.
   */
  static connect(url: string, options: TcpRedisOptions = {}): Promise<TcpRedis> {
    let address: RedisAddress;
    try {
      address = parseRedisUrl(url);
    } catch (e) {
      return Promise.reject(e);
    }
    const timeoutMs = options.connectTimeoutMs ?? 5000;
    const unreachable = (reason: string) =>
      new RedisConnectionError('redis-unreachable', hostPort(address), `cannot connect to redis at ${hostPort(address)}: ${reason}`, CONNECT_HINT);
    return new Promise((resolve, reject) => {
      const socket = connect({ host: address.host, port: address.port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(unreachable(`no answer within ${timeoutMs}ms`));
      }, timeoutMs);
      const onError = (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(unreachable(reasonOf(e)));
      };
      socket.once('error', onError);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.off('error', onError);
        socket.setNoDelay(true);
        resolve(new TcpRedis(address, socket));
      });
    });
  }

  /** True once the connection has failed or been closed: every later send is rejected. */
  get isClosed(): boolean {
    return this.#failure !== null;
  }

  /**
   * Writes one raw RESP query and resolves with exactly one complete raw reply. Calls may overlap:
   * replies come back in the order the queries were sent. Rejects with RedisConnectionError once
   * the connection has failed or been closed. With `timeoutMs` (real milliseconds), a reply that
   * has not come by then fails the connection, as Envoy's Redis client does on its op timeout:
   * this query and every other one still waiting reject with kind `redis-timeout` and the message
   * `no reply from redis at host:port within <timeoutMs> ms`, and the socket is closed.
   */
  send(query: Uint8Array, options: { timeoutMs?: number } = {}): Promise<Uint8Array> {
    if (this.#failure !== null) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { resolve, reject };
      const { timeoutMs } = options;
      if (timeoutMs !== undefined) {
        const where = hostPort(this.address);
        waiter.timer = setTimeout(
          () => this.#fail(new RedisConnectionError('redis-timeout', where, `no reply from redis at ${where} within ${timeoutMs} ms`)),
          timeoutMs,
        );
      }
      this.#pending.push(waiter);
      this.#socket.write(query);
    });
  }

  /** Closes the connection once the server has answered what was already sent; later sends are rejected. */
  close(): Promise<void> {
    const where = hostPort(this.address);
    this.#failure ??= new RedisConnectionError('redis-disconnected', where, `redis connection to ${where} is closed`);
    if (this.#socket.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.#socket.once('close', () => resolve());
      this.#socket.end();
    });
  }

  #receive(chunk: Buffer): void {
    // Copy into a plain Uint8Array: Buffer#slice shares memory, and replies must outlive the chunk.
    this.#buffered = this.#buffered.length === 0 ? new Uint8Array(chunk) : joinBytes(this.#buffered, chunk);
    let offset = 0;
    try {
      for (let size = frameResp(this.#buffered, offset); size !== null; size = frameResp(this.#buffered, offset)) {
        const waiter = this.#pending.shift();
        if (waiter === undefined) throw new Error('it sent a reply to no request');
        clearTimeout(waiter.timer);
        waiter.resolve(this.#buffered.slice(offset, offset + size));
        offset += size;
      }
    } catch (e) {
      const where = hostPort(this.address);
      this.#fail(new RedisConnectionError('redis-protocol', where, `redis at ${where} broke the protocol: ${(e as Error).message}`));
      return;
    }
    this.#buffered = offset === 0 ? this.#buffered : this.#buffered.slice(offset);
  }

  #fail(failure: RedisConnectionError): void {
    this.#failure ??= failure;
    for (const waiter of this.#pending.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(this.#failure);
    }
    this.#socket.destroy();
  }
}

function hostPort(address: RedisAddress): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

function reasonOf(e: NodeJS.ErrnoException): string {
  const words = e.code === undefined ? undefined : REASONS[e.code];
  return words === undefined ? e.message : `${words} (${e.code})`;
}

function joinBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
