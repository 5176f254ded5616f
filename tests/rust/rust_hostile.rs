//! Hostile guests (tests/hostile/*.wat) behind the bindings `wasm_bind!` generates for
//! tests/hostile/hostile.h: every misbehaviour is a clear `wasm_bind_rt::Error`, never an
//! out-of-bounds access or a crash, and the object is usable for the next call.

mod rust_common;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use bindgen_macro::wasm_bind;
use wasm_bind_rt::{Binder, Error, Exports, Frame, Guest, Options};

wasm_bind!("hostile/hostile.h");

/// key[0] == 0xEE fires the misbehaviour of a hostile guest; 32 bytes.
const TRIGGER: [u8; 32] = *b"\xEEhostile-secret-key-0123456789ab";

/// The same key without the trigger: hostile guests behave honestly.
fn honest() -> [u8; 32] {
    let mut k = TRIGGER;
    k[0] = b'H';
    k
}

fn small() -> Vec<u8> {
    b"small message".to_vec()
}

/// Too large for the 64 KiB left in the guest's initial arena: memory grows.
fn large() -> Vec<u8> {
    rust_common::bytes(7, 140_000)
}

fn wasm(name: &str) -> Vec<u8> {
    let path = rust_common::repo_root().join(format!("tests/hostile/{name}.wat"));
    wat::parse_file(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn load(name: &str) -> Hostile {
    Hostile::from_bytes(&wasm(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn load_with(name: &str, options: &Options) -> Hostile {
    Hostile::from_bytes_with(&wasm(name), options).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn mix(key: &[u8; 32], message: &[u8]) -> [u8; 32] {
    let x = message.iter().fold(0u8, |a, b| a ^ b);
    key.map(|k| k ^ x)
}

fn hash(size: usize, message: &[u8]) -> Vec<u8> {
    (0..size)
        .map(|i| {
            let b = if message.is_empty() {
                0
            } else {
                message[i % message.len()]
            };
            b ^ (i as u8)
        })
        .collect()
}

fn honest_calls_work(obj: &mut Hostile) {
    for msg in [small(), large()] {
        assert_eq!(
            obj.hostile_mix(&honest(), &msg).unwrap(),
            mix(&honest(), &msg)
        );
        assert_eq!(obj.hostile_hash(70, &msg).unwrap(), hash(70, &msg));
    }
}

/// The first offset where guest memory holds any 8-byte window of `secret`.
fn leak(memory: &[u8], secret: &[u8]) -> Option<usize> {
    let windows: HashSet<&[u8]> = secret.windows(8).collect();
    memory.windows(8).position(|w| windows.contains(w))
}

fn assert_no_key(obj: &Hostile) {
    // TRIGGER[1..] (key[0] is the trigger byte, and 0xEE alone is not a secret).
    if let Some(at) = leak(&obj.__wb_memory(), &TRIGGER[1..]) {
        panic!("key bytes left in guest memory at {at:#x}");
    }
}

#[test]
fn good_guest_works_and_leaves_nothing() {
    let mut obj = load("good");
    honest_calls_work(&mut obj);
    assert_eq!(obj.hostile_mix(&TRIGGER, b"").unwrap(), TRIGGER); // good.wat ignores the trigger
    assert_no_key(&obj);
    assert_eq!(obj.__wb_generation(), 0);
}

#[test]
fn bad_allocator_pointers_are_guest_errors() {
    for (name, expect) in [
        ("alloc_negative", "past the end of guest memory"),
        ("alloc_overflow", "past the end of guest memory"),
        ("alloc_past_end", "past the end of guest memory"),
        (
            "alloc_below_heap",
            "below the guest heap (__heap_base 0x10000)",
        ),
        (
            "alloc_null_page",
            "below the guest heap (__heap_base 0x10000)",
        ),
    ] {
        let mut obj = load(name);
        // A small frame uses the scratch block (from the persistent allocator), a large one the
        // arena: both allocators are checked.
        for (round, (msg, allocator)) in [
            (small(), "wb_persist_alloc(16384)` (the scratch block)"),
            (large(), "bump_alloc("),
        ]
        .into_iter()
        .enumerate()
        {
            let round = u64::try_from(round).unwrap() + 1;
            let err = obj.hostile_mix(&honest(), &msg).unwrap_err();
            match &err {
                Error::Guest {
                    function: "hostile_mix",
                    message,
                } => {
                    assert!(message.contains(expect), "{name}: {err}");
                    assert!(message.contains(allocator), "{name}: {err}");
                }
                _ => panic!("{name}: expected Error::Guest, got {err:?}"),
            }
            // The state cannot be trusted: a fresh instance each time, and still callable.
            assert_eq!(obj.__wb_generation(), round, "{name}");
        }
        assert_no_key(&obj);
    }
}

/// No exports beyond the arena: for runtime-level tests of the persistent allocator.
struct NoExports;

impl Exports for NoExports {
    fn bind(_: &mut Binder<'_>) -> Result<Self, Error> {
        Ok(NoExports)
    }
}

#[test]
fn small_frames_share_one_scratch_block_and_large_ones_use_the_arena() {
    let mut g = Guest::<NoExports>::new(&wasm("good"), "bump_alloc", "bump_reset").unwrap();
    let base = |g: &mut Guest<NoExports>, bytes: usize| {
        g.call("f", |call, _| {
            let mut frame = Frame::new("f");
            let slot = frame.slot::<u8>(bytes, "buf")?;
            Ok(call.alloc(&frame)?.ptr(slot))
        })
        .unwrap()
    };
    let small = base(&mut g, 64);
    assert_eq!(base(&mut g, 16 * 1024), small, "the scratch block again");
    let large = base(&mut g, 16 * 1024 + 1);
    assert_ne!(large, small, "an arena block");
    // The scratch block is a live block: no handle may be placed over it.
    let h = g.new_handle("ctx", 64, 8).unwrap();
    let at = g.call("f", |call, _| call.handle(&h, "ctx")).unwrap();
    assert!(
        at + 64 <= small || at >= small + 16 * 1024,
        "{at:#x} vs {small:#x}"
    );
    assert_eq!(g.__generation(), 0);
}

#[test]
fn same_pointer_twice_is_a_guest_error() {
    let mut g =
        Guest::<NoExports>::new(&wasm("alloc_same_twice"), "bump_alloc", "bump_reset").unwrap();
    let handle = g.new_handle("ctx", 64, 8).unwrap(); // a live block at 65536
    let err = g
        .call("f", |call, _| {
            let mut frame = Frame::new("f");
            frame.slot::<u8>(32, "buf")?;
            call.alloc(&frame).map(|_| ())
        })
        .unwrap_err();
    assert!(
        matches!(&err, Error::Guest { message, .. } if message.contains("overlapping the block [0x10000, 0x10040) still in use")),
        "{err}"
    );
    assert_eq!(g.__generation(), 1);
    drop(handle); // of the old generation: never handed to the new instance's free
    let first = g.new_handle("ctx", 64, 8).unwrap();
    let err = g.new_handle("ctx", 64, 8).unwrap_err();
    assert!(
        matches!(&err, Error::Guest { function: "wb_persist_alloc", message } if message.contains("overlapping")),
        "{err}"
    );
    assert_eq!(g.__generation(), 2);
    drop(first);
}

#[test]
fn growth_refused_is_out_of_memory_and_the_object_recovers() {
    // 3 pages initially: one more page at most.
    let mut obj = load_with("good", &Options::default().max_memory(4 * 65536));
    let err = obj.hostile_mix(&honest(), &vec![0u8; 200_000]).unwrap_err();
    assert!(
        matches!(err, Error::OutOfMemory { function: "hostile_mix", size } if size > 200_000),
        "{err:?}"
    );
    assert_eq!(
        obj.__wb_generation(),
        1,
        "after an arena allocation fails the instance is re-created"
    );
    assert_eq!(
        obj.__wb_memory().len(),
        3 * 65536,
        "memory back to its initial size"
    );
    assert_eq!(
        obj.hostile_mix(&honest(), &small()).unwrap(),
        mix(&honest(), &small())
    );
    // Larger than the cap itself: refused before any guest call.
    let err = obj.hostile_mix(&honest(), &vec![0u8; 300_000]).unwrap_err();
    assert!(
        matches!(&err, Error::Argument { message, .. } if message.contains("more than max_memory (262144 bytes)")),
        "{err}"
    );
    assert!(obj.__wb_memory().len() <= 4 * 65536);
}

#[test]
fn an_allocator_that_fails_for_good_after_a_large_request_does_not_stick() {
    let mut obj = load("alloc_sticky_zero");
    honest_calls_work(&mut obj);
    let big = vec![1u8; 2 << 20]; // the arena request exceeds 1 MiB: the guest's allocator breaks
    for round in 1..=2 {
        let err = obj.hostile_mix(&honest(), &big).unwrap_err();
        assert!(
            matches!(err, Error::OutOfMemory { function: "hostile_mix", size } if size > 2 << 20),
            "{err:?}"
        );
        assert_eq!(obj.__wb_generation(), round);
        // The next call works: the broken allocator went with the old instance.
        honest_calls_work(&mut obj);
    }
    assert_no_key(&obj);
}

#[test]
fn a_handle_allocator_that_fails_for_good_is_replaced_unless_handles_are_live() {
    let mut g =
        Guest::<NoExports>::new(&wasm("alloc_sticky_zero"), "bump_alloc", "bump_reset").unwrap();
    // No live handle: nothing to lose, so the instance is re-created and the next one works.
    let err = g.new_handle("ctx", 100_000, 8).unwrap_err();
    assert!(
        matches!(
            err,
            Error::OutOfMemory {
                function: "ctx",
                size: 100_000
            }
        ),
        "{err:?}"
    );
    assert_eq!(g.__generation(), 1);
    let live = g.new_handle("ctx", 64, 8).unwrap();
    // A live handle: kept (the honest cause of a full persistent heap is too many handles).
    assert!(matches!(
        g.new_handle("ctx", 100_000, 8),
        Err(Error::OutOfMemory { .. })
    ));
    assert_eq!(g.__generation(), 1, "the live handle is not thrown away");
    g.call("f", |call, _| {
        call.handle(&live, "live")?;
        Ok(())
    })
    .unwrap();
    drop(live);
}

#[test]
fn heap_base_of_the_wrong_type_is_a_load_error() {
    for (name, what) in [
        ("heap_base_function", "is a function"),
        ("heap_base_i64", "is a `i64` global"),
    ] {
        let err = Hostile::from_bytes(&wasm(name)).err().unwrap();
        assert!(
            matches!(&err, Error::Load(m) if m.contains(&format!("export `__heap_base` {what}, not an `i32` global"))),
            "{name}: {err}"
        );
    }
}

#[test]
fn memory_growth_during_the_call_is_followed() {
    let mut obj = load("grow_during_call");
    for msg in [small(), large()] {
        let before = obj.__wb_memory().len();
        assert_eq!(
            obj.hostile_mix(&TRIGGER, &msg).unwrap(),
            mix(&TRIGGER, &msg)
        );
        assert_eq!(obj.__wb_memory().len(), before + 100 * 65536);
    }
    honest_calls_work(&mut obj);
    assert_no_key(&obj);
}

#[test]
fn growth_toward_4_gib_stops_at_the_cap() {
    let cap = 512 * 1024 * 1024;
    let mut obj = load_with("grow_unbounded", &Options::default().max_memory(cap));
    let t0 = Instant::now();
    assert_eq!(
        obj.hostile_mix(&TRIGGER, &small()).unwrap(),
        mix(&TRIGGER, &small())
    );
    assert!(t0.elapsed() < Duration::from_secs(10));
    let size = obj.__wb_memory().len() as u64;
    assert!(cap - 64 * 1024 * 1024 < size && size <= cap, "{size}");
}

#[test]
fn default_memory_cap_is_256_mib() {
    let mut obj = load("grow_unbounded");
    assert_eq!(obj.options().max_memory, 256 * 1024 * 1024);
    obj.hostile_mix(&TRIGGER, &small()).unwrap();
    assert!(obj.__wb_memory().len() <= 256 * 1024 * 1024);
}

#[test]
fn huge_initial_memory_is_a_load_error() {
    let err = Hostile::from_bytes(&wasm("huge_initial")).err().unwrap();
    assert!(
        matches!(&err, Error::Load(m) if m.contains("initial memory is 536870912 bytes (8192 pages), more than max_memory (268435456 bytes)")),
        "{err}"
    );
    let mut obj = load_with("huge_initial", &Options::default().max_memory(1 << 30));
    honest_calls_work(&mut obj);
}

#[test]
fn invalid_options_are_load_errors() {
    for bad in [
        Options::default().max_memory(0),
        Options::default().max_memory(1000),
        Options::default().max_memory((1 << 32) + 1),
        Options::default().timeout(Some(Duration::ZERO)),
    ] {
        let err = Hostile::from_bytes_with(&wasm("good"), &bad).err().unwrap();
        assert!(
            matches!(&err, Error::Load(m) if m.contains("invalid Options")),
            "{err}"
        );
    }
}

#[test]
fn broken_exports_are_load_errors_naming_them() {
    for (name, expect) in [
        (
            "wrong_signature",
            "export `hostile_mix` does not have the signature",
        ),
        ("no_memory", "does not export its linear memory as `memory`"),
        ("no_reset", "does not export `bump_reset`"),
    ] {
        let err = Hostile::from_bytes(&wasm(name)).err().unwrap();
        assert!(
            matches!(&err, Error::Load(m) if m.contains(expect)),
            "{name}: {err}"
        );
    }
}

#[test]
fn trap_halfway_through_the_output() {
    let mut obj = load("trap_midway");
    for msg in [small(), large()] {
        let generation = obj.__wb_generation();
        let err = obj.hostile_mix(&TRIGGER, &msg).unwrap_err();
        assert!(
            matches!(
                &err,
                Error::Trap {
                    function: "hostile_mix",
                    code: Some(wasm_bind_rt::wasmtime::Trap::UnreachableCodeReached),
                    ..
                }
            ),
            "{err:?}"
        );
        assert_eq!(obj.__wb_generation(), generation + 1);
        assert_no_key(&obj);
        honest_calls_work(&mut obj);
    }
}

#[test]
fn infinite_loop_times_out() {
    let limit = Duration::from_millis(300);
    let mut obj = load_with("infinite_loop", &Options::default().timeout(Some(limit)));
    for _ in 0..2 {
        let t0 = Instant::now();
        let err = obj.hostile_mix(&TRIGGER, &small()).unwrap_err();
        let elapsed = t0.elapsed();
        assert!(
            matches!(&err, Error::Timeout { function: "hostile_mix", limit: l } if *l == limit),
            "{err:?}"
        );
        assert!(err.to_string().contains("timed out"), "{err}");
        assert!(
            Duration::from_millis(250) < elapsed && elapsed < Duration::from_secs(3),
            "{elapsed:?}"
        );
        assert_no_key(&obj);
        honest_calls_work(&mut obj);
    }
}

#[test]
fn a_reset_that_never_returns_times_out_naming_it() {
    let limit = Duration::from_millis(300);
    let mut obj = load_with("reset_loops", &Options::default().timeout(Some(limit)));
    let t0 = Instant::now();
    let err = obj.hostile_mix(&TRIGGER, &small()).unwrap_err();
    assert!(
        matches!(&err, Error::Timeout { function: "bump_reset", limit: l } if *l == limit),
        "{err:?}"
    );
    assert!(t0.elapsed() < Duration::from_secs(3));
    assert_eq!(obj.__wb_generation(), 1);
    assert_no_key(&obj);
    honest_calls_work(&mut obj);
}

#[test]
fn a_looping_guest_does_not_block_other_threads() {
    let looping = std::thread::spawn(|| {
        let opts = Options::default().timeout(Some(Duration::from_secs(1)));
        let mut obj = load_with("infinite_loop", &opts);
        obj.hostile_mix(&TRIGGER, &small()).unwrap_err()
    });
    let mut other = load("good");
    let t0 = Instant::now();
    let mut done = 0;
    while !looping.is_finished() {
        assert_eq!(
            other.hostile_mix(&honest(), &small()).unwrap(),
            mix(&honest(), &small())
        );
        done += 1;
    }
    let err = looping.join().unwrap();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    let elapsed = t0.elapsed();
    assert!(
        Duration::from_millis(900) < elapsed && elapsed < Duration::from_secs(4),
        "{elapsed:?}"
    );
    assert!(done > 100, "{done}");
}

#[test]
fn timeout_none_is_no_limit() {
    let mut obj = load_with("good", &Options::default().timeout(None));
    assert_eq!(obj.options().timeout, None);
    honest_calls_work(&mut obj);
}

#[test]
fn unbounded_recursion_traps() {
    // The documented range 16 KiB ..= 256 MiB, from a test thread (2 MiB of native stack): the
    // large limits run on a helper thread whose stack holds them, so the guest uses all of it
    // and traps instead of overflowing the native stack and aborting the process.
    for stack in [
        None,
        Some(16 * 1024),
        Some(64 * 1024),
        Some(4 << 20),
        Some(wasm_bind_rt::MAX_WASM_STACK_LIMIT),
    ] {
        let opts = match stack {
            Some(bytes) => Options::default().max_wasm_stack(bytes),
            None => Options::default(),
        };
        let mut obj = load_with("recursion", &opts);
        let err = obj.hostile_mix(&TRIGGER, &small()).unwrap_err();
        assert!(
            matches!(
                &err,
                Error::Trap {
                    code: Some(wasm_bind_rt::wasmtime::Trap::StackOverflow),
                    ..
                }
            ),
            "{stack:?}: {err:?}"
        );
        assert_eq!(obj.__wb_generation(), 1);
        honest_calls_work(&mut obj);
    }
}

#[test]
fn writes_outside_the_output_into_other_arena_data() {
    let mut padded = small();
    padded.extend([0u8; 40]);
    for msg in [padded, large()] {
        let mut obj = load("writes_outside");
        assert_eq!(
            obj.hostile_mix(&TRIGGER, &msg).unwrap(),
            mix(&TRIGGER, &msg)
        );
        assert_no_key(&obj); // the copies landed in the call's block: wiped with it
        honest_calls_work(&mut obj);
    }
}

#[test]
fn clobbered_bump_pointer() {
    let mut obj = load("clobber_bump");
    let err = obj.hostile_mix(&TRIGGER, &small()).unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Trap {
                function: "bump_reset",
                code: Some(wasm_bind_rt::wasmtime::Trap::MemoryOutOfBounds),
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(obj.__wb_generation(), 1);
    assert_no_key(&obj);
    honest_calls_work(&mut obj);
}

#[test]
fn unwritten_output_is_zeros_never_stale() {
    for name in ["no_output", "dirty_alloc"] {
        for msg in [small(), large()] {
            let mut obj = load(name);
            // Leaves a result behind in the arena, then the guest skips writing.
            assert_eq!(
                obj.hostile_mix(&honest(), &msg).unwrap(),
                mix(&honest(), &msg)
            );
            assert_eq!(
                obj.hostile_mix(&TRIGGER, &msg).unwrap(),
                [0u8; 32],
                "{name}"
            );
            if name == "no_output" {
                assert_eq!(obj.hostile_hash(64, &msg).unwrap(), vec![0u8; 64]);
            }
        }
    }
}

#[test]
fn binding_objects_are_send() {
    fn assert_send<T: Send>() {}
    assert_send::<Hostile>();
}
