;; The guest of c_bool.h (see there).
(module
  (memory (export "memory") 2)
  (global (export "__heap_base") i32 (i32.const 65536))
  (func (export "bump_alloc") (param i32) (result i32) (i32.const 65536))
  (func (export "bump_reset"))
  (func (export "flip") (param i32) (result i32) (i32.xor (local.get 0) (i32.const 1)))
  (func (export "pick") (param i32 i32) (result i32)
    (if (result i32) (local.get 0) (then (i32.sub (i32.const 0) (local.get 1))) (else (local.get 1)))))
