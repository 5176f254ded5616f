//! A libc guest (tests/libc_guest/libc_check.c, built by `wasm-bind guest --wasi` in
//! guests/build.sh) through `wasm_bind!` with wasm-bind-rt's `wasi` feature: WASI deny by default
//! (no files, environment or arguments, output discarded), grants through `Options::wasi`
//! (read-only and read-write directories, captured output), no path outside a granted directory,
//! grants replayed after a trap, malloc and the arena side by side, unknown imports refused.
//! The same cases as tests/python/test_libc_guest.py. Needs `bash guests/build.sh` first.

mod rust_common;

use std::path::{Path, PathBuf};

use bindgen_macro::wasm_bind;
use wasm_bind_rt::{Captured, Error, Options, Output, Wasi};

wasm_bind!(
    "../target/guests/libc_check/libc_check.h",
    wasm = "../target/guests/libc_check/libc_check.wasm"
);

fn with(wasi: Wasi) -> LibcCheck {
    LibcCheck::with_options(&Options::default().wasi(wasi)).expect("instantiate libc_check")
}

/// A fresh empty directory under the system temp directory, for one test.
fn scratch(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("wasm-bind-rust-libc-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn fnv(blocks: &[Vec<u8>]) -> u32 {
    let mut h: u32 = 2_166_136_261;
    for b in blocks {
        for &x in b {
            h = (h ^ u32::from(x)).wrapping_mul(16_777_619);
        }
    }
    h
}

#[test]
fn malloc_and_the_arena_coexist() {
    let mut g = LibcCheck::new().unwrap();
    let mut kept = Vec::new();
    for i in 0..120u32 {
        let data = rust_common::bytes(u64::from(i), [1, 100, 5000, 70000][i as usize % 4]);
        assert_eq!(g.lc_keep(&data).unwrap(), i32::try_from(i).unwrap() + 1);
        kept.push(data);
        let size = if i % 40 == 7 {
            300_000
        } else {
            1 + (i as usize * 37) % 2000
        };
        let values = rust_common::bytes(1000 + u64::from(i), size);
        let mut sorted = values.clone();
        sorted.sort_unstable();
        assert_eq!(g.lc_sort(&values, values.len()).unwrap(), sorted);
    }
    assert_eq!(g.lc_kept_hash().unwrap(), fnv(&kept));
    assert_eq!(g.lc_forget().unwrap(), 120);
    assert_eq!(g.lc_kept_hash().unwrap(), fnv(&[]));
}

#[test]
fn stdio_formats_and_clocks_and_randomness_are_real() {
    let mut g = LibcCheck::new().unwrap();
    let (out, n) = g.lc_format(64, 42, "abc").unwrap();
    assert_eq!(&out[..usize::try_from(n).unwrap()], b"42|abc|5.250");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let t = u128::try_from(g.lc_time_ns().unwrap()).unwrap();
    assert!(t.abs_diff(now) < 5_000_000_000, "{t} vs {now}");
    let mut h = LibcCheck::new().unwrap();
    let draws = [
        g.lc_random().unwrap(),
        g.lc_random().unwrap(),
        h.lc_random().unwrap(),
        h.lc_random().unwrap(),
    ];
    let mut unique = draws.to_vec();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), 4, "{draws:?}");
}

#[test]
fn nothing_is_granted_by_default() {
    assert!(std::env::var_os("PATH").is_some());
    let dir = scratch("default");
    std::fs::write(dir.join("f.txt"), "secret").unwrap();
    let mut g = LibcCheck::new().unwrap();
    assert_eq!(g.lc_env_count().unwrap(), 0);
    assert_eq!(g.lc_has_env("PATH").unwrap(), 0);
    assert!(g.lc_print("to stdout (discarded)").unwrap() > 0);
    let inside = dir.join("f.txt");
    for path in ["/etc/passwd", inside.to_str().unwrap(), "f.txt", "/"] {
        assert!(g.lc_file_size(path).unwrap() < 0, "{path}");
    }
    let new = dir.join("new.txt");
    assert_ne!(g.lc_write_file(new.to_str().unwrap(), "x").unwrap(), 0);
    assert!(!new.exists());
}

#[test]
fn output_is_captured_when_asked() {
    let (out, err) = (Captured::new(), Captured::new());
    let mut g = with(
        Wasi::default()
            .stdout(Output::Capture(out.clone()))
            .stderr(Output::Capture(err.clone())),
    );
    g.lc_print("one").unwrap();
    g.lc_eprint("two").unwrap();
    g.lc_print("three").unwrap();
    assert_eq!(out.take(), b"one\nthree\n");
    assert_eq!(err.take(), b"two\n");
    assert!(out.take().is_empty());
}

