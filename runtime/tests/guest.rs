//! Runtime behaviour against small hand-written WAT guests: the call protocol, arena reset on
//! every path, re-instantiation after traps, ABI violations, load errors, module caching.

use wasm_bind_rt::{Binder, Error, Exports, Frame, Guest, TypedFunc};

/// A guest with the arena ABI: a bump allocator from 4096 (`limit` bytes max, then 0), a reset
/// that zeroes what was handed out, a `sum` over bytes, a `counter` global, a trapping export.
fn guest_wat(alloc_result: &str) -> String {
    format!(
        r#"(module
  (memory (export "memory") 1)
  (global $top (mut i32) (i32.const 4096))
  (global $count (mut i32) (i32.const 0))
  (func (export "bump_alloc") (param $n i32) (result i32)
    (local $p i32)
    (if (i32.gt_u (local.get $n) (i32.const 60000)) (then (return (i32.const 0))))
    (local.set $p (global.get $top))
    (global.set $top (i32.and (i32.add (i32.add (global.get $top) (local.get $n)) (i32.const 15)) (i32.const -16)))
    {alloc_result})
  (func (export "bump_reset")
    (memory.fill (i32.const 4096) (i32.const 0) (i32.sub (global.get $top) (i32.const 4096)))
    (global.set $top (i32.const 4096)))
  (func (export "top") (result i32) (global.get $top))
  (func (export "sum") (param $p i32) (param $n i32) (result i32)
    (local $s i32)
    (block $done (loop $l
      (br_if $done (i32.eqz (local.get $n)))
      (local.set $s (i32.add (local.get $s) (i32.load8_u (local.get $p))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $l)))
    (local.get $s))
  (func (export "bump") (result i32)
    (global.set $count (i32.add (global.get $count) (i32.const 1)))
    (global.get $count))
  (func (export "boom") unreachable)
)"#
    )
}

fn good_guest() -> Vec<u8> {
    wat::parse_str(guest_wat("(local.get $p)")).unwrap()
}

struct Fns {
    top: TypedFunc<(), u32>,
    sum: TypedFunc<(u32, u32), u32>,
    bump: TypedFunc<(), i32>,
    boom: TypedFunc<(), ()>,
}

impl Exports for Fns {
    fn bind(b: &mut Binder<'_>) -> Result<Self, Error> {
        Ok(Fns {
            top: b.func("top")?,
            sum: b.func("sum")?,
            bump: b.func("bump")?,
            boom: b.func("boom")?,
        })
    }
}

fn sum(g: &mut Guest<Fns>, bytes: &[u8]) -> Result<(u32, u32), Error> {
    g.call("sum", |call, fns| {
        let mut frame = Frame::new("sum");
        let slot = frame.slot::<u8>(bytes.len(), "bytes")?;
        let block = call.alloc(&frame)?;
        let ptr = block.ptr(slot);
        call.write(ptr, bytes)?;
        let n: u32 = call.len(bytes.len(), "n")?;
        let s = call.invoke(&fns.sum, (ptr, n))?;
        let back = call.read_vec::<u8>(ptr, bytes.len())?;
        assert_eq!(back, bytes);
        Ok((s, ptr))
    })
}

fn top(g: &mut Guest<Fns>) -> u32 {
    g.call("top", |call, fns| call.invoke(&fns.top, ()))
        .unwrap()
}

#[test]
fn call_round_trip_and_arena_reset_after_success() {
    let mut g = Guest::<Fns>::new(&good_guest(), "bump_alloc", "bump_reset").unwrap();
    let (s, ptr) = sum(&mut g, &[1, 2, 3, 250]).unwrap();
    assert_eq!(s, 256);
    assert_eq!(ptr, 4096);
    assert_eq!(top(&mut g), 4096, "arena rewound after the call");
    // The bytes written by the previous call were wiped by the reset.
    let old = g
        .call("peek", |call, _| {
            let mut frame = Frame::new("peek");
            frame.slot::<u8>(4, "x")?;
            let block = call.alloc(&frame)?;
            call.read_vec::<u8>(block.ptr(frame.slot::<u8>(0, "y")?), 0)?;
            call.read_vec::<u8>(4096, 4)
        })
        .unwrap();
    assert_eq!(old, vec![0, 0, 0, 0]);
}

