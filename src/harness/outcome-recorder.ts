/** Collects what happens to one request while it runs, and turns it into its Outcome. */
import { fromUtf8 } from './abi/memory.ts';
import type { PlannedRequest } from './gateway.ts';
import { unknownClusterHint, unknownClusterMessage } from './run-errors.ts';
import type { HarnessErrorJSON } from './errors.ts';
import type { Outcome, OutcomeError, UnimplementedCall } from './outcome.ts';
import { SequenceLog } from './sequence.ts';
import type { StreamResult, TimedChunk, UpstreamRequestRecord } from './stream.ts';

const isPseudo = ([name]: [string, string]) => name.startsWith(':');

export class OutcomeRecorder {
  readonly logs: Outcome['logs'] = [];
  readonly redis: Outcome['redis'] = [];
  readonly httpCalls: Outcome['httpCalls'] = [];
  readonly trace: string[] = [];
  /** The call sequence, when the run is traced; null costs nothing: callers write `sequence?.add(…)`. */
  readonly sequence: SequenceLog | null;
  readonly #request: PlannedRequest;
  readonly #unimplemented = new Map<string, UnimplementedCall>();
  #error: OutcomeError | undefined;
  #result: StreamResult | null = null;
  #upstreamRequest: Outcome['upstreamRequest'] = null;
  #pluginTimeUs = 0;
  /**
   * Events the request started that have yet to run (callout replies): they may still write its
   * Redis replies or a gateway line, so its outcome waits for them (gateway.ts).
   */
  pendingEvents = 0;
  /** Whether the request's stream has ended (or it never got one); its outcome is final once pendingEvents is 0 too. */
  isEnded = false;

  /** `now`, for a traced run: the virtual time to stamp sequence steps with. */
  constructor(request: PlannedRequest, now?: () => number) {
    this.#request = request;
    this.sequence = now ? new SequenceLog(now) : null;
  }

  /** Runs `work`, adding its real duration to the request's plugin time. */
  pluginTime(work: () => void): void {
    const started = performance.now();
    try {
      work();
    } finally {
      this.#pluginTimeUs += (performance.now() - started) * 1000;
    }
  }

  countUnimplemented(module: string, name: string): void {
    const key = `${module}.${name}`;
    const entry = this.#unimplemented.get(key) ?? { module, name, count: 0 };
    entry.count++;
    this.#unimplemented.set(key, entry);
  }

