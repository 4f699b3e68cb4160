/**
 * The deploy files of every starter project: the WasmPlugin generated from config.json (fields,
 * types and enums of the CRD; `_rules_` back through the site's matchRules translator to the same
 * rules), the Dockerfile's image layout, and the local Higress in higress/ (the all-in-one image,
 * the mounted plugin, and every cluster the plugin's config calls registered as a service source).
 */
import { isIP } from 'node:net';
import { describe, expect, test } from 'vitest';
import { translateMatchRules } from '../../../../src/site/match-rules.ts';
import {
  ALL_IN_ONE_IMAGE,
  HIGRESS_REDIS_IP,
  imageFor,
  localPluginPath,
  placementFor,
  REDIS_DNS_NAME,
  serviceSourceFor,
  wasmPluginConfig,
} from '../../../../src/playground/starter/higress.ts';
import { redisClusterFor } from '../../../../src/playground/starter/redis-cluster.ts';
import { buildStarterProject, localWasmPluginFile, starterFileNames } from '../../../../src/playground/starter/starter-project.ts';
import { examplesWithConfig, readExampleFiles } from './example-files.ts';
import { imageVersion, isAtLeast } from './gateway-yaml.ts';
import { parseKubernetesYaml, wasmPluginProblems } from './wasmplugin-schema.ts';

const EXAMPLES = examplesWithConfig();

function project(example: string, config?: string) {
  const files = readExampleFiles(example);
  return buildStarterProject({ example, files, config: config ?? files['config.json']!, scenario: files['scenario.yaml']!, origin: 'init' });
}

interface Registry { name: string; type: string; domain: string; port: number }
interface ComposeService {
  image: string;
  environment?: string[];
  volumes?: string[];
  networks?: string[] | Record<string, { ipv4_address?: string; aliases?: string[] }>;
}

const registries = (files: Record<string, string>) =>
  ((parseKubernetesYaml(files['higress/data/mcpbridges/default.yaml']!) as { spec: { registries: Registry[] } }).spec.registries);
const composeServices = (files: Record<string, string>) =>
  (parseKubernetesYaml(files['higress/docker-compose.yaml']!) as { services: Record<string, ComposeService> }).services;
const networkOf = (service: ComposeService) => (Array.isArray(service.networks) ? undefined : service.networks?.['higress-lab']);
type Spec = { url: string; defaultConfig: Record<string, unknown>; matchRules?: unknown[] };
const spec = (yaml: string) => (parseKubernetesYaml(yaml) as { spec: Spec }).spec;

/** Dockerfile instructions, comments and blank lines dropped, continuations joined. */
function dockerInstructions(dockerfile: string): Array<{ op: string; args: string[] }> {
  return dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [op, ...args] = l.split(/\s+/);
      return { op: op!.toUpperCase(), args };
    });
}

test('finds the examples with a config.json, redis-limiter among them', () => {
  expect(EXAMPLES).toContain('redis-limiter');
  expect(EXAMPLES.length).toBeGreaterThan(10);
});

