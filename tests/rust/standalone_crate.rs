//! "Bind your own library" from Rust, outside this workspace: a crate created in a temp directory
//! (path dependencies on bindgen-macro and wasm-bind-rt) binds BLAKE3 (built by `wasm-bind guest`
//! from the blake3 crate's bundled C) with `wasm_bind!`, and its digests are checked against the
//! native `blake3` Python package. Shows where the `.wasm` is found: at build time relative to the
//! crate's CARGO_MANIFEST_DIR (embedded, `Blake3::new`), at run time wherever the program says
//! (`Blake3::from_file`). Builds with CARGO_TARGET_DIR=<repo>/target and the workspace's Cargo.lock
//! so wasmtime is not compiled again. The handle methods (`h.update(&mut lib, data)`) and the shared
//! borrow of a `const blake3_hasher *` are used on this header the naming rule was not written for.

mod rust_common;

use std::path::{Path, PathBuf};
use std::process::Command;

const MAIN_RS: &str = r#"
use bindgen_macro::wasm_bind;

// Relative to this crate's Cargo.toml (CARGO_MANIFEST_DIR); the .wasm is embedded at compile time.
wasm_bind!("guest/blake3.h", wasm = "guest/blake3.wasm");

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn main() -> Result<(), wasm_bind_rt::Error> {
    let mut embedded = Blake3::new()?;
    // At run time a .wasm can also be loaded from a path (here: given on the command line).
    let path = std::env::args().nth(1).expect("path of blake3.wasm");
    let mut loaded = Blake3::from_file(&path)?;
    for len in [0usize, 1, 1024, 1025, 100_003] {
        let data: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
        let mut out = Vec::new();
        for lib in [&mut embedded, &mut loaded] {
            let mut h = Blake3Hasher::new(lib)?;
            lib.blake3_hasher_init(&mut h)?;
            lib.blake3_hasher_update(&mut h, &data)?;
            out.push(hex(&lib.blake3_hasher_finalize(&mut h, 32)?));
        }
        // Handle methods (issue #14) on this unseen header: `h.update(&mut lib, chunk)` for
        // `blake3_hasher_update(blake3_hasher *self, ...)`; `blake3_hasher_finalize` takes a
        // `const blake3_hasher *`, so both its forms borrow the hasher shared (`&Blake3Hasher`).
        let mut h = Blake3Hasher::new(&mut embedded)?;
        h.init(&mut embedded)?;
        for chunk in data.chunks(1000) {
            h.update(&mut embedded, chunk)?;
        }
        let shared: &Blake3Hasher = &h;
        out.push(hex(&shared.finalize(&mut embedded, 32)?));
        out.push(hex(&embedded.blake3_hasher_finalize(shared, 32)?));
        assert!(out.iter().all(|o| *o == out[0]), "{out:?}");
        println!("{len} {}", out[0]);
    }
    Ok(())
}
"#;

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// The crate's directory: Cargo.toml, src/main.rs, guest/blake3.{h,wasm}.
fn create_crate(root: &Path, dir: &Path) -> PathBuf {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::create_dir_all(dir.join("guest")).unwrap();
    let manifest = format!(
        "[package]\nname = \"blake3-standalone\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\n\
         bindgen-macro = {{ path = {:?} }}\nwasm-bind-rt = {{ path = {:?} }}\n\n[workspace]\n",
        root.join("bindgen-macro"),
        root.join("runtime")
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    std::fs::write(dir.join("src/main.rs"), MAIN_RS).unwrap();
    // Same dependency versions as the workspace: the artifacts in <repo>/target are reused.
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    dir.to_path_buf()
}

#[test]
fn a_crate_outside_the_workspace_binds_blake3_with_wasm_bind() {
    let root = rust_common::repo_root();
    let src = PathBuf::from(
        run(Command::new("python3")
            .arg(root.join("guests/locate_blake3.py"))
            .arg(&root))
        .trim(),
    );
    let dir = create_crate(
        &root,
        &std::env::temp_dir().join(format!("wb_standalone_{}", std::process::id())),
    );
    std::fs::copy(src.join("blake3.h"), dir.join("guest/blake3.h")).unwrap();

    run(cargo()
        .args(["build", "-q", "-p", "gen"])
        .current_dir(&root));
    let wasm_bind = root
        .join("target/debug")
        .join(format!("wasm-bind{}", std::env::consts::EXE_SUFFIX));
    let sources = ["blake3.c", "blake3_dispatch.c", "blake3_portable.c"].map(|s| src.join(s));
    run(Command::new(&wasm_bind)
        .arg("guest")
        .args(&sources)
        .args(["--header", "guest/blake3.h", "-o", "guest/blake3.wasm"])
        .current_dir(&dir));

    let printed = run(cargo()
        .args(["run", "-q", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .arg("--")
        .arg(dir.join("guest/blake3.wasm"))
        .env("CARGO_TARGET_DIR", root.join("target"))
        .current_dir(&dir));
    let reference = run(Command::new("python3").arg("-c").arg(
        "import blake3\nfor n in [0, 1, 1024, 1025, 100003]:\n    print(n, blake3.blake3(bytes(i % 251 for i in range(n))).hexdigest())",
    ));
    assert_eq!(printed, reference);
    let _ = std::fs::remove_dir_all(&dir);
}
