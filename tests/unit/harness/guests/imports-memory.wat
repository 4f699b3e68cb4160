;; A plugin that imports its memory instead of exporting it (clang's --import-memory). Otherwise
;; it has every export a gateway needs, so the memory import is the only problem to report.
(module
  (import "env" "memory" (memory 1))
  (func (export "_initialize"))
  (func (export "proxy_abi_version_0_2_100"))
  (func (export "proxy_on_memory_allocate") (param i32) (result i32) (i32.const 1024))
  (func (export "proxy_on_context_create") (param i32 i32))
  (func (export "proxy_on_vm_start") (param i32 i32) (result i32) (i32.const 1))
  (func (export "proxy_on_configure") (param i32 i32) (result i32) (i32.const 1)))
