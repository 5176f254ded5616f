//! Monocypher's own test vectors through the Rust bindings `wasm_bind!` generates for the wasm
//! guest, plus cross-checks against native Monocypher (monocypher-sys) and the error paths.
//!
//! Needs `bash guests/build.sh` first (the macro reads target/guests/monocypher/*).

mod rust_common;

use bindgen_macro::wasm_bind;
use rust_common::{array, bytes, vectors};
use wasm_bind_rt::Error;

wasm_bind!(
    "../target/guests/monocypher/monocypher.h",
    config = "../guests/monocypher/monocypher.toml",
    wasm = "../target/guests/monocypher/monocypher.wasm"
);

fn guest() -> Monocypher {
    Monocypher::new().expect("instantiate the embedded guest")
}

fn fixed<const N: usize>(v: &[u8]) -> [u8; N] {
    v.try_into()
        .unwrap_or_else(|_| panic!("expected {N} bytes, got {}", v.len()))
}

#[test]
fn blake2b_vectors() {
    let mut m = guest();
    let vs = vectors("blake2b", 3);
    for v in &vs {
        let (msg, key, want) = (&v[0], &v[1], &v[2]);
        assert_eq!(&m.crypto_blake2b_keyed(want.len(), key, msg).unwrap(), want);
        if key.is_empty() {
            assert_eq!(&m.crypto_blake2b(want.len(), msg).unwrap(), want);
        }
    }
    assert_eq!(vs.len(), 256);
}

#[test]
fn chacha20_djb_vectors() {
    let mut m = guest();
    for v in &vectors("chacha20", 5) {
        let ctr = u64::from_le_bytes(fixed(&v[3]));
        let (out, new_ctr) = m
            .crypto_chacha20_djb(&v[2], &fixed(&v[0]), &fixed(&v[1]), ctr)
            .unwrap();
        assert_eq!(out, v[4]);
        let blocks = u64::try_from(v[2].len().div_ceil(64)).unwrap();
        assert_eq!(new_ctr - ctr, blocks);
    }
}

#[test]
fn chacha20_ietf_and_x_match_native() {
    let mut m = guest();
    for (i, n) in [0usize, 1, 63, 64, 65, 1000].into_iter().enumerate() {
        let seed = u64::try_from(i).unwrap();
        let (key, plain) = (array::<32>(seed), bytes(seed + 100, n));
        let (nonce12, nonce24) = (array::<12>(seed + 200), array::<24>(seed + 300));
        let (wasm_ietf, wasm_ctr32) = m.crypto_chacha20_ietf(&plain, &key, &nonce12, 7).unwrap();
        let (wasm_x, wasm_ctr64) = m.crypto_chacha20_x(&plain, &key, &nonce24, 3).unwrap();
        let mut native_ietf = vec![0u8; n];
        let mut native_x = vec![0u8; n];
        // SAFETY: every pointer is valid for the length passed (tests may call native FFI).
        let (ctr32, ctr64) = unsafe {
            (
                monocypher_sys::crypto_chacha20_ietf(
                    native_ietf.as_mut_ptr(),
                    plain.as_ptr(),
                    n,
                    key.as_ptr(),
                    nonce12.as_ptr(),
                    7,
                ),
                monocypher_sys::crypto_chacha20_x(
                    native_x.as_mut_ptr(),
                    plain.as_ptr(),
                    n,
                    key.as_ptr(),
                    nonce24.as_ptr(),
                    3,
                ),
            )
        };
        assert_eq!((wasm_ietf, wasm_ctr32), (native_ietf, ctr32), "ietf n={n}");
        assert_eq!((wasm_x, wasm_ctr64), (native_x, ctr64), "x n={n}");
    }
}

#[test]
fn poly1305_vectors() {
    let mut m = guest();
    for v in &vectors("poly1305", 3) {
        assert_eq!(
            m.crypto_poly1305(&v[1], &fixed(&v[0])).unwrap().as_slice(),
            &v[2][..]
        );
    }
}

#[test]
fn x25519_vectors() {
    let mut m = guest();
    let vs = vectors("x25519", 3);
    for v in &vs {
        assert_eq!(
            m.crypto_x25519(&fixed(&v[0]), &fixed(&v[1]))
                .unwrap()
                .as_slice(),
            &v[2][..]
        );
    }
    assert!(vs.len() > 500);
}