describe.each(EXAMPLES)('%s', (example) => {
  const files = project(example);
  const config = JSON.parse(readExampleFiles(example)['config.json']!) as unknown;

  test('has exactly the starter files, the local WasmPlugin named after the plugin', () => {
    expect(Object.keys(files).sort()).toEqual(starterFileNames(example).sort());
  });

  test.each(['wasmplugin.yaml', 'local'])('%s is a WasmPlugin with the CRD\'s fields, types and enum values', (which) => {
    const name = which === 'local' ? localWasmPluginFile(example) : which;
    const doc = parseKubernetesYaml(files[name]!);
    expect(wasmPluginProblems(doc)).toEqual([]);
    expect(doc).toMatchObject({ metadata: { name: example, namespace: 'higress-system' } });
    expect(doc).toMatchObject({ spec: placementFor(example) });
  });

  test('wasmplugin.yaml pulls the image the Makefile builds, with a commented imagePullSecret', () => {
    const makefileImage = /^IMAGE \?= (\S+)$/m.exec(files['Makefile']!)?.[1];
    expect(makefileImage).toBe(imageFor(example));
    expect(spec(files['wasmplugin.yaml']!).url).toBe(`oci://${makefileImage}`);
    expect(files['wasmplugin.yaml']).toMatch(/^ {2}# imagePullSecret: \S+$/m);
  });

  test('the local WasmPlugin differs only in its file:// url, which is where compose mounts main.wasm', () => {
    const local = spec(files[localWasmPluginFile(example)]!);
    const { url: _u1, ...restLocal } = local;
    const { url: _u2, ...restMain } = spec(files['wasmplugin.yaml']!);
    expect(restLocal).toEqual(restMain);
    expect(local.url).toBe(`file://${localPluginPath(example)}`);
    const volumes = composeServices(files)['higress']!.volumes!;
    expect(volumes).toContain(`../main.wasm:${localPluginPath(example)}:ro`);
    expect(volumes).toContain('./data:/data');
  });

  test('_rules_ goes through matchRules and back to the same plugin configuration', () => {
    for (const name of ['wasmplugin.yaml', localWasmPluginFile(example)]) {
      const translated = translateMatchRules(parseKubernetesYaml(files[name]!), 'en');
      expect(translated.json, name).toEqual(config);
    }
  });

  test('defaultConfig is config.json without _rules_', () => {
    const { _rules_: _, ...rest } = config as Record<string, unknown>;
    expect(spec(files['wasmplugin.yaml']!).defaultConfig).toEqual(rest);
  });

  test('the Dockerfile gives the layout the gateway accepts: plugin.wasm in the last (only) layer', () => {
    const steps = dockerInstructions(files['Dockerfile']!);
    expect(steps.filter((s) => s.op === 'FROM')).toEqual([{ op: 'FROM', args: ['scratch'] }]);
    expect(steps[0]!.op).toBe('FROM');
    const layers = steps.filter((s) => ['COPY', 'ADD', 'RUN'].includes(s.op));
    expect(layers).toEqual([{ op: 'COPY', args: ['main.wasm', './plugin.wasm'] }]);
    expect(steps.at(-1)).toEqual(layers[0]);
    // .dockerignore excludes everything but the file the COPY needs.
    expect(files['.dockerignore']!.split('\n').filter((l) => l && !l.startsWith('#'))).toEqual(['*', '!main.wasm']);
  });

  test('every cluster the plugin\'s config calls is registered as a service source of the local Higress', () => {
    const cluster = redisClusterFor(config);
    const found = registries(files);
    expect(found.slice(0, 2).map((r) => r.name)).toEqual(['higress-console', 'httpbin']);
    if (!cluster) {
      expect(found).toHaveLength(2);
      return;
    }
    const source = serviceSourceFor(cluster, readExampleFiles(example)['main.go']!)!;
    const registry = found.find((r) => `${r.name}.${r.type}` === cluster.fqdn);
    expect(registry, `no service source gives ${cluster.fqdn}`).toBeDefined();
    // Higress's cluster for it: outbound|<registry port>||<name>.<type>, exactly what the plugin calls.
    expect(`outbound|${registry!.port}||${registry!.name}.${registry!.type}`).toBe(cluster.name);
    if (source.backend === 'redis') {
      expect(registry!.domain).toBe(`${HIGRESS_REDIS_IP}:6379`);
      expect(networkOf(composeServices(files)['redis']!)?.ipv4_address).toBe(HIGRESS_REDIS_IP);
    } else {
      expect(files['higress/data/mcpbridges/default.yaml']).toContain('replace the address with your service');
    }
  });
});

describe('the local Higress', () => {
  const files = project('redis-limiter');

  test('runs a pinned all-in-one image that loads Go 1.24 plugins (≥ 2.1.5)', () => {
    const higress = composeServices(files)['higress']!;
    expect(higress.image).toBe(ALL_IN_ONE_IMAGE);
    expect(higress.image).toMatch(/^higress-registry\.cn-hangzhou\.cr\.aliyuncs\.com\/higress\/all-in-one:\d+\.\d+\.\d+$/);
    expect(isAtLeast(imageVersion(higress.image)!, [2, 1, 5])).toBe(true);
  });

  test('pushes unrouted services to the gateway and logs plugins at debug', () => {
    const env = composeServices(files)['higress']!.environment!;
    expect(env).toContain('PILOT_FILTER_GATEWAY_CLUSTER_CONFIG=false');
    expect(env).toContain('GATEWAY_COMPONENT_LOG_LEVEL=misc:error,wasm:debug');
  });

  test('routes every path to httpbin, a registered static service at httpbin\'s address', () => {
    const ingress = parseKubernetesYaml(files['higress/data/ingresses/httpbin.yaml']!) as {
      metadata: { name: string; namespace: string; annotations: Record<string, string> };
      spec: { rules: Array<{ http: { paths: Array<{ path: string; backend: { resource: { kind: string; name: string } } }> } }> };
    };
    expect(ingress.metadata).toMatchObject({ name: 'httpbin', namespace: 'higress-system' });
    const [host, port] = ingress.metadata.annotations['higress.io/destination']!.split(':');
    const registry = registries(files).find((r) => `${r.name}.${r.type}` === host);
    expect(registry).toMatchObject({ type: 'static', port: Number(port) });
    const [ip] = registry!.domain.split(':');
    expect(networkOf(composeServices(files)['httpbin']!)?.ipv4_address).toBe(ip);
    expect(ingress.spec.rules[0]!.http.paths[0]).toMatchObject({ path: '/', backend: { resource: { kind: 'McpBridge', name: 'default' } } });
  });

  test('registers static sources as IP:port, the McpBridge named default in higress-system', () => {
    const bridge = parseKubernetesYaml(files['higress/data/mcpbridges/default.yaml']!) as { metadata: object; spec: { registries: Registry[] } };
    expect(bridge).toMatchObject({ apiVersion: 'networking.higress.io/v1', kind: 'McpBridge', metadata: { name: 'default', namespace: 'higress-system' } });
    for (const r of bridge.spec.registries.filter((x) => x.type === 'static')) {
      const [ip, port] = r.domain.split(':');
      expect(isIP(ip!), r.domain).toBeGreaterThan(0);
      expect(Number.isInteger(Number(port))).toBe(true);
      expect(Number.isInteger(r.port)).toBe(true);
    }
  });

  test('registers a .dns Redis as a dns source whose name resolves to the Redis container', () => {
    const dns = project('redis-limiter', '{"serviceName":"redis.dns","qpm":3}');
    expect(registries(dns).at(-1)).toEqual({ name: 'redis', type: 'dns', domain: REDIS_DNS_NAME, port: 6379 });
    // Higress's dns sources take dotted names with a 2–6 letter TLD (registry/direct/watcher.go).
    expect(REDIS_DNS_NAME).toMatch(/^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,6}$/);
    expect(networkOf(composeServices(dns)['redis']!)?.aliases).toEqual([REDIS_DNS_NAME]);
    expect(spec(dns['wasmplugin.yaml']!).defaultConfig).toEqual({ serviceName: 'redis.dns', qpm: 3 });
  });

  test('says a static source from the console has port 80 when the config uses another', () => {
    expect(files['wasmplugin.yaml']).toContain('The console saves static sources with port 80');
    const port80 = project('redis-limiter', '{"serviceName":"redis.static","qpm":3}');
    expect(port80['wasmplugin.yaml']).not.toContain('The console saves static sources with port 80');
    expect(registries(port80).at(-1)).toMatchObject({ name: 'redis', port: 80, domain: `${HIGRESS_REDIS_IP}:6379` });
  });

  test('a service no static or dns source can name is left to the reader, in a comment', () => {
    const k8s = project('redis-limiter', '{"serviceName":"redis.cache.svc.cluster.local","servicePort":6379,"qpm":3}');
    expect(registries(k8s)).toHaveLength(2);
    expect(k8s['higress/data/mcpbridges/default.yaml']).toContain('outbound|6379||redis.cache.svc.cluster.local');
  });
});