#[test]
fn read_write_and_read_only_directories() {
    let dir = scratch("dirs");
    let mut rw = with(Wasi::default().dir_rw(&dir, "/data"));
    assert_eq!(rw.lc_write_file("/data/a.txt", "hello file").unwrap(), 0);
    assert_eq!(
        std::fs::read_to_string(dir.join("a.txt")).unwrap(),
        "hello file"
    );
    assert_eq!(rw.lc_file_size("/data/a.txt").unwrap(), 10);
    let mut ro = with(Wasi::default().dir(&dir, "/ro"));
    let (bytes, n) = ro.lc_read_file("/ro/a.txt", 64).unwrap();
    assert_eq!(&bytes[..usize::try_from(n).unwrap()], b"hello file");
    assert_ne!(ro.lc_write_file("/ro/w.txt", "no").unwrap(), 0);
    assert!(!dir.join("w.txt").exists());
    assert_ne!(ro.lc_write_file("/ro/a.txt", "overwritten").unwrap(), 0);
    assert_eq!(
        std::fs::read_to_string(dir.join("a.txt")).unwrap(),
        "hello file"
    );
}

#[test]
fn no_path_leads_outside_the_granted_directory() {
    let root = scratch("escape");
    let (inside, outside) = (root.join("in"), root.join("out"));
    std::fs::create_dir_all(inside.join("sub")).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("secret.txt"), "secret").unwrap();
    std::os::unix::fs::symlink(outside.join("secret.txt"), inside.join("link.txt")).unwrap();
    std::os::unix::fs::symlink(&outside, inside.join("dirlink")).unwrap();
    std::os::unix::fs::symlink("../../out/secret.txt", inside.join("sub/rel.txt")).unwrap();
    let mut g = with(Wasi::default().dir_rw(&inside, "/data"));
    let absolute = outside.join("secret.txt");
    for path in [
        "/data/../out/secret.txt",
        "/data/sub/../../out/secret.txt",
        absolute.to_str().unwrap(),
        "/data/link.txt",
        "/data/dirlink/secret.txt",
        "/data/sub/rel.txt",
        "../out/secret.txt",
    ] {
        assert!(g.lc_file_size(path).unwrap() < 0, "{path}");
        assert!(g.lc_read_file(path, 16).unwrap().1 < 0, "{path}");
    }
    assert_ne!(g.lc_write_file("/data/dirlink/new.txt", "x").unwrap(), 0);
    assert_ne!(g.lc_write_file("/data/../out/new.txt", "x").unwrap(), 0);
    assert!(!outside.join("new.txt").exists());
    std::fs::write(inside.join("ok.txt"), "fine").unwrap();
    assert_eq!(g.lc_file_size("/data/sub/../ok.txt").unwrap(), 4);
}

#[test]
fn grants_are_replayed_after_a_trap() {
    let dir = scratch("replay");
    let out = Captured::new();
    let mut g = with(
        Wasi::default()
            .dir_rw(&dir, "/data")
            .stdout(Output::Capture(out.clone())),
    );
    assert_eq!(g.lc_keep(b"lost on trap").unwrap(), 1);
    assert!(matches!(g.lc_trap(), Err(Error::Trap { .. })));
    assert_eq!(g.lc_kept_hash().unwrap(), fnv(&[]), "a fresh instance");
    assert_eq!(
        g.lc_write_file("/data/after.txt", "still granted").unwrap(),
        0
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("after.txt")).unwrap(),
        "still granted"
    );
    g.lc_print("still captured").unwrap();
    assert_eq!(out.take(), b"still captured\n");
    assert_eq!(g.lc_env_count().unwrap(), 0);
}

#[test]
fn a_missing_directory_is_a_load_error() {
    let missing = Path::new("/nonexistent/wasm-bind-dir");
    let err = LibcCheck::with_options(&Options::default().wasi(Wasi::default().dir(missing, "/d")))
        .err()
        .expect("refused");
    assert!(err.to_string().contains("not a directory"), "{err}");
}

#[test]
fn unknown_imports_are_refused_by_name() {
    for (wat, named) in [
        (
            r#"(module (import "env" "malloc" (func (param i32) (result i32))) (memory (export "memory") 1))"#,
            "`env::malloc`",
        ),
        (
            r#"(module (import "wasi_snapshot_preview1" "sock_open" (func)) (memory (export "memory") 1))"#,
            "`wasi_snapshot_preview1::sock_open`",
        ),
    ] {
        let wasm = wat::parse_str(wat).unwrap();
        let err = LibcCheck::from_bytes(&wasm).err().expect("refused");
        assert!(matches!(err, Error::Load(_)), "{err}");
        assert!(err.to_string().contains(named), "{err}");
    }
}