#[test]
fn arena_reset_after_an_error_too() {
    let mut g = Guest::<Fns>::new(&good_guest(), "bump_alloc", "bump_reset").unwrap();
    let err = g
        .call("fails", |call, _| -> Result<(), Error> {
            let mut frame = Frame::new("fails");
            frame.slot::<u8>(100, "x")?;
            call.alloc(&frame)?;
            call.status(-3)
        })
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Status {
                function: "fails",
                status: -3,
                message: None
            }
        ),
        "{err}"
    );
    assert_eq!(top(&mut g), 4096);
}

#[test]
fn trap_reinstantiates_and_object_stays_usable() {
    let mut g = Guest::<Fns>::new(&good_guest(), "bump_alloc", "bump_reset").unwrap();
    let bump = |g: &mut Guest<Fns>| {
        g.call("bump", |call, fns| call.invoke(&fns.bump, ()))
            .unwrap()
    };
    assert_eq!(bump(&mut g), 1);
    assert_eq!(bump(&mut g), 2);
    let err = g
        .call("boom", |call, fns| call.invoke(&fns.boom, ()))
        .unwrap_err();
    match &err {
        Error::Trap {
            function,
            code,
            message,
        } => {
            assert_eq!(*function, "boom");
            assert_eq!(
                *code,
                Some(wasm_bind_rt::wasmtime::Trap::UnreachableCodeReached)
            );
            assert!(!message.is_empty());
        }
        other => panic!("expected a trap, got {other:?}"),
    }
    assert_eq!(bump(&mut g), 1, "fresh instance after the trap");
    assert_eq!(sum(&mut g, &[7]).unwrap().0, 7);
}

#[test]
fn alloc_returning_zero_is_out_of_memory_and_recreates_the_instance() {
    let mut g = Guest::<Fns>::new(&good_guest(), "bump_alloc", "bump_reset").unwrap();
    let err = sum(&mut g, &vec![1u8; 70_000]).unwrap_err();
    assert!(
        matches!(
            &err,
            Error::OutOfMemory {
                function: "sum",
                size: 70_000
            }
        ),
        "{err}"
    );
    assert_eq!(
        g.__generation(),
        1,
        "a fresh instance: a failed allocation must not leave the allocator stuck"
    );
    assert_eq!(sum(&mut g, &[1, 1]).unwrap().0, 2);
}

#[test]
fn out_of_bounds_or_misaligned_alloc_is_a_guest_error() {
    for (result, expect) in [
        ("(i32.const 65528)", "past the end of guest memory"),
        ("(i32.const 4099)", "not 8-byte aligned"),
    ] {
        let wasm = wat::parse_str(guest_wat(result)).unwrap();
        let mut g = Guest::<Fns>::new(&wasm, "bump_alloc", "bump_reset").unwrap();
        let err = sum(&mut g, &[1; 16]).unwrap_err();
        assert!(
            matches!(&err, Error::Guest { message, .. } if message.contains(expect)),
            "{err}"
        );
    }
}

#[test]
fn pointers_outside_memory_are_refused() {
    let mut g = Guest::<Fns>::new(&good_guest(), "bump_alloc", "bump_reset").unwrap();
    let err = g
        .call("peek", |call, _| call.read_vec::<u8>(u32::MAX - 1, 4))
        .unwrap_err();
    assert!(matches!(err, Error::Guest { .. }), "{err}");
    let err = g
        .call("poke", |call, _| call.write::<u32>(65535, &[1]))
        .unwrap_err();
    assert!(matches!(err, Error::Guest { .. }), "{err}");
    assert!(g
        .call("peek", |call, _| call.read_array::<u8, 4>(65532))
        .is_ok());
}

#[test]
fn argument_errors() {
    let mut g = Guest::<Fns>::new(&good_guest(), "bump_alloc", "bump_reset").unwrap();
    let err = g
        .call("f", |call, _| call.same_len("a", 3, "b", 4))
        .unwrap_err();
    assert!(
        matches!(&err, Error::Argument { message, .. } if message.contains("`a` (3 elements) and `b` (4 elements)")),
        "{err}"
    );
    let err = g.call("f", |call, _| call.len::<u8>(300, "n")).unwrap_err();
    assert!(
        matches!(err, Error::Argument { function: "f", .. }),
        "{err}"
    );
    let err = g.call("f", |call, _| call.ret::<u8, u32>(256)).unwrap_err();
    assert!(matches!(err, Error::Guest { .. }), "{err}");
}

