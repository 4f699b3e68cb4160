/**
 * The Envoy cluster name a plugin's Redis client calls, derived from its config the way the
 * examples do: FQDNCluster{FQDN: serviceName, Port: servicePort} (higress-sdk.md §6.1).
 */
import type { RedisCluster } from './templates.ts';

/** Higress gives every ".static" service the logical port 80 (higress-sdk.md §6.1). */
const STATIC_SERVICE_PORT = 80;
const DEFAULT_REDIS_PORT = 6379;

/**
 * Returns the Redis cluster a config names, or undefined when it has no string `serviceName`.
 * The port is `servicePort` when it is an integer, else 80 for a name ending in `.static`, else
 * 6379; the name is `outbound|<port>||<serviceName>`, as FQDNCluster.ClusterName() builds it.
 */
export function redisClusterFor(config: unknown): RedisCluster | undefined {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) return undefined;
  const { serviceName, servicePort } = config as Record<string, unknown>;
  if (typeof serviceName !== 'string' || serviceName === '') return undefined;
  const port = typeof servicePort === 'number' && Number.isInteger(servicePort)
    ? servicePort
    : serviceName.endsWith('.static') ? STATIC_SERVICE_PORT : DEFAULT_REDIS_PORT;
  return { name: `outbound|${port}||${serviceName}`, fqdn: serviceName, port };
}
