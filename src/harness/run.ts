/**
 * runScenario: the one entry point the CLI, the playground Worker and the tests share. It turns a
 * scenario into a gateway plan (requests with their pseudo-headers and properties, clusters, the
 * mock upstream), starts the plugin VM, runs the timeline and checks the outcomes against the
 * scenario's expect blocks.
 */
import { LOG_LEVEL_NAMES } from './abi/enums.ts';
import { utf8 } from './abi/memory.ts';
import type { PropertyScalar } from './abi/property.ts';
import type { Pairs } from './abi/pair-map.ts';
import { checkScenario, type ScenarioChecks } from './checks.ts';
import { Gateway, type GatewayPlan, type PlannedRequest, type StartupReport } from './gateway.ts';
import type { MetricRecord } from './host/metrics.ts';
import { describeModule, isWasmBinary, type ModuleInfo } from './module-info.ts';
import type { Outcome } from './outcome.ts';
import { memoryRedisBackend, type RedisBackend, type RedisClusterSpec, type RedisDatabaseSnapshot } from './redis-backend.ts';
import { ModuleError } from './run-errors.ts';
import type { GuestCallProbe } from './worker/guest-calls.ts';
import { expandRequests, resolveClusters, resolveTiming, type ExpandedRequest, type Scenario } from './scenario.ts';

export interface RunOptions {
  /** The compiled plugin, or its bytes. */
  module: WebAssembly.Module | Uint8Array;
  scenario: Scenario;
  /** Replaces the scenario's config (the CLI's --config). */
  config?: unknown;
  /** Used when neither --config nor the scenario gives one (an example's config.json). */
  defaultConfig?: unknown;
  /** Where Redis commands go; the embedded engine when absent. */
  redis?: (clusters: RedisClusterSpec[]) => RedisBackend;
  isTraced?: boolean;
  /** The property plugin_name; defaults to the scenario's plugin. */
  pluginName?: string;
  /** The plugin's WASI environment, e.g. WASM_DISABLE_PANIC_RECOVERY=true. */
  env?: Record<string, string>;
  /** Called as each request arrives, for progress. */
  onRequest?: (request: Pick<PlannedRequest, 'index' | 'method' | 'path' | 'atMs'>) => void;
  /** Told about every guest call, for the watchdog (worker/guest-calls.ts); nothing is told when absent. */
  guestCalls?: GuestCallProbe;
}

export interface RunResult {
  outcomes: Outcome[];
  /** Log lines and trace from start-up (configure) and from callbacks not tied to a request. */
  startup: StartupReport;
  /** Keys per Redis cluster and database after the run (embedded engine only); `db` is absent for database 0. */
  redis: RedisDatabaseSnapshot[];
  metrics: MetricRecord[];
  module: Pick<ModuleInfo, 'abiVersions' | 'entryPoint' | 'imports'>;
  /** Real time to compile (when given bytes), instantiate and configure, in milliseconds. */
  startupMs: number;
  /** The scenario's expect blocks checked against the outcomes, as `wasm-lab test` reports them. */
  checks: ScenarioChecks;
}

/** How long a paused stream may wait in virtual time before it is reported as timed out or stalled (RATIONALE.md). */
const STREAM_TIMEOUT_MS = 15_000;

/** Compiles bytes into a module after checking they are a proxy-wasm plugin; throws ModuleError naming what is wrong. */
export async function compilePlugin(bytes: Uint8Array, label = 'the plugin'): Promise<WebAssembly.Module> {
  return checkPluginModule(await compileModule(bytes, label), label, bytes);
}

/** Compiles bytes into a module without the plugin checks (`wasm-lab inspect`); throws ModuleError when they are not wasm. */
export async function compileModule(bytes: Uint8Array, label = 'the plugin'): Promise<WebAssembly.Module> {
  if (!isWasmBinary(bytes)) {
    throw new ModuleError(`${label} is not a WebAssembly module (it does not start with \\0asm)`, 'build it with GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared');
  }
  try {
    return await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^WebAssembly\.compile\(\): /, '') : String(error);
    throw new ModuleError(`${label} is not a valid WebAssembly module: ${reason}`, 'rebuild it; a file cut short or edited by hand fails this way');
  }
}

/**
 * Throws ModuleError naming every export a gateway needs that the module lacks and every import
 * it cannot link; returns the module. With the module's `bytes`, import signatures are checked too.
 */
export function checkPluginModule(module: WebAssembly.Module, label = 'the plugin', bytes?: Uint8Array): WebAssembly.Module {
  const { problems, mismatches } = describeModule(module, bytes);
  if (problems.length === 0) return module;
  const hint = mismatches.length
    ? "a real gateway refuses a mismatched import when it links the module; declare each import as proxy-wasm-go-sdk's proxywasm/internal/abi_hostcalls.go does, or rebuild with the Higress SDK"
    : undefined;
  throw new ModuleError(`${label} cannot be loaded: ${problems.join('; ')}`, hint);
}

