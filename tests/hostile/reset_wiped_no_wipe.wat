;; reset_wiped_no_wipe.wat: good.wat, except: it exports the guest kit's wb_reset_wiped(p, n), and both resets rewind the
;; arena without wiping anything; each records which one ran in the byte at address 16 (bump_reset 1, wb_reset_wiped 2).
(module
  (memory (export "memory") 3)
  (global (export "__heap_base") i32 (i32.const 65536))
  (global $pnext (mut i32) (i32.const 65536))
  (global $next (mut i32) (i32.const 131072))

  (func $round (param $n i32) (result i32)
    (i32.and (i32.add (local.get $n) (i32.const 15)) (i32.const -16)))

  (func $bump_alloc (export "bump_alloc") (param $n i32) (result i32)
    (local $p i32) (local $end i32) (local $need i32)
    (local.set $p (global.get $next))
    (if (i32.gt_u (local.get $n) (i32.const 0xFFFFFF00)) (then (return (i32.const 0))))
    (local.set $end (i32.add (local.get $p) (call $round (local.get $n))))
    (if (i32.lt_u (local.get $end) (local.get $p)) (then (return (i32.const 0))))
    (local.set $need (i32.wrap_i64 (i64.shr_u (i64.add (i64.extend_i32_u (local.get $end)) (i64.const 65535))
                                              (i64.const 16))))
    (if (i32.gt_u (local.get $need) (memory.size))
      (then (if (i32.eq (memory.grow (i32.sub (local.get $need) (memory.size))) (i32.const -1))
              (then (return (i32.const 0))))))
    (global.set $next (local.get $end))
    (local.get $p))

  (func (export "bump_reset")
    (i32.store8 (i32.const 16) (i32.const 1))
    (global.set $next (i32.const 131072)))

  (func (export "wb_reset_wiped") (param $p i32) (param $n i32)
    (i32.store8 (i32.const 16) (i32.const 2))
    (global.set $next (i32.const 131072)))

  (func $persist_alloc (export "wb_persist_alloc") (param $n i32) (result i32)
    (local $p i32) (local $end i32)
    (local.set $p (global.get $pnext))
    (if (i32.gt_u (local.get $n) (i32.const 65536)) (then (return (i32.const 0))))
    (local.set $end (i32.add (local.get $p) (call $round (local.get $n))))
    (if (i32.gt_u (local.get $end) (i32.const 131072)) (then (return (i32.const 0))))
    (global.set $pnext (local.get $end))
    (local.get $p))

  (func (export "wb_persist_free") (param $p i32) (param $n i32)
    (if (local.get $p) (then (memory.fill (local.get $p) (i32.const 0) (local.get $n)))))

  (func $rec (param $d i32) (result i32)
    (i32.add (call $rec (i32.add (local.get $d) (i32.const 1))) (i32.const 1)))

  (func (export "hostile_mix") (param $out i32) (param $key i32) (param $msg i32) (param $n i32)
    (local $x i32) (local $i i32)
    (block $done (loop $next_byte
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $x (i32.xor (local.get $x) (i32.load8_u (i32.add (local.get $msg) (local.get $i)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next_byte)))
    (if (i32.eq (i32.load8_u (local.get $key)) (i32.const 0xEE))
      (then
        ;; HOSTILE
        (nop)))
    (local.set $i (i32.const 0))
    (block $done (loop $next_out
      (br_if $done (i32.ge_u (local.get $i) (i32.const 32)))
      (i32.store8 (i32.add (local.get $out) (local.get $i))
                  (i32.xor (local.get $x) (i32.load8_u (i32.add (local.get $key) (local.get $i)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next_out))))

  (func (export "hostile_hash") (param $hash i32) (param $size i32) (param $msg i32) (param $n i32)
    (local $i i32) (local $b i32)
    (block $done (loop $next_out
      (br_if $done (i32.ge_u (local.get $i) (local.get $size)))
      (local.set $b (i32.const 0))
      (if (local.get $n)
        (then (local.set $b (i32.load8_u (i32.add (local.get $msg) (i32.rem_u (local.get $i) (local.get $n)))))))
      (i32.store8 (i32.add (local.get $hash) (local.get $i)) (i32.xor (local.get $b) (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next_out))))
)