  /** Records the first failure; a later one (e.g. the trap after an unknown cluster) wins only over notes. */
  setError(error: OutcomeError | HarnessErrorJSON): void {
    if (!this.#error || this.#error.kind === 'unknown-cluster') this.#error = { ...error };
  }

  /** The note about a call to an undeclared cluster, while nothing worse has happened. */
  get unknownCluster(): OutcomeError | undefined {
    return this.#error?.kind === 'unknown-cluster' ? this.#error : undefined;
  }

  /** Notes the first call to an undeclared cluster; `declared` lets the hint name a near miss. */
  noteUnknownCluster(cluster: string, type: 'http' | 'redis', declared: Iterable<string> = []): void {
    if (this.#error) return;
    this.#error = { kind: 'unknown-cluster', message: unknownClusterMessage(cluster, type), hint: unknownClusterHint(cluster, declared) };
  }

  /** What the upstream received, as the plugin left it: pseudo-headers (`:path`, `:authority`, …) included. */
  setUpstreamRequest(received: UpstreamRequestRecord): void {
    this.#upstreamRequest = {
      headers: pseudoFirst(received.headers),
      body: bodyText(received.body),
      ...(received.isChunked ? { chunks: outcomeChunks(received.chunks) } : {}),
      ...(received.trailers.length ? { trailers: received.trailers } : {}),
    };
  }

  /** The stream ended: keep its response. */
  complete(result: StreamResult): void {
    this.#result = result;
    if (result.upstreamRequest) this.setUpstreamRequest(result.upstreamRequest);
    if (result.error) this.setError(result.error);
    else if (result.reset) this.setError({ kind: 'stream-reset', message: 'the plugin reset the stream (proxy_close_stream); the client sees the connection drop' });
  }

  /** The request never reached a working VM: the gateway answered it. */
  failByGateway(status: number, error: HarnessErrorJSON): void {
    this.setError(error);
    this.sequence?.add({ from: 'gateway', to: 'client', kind: 'error', label: error.kind });
    this.sequence?.add({ from: 'gateway', to: 'client', kind: 'response', label: String(status) });
    this.#result = { status, headers: [['content-length', '0']], body: new Uint8Array(0), chunks: [], trailers: [], isChunked: false, source: 'gateway', originalHeaders: [], upstreamRequest: null };
  }

  /** The request this recorder records. */
  get request(): PlannedRequest {
    return this.#request;
  }

  finish(): Outcome {
    const r = this.#request;
    const result = this.#result;
    const headers = result?.headers ?? [];
    const outcome: Outcome = {
      index: r.index,
      at: r.atMs,
      request: { method: r.method, path: r.path, headers: r.headers.filter((h) => !isPseudo(h)), body: bodyText(r.body) },
      status: result?.status ?? 0,
      headers,
      body: result ? bodyText(result.body) : '',
      ...(result?.isChunked ? { chunks: outcomeChunks(result.chunks) } : {}),
      ...(result?.trailers.length ? { trailers: result.trailers } : {}),
      source: result?.source ?? 'gateway',
      upstreamRequest: this.#upstreamRequest,
      logs: this.logs,
      redis: this.redis,
      httpCalls: this.httpCalls,
      changedHeaders: changedNames(headers, result?.originalHeaders ?? []),
      pluginTimeUs: Math.round(this.#pluginTimeUs),
    };
    if (this.#error) outcome.error = this.#error;
    if (this.#unimplemented.size) outcome.unimplemented = [...this.#unimplemented.values()];
    if (this.trace.length) outcome.trace = this.trace;
    if (this.sequence) outcome.sequence = this.sequence.steps();
    return outcome;
  }
}

/** The pairs with the pseudo-headers first, each group in its order. */
function pseudoFirst(pairs: Outcome['headers']): Outcome['headers'] {
  const out: Outcome['headers'] = [];
  for (let i = 0; i < pairs.length; i++) if (isPseudo(pairs[i]!)) out.push(pairs[i]!);
  for (let i = 0; i < pairs.length; i++) if (!isPseudo(pairs[i]!)) out.push(pairs[i]!);
  return out;
}

/**
 * The names, each once in order of first appearance, of the headers whose value differs from the
 * original's (its last value for that name; none when it had none). Loops rather than a Map and a
 * Set: both lists hold a dozen headers, and this runs for every request.
 */
function changedNames(headers: Outcome['headers'], original: Outcome['headers']): string[] {
  const names: string[] = [];
  for (let i = 0; i < headers.length; i++) {
    const [name, value] = headers[i]!;
    let before: string | undefined;
    for (let j = original.length - 1; j >= 0; j--) {
      if (original[j]![0] === name) {
        before = original[j]![1];
        break;
      }
    }
    if (before !== value && !names.includes(name)) names.push(name);
  }
  return names;
}

/**
 * Large bodies decoded lately, by their bytes: a body that passes through unchanged is the very
 * array the scenario's repeats share (the request's, the route's reply), so a thousand outcomes
 * of a 1 MB body hold one string, not a thousand. Strings are immutable: sharing is safe.
 */
const decodedBodies = new WeakMap<Uint8Array, string>();
const SHARED_BODY_BYTES = 4096;

function bodyText(bytes: Uint8Array): string {
  if (bytes.length < SHARED_BODY_BYTES) return fromUtf8(bytes);
  let text = decodedBodies.get(bytes);
  if (text === undefined) decodedBodies.set(bytes, (text = fromUtf8(bytes)));
  return text;
}

function outcomeChunks(chunks: TimedChunk[]): Outcome['chunks'] {
  return chunks.map(({ at, bytes }) => ({ at: Math.round(at * 1000) / 1000, body: bodyText(bytes) }));
}
