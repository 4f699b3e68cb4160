/**
 * What the `env` host functions may touch while one plugin callback runs. The VM builds it; each
 * area (headers, buffers, callouts…) takes only the pieces it needs through these interfaces.
 */
import type { WasmResult } from '../abi/enums.ts';
import type { GuestMemory } from '../abi/memory.ts';
import type { Pairs } from '../abi/pair-map.ts';
import type { VirtualClock } from '../clock.ts';
import type { BodyBuffer } from './body-buffer.ts';
import type { HeaderMap } from './header-map.ts';

/** A local reply as the plugin asked for it. */
export interface LocalReply {
  status: number;
  details: string;
  body: Uint8Array;
  headers: Pairs;
  grpcStatus: number;
}

/** The HTTP stream a host call acts on (the effective context). */
export interface StreamAccess {
  readonly id: number;
  /** The header map of a kind, or 'unavailable' outside the phases where Envoy exposes it. */
  headerMap(kind: 'request' | 'response' | 'request-trailers' | 'response-trailers'): HeaderMap | 'unavailable';
  /** Whether mutations of that map are still allowed (Envoy drops the pointer after Continue). */
  isMapMutable(kind: 'request' | 'response' | 'request-trailers' | 'response-trailers'): boolean;
  /** The body buffer in its callbacks, or null when Envoy has none for this context now. */
  body(kind: 'request' | 'response'): BodyBuffer | null;
  /** Queues continue_stream; applied after the callback returns. */
  continueStream(direction: 'request' | 'response'): WasmResult;
  /** Queues close_stream (a reset). */
  closeStream(direction: 'request' | 'response'): WasmResult;
  /** Queues a local reply; BadArgument for a second one on the same stream. */
  sendLocalReply(reply: LocalReply): WasmResult;
  /** Higress's inject_encoded_data_to_filter_chain: response bytes to the client; with isEnd, the response ends. */
  injectEncodedData(bytes: Uint8Array, isEnd: boolean): WasmResult;
  /** Per-stream property store written by proxy_set_property. */
  readonly setProperties: Map<string, Uint8Array>;
  /** Looks up a built-in property (request.*, source.*, route_name…) by its key ('request.path'); undefined when unknown. */
  builtinProperty(key: string): Uint8Array | undefined;
}

/** Data that exists only inside one callback: configuration, a callout's reply. */
export interface CallScope {
  /**
   * The one buffer readable during this callback only, and its type: configuration (6/7), a
   * callout's body (4) or a Redis reply (9). A plain pair rather than a map: a callback has at
   * most one, and a Redis reply per request should not cost a Map.
   */
  bufferType?: number;
  buffer?: BodyBuffer;
  /** HTTP callout response headers/trailers (map types 6/7) inside proxy_on_http_call_response. */
  calloutHeaders?: HeaderMap;
  calloutTrailers?: HeaderMap;
}

/** A started callout's id, or why it could not start. */
export type CalloutStart = { id: number } | { status: WasmResult };

export interface HttpCallRequest {
  cluster: string;
  headers: Pairs;
  body: Uint8Array;
  trailers: Pairs;
  timeoutMs: number;
}

/** Gateway services reachable from a plugin: clusters, shared state, metrics, timers. */
export interface GatewayServices {
  /** Starts an HTTP callout; returns its id, or a failure status (BadArgument for an unknown cluster). */
  dispatchHttpCall(request: HttpCallRequest, streamId: number | null): CalloutStart;
  redisInit(cluster: string, username: string, password: string, timeoutMs: number, streamId: number | null): WasmResult;
  dispatchRedisCall(cluster: string, query: Uint8Array, streamId: number | null): CalloutStart;
  setTickPeriod(periodMs: number): void;
  /** Properties every context can read: plugin_name, scenario-wide values. */
  vmProperty(key: string): Uint8Array | undefined;
  readonly sharedData: SharedData;
  readonly metrics: Metrics;
  readonly queues: SharedQueues;
  /** The gateway's wasm log level, as the get_log_level foreign function reports it. */
  readonly logLevel: number;
}

export interface SharedData {
  get(key: string): { value: Uint8Array; cas: number } | undefined;
  set(key: string, value: Uint8Array, cas: number): WasmResult;
}

export interface SharedQueues {
  register(name: string): number;
  resolve(vmId: string, name: string): number | undefined;
  enqueue(id: number, data: Uint8Array): WasmResult;
  dequeue(id: number): Uint8Array | WasmResult;
}

export interface Metrics {
  define(type: number, name: string): number;
  increment(id: number, delta: bigint): WasmResult;
  record(id: number, value: bigint): WasmResult;
  get(id: number): bigint | undefined;
}

/** Everything the host functions see during one callback. */
export interface HostEnv {
  readonly memory: GuestMemory;
  readonly clock: VirtualClock;
  readonly gateway: GatewayServices;
  /** The effective stream, or null when the effective context is the root. */
  stream(): StreamAccess | null;
  /** Per-callback data (configuration, callout replies). */
  scope(): CallScope;
  /** Switches the effective context; BadArgument for an unknown id. */
  setEffectiveContext(contextId: number): WasmResult;
  /** Records a plugin log line against the effective stream (or the run, in root callbacks). */
  log(level: number, message: string): void;
}
