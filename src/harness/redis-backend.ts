/**
 * Where a plugin's Redis commands go: the embedded in-memory engine (browser and Node), or a real
 * server over TCP (Node only, supplied by src/harness/node/). Both speak raw RESP bytes, so the
 * plugin sees exactly what a gateway would hand it in buffer 9.
 */
import {
  DATABASE_COUNT,
  encodeCommand,
  encodeResp,
  handleQuery,
  MemoryRedis,
  prepareQuery,
  type RedisKeySnapshot,
  type RedisSeed,
  type RedisSession,
} from './redis/index.ts';

/** One reply to a plugin's command. */
export interface RedisReply {
  /** The raw RESP reply. */
  bytes: Uint8Array;
  /** The database the command ran in. */
  db: number;
}

export interface RedisConnection {
  /** Sends one RESP-encoded command and resolves with the raw RESP reply and the database it ran in. */
  send(query: Uint8Array, nowUnixMs: number): Promise<RedisReply>;
  /**
   * The SELECT the connection sent and the server refused, with its error (`ERR DB index is out of
   * range`), or null. The gateway's client ignores that reply, so the connection stays in
   * database 0. Known once a command has been answered.
   */
  readonly failedSelect: FailedSelect | null;
}

/** A database the server refused to SELECT: the index as sent, and the server's error text. */
export interface FailedSelect {
  db: string;
  error: string;
}

/** What one proxy_redis_init asks of its connection (reference/host-abi.md §9.2). */
export interface RedisConnectOptions {
  /** The credentials the plugin passed; AUTH is sent when the password is not empty. */
  username: string;
  password: string;
  /**
   * The `db` parameter of the cluster string as written (`…?db=2` → `"2"`), or null when there is
   * none. The gateway sends `SELECT <db>` after AUTH and ignores its reply (RATIONALE.md).
   */
  db: string | null;
  /**
   * The client's timeout in milliseconds (redis_init's timeout_ms, or the default). A real server
   * gets it in real time; the embedded engine ignores it (the clusters apply it in virtual time).
   */
  timeoutMs: number;
}

export interface RedisClusterSpec {
  /** The Envoy cluster name, e.g. `outbound|6379||redis.static`. */
  cluster: string;
  username?: string;
  password?: string;
  /** Keys to preload into database 0. */
  seed?: RedisSeed;
  /** Keys to preload into other databases, by database number. */
  databases?: Record<number, RedisSeed>;
}

/** The keys of one database of one cluster after a run; `db` is absent for database 0. */
export interface RedisDatabaseSnapshot {
  cluster: string;
  db?: number;
  keys: RedisKeySnapshot[];
}

export interface RedisBackend {
  /**
   * Opens the connection the gateway's client keeps for one proxy_redis_init: it authenticates
   * with the credentials the plugin passed (a failed AUTH answers every later command with its
   * error), then selects the database redis_init named.
   */
  connect(spec: RedisClusterSpec, options: RedisConnectOptions, nowUnixMs: number): Promise<RedisConnection>;
  /**
   * Keys and values after a run, for the Redis view: database 0 of every cluster, then every
   * other database that holds keys. Absent for a real server.
   */
  snapshot?(nowUnixMs: number): RedisDatabaseSnapshot[];
}

/** The embedded engine: one MemoryRedis per cluster, seeded from the scenario. */
export function memoryRedisBackend(specs: RedisClusterSpec[]): RedisBackend {
  const engines = new Map(
    specs.map((s) => [s.cluster, new MemoryRedis({ username: s.username, password: s.password, seed: s.seed, databases: s.databases })]),
  );
  return {
    async connect(spec, { username, password, db }, nowUnixMs) {
      const engine = engines.get(spec.cluster);
      if (!engine) throw new Error(`no redis engine for ${spec.cluster}`);
      const session: RedisSession = engine.newSession();
      const setUp = (args: string[]) => handleQuery(engine, session, encodeCommand(args), nowUnixMs);
      let authError: Uint8Array | null = null;
      let failedSelect: FailedSelect | null = null;
      if (password) {
        const reply = setUp(username ? ['AUTH', username, password] : ['AUTH', password]);
        if (isErrorReply(reply)) authError = reply;
      }
      // Through the engine, so the session (and every later command) is in that database.
      if (db !== null && authError === null) {
        const reply = setUp(['SELECT', db]);
        if (isErrorReply(reply)) failedSelect = { db, error: errorText(reply) };
      }
      return {
        failedSelect,
        send: async (query, now) => {
          if (authError) return { bytes: authError, db: session.db };
          const loading = prepareQuery(engine, query);
          if (loading) await loading;
          const ranIn = session.db;
          return { bytes: handleQuery(engine, session, query, now), db: ranIn };
        },
      };
    },
    snapshot(nowUnixMs) {
      return [...engines].flatMap(([cluster, engine]) =>
        Array.from({ length: DATABASE_COUNT }, (_, db) => ({ db, keys: engine.snapshot(nowUnixMs, db) }))
          .filter(({ db, keys }) => db === 0 || keys.length > 0)
          .map(({ db, keys }) => (db === 0 ? { cluster, keys } : { cluster, db, keys })),
      );
    },
  };
}

/** True when a raw RESP reply is an error (`-ERR …\r\n`). */
export function isErrorReply(reply: Uint8Array): boolean {
  return reply[0] === 0x2d; /* '-' */
}

/** The text of a raw RESP error reply, without the `-` and the CRLF. */
export function errorText(reply: Uint8Array): string {
  return new TextDecoder().decode(reply.subarray(1)).replace(/\r\n$/, '');
}

export { encodeResp };
