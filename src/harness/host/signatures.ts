/**
 * The wasm signature of every import this gateway implements, one line each, as the Go SDK
 * declares its host calls (pointers, sizes, enums and bool are i32; int64/uint64 are i64; Status
 * is i32) and reference/host-abi.md §3.2, §3.3, §3.5 lists them. A real host refuses a module that
 * declares another signature when it links it; our imports are JS functions, which accept
 * anything, so module-info.ts checks this table instead (RATIONALE.md, "import signatures").
 * A unit test keeps the keys equal to the functions envFunctions and createWasi build.
 */
import type { Signature } from '../abi/wasm-imports.ts';

/** `env` imports (proxy-wasm 0.2.1 and the Higress extensions). */
const ENV: Record<string, Signature> = {
  proxy_log: '(i32, i32, i32) -> i32',
  proxy_get_log_level: '(i32) -> i32',
  proxy_get_current_time_nanoseconds: '(i32) -> i32',
  proxy_set_tick_period_milliseconds: '(i32) -> i32',
  proxy_get_buffer_bytes: '(i32, i32, i32, i32, i32) -> i32',
  proxy_set_buffer_bytes: '(i32, i32, i32, i32, i32) -> i32',
  proxy_get_buffer_status: '(i32, i32, i32) -> i32',
  proxy_get_header_map_size: '(i32, i32) -> i32',
  proxy_get_header_map_pairs: '(i32, i32, i32) -> i32',
  proxy_set_header_map_pairs: '(i32, i32, i32) -> i32',
  proxy_get_header_map_value: '(i32, i32, i32, i32, i32) -> i32',
  proxy_add_header_map_value: '(i32, i32, i32, i32, i32) -> i32',
  proxy_replace_header_map_value: '(i32, i32, i32, i32, i32) -> i32',
  proxy_remove_header_map_value: '(i32, i32, i32) -> i32',
  proxy_continue_stream: '(i32) -> i32',
  proxy_close_stream: '(i32) -> i32',
  proxy_send_local_response: '(i32, i32, i32, i32, i32, i32, i32, i32) -> i32',
  proxy_set_effective_context: '(i32) -> i32',
  proxy_done: '() -> i32',
  proxy_http_call: '(i32, i32, i32, i32, i32, i32, i32, i32, i32, i32) -> i32',
  proxy_redis_init: '(i32, i32, i32, i32, i32, i32, i32) -> i32',
  proxy_redis_call: '(i32, i32, i32, i32, i32) -> i32',
  proxy_inject_encoded_data_to_filter_chain: '(i32, i32, i32) -> i32',
  proxy_get_shared_data: '(i32, i32, i32, i32, i32) -> i32',
  proxy_set_shared_data: '(i32, i32, i32, i32, i32) -> i32',
  proxy_register_shared_queue: '(i32, i32, i32) -> i32',
  proxy_resolve_shared_queue: '(i32, i32, i32, i32, i32) -> i32',
  proxy_enqueue_shared_queue: '(i32, i32, i32) -> i32',
  proxy_dequeue_shared_queue: '(i32, i32, i32) -> i32',
  proxy_define_metric: '(i32, i32, i32, i32) -> i32',
  proxy_increment_metric: '(i32, i64) -> i32',
  proxy_record_metric: '(i32, i64) -> i32',
  proxy_get_metric: '(i32, i32) -> i32',
  proxy_get_property: '(i32, i32, i32, i32) -> i32',
  proxy_set_property: '(i32, i32, i32, i32) -> i32',
  proxy_call_foreign_function: '(i32, i32, i32, i32, i32, i32) -> i32',
};

/** `wasi_snapshot_preview1` imports: the subset wasi.ts implements; every result is an errno. */
const WASI: Record<string, Signature> = {
  args_sizes_get: '(i32, i32) -> i32',
  args_get: '(i32, i32) -> i32',
  environ_sizes_get: '(i32, i32) -> i32',
  environ_get: '(i32, i32) -> i32',
  clock_time_get: '(i32, i64, i32) -> i32',
  clock_res_get: '(i32, i32) -> i32',
  fd_write: '(i32, i32, i32, i32) -> i32',
  random_get: '(i32, i32) -> i32',
  poll_oneoff: '(i32, i32, i32, i32) -> i32',
  sched_yield: '() -> i32',
  proc_exit: '(i32) -> ()',
  fd_close: '(i32) -> i32',
  fd_fdstat_get: '(i32, i32) -> i32',
  fd_fdstat_set_flags: '(i32, i32) -> i32',
  fd_prestat_get: '(i32, i32) -> i32',
  fd_prestat_dir_name: '(i32, i32, i32) -> i32',
};

/** Expected signatures by import module, then name. */
export const HOST_SIGNATURES: Readonly<Record<string, Readonly<Record<string, Signature>>>> = {
  env: ENV,
  wasi_snapshot_preview1: WASI,
};

/** The signature this gateway gives `module.name`, or undefined when it does not implement it. */
export function hostSignature(module: string, name: string): Signature | undefined {
  const table = HOST_SIGNATURES[module];
  return table !== undefined && Object.hasOwn(table, name) ? table[name] : undefined;
}
