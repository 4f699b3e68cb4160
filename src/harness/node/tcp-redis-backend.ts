/**
 * `--redis redis://…`: every Redis cluster of the scenario talks to one real server. Each
 * proxy_redis_init opens a connection and authenticates with the plugin's credentials, as the
 * gateway's client does. Expiry then follows the server's real clock, not the virtual one.
 */
import { encodeCommand } from '../redis/index.ts';
import type { RedisBackend } from '../redis-backend.ts';
import { TcpRedis } from './redis-tcp.ts';

/** A backend over a real server; `close()` ends every connection it opened. */
export function tcpRedisBackend(url: string): RedisBackend & { close(): Promise<void> } {
  const connections: TcpRedis[] = [];
  return {
    async connect(_spec, username, password) {
      const redis = await TcpRedis.connect(url);
      connections.push(redis);
      let authError: Uint8Array | null = null;
      if (password) {
        const reply = await redis.send(encodeCommand(username ? ['AUTH', username, password] : ['AUTH', password]));
        if (reply[0] === 0x2d /* '-' */) authError = reply;
      }
      return { send: async (query) => authError ?? redis.send(query) };
    },
    async close() {
      await Promise.all(connections.map((c) => c.close()));
    },
  };
}
