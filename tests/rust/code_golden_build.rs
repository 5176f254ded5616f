//! The Rust goldens of `tests/golden/rust/` compiled: `all.rs` (written by `code_golden` with
//! `BLESS=1`) `include!`s each in its own module, so rustc type-checks every one; the headers
//! with a guest (`tests/headers/<case>.wat`) are also called through their golden.

#[path = "../golden/rust/all.rs"]
mod goldens;

use goldens::{name_collisions::NameCollisions, plan_abi::PlanAbi};

/// The `.wat` guest of a header, compiled.
fn guest(stem: &str) -> Vec<u8> {
    let path = format!("{}/headers/{stem}.wat", env!("CARGO_MANIFEST_DIR"));
    wat::parse_file(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// plan_abi's golden, called: the int64 struct by value, a struct slice next to a parameter
/// named like it, the plan's arena offsets (the values tests/rust/rust_plan_abi.rs asserts
/// through the macro), a handle.
#[test]
fn plan_abi_golden_calls() {
    let mut g = PlanAbi::from_bytes(&guest("plan_abi")).expect("loads");
    assert_eq!(
        g.wide_twice(goldens::plan_abi::WideT { v: -21 }).unwrap(),
        -42
    );
    assert_eq!(
        g.mix(goldens::plan_abi::CfgT { data: &[1u8; 18] }, &[2, 3, 4])
            .unwrap(),
        18 + 1000 * 9
    );
    g.probe(b"hello", "xy").unwrap();
    assert_eq!(g.probe_offsets().unwrap(), [0, 16, 8, 24]);
    assert_eq!(
        g.pair_sum(goldens::plan_abi::PairT { a: 2, b: 40 })
            .unwrap(),
        42
    );
    let mut h = goldens::plan_abi::PairTHandle::new(&mut g).unwrap();
    g.pair_set(&mut h, 1, 2).unwrap();
}

/// name_collisions' golden, called: renamed methods reach their own exports.
#[test]
fn name_collisions_golden_calls() {
    let mut g = NameCollisions::from_bytes(&guest("name_collisions")).expect("loads");
    assert_eq!(g.add(2, 3).unwrap(), 5);
    assert_eq!(g.options__(1).unwrap(), 101);
    assert_eq!(g.r#type(1).unwrap(), 1 + 100 * 10);
    assert_eq!(g.Optional(1).unwrap(), 1 + 100 * 19);
    assert_eq!(g.fill(3).unwrap(), vec![0xab; 3]);
    assert_eq!(g.length("hello").unwrap(), 5);
    assert_eq!(g.two().unwrap(), (1, 2));
    assert_eq!(NameCollisions::WASM_, 7);
}
