//! Callback parameters through `wasm_bind!` (tests/headers/shape_callbacks.h, guest
//! guests/callbacks/callbacks.c): every callback shape with closures that borrow local state,
//! and the hostile cases: a panicking closure, a guest that keeps the pointer and calls it after
//! the call, a callback loop that never ends (timeout), recursion through the guest. Needs
//! `bash guests/build.sh` first.

use std::time::Duration;

use bindgen_macro::wasm_bind;
use wasm_bind_rt::{Error, Options};

wasm_bind!(
    "../tests/headers/shape_callbacks.h",
    wasm = "../target/guests/callbacks/callbacks.wasm"
);

fn guest() -> ShapeCallbacks {
    ShapeCallbacks::new().expect("instantiate the callbacks guest")
}

#[test]
fn sort_with_a_comparator_closure() {
    let mut m = guest();
    let mut values = vec![5, -3, 9, 1, 9, 0];
    let mut calls = 0;
    m.sort_i32(&mut values, |a, b| {
        calls += 1;
        a.cmp(&b) as i32
    })
    .unwrap();
    assert_eq!(values, [-3, 0, 1, 5, 9, 9]);
    assert!(calls >= 5);
    // descending, the closure decides
    m.sort_i32(&mut values, |a, b| b.cmp(&a) as i32).unwrap();
    assert_eq!(values, [9, 9, 5, 1, 0, -3]);
}

#[test]
fn context_pointer_is_hidden_and_closure_state_is_used() {
    let mut m = guest();
    let mut seen = Vec::new();
    assert_eq!(m.run_steps(4, |done| seen.push(done)).unwrap(), 4);
    assert_eq!(seen, [1, 2, 3, 4]);
}

#[test]
fn wide_results_slices_outputs_and_floats() {
    let mut m = guest();
    let big = m
        .map_sum(&[1, 2, 3], |x| i64::from(x) * 1_000_000_000_000)
        .unwrap();
    assert_eq!(big, 6_000_000_000_000);
    let mut parts = Vec::new();
    let total = m
        .chunks(b"abcdefg", 3, |part| {
            parts.push(part.to_vec());
            u32::try_from(part.len()).unwrap()
        })
        .unwrap();
    assert_eq!(total, 7);
    assert_eq!(parts, [b"abc".to_vec(), b"def".to_vec(), b"g".to_vec()]);
    let sum = m
        .fill_and_sum(5, |out| {
            for (i, v) in out.expect("non-NULL").iter_mut().enumerate() {
                *v = i32::try_from(i * i).unwrap();
            }
        })
        .unwrap();
    assert_eq!(sum, 30);
    assert_eq!(m.sum_scaled(4, |i| f64::from(i) * 0.5).unwrap(), 3000);
}

#[test]
fn recursion_in_the_guest_calls_the_closure_at_every_level() {
    let mut m = guest();
    let mut depths = Vec::new();
    let s = m
        .descend(50, |d| {
            depths.push(d);
            d * 2
        })
        .unwrap();
    assert_eq!(s, (0..=50).map(|d| d * 2).sum::<i32>());
    assert_eq!(depths, (0..=50).rev().collect::<Vec<_>>());
}

#[test]
fn a_panicking_closure_stops_the_call_and_the_object_recovers() {
    let mut m = guest();
    let before = m.__wb_generation();
    let err = m
        .sort_i32(&mut [3, 2, 1], |_, _| panic!("comparator gave up"))
        .unwrap_err();
    match &err {
        Error::Callback { function, message } => {
            assert_eq!(*function, "sort_i32");
            assert!(message.contains("comparator gave up"), "{message}");
            assert!(message.contains("callback `cmp`"), "{message}");
        }
        other => panic!("expected Error::Callback, got {other:?}"),
    }
    assert!(m.__wb_generation() > before, "instance re-created");
    assert_eq!(m.add(2, 3).unwrap(), 5);
    let mut v = [2, 1];
    m.sort_i32(&mut v, |a, b| a.cmp(&b) as i32).unwrap();
    assert_eq!(v, [1, 2]);
}

#[test]
fn a_pointer_kept_by_the_guest_traps_when_called_later() {
    let mut m = guest();
    m.stash(|_| {}).unwrap();
    let err = m.fire_stashed(7).unwrap_err();
    match &err {
        Error::Trap {
            function, message, ..
        } => {
            assert_eq!(*function, "fire_stashed");
            assert!(
                message.contains("after the call that passed it returned"),
                "{message}"
            );
        }
        other => panic!("expected Error::Trap, got {other:?}"),
    }
    assert_eq!(m.add(1, 1).unwrap(), 2);
}

#[test]
fn a_callback_loop_that_never_ends_times_out() {
    let options = Options::default().timeout(Some(Duration::from_millis(300)));
    let mut m = ShapeCallbacks::with_options(&options).unwrap();
    let mut ticks = 0u64;
    let err = m.spin(|| ticks += 1).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                function: "spin",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(ticks > 0);
    assert_eq!(m.add(20, 22).unwrap(), 42);
}
