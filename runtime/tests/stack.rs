//! `Options::max_wasm_stack` over its whole documented range (16 KiB ..= 256 MiB), from threads
//! with less native stack than that: recursion deeper than the caller's stack works, and
//! recursion past the limit traps, never overflowing the native stack (which aborts).

use wasm_bind_rt::{Binder, Error, Exports, Guest, Options, TypedFunc, MAX_WASM_STACK_LIMIT};

struct Rec {
    rec: TypedFunc<i32, i32>,
}

impl Exports for Rec {
    fn bind(b: &mut Binder<'_>) -> Result<Self, Error> {
        Ok(Rec {
            rec: b.func("rec")?,
        })
    }
}

/// `rec(n)` recurses `n` frames deep and returns `n`; `(start)` recurses `start_depth` frames.
fn guest(start_depth: i32) -> Vec<u8> {
    wat::parse_str(format!(
        r#"(module (memory (export "memory") 1)
  (func (export "bump_alloc") (param i32) (result i32) i32.const 4096)
  (func (export "bump_reset"))
  (func $rec (export "rec") (param $d i32) (result i32)
    (if (result i32) (i32.eqz (local.get $d)) (then (i32.const 0))
      (else (i32.add (call $rec (i32.sub (local.get $d) (i32.const 1))) (i32.const 1)))))
  (func $start (drop (call $rec (i32.const {start_depth}))))
  (start $start))"#
    ))
    .unwrap()
}

fn rec(g: &mut Guest<Rec>, depth: i32) -> Result<i32, Error> {
    g.call("rec", |call, fns| call.invoke(&fns.rec, depth))
}

fn is_stack_overflow(r: &Result<i32, Error>) -> bool {
    matches!(
        r,
        Err(Error::Trap {
            code: Some(wasm_bind_rt::wasmtime::Trap::StackOverflow),
            ..
        })
    )
}

/// Deep enough to need far more than a test thread's 2 MiB and the main thread's 8 MiB.
const DEEP: i32 = 1_000_000;

#[test]
fn the_largest_documented_stack_holds_a_deep_recursion() {
    let opts = Options::default().max_wasm_stack(MAX_WASM_STACK_LIMIT);
    let mut g = Guest::<Rec>::with_options(&guest(0), "bump_alloc", "bump_reset", &opts).unwrap();
    assert_eq!(rec(&mut g, DEEP).unwrap(), DEEP);
    // Past the limit: a trap, the object re-created and usable.
    assert!(is_stack_overflow(&rec(&mut g, i32::MAX)));
    assert_eq!(g.__generation(), 1);
    assert_eq!(rec(&mut g, 1000).unwrap(), 1000);
    // The default limit refuses the same depth with a trap.
    let mut small = Guest::<Rec>::new(&guest(0), "bump_alloc", "bump_reset").unwrap();
    assert!(is_stack_overflow(&rec(&mut small, DEEP)));
}

#[test]
fn start_functions_and_handles_run_on_the_large_stack_too() {
    // Instantiation runs the start function: it recurses DEEP frames, on a thread whose stack
    // holds them (64 MiB here); the default limit traps there instead (a load error).
    let opts = Options::default().max_wasm_stack(64 << 20);
    let mut g =
        Guest::<Rec>::with_options(&guest(DEEP), "bump_alloc", "bump_reset", &opts).unwrap();
    assert_eq!(rec(&mut g, 10).unwrap(), 10);
    g.reinstantiate().unwrap();
    let err = Guest::<Rec>::new(&guest(DEEP), "bump_alloc", "bump_reset")
        .err()
        .unwrap();
    assert!(
        matches!(&err, Error::Load(m) if m.contains("cannot instantiate")),
        "{err}"
    );
}
