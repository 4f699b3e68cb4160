/**
 * The Envoy cluster name a plugin's Redis client calls, derived from its config the way the
 * examples do: FQDNCluster{FQDN: serviceName, Port: servicePort} (higress-sdk.md §6.1).
 */
import type { RedisCluster } from './templates.ts';

/** Higress gives every ".static" service the logical port 80 (higress-sdk.md §6.1). */
const STATIC_SERVICE_PORT = 80;
const DEFAULT_REDIS_PORT = 6379;

/**
 * Returns the Redis cluster a config names (`redisServiceName`, else `serviceName`), or undefined when it names none.
 * The port is `servicePort` when it is an integer, else 80 for a name ending in `.static`, else
 * 6379; the name is `outbound|<port>||<serviceName>`, as FQDNCluster.ClusterName() builds it.
 */
export function redisClusterFor(config: unknown): RedisCluster | undefined {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) return undefined;
  const fields = config as Record<string, unknown>;
  // ai-token-usage names its Redis `redisServiceName`/`redisPort` and defaults the port to 6379.
  if (typeof fields.redisServiceName === 'string' && fields.redisServiceName !== '') {
    const port = typeof fields.redisPort === 'number' && Number.isInteger(fields.redisPort) ? fields.redisPort : DEFAULT_REDIS_PORT;
    return { name: `outbound|${port}||${fields.redisServiceName}`, fqdn: fields.redisServiceName, port };
  }
  const { serviceName, servicePort } = fields;
  if (typeof serviceName !== 'string' || serviceName === '') return undefined;
  const port = typeof servicePort === 'number' && Number.isInteger(servicePort)
    ? servicePort
    : serviceName.endsWith('.static') ? STATIC_SERVICE_PORT : DEFAULT_REDIS_PORT;
  return { name: `outbound|${port}||${serviceName}`, fqdn: serviceName, port };
}
