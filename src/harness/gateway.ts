/**
 * The gateway: owns the plugin VM, the clusters (mock HTTP services, Redis), and a virtual-time
 * event queue of request arrivals, callout replies, ticks and stream deadlines. Callout replies are
 * delivered asynchronously through the root context (reference/host-abi.md §9); a trap fails the
 * request per the fail strategy and the VM is rebuilt for the next one (§14).
 *
 * Memory does not grow with the number of requests: requests are read from the plan as they are
 * due, a stream's deadline enters the queue only when it could fire, and each outcome goes to the
 * sink as soon as its request is over (see "Lazy timeline" below).
 */
import { LOG_LEVEL_NAMES } from './abi/enums.ts';
import type { Pairs } from './abi/pair-map.ts';
import { encodeScalar, type PropertyScalar } from './abi/property.ts';
import { VirtualClock } from './clock.ts';
import { Clusters } from './clusters.ts';
import { EventQueue, type QueuedEvent } from './event-queue.ts';
import { MinHeap } from './min-heap.ts';
import type { GatewayServices } from './host/host-env.ts';
import type { ModuleInfo } from './module-info.ts';
import { createMetrics } from './host/metrics.ts';
import { createSharedData, createSharedQueues } from './host/shared-state.ts';
import type { Outcome, UnimplementedCall } from './outcome.ts';
import { OutcomeRecorder } from './outcome-recorder.ts';
import type { RedisBackend, RedisClusterSpec } from './redis-backend.ts';
import { ConfigRejectedError, PluginTrapError } from './run-errors.ts';
import { HttpStream, joinChunks, type BodyChunk, type UpstreamReply } from './stream.ts';
import { stallError } from './stall.ts';
import { ROOT_CONTEXT_ID, PluginVm } from './vm.ts';
import type { GuestCallProbe } from './worker/guest-calls.ts';

export interface PlannedRequest {
  index: number;
  atMs: number;
  method: string;
  path: string;
  /** Request headers including :method, :path, :authority, :scheme. */
  headers: Pairs;
  /** The whole body, and the chunks it is sent in (one chunk, or the scenario's list). */
  body: Uint8Array;
  chunks: BodyChunk[];
  /** Empty when the request has no trailers. */
  trailers: Pairs;
  /** Whether the scenario wrote the body as a list of chunks. */
  isChunked: boolean;
  /**
   * Built-in properties of this request (request.*, source.*, route_name…), keyed by dotted path;
   * encoded on read. The repeats of a spec share them: request.time, the one that differs, is
   * made from `unixMs` when the map has none.
   */
  properties: ReadonlyMap<string, PropertyScalar>;
  /** When the request arrived, Unix ms. */
  unixMs: number;
}

/** A request of the plan before it arrives: when, and how to build it then (run.ts makes these one at a time). */
export interface ArrivingRequest {
  index: number;
  atMs: number;
  plan(): PlannedRequest;
}

/** Where a run's outcomes go, and how it can be stopped. */
export interface OutcomeSink {
  /**
   * Called with each outcome as soon as its request is over, in request order: one that ends
   * before an earlier one waits for it. A returned promise holds the run until it settles.
   */
  onOutcome?(outcome: Outcome, request: PlannedRequest): void | Promise<void>;
  /** Stops the run after the event in progress; the run then yields to the event loop now and then so an abort can come in. */
  signal?: AbortSignal;
}

export interface HttpClusterPlan {
  /** The reply to one call; Envoy's async client hands the plugin the whole body once it has all of it (§9.1). */
  reply(call: { headers: Pairs; body: Uint8Array }): UpstreamReply;
  latencyMs: number;
  /** Every call fails as a reset: the callback gets no headers, no body (host-abi.md §9.1). */
  isDown: boolean;
}

export interface RedisClusterPlan {
  spec: RedisClusterSpec;
  isDown: boolean;
  latencyMs: number;
}

