/**
 * The starter project's files for deploying to Higress: the OCI image (Dockerfile, .dockerignore),
 * the WasmPlugin resource generated from config.json (wasmplugin.yaml), and a real Higress to run
 * locally (higress/: the all-in-one image with the plugin mounted for a file:// URL, and Redis and
 * httpbin registered as service sources in the files Higress reads). The facts are those of
 * reference/deploy.md; the constants below say where each comes from. Everything here is a pure
 * function of its input, so a project comes out byte for byte the same every time.
 */
import { stringify } from 'yaml';
import { MATCH_KEYS } from '../../site/match-rules.ts';
import type { RedisCluster } from './templates.ts';

/**
 * The all-in-one image tag. Go 1.24 plugins need Higress ≥ 2.1.5 (deploy.md §7); the image's tags
 * follow higress-standalone's `aio-vX.Y.Z` git tags without the `v` (its build-aio-image-and-push
 * workflow), and 2.2.4 is the newest deploy.md lists. It also reads GATEWAY_COMPONENT_LOG_LEVEL and
 * lets PILOT_FILTER_GATEWAY_CLUSTER_CONFIG be overridden (higress-standalone#149, 2025-04).
 */
export const ALL_IN_ONE_VERSION = '2.2.4';
export const ALL_IN_ONE_IMAGE = `higress-registry.cn-hangzhou.cr.aliyuncs.com/higress/all-in-one:${ALL_IN_ONE_VERSION}`;

export const WASMPLUGIN_API_VERSION = 'extensions.higress.io/v1alpha1';
/** The only namespace whose WasmPlugins Higress reads (deploy.md §2.2). */
export const HIGRESS_NAMESPACE = 'higress-system';

/** The enum values of alibaba/higress api/extensions/v1alpha1/wasmplugin.proto. */
export const PLUGIN_PHASES = ['UNSPECIFIED_PHASE', 'AUTHN', 'AUTHZ', 'STATS'] as const;
export const FAIL_STRATEGIES = ['FAIL_CLOSE', 'FAIL_OPEN'] as const;
export const PULL_POLICIES = ['UNSPECIFIED_POLICY', 'IfNotPresent', 'Always'] as const;
export type PluginPhase = (typeof PLUGIN_PHASES)[number];
export type FailStrategy = (typeof FAIL_STRATEGIES)[number];

/** The first tag a project pushes; the reader's registry replaces registry.example.com. */
export const IMAGE_TAG = '0.1.0';

/** The image `make image`/`make push` build, and the WasmPlugin's url without `oci://`. */
export function imageFor(example: string): string {
  return `registry.example.com/wasm/${example}:${IMAGE_TAG}`;
}

/** Where higress/docker-compose.yaml mounts main.wasm in the Higress container, for a file:// URL. */
export function localPluginPath(example: string): string {
  return `/opt/plugins/${example}/plugin.wasm`;
}

/** The local Higress's own network, apart from the Envoy compose file's 172.20.0.0/24, so both can run at once. */
export const HIGRESS_SUBNET = '172.21.0.0/24';
/** Static service sources take IP:port only (deploy.md §4.1), so Redis and httpbin get fixed addresses. */
export const HIGRESS_REDIS_IP = '172.21.0.100';
export const HIGRESS_HTTPBIN_IP = '172.21.0.101';
/** A dns service source needs a dotted name with a 2–6 letter TLD (higress registry/direct/watcher.go); a bare `redis` is refused. */
export const REDIS_DNS_NAME = 'redis.wasm-lab.test';
/** The local route's Ingress, and so its route name for matchRules' `ingress` (an Ingress in higress-system is named `<name>`). */
export const LOCAL_ROUTE = 'httpbin';
/** A documentation address (RFC 5737) for a service the project cannot start itself. */
const PLACEHOLDER_IP = '192.0.2.10';

/** How the WasmPlugin places the plugin, and why, for each example that differs from the default. */
interface Placement {
  phase: PluginPhase;
  priority: number;
  failStrategy: FailStrategy;
}

const DEFAULT_PLACEMENT: Placement = { phase: 'UNSPECIFIED_PHASE', priority: 0, failStrategy: 'FAIL_OPEN' };

/**
 * Plugins that guard access run first and fail closed: a gateway that cannot load them should not
 * let requests through unchecked (the proto: FAIL_OPEN "is not recommended for the authentication
 * or the authorization plugins"). Higress's own key-auth runs in AUTHN.
 */
