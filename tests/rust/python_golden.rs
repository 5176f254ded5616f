//! Golden tests of the Python back end: regenerates `<stem>.py` / `<stem>.pyi` for the bundled
//! guests (monocypher with its config, twosum) and the edge-case header
//! `tests/golden/python/edge/edge.h`, and compares them with the checked-in copies: the committed
//! example module `examples/python/monocypher/` is Monocypher's golden (one copy, not two), the
//! others live in `tests/golden/python/`.
//!
//! `BLESS=1 cargo test -p wasm-bind-tests --test python_golden` re-accepts the current output.
//! The goldens are also compared, imported and run by `tests/python/test_generated_golden.py`.

use std::path::{Path, PathBuf};
use std::process::Command;

use bindgen_core::{Generator, Options};

/// One bundled guest: its stem, header, config and golden folder, relative to the repository root.
struct Case {
    stem: &'static str,
    header: &'static str,
    config: Option<&'static str>,
    golden: &'static str,
}

const CASES: &[Case] = &[
    Case {
        stem: "monocypher",
        header: "target/guests/monocypher/monocypher.h",
        config: Some("guests/monocypher/monocypher.toml"),
        golden: "examples/python/monocypher",
    },
    Case {
        stem: "twosum",
        header: "target/guests/twosum/twosum.h",
        config: None,
        golden: "tests/golden/python",
    },
    // Roles and conversions the bundled guests do not reach; built and run by tests/python.
    Case {
        stem: "edge",
        header: "tests/golden/python/edge/edge.h",
        config: Some("tests/golden/python/edge/edge.toml"),
        golden: "tests/golden/python",
    },
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// Builds the guests (which install the headers) when any bundled header is missing.
fn ensure_guests(root: &Path) {
    if CASES.iter().all(|c| root.join(c.header).is_file()) {
        return;
    }
    let status = Command::new("bash")
        .arg(root.join("guests/build.sh"))
        .current_dir(root)
        .status();
    assert!(
        matches!(status, Ok(s) if s.success()),
        "bash guests/build.sh failed ({status:?}); the golden tests need target/guests"
    );
}

fn check(case: &Case) -> Result<(), String> {
    let root = root();
    ensure_guests(&root);
    let mut opts = Options::new(root.join(case.header), Generator::Cli);
    opts.config = case.config.map(|c| root.join(c));
    let model = bindgen_core::load(&opts).map_err(|d| format!("{}: {}", case.stem, d.render()))?;
    let out = bindgen_core::emit::python::render(&model)
        .map_err(|d| format!("{}: {}", case.stem, d.render()))?;

    let dir = root.join(case.golden);
    let bless = std::env::var_os("BLESS").is_some_and(|v| v != "0" && !v.is_empty());
    let mut failures = Vec::new();
    for (ext, text) in [("py", &out.module), ("pyi", &out.stub)] {
        let path = dir.join(format!("{}.{ext}", case.stem));
        if bless {
            std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
            std::fs::write(&path, text)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            continue;
        }
        let shown = format!("{}/{}.{ext}", case.golden, case.stem);
        match std::fs::read_to_string(&path) {
            Ok(old) if &old == text => {}
            Ok(old) => failures.push(bindgen_core::emit::diff(&old, text, &shown)),
            Err(e) => failures.push(format!("{shown}: cannot read the golden file: {e}\n")),
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{}\nthe generated Python for `{}` differs from the golden files; if the change is intended, re-bless:\n  \
             BLESS=1 cargo test -p wasm-bind-tests --test python_golden\n",
            failures.concat(),
            case.header
        ))
    }
}

#[test]
fn monocypher_golden() {
    if let Err(e) = check(&CASES[0]) {
        panic!("{e}");
    }
}

#[test]
fn twosum_golden() {
    if let Err(e) = check(&CASES[1]) {
        panic!("{e}");
    }
}

#[test]
fn edge_golden() {
    if let Err(e) = check(&CASES[2]) {
        panic!("{e}");
    }
}
