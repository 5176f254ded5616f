//! C functions named like what the generated struct defines itself (`new`, `options`,
//! `from_file`, ...), like Rust keywords (`type`, `self`) or like Python builtins are all bound
//! and callable, under the names of the documented rule (a trailing `_` for the struct's own
//! names, `r#` for keywords): tests/headers/name_collisions.h over an inline guest whose every
//! export returns a different value, so each call is checked to reach its own C function.

mod bound {
    bindgen_macro::wasm_bind!("headers/name_collisions.h", name = "NameCollisions");
}

use bound::NameCollisions;

/// The exports of tests/headers/name_collisions.h after `add` and `options`, in header order:
/// each `(x) -> x + 100 * (its position + 1)`.
const ONE_ARG: &[&str] = &[
    "options_",
    "new",
    "with_options",
    "from_bytes",
    "from_file",
    "from_bytes_with",
    "from_file_with",
    "__wb_memory",
    "__wb_generation",
    "type",
    "self",
    "bytes",
    "str",
    "list",
    "tuple",
    "object",
    "property",
    "close",
    "Optional",
];

fn guest() -> Vec<u8> {
    let funcs: String = ONE_ARG
        .iter()
        .enumerate()
        .map(|(i, name)| {
            format!(
                "  (func (export \"{name}\") (param i32) (result i32) (i32.add (local.get 0) (i32.const {})))\n",
                100 * (i + 1)
            )
        })
        .collect();
    wat::parse_str(format!(
        r#"(module
  (memory (export "memory") 2)
  (global (export "__heap_base") i32 (i32.const 65536))
  (global $calls (mut i32) (i32.const 0))
  (func (export "bump_alloc") (param i32) (result i32) (i32.const 65536))
  (func (export "bump_reset"))
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "options") (global.set $calls (i32.add (global.get $calls) (i32.const 1))))
  (func (export "fill") (param $p i32) (param $n i32) (memory.fill (local.get $p) (i32.const 171) (local.get $n)))
  (func (export "length") (param $p i32) (result i32) (local $i i32)
    (block $done (loop $next
      (br_if $done (i32.eqz (i32.load8_u (i32.add (local.get $p) (local.get $i)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next)))
    (local.get $i))
  (func (export "fill_ints") (param $p i32) (param $n i32) (local $i i32)
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (i32.store (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2))) (i32.mul (local.get $i) (i32.const 3)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next))))
  (func (export "two") (param $a i32) (param $b i32) (i32.store (local.get $a) (i32.const 1)) (i32.store (local.get $b) (i32.const 2)))
{funcs})"#
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
