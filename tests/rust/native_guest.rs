//! Builds a C test guest (`tests/headers/<name>.c` + the guest kit's arena) to wasm32 with the flags of
//! `guests/build.sh` (clang-19 / wasm-ld-19, or `WB_CLANG` / `WB_WASM_LD`), for the Rust tests of a
//! header shape; the Rust counterpart of `tests/python/native.py`'s `wasm_guest`. Included with
//! `mod native_guest;`. The wasm is written under the test's `CARGO_TARGET_TMPDIR`.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

fn run(cmd: &mut Command) {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The bytes of `tests/headers/<name>.c` built as a guest (every non-static function exported).
pub fn build(name: &str) -> Vec<u8> {
    let root = root();
    let dir =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("guest-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let cc = std::env::var("WB_CLANG").unwrap_or_else(|_| "clang-19".into());
    let ld = std::env::var("WB_WASM_LD").unwrap_or_else(|_| "wasm-ld-19".into());
    let mut objs = Vec::new();
    for src in [
        root.join("tests/headers").join(format!("{name}.c")),
        root.join("guest-kit/wb_arena.c"),
    ] {
        let obj = dir.join(format!("{}.o", src.file_stem().unwrap().to_string_lossy()));
        run(Command::new(&cc)
            .args([
                "--target=wasm32",
                "-nostdlib",
                "-ffreestanding",
                "-O2",
                "-mbulk-memory",
            ])
            .args(["-fvisibility=default", "-Wall", "-Wextra", "-Werror"])
            .arg("-I")
            .arg(root.join("bindgen-core/include"))
            .arg("-isystem")
            .arg(root.join("guest-kit/include"))
            .arg("-I")
            .arg(root.join("guest-kit"))
            .arg("-c")
            .arg(&src)
            .arg("-o")
            .arg(&obj));
        objs.push(obj);
    }
    let wasm = dir.join(format!("{name}.wasm"));
    run(Command::new(&ld)
        .args([
            "--no-entry",
            "--export-dynamic",
            "-z",
            "stack-size=65536",
            "--stack-first",
        ])
        .args(&objs)
        .arg("-o")
        .arg(&wasm));
    let bytes = std::fs::read(&wasm).expect("read the guest");
    let _ = std::fs::remove_dir_all(&dir);
    bytes
}