/** Runs a scenario against a plugin and returns one outcome per request. */
export async function runScenario(options: RunOptions): Promise<RunResult> {
  const started = performance.now();
  const module = options.module instanceof WebAssembly.Module ? options.module : await compilePlugin(options.module);
  const requests = expandRequests(options.scenario);
  const plan = buildPlan(module, options, requests);
  const gateway = new Gateway(plan);
  await gateway.start();
  const startupMs = performance.now() - started;
  const outcomes = await gateway.run();
  const info = gateway.moduleInfo;
  return {
    outcomes,
    startup: gateway.startup,
    redis: plan.redis.snapshot?.(gateway.clock.unixMs) ?? [],
    metrics: gateway.metrics.snapshot(),
    module: { abiVersions: info.abiVersions, entryPoint: info.entryPoint, imports: info.imports },
    startupMs,
    checks: checkScenario(requests, outcomes),
  };
}

function buildPlan(module: WebAssembly.Module, options: RunOptions, expanded: ExpandedRequest[]): GatewayPlan {
  const { scenario } = options;
  const config = options.config ?? scenario.config ?? options.defaultConfig ?? {};
  const clusters = resolveClusters(scenario);
  const redisSpecs: RedisClusterSpec[] = clusters.flatMap((c) =>
    c.type === 'redis' ? [{ cluster: c.envoyName, username: c.username, password: c.password, seed: c.seed, databases: c.databases }] : [],
  );
  const pluginName = options.pluginName ?? scenario.plugin?.replace(/^.*\//, '').replace(/\.wasm$/, '') ?? 'plugin';
  const { startEpochMs } = resolveTiming(scenario);
  const requests = expanded.map((r) => planRequest(r, startEpochMs));
  return {
    module,
    configuration: utf8(typeof config === 'string' ? config : JSON.stringify(config)),
    requests,
    onRequest: options.onRequest ?? (() => {}),
    ...(options.guestCalls ? { guestCalls: options.guestCalls } : {}),
    upstream: (request, headers, body) => mockUpstream(scenario, request, headers, body),
    httpClusters: new Map(
      clusters.flatMap((c) =>
        c.type === 'http'
          ? [[c.envoyName, { isDown: c.down, reply: { status: c.reply.status, headers: Object.entries(c.reply.headers), body: utf8(c.reply.body), latencyMs: c.latencyMs } }] as const]
          : [],
      ),
    ),
    redisClusters: new Map(
      clusters.flatMap((c) =>
        c.type === 'redis'
          ? [[c.envoyName, { spec: redisSpecs.find((s) => s.cluster === c.envoyName)!, isDown: c.down, latencyMs: c.latencyMs }] as const]
          : [],
      ),
    ),
    redis: (options.redis ?? memoryRedisBackend)(redisSpecs),
    vmProperties: new Map([
      ['plugin_name', utf8(pluginName)],
      ['plugin_root_id', utf8('')],
      ['plugin_vm_id', utf8('')],
    ]),
    isFailOpen: scenario.failStrategy === 'FAIL_OPEN',
    logLevel: LOG_LEVEL_NAMES.indexOf(scenario.logLevel),
    streamTimeoutMs: STREAM_TIMEOUT_MS,
    startUnixMs: startEpochMs,
    env: options.env ?? {},
    isTraced: options.isTraced ?? false,
  };
}

function planRequest(r: ExpandedRequest, startEpochMs: number): PlannedRequest {
  const headers: Pairs = [
    [':authority', r.domain],
    [':path', r.path],
    [':method', r.method],
    [':scheme', 'http'],
    ...r.headers,
  ];
  if (r.body && !r.headers.some(([k]) => k === 'content-length')) headers.push(['content-length', String(utf8(r.body).length)]);
  const [urlPath = '/', query = ''] = r.path.split('?');
  const [sourceIp = '', sourcePort = '0'] = r.source.split(/:(?=\d+$)/);
  const properties = new Map<string, PropertyScalar>();
  const set = (path: string, value: PropertyScalar) => properties.set(path, value);
  set('request.path', r.path);
  set('request.url_path', urlPath);
  set('request.query', query);
  set('request.host', r.domain);
  set('request.method', r.method);
  set('request.scheme', 'http');
  set('request.protocol', 'HTTP/1.1');
  set('request.time', BigInt(Math.round(startEpochMs + r.atMs)) * 1_000_000n);
  set('source.port', BigInt(Number(sourcePort)));
  set('destination.address', '127.0.0.1:10000');
  set('xds.route_name', r.route);
  const id = r.headers.find(([k]) => k === 'x-request-id')?.[1];
  if (id) set('request.id', id);
  if (sourceIp) set('source.address', r.source);
  for (const [path, value] of Object.entries(r.properties)) set(path, value);
  set('xds.cluster_name', String(r.properties.cluster_name ?? ''));
  return { index: r.index, atMs: r.atMs, method: r.method, path: r.path, headers, body: utf8(r.body), properties };
}

function mockUpstream(scenario: Scenario, request: PlannedRequest, headers: Pairs, body: Uint8Array) {
  const { upstream } = scenario;
  if (!upstream.echo) {
    return { status: upstream.status, headers: Object.entries(upstream.headers), body: utf8(upstream.body) };
  }
  // The request as it reached the upstream: a plugin may have rewritten :method or :path.
  const pseudo = (name: string) => headers.find(([k]) => k === name)?.[1];
  const echo = {
    method: pseudo(':method') ?? request.method,
    path: pseudo(':path') ?? request.path,
    headers: Object.fromEntries(headers.filter(([k]) => !k.startsWith(':'))),
    body: new TextDecoder().decode(body),
  };
  return { status: upstream.status, headers: [['content-type', 'application/json']] as Pairs, body: utf8(JSON.stringify(echo)) };
}