const PLACEMENTS: Record<string, Partial<Placement>> = {
  'key-auth': { phase: 'AUTHN', failStrategy: 'FAIL_CLOSE' },
  'http-call': { phase: 'AUTHZ', failStrategy: 'FAIL_CLOSE' },
  'request-block': { failStrategy: 'FAIL_CLOSE' },
};

/** The phase, priority and failStrategy the generated WasmPlugin gives the example. */
export function placementFor(example: string): Placement {
  return { ...DEFAULT_PLACEMENT, ...PLACEMENTS[example] };
}

// ---- config.json → defaultConfig and matchRules -----------------------------------------------

export interface MatchRule {
  ingress?: string[];
  domain?: string[];
  service?: string[];
  config: Record<string, unknown>;
}

/** What a WasmPlugin carries of a config.json, and the `_rules_` entries it could not carry. */
export interface WasmPluginConfig {
  defaultConfig: Record<string, unknown>;
  matchRules: MatchRule[];
  /** One sentence per entry left out, for a comment in the file. */
  skipped: string[];
}

const RULE_KEY = '_rules_';
const MATCH_KEY = /^_match_\w+_$/;

/**
 * Splits a plugin config the way Higress builds it, backwards (src/site/match-rules.ts does the
 * forward direction): the top-level keys without `_rules_` become defaultConfig, and each `_rules_`
 * entry a match rule whose `_match_route_`/`_match_domain_`/`_match_service_` lists become
 * `ingress`/`domain`/`service` and whose other keys become its `config`. Entries Higress could not
 * have produced (no match list, a list that is not strings, another `_match_…_` key) are skipped
 * and named in `skipped`.
 */
export function wasmPluginConfig(config: unknown): WasmPluginConfig {
  if (!isMapping(config)) {
    return { defaultConfig: {}, matchRules: [], skipped: ['config.json is not a JSON object, and a WasmPlugin\'s defaultConfig must be one.'] };
  }
  const { [RULE_KEY]: rules, ...defaultConfig } = config;
  if (rules === undefined) return { defaultConfig, matchRules: [], skipped: [] };
  if (!Array.isArray(rules)) return { defaultConfig, matchRules: [], skipped: ['_rules_ is not a list.'] };
  const matchRules: MatchRule[] = [];
  const skipped: string[] = [];
  rules.forEach((entry, i) => {
    const rule = matchRuleFor(entry);
    if (typeof rule === 'string') skipped.push(`_rules_[${i}] ${rule}`);
    else matchRules.push(rule);
  });
  return { defaultConfig, matchRules, skipped };
}

/** One `_rules_` entry as a match rule, or why it cannot be one. */
function matchRuleFor(entry: unknown): MatchRule | string {
  if (!isMapping(entry)) return 'is not an object.';
  const rule: Omit<MatchRule, 'config'> = {};
  const config: Record<string, unknown> = {};
  const known = new Set<string>(MATCH_KEYS.map(([, key]) => key));
  for (const [key, value] of Object.entries(entry)) {
    if (!MATCH_KEY.test(key)) config[key] = value;
    else if (!known.has(key)) return `has ${key}, which no WasmPlugin field produces.`;
  }
  for (const [field, key] of MATCH_KEYS) {
    const values = entry[key];
    if (values === undefined) continue;
    if (!Array.isArray(values) || values.length === 0 || !values.every((v): v is string => typeof v === 'string')) {
      return `has a ${key} that is not a list of names.`;
    }
    rule[field] = values;
  }
  if (Object.keys(rule).length === 0) {
    return 'has no _match_route_, _match_domain_ or _match_service_ list, and Higress rejects a rule without one.';
  }
  return { ...rule, config };
}

// ---- service sources ---------------------------------------------------------------------------

/** A service the plugin calls, and how the local Higress registers it. */
export interface ServiceSource {
  /** The cluster the plugin calls, from its config. */
  cluster: RedisCluster;
  /** The source type its name's suffix asks for; undefined for a name neither `.static` nor `.dns` (K8s, Nacos, Consul). */
  type: 'static' | 'dns' | undefined;
  /** The registry entry's name: the service name without its `.static`/`.dns` suffix. */
  name: string;
  /** Redis when main.go makes a Redis client, else an HTTP service the reader must supply. */
  backend: 'redis' | 'http';
}

/**
 * The service source for the cluster a config names (redisClusterFor's), or undefined when it
 * names none. `mainGo` decides what answers there: a plugin that calls NewRedisClusterClient gets
 * the Redis container; any other cluster is an HTTP service the project cannot start for it.
 */
