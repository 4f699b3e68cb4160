/**
 * The worker side of a supervised run, shared by Node's worker_threads and the browser's Web
 * Worker: read the scenario, compile the plugin, say so (the watchdog starts timing guest calls
 * from then on), run, and post the result or a plain error. A streamed run (the CLI's) posts its
 * outcomes in small batches as they come, waits when the supervisor falls behind, and can be
 * stopped between events. Nothing that fails here reaches the supervisor as a stack trace.
 */
import { HarnessError, isHarnessError } from '../errors.ts';
import type { ExpectationFailure } from '../expect.ts';
import type { Outcome } from '../outcome.ts';
import type { RedisBackend } from '../redis-backend.ts';
import { checkPluginModule, compilePlugin, runScenario } from '../run.ts';
import { ModuleError } from '../run-errors.ts';
import { loadScenarioText, resolveTiming, type Scenario } from '../scenario.ts';
import { boardProbe, boardRequests, messageProbe } from './guest-calls.ts';
import { OUTCOME_BATCHES_AHEAD, type FromWorker, type RunFailure, type RunJob, type ToWorker } from './protocol.ts';

/** What the worker's platform provides. */
export interface WorkerPlatform {
  post(message: FromWorker, transfer?: Transferable[]): void;
  /** A real Redis for `--redis redis://…` (Node only); closed after the run. */
  redisBackend?(url: string): RedisBackend & { close(): Promise<void> };
}

/** The runs in progress, by id: how to stop one, and where its acks go. */
const running = new Map<number, { stop: AbortController; batches: OutcomeBatches | null }>();

/** Handles one message from the supervisor; resolves when the run it started has been reported. */
export async function serveRun(message: ToWorker, platform: WorkerPlatform): Promise<void> {
  if (message.type === 'prepare') {
    compileUrl(message.url).catch(() => {});
    return;
  }
  if (message.type === 'stop') {
    running.get(message.id)?.stop.abort();
    return;
  }
  if (message.type === 'ack') {
    running.get(message.id)?.batches?.acked(message.count);
    return;
  }
  const { id, job, board } = message;
  const post = platform.post;
  const stop = new AbortController();
  const batches = message.stream ? new OutcomeBatches((outcomes, failures) => post({ type: 'outcomes', id, outcomes, failures })) : null;
  running.set(id, { stop, batches });
  let redis: ReturnType<NonNullable<WorkerPlatform['redisBackend']>> | undefined;
  try {
    // Inside the try: a backend that cannot be made is reported like any other failure.
    const backend = (redis = job.redisUrl ? platform.redisBackend?.(job.redisUrl) : undefined);
    const scenario: Scenario = 'requests' in job.scenario ? job.scenario : loadScenarioText(job.scenario.text, job.scenario.fileName);
    const module = 'bytes' in job.plugin ? await compilePlugin(job.plugin.bytes, job.pluginName ?? 'the plugin') : await compileUrl(job.plugin.url);
    post({ type: 'started', id, limitMs: resolveTiming(scenario).callbackTimeoutMs });
    const result = await runScenario({
      module,
      scenario,
      config: job.config,
      defaultConfig: job.defaultConfig,
      pluginName: job.pluginName,
      isTraced: job.isTraced,
      env: job.env,
      ...(backend ? { redis: () => backend } : {}),
      guestCalls: board ? boardProbe(board) : messageProbe((call) => post({ ...call, id })),
      onRequest: progressReporter(id, post, board),
      signal: stop.signal,
      keepOutcomes: batches ? false : (job.keepOutcomes ?? true),
      ...(batches ? { onOutcome: (outcome: Outcome, failures: ExpectationFailure[] | null) => batches.add(outcome, failures) } : {}),
    });
    batches?.flush();
    post({ type: 'done', id, result });
  } catch (error) {
    batches?.flush();
    post({ type: 'error', id, error: toRunFailure(error) });
  } finally {
    running.delete(id);
    batches?.close();
    await redis?.close().catch(() => {});
  }
}

/**
 * How many outcomes a batch holds at most, how many bytes of bodies (so outcomes with large
 * bodies go a few at a time), and how long its first may wait for the rest (ms).
 */
const BATCH_SIZE = 64;
const BATCH_BODY_BYTES = 256 * 1024;
const BATCH_WAIT_MS = 25;

/**
 * A streamed run's outcomes on their way to the supervisor: sent in batches of up to BATCH_SIZE
 * outcomes or BATCH_BODY_BYTES of bodies, or sooner when the first of a batch has waited
 * BATCH_WAIT_MS. With more than OUTCOME_BATCHES_AHEAD batches, or more than BATCH_BODY_BYTES of
 * bodies, unacknowledged, `add` returns a promise the run waits on: large bodies go one batch at a time.
 */
export class OutcomeBatches {
  readonly #send: (outcomes: Outcome[], failures: Array<ExpectationFailure[] | null>) => void;
  #outcomes: Outcome[] = [];
  #failures: Array<ExpectationFailure[] | null> = [];
  #firstAt = 0;
  #bodyChars = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #unacked = 0;
  /** The body sizes of the batches sent and not yet acknowledged, oldest first, and their sum. */
  readonly #unackedChars: number[] = [];
  #unackedCharsTotal = 0;
  #resume: (() => void) | null = null;

  constructor(send: (outcomes: Outcome[], failures: Array<ExpectationFailure[] | null>) => void) {
    this.#send = send;
  }