#[test]
fn load_errors_name_the_export() {
    struct Missing;
    impl Exports for Missing {
        fn bind(b: &mut Binder<'_>) -> Result<Self, Error> {
            b.func::<(), ()>("nope")?;
            Ok(Missing)
        }
    }
    struct WrongSig;
    impl Exports for WrongSig {
        fn bind(b: &mut Binder<'_>) -> Result<Self, Error> {
            b.func::<(u32,), ()>("sum")?;
            Ok(WrongSig)
        }
    }
    let wasm = good_guest();
    let err = Guest::<Missing>::new(&wasm, "bump_alloc", "bump_reset")
        .err()
        .unwrap();
    assert!(err.to_string().contains("does not export `nope`"), "{err}");
    let err = Guest::<WrongSig>::new(&wasm, "bump_alloc", "bump_reset")
        .err()
        .unwrap();
    assert!(
        err.to_string()
            .contains("export `sum` does not have the signature"),
        "{err}"
    );
    let err = Guest::<Fns>::new(&wasm, "my_alloc", "bump_reset")
        .err()
        .unwrap();
    assert!(
        err.to_string().contains("does not export `my_alloc`"),
        "{err}"
    );
    let err = Guest::<Fns>::new(b"not wasm", "bump_alloc", "bump_reset")
        .err()
        .unwrap();
    assert!(matches!(err, Error::Load(_)), "{err}");
    let err = Guest::<Fns>::from_file(
        std::path::Path::new("/nonexistent.wasm"),
        "bump_alloc",
        "bump_reset",
    )
    .err()
    .unwrap();
    assert!(
        err.to_string().contains("cannot read `/nonexistent.wasm`"),
        "{err}"
    );
}

#[test]
fn module_compiled_once_and_guest_is_send() {
    fn assert_send<T: Send>(_: &T) {}
    let wasm = good_guest();
    let mut a = Guest::<Fns>::new(&wasm, "bump_alloc", "bump_reset").unwrap();
    let n = wasm_bind_rt::engine::cached_modules();
    let b = Guest::<Fns>::new(&wasm, "bump_alloc", "bump_reset").unwrap();
    assert_eq!(
        wasm_bind_rt::engine::cached_modules(),
        n,
        "second instance reuses the compiled module"
    );
    assert_send(&b);
    let handle = std::thread::spawn(move || {
        let mut b = b;
        sum(&mut b, &[2, 2]).unwrap().0
    });
    assert_eq!(handle.join().unwrap(), 4);
    assert_eq!(sum(&mut a, &[3]).unwrap().0, 3);
}

#[test]
fn a_panic_mid_call_replaces_the_instance_at_the_next_call() {
    let mut g = Guest::<Fns>::new(&good_guest(), "bump_alloc", "bump_reset").unwrap();
    g.call("bump", |call, fns| call.invoke(&fns.bump, ()))
        .unwrap();
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _ = g.call("bump", |call, fns| -> Result<(), Error> {
            call.invoke(&fns.bump, ())?;
            panic!("host code panicked mid-call");
        });
    }));
    assert!(caught.is_err());
    assert_eq!(
        g.call("bump", |call, fns| call.invoke(&fns.bump, ()))
            .unwrap(),
        1,
        "fresh instance"
    );
}

/// A guest with the persistent allocator too: blocks handed out from 32768 up, freed blocks
/// recorded (count and last pointer) so the test can see them come back.
fn persist_guest() -> Vec<u8> {
    let wat = guest_wat("(local.get $p)").replace(
        "(func (export \"boom\") unreachable)",
        r#"(func (export "boom") unreachable)
  (global $ptop (mut i32) (i32.const 32768))
  (global $freed (mut i32) (i32.const 0))
  (global $last_freed (mut i32) (i32.const 0))
  (func (export "wb_persist_alloc") (param $n i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $ptop))
    (global.set $ptop (i32.add (global.get $ptop) (i32.const 64)))
    (local.get $p))
  (func (export "wb_persist_free") (param $p i32) (param $n i32)
    (global.set $freed (i32.add (global.get $freed) (i32.const 1)))
    (global.set $last_freed (local.get $p)))
  (func (export "freed") (result i32) (global.get $freed))
  (func (export "use_handle") (param $p i32) (result i32) (local.get $p))"#,
    );
    wat::parse_str(wat).unwrap()
}

