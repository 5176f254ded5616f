//! Shared helpers of the Rust back-end tests: Monocypher's vector files and a deterministic
//! byte generator. Included with `mod rust_common;` by each `rust_*.rs` test.

#![allow(dead_code)]

use std::path::PathBuf;

/// The repository root (the workspace).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// `<monocypher-sys>/Monocypher`, found by `guests/locate_monocypher.py` (cargo metadata).
pub fn monocypher_dir() -> PathBuf {
    let root = repo_root();
    let out = std::process::Command::new("python3")
        .arg(root.join("guests/locate_monocypher.py"))
        .arg(&root)
        .output()
        .expect("python3 runs guests/locate_monocypher.py");
    assert!(
        out.status.success(),
        "locate_monocypher.py failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    PathBuf::from(String::from_utf8(out.stdout).expect("utf-8 path").trim())
}

/// The vectors of `Monocypher/tests/gen/vectors/<name>`, as the C test suite reads them: hex
/// runs each ended by `:`, newlines ignored, `#` comment lines skipped; grouped `per` at a time.
pub fn vectors(name: &str, per: usize) -> Vec<Vec<Vec<u8>>> {
    let path = monocypher_dir().join("tests/gen/vectors").join(name);
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let joined: String = text.lines().filter(|l| !l.starts_with('#')).collect();
    let mut items: Vec<Vec<u8>> = joined.split(':').map(hex).collect();
    assert_eq!(
        items.pop().as_deref(),
        Some(&[][..]),
        "{name}: text after the last ':'"
    );
    assert_eq!(
        items.len() % per,
        0,
        "{name}: {} items is not a multiple of {per}",
        items.len()
    );
    assert!(!items.is_empty(), "{name}: no vectors");
    items.chunks(per).map(<[Vec<u8>]>::to_vec).collect()
}

fn hex(s: &str) -> Vec<u8> {
    let s = s.trim();
    assert!(s.len().is_multiple_of(2), "odd hex {s:?}");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex digit"))
        .collect()
}

/// `n` deterministic pseudo-random bytes (xorshift64*), different for each `seed`.
pub fn bytes(seed: u64, n: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..n)
        .map(|_| {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 56) as u8
        })
        .collect()
}

/// A fixed-size array of [`bytes`].
pub fn array<const N: usize>(seed: u64) -> [u8; N] {
    bytes(seed, N).try_into().expect("N bytes")
}