export interface GatewayPlan {
  module: WebAssembly.Module;
  configuration: Uint8Array;
  /** The requests in order of arrival (index 0, 1, 2…, atMs never decreasing), read only as each is due. */
  requests: Iterable<ArrivingRequest>;
  upstream(request: PlannedRequest, received: { headers: Pairs; body: Uint8Array; trailers: Pairs }): UpstreamReply;
  httpClusters: Map<string, HttpClusterPlan>;
  redisClusters: Map<string, RedisClusterPlan>;
  redis: RedisBackend;
  /** plugin_name, plugin_root_id… and scenario-wide properties, keyed by dotted path. */
  vmProperties: Map<string, Uint8Array>;
  isFailOpen: boolean;
  /** The gateway's wasm log level (0 trace … 5 critical): lines below it are dropped. */
  logLevel: number;
  /** Virtual time a stream may stay idle (nothing arriving, nothing resuming it) before it is reported as stalled or timed out. */
  streamTimeoutMs: number;
  /** The per-stream buffer limit in bytes (Higress's downstream.connectionBufferLimits). */
  bufferLimit: number;
  startUnixMs: number;
  env: Record<string, string>;
  isTraced: boolean;
  /** Called as each request arrives, before any plugin code runs for it. */
  onRequest(request: PlannedRequest): void;
  /** Told about every guest call, with the request it runs for, for the watchdog. */
  guestCalls?: GuestCallProbe;
}

/** What happened outside any request: start-up (configure), ticks, callouts of finished streams. */
export interface StartupReport {
  logs: Outcome['logs'];
  trace: string[];
  /** Imports called outside a request that this gateway does not implement. */
  unimplemented: UnimplementedCall[];
}

interface ActiveStream extends DeadlineEntry {
  stream: HttpStream;
  recorder: OutcomeRecorder;
  request: PlannedRequest;
  pendingCallouts: number;
  /** The deadline's event, once it is in the queue. */
  deadline?: QueuedEvent;
}

export class Gateway {
  readonly clock: VirtualClock;
  readonly startup: StartupReport = { logs: [], trace: [], unimplemented: [] };
  readonly #plan: GatewayPlan;
  readonly #queue = new EventQueue();
  #vm: PluginVm | null = null;
  readonly #active = new Map<number, ActiveStream>();
  /** Requests that arrived and whose outcome has not gone to the sink, by index (in order of arrival). */
  readonly #open = new Map<number, OutcomeRecorder>();
  /** The index of the next outcome the sink gets. */
  #nextOutcome = 0;
  #sink: OutcomeSink = {};
  readonly #deferred = new Set<HttpStream>();
  /** The requests still to come, the next one read ahead, and how many arrivals are queued. */
  #arrivals: Iterator<ArrivingRequest> | null = null;
  #nextArrival: ArrivingRequest | undefined;
  #queuedArrivals = 0;
  /** Deadlines of streams not yet in the queue (see #armUpTo), and the order they were set in. */
  readonly #deadlines = new DeadlineHeap<ActiveStream>();
  #deadlineOrder = 0;
  /** The stream whose guest work is running (#guard): the request a callout started now belongs to. */
  #guardStream: number | null = null;
  #nextStreamId = ROOT_CONTEXT_ID + 1;
  /** When the event now running was due: what a chunk passed on in it is stamped with (clock reads tick past it). */
  #eventAtMs = 0;
  #tickPeriodMs = 0;
  #isTickScheduled = false;
  /** The stream a root-context callback (a callout reply) is delivered for, while it runs. */
  #callbackOwner: number | null = null;
  /** The request arriving while its VM is (re)built, so start-up calls of a new VM name it. */
  #arriving = -1;
  readonly #clusters: Clusters;
  readonly #services: GatewayServices;
  readonly metrics = createMetrics();

