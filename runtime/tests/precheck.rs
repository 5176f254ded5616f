//! What is refused before a module is compiled: size bounds, imports, missing or mistyped
//! exports. "Before" is observable: the process-wide module cache does not grow (one test, so
//! no other test compiles in between).

use wasm_bind_rt::engine::cached_modules;
use wasm_bind_rt::{Binder, Error, Expect, Exports, Guest, Options, TypedFunc};

fn leb(mut v: usize, out: &mut Vec<u8>) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        out.push(if v == 0 { b } else { b | 0x80 });
        if v == 0 {
            break;
        }
    }
}

fn section(id: u8, items: &[Vec<u8>], out: &mut Vec<u8>) {
    let mut body = Vec::new();
    leb(items.len(), &mut body);
    for item in items {
        body.extend(item);
    }
    out.push(id);
    leb(body.len(), out);
    out.extend(body);
}

fn name(s: &str) -> Vec<u8> {
    let mut v = Vec::new();
    leb(s.len(), &mut v);
    v.extend(s.as_bytes());
    v
}

/// A module with one page of `memory`, `bump_alloc` (i32 -> i32), `bump_reset` (when
/// `with_reset`), and an exported `big` (no params) whose body is `ops` times
/// `i32.const 0; drop` (3 bytes each): a function as large as wanted, built in microseconds.
fn module(ops: usize, with_reset: bool) -> Vec<u8> {
    let mut m = b"\0asm\x01\0\0\0".to_vec();
    section(1, &[vec![0x60, 0, 0], vec![0x60, 1, 0x7f, 1, 0x7f]], &mut m);
    section(3, &[vec![1], vec![0], vec![0]], &mut m);
    section(5, &[vec![0, 1]], &mut m);
    let export = |n: &str, kind: u8, index: u8| {
        let mut e = name(n);
        e.extend([kind, index]);
        e
    };
    let mut exports = vec![export("memory", 2, 0), export("bump_alloc", 0, 0)];
    if with_reset {
        exports.push(export("bump_reset", 0, 1));
    }
    exports.push(export("big", 0, 2));
    section(7, &exports, &mut m);
    let body = |code: &[u8]| {
        let mut b = Vec::new();
        leb(code.len() + 1, &mut b);
        b.push(0); // no locals
        b.extend(code);
        b
    };
    let mut big = Vec::with_capacity(ops * 3 + 1);
    for _ in 0..ops {
        big.extend([0x41, 0x00, 0x1a]);
    }
    big.push(0x0b);
    section(
        10,
        &[body(&[0x41, 0x80, 0x08, 0x0b]), body(&[0x0b]), body(&big)],
        &mut m,
    );
    m
}

/// Binds `big` and, per `WANT`, a `sum` export the module does not have.
struct Big {
    _big: TypedFunc<(), ()>,
}

impl Exports for Big {
    fn bind(b: &mut Binder<'_>) -> Result<Self, Error> {
        Ok(Big {
            _big: b.func("big")?,
        })
    }
}

struct WantsSum;

impl Exports for WantsSum {
    fn bind(b: &mut Binder<'_>) -> Result<Self, Error> {
        b.func::<(u32, u32), u32>("sum")?;
        Ok(WantsSum)
    }
    fn expected() -> &'static [Expect] {
        const E: &[Expect] = &[
            Expect::func::<(), ()>("big"),
            Expect::func::<(u32, u32), u32>("sum"),
        ];
        E
    }
}

struct BigAsI64;

impl Exports for BigAsI64 {
    fn bind(_: &mut Binder<'_>) -> Result<Self, Error> {
        Ok(BigAsI64)
    }
    fn expected() -> &'static [Expect] {
        const E: &[Expect] = &[Expect::func::<(u32, i64), i32>("big")];
        E
    }
}

struct BigAsGlobal;

impl Exports for BigAsGlobal {
    fn bind(_: &mut Binder<'_>) -> Result<Self, Error> {
        Ok(BigAsGlobal)
    }
    fn expected() -> &'static [Expect] {
        const E: &[Expect] = &[Expect::global("big")];
        E
    }
}

fn load_error<E: Exports>(wasm: &[u8], options: &Options) -> String {
    match Guest::<E>::with_options(wasm, "bump_alloc", "bump_reset", options) {
        Err(Error::Load(m)) => m,
        Err(other) => panic!("expected Error::Load, got {other:?}"),
        Ok(_) => panic!("expected Error::Load, the guest loaded"),
    }
}

#[test]
fn refused_before_compiling() {
    let defaults = Options::default();
    let before = cached_modules();

    // A 1.5 MiB function: over the default bound, refused without compiling it (compiling
    // a 7 MB one took 50 s and 3.8 GB).
    let huge = module(512 * 1024, true);
    let m = load_error::<Big>(&huge, &defaults);
    assert!(
        m.contains("function 2 (`big`) has a 1572866-byte body, more than Options::max_function_size (1048576 bytes)"),
        "{m}"
    );
    // The module bound, and a function bound set lower.
    let small = module(1000, true);
    let m = load_error::<Big>(&small, &defaults.clone().max_module_size(1000));
    assert!(
        m.contains(&format!(
            "the module is {} bytes, more than Options::max_module_size (1000 bytes)",
            small.len()
        )),
        "{m}"
    );
    let m = load_error::<Big>(&small, &defaults.clone().max_function_size(2000));
    assert!(m.contains("has a 3002-byte body"), "{m}");

    // An ABI export missing: reported before the (large) function is compiled.
    let no_reset = module(100_000, false);
    let m = load_error::<Big>(&no_reset, &defaults);
    assert!(m.contains("the guest does not export `bump_reset`"), "{m}");
    // Exports the bindings list in `Exports::expected`: missing, another signature, another kind.
    let m = load_error::<WantsSum>(&small, &defaults);
    assert!(m.contains("the guest does not export `sum`"), "{m}");
    let m = load_error::<BigAsI64>(&small, &defaults);
    assert!(
        m.contains("export `big` does not have the signature its C prototype implies: expected (i32, i64) -> (i32), found () -> ()"),
        "{m}"
    );
    let m = load_error::<BigAsGlobal>(&small, &defaults);
    assert!(
        m.contains("export `big` is a function, not the `i32` global"),
        "{m}"
    );
    // An import.
    let imports = wat::parse_str(
        r#"(module (import "env" "f" (func)) (memory (export "memory") 1)
             (func (export "bump_alloc") (param i32) (result i32) i32.const 0)
             (func (export "bump_reset")))"#,
    )
    .unwrap();
    let m = load_error::<Big>(&imports, &defaults);
    assert!(m.contains("the guest imports `env::f`"), "{m}");
    assert_eq!(cached_modules(), before, "nothing was compiled");

    // The same small module with what the bindings need loads (and is compiled once).
    let mut g = Guest::<Big>::with_options(&small, "bump_alloc", "bump_reset", &defaults).unwrap();
    assert_eq!(cached_modules(), before + 1);
    g.call("big", |call, fns| call.invoke(&fns._big, ()))
        .unwrap();
}
