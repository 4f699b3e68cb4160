/**
 * The gateway: owns the plugin VM, the clusters (mock HTTP services, Redis), and a virtual-time
 * event queue of request arrivals, callout replies, ticks and stream deadlines. Callout replies are
 * delivered asynchronously through the root context (reference/host-abi.md §9); a trap fails the
 * request per the fail strategy and the VM is rebuilt for the next one (§14).
 */
import { LOG_LEVEL_NAMES, RedisStatus, WasmResult } from './abi/enums.ts';
import { fromUtf8, utf8 } from './abi/memory.ts';
import { encodePairs, type Pairs } from './abi/pair-map.ts';
import { VirtualClock } from './clock.ts';
import { BodyBuffer } from './host/body-buffer.ts';
import { HeaderMap } from './host/header-map.ts';
import type { CalloutStart, GatewayServices, HttpCallRequest } from './host/host-env.ts';
import { createMetrics } from './host/metrics.ts';
import { createSharedData, createSharedQueues } from './host/shared-state.ts';
import type { Outcome, UnimplementedCall } from './outcome.ts';
import { OutcomeRecorder } from './outcome-recorder.ts';
import type { RedisBackend, RedisClusterSpec, RedisConnection } from './redis-backend.ts';
import { decodeCommand, decodeResp, formatCommand, formatReply } from './redis/index.ts';
import { ConfigRejectedError, PluginTrapError, unknownClusterMessage } from './run-errors.ts';
import { EventQueue, type QueuedEvent } from './event-queue.ts';
import { encodeScalar, type PropertyScalar } from './abi/property.ts';
import { HttpStream, type UpstreamReply } from './stream.ts';
import { stallError } from './stall.ts';
import { ROOT_CONTEXT_ID, PluginVm } from './vm.ts';

export interface PlannedRequest {
  index: number;
  atMs: number;
  method: string;
  path: string;
  /** Request headers including :method, :path, :authority, :scheme. */
  headers: Pairs;
  body: Uint8Array;
  /** Built-in properties of this request (request.*, source.*, route_name…), keyed by dotted path; encoded on first read. */
  properties: Map<string, PropertyScalar>;
}

export interface HttpClusterPlan {
  reply: UpstreamReply & { latencyMs: number };
}

export interface RedisClusterPlan {
  spec: RedisClusterSpec;
  isDown: boolean;
  latencyMs: number;
}

export interface GatewayPlan {
  module: WebAssembly.Module;
  configuration: Uint8Array;
  requests: PlannedRequest[];
  upstream(request: PlannedRequest, headers: Pairs, body: Uint8Array): UpstreamReply;
  httpClusters: Map<string, HttpClusterPlan>;
  redisClusters: Map<string, RedisClusterPlan>;
  redis: RedisBackend;
  /** plugin_name, plugin_root_id… and scenario-wide properties, keyed by dotted path. */
  vmProperties: Map<string, Uint8Array>;
  isFailOpen: boolean;
  /** The gateway's wasm log level (0 trace … 5 critical): lines below it are dropped. */
  logLevel: number;
  /** Virtual time after which a stream still paused is reported (stalled or timed out). */
  streamTimeoutMs: number;
  startUnixMs: number;
  env: Record<string, string>;
  isTraced: boolean;
  /** Called as each request arrives, before any plugin code runs for it. */
  onRequest(index: number): void;
}

/** What happened outside any request: start-up (configure), ticks, callouts of finished streams. */
export interface StartupReport {
  logs: Outcome['logs'];
  trace: string[];
  /** Imports called outside a request that this gateway does not implement. */
  unimplemented: UnimplementedCall[];
}

interface ActiveStream {
  stream: HttpStream;
  recorder: OutcomeRecorder;
  request: PlannedRequest;
  pendingCallouts: number;
  deadline?: QueuedEvent;
}

export class Gateway {
  readonly clock: VirtualClock;
  readonly startup: StartupReport = { logs: [], trace: [], unimplemented: [] };
  readonly #plan: GatewayPlan;
  readonly #queue = new EventQueue();
  #vm: PluginVm | null = null;
  readonly #active = new Map<number, ActiveStream>();
  readonly #recorders = new Map<number, OutcomeRecorder>();
  readonly #deferred = new Set<HttpStream>();
  #nextStreamId = ROOT_CONTEXT_ID + 1;
  #nextHttpId = 0;
  #nextRedisId = 3;
  #tickPeriodMs = 0;
  #isTickScheduled = false;
  #remainingArrivals = 0;
  /** The stream a root-context callback (a callout reply) is delivered for, while it runs. */
  #callbackOwner: number | null = null;
  readonly #redisClients = new Map<string, { connection: Promise<RedisConnection>; timeoutMs: number }>();
  readonly #services: GatewayServices;
  readonly metrics = createMetrics();

