//! `[functions.F.max]` in the Rust bindings: Monocypher's BLAKE2b bounds (hash_size, key_size
//! <= 64, guests/monocypher/monocypher.toml) are an `Error::Argument` before the guest runs.
//! Unchecked, a 4009-byte key overflowed crypto_blake2b_keyed_init's 128-byte key block inside
//! the guest and silently corrupted its constants (every later hash of the instance was wrong).

mod rust_common;

use rust_common::bytes;
use wasm_bind_rt::Error;

mod mono {
    bindgen_macro::wasm_bind!(
        "../target/guests/monocypher/monocypher.h",
        config = "../guests/monocypher/monocypher.toml",
        wasm = "../target/guests/monocypher/monocypher.wasm"
    );
}

use mono::{CryptoBlake2bCtx, Monocypher};

/// `f` fails with `Error::Argument` saying `expect`, guest memory unchanged (the guest did not run).
fn refused<T: std::fmt::Debug>(
    m: &mut Monocypher,
    expect: &str,
    f: impl FnOnce(&mut Monocypher) -> Result<T, Error>,
) {
    let before = m.__wb_memory();
    let err = f(m).unwrap_err();
    assert!(
        matches!(&err, Error::Argument { message, .. } if message == expect),
        "{err:?}"
    );
    assert!(
        m.__wb_memory() == before,
        "guest memory changed: the guest ran"
    );
}

#[test]
fn blake2b_bounds_are_checked_before_the_guest() {
    let mut m = Monocypher::new().unwrap();
    let reference = m.crypto_blake2b(64, b"abc").unwrap();
    for n in [65usize, 129, 4009] {
        let key = bytes(n as u64, n);
        refused(
            &mut m,
            &format!("`key_size` (the length of `key`): {n} is more than 64, the most it accepts"),
            |m| m.crypto_blake2b_keyed(64, &key, b"message"),
        );
    }
    refused(
        &mut m,
        "`hash_size`: 65 is more than 64, the most it accepts",
        |m| m.crypto_blake2b(65, b"abc"),
    );
    refused(
        &mut m,
        "`hash_size`: 4096 is more than 64, the most it accepts",
        |m| m.crypto_blake2b_keyed(4096, b"key", b"message"),
    );
    let mut ctx = CryptoBlake2bCtx::new(&mut m).unwrap();
    refused(
        &mut m,
        "`hash_size`: 100 is more than 64, the most it accepts",
        |m| m.crypto_blake2b_init(&mut ctx, 100),
    );
    let long = bytes(7, 4009);
    refused(
        &mut m,
        "`key_size` (the length of `key`): 4009 is more than 64, the most it accepts",
        |m| m.crypto_blake2b_keyed_init(&mut ctx, 64, &long),
    );
    // The bounds themselves pass, and the instance still hashes right.
    let key = bytes(3, 64);
    assert_eq!(m.crypto_blake2b_keyed(64, &key, b"m").unwrap().len(), 64);
    assert_eq!(m.crypto_blake2b(64, b"abc").unwrap(), reference);
}
