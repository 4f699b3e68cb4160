/**
 * Where a plugin's Redis commands go: the embedded in-memory engine (browser and Node), or a real
 * server over TCP (Node only, supplied by src/harness/node/). Both speak raw RESP bytes, so the
 * plugin sees exactly what a gateway would hand it in buffer 9.
 */
import { encodeCommand, encodeResp, handleQuery, MemoryRedis, prepareQuery, type RedisSeed, type RedisSession } from './redis/index.ts';

export interface RedisConnection {
  /** Sends one RESP-encoded command and resolves with the raw RESP reply. */
  send(query: Uint8Array, nowUnixMs: number): Promise<Uint8Array>;
}

export interface RedisClusterSpec {
  /** The Envoy cluster name, e.g. `outbound|6379||redis.static`. */
  cluster: string;
  username?: string;
  password?: string;
  seed?: RedisSeed;
}

export interface RedisBackend {
  /**
   * Opens the connection the gateway's client keeps for one proxy_redis_init, authenticating with
   * the credentials the plugin passed (a failed AUTH answers every later command with its error).
   */
  connect(spec: RedisClusterSpec, username: string, password: string, nowUnixMs: number): Promise<RedisConnection>;
  /** Keys and values after a run, for the Redis view; absent for a real server. */
  snapshot?(nowUnixMs: number): Array<{ cluster: string; keys: ReturnType<MemoryRedis['snapshot']> }>;
}

/** The embedded engine: one MemoryRedis per cluster, seeded from the scenario. */
export function memoryRedisBackend(specs: RedisClusterSpec[]): RedisBackend {
  const engines = new Map(
    specs.map((s) => [s.cluster, new MemoryRedis({ username: s.username, password: s.password, seed: s.seed })]),
  );
  return {
    async connect(spec, username, password, nowUnixMs) {
      const engine = engines.get(spec.cluster);
      if (!engine) throw new Error(`no redis engine for ${spec.cluster}`);
      const session: RedisSession = engine.newSession();
      let authError: Uint8Array | null = null;
      if (password) {
        const args = username ? ['AUTH', username, password] : ['AUTH', password];
        const reply = handleQuery(engine, session, encodeCommand(args), nowUnixMs);
        if (reply[0] === 0x2d /* '-' */) authError = reply;
      }
      return {
        send: async (query, now) => {
          if (authError) return authError;
          const loading = prepareQuery(engine, query);
          if (loading) await loading;
          return handleQuery(engine, session, query, now);
        },
      };
    },
    snapshot(nowUnixMs) {
      return [...engines].map(([cluster, engine]) => ({ cluster, keys: engine.snapshot(nowUnixMs) }));
    },
  };
}

export { encodeResp };
