;; A hand-written guest for the watchdog: callbacks that never return, or take a while.
;;   config {"spin…"}  proxy_on_configure never returns
;;   config {"tick…"}  a 10 ms tick whose proxy_on_tick never returns
;;   path /spin…       proxy_on_request_headers never returns
;;   path /busy…       proxy_on_request_headers counts to 50 million, then continues
;; The loops call nothing, so only the host can stop them (wasm has no preemption).
(module
  (import "env" "proxy_get_buffer_bytes" (func $buffer (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_get_header_map_value" (func $header (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_set_tick_period_milliseconds" (func $tick_period (param i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) ":path")
  ;; 32: where the host writes the pointer and size of what it returns
  (global $heap (mut i32) (i32.const 1024))
  (func (export "_initialize"))
  (func (export "proxy_abi_version_0_2_100"))
  (func (export "proxy_on_memory_allocate") (param $size i32) (result i32)
    (local $at i32)
    (local.set $at (global.get $heap))
    (global.set $heap (i32.add (global.get $heap) (local.get $size)))
    (local.get $at))
  (func $spin (loop $forever (br $forever)))
  ;; The byte at `index` of what the host just returned at 32/36, or 0 when it is shorter.
  (func $returned_byte (param $index i32) (result i32)
    (if (result i32) (i32.gt_u (i32.load (i32.const 36)) (local.get $index))
      (then (i32.load8_u (i32.add (i32.load (i32.const 32)) (local.get $index))))
      (else (i32.const 0))))
  (func (export "proxy_on_context_create") (param i32 i32))
  (func (export "proxy_on_vm_start") (param i32 i32) (result i32) (i32.const 1))
  (func (export "proxy_on_configure") (param $root i32) (param $size i32) (result i32)
    (drop (call $buffer (i32.const 7) (i32.const 0) (local.get $size) (i32.const 32) (i32.const 36)))
    (if (i32.eq (call $returned_byte (i32.const 2)) (i32.const 115)) ;; 's'
      (then (call $spin)))
    (if (i32.eq (call $returned_byte (i32.const 2)) (i32.const 116)) ;; 't'
      (then (drop (call $tick_period (i32.const 10)))))
    (i32.const 1))
  (func (export "proxy_on_tick") (param i32) (call $spin))
  (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
    (local $n i32)
    (drop (call $header (i32.const 0) (i32.const 16) (i32.const 5) (i32.const 32) (i32.const 36)))
    (if (i32.eq (call $returned_byte (i32.const 1)) (i32.const 115)) ;; 's'
      (then (call $spin)))
    (if (i32.eq (call $returned_byte (i32.const 1)) (i32.const 98)) ;; 'b'
      (then (loop $count
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br_if $count (i32.lt_u (local.get $n) (i32.const 50000000))))))
    (i32.const 0))
  (func (export "proxy_on_response_headers") (param i32 i32 i32) (result i32) (i32.const 0))
  (func (export "proxy_on_log") (param i32))
  (func (export "proxy_on_done") (param i32) (result i32) (i32.const 1))
  (func (export "proxy_on_delete") (param i32)))