export function serviceSourceFor(cluster: RedisCluster | undefined, mainGo: string): ServiceSource | undefined {
  if (!cluster) return undefined;
  const suffix = /\.(static|dns)$/.exec(cluster.fqdn);
  const type = suffix ? (suffix[1] as 'static' | 'dns') : undefined;
  const name = suffix ? cluster.fqdn.slice(0, -suffix[0].length) : cluster.fqdn;
  const backend = /\bNewRedisClusterClient\b/.test(mainGo) ? 'redis' : 'http';
  return { cluster, type, name, backend };
}

/** The McpBridge entry's `domain`: Redis's fixed address or DNS name, or a placeholder for an HTTP service. */
function registryDomain(source: ServiceSource): string {
  if (source.type === 'dns') return source.backend === 'redis' ? REDIS_DNS_NAME : 'your-service.example.com';
  return source.backend === 'redis' ? `${HIGRESS_REDIS_IP}:6379` : `${PLACEHOLDER_IP}:${source.cluster.port}`;
}

// ---- the image ---------------------------------------------------------------------------------

/** The Dockerfile: recipe A of deploy.md §1.2, whose only layer holds plugin.wasm. */
export function renderDockerfile(example: string): string {
  return `# The ${example} plugin as an OCI image Higress can pull. The gateway reads the LAST layer of
# the image and takes the file named plugin.wasm from it, so this COPY stays the last instruction.
# Build and push with make image / make push (IMAGE= names the image).
FROM scratch
COPY main.wasm ./plugin.wasm
`;
}

/** .dockerignore: only main.wasm goes to docker build (higress/data holds files the Higress container writes as root, mode 0600). */
export function renderDockerignore(): string {
  return `# docker build needs main.wasm only. higress/data holds files the Higress container writes as
# root with mode 0600, which docker build could not read.
*
!main.wasm
`;
}

// ---- the WasmPlugin ----------------------------------------------------------------------------

export interface WasmPluginInput {
  example: string;
  /** The parsed config.json. */
  config: unknown;
  /** The cluster the config calls, if any: the file says how it must be registered. */
  service?: ServiceSource | undefined;
  /** The copy the local Higress loads from file:// instead of the registry. */
  local?: boolean;
}

const YAML_OPTIONS = { version: '1.1', lineWidth: 0 } as const;

/**
 * Renders a WasmPlugin for the example from its config.json, commented field by field. The YAML
 * is written for YAML 1.1 (Kubernetes's reading), so a string like "on" stays a string there too.
 */
export function renderWasmPlugin(input: WasmPluginInput): string {
  const { example, service, local = false } = input;
  const { defaultConfig, matchRules, skipped } = wasmPluginConfig(input.config);
  const placement = placementFor(example);
  const image = imageFor(example);
  const lines: string[] = local
    ? [
        `# The local Higress's copy of ../wasmplugin.yaml: the same plugin and configuration, loaded from`,
        `# the file docker-compose.yaml mounts (../main.wasm) instead of a registry. Higress names the`,
        `# resource after this file and reads it at start and whenever it changes.`,
      ]
    : [
        `# The WasmPlugin resource that runs the ${example} plugin on Higress, generated from config.json.`,
        `# Push the image first (make push), then, where Higress runs: kubectl apply -f wasmplugin.yaml`,
      ];
  lines.push(
    `apiVersion: ${WASMPLUGIN_API_VERSION}`,
    'kind: WasmPlugin',
    'metadata:',
    `  name: ${example}`,
    `  namespace: ${HIGRESS_NAMESPACE}  # Higress reads WasmPlugins in its own namespace only`,
    'spec:',
  );
  if (local) {
    lines.push(
      '  # A file inside the gateway container, read by Envoy itself: no registry, no pull.',
      `  url: file://${localPluginPath(example)}`,
      '  # Ignored for file:// URLs.',
      '  imagePullPolicy: IfNotPresent',
    );
  } else {
    lines.push(
      '  # The image make push uploads (IMAGE in the Makefile): change both together, and give every',
      '  # release a new tag.',
      `  url: oci://${image}`,
      '  # IfNotPresent: the gateway pulls a tag once and keeps it, so re-pushing the same tag changes',
      '  # nothing. Always: pulled again whenever this resource changes (the default for a :latest tag).',
      '  imagePullPolicy: IfNotPresent',
      '  # A private registry: name a docker-registry Secret in higress-system, made with',
      '  #   kubectl create secret docker-registry wasm-registry-cred -n higress-system \\',
      '  #     --docker-server=registry.example.com --docker-username=… --docker-password=…',
      '  # imagePullSecret: wasm-registry-cred',
    );
  }
  lines.push(
    '  # Where in the filter chain: AUTHN, then AUTHZ, then STATS, then UNSPECIFIED_PHASE (the default:',
    '  # the end of the chain, just before the router).',
    `  phase: ${placement.phase}`,
    '  # The order within the phase: higher runs first on the request path; 0 is the default.',
    `  priority: ${placement.priority}`,
    ...failStrategyComment(placement.failStrategy),
    `  failStrategy: ${placement.failStrategy}`,
  );
  if (service) lines.push(...serviceComment(service));
  lines.push(
    '  # config.json without _rules_: the configuration for every request no rule below matches.',
    ...yamlField('defaultConfig', defaultConfig),
  );
  for (const reason of skipped) lines.push(`  # Not written: ${reason}`);
  if (matchRules.length > 0) {
    lines.push(
      '  # One rule per _rules_ entry of config.json, in order; the first that matches a request wins.',
      '  # ingress: route names (an Ingress in higress-system is <name>, elsewhere <namespace>/<name>);',
      '  # domain: hosts, *.example.com allowed; service: upstream services. Each rule\'s config is',
      '  # parsed alone, not merged with defaultConfig, so it must be complete.',
      ...yamlField('matchRules', matchRules),
    );
  } else {
    lines.push(
      '  # Per-route and per-domain configurations come from _rules_ in config.json: each entry with',
      '  # _match_route_ or _match_domain_ becomes a rule here, e.g.',
      '  # matchRules:',
      `  #   - ingress: [${LOCAL_ROUTE}]            # a route's name`,
      '  #     config: { …a complete config… }',
      '  #   - domain: ["*.example.com"]',
      '  #     config: { …a complete config… }',
    );
  }
  return `${lines.join('\n')}\n`;
}

