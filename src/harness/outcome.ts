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
  /** Real time spent in plugin callbacks for this request, in microseconds. */
  pluginTimeUs: number;
}
