//! Secrets: after every call (success, status error, trap, timeout) no 8-byte window of any
//! key, plaintext or output remains in guest memory; a handle's block is wiped after drop.
//! Monocypher (needs `bash guests/build.sh`) and the hostile guests of tests/hostile/.

mod rust_common;

use std::collections::HashSet;
use std::time::Duration;

use rust_common::{array, bytes};
use wasm_bind_rt::{Error, Options};

mod mono {
    bindgen_macro::wasm_bind!(
        "../target/guests/monocypher/monocypher.h",
        config = "../guests/monocypher/monocypher.toml",
        wasm = "../target/guests/monocypher/monocypher.wasm"
    );
}

mod hostile {
    bindgen_macro::wasm_bind!("hostile/hostile.h");
}

use hostile::Hostile;
use mono::{CryptoBlake2bCtx, Monocypher};

/// Panics naming the first secret that has an 8-byte window anywhere in `memory`.
fn assert_clean(memory: &[u8], secrets: &[(&str, &[u8])]) {
    for (name, secret) in secrets {
        let windows: HashSet<&[u8]> = secret.windows(8).collect();
        if let Some(at) = memory.windows(8).position(|w| windows.contains(w)) {
            panic!("{name}: bytes left in guest memory at {at:#x}");
        }
    }
}

/// True when some 8-byte window of `secret` is in `memory` (the scan's own sanity check).
fn present(memory: &[u8], secret: &[u8]) -> bool {
    let windows: HashSet<&[u8]> = secret.windows(8).collect();
    memory.windows(8).any(|w| windows.contains(w))
}

#[test]
fn aead_lock_and_unlock_leave_nothing() {
    let mut m = Monocypher::new().unwrap();
    for (i, len) in [16usize, 1000, 100_000].into_iter().enumerate() {
        let seed = 100 * i as u64;
        let (key, nonce) = (array::<32>(seed), array::<24>(seed + 1));
        let (ad, plain) = (bytes(seed + 2, 40), bytes(seed + 3, len));
        let (cipher, mac) = m.crypto_aead_lock(&key, &nonce, &ad, &plain).unwrap();
        let secrets: [(&str, &[u8]); 4] = [
            ("key", &key),
            ("plaintext", &plain),
            ("cipher text", &cipher),
            ("mac", &mac),
        ];
        assert_clean(&m.__wb_memory(), &secrets);
        assert_eq!(
            m.crypto_aead_unlock(&mac, &key, &nonce, &ad, &cipher)
                .unwrap(),
            plain
        );
        assert_clean(&m.__wb_memory(), &secrets);
        // A status error (forged MAC): nothing left either.
        let mut bad = mac;
        bad[0] ^= 1;
        let err = m
            .crypto_aead_unlock(&bad, &key, &nonce, &ad, &cipher)
            .unwrap_err();
        assert!(matches!(err, Error::Status { status: -1, .. }), "{err}");
        assert_clean(&m.__wb_memory(), &secrets);
    }
}

#[test]
fn keyed_hash_and_signatures_leave_nothing() {
    let mut m = Monocypher::new().unwrap();
    let (key, message) = (array::<64>(7), bytes(8, 5000));
    let hash = m.crypto_blake2b_keyed(64, &key, &message).unwrap();
    let seed = array::<32>(9);
    let (secret_key, public_key) = m.crypto_eddsa_key_pair(&mut seed.clone()).unwrap();
    let signature = m.crypto_eddsa_sign(&secret_key, &message).unwrap();
    assert_clean(
        &m.__wb_memory(),
        &[
            ("blake2b key", &key),
            ("message", &message),
            ("hash", &hash),
            ("seed", &seed),
            ("secret key", &secret_key[..32]),
            ("signature", &signature),
        ],
    );
    let _ = public_key;
}

#[test]
fn handle_blocks_are_wiped_after_drop() {
    let mut m = Monocypher::new().unwrap();
    let (key, message) = (array::<64>(31), bytes(32, 1000));
    let mut ctx = CryptoBlake2bCtx::new(&mut m).unwrap();
    m.crypto_blake2b_keyed_init(&mut ctx, 64, &key).unwrap();
    m.crypto_blake2b_update(&mut ctx, &message).unwrap();
    // While the context lives it holds the tail of the message (its input buffer): the scan
    // sees it, so it would see a leftover too.
    let tail = &message[message.len() - 8 * (message.len() % 128 / 8)..];
    assert!(
        present(&m.__wb_memory(), tail),
        "the context should hold the message tail"
    );
    drop(ctx);
    // Freed (and wiped) at the next call on the object.
    m.crypto_blake2b(32, b"unrelated").unwrap();
    assert_clean(&m.__wb_memory(), &[("key", &key), ("message", &message)]);
}

fn hostile(name: &str, options: &Options) -> Hostile {
    let path = rust_common::repo_root().join(format!("tests/hostile/{name}.wat"));
    Hostile::from_bytes_with(&wat::parse_file(path).unwrap(), options).unwrap()
}

const TRIGGER: [u8; 32] = *b"\xEEsecrets-test-key-0123456789abcd";

/// Large calls (an arena block) as well as small ones (the scratch block): a reset that wipes
/// nothing leaves no secret behind, because the host zeroes the call's block itself; with the
/// guest kit's `wb_reset_wiped` exported the runtime calls it (with the block it has just
/// zeroed) in place of `bump_reset`, and that reset is trusted no more than `bump_reset` is.
#[test]
fn resets_that_do_not_wipe_leave_nothing_at_any_size() {
    for (name, reset_marker) in [("reset_no_wipe", 0u8), ("reset_wiped_no_wipe", 2)] {
        for size in [3000, 40_000, 1 << 20] {
            let message = bytes(43, size);
            let mut obj = hostile(name, &Options::default());
            let out = obj.hostile_mix(&TRIGGER, &message).unwrap().to_vec();
            let memory = obj.__wb_memory();
            assert_eq!(
                memory[16], reset_marker,
                "{name}, {size} B: which reset ran"
            );
            assert_clean(
                &memory,
                &[
                    ("key", &TRIGGER[1..]),
                    ("message", &message),
                    ("output", &out),
                ],
            );
            assert_eq!(obj.__wb_generation(), 0, "{name}");
        }
    }
}

#[test]
fn success_trap_and_timeout_leave_nothing() {
    let message = bytes(41, 3000);
    let opts = Options::default().timeout(Some(Duration::from_millis(200)));
    for (name, fails) in [
        ("good", false),
        ("trap_midway", true),
        ("infinite_loop", true),
        ("recursion", true),
        ("clobber_bump", true),
        ("writes_outside", false),
        // Its reset does not wipe: the host's own wipe of the call's block is what cleans up.
        ("reset_no_wipe", false),
    ] {
        let mut obj = hostile(name, &opts);
        let result = obj.hostile_mix(&TRIGGER, &message);
        assert_eq!(result.is_err(), fails, "{name}: {result:?}");
        let out = result.map(|o| o.to_vec()).unwrap_or_default();
        assert_clean(
            &obj.__wb_memory(),
            &[
                ("key", &TRIGGER[1..]),
                ("message", &message),
                ("output", &out),
            ],
        );
        if name == "infinite_loop" {
            assert!(matches!(
                obj.hostile_mix(&TRIGGER, &message),
                Err(Error::Timeout { .. })
            ));
        }
    }
}