function failStrategyComment(strategy: FailStrategy): string[] {
  return strategy === 'FAIL_OPEN'
    ? [
        '  # FAIL_OPEN: when the module cannot be fetched or its VM fails, requests skip the plugin.',
        '  # FAIL_CLOSE (the CRD default) rejects the update or answers 503 instead. Neither helps when',
        '  # the plugin rejects its configuration: the gateway then refuses the filter.',
      ]
    : [
        '  # FAIL_CLOSE (the CRD default): when the module cannot be fetched the update is rejected, and',
        '  # when its VM fails requests get 503, so nothing passes unchecked. FAIL_OPEN would skip the',
        '  # plugin instead.',
      ];
}

function serviceComment(service: ServiceSource): string[] {
  const { cluster, type, name } = service;
  if (type === undefined) {
    return [
      `  # The plugin calls ${cluster.name}: the gateway needs a service of exactly that name and port`,
      '  # (a Kubernetes, Nacos or Consul service source, or a service registered by its full name).',
    ];
  }
  const lines = [
    `  # The plugin calls ${cluster.name}: the gateway needs a ${type} service source named`,
    `  # ${name}, registered with port ${cluster.port} (higress/data/mcpbridges/default.yaml does that locally).`,
  ];
  if (type === 'static' && cluster.port !== 80) {
    lines.push('  # The console saves static sources with port 80: with one of those, set the port here to 80.');
  }
  return lines;
}

/** `key:` and its value as block YAML, indented under spec. */
function yamlField(key: string, value: unknown): string[] {
  const text = stringify({ [key]: value }, YAML_OPTIONS).trimEnd();
  return text.split('\n').map((line) => `  ${line}`);
}

// ---- the local Higress -------------------------------------------------------------------------

export interface LocalHigressInput {
  example: string;
  service?: ServiceSource | undefined;
}

