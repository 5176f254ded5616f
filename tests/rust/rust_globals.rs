//! Exported C globals through the Rust bindings (issue 5): Monocypher's
//! `crypto_argon2_no_extras` used with `crypto_argon2`, and a small header
//! (tests/headers_rust/globals.h) over inline hand-written guests: honest ones read back what the
//! data segment holds; hostile ones (address or slice outside memory, a length that wraps, a
//! global that is not an `i32`, a missing export) are `Error::Guest` / `Error::Load`, and the
//! object stays usable.
//!
//! Needs `bash guests/build.sh` first (the macro reads target/guests/monocypher/*).

mod mono {
    bindgen_macro::wasm_bind!(
        "../target/guests/monocypher/monocypher.h",
        config = "../guests/monocypher/monocypher.toml",
        wasm = "../target/guests/monocypher/monocypher.wasm"
    );
}

mod small {
    bindgen_macro::wasm_bind!("headers_rust/globals.h", name = "Globals");
}

use mono::{
    CryptoArgon2Config, CryptoArgon2Extras, CryptoArgon2ExtrasOwned, CryptoArgon2Inputs, Monocypher,
};
use small::{BlobTOwned, Globals};
use wasm_bind_rt::Error;

#[test]
fn monocypher_no_extras_is_empty_extras() {
    let mut m = Monocypher::new().unwrap();
    let extras = m.crypto_argon2_no_extras().unwrap();
    assert_eq!(
        extras,
        CryptoArgon2ExtrasOwned {
            key: vec![],
            ad: vec![]
        }
    );
    let config = CryptoArgon2Config {
        algorithm: u32::try_from(Monocypher::CRYPTO_ARGON2_ID).unwrap(),
        nb_blocks: 8,
        nb_passes: 1,
        nb_lanes: 1,
    };
    let inputs = CryptoArgon2Inputs {
        pass: b"correct horse",
        salt: b"saltsalt",
    };
    let with_global = m
        .crypto_argon2(32, config, inputs, extras.borrowed())
        .unwrap();
    let empty = CryptoArgon2Extras { key: &[], ad: &[] };
    assert_eq!(
        with_global,
        m.crypto_argon2(32, config, inputs, empty).unwrap()
    );
    let keyed = CryptoArgon2Extras { key: b"k", ad: &[] };
    assert_ne!(
        with_global,
        m.crypto_argon2(32, config, inputs, keyed).unwrap()
    );
    assert_eq!(with_global.len(), 32);
}

/// A guest whose `default_blob` global is `blob_addr`, with `blob` (data ptr, data_size, tag)
/// at 1024, "hello" at 2048 and -42 at 3072.
fn guest(blob_addr: &str, blob: &str, answer: &str) -> Vec<u8> {
    wat::parse_str(format!(
        r#"(module
  (memory (export "memory") 2)
  (global (export "__heap_base") i32 (i32.const 65536))
  (func (export "bump_alloc") (param i32) (result i32) (i32.const 65536))
  (func (export "bump_reset"))
  (func (export "touch") (param i32 i32))
  (data (i32.const 1024) "{blob}")
  (data (i32.const 2048) "hello")
  (data (i32.const 3072) "\d6\ff\ff\ff")
  (global (export "default_blob") i32 {blob_addr})
  {answer})"#
    ))
    .unwrap()
}

const HONEST_BLOB: &str = r"\00\08\00\00\05\00\00\00\f9\ff\ff\ff";
const ANSWER: &str = r#"(global (export "answer") i32 (i32.const 3072))"#;

fn honest() -> Vec<u8> {
    guest("(i32.const 1024)", HONEST_BLOB, ANSWER)
}

#[test]
fn honest_guest_reads_back_its_data() {
    let mut g = Globals::from_bytes(&honest()).unwrap();
    assert_eq!(g.answer().unwrap(), -42);
    let blob = g.default_blob().unwrap();
    assert_eq!(
        blob,
        BlobTOwned {
            data: b"hello".to_vec(),
            tag: -7
        }
    );
    assert_eq!(blob.borrowed().data, b"hello");
    assert_eq!(g.__wb_generation(), 0);
}

fn assert_guest_error(result: Result<BlobTOwned, Error>, needle: &str) {
    match result {
        Err(Error::Guest { function, message }) => {
            assert_eq!(function, "default_blob");
            assert!(message.contains(needle), "{message}");
        }
        other => panic!("expected Error::Guest, got {other:?}"),
    }
}

#[test]
fn hostile_addresses_are_guest_errors_and_the_object_stays_usable() {
    let cases = [
        // The struct itself past the end of memory (2 pages = 0x20000).
        ("(i32.const 0x1fffc)", HONEST_BLOB),
        // A negative address (0xffffff00 as u32): past the end, and + field offsets overflows
        // nothing silently.
        ("(i32.const -256)", HONEST_BLOB),
        // The slice's pointer past the end.
        ("(i32.const 1024)", r"\00\00\02\00\05\00\00\00\00\00\00\00"),
        // A slice that runs past the end.
        ("(i32.const 1024)", r"\00\f0\01\00\00\20\00\00\00\00\00\00"),
        // A count that wraps (0xffffffff) from a pointer near the end of u32.
        ("(i32.const 1024)", r"\ff\ff\ff\ff\ff\ff\ff\ff\00\00\00\00"),
    ];
    for (addr, blob) in cases {
        let mut g = Globals::from_bytes(&guest(addr, blob, ANSWER)).unwrap();
        assert_guest_error(g.default_blob(), "outside guest memory");
        assert_eq!(g.__wb_generation(), 1, "{addr} {blob}: re-instantiated");
        // Still usable: the other global and an ordinary call.
        assert_eq!(g.answer().unwrap(), -42);
        assert_eq!(g.touch(4).unwrap(), vec![0u8; 4]);
    }
}

#[test]
fn a_missing_or_mistyped_global_export_fails_at_load() {
    let no_answer = guest("(i32.const 1024)", HONEST_BLOB, "");
    match Globals::from_bytes(&no_answer) {
        Err(Error::Load(message)) => assert!(message.contains("`answer`"), "{message}"),
        other => panic!("expected Error::Load, got {:?}", other.err()),
    }
    let i64_answer = guest(
        "(i32.const 1024)",
        HONEST_BLOB,
        r#"(global (export "answer") i64 (i64.const 3072))"#,
    );
    match Globals::from_bytes(&i64_answer) {
        Err(Error::Load(message)) => {
            assert!(
                message.contains("`answer`") && message.contains("i64"),
                "{message}"
            )
        }
        other => panic!("expected Error::Load, got {:?}", other.err()),
    }
}