  constructor(plan: GatewayPlan) {
    this.#plan = plan;
    this.clock = new VirtualClock(plan.startUnixMs);
    this.#clusters = new Clusters(plan, {
      clock: this.clock,
      schedule: (atMs, run) => this.#scheduleCallout(atMs, run),
      recorderFor: (streamId) => this.#recorderFor(streamId),
      trackCallout: (streamId, delta) => this.#trackCallout(streamId, delta),
      deliver: (vm, streamId, exportName, args, scope) => {
        if (vm !== this.#vm || vm.isDead) return;
        // The reply's callback runs in the root context, on behalf of the stream that made the call.
        this.#recorderFor(streamId)?.sequence?.add({ from: 'gateway', to: 'plugin', kind: 'callback', label: exportName });
        this.#inCallback(streamId, () => vm.invoke(exportName, args, ROOT_CONTEXT_ID, scope));
      },
      currentVm: () => this.#vm,
      startupLogs: this.startup.logs,
    });
    this.#services = {
      dispatchHttpCall: (request, streamId) => this.#clusters.dispatchHttpCall(request, streamId),
      redisInit: (cluster, username, password, timeoutMs, streamId) => this.#clusters.redisInit(cluster, username, password, timeoutMs, streamId),
      dispatchRedisCall: (cluster, query, streamId) => this.#clusters.dispatchRedisCall(cluster, query, streamId),
      setTickPeriod: (periodMs) => this.#setTickPeriod(periodMs),
      vmProperty: (key) => plan.vmProperties.get(key),
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

  /** What the plugin module exports and imports, as its VM read it at start (every VM of a run shares the module). */
  get moduleInfo(): ModuleInfo {
    if (!this.#vm) throw new Error('the gateway has not started');
    return this.#vm.info;
  }

  /**
   * Runs every request on the timeline, handing the sink one outcome per request, in order.
   * Resolves `interrupted: true` when the sink's signal stopped it: the sink then has had the
   * outcomes of the requests that were over, up to the first one still running.
   */
  async run(sink: OutcomeSink = {}): Promise<{ interrupted: boolean }> {
    this.#sink = sink;
    const { signal } = sink;
    this.#arrivals = this.#plan.requests[Symbol.iterator]();
    this.#readArrival();
    let events = 0;
    let lastYield = performance.now();
    for (;;) {
      if (signal?.aborted) return { interrupted: true };
      const event = this.#queue.pop();
      if (!event) {
        // Nothing queued: bring in what comes next, an arrival (first on a tie) or a deadline.
        const atMs = Math.min(this.#nextArrival?.atMs ?? Infinity, this.#deadlines.peek()?.deadlineMs ?? Infinity);
        if (atMs === Infinity) break;
        this.#armUpTo(atMs);
        continue;
      }
      this.clock.advanceTo(event.atMs);
      this.#eventAtMs = event.atMs;
      // Most events and sinks finish synchronously: await only what returns a promise.
      const running = event.run();
      if (running) await running;
      if (this.#isNextOutcomeReady()) {
        const emitting = this.#emitReady();
        if (emitting) await emitting;
      }
      // With a signal, let an abort (a message, a SIGINT) in now and then: about every 50 ms.
      if (signal && (++events & 63) === 0 && performance.now() - lastYield >= 50) {
        await yieldToEventLoop();
        lastYield = performance.now();
      }
    }
    // The queue is empty: every request is over. (Anything still open is finished as it stands.)
    for (const [index, recorder] of this.#open) {
      this.#open.delete(index);
      this.#nextOutcome = index + 1;
      const result = sink.onOutcome?.(recorder.finish(), recorder.request);
      if (result) await result;
    }
    return { interrupted: false };
  }

  // ── Lazy timeline ────────────────────────────────────────────────────────────────────────
  // Events at the same time run in the order they were queued, and before, every arrival was
  // queued up front (so arrivals ran first among events at their time) and every stream's deadline
  // when the stream arrived. Both now wait outside the queue, and keep their places: an arrival or
  // a deadline is queued before any other event at or after its time is (#schedule → #armUpTo),
  // or when the queue runs dry; so the queue never holds an event that should run after one still
  // waiting. A finished stream's waiting deadline is simply dropped.

  #isNextOutcomeReady(): boolean {
    const recorder = this.#open.get(this.#nextOutcome);
    return recorder !== undefined && recorder.isEnded && recorder.pendingEvents === 0;
  }

  /**
   * Hands the sink every outcome that is final, in order, up to the first request still running;
   * a promise only when the sink returned one (it then goes on once that settles).
   */
  #emitReady(): Promise<void> | void {
    while (this.#isNextOutcomeReady()) {
      const recorder = this.#open.get(this.#nextOutcome)!;
      this.#open.delete(this.#nextOutcome++);
      const result = this.#sink.onOutcome?.(recorder.finish(), recorder.request);
      if (result) return result.then(() => this.#emitReady());
    }
  }

  #readArrival(): void {
    const step = this.#arrivals!.next();
    const previous = this.#nextArrival;
    this.#nextArrival = step.done ? undefined : step.value;
    if (previous && this.#nextArrival && this.#nextArrival.atMs < previous.atMs) {
      throw new Error(`request ${this.#nextArrival.index} arrives before request ${previous.index}; the plan must be in order of arrival`);
    }
  }