#[test]
fn sha512_hmac_vectors() {
    let mut m = guest();
    for v in &vectors("sha512_hmac", 3) {
        assert_eq!(
            m.crypto_sha512_hmac(&v[0], &v[1]).unwrap().as_slice(),
            &v[2][..]
        );
    }
}

#[test]
fn ed_25519_check_vectors() {
    let mut m = guest();
    let (mut valid, mut invalid) = (0, 0);
    for v in &vectors("ed_25519_check", 4) {
        let (pk, msg, sig, want) = (fixed::<32>(&v[0]), &v[1], fixed::<64>(&v[2]), v[3][0]);
        match m.crypto_ed25519_check(&sig, &pk, msg) {
            Ok(()) => {
                assert_eq!(want, 0);
                valid += 1;
            }
            Err(Error::Status {
                function: "crypto_ed25519_check",
                status: -1,
                message: None,
            }) => {
                assert_eq!(want, 0xff);
                invalid += 1;
            }
            Err(e) => panic!("unexpected error {e}"),
        }
    }
    assert!(valid > 0 && invalid > 0, "{valid} valid, {invalid} invalid");
}

#[test]
fn elligator_map_vectors() {
    let mut m = guest();
    for v in &vectors("elligator_dir", 2) {
        assert_eq!(
            m.crypto_elligator_map(&fixed(&v[0])).unwrap().as_slice(),
            &v[1][..]
        );
    }
}

#[test]
fn aead_lock_matches_native_and_unlocks() {
    let mut m = guest();
    for (i, (ad_len, text_len)) in [(0, 0), (0, 1), (13, 64), (1, 1000), (100, 4096)]
        .into_iter()
        .enumerate()
    {
        let seed = u64::try_from(i).unwrap() * 10;
        let (key, nonce) = (array::<32>(seed), array::<24>(seed + 1));
        let (ad, plain) = (bytes(seed + 2, ad_len), bytes(seed + 3, text_len));
        let (cipher, mac) = m.crypto_aead_lock(&key, &nonce, &ad, &plain).unwrap();
        let mut native_cipher = vec![0u8; text_len];
        let mut native_mac = [0u8; 16];
        // SAFETY: every pointer is valid for the length passed.
        unsafe {
            monocypher_sys::crypto_aead_lock(
                native_cipher.as_mut_ptr(),
                native_mac.as_mut_ptr(),
                key.as_ptr(),
                nonce.as_ptr(),
                ad.as_ptr(),
                ad_len,
                plain.as_ptr(),
                text_len,
            );
        }
        assert_eq!(
            (&cipher, mac),
            (&native_cipher, native_mac),
            "ad={ad_len} text={text_len}"
        );
        assert_eq!(
            m.crypto_aead_unlock(&mac, &key, &nonce, &ad, &cipher)
                .unwrap(),
            plain
        );
        let mut bad_mac = mac;
        bad_mac[0] ^= 1;
        let err = m
            .crypto_aead_unlock(&bad_mac, &key, &nonce, &ad, &cipher)
            .unwrap_err();
        assert!(
            matches!(
                err,
                Error::Status {
                    function: "crypto_aead_unlock",
                    status: -1,
                    message: None
                }
            ),
            "{err}"
        );
    }
}

#[test]
fn eddsa_round_trip_with_inout_seed() {
    let mut m = guest();
    let mut seed = array::<32>(42);
    let (secret_key, public_key) = m.crypto_ed25519_key_pair(&mut seed).unwrap();
    assert_eq!(
        seed, [0; 32],
        "the in/out seed is written back (Monocypher wipes it)"
    );
    let sig = m.crypto_ed25519_sign(&secret_key, b"message").unwrap();
    m.crypto_ed25519_check(&sig, &public_key, b"message")
        .unwrap();
    assert!(m
        .crypto_ed25519_check(&sig, &public_key, b"messagf")
        .is_err());
}

#[test]
fn inout_slice_is_written_back() {
    let mut m = guest();
    let mut secret = bytes(7, 100);
    m.crypto_wipe(&mut secret).unwrap();
    assert_eq!(secret, vec![0; 100]);
}

#[test]
fn caller_given_size_and_argument_errors() {
    let mut m = guest();
    for n in [1usize, 32, 64] {
        assert_eq!(m.crypto_blake2b(n, b"abc").unwrap().len(), n);
    }
    let err = m.crypto_blake2b(usize::MAX, b"abc").unwrap_err();
    assert!(
        matches!(
            err,
            Error::Argument {
                function: "crypto_blake2b",
                ..
            }
        ),
        "{err}"
    );
    // The object is still usable after an error.
    assert_eq!(
        m.crypto_blake2b(64, b"abc").unwrap()[..4],
        [0xba, 0x80, 0xa5, 0x3f]
    );
}