struct PersistFns {
    freed: TypedFunc<(), i32>,
    use_handle: TypedFunc<u32, u32>,
    boom: TypedFunc<(), ()>,
}

impl Exports for PersistFns {
    fn bind(b: &mut Binder<'_>) -> Result<Self, Error> {
        Ok(PersistFns {
            freed: b.func("freed")?,
            use_handle: b.func("use_handle")?,
            boom: b.func("boom")?,
        })
    }
}

#[test]
fn handles_are_freed_after_drop_and_void_after_a_trap() {
    let mut g = Guest::<PersistFns>::new(&persist_guest(), "bump_alloc", "bump_reset").unwrap();
    let freed = |g: &mut Guest<PersistFns>| {
        g.call("freed", |call, fns| call.invoke(&fns.freed, ()))
            .unwrap()
    };
    let h = g.new_handle("ctx", 40, 8).unwrap();
    let ptr = g.call("use_handle", |call, fns| {
        let p = call.handle(&h, "ctx")?;
        call.invoke(&fns.use_handle, p)
    });
    assert_eq!(ptr.unwrap(), 32768);
    assert_eq!(freed(&mut g), 0);
    drop(h);
    assert_eq!(freed(&mut g), 1, "dropped handle freed at the next call");

    // After a trap the guest is new: an old handle is refused, and is not freed into the new one.
    let old = g.new_handle("ctx", 40, 8).unwrap();
    assert!(g
        .call("boom", |call, fns| call.invoke(&fns.boom, ()))
        .is_err());
    let err = g
        .call("use_handle", |call, _| call.handle(&old, "ctx"))
        .unwrap_err();
    assert!(
        matches!(&err, Error::Argument { message, .. } if message.contains("re-instantiated")),
        "{err}"
    );
    drop(old);
    assert_eq!(
        freed(&mut g),
        0,
        "a handle of the old instance is not freed into the new one"
    );

    // A handle of another object is refused.
    let mut other = Guest::<PersistFns>::new(&persist_guest(), "bump_alloc", "bump_reset").unwrap();
    let foreign = other.new_handle("ctx", 40, 8).unwrap();
    let err = g
        .call("use_handle", |call, _| call.handle(&foreign, "ctx"))
        .unwrap_err();
    assert!(
        matches!(&err, Error::Argument { message, .. } if message.contains("another binding object")),
        "{err}"
    );
}

#[test]
fn handles_need_the_persistent_allocator() {
    let mut g = Guest::<Fns>::new(&good_guest(), "bump_alloc", "bump_reset").unwrap();
    let err = g.new_handle("ctx", 40, 8).unwrap_err();
    assert!(err.to_string().contains("wb_persist_alloc"), "{err}");
}