  /** Queues the arrivals and deadlines due at or before `atMs`, in the order they would have been queued in. */
  #armUpTo(atMs: number): void {
    for (;;) {
      const arrival = this.#nextArrival;
      const due = this.#deadlines.peek();
      const isArrivalDue = arrival !== undefined && arrival.atMs <= atMs;
      const isDeadlineDue = due !== undefined && due.deadlineMs <= atMs;
      if (isArrivalDue && (!isDeadlineDue || arrival.atMs <= due.deadlineMs)) {
        this.#readArrival();
        this.#queuedArrivals++;
        this.#queue.push(arrival.atMs, () => this.#arrive(arrival.plan()));
      } else if (isDeadlineDue) {
        this.#deadlines.pop();
        const id = due.stream.id;
        due.deadline = this.#queue.push(due.deadlineMs, () => this.#deadline(id));
      } else {
        return;
      }
    }
  }

  /** Sets a stream's deadline; it waits outside the queue until it could fire. */
  #setDeadline(active: ActiveStream, atMs: number): void {
    active.deadlineMs = atMs;
    active.deadlineOrder = this.#deadlineOrder++;
    this.#deadlines.push(active);
  }

  /** Drops a stream's deadline, waiting or queued (a queued one is cancelled, so it never moves the clock). */
  #dropDeadline(active: ActiveStream): void {
    this.#deadlines.remove(active);
    if (active.deadline) active.deadline.isCancelled = true;
    active.deadline = undefined;
  }

  /**
   * Schedules a callout's reply. It belongs to the request whose guest code made the call: that
   * request's outcome waits for it, since the reply still writes into the outcome (its Redis reply).
   */
  #scheduleCallout(atMs: number, run: () => Promise<void> | void): void {
    const owner = this.#guardStream === null ? undefined : this.#active.get(this.#guardStream)?.recorder;
    if (!owner) {
      this.#schedule(atMs, run);
      return;
    }
    owner.pendingEvents++;
    this.#schedule(atMs, () => {
      let result: Promise<void> | void;
      try {
        result = run();
      } catch (error) {
        owner.pendingEvents--;
        throw error;
      }
      if (!(result instanceof Promise)) {
        owner.pendingEvents--;
        return;
      }
      return result.finally(() => {
        owner.pendingEvents--;
      });
    });
  }

  // ── VM lifecycle ─────────────────────────────────────────────────────────────────────────

  async #createVm(): Promise<PluginVm> {
    const { logLevel, guestCalls } = this.#plan;
    this.#tickPeriodMs = 0;
    // A new VM calls redis_init again; the old connections belong to the dead one.
    this.#clusters.forgetRedisClients();
    const vm = await PluginVm.create(this.#plan.module, {
      clock: this.clock,
      gateway: this.#services,
      env: this.#plan.env,
      ...(guestCalls
        ? { guestCalls: { enter: (callback: string, streamId: number | null) => guestCalls.enter(callback, this.#requestIndexOf(streamId)), exit: () => guestCalls.exit() } }
        : {}),
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

  /** The request a guest call runs for: its stream's, a callout's owner, or the one whose arrival rebuilt the VM; -1 for none. */
  #requestIndexOf(streamId: number | null): number {
    const id = streamId ?? this.#callbackOwner;
    return (id === null ? undefined : this.#active.get(id)?.request.index) ?? this.#arriving;
  }

  /** The request a log line, trace line or callout belongs to: the effective stream, else the stream a root callback runs for. */
  #recorderFor(streamId: number | null): OutcomeRecorder | undefined {
    const id = streamId ?? this.#callbackOwner;
    return id === null ? undefined : this.#active.get(id)?.recorder;
  }

  // ── requests ─────────────────────────────────────────────────────────────────────────────

  /** A request arrives: its stream starts on the VM, which is rebuilt first (a promise then) if it died. */
  #arrive(request: PlannedRequest): Promise<void> | void {
    this.#queuedArrivals--;
    this.#plan.onRequest(request);
    const recorder = new OutcomeRecorder(request, this.#plan.isTraced ? () => this.#eventAtMs : undefined);
    this.#open.set(request.index, recorder);
    recorder.sequence?.add({ from: 'client', to: 'gateway', kind: 'request', label: `${request.method} ${request.path}` });
    if (!this.#vm || this.#vm.isDead) return this.#arriveOnNewVm(request, recorder);
    this.#startStream(request, recorder, this.#vm);
  }

  async #arriveOnNewVm(request: PlannedRequest, recorder: OutcomeRecorder): Promise<void> {
    this.#arriving = request.index;
    try {
      this.#vm = await this.#createVm();
    } catch (error) {
      if (!(error instanceof PluginTrapError)) throw error;
      recorder.failByGateway(503, error);
      recorder.isEnded = true;
      return;
    } finally {
      this.#arriving = -1;
    }
    this.#startStream(request, recorder, this.#vm);
  }

  #startStream(request: PlannedRequest, recorder: OutcomeRecorder, vm: PluginVm): void {
    const id = this.#nextStreamId++;
    const message = { headers: request.headers, chunks: request.chunks, trailers: request.trailers, isChunked: request.isChunked };
    const stream = new HttpStream(id, message, {
      vm,
      isRealStopIteration: vm.info.abiVersions.includes('0_2_100'),
      upstream: (received) => this.#plan.upstream(request, received),
      builtinProperty: (key) => {
        const value = request.properties.get(key) ?? (key === 'request.time' ? BigInt(request.unixMs) * 1_000_000n : undefined);
        return value === undefined ? undefined : encodeScalar(value);
      },
      onDeferredAction: (s) => this.#deferred.add(s),
      onFinished: (s) => this.#finished(s),
      later: (delayMs, work) => this.#later(id, delayMs, work),
      nowMs: () => this.#eventAtMs,
      bufferLimit: this.#plan.bufferLimit,
      sequence: recorder.sequence,
    });
    const active: ActiveStream = { stream, recorder, request, pendingCallouts: 0, deadlineMs: 0, deadlineOrder: 0, heapIndex: -1 };
    this.#active.set(id, active);
    this.#setDeadline(active, this.clock.elapsedMs + this.#plan.streamTimeoutMs);
    recorder.pluginTime(() => this.#guard(stream.id, () => stream.start()));
  }

  /** A body chunk of stream `id` arriving `delayMs` from now; the stream's deadline counts from its last arrival. */
  #later(id: number, delayMs: number, work: () => void): void {
    const atMs = this.#eventAtMs + delayMs;
    this.#schedule(atMs, () => {
      const active = this.#active.get(id);
      if (active) active.recorder.pluginTime(() => this.#guard(id, work));
    });
    const active = this.#active.get(id);
    const deadlineMs = atMs + this.#plan.streamTimeoutMs;
    if (active && active.deadlineMs < deadlineMs) {
      this.#dropDeadline(active);
      this.#setDeadline(active, deadlineMs);
    }
  }

  #finished(stream: HttpStream): void {
    const active = this.#active.get(stream.id);
    if (!active) return;
    if (stream.result) active.recorder.complete(stream.result);
    active.recorder.isEnded = true;
    // A finished stream's deadline must not drag the virtual clock forward.
    this.#dropDeadline(active);
    this.#active.delete(stream.id);
  }

  /** A stream still open at its deadline: waiting on a slow callout (timeout) or on nothing (stalled). */
  #deadline(streamId: number): void {
    const active = this.#active.get(streamId);
    if (!active || active.stream.isFinished) return;
    active.deadline = undefined;
    const error = stallError(active.stream, active.pendingCallouts, this.#plan.streamTimeoutMs, active.recorder.unknownCluster);
    active.recorder.setError(error);
    active.recorder.sequence?.add({ from: 'gateway', to: 'client', kind: 'error', label: error.kind });
    this.#guard(streamId, () =>
      active.stream.abort({ status: 0, headers: [], body: new Uint8Array(0), source: 'gateway' }, true),
    );
    active.recorder.isEnded = true;
    this.#active.delete(streamId);
  }

  /** Runs guest work for a stream; a trap fails the streams on that VM per the fail strategy. */
  #guard(streamId: number | null, work: () => void): void {
    const outer = this.#guardStream;
    this.#guardStream = streamId;
    try {
      work();
      this.#drainDeferred();
    } catch (error) {
      if (!(error instanceof PluginTrapError)) throw error;
      this.#failAll(error, streamId);
    } finally {
      this.#guardStream = outer;
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
      recorder.sequence?.add({ from: 'gateway', to: 'client', kind: 'error', label: error.kind });
      if (this.#plan.isFailOpen) {
        // Fail open: the gateway sends the request on as it arrived, without the plugin.
        const reply = this.#plan.upstream(request, request);
        recorder.sequence?.add({ from: 'gateway', to: 'upstream', kind: 'upstream-request', label: `${request.method} ${request.path}` });
        recorder.sequence?.add({ from: 'upstream', to: 'gateway', kind: 'upstream-response', label: String(reply.status) });
        stream.abort({ status: reply.status, headers: reply.headers, body: joinChunks(reply.chunks), source: 'upstream' }, false);
        recorder.setUpstreamRequest({ headers: request.headers, body: request.body, chunks: [], trailers: request.trailers, isChunked: false });
      } else {
        stream.abort({ status: 503, headers: [['content-length', '0']], body: new Uint8Array(0), source: 'gateway' }, false);
      }
    }
    // Every request on the VM is over. Their deadlines stay as they were (a queued one still moves the clock when it comes).
    for (const active of this.#active.values()) active.recorder.isEnded = true;
    this.#active.clear();
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
      if (this.#active.size > 0 || this.#queuedArrivals > 0 || this.#nextArrival !== undefined) this.#scheduleTick();
    });
  }

  #schedule(atMs: number, run: () => Promise<void> | void): QueuedEvent {
    this.#armUpTo(atMs);
    return this.#queue.push(atMs, run);
  }
}

