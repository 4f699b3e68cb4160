/** Reads the parts of a generated envoy.yaml and docker-compose.yaml that the tests check. */
import { parse } from 'yaml';

interface EnvoyFilter {
  name: string;
  typed_config: { type_url?: string; value?: { config: { name: string; vm_config: { code: { local: { filename: string } } }; configuration: { '@type': string; value: string } } } };
}

interface EnvoyCluster {
  name: string;
  type: string;
  load_assignment: { cluster_name: string; endpoints: Array<{ lb_endpoints: Array<{ endpoint: { address: { socket_address: { address: string; port_value: number } } } }> }> };
}

interface EnvoyConfig {
  static_resources: {
    listeners: Array<{ filter_chains: Array<{ filters: Array<{ typed_config: { http_filters: EnvoyFilter[] } }> }> }>;
    clusters: EnvoyCluster[];
  };
}

const WASM_TYPE_URL = 'type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm';

/** The wasm filters of the first listener's HTTP connection manager. */
export function wasmFilters(envoyYaml: string): EnvoyFilter[] {
  const config = parse(envoyYaml) as EnvoyConfig;
  const filters = config.static_resources.listeners[0]!.filter_chains[0]!.filters[0]!.typed_config.http_filters;
  return filters.filter((f) => f.typed_config.type_url === WASM_TYPE_URL);
}

/** The plugin configuration string the one wasm filter passes to the plugin. */
export function pluginConfiguration(envoyYaml: string): string {
  const filters = wasmFilters(envoyYaml);
  if (filters.length !== 1) throw new Error(`expected one wasm filter, found ${filters.length}`);
  return filters[0]!.typed_config.value!.config.configuration.value;
}

/** Every cluster as name → the first endpoint's address:port. */
export function clusters(envoyYaml: string): Map<string, { type: string; clusterName: string; address: string }> {
  const config = parse(envoyYaml) as EnvoyConfig;
  return new Map(config.static_resources.clusters.map((c) => {
    const socket = c.load_assignment.endpoints[0]!.lb_endpoints[0]!.endpoint.address.socket_address;
    return [c.name, { type: c.type, clusterName: c.load_assignment.cluster_name, address: `${socket.address}:${socket.port_value}` }];
  }));
}

interface ComposeService {
  image: string;
  command?: string;
  volumes?: string[];
  depends_on?: string[];
  networks?: string[] | Record<string, { ipv4_address?: string }>;
}

/** The compose file's services by name. */
export function composeServices(composeYaml: string): Record<string, ComposeService> {
  return (parse(composeYaml) as { services: Record<string, ComposeService> }).services;
}

/** [major, minor, patch] of an image tag like `v2.1.5`, or undefined when it is not a version. */
export function imageVersion(image: string): [number, number, number] | undefined {
  const match = /:v?(\d+)\.(\d+)\.(\d+)$/.exec(image);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

/** Whether version a is at least b. */
export function isAtLeast(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < b.length; i++) {
    if ((a[i] ?? 0) !== b[i]) return (a[i] ?? 0) > b[i]!;
  }
  return true;
}
