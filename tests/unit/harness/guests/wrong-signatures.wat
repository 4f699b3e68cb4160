;; A plugin that declares two host functions with signatures the ABI does not have: proxy_log
;; without its length, and clock_time_get with an i32 precision where WASI has an i64. A real
;; host refuses it when it links; its imports of the right shape (proxy_done) are fine.
(module
  (import "env" "proxy_log" (func (param i32 i32) (result i32)))
  (import "env" "proxy_done" (func (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func (param i32 i32 i32) (result i32)))
  (import "env" "proxy_not_implemented_here" (func (param f64)))
  (memory (export "memory") 1)
  (func (export "_initialize"))
  (func (export "proxy_abi_version_0_2_100"))
  (func (export "proxy_on_memory_allocate") (param i32) (result i32) (i32.const 1024))
  (func (export "proxy_on_context_create") (param i32 i32))
  (func (export "proxy_on_vm_start") (param i32 i32) (result i32) (i32.const 1))
  (func (export "proxy_on_configure") (param i32 i32) (result i32) (i32.const 1)))
