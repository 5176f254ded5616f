//! Output shapes written through pointers (issue #14) through the Rust bindings, over
//! tests/headers/outs.h and its guest tests/headers/outs.c built with `wasm-bind guest`: output
//! structs by name (`stats_t *out`), by config (`point_t *p`), in/out (`counter_t *state`), with
//! float fields (`summary_t *result`), out-scalars by name (`min_out`, `out_count`) and an in/out
//! buffer (`reverse`). The same C runs natively in tests/python/test_outs.py.

mod rust_common;

use std::path::{Path, PathBuf};
use std::process::Command;

mod outs {
    bindgen_macro::wasm_bind!(
        "headers/outs.h",
        config = "headers/outs.toml",
        name = "Outs"
    );
}

use outs::{CounterT, Outs, PointT};

/// The `wasm-bind` binary next to this test's executable, (re)built first so it is never stale.
fn gen_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("test exe");
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>");
    let release = profile_dir.file_name().is_some_and(|n| n == "release");
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "-q", "-p", "gen"])
        .args(release.then_some("--release"))
        .current_dir(rust_common::repo_root())
        .status()
        .expect("run cargo build -p gen");
    assert!(status.success(), "cargo build -p gen failed");
    profile_dir.join(format!("wasm-bind{}", std::env::consts::EXE_SUFFIX))
}

/// The guest built from tests/headers/outs.c, loaded.
fn outs() -> Outs {
    let headers = rust_common::repo_root().join("tests/headers");
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("wb-rust-outs-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let wasm = dir.join("outs.wasm");
    let out = Command::new(gen_binary())
        .arg("guest")
        .arg(headers.join("outs.c"))
        .arg("--header")
        .arg(headers.join("outs.h"))
        .arg("--config")
        .arg(headers.join("outs.toml"))
        .arg("-o")
        .arg(&wasm)
        .output()
        .expect("run wasm-bind guest");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let m = Outs::from_file(&wasm).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    m
}

#[test]
fn output_structs_come_back_as_the_generated_struct() {
    let mut m = outs();
    let (s, status) = m.stats("hello world\nfoo").unwrap();
    assert_eq!(status, 0);
    assert_eq!((s.words, s.lines, s.longest), (3, 2, 5));
    // Left alone by the C function on failure: the zeroed struct.
    let (s, status) = m.stats("").unwrap();
    assert_eq!((status, s.words, s.checksum), (-1, 0, 0));
    assert_eq!(m.make_point(3, 4).unwrap(), PointT { x: 7, y: -1 });
    assert_eq!(
        m.make_point(i32::MAX, -1).unwrap(),
        PointT {
            x: i32::MAX - 1,
            y: i32::MIN
        }
    );
}

#[test]
fn inout_structs_are_written_then_read_back() {
    let mut m = outs();
    let c = m
        .counter_step(
            CounterT {
                total: i64::MAX - 5,
                steps: 9,
            },
            5,
        )
        .unwrap();
    assert_eq!(
        c,
        CounterT {
            total: i64::MAX,
            steps: 10
        }
    );
}

#[test]
fn float_fields_of_an_output_struct_are_exact() {
    let mut m = outs();
    let xs = [1.5f64, -2.25, 1e300, -0.0];
    let r = m.summarize(&xs).unwrap();
    let mean = xs.iter().sum::<f64>() / 4.0;
    assert_eq!(r.mean.to_bits(), mean.to_bits());
    assert_eq!(r.spread.to_bits(), ((1e300f64 - -2.25) as f32).to_bits());
    assert_eq!(r.n, 4);
}

#[test]
fn out_scalars_by_name_and_inout_buffers() {
    let mut m = outs();
    assert_eq!(m.minmax(&[5, 2, 9, 65535]).unwrap(), (2, 65535));
    assert_eq!(m.minmax(&[]).unwrap(), (0, 0));
    assert_eq!(m.count_byte(b"abca", b'a').unwrap(), 2);
    let mut v = [1u64, 2, u64::MAX];
    m.reverse(&mut v).unwrap();
    assert_eq!(v, [u64::MAX, 2, 1]);
}

#[test]
fn string_outputs_are_text_cut_at_the_nul() {
    let mut m = outs();
    assert_eq!(m.hex(&[0x01, 0xab, 0xff]).unwrap(), "01abff");
    assert_eq!(m.hex(&[]).unwrap(), "");
    assert_eq!(m.fill_text(b'a', 3, 1).unwrap(), "aaa");
    let e = m.fill_text(b'a', 3, 0).unwrap_err();
    assert!(matches!(e, wasm_bind_rt::Error::Guest { .. }), "{e}");
    assert!(e.to_string().contains("no NUL within its 17 bytes"), "{e}");
    let e = m.fill_text(0xff, 2, 1).unwrap_err();
    assert!(e.to_string().contains("not UTF-8"), "{e}");
    assert_eq!(m.fill_text(b'z', 1, 1).unwrap(), "z");
}