/** What the deadline heap orders by: the deadline, then the order deadlines were set in. */
interface DeadlineEntry {
  deadlineMs: number;
  deadlineOrder: number;
  /** Where the entry is in the heap; -1 when it is not in one. */
  heapIndex: number;
}

/** The deadlines waiting outside the queue: a heap (min-heap.ts) that can also remove an entry, a finished stream's. */
class DeadlineHeap<T extends DeadlineEntry> {
  readonly #heap = new MinHeap<T>(isEarlier, (entry, index) => (entry.heapIndex = index));

  peek(): T | undefined {
    return this.#heap.peek();
  }

  push(entry: T): void {
    this.#heap.push(entry);
  }

  pop(): T | undefined {
    const top = this.#heap.pop();
    if (top) top.heapIndex = -1;
    return top;
  }

  /** Removes `entry` if it is in the heap. */
  remove(entry: T): void {
    if (entry.heapIndex < 0) return;
    this.#heap.removeAt(entry.heapIndex);
    entry.heapIndex = -1;
  }
}

function isEarlier(a: DeadlineEntry, b: DeadlineEntry): boolean {
  return a.deadlineMs < b.deadlineMs || (a.deadlineMs === b.deadlineMs && a.deadlineOrder < b.deadlineOrder);
}

/** Lets other work (a message, a signal) run: a macrotask turn. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));
}