#[test]
fn c_strings_checked_and_filled_returns() {
    let wat = guest_wat("(local.get $p)").replace(
        "(func (export \"boom\") unreachable)",
        r#"(func (export "boom") unreachable)
  (data (i32.const 100) "h\c3\a9llo\00")
  (data (i32.const 200) "\ff\fe\00")
  (data (i32.const 65528) "abcdefgh")
  (func (export "str_at") (param $p i32) (result i32) (local.get $p))"#,
    );
    struct StrFns {
        str_at: TypedFunc<u32, u32>,
    }
    impl Exports for StrFns {
        fn bind(b: &mut Binder<'_>) -> Result<Self, Error> {
            Ok(StrFns {
                str_at: b.func("str_at")?,
            })
        }
    }
    let mut g =
        Guest::<StrFns>::new(&wat::parse_str(wat).unwrap(), "bump_alloc", "bump_reset").unwrap();
    let read = |g: &mut Guest<StrFns>, at: u32, max: u32| {
        g.call("str_at", |call, fns| {
            let p = call.invoke(&fns.str_at, at)?;
            call.read_c_str(p, max)
        })
    };
    assert_eq!(read(&mut g, 100, 4096).unwrap(), "héllo");
    assert_eq!(
        read(&mut g, 100, 6).unwrap(),
        "héllo",
        "exactly max_len bytes before the NUL"
    );
    assert!(
        matches!(read(&mut g, 100, 5), Err(Error::Guest { .. })),
        "no NUL within max_len"
    );
    assert!(
        matches!(read(&mut g, 200, 10), Err(Error::Guest { message, .. }) if message.contains("UTF-8"))
    );
    assert!(
        matches!(read(&mut g, 0, 10), Err(Error::Guest { message, .. }) if message.contains("NULL"))
    );
    assert!(
        matches!(read(&mut g, 65528, 100), Err(Error::Guest { .. })),
        "runs off the end of memory"
    );
    assert_eq!(read(&mut g, 65000, 10).unwrap(), "", "an empty string");

    // Strings passed in: NUL-terminated copies; an embedded NUL is refused before any copy.
    let back = g.call("str_in", |call, _| {
        let n = call.c_str("añb", "s")?;
        let mut frame = Frame::new("str_in");
        let slot = frame.slot::<u8>(n + 1, "s")?;
        let ptr = call.alloc(&frame)?.ptr(slot);
        call.write_c_str(ptr, "añb")?;
        call.read_vec::<u8>(ptr, n + 1)
    });
    assert_eq!(back.unwrap(), b"a\xc3\xb1b\0");
    let err = g
        .call("str_in", |call, _| call.c_str("a\0b", "s"))
        .unwrap_err();
    assert!(
        matches!(&err, Error::Argument { message, .. } if message.contains("NUL byte at 1")),
        "{err}"
    );

    // Checked and filled-length returns.
    let err = g.call("f", |call, _| call.checked(-4, false)).unwrap_err();
    assert!(matches!(
        err,
        Error::Status {
            function: "f",
            status: -4,
            message: None
        }
    ));
    assert!(g.call("f", |call, _| call.checked(0, false)).is_ok());
    assert!(matches!(
        g.call("f", |call, _| call.checked(0, true)),
        Err(Error::Status { status: 0, .. })
    ));
    assert_eq!(g.call("f", |call, _| call.filled(7, 7)).unwrap(), 7);
    assert!(
        matches!(
            g.call("f", |call, _| call.filled(8, 7)),
            Err(Error::Guest { .. })
        ),
        "never an over-read"
    );
}

/// The views a generated wrapper copies through (`Call::inputs` / `Call::outputs`, one memory
/// slice per phase) keep the block rule: every byte the host did not write an input into reads
/// as zero, whatever the memory held before; accesses outside memory are refused.
#[test]
fn block_views_zero_what_is_not_an_input_and_check_bounds() {
    let mut g = Guest::<Fns>::new(&good_guest(), "bump_alloc", "bump_reset").unwrap();
    // Stale bytes where the next block will be (no block in this call: nothing wipes them).
    g.call("dirty", |call, _| call.write(4096, &[0xAAu8; 64]))
        .unwrap();
    let (before, input, after) = g
        .call("views", |call, _| {
            let mut frame = Frame::new("views");
            let out0 = frame.slot::<u8>(16, "out0")?;
            let inp = frame.slot::<u32>(2, "inp")?;
            let out1 = frame.slot::<u8>(20, "out1")?;
            let block = call.alloc(&frame)?;
            assert_eq!(block.ptr(out0), 4096, "the block is the stale memory");
            let mut inputs = call.inputs();
            inputs.write(block.ptr(inp), &[7u32, 0x0102_0304])?;
            inputs.seal()?;
            let outputs = call.outputs()?;
            Ok((
                outputs.read_array::<u8, 16>(block.ptr(out0))?,
                outputs.read_vec::<u32>(block.ptr(inp), 2)?,
                outputs.read_vec::<u8>(block.ptr(out1), 20)?,
            ))
        })
        .unwrap();
    assert_eq!(before, [0; 16]);
    assert_eq!(input, vec![7, 0x0102_0304]);
    assert_eq!(after, vec![0; 20]);

    // Outputs before the block is sealed are refused (never unzeroed bytes).
    let err = g
        .call("early", |call, _| {
            let mut frame = Frame::new("early");
            frame.slot::<u8>(8, "x")?;
            call.alloc(&frame)?;
            call.outputs().map(|_| ())
        })
        .unwrap_err();
    assert!(matches!(err, Error::Host { .. }), "{err}");

    let err = g
        .call("poke", |call, _| call.inputs().write::<u32>(65535, &[1]))
        .unwrap_err();
    assert!(matches!(err, Error::Guest { .. }), "{err}");
    let err = g
        .call("peek", |call, _| {
            call.outputs()?.read_vec::<u8>(u32::MAX - 1, 4)
        })
        .unwrap_err();
    assert!(matches!(err, Error::Guest { .. }), "{err}");
}
