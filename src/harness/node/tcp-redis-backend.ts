/**
 * `--redis redis://…`: every Redis cluster of the scenario talks to one real server. Each
 * proxy_redis_init gets a connection of its own that, like the gateway's client, opens on the
 * first command, authenticates, selects the database, and opens again after it failed. Expiry
 * then follows the server's real clock, not the virtual one.
 */
import { decodeCommand, encodeCommand } from '../redis/index.ts';
import { errorText, isErrorReply, type FailedSelect, type RedisBackend, type RedisConnectOptions, type RedisConnection } from '../redis-backend.ts';
import { parseRedisUrl, TcpRedis } from './redis-tcp.ts';

/** One open connection, set up. */
interface Link {
  redis: TcpRedis;
  /** The database commands run in now. */
  db: number;
  authError: Uint8Array | null;
  failedSelect: FailedSelect | null;
}

/**
 * A backend over the real server at `url` (`redis://[user:password@]host[:port][/db]`); `close()`
 * ends every connection it opened.
 *
 * The plugin's redis_init decides, as on the gateway; the URL fills in what the plugin leaves out:
 * - credentials: the plugin's username and password when it passes a password, else the URL's;
 * - database: the plugin's `?db=N` (wasm-go's WithDataBase(N)), else the URL's `/db`, else 0.
 *
 * Every command, and the AUTH and SELECT before it, must be answered within the client's timeout
 * (real milliseconds); otherwise it fails as a network error and the connection is closed, as
 * Envoy's Redis client does on its op timeout. The TCP handshake has TcpRedis's connect timeout.
 */
export function tcpRedisBackend(url: string): RedisBackend & { close(): Promise<void> } {
  const opened: TcpRedis[] = [];
  const address = parseRedisUrl(url);
  return {
    async connect(_spec, options) {
      const isPluginAuth = options.password !== '';
      const setup: RedisConnectOptions = {
        username: isPluginAuth ? options.username : address.username,
        password: isPluginAuth ? options.password : address.password,
        db: options.db ?? (address.db === 0 ? null : String(address.db)),
        timeoutMs: options.timeoutMs,
      };
      return lazyConnection(url, setup, (redis) => opened.push(redis));
    },
    async close() {
      await Promise.all(opened.map((c) => c.close()));
    },
  };
}

function lazyConnection(url: string, options: RedisConnectOptions, onOpen: (redis: TcpRedis) => void): RedisConnection {
  const { username, password, db, timeoutMs } = options;
  let current: Link | null = null;
  let opening: Promise<Link> | null = null;

  const open = async (): Promise<Link> => {
    const redis = await TcpRedis.connect(url);
    onOpen(redis);
    const link: Link = { redis, db: 0, authError: null, failedSelect: null };
    if (password) {
      const reply = await redis.send(encodeCommand(username ? ['AUTH', username, password] : ['AUTH', password]), { timeoutMs });
      if (isErrorReply(reply)) link.authError = reply;
    }
    if (db !== null && link.authError === null) {
      const reply = await redis.send(encodeCommand(['SELECT', db]), { timeoutMs });
      if (isErrorReply(reply)) link.failedSelect = { db, error: errorText(reply) };
      else link.db = Number(db);
    }
    return link;
  };

  const ready = (): Promise<Link> => {
    if (current !== null && !current.redis.isClosed) return Promise.resolve(current);
    opening ??= open().then(
      (link) => {
        current = link;
        opening = null;
        return link;
      },
      (error: unknown) => {
        opening = null;
        throw error;
      },
    );
    return opening;
  };

  return {
    get failedSelect() {
      return current?.failedSelect ?? null;
    },
    async send(query) {
      const link = await ready();
      if (link.authError) return { bytes: link.authError, db: link.db };
      const ranIn = link.db;
      const bytes = await link.redis.send(query, { timeoutMs });
      const selected = selectedDatabase(query, bytes);
      if (selected !== null) link.db = selected;
      return { bytes, db: ranIn };
    },
  };
}

/** The database a SELECT the plugin sent itself switched to, or null for any other command or a refused SELECT. */
function selectedDatabase(query: Uint8Array, reply: Uint8Array): number | null {
  // `*2\r\n$6\r\nselect\r\n$<n>\r\n<index>\r\n` is short; skip decoding anything longer.
  if (isErrorReply(reply) || query.length > 48) return null;
  try {
    const [name, index] = decodeCommand(query);
    return name !== undefined && index !== undefined && new TextDecoder().decode(name).toLowerCase() === 'select' ? Number(new TextDecoder().decode(index)) : null;
  } catch {
    return null;
  }
}