/** higress/docker-compose.yaml: the all-in-one Higress, httpbin as the route's upstream, and Redis when the plugin calls one. */
export function renderHigressCompose(input: LocalHigressInput): string {
  const { example, service } = input;
  const redis = service?.backend === 'redis' ? service : undefined;
  const lines = [
    `# A real Higress on your machine with the ${example} plugin: the all-in-one image (controller,`,
    `# gateway and console in one container) at ${ALL_IN_ONE_VERSION}; Go 1.24 plugins need 2.1.5 or newer.`,
    `# Start it from the project folder with make higress (it builds main.wasm first, which must exist`,
    '# before the container starts). Gateway http://localhost:8080, console http://localhost:8001.',
    '# Higress keeps its configuration as files in ./data and reads the ones this project put there:',
    '# the route (ingresses/), the service sources (mcpbridges/default.yaml) and the plugin (wasmplugins/).',
    'services:',
    '  higress:',
    `    image: ${ALL_IN_ONE_IMAGE}`,
    '    environment:',
    '      # Plugin logs down to debug. A default gateway logs wasm at warning: no Info, no Debug.',
    '      - GATEWAY_COMPONENT_LOG_LEVEL=misc:error,wasm:debug',
    '      # Send every registered service to the gateway, not only those a route uses:',
    '      # no route uses the services the plugin calls.',
    '      - PILOT_FILTER_GATEWAY_CLUSTER_CONFIG=false',
    `    depends_on: [${redis ? 'httpbin, redis' : 'httpbin'}]`,
    '    networks: [higress-lab]',
    '    ports:',
    '      - "8080:8080"',
    '      - "8443:8443"',
    '      - "8001:8001"',
    '    volumes:',
    '      - ./data:/data',
    `      - ../main.wasm:${localPluginPath(example)}:ro`,
    '  httpbin:',
    '    image: kennethreitz/httpbin:latest',
    '    networks:',
    '      higress-lab:',
    `        ipv4_address: ${HIGRESS_HTTPBIN_IP}`,
  ];
  if (redis) {
    lines.push('  redis:', '    image: redis:7-alpine', '    networks:', '      higress-lab:', `        ipv4_address: ${HIGRESS_REDIS_IP}`);
    if (redis.type === 'dns') lines.push(`        aliases: [${REDIS_DNS_NAME}]`);
  }
  lines.push(
    'networks:',
    '  higress-lab:',
    '    ipam:',
    '      config:',
    `        - subnet: ${HIGRESS_SUBNET}`,
  );
  return `${lines.join('\n')}\n`;
}

/**
 * higress/data/mcpbridges/default.yaml: the service sources. It keeps the all-in-one image's own
 * higress-console entry (the image copies its defaults in without overwriting this file).
 */
export function renderMcpBridge(input: LocalHigressInput): string {
  const { service } = input;
  const lines = [
    '# The service sources of the local Higress (the console lists them under Service Sources).',
    '# Only the McpBridge named default in higress-system is read. static: IP:port addresses, and the',
    '# service is <name>.static; dns: host names, and it is <name>.dns. The port field is the port in',
    '# the cluster name outbound|<port>||<name>.<type>; a static source\'s real port is the one in domain.',
    'apiVersion: networking.higress.io/v1',
    'kind: McpBridge',
    'metadata:',
    '  name: default',
    `  namespace: ${HIGRESS_NAMESPACE}`,
    'spec:',
    '  registries:',
    '    # The console\'s own entry, as the all-in-one image ships it: keep it.',
    '    - name: higress-console',
    '      type: static',
    '      domain: 127.0.0.1:8001',
    '      port: 80',
    `    # The route's upstream: httpbin.static:80 (ingresses/${LOCAL_ROUTE}.yaml).`,
    '    - name: httpbin',
    '      type: static',
    `      domain: ${HIGRESS_HTTPBIN_IP}:80`,
    '      port: 80',
  ];
  if (service && service.type !== undefined) {
    const { cluster, type, name, backend } = service;
    lines.push(`    # What the plugin calls: ${cluster.name}.`);
    if (type === 'static' && cluster.port !== 80) {
      lines.push('    # The console would save this source with port 80: edit it here, not there.');
    }
    if (backend === 'http') {
      lines.push(`    # This project does not start that service: replace the address with your service's${type === 'static' ? ' IP:port' : ' host name'}.`);
    }
    lines.push(`    - name: ${name}`, `      type: ${type}`, `      domain: ${registryDomain(service)}`, `      port: ${cluster.port}`);
  } else if (service) {
    lines.push(
      `    # The plugin calls ${service.cluster.name}, which no static or dns source can name:`,
      '    # register that service where it lives (Kubernetes, Nacos, Consul) on a real Higress.',
    );
  }
  return `${lines.join('\n')}\n`;
}

/** higress/data/ingresses/httpbin.yaml: one route, everything to httpbin. */
export function renderIngress(): string {
  return `# The route of the local Higress: every path to httpbin. Higress names it ${LOCAL_ROUTE} (an Ingress in
# higress-system is named <name>), so a matchRules entry with ingress: [${LOCAL_ROUTE}] applies to it.
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${LOCAL_ROUTE}
  namespace: ${HIGRESS_NAMESPACE}
  labels:
    higress.io/resource-definer: higress
  annotations:
    higress.io/destination: httpbin.static:80
spec:
  rules:
    - http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              resource:
                apiGroup: networking.higress.io
                kind: McpBridge
                name: default
`;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
