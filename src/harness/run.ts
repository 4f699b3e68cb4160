/**
 * runScenario: the one entry point the CLI, the playground Worker and the tests share. It turns a
 * scenario into a gateway plan (requests with their pseudo-headers and properties, clusters, the
 * mock upstream), starts the plugin VM, runs the timeline and checks the outcomes against the
 * scenario's expect blocks. Requests are planned as they arrive and each outcome is checked,
 * counted and handed to `onOutcome` as its request ends, so a run that keeps no outcomes
 * (`keepOutcomes: false`) takes the same memory for a thousand requests or a million.
 */
import { LOG_LEVEL_NAMES } from './abi/enums.ts';
import { utf8 } from './abi/memory.ts';
import type { PropertyScalar } from './abi/property.ts';
import type { Pairs } from './abi/pair-map.ts';
import { ChecksCollector, type ScenarioChecks } from './checks.ts';
import type { ExpectationFailure } from './expect.ts';
import { Gateway, type ArrivingRequest, type GatewayPlan, type PlannedRequest, type StartupReport } from './gateway.ts';
import type { MetricRecord } from './host/metrics.ts';
import { describeModule, isWasmBinary, type ModuleInfo } from './module-info.ts';
import type { Outcome } from './outcome.ts';
import { memoryRedisBackend, type RedisBackend, type RedisClusterSpec, type RedisDatabaseSnapshot } from './redis-backend.ts';
import { ModuleError } from './run-errors.ts';
import { SummaryCollector, type RunSummary } from './run-summary.ts';
import type { GuestCallProbe } from './worker/guest-calls.ts';
import { requestStream, resolveClusters, resolveTiming, serviceClusterName, type ExpandedRequest, type Scenario } from './scenario.ts';
import { sentBody } from './body-chunks.ts';
import { joinChunks, type UpstreamReply } from './stream.ts';

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
  /**
   * Called with each outcome as soon as its request is over, in request order (one that ends
   * before an earlier one waits for it), with its failed expectations (null: no expect block).
   * A returned promise holds the run until it settles (backpressure for a slow reader).
   */
  onOutcome?: (outcome: Outcome, failures: ExpectationFailure[] | null) => void | Promise<void>;
  /**
   * Which outcomes RunResult.outcomes keeps: all (true, the default), none (false: only the
   * checks' failures and the summary are kept, so memory stays flat), or the first n.
   */
  keepOutcomes?: boolean | number;
  /** Stops the run after the event in progress; the result then has the outcomes so far and `interrupted`. */
  signal?: AbortSignal;
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
  /** Counts and plugin-time percentiles over every outcome, kept or not. */
  summary: RunSummary;
  /** Whether the signal stopped the run: outcomes and checks then cover the requests that were over. */
  interrupted: boolean;
}

