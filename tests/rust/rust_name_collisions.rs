//! C functions named like what the generated struct defines itself (`new`, `options`,
//! `from_file`, ...), like Rust keywords (`type`, `self`) or like Python builtins are all bound
//! and callable, under the names of the documented rule (a trailing `_` for the struct's own
//! names, `r#` for keywords): tests/headers/name_collisions.h over an inline guest whose every
//! export returns a different value, so each call is checked to reach its own C function.

mod bound {
    bindgen_macro::wasm_bind!("headers/name_collisions.h", name = "NameCollisions");
}

use bound::NameCollisions;

/// The guest, shared with tests/python/test_name_collisions.py: every export returns a
/// different value (the one-argument functions, in header order after `add` and `options`:
/// `x + 100 * (position + 1)`).
fn guest() -> Vec<u8> {
    wat::parse_file(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/headers/name_collisions.wat"
    ))
    .expect("valid wat")
}

#[test]
fn every_function_is_bound_and_reaches_its_own_export() {
    let mut g = NameCollisions::from_bytes(&guest()).unwrap();
    assert_eq!(g.add(2, 3).unwrap(), 5);
    g.options_().unwrap();
    // The struct's own members keep their meaning.
    let limits = g.options().clone();
    assert_eq!(&limits, g.options());
    let generation = g.__wb_generation();
    assert!(!g.__wb_memory().is_empty());
    let calls: Vec<i32> = vec![
        g.options__(1).unwrap(),
        g.new_(1).unwrap(),
        g.with_options_(1).unwrap(),
        g.from_bytes_(1).unwrap(),
        g.from_file_(1).unwrap(),
        g.from_bytes_with_(1).unwrap(),
        g.from_file_with_(1).unwrap(),
        g.__wb_memory_(1).unwrap(),
        g.__wb_generation_(1).unwrap(),
        g.r#type(1).unwrap(),
        g.self_(1).unwrap(),
        g.bytes(1).unwrap(),
        g.str(1).unwrap(),
        g.list(1).unwrap(),
        g.tuple(1).unwrap(),
        g.object(1).unwrap(),
        g.property(1).unwrap(),
        g.close(1).unwrap(),
        g.Optional(1).unwrap(),
    ];
    let want: Vec<i32> = (1..=19).map(|i| 1 + 100 * i).collect();
    assert_eq!(calls, want);
    assert_eq!(g.__wb_generation(), generation, "no call trapped");
    assert_eq!(g.fill(3).unwrap(), vec![0xab; 3]);
    assert_eq!(g.length("hello").unwrap(), 5);
    assert_eq!(g.fill_ints(4).unwrap(), vec![0, 3, 6, 9]);
    assert_eq!(g.two().unwrap(), (1, 2));
    // The constant `WASM` is renamed too (`WASM` is the embedded guest when there is one).
    assert_eq!(NameCollisions::WASM_, 7);
}

#[test]
fn the_constructors_are_the_generated_ones() {
    let path = std::env::temp_dir().join(format!("wb_name_collisions_{}.wasm", std::process::id()));
    std::fs::write(&path, guest()).unwrap();
    let options = wasm_bind_rt::Options::default();
    let mut from_file = NameCollisions::from_file(&path).unwrap();
    let mut from_file_with = NameCollisions::from_file_with(&path, &options).unwrap();
    let mut from_bytes_with = NameCollisions::from_bytes_with(&guest(), &options).unwrap();
    std::fs::remove_file(&path).unwrap();
    for g in [&mut from_file, &mut from_file_with, &mut from_bytes_with] {
        assert_eq!(g.from_file_(0).unwrap(), 500);
    }
}