describe('wasmPluginConfig', () => {
  test('turns _rules_ into matchRules, one match list each, the rest as the rule\'s config', () => {
    const config = {
      serviceName: 'redis.static', qpm: 100,
      _rules_: [
        { _match_route_: ['httpbin'], serviceName: 'redis.static', qpm: 10 },
        { _match_domain_: ['*.example.com'], serviceName: 'redis.static', qpm: 1000 },
        { _match_service_: ['httpbin.static:80'], serviceName: 'redis.static', qpm: 5 },
      ],
    };
    expect(wasmPluginConfig(config)).toEqual({
      defaultConfig: { serviceName: 'redis.static', qpm: 100 },
      matchRules: [
        { ingress: ['httpbin'], config: { serviceName: 'redis.static', qpm: 10 } },
        { domain: ['*.example.com'], config: { serviceName: 'redis.static', qpm: 1000 } },
        { service: ['httpbin.static:80'], config: { serviceName: 'redis.static', qpm: 5 } },
      ],
      skipped: [],
    });
    const limiter = project('redis-limiter', JSON.stringify(config));
    expect(wasmPluginProblems(parseKubernetesYaml(limiter['wasmplugin.yaml']!))).toEqual([]);
    expect(translateMatchRules(parseKubernetesYaml(limiter['wasmplugin.yaml']!)).json).toEqual(config);
  });

  test('keeps a route + service rule whole, as Higress writes it', () => {
    const config = { _rules_: [{ _match_route_: ['a'], _match_service_: ['s.dns'], x: 1 }] };
    expect(wasmPluginConfig(config).matchRules).toEqual([{ ingress: ['a'], service: ['s.dns'], config: { x: 1 } }]);
  });

  test('leaves out, and names, entries no WasmPlugin could produce', () => {
    const result = wasmPluginConfig({ a: 1, _rules_: [{ x: 1 }, { _match_route_: 'r' }, { _match_route_prefix_: ['/a'] }, 3, { _match_domain_: ['d'] }] });
    expect(result.matchRules).toEqual([{ domain: ['d'], config: {} }]);
    expect(result.skipped).toEqual([
      '_rules_[0] has no _match_route_, _match_domain_ or _match_service_ list, and Higress rejects a rule without one.',
      '_rules_[1] has a _match_route_ that is not a list of names.',
      '_rules_[2] has _match_route_prefix_, which no WasmPlugin field produces.',
      '_rules_[3] is not an object.',
    ]);
    const yaml = project('redis-limiter', JSON.stringify({ serviceName: 'redis.static', qpm: 1, _rules_: [{ qpm: 2 }] }))['wasmplugin.yaml']!;
    expect(yaml).toContain('  # Not written: _rules_[0] has no _match_route_');
    expect(wasmPluginProblems(parseKubernetesYaml(yaml))).toEqual([]);
  });

  test('gives an empty defaultConfig for a config that is not an object', () => {
    expect(wasmPluginConfig([1, 2])).toMatchObject({ defaultConfig: {}, matchRules: [] });
    expect(wasmPluginProblems(parseKubernetesYaml(project('hello-world', '[1, 2]')['wasmplugin.yaml']!))).toEqual([]);
  });

  test('quotes strings Kubernetes would read as booleans or numbers', () => {
    const config = { on: 'on', yes: 'yes', n: '0777', list: ['off', 'y'] };
    const yaml = project('hello-world', JSON.stringify(config))['wasmplugin.yaml']!;
    expect(spec(yaml).defaultConfig).toEqual(config);
  });
});

test('makes the same files every time', () => {
  expect(project('redis-limiter')).toEqual(project('redis-limiter'));
  expect(project('key-auth')['wasmplugin.yaml']).toBe(project('key-auth')['wasmplugin.yaml']);
});

test('for key-auth, gives the rules and phase of the example\'s hand-written WasmPlugin', async () => {
  const { readFileSync } = await import('node:fs');
  const handWritten = spec(readFileSync(new URL('../../../../examples/key-auth/wasmplugin.yaml', import.meta.url), 'utf8')) as Spec & { phase: string };
  const generated = spec(project('key-auth')['wasmplugin.yaml']!) as Spec & { phase: string };
  expect(generated.defaultConfig).toEqual(handWritten.defaultConfig);
  expect(generated.matchRules).toEqual(handWritten.matchRules);
  expect(generated.phase).toBe(handWritten.phase);
});
