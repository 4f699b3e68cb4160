/**
 * The numbers that cross the proxy-wasm ABI, named as the Go SDK names them
 * (proxywasm/internal/abi_enums.go; Higress additions from reference/host-abi.md §4).
 */

/** Status every `env` host function returns (host-abi.md §4.1). */
export const WasmResult = {
  Ok: 0,
  NotFound: 1,
  BadArgument: 2,
  SerializationFailure: 3,
  ParseFailure: 4,
  InvalidMemoryAccess: 6,
  Empty: 7,
  CasMismatch: 8,
  InternalFailure: 10,
  BrokenConnection: 11,
  Unimplemented: 12,
} as const;
export type WasmResult = (typeof WasmResult)[keyof typeof WasmResult];

/** Buffer kinds for proxy_get/set_buffer_bytes; 9 is Higress's Redis reply (§4.2). */
export const BufferType = {
  HttpRequestBody: 0,
  HttpResponseBody: 1,
  DownstreamData: 2,
  UpstreamData: 3,
  HttpCallResponseBody: 4,
  GrpcReceiveBuffer: 5,
  VmConfiguration: 6,
  PluginConfiguration: 7,
  CallData: 8,
  RedisCallResponse: 9,
} as const;
export type BufferType = (typeof BufferType)[keyof typeof BufferType];
export const MAX_BUFFER_TYPE = 9;

/** Header-map kinds (§4.3). */
export const MapType = {
  HttpRequestHeaders: 0,
  HttpRequestTrailers: 1,
  HttpResponseHeaders: 2,
  HttpResponseTrailers: 3,
  GrpcReceiveInitialMetadata: 4,
  GrpcReceiveTrailingMetadata: 5,
  HttpCallResponseHeaders: 6,
  HttpCallResponseTrailers: 7,
} as const;
export type MapType = (typeof MapType)[keyof typeof MapType];

export const StreamType = { Request: 0, Response: 1, Downstream: 2, Upstream: 3 } as const;

/** proxy_log levels (§4.5). */
export const LogLevel = { Trace: 0, Debug: 1, Info: 2, Warn: 3, Error: 4, Critical: 5 } as const;
export type LogLevel = (typeof LogLevel)[keyof typeof LogLevel];
export const LOG_LEVEL_NAMES = ['trace', 'debug', 'info', 'warn', 'error', 'critical'] as const;

/** What a header callback may return, as Envoy reads it (§4.6). */
export const HeaderStatus = {
  Continue: 0,
  StopIteration: 1,
  ContinueAndEndStream: 2,
  StopAllIterationAndBuffer: 3,
  StopAllIterationAndWatermark: 4,
} as const;
export type HeaderStatus = (typeof HeaderStatus)[keyof typeof HeaderStatus];

/** What a body callback may return (§4.6). */
export const DataStatus = {
  Continue: 0,
  StopIterationAndBuffer: 1,
  StopIterationAndWatermark: 2,
  StopIterationNoBuffer: 3,
} as const;
export type DataStatus = (typeof DataStatus)[keyof typeof DataStatus];

export const MetricType = { Counter: 0, Gauge: 1, Histogram: 2 } as const;

/** Status argument of proxy_on_redis_call_response (§4.7). */
export const RedisStatus = { Ok: 0, NetworkError: 1 } as const;

/** WASI errno values the shim returns (§4.8). */
export const Errno = {
  Success: 0,
  Badf: 8,
  Fault: 21,
  Inval: 28,
  Noent: 44,
  Nosys: 52,
  Notdir: 54,
  Notsup: 58,
} as const;

const RESULT_NAMES = new Map<number, string>(Object.entries(WasmResult).map(([k, v]) => [v, k]));

/** Names a WasmResult for traces, e.g. `BadArgument`; unknown numbers print as `Status(n)`. */
export function wasmResultName(status: number): string {
  return RESULT_NAMES.get(status) ?? `Status(${status})`;
}
