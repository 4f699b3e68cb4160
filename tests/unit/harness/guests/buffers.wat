;; Test guest for the buffer host functions (src/harness/host/buffers.ts). It imports them from
;; `env` and exports, under the same name, a wrapper that calls each import, so every test call
;; crosses the wasm boundary and the host's allocation re-enters the guest from inside an import.
;; proxy_on_memory_allocate is a bump allocator from 0x1000.
(module
  (import "env" "proxy_get_buffer_bytes" (func $get_bytes (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_set_buffer_bytes" (func $set_bytes (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_get_buffer_status" (func $get_status (param i32 i32 i32) (result i32)))

  (memory (export "memory") 1)

  (global $next (mut i32) (i32.const 0x1000))
  (func (export "proxy_on_memory_allocate") (param $size i32) (result i32)
    (local $at i32)
    (local.set $at (global.get $next))
    (global.set $next (i32.add (global.get $next) (local.get $size)))
    (local.get $at))

  (func (export "proxy_get_buffer_bytes") (param i32 i32 i32 i32 i32) (result i32)
    (call $get_bytes (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4)))
  (func (export "proxy_set_buffer_bytes") (param i32 i32 i32 i32 i32) (result i32)
    (call $set_bytes (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4)))
  (func (export "proxy_get_buffer_status") (param i32 i32 i32) (result i32)
    (call $get_status (local.get 0) (local.get 1) (local.get 2)))
)
