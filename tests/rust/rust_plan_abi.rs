//! The call plan's decisions, end to end through `wasm_bind!` over tests/headers/plan_abi.wat
//! (the same guest tests/python/test_plan_abi.py drives): each test names the bug it catches.

mod bound {
    bindgen_macro::wasm_bind!(
        "headers/plan_abi.h",
        config = "headers/plan_abi.toml",
        name = "PlanAbi"
    );
}

use bound::{CfgT, PlanAbi, WideT};

fn guest() -> PlanAbi {
    let wasm = wat::parse_file(concat!(env!("CARGO_MANIFEST_DIR"), "/headers/plan_abi.wat"))
        .expect("valid wat");
    PlanAbi::from_bytes(&wasm).expect("loads")
}

/// A struct whose only member is an `int64_t` crosses as one `i64`: the Rust back end once typed
/// the export `(u32,) -> i64` and passed an `i64`, which did not compile.
#[test]
fn int64_struct_by_value_is_an_i64() {
    let mut g = guest();
    assert_eq!(g.wide_twice(WideT { v: -21 }).unwrap(), -42);
    assert_eq!(g.wide_twice(WideT { v: 1 << 40 }).unwrap(), 1 << 41);
}

/// `cfg.data` and the parameter `cfg_data` get their own regions: locals named by joining C
/// names once declared `cfg_data`'s slot twice, so `cfg.data`'s 18 bytes landed in the 3-byte slot
/// of `cfg_data` (a wrong result, and guest memory overwritten).
#[test]
fn struct_field_slice_and_a_parameter_named_like_it_do_not_collide() {
    let mut g = guest();
    let data = [1u8; 18];
    let got = g.mix(CfgT { data: &data }, &[2, 3, 4]).unwrap();
    assert_eq!(got, 18 + 1000 * 9);
}

/// The arena layout is the plan's: fixed regions (`tag[3]`, `*count`) first at constant offsets,
/// then the variable ones (`msg`, `name`) in C order, each 8-aligned. Python's test asserts the
/// same offsets for the same calls.
#[test]
fn arena_layout_is_the_plans() {
    let mut g = guest();
    for (msg, want) in [
        (&b"hello"[..], [0u32, 16, 8, 24]),
        (&[7u8; 13][..], [0, 16, 8, 32]),
        (&[][..], [0, 16, 8, 16]),
    ] {
        let _ = g.probe(msg, "xy").unwrap();
        assert_eq!(
            g.probe_offsets().unwrap(),
            want,
            "msg of {} bytes",
            msg.len()
        );
    }
}

/// A 16-aligned struct by value and scratch memory (`scratch(n)`) are 16-aligned from the block:
/// scratch after a 5-byte `msg` lands at 48, not at 40 where 8-byte alignment would put it (the
/// Rust back end once laid out every region 8-aligned). Python's test asserts the same offsets.
#[test]
fn sixteen_aligned_regions_are_the_plans() {
    let mut g = guest();
    for (msg, n, want) in [
        (&b"hello"[..], 20u32, [0u32, 16, 32, 48]),
        (&[9u8; 17][..], 1, [0, 16, 32, 64]),
        (&[][..], 0, [0, 16, 32, 32]),
    ] {
        g.probe16(bound::Al16T { a: 1, b: 2 }, msg, n).unwrap();
        assert_eq!(
            g.probe16_offsets().unwrap(),
            want,
            "msg of {} bytes",
            msg.len()
        );
    }
}

/// A 1 MiB fixed output is returned boxed: returned by value it overflowed a thread's 2 MiB
/// stack and aborted the host process.
#[test]
fn large_fixed_output_is_boxed_and_safe_on_a_thread() {
    let out = std::thread::spawn(|| {
        let mut g = guest();
        g.big().unwrap()
    })
    .join()
    .expect("no stack overflow");
    assert_eq!(out.len(), 1 << 20);
    assert!(out.iter().all(|&b| b == 0xab));
}

/// `pair_t` passed by value and by pointer: two host types, `PairT` and `PairTHandle` (once two
/// `pub struct PairT` that did not compile).
#[test]
fn struct_by_value_and_by_pointer_get_two_types() {
    let mut g = guest();
    assert_eq!(g.pair_sum(bound::PairT { a: 2, b: 40 }).unwrap(), 42);
    let mut h = bound::PairTHandle::new(&mut g).unwrap();
    g.pair_set(&mut h, 1, 2).unwrap();
}
