//! The LZ4 guest through `wasm_bind!`: filled-length returns (outputs trimmed to what the C
//! function wrote, negative counts as `Error::Status`), an in/out scalar initialised from an
//! input's length, a returned C string. Needs `bash guests/build.sh` first.

mod rust_common;

use bindgen_macro::wasm_bind;
use wasm_bind_rt::Error;

wasm_bind!(
    "../target/guests/lz4/lz4.h",
    config = "../guests/lz4/lz4.toml",
    wasm = "../target/guests/lz4/lz4.wasm"
);

fn lz4() -> Lz4 {
    Lz4::new().expect("instantiate the embedded LZ4 guest")
}

#[test]
fn version_string_matches_version_number() {
    let mut z = lz4();
    let n = z.LZ4_versionNumber().unwrap();
    let s = z.LZ4_versionString().unwrap();
    assert_eq!(s, format!("{}.{}.{}", n / 10000, n / 100 % 100, n % 100));
}

#[test]
fn compress_dest_size_and_decompress_round_trip() {
    let mut z = lz4();
    let text = "the quick brown fox jumps over the lazy dog; "
        .repeat(200)
        .into_bytes();
    let random = rust_common::bytes(5, 3000);
    for src in [&text[..], &random[..], &b"x"[..]] {
        let bound = usize::try_from(
            z.LZ4_compressBound(i32::try_from(src.len()).unwrap())
                .unwrap(),
        )
        .unwrap();
        let (compressed, consumed) = z.LZ4_compress_destSize(src, bound).unwrap();
        assert_eq!(
            usize::try_from(consumed).unwrap(),
            src.len(),
            "the in/out scalar reports all input consumed"
        );
        assert!(compressed.len() <= bound && !compressed.is_empty());
        let back = z.LZ4_decompress_safe(&compressed, src.len()).unwrap();
        assert_eq!(back, src, "output trimmed to the filled length");
        // More room than needed: still exactly the original bytes.
        assert_eq!(
            z.LZ4_decompress_safe(&compressed, src.len() + 100).unwrap(),
            src
        );
    }
    assert!(z.LZ4_compress_destSize(&text, 64).unwrap().0.len() <= 64);
    let (small, consumed) = z.LZ4_compress_destSize(&text, 64).unwrap();
    let prefix = z.LZ4_decompress_safe(&small, text.len()).unwrap();
    assert_eq!(prefix, &text[..usize::try_from(consumed).unwrap()]);
}

#[test]
fn negative_counts_are_status_errors() {
    let mut z = lz4();
    let text = "abcabcabcabcabcabcabcabc".repeat(50).into_bytes();
    let (compressed, _) = z.LZ4_compress_destSize(&text, 1000).unwrap();
    // Too little room, or garbage input: LZ4 returns a negative count.
    let err = z.LZ4_decompress_safe(&compressed, 10).unwrap_err();
    assert!(
        matches!(err, Error::Status { function: "LZ4_decompress_safe", status, message: None } if status < 0),
        "{err}"
    );
    let err = z.LZ4_decompress_safe(&[0xff; 16], 100).unwrap_err();
    assert!(
        matches!(err, Error::Status { status, .. } if status < 0),
        "{err}"
    );
    // The object is still usable.
    assert_eq!(
        z.LZ4_decompress_safe(&compressed, text.len()).unwrap(),
        text
    );
}

#[test]
fn computed_sizes_guest_helper_calls_and_scratch() {
    let mut z = lz4();
    let text = "computed sizes come from LZ4_compressBound(srcSize); "
        .repeat(100)
        .into_bytes();
    // dstCapacity = LZ4_compressBound(srcSize), evaluated by calling the guest before the call.
    let compressed = z.LZ4_compress_default(&text).unwrap();
    assert!(!compressed.is_empty() && compressed.len() < text.len());
    assert_eq!(
        z.LZ4_decompress_safe(&compressed, text.len()).unwrap(),
        text
    );
    let fast = z.LZ4_compress_fast(&text, 4).unwrap();
    assert_eq!(z.LZ4_decompress_safe(&fast, text.len()).unwrap(), text);
    // `state` is scratch memory of LZ4_sizeofState() bytes the caller never sees.
    let with_state = z.LZ4_compress_fast_extState(&text, 1).unwrap();
    assert_eq!(with_state, z.LZ4_compress_fast(&text, 1).unwrap());
    assert_eq!(
        z.LZ4_compress_default(&[]).unwrap().len(),
        1,
        "an empty input compresses to one token"
    );
}