#[test]
fn constants_and_many_objects() {
    assert_eq!(Monocypher::CRYPTO_ARGON2_ID, 2);
    // Objects are independent and Send: hash on several threads at once.
    let handles: Vec<_> = (0..4u8)
        .map(|i| std::thread::spawn(move || guest().crypto_blake2b(64, &[i; 10]).unwrap()))
        .collect();
    let mut m = guest();
    for (i, h) in handles.into_iter().enumerate() {
        let i = u8::try_from(i).unwrap();
        assert_eq!(h.join().unwrap(), m.crypto_blake2b(64, &[i; 10]).unwrap());
    }
    let from_file = Monocypher::from_file(
        rust_common::repo_root().join("target/guests/monocypher/monocypher.wasm"),
    );
    assert_eq!(
        from_file.unwrap().crypto_blake2b(64, b"abc").unwrap(),
        m.crypto_blake2b(64, b"abc").unwrap()
    );
    assert!(matches!(
        Monocypher::from_bytes(b"\0asm junk"),
        Err(Error::Load(_))
    ));
}

/// A second guest with non-byte elements (`const int32_t *`) and an `int64_t` return.
mod twosum_guest {
    bindgen_macro::wasm_bind!(
        "../target/guests/twosum/twosum.h",
        wasm = "../target/guests/twosum/twosum.wasm"
    );
}

// The same guest again, in the same module as `Monocypher`: a `name` override, no collisions.
wasm_bind!(
    "../target/guests/twosum/twosum.h",
    wasm = "../target/guests/twosum/twosum.wasm",
    name = "TwoSumAgain"
);

#[test]
fn twosum_i32_slices_and_i64_return() {
    let mut t = twosum_guest::Twosum::new().unwrap();
    assert_eq!(t.two_sum(&[2, 7, 11, 15], 9).unwrap(), 1); // (0 << 32) | 1
    assert_eq!(t.two_sum(&[3, 2, 4], 6).unwrap(), (1 << 32) | 2);
    assert_eq!(t.two_sum(&[-5, i32::MAX, 9], i32::MAX - 5).unwrap(), 1);
    assert_eq!(t.two_sum(&[1, 2, 3], 100).unwrap(), -1);
    assert_eq!(t.two_sum(&[], 0).unwrap(), -1);
    // The guest allocates its hash table from the arena inside the call: repeated large calls
    // only work because the arena is reset after each one.
    let big: Vec<i32> = (0..200_000).collect();
    for _ in 0..20 {
        assert_eq!(t.two_sum(&big, 399_997).unwrap(), (199_998 << 32) | 199_999);
    }
    let mut again = TwoSumAgain::new().unwrap();
    assert_eq!(again.two_sum(&[2, 7], 9).unwrap(), 1);
}

#[test]
fn handles_stream_like_the_one_shot_functions() {
    let mut m = guest();
    let message = bytes(11, 1000);
    let key = array::<32>(12);
    for split in [0usize, 1, 127, 128, 999, 1000] {
        let (a, b) = message.split_at(split);
        let mut sha = CryptoSha512Ctx::new(&mut m).unwrap();
        m.crypto_sha512_init(&mut sha).unwrap();
        m.crypto_sha512_update(&mut sha, a).unwrap();
        m.crypto_sha512_update(&mut sha, b).unwrap();
        assert_eq!(
            m.crypto_sha512_final(&mut sha).unwrap(),
            m.crypto_sha512(&message).unwrap()
        );

        let mut poly = CryptoPoly1305Ctx::new(&mut m).unwrap();
        m.crypto_poly1305_init(&mut poly, &key).unwrap();
        m.crypto_poly1305_update(&mut poly, a).unwrap();
        m.crypto_poly1305_update(&mut poly, b).unwrap();
        assert_eq!(
            m.crypto_poly1305_final(&mut poly).unwrap(),
            m.crypto_poly1305(&message, &key).unwrap()
        );

        let mut hmac = CryptoSha512HmacCtx::new(&mut m).unwrap();
        m.crypto_sha512_hmac_init(&mut hmac, &key).unwrap();
        m.crypto_sha512_hmac_update(&mut hmac, a).unwrap();
        m.crypto_sha512_hmac_update(&mut hmac, b).unwrap();
        assert_eq!(
            m.crypto_sha512_hmac_final(&mut hmac).unwrap(),
            m.crypto_sha512_hmac(&key, &message).unwrap()
        );
    }
    // Many handles created and dropped: their blocks are freed and reused, the object keeps working.
    for _ in 0..10_000 {
        let mut sha = CryptoSha512Ctx::new(&mut m).unwrap();
        m.crypto_sha512_init(&mut sha).unwrap();
    }
    // A handle only works with the object that made it.
    let mut other = guest();
    let mut foreign = CryptoSha512Ctx::new(&mut other).unwrap();
    let err = m.crypto_sha512_init(&mut foreign).unwrap_err();
    assert!(
        matches!(&err, Error::Argument { function: "crypto_sha512_init", message } if message.contains("another binding object")),
        "{err}"
    );
    other.crypto_sha512_init(&mut foreign).unwrap();
}

