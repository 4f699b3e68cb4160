/**
 * Outcome: what happened to one request of a scenario. The JSON shape is a contract
 * (shared/design.md): the CLI prints it, the playground renders it, tests assert it.
 */

/** Log levels as proxy_log numbers them (reference/host-abi.md §4.5). */
export type LogLevelName = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'critical';

export interface LogLine {
  level: LogLevelName;
  message: string;
}

export interface RedisExchange {
  /** The command as the plugin sent it, e.g. `incr 1735689600`. */
  command: string;
  /** The reply rendered as text: `(integer) 3`, `OK`, `(error) ERR …`, `(nil)`, or the failure. */
  reply: string;
  /** The Envoy cluster name the call went to. */
  cluster: string;
  /** The database the command ran in, when not 0 (redis_init's `?db=N`, or the `--redis` URL's). */
  db?: number;
}

/** A header list in order; names are lower-case as Envoy delivers them. */
export type HeaderList = Array<[string, string]>;

export interface OutcomeRequest {
  method: string;
  path: string;
  headers: HeaderList;
  body: string;
}

/** A body chunk as it was received, at a virtual time in milliseconds from the scenario start (the scale of Outcome.at). */
export interface OutcomeChunk {
  at: number;
  body: string;
}

export interface UpstreamRequest {
  /** Pseudo-headers (`:path`, `:method`, `:authority`…) first, as the plugin left them. */
  headers: HeaderList;
  /** The whole body the upstream received. */
  body: string;
  /** The body chunk by chunk, when the request was sent in chunks or the upstream got more than one. */
  chunks?: OutcomeChunk[];
  /** Request trailers the upstream received, when there were any. */
  trailers?: HeaderList;
}

/** Why a request did not complete the way a healthy plugin makes it complete. */
export interface OutcomeError {
  /** Short kebab-case kind: `plugin-trap`, `stalled`, `unknown-cluster`, `callback-timeout`, … */
  kind: string;
  /** One sentence: what is wrong and where. */
  message: string;
  /** What to do about it. */
  hint?: string;
}

/** An import the module called that this gateway does not provide. */
export interface UnimplementedCall {
  module: string;
  name: string;
  count: number;
}

/**
 * Who takes part in one request's call sequence: the client, the gateway (Envoy), the plugin, the
 * route's upstream, and each cluster the plugin calls, named `redis:<cluster>` or `http:<cluster>`
 * with the Envoy cluster name (e.g. `redis:outbound|6379||redis.static`).
 */
export type SequenceParty = 'client' | 'gateway' | 'plugin' | 'upstream' | `redis:${string}` | `http:${string}`;

/**
 * One arrow of a request's call sequence (the playground's sequence view), recorded when the run is
 * traced. Steps are in the order they happened; `at` is virtual time like Outcome.at.
 * - `request`: client → gateway, `GET /path` · `response`: gateway → client, the status when the
 *   response headers reach the client, or `reset` when the stream is reset
 * - `callback`: gateway → plugin, the export called (`proxy_on_request_headers`, one
 *   `proxy_on_response_body` per chunk, `proxy_on_log`, `proxy_on_done`; context create and delete
 *   are left out), for this stream or, for a callout's reply, the root context on its behalf
 *   (`proxy_on_redis_call_response`, `proxy_on_http_call_response`)
 * - `return`: plugin → gateway, the action a header/body/trailers callback returned, as the plugin
 *   returned it (`Continue`, `StopIteration`, `StopAllIterationAndWatermark`, `StopIterationAndBuffer`, …);
 *   `paused` when it stops the stream's iteration. A callback that traps has no return.
 * - `callout`: plugin → a cluster, the command as Outcome.redis[].command shows it (`incr 1735689600`)
 *   or `GET /auth`
 * - `callout-reply`: a cluster → gateway when the reply is delivered: Outcome.redis[].reply's text
 *   (`(integer) 3`, `(failed) …`), or the HTTP status, `timeout (504)`, `reset` (cluster down). A
 *   reply that comes after the request ended is not drawn, nor is its callback.
 * - `resume`: plugin → gateway, proxy_continue_stream when called (`resume request`); the stream
 *   moves on after the callback returns · `local-reply`: plugin → gateway, proxy_send_local_response (`429`)
 * - `upstream-request`: gateway → upstream when the request headers go on (`GET /path` as the plugin
 *   left them) · `upstream-response`: upstream → gateway, the status
 * - `chunk`: a body chunk passing (client → gateway, gateway → upstream, upstream → gateway,
 *   gateway → client), labelled with its size (`42 bytes`). Past the first 20 body chunks of a
 *   direction, each chunk's chunk, callback and return steps are folded into one `chunk` step that
 *   counts them (`… 80 more chunks`), placed where they passed; the last chunk is always drawn.
 * - `error`: gateway → client, the error kind when the gateway fails the request (`stalled`,
 *   `timeout`, `plugin-trap`, `buffer-limit`); the gateway's reply, if any, follows as a `response`
 */
export interface SequenceStep {
  at: number;
  from: SequenceParty;
  to: SequenceParty;
  kind: 'request' | 'callback' | 'return' | 'callout' | 'callout-reply' | 'resume' | 'local-reply' | 'upstream-request' | 'upstream-response' | 'chunk' | 'response' | 'error';
  label: string;
  /** For stream callbacks, `return`, `resume` and `chunk`: the direction of the stream it concerns. */
  direction?: 'request' | 'response';
  /** On a `return`: the callback stopped the stream's iteration; it waits for a resume, a local reply or more body. */
  paused?: boolean;
  /** On a `chunk`: the chunk's size in bytes (the label says the same in English). */
  bytes?: number;
  /** On the `chunk` step that stands for folded chunks: how many it stands for. */
  folded?: number;
}

export interface Outcome {
  index: number;
  /** Virtual time the request arrived, in milliseconds from the scenario start. */
  at: number;
  request: OutcomeRequest;
  status: number;
  headers: HeaderList;
  /** The whole response body the client received: the chunks joined. */
  body: string;
  /** The response body chunk by chunk as the client received it, when it was streamed (the upstream sent a chunk list, or the client got more than one). */
  chunks?: OutcomeChunk[];
  /** Response trailers the client received, when there were any. */
  trailers?: HeaderList;
  /** Who produced the response: the plugin's local reply, the mock upstream, or the gateway itself (a fault). */
  source: 'plugin' | 'upstream' | 'gateway';
  upstreamRequest: UpstreamRequest | null;
  logs: LogLine[];
  redis: RedisExchange[];
  /** HTTP callouts the plugin made while handling this request. */
  httpCalls: Array<{ cluster: string; method: string; path: string; status: number }>;
  /** Response headers the plugin added or changed (names), for highlighting. */
  changedHeaders: string[];
  error?: OutcomeError;
  unimplemented?: UnimplementedCall[];
  /** Host-call trace, one line per call and per return; present with --trace. */
  trace?: string[];
  /** The calls between the client, the gateway, the plugin and the services, in order; present with --trace. */
  sequence?: SequenceStep[];
  /** Real time spent in plugin callbacks for this request, in microseconds. */
  pluginTimeUs: number;
}