  add(outcome: Outcome, failures: ExpectationFailure[] | null): Promise<void> | void {
    if (this.#outcomes.length === 0) {
      this.#firstAt = performance.now();
      // Sent when the run next lets the event loop in, if no later outcome sends it first.
      this.#timer = setTimeout(() => this.flush(), BATCH_WAIT_MS);
    }
    this.#outcomes.push(outcome);
    this.#failures.push(failures);
    // Characters, not bytes: close enough to bound a batch, and free to count.
    this.#bodyChars += outcome.body.length + outcome.request.body.length + (outcome.upstreamRequest?.body.length ?? 0);
    if (this.#outcomes.length >= BATCH_SIZE || this.#bodyChars >= BATCH_BODY_BYTES || performance.now() - this.#firstAt >= BATCH_WAIT_MS) this.flush();
    if (!this.#isTooFarAhead()) return;
    return new Promise<void>((resolve) => (this.#resume = resolve));
  }

  #isTooFarAhead(): boolean {
    return this.#unacked > OUTCOME_BATCHES_AHEAD || this.#unackedCharsTotal > BATCH_BODY_BYTES;
  }

  /** Sends what is waiting. */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#outcomes.length === 0) return;
    this.#send(this.#outcomes, this.#failures);
    this.#unackedChars.push(this.#bodyChars);
    this.#unackedCharsTotal += this.#bodyChars;
    this.#outcomes = [];
    this.#failures = [];
    this.#bodyChars = 0;
    this.#unacked++;
  }

  acked(count: number): void {
    this.#unacked -= count;
    for (let i = 0; i < count; i++) this.#unackedCharsTotal -= this.#unackedChars.shift() ?? 0;
    if (!this.#isTooFarAhead() && this.#resume) {
      const resume = this.#resume;
      this.#resume = null;
      resume();
    }
  }

  /** The run is over: nothing waits any more. */
  close(): void {
    clearTimeout(this.#timer);
    this.#resume?.();
    this.#resume = null;
  }
}

/** How often, at most, a run with a shared board says which request it is on (ms). */
const PROGRESS_EVERY_MS = 100;

/**
 * Tells the supervisor about each request as it arrives. Without a shared board, a message per
 * request (the watchdog names a stuck request from them). With one, the request goes on the
 * board (supervisor.ts reads it back only for a stuck call) and a message says where the run is
 * at most every PROGRESS_EVERY_MS: a message per request would cost a long run more than its plugin.
 */
function progressReporter(id: number, post: WorkerPlatform['post'], board: SharedArrayBuffer | undefined): (r: { index: number; method: string; path: string; atMs: number }) => void {
  if (!board) return (r) => post({ type: 'progress', id, index: r.index, request: { method: r.method, path: r.path, atMs: r.atMs } });
  const describe = boardRequests(board);
  let lastPostAt = -Infinity;
  return (r) => {
    const request = { method: r.method, path: r.path, atMs: r.atMs };
    describe(r.index, request);
    const now = performance.now();
    if (now - lastPostAt < PROGRESS_EVERY_MS) return;
    lastPostAt = now;
    post({ type: 'progress', id, index: r.index, request });
  };
}

/** Any error as the one-sentence plain failure a supervisor shows; an unexpected one says it is ours. */
export function toRunFailure(error: unknown): RunFailure {
  if (error instanceof HarnessError) return error.toJSON() as RunFailure;
  if (isHarnessError(error)) return error as RunFailure;
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { kind: 'internal', message: `the harness failed unexpectedly (${detail})`, hint: 'this is a bug in wasm-lab, not in your plugin; please report it with the scenario' };
}

const modules = new Map<string, Promise<WebAssembly.Module>>();

/** Downloads and compiles a served plugin once per URL; a second Run only instantiates. */
function compileUrl(url: string): Promise<WebAssembly.Module> {
  let module = modules.get(url);
  if (!module) {
    module = (async () => {
      const response = await fetch(url).catch(() => null);
      if (!response) throw new ModuleError(`${url} could not be downloaded (no connection); check the network and run again.`);
      if (!response.ok) throw new ModuleError(`${url} could not be downloaded (HTTP ${response.status}); rebuild the site with npm run build.`);
      // Streaming compilation: the browser compiles while the bytes arrive (and inflate, for the
      // site's .wasm.gz: tools/build-examples.ts says why gzip) and may cache the code.
      const compiled = await WebAssembly.compileStreaming(isGzipped(url) ? inflated(response) : response).catch((error: unknown) => {
        throw new ModuleError(`${url} is not a valid WebAssembly module: ${error instanceof Error ? error.message : String(error)}`);
      });
      return checkPluginModule(compiled, url);
    })();
    module.catch(() => modules.delete(url));
    modules.set(url, module);
  }
  return module;
}

function isGzipped(url: string): boolean {
  return new URL(url, 'file:///').pathname.endsWith('.gz');
}

/**
 * The response's body gunzipped, as the application/wasm response compileStreaming requires. A
 * server that sends the .gz with Content-Encoding: gzip has had fetch inflate it already.
 */
function inflated(response: Response): Response {
  if (!response.body || /gzip/i.test(response.headers.get('content-encoding') ?? '')) {
    return new Response(response.body, { headers: { 'content-type': 'application/wasm' } });
  }
  return new Response(response.body.pipeThrough(new DecompressionStream('gzip')), { headers: { 'content-type': 'application/wasm' } });
}