#[test]
fn blake2b_streaming_output_size_read_from_the_handle() {
    let mut m = guest();
    let message = bytes(21, 777);
    for hash_size in [1usize, 32, 64] {
        let mut ctx = CryptoBlake2bCtx::new(&mut m).unwrap();
        m.crypto_blake2b_init(&mut ctx, u32::try_from(hash_size).unwrap())
            .unwrap();
        m.crypto_blake2b_update(&mut ctx, &message[..100]).unwrap();
        m.crypto_blake2b_update(&mut ctx, &message[100..]).unwrap();
        // The output length is ctx.hash_size, read from guest memory before the call.
        let hash = m.crypto_blake2b_final(&mut ctx).unwrap();
        assert_eq!(hash, m.crypto_blake2b(hash_size, &message).unwrap());
    }
}

/// Handle methods (issue #14): `ctx.update(&mut m, data)` is `m.crypto_blake2b_update(&mut ctx, data)`;
/// incremental hashing through them equals the one-shot function, for every split of the message.
#[test]
fn blake2b_handle_methods_equal_one_shot() {
    let mut m = guest();
    let message = bytes(14, 1000);
    for hash_size in [1u32, 32, 64] {
        let want = m.crypto_blake2b(hash_size as usize, &message).unwrap();
        for split in [0, 1, 127, 128, 129, 1000] {
            let mut ctx = CryptoBlake2bCtx::new(&mut m).unwrap();
            ctx.init(&mut m, hash_size).unwrap();
            ctx.update(&mut m, &message[..split]).unwrap();
            ctx.update(&mut m, &message[split..]).unwrap();
            assert_eq!(ctx.r#final(&mut m).unwrap(), want, "split at {split}");
        }
    }
    let key = bytes(15, 32);
    let mut ctx = CryptoBlake2bCtx::new(&mut m).unwrap();
    ctx.keyed_init(&mut m, 64, &key).unwrap();
    ctx.update(&mut m, &message).unwrap();
    assert_eq!(
        ctx.r#final(&mut m).unwrap(),
        m.crypto_blake2b_keyed(64, &key, &message).unwrap()
    );
    // A handle method on another object fails like the module method does.
    let mut other = guest();
    let mut sha = CryptoSha512Ctx::new(&mut m).unwrap();
    assert!(matches!(sha.init(&mut other), Err(Error::Argument { .. })));
    sha.init(&mut m).unwrap();
    sha.update(&mut m, b"abc").unwrap();
    assert_eq!(
        sha.r#final(&mut m).unwrap(),
        m.crypto_sha512(b"abc").unwrap()
    );
}

#[test]
fn argon2_vectors_structs_by_value_and_scratch() {
    let mut m = guest();
    let word = |v: &[u8]| u32::from_le_bytes(v[..4].try_into().unwrap());
    let vs = vectors("argon2", 9);
    for v in &vs {
        let config = CryptoArgon2Config {
            algorithm: word(&v[0]),
            nb_blocks: word(&v[1]),
            nb_passes: word(&v[2]),
            nb_lanes: word(&v[3]),
        };
        let inputs = CryptoArgon2Inputs {
            pass: &v[4],
            salt: &v[5],
        };
        let extras = CryptoArgon2Extras {
            key: &v[6],
            ad: &v[7],
        };
        // work_area (nb_blocks * 1024 bytes) is scratch the wrapper sizes from config.
        let hash = m.crypto_argon2(v[8].len(), config, inputs, extras).unwrap();
        assert_eq!(hash, v[8], "{config:?}");
    }
    assert_eq!(vs.len(), 5);
}
