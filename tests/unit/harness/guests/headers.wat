;; Test guest for the header-map host functions (src/harness/host/headers.ts). It imports them
;; from `env` and exports, under the same name, a wrapper that calls each import, so every test
;; call crosses the wasm boundary and the host's allocation re-enters the guest from inside an
;; import, as with a real plugin. proxy_on_memory_allocate is a bump allocator from 0x1000.
(module
  (import "env" "proxy_get_header_map_value" (func $get_value (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_get_header_map_pairs" (func $get_pairs (param i32 i32 i32) (result i32)))
  (import "env" "proxy_get_header_map_size" (func $get_size (param i32 i32) (result i32)))
  (import "env" "proxy_set_header_map_pairs" (func $set_pairs (param i32 i32 i32) (result i32)))
  (import "env" "proxy_add_header_map_value" (func $add_value (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_replace_header_map_value" (func $replace_value (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_remove_header_map_value" (func $remove_value (param i32 i32 i32) (result i32)))

  (memory (export "memory") 1)

  (global $next (mut i32) (i32.const 0x1000))
  (func (export "proxy_on_memory_allocate") (param $size i32) (result i32)
    (local $at i32)
    (local.set $at (global.get $next))
    (global.set $next (i32.add (global.get $next) (local.get $size)))
    (local.get $at))

  (func (export "proxy_get_header_map_value") (param i32 i32 i32 i32 i32) (result i32)
    (call $get_value (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4)))
  (func (export "proxy_get_header_map_pairs") (param i32 i32 i32) (result i32)
    (call $get_pairs (local.get 0) (local.get 1) (local.get 2)))
  (func (export "proxy_get_header_map_size") (param i32 i32) (result i32)
    (call $get_size (local.get 0) (local.get 1)))
  (func (export "proxy_set_header_map_pairs") (param i32 i32 i32) (result i32)
    (call $set_pairs (local.get 0) (local.get 1) (local.get 2)))
  (func (export "proxy_add_header_map_value") (param i32 i32 i32 i32 i32) (result i32)
    (call $add_value (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4)))
  (func (export "proxy_replace_header_map_value") (param i32 i32 i32 i32 i32) (result i32)
    (call $replace_value (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4)))
  (func (export "proxy_remove_header_map_value") (param i32 i32 i32) (result i32)
    (call $remove_value (local.get 0) (local.get 1) (local.get 2)))
)