/** A planned request with the spec it came from, for its checks. */
interface RunRequest extends PlannedRequest {
  spec: Pick<ExpandedRequest, 'specPath' | 'expect'>;
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

/** Runs a scenario against a plugin: one outcome per request, handed to onOutcome as each ends and kept as keepOutcomes says. */
export async function runScenario(options: RunOptions): Promise<RunResult> {
  const started = performance.now();
  const module = options.module instanceof WebAssembly.Module ? options.module : await compilePlugin(options.module);
  const plan = buildPlan(module, options);
  const gateway = new Gateway(plan);
  await gateway.start();
  const startupMs = performance.now() - started;
  const { keepOutcomes = true } = options;
  const keep = keepOutcomes === true ? Infinity : keepOutcomes === false ? 0 : Math.max(0, keepOutcomes);
  const outcomes: Outcome[] = [];
  const checks = new ChecksCollector(keep);
  const summary = new SummaryCollector();
  let count = 0;
  const { interrupted } = await gateway.run({
    ...(options.signal ? { signal: options.signal } : {}),
    onOutcome: (outcome, request) => {
      const failures = checks.add(outcome, (request as RunRequest).spec);
      summary.add(outcome);
      count++;
      if (outcomes.length < keep) outcomes.push(outcome);
      return options.onOutcome?.(outcome, failures);
    },
  });
  const info = gateway.moduleInfo;
  const snapshot = plan.redis.snapshot?.(gateway.clock.unixMs);
  return {
    outcomes,
    startup: gateway.startup,
    redis: snapshot ?? [],
    metrics: gateway.metrics.snapshot(),
    module: { abiVersions: info.abiVersions, entryPoint: info.entryPoint, imports: info.imports },
    startupMs,
    checks: checks.result(),
    summary: summary.summary(count - outcomes.length, snapshot ? snapshot.reduce((n, db) => n + db.keys.length, 0) : null),
    interrupted,
  };
}

/**
 * The scenario's requests, each planned only when it arrives. The repeats of a spec differ only in
 * index and time, so what they share (headers, body bytes, properties) is made once per spec.
 */
function* arrivals(scenario: Scenario, startEpochMs: number): Generator<ArrivingRequest, void, undefined> {
  const shared = new Map<number, SharedPlan>();
  for (const request of requestStream(scenario)) {
    yield {
      index: request.index,
      atMs: request.atMs,
      plan: () => {
        let plan = shared.get(request.specIndex);
        if (!plan) shared.set(request.specIndex, (plan = planShared(request)));
        return { ...plan, index: request.index, atMs: request.atMs, unixMs: Math.round(startEpochMs + request.atMs) };
      },
    };
  }
}

function buildPlan(module: WebAssembly.Module, options: RunOptions): GatewayPlan {
  const { scenario } = options;
  const config = options.config ?? scenario.config ?? options.defaultConfig ?? {};
  const clusters = resolveClusters(scenario);
  const redisSpecs: RedisClusterSpec[] = clusters.flatMap((c) =>
    c.type === 'redis' ? [{ cluster: c.envoyName, username: c.username, password: c.password, seed: c.seed, databases: c.databases }] : [],
  );
  const pluginName = options.pluginName ?? scenario.plugin?.replace(/^.*\//, '').replace(/\.wasm$/, '') ?? 'plugin';
  const { startEpochMs } = resolveTiming(scenario);
  return {
    module,
    configuration: utf8(typeof config === 'string' ? config : JSON.stringify(config)),
    requests: { [Symbol.iterator]: () => arrivals(scenario, startEpochMs) },
    onRequest: options.onRequest ?? (() => {}),
    ...(options.guestCalls ? { guestCalls: options.guestCalls } : {}),
    upstream: upstreamOf(scenario),
    httpClusters: httpClusterPlans(scenario, clusters),
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
    bufferLimit: scenario.bufferLimit,
    startUnixMs: startEpochMs,
    env: options.env ?? {},
    isTraced: options.isTraced ?? false,
  };
}

/** What every repeat of a spec sends: all of a planned request but its index and time. */
type SharedPlan = Omit<RunRequest, 'index' | 'atMs' | 'unixMs'>;

function planShared(r: ExpandedRequest): SharedPlan {
  const headers: Pairs = [
    [':authority', r.domain],
    [':path', r.path],
    [':method', r.method],
    [':scheme', 'http'],
    ...r.headers,
  ];
  const body = sentBody(r.body);
  const bytes = joinChunks(body.chunks);
  // A body sent in chunks has no length up front (HTTP/1.1 chunked transfer).
  if (bytes.length > 0 && !body.isChunked && !r.headers.some(([k]) => k === 'content-length')) headers.push(['content-length', String(bytes.length)]);
  const [urlPath = '/', query = ''] = r.path.split('?');
  const [sourceIp = '', sourcePort = '0'] = r.source.split(/:(?=\d+$)/);
  // request.time differs per request: the gateway makes it from unixMs unless a property sets it.
  const properties = new Map<string, PropertyScalar>([
    ['request.path', r.path],
    ['request.url_path', urlPath],
    ['request.query', query],
    ['request.host', r.domain],
    ['request.method', r.method],
    ['request.scheme', 'http'],
    ['request.protocol', 'HTTP/1.1'],
    ['source.port', BigInt(Number(sourcePort))],
    ['destination.address', '127.0.0.1:10000'],
    ['xds.route_name', r.route],
  ]);
  const id = r.headers.find(([k]) => k === 'x-request-id')?.[1];
  if (id) properties.set('request.id', id);
  if (sourceIp) properties.set('source.address', r.source);
  for (const [path, value] of Object.entries(r.properties)) properties.set(path, value);
  properties.set('xds.cluster_name', String(r.properties.cluster_name ?? ''));
  return {
    method: r.method, path: r.path, headers, properties,
    body: bytes, chunks: body.chunks, trailers: r.trailers, isChunked: body.isChunked,
    spec: { specPath: r.specPath, expect: r.expect },
  };
}

/**
 * The HTTP clusters a plugin can call: the scenario's, and the route's own cluster (the service's
 * outbound|<port>||<name>), which always exists on a gateway and answers like the mock upstream.
 */
function httpClusterPlans(scenario: Scenario, clusters: ReturnType<typeof resolveClusters>): GatewayPlan['httpClusters'] {
  const plans: GatewayPlan['httpClusters'] = new Map();
  for (const c of clusters) {
    if (c.type !== 'http') continue;
    const body = sentBody(c.reply.body);
    const reply: UpstreamReply = { status: c.reply.status, headers: Object.entries(c.reply.headers), trailers: [], ...body };
    plans.set(c.envoyName, { isDown: c.down, latencyMs: c.latencyMs, reply: () => reply });
  }
  const routeCluster = serviceClusterName(scenario.service);
  if (!plans.has(routeCluster) && !clusters.some((c) => c.envoyName === routeCluster)) {
    plans.set(routeCluster, { isDown: false, latencyMs: 0, reply: (call) => mockUpstream(scenario, { ...call, trailers: [] }) });
  }
  return plans;
}

/** The route's upstream: the scenario's reply, made once (the stream never changes a reply's arrays or bytes), or an echo of each request. */
function upstreamOf(scenario: Scenario): GatewayPlan['upstream'] {
  if (scenario.upstream.echo) return (_request, received) => mockUpstream(scenario, received);
  const reply = mockUpstream(scenario, { headers: [], body: new Uint8Array(0), trailers: [] });
  return () => reply;
}

/** The mock upstream's answer to what it received: the scenario's reply, or an echo of the request. */
function mockUpstream(scenario: Scenario, received: { headers: Pairs; body: Uint8Array; trailers: Pairs }): UpstreamReply {
  const { upstream } = scenario;
  const trailers = Object.entries(upstream.trailers);
  if (!upstream.echo) {
    const body = sentBody(upstream.body);
    const headers = upstream.headers ?? { 'content-type': body.hasEvents ? 'text/event-stream' : 'application/json' };
    return { status: upstream.status, headers: Object.entries(headers), trailers, chunks: body.chunks, isChunked: body.isChunked };
  }
  // The request as it reached the upstream: a plugin may have rewritten :method or :path.
  const pseudo = (name: string) => received.headers.find(([k]) => k === name)?.[1] ?? '';
  const echo = {
    method: pseudo(':method'),
    path: pseudo(':path'),
    headers: Object.fromEntries(received.headers.filter(([k]) => !k.startsWith(':'))),
    body: new TextDecoder().decode(received.body),
  };
  return { status: upstream.status, headers: [['content-type', 'application/json']], trailers, chunks: [{ bytes: utf8(JSON.stringify(echo)), afterMs: 0 }], isChunked: false };
}