  constructor(plan: GatewayPlan) {
    this.#plan = plan;
    this.clock = new VirtualClock(plan.startUnixMs);
    this.#services = {
      dispatchHttpCall: (request, streamId) => this.#dispatchHttpCall(request, streamId),
      redisInit: (cluster, username, password, timeoutMs, streamId) => this.#redisInit(cluster, username, password, timeoutMs, streamId),
      dispatchRedisCall: (cluster, query, streamId) => this.#dispatchRedisCall(cluster, query, streamId),
      setTickPeriod: (periodMs) => this.#setTickPeriod(periodMs),
      vmProperty: (path) => plan.vmProperties.get(path.join('.')),
      sharedData: createSharedData(),
      // An enqueue posts proxy_on_queue_ready to the root context, after the current callback.
      queues: createSharedQueues('', (queueId) =>
        this.#schedule(this.clock.elapsedMs, () => {
          const vm = this.#vm;
          if (vm && !vm.isDead) this.#guard(null, () => vm.invoke('proxy_on_queue_ready', [ROOT_CONTEXT_ID, queueId], ROOT_CONTEXT_ID));
        }),
      ),
      metrics: this.metrics,
      logLevel: plan.logLevel,
    };
  }

  /** Starts the VM and configures it; throws ConfigRejectedError or PluginTrapError. */
  async start(): Promise<void> {
    this.#vm = await this.#createVm();
  }

  /** Runs every request on the timeline and returns one outcome per request, in order. */
  async run(): Promise<Outcome[]> {
    this.#remainingArrivals = this.#plan.requests.length;
    for (const request of this.#plan.requests) this.#schedule(request.atMs, () => this.#arrive(request));
    for (let event = this.#queue.pop(); event; event = this.#queue.pop()) {
      this.clock.advanceTo(event.atMs);
      await event.run();
    }
    return this.#plan.requests.map((r) => this.#recorders.get(r.index)!.finish());
  }

  // ── VM lifecycle ─────────────────────────────────────────────────────────────────────────

  async #createVm(): Promise<PluginVm> {
    const { logLevel } = this.#plan;
    this.#tickPeriodMs = 0;
    this.#redisClients.clear();
    const vm = await PluginVm.create(this.#plan.module, {
      clock: this.clock,
      gateway: this.#services,
      env: this.#plan.env,
      onLog: (streamId, level, message) => {
        if (level < logLevel) return;
        const line = { level: LOG_LEVEL_NAMES[level] ?? 'info', message };
        const recorder = this.#recorderFor(streamId);
        if (recorder) recorder.logs.push(line);
        else this.startup.logs.push(line);
      },
      onUnimplemented: (streamId, module, name) => {
        const recorder = this.#recorderFor(streamId);
        if (recorder) return recorder.countUnimplemented(module, name);
        const entry = this.startup.unimplemented.find((u) => u.module === module && u.name === name);
        if (entry) entry.count++;
        else this.startup.unimplemented.push({ module, name, count: 1 });
      },
      ...(this.#plan.isTraced
        ? { onTrace: (streamId: number | null, line: string) => (this.#recorderFor(streamId)?.trace ?? this.startup.trace).push(line) }
        : {}),
    });
    if (!vm.start(this.#plan.configuration)) throw new ConfigRejectedError(this.startup.logs);
    return vm;
  }

  /** The request a log line, trace line or callout belongs to: the effective stream, else the stream a root callback runs for. */
  #recorderFor(streamId: number | null): OutcomeRecorder | undefined {
    const id = streamId ?? this.#callbackOwner;
    return id === null ? undefined : this.#active.get(id)?.recorder;
  }

  // ── requests ─────────────────────────────────────────────────────────────────────────────

  async #arrive(request: PlannedRequest): Promise<void> {
    this.#remainingArrivals--;
    this.#plan.onRequest(request.index);
    const recorder = new OutcomeRecorder(request);
    this.#recorders.set(request.index, recorder);
    if (!this.#vm || this.#vm.isDead) {
      try {
        this.#vm = await this.#createVm();
      } catch (error) {
        if (error instanceof PluginTrapError) return recorder.failByGateway(503, error);
        throw error;
      }
    }
    const vm = this.#vm;
    const id = this.#nextStreamId++;
    const stream = new HttpStream(id, request.headers, request.body, {
      vm,
      isRealStopIteration: vm.info.abiVersions.includes('0_2_100'),
      upstream: (headers, body) => this.#plan.upstream(request, headers, body),
      builtinProperty: (path) => {
        const value = request.properties.get(path.join('.'));
        return value === undefined ? undefined : encodeScalar(value);
      },
      onDeferredAction: (s) => this.#deferred.add(s),
      onFinished: (s) => this.#finished(s),
    });
    const active: ActiveStream = { stream, recorder, request, pendingCallouts: 0 };
    this.#active.set(id, active);
    active.deadline = this.#schedule(this.clock.elapsedMs + this.#plan.streamTimeoutMs, () => this.#deadline(id));
    recorder.pluginTime(() => this.#guard(stream.id, () => stream.start()));
  }

  #finished(stream: HttpStream): void {
    const active = this.#active.get(stream.id);
    if (!active) return;
    if (stream.result) active.recorder.complete(stream.result);
    // A finished stream's deadline must not drag the virtual clock forward.
    if (active.deadline) active.deadline.isCancelled = true;
    this.#active.delete(stream.id);
  }

  /** A stream still open at its deadline: waiting on a slow callout (timeout) or on nothing (stalled). */
  #deadline(streamId: number): void {
    const active = this.#active.get(streamId);
    if (!active || active.stream.isFinished) return;
    const error = stallError(active.stream, active.pendingCallouts, this.#plan.streamTimeoutMs);
    active.recorder.setError(error);
    this.#guard(streamId, () =>
      active.stream.abort({ status: 0, headers: [], body: new Uint8Array(0), source: 'gateway' }, true),
    );
    this.#active.delete(streamId);
  }

  /** Runs guest work for a stream; a trap fails the streams on that VM per the fail strategy. */
  #guard(streamId: number | null, work: () => void): void {
    try {
      work();
      this.#drainDeferred();
    } catch (error) {
      if (!(error instanceof PluginTrapError)) throw error;
      this.#failAll(error, streamId);
    }
  }

  #drainDeferred(): void {
    while (this.#deferred.size > 0) {
      const [stream] = this.#deferred;
      this.#deferred.delete(stream!);
      stream!.applyDeferred();
    }
  }

  #failAll(trap: PluginTrapError, culprit: number | null): void {
    this.#deferred.clear();
    for (const active of this.#active.values()) {
      const { stream, recorder, request } = active;
      if (stream.isFinished) continue;
      const error = trap.toJSON();
      recorder.setError(stream.id === culprit || culprit === null ? error : { ...error, message: `the VM crashed while this request was in flight: ${error.message}` });
      if (this.#plan.isFailOpen) {
        const reply = this.#plan.upstream(request, request.headers, request.body);
        stream.abort({ ...reply, headers: reply.headers, source: 'upstream' }, false);
        recorder.setUpstreamRequest(request.headers, request.body);
      } else {
        stream.abort({ status: 503, headers: [['content-length', '0']], body: new Uint8Array(0), source: 'gateway' }, false);
      }
    }
    this.#active.clear();
  }

  // ── callouts ─────────────────────────────────────────────────────────────────────────────

  #dispatchHttpCall(request: HttpCallRequest, streamId: number | null): CalloutStart {
    const cluster = this.#plan.httpClusters.get(request.cluster);
    const recorder = this.#recorderFor(streamId);
    if (!cluster) {
      recorder?.noteUnknownCluster(request.cluster, 'http');
      return { status: WasmResult.BadArgument };
    }
    const headers = new HeaderMap(request.headers);
    if (!headers.has(':path') || !headers.has(':method') || !headers.has(':authority')) return { status: WasmResult.BadArgument };
    const id = (this.#nextHttpId += 4);
    const { reply } = cluster;
    const isTimeout = request.timeoutMs > 0 && reply.latencyMs > request.timeoutMs;
    const response = isTimeout
      ? { status: 504, headers: [['content-type', 'text/plain']] as Pairs, body: utf8('upstream request timeout') }
      : reply;
    const call = { cluster: request.cluster, method: headers.get(':method')!, path: headers.get(':path')!, status: response.status };
    recorder?.httpCalls.push(call);
    this.#trackCallout(streamId, +1);
    const vm = this.#vm;
    this.#schedule(this.clock.elapsedMs + (isTimeout ? request.timeoutMs : reply.latencyMs), () => {
      this.#trackCallout(streamId, -1);
      if (vm !== this.#vm || !vm || vm.isDead) return;
      const responseHeaders = new HeaderMap([[':status', String(response.status)], ...response.headers]);
      responseHeaders.replace('content-length', String(response.body.length));
      const scope = {
        buffers: new Map([[4, new BodyBuffer(response.body, false)]]),
        calloutHeaders: responseHeaders,
        calloutTrailers: new HeaderMap(),
      };
      this.#inCallback(streamId, () =>
        vm.invoke('proxy_on_http_call_response', [ROOT_CONTEXT_ID, id, responseHeaders.size, response.body.length, 0], ROOT_CONTEXT_ID, scope),
      );
    });
    return { id };
  }

  #redisInit(clusterWithParams: string, username: string, password: string, timeoutMs: number, streamId: number | null): WasmResult {
    const cluster = clusterWithParams.split('?')[0]!;
    const plan = this.#plan.redisClusters.get(cluster);
    if (!plan) {
      const recorder = this.#recorderFor(streamId);
      if (recorder) recorder.noteUnknownCluster(cluster, 'redis');
      else this.startup.logs.push({ level: 'warn', message: unknownClusterMessage(cluster, 'redis') });
      return WasmResult.BadArgument;
    }
    const connection = this.#plan.redis.connect(plan.spec, username, password, this.clock.unixMs);
    connection.catch(() => {});
    this.#redisClients.set(cluster, { connection, timeoutMs: timeoutMs || 1000 });
    return WasmResult.Ok;
  }

  #dispatchRedisCall(cluster: string, query: Uint8Array, streamId: number | null): CalloutStart {
    const plan = this.#plan.redisClusters.get(cluster);
    const recorder = this.#recorderFor(streamId);
    if (!plan) {
      recorder?.noteUnknownCluster(cluster, 'redis');
      return { status: WasmResult.BadArgument };
    }
    const client = this.#redisClients.get(cluster);
    const timeoutMs = client?.timeoutMs ?? 1000;
    const id = (this.#nextRedisId += 4);
    const exchange = { command: safeFormatCommand(query), reply: '', cluster };
    recorder?.redis.push(exchange);
    const isTimeout = plan.latencyMs > timeoutMs;
    const failure = plan.isDown ? 'connection refused (cluster marked down)' : isTimeout ? `no reply within ${timeoutMs} ms` : !client ? 'redis_init was never called for this cluster' : null;
    // The command runs when it is sent; the reply reaches the plugin after the latency.
    const reply = failure || !client ? Promise.resolve(null) : client.connection.then((c) => c.send(query, this.clock.unixMs));
    reply.catch(() => {});
    this.#trackCallout(streamId, +1);
    const vm = this.#vm;
    this.#schedule(this.clock.elapsedMs + (isTimeout ? timeoutMs : plan.latencyMs), async () => {
      this.#trackCallout(streamId, -1);
      let bytes: Uint8Array | null = null;
      let error = failure;
      try {
        bytes = await reply;
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
      exchange.reply = error ? `(failed) ${error}` : safeFormatReply(bytes!);
      if (vm !== this.#vm || !vm || vm.isDead) return;
      const status = error ? RedisStatus.NetworkError : RedisStatus.Ok;
      const body = bytes ?? new Uint8Array(0);
      const scope = { buffers: new Map([[9, new BodyBuffer(body, false)]]) };
      this.#inCallback(streamId, () => vm.invoke('proxy_on_redis_call_response', [ROOT_CONTEXT_ID, id, status, body.length], ROOT_CONTEXT_ID, scope));
    });
    return { id };
  }

  #trackCallout(streamId: number | null, delta: number): void {
    const active = streamId === null ? undefined : this.#active.get(streamId);
    if (active) active.pendingCallouts += delta;
  }

  /** Runs a root-context callback on behalf of a stream and applies what it queued. */
  #inCallback(streamId: number | null, work: () => void): void {
    const recorder = this.#recorderFor(streamId);
    this.#callbackOwner = streamId;
    try {
      if (recorder) recorder.pluginTime(() => this.#guard(streamId, work));
      else this.#guard(streamId, work);
    } finally {
      this.#callbackOwner = null;
    }
  }

  // ── timers ───────────────────────────────────────────────────────────────────────────────

  #setTickPeriod(periodMs: number): void {
    this.#tickPeriodMs = periodMs;
    if (periodMs > 0 && !this.#isTickScheduled) this.#scheduleTick();
  }

  #scheduleTick(): void {
    this.#isTickScheduled = true;
    this.#schedule(this.clock.elapsedMs + this.#tickPeriodMs, () => {
      this.#isTickScheduled = false;
      const vm = this.#vm;
      if (!vm || vm.isDead || this.#tickPeriodMs === 0) return;
      this.#guard(null, () => vm.invoke('proxy_on_tick', [ROOT_CONTEXT_ID], ROOT_CONTEXT_ID));
      // Ticks only matter while something can still happen: keep them going while requests
      // are in flight or still to come.
      if (this.#active.size > 0 || this.#remainingArrivals > 0) this.#scheduleTick();
    });
  }

  #schedule(atMs: number, run: () => Promise<void> | void): QueuedEvent {
    return this.#queue.push(atMs, run);
  }
}


function safeFormatCommand(query: Uint8Array): string {
  try {
    return formatCommand(decodeCommand(query).map((a) => fromUtf8(a)));
  } catch {
    return `<${query.length} bytes that are not a RESP command>`;
  }
}

function safeFormatReply(bytes: Uint8Array): string {
  try {
    return formatReply(decodeResp(bytes).value);
  } catch {
    return `<${bytes.length} bytes that are not a RESP reply>`;
  }
}

export { encodePairs };
