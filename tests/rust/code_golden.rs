//! Golden tests of the generated code itself: for every `tests/headers/*.h` that generates (the
//! `err_*` headers fail to load; `explain_golden` covers their diagnostics), the Rust file
//! (`emit::rust::render_file`, in `tests/golden/rust/<case>.rs`) and the Python bindings
//! (`emit::python::render`: the module from its `# Bindings for <Class>` marker on, so a change of
//! the runtime part above it does not churn these files, in `tests/golden/python-methods/<case>.py`,
//! and the whole stub, `<case>.pyi`).
//!
//! A header's first line states its flags (`// gen-flags: --config x.toml --clang-arg -DX`, paths
//! relative to the header), as for `explain_golden`. `BLESS=1` re-accepts the output, writes
//! `tests/golden/rust/all.rs` (one `mod` per Rust golden, `include!`d by `tests/rust/code_golden_build.rs`
//! so rustc type-checks every golden) and deletes goldens whose header is gone. The Python goldens
//! are imported (and, with a guest, called) by `tests/python/test_code_golden.py`.
//!
//! Own harness (`harness = false`): one test line per header and back end.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use bindgen_core::{Generator, Options};

const BLESS_CMD: &str = "BLESS=1 cargo test -p wasm-bind-tests --test code_golden";

/// The line the Python golden starts at (the first line after the runtime part of the module).
const PY_MARKER: &str = "# Bindings for ";

/// The generated list of Rust goldens, compiled by `code_golden_build.rs`.
const RUST_LIST: &str = "golden/rust/all.rs";

/// One header and its flags.
struct Case {
    name: String,
    header: PathBuf,
    config: Option<PathBuf>,
    clang_args: Vec<String>,
}

impl Case {
    /// The `gen` command that prints the same Rust (`--rust`), run from `tests/`.
    fn command(&self, what: &str) -> String {
        let mut cmd = format!(
            "cd tests && cargo run -p gen -- {what} {}",
            self.header.display()
        );
        if let Some(c) = &self.config {
            cmd += &format!(" --config {}", c.display());
        }
        for a in &self.clang_args {
            cmd += &format!(" --clang-arg='{a}'");
        }
        cmd
    }
}

/// Reads `// gen-flags:` from the first line of a test header.
fn case_from_header(header: &Path) -> Result<Case, String> {
    let text = std::fs::read_to_string(header)
        .map_err(|e| format!("cannot read {}: {e}", header.display()))?;
    let flags = text
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("// gen-flags:"))
        .ok_or_else(|| {
            format!(
                "{}: the first line must be `// gen-flags: ...`",
                header.display()
            )
        })?;
    let dir = header.parent().unwrap_or(Path::new(""));
    let name = header
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    let mut case = Case {
        name,
        header: header.to_path_buf(),
        config: None,
        clang_args: Vec::new(),
    };
    let mut words = flags.split_whitespace();
    while let Some(flag) = words.next() {
        let value = words
            .next()
            .ok_or_else(|| format!("{}: `{flag}` needs a value", header.display()))?;
        match flag {
            "--config" => case.config = Some(dir.join(value)),
            "--clang-arg" => case.clang_args.push(value.to_string()),
            // A guest for --py only: the code does not depend on it.
            "--wasm" => {}
            other => return Err(format!("{}: unknown gen-flag `{other}`", header.display())),
        }
    }
    Ok(case)
}

/// One golden file of a case: its path under `golden/` and the text expected there.
struct Golden {
    path: PathBuf,
    text: String,
}

/// The goldens of `case`; `Ok(None)` when the header does not load (an error case).
fn render(case: &Case) -> Result<Option<Vec<Golden>>, String> {
    let mut opts = Options::new(&case.header, Generator::Cli);
    opts.config = case.config.clone();
    opts.clang_args = case.clang_args.clone();
    let Ok(model) = bindgen_core::load(&opts) else {
        return Ok(None);
    };
    let rust = bindgen_core::emit::rust::render_file(&model).map_err(|d| {
        format!(
            "the Rust back end failed on a header that loads:\n{}",
            d.render()
        )
    })?;
    let py = bindgen_core::emit::python::render(&model).map_err(|d| {
        format!(
            "the Python back end failed on a header that loads:\n{}",
            d.render()
        )
    })?;
    let start = py
        .module
        .find(PY_MARKER)
        .ok_or_else(|| format!("the Python module has no `{PY_MARKER}` line"))?;
    let n = &case.name;
    Ok(Some(vec![
        Golden {
            path: format!("golden/rust/{n}.rs").into(),
            text: rust,
        },
        Golden {
            path: format!("golden/python-methods/{n}.py").into(),
            text: py.module[start..].to_owned(),
        },
        Golden {
            path: format!("golden/python-methods/{n}.pyi").into(),
            text: py.stub,
        },
    ]))
}

/// `golden/rust/all.rs`: one module per Rust golden.
fn rust_list(names: &[String]) -> String {
    let mut out = String::from(
        "// @generated by tests/rust/code_golden.rs (BLESS=1): every Rust golden in its own module, so\n\
         // that tests/rust/code_golden_build.rs type-checks all of them.\n",
    );
    for n in names {
        out += &format!(
            "\n#[allow(dead_code, unused_imports)]\npub mod {n} {{\n    include!(\"{n}.rs\");\n}}\n"
        );
    }
    out
}

/// Compares (or with `bless`, writes) one golden; `Err` is the failure message.
fn check(g: &Golden, bless: bool, command: &str) -> Result<bool, String> {
    let expected = std::fs::read_to_string(&g.path).ok();
    if expected.as_deref() == Some(g.text.as_str()) {
        return Ok(false);
    }
    if bless {
        if let Some(dir) = g.path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        std::fs::write(&g.path, &g.text)
            .map_err(|e| format!("cannot write {}: {e}", g.path.display()))?;
        return Ok(true);
    }
    let shown = format!("tests/{}", g.path.display());
    let diff = match &expected {
        Some(old) => bindgen_core::emit::diff(old, &g.text, &shown),
        None => format!("{shown} does not exist\n"),
    };
    Err(format!("{diff}\nthe output comes from: {command}\nif the new output is right, accept it with: {BLESS_CMD}"))
}

/// Golden files in `dir` with extension `ext` that no case wrote.
fn stale(dir: &str, written: &[PathBuf]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| Path::new(dir).join(e.file_name()))
        .filter(|p| !written.contains(p) && p.as_path() != Path::new(RUST_LIST))
        .collect();
    out.sort();
    out
}

fn main() -> ExitCode {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    if let Err(e) = std::env::set_current_dir(manifest) {
        eprintln!("cannot enter {}: {e}", manifest.display());
        return ExitCode::FAILURE;
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--list") {
        return ExitCode::SUCCESS;
    }
    let filters: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let bless = std::env::var_os("BLESS").is_some_and(|v| v != "0" && !v.is_empty());

    let mut headers: Vec<PathBuf> = std::fs::read_dir("headers")
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "h"))
                .collect()
        })
        .unwrap_or_default();
    headers.sort();
    let mut failures: Vec<String> = Vec::new();
    let (mut passed, mut skipped) = (0, 0);
    let mut written: Vec<PathBuf> = Vec::new();
    let mut rust_names: Vec<String> = Vec::new();
    println!("\nrunning code goldens for {} headers", headers.len());
    for h in &headers {
        let case = match case_from_header(h) {
            Ok(c) => c,
            Err(e) => {
                failures.push(e);
                continue;
            }
        };
        let selected = filters.is_empty() || filters.iter().any(|f| case.name.contains(f.as_str()));
        let goldens = match render(&case) {
            Ok(Some(g)) => g,
            Ok(None) => {
                skipped += 1;
                continue;
            }
            Err(e) => {
                println!("test {} ... FAILED", case.name);
                failures.push(format!(
                    "---- {} ----\n{e}\nfrom: {}",
                    case.name,
                    case.command("--explain")
                ));
                continue;
            }
        };
        rust_names.push(case.name.clone());
        for g in goldens {
            written.push(g.path.clone());
            if !selected {
                continue;
            }
            let what = if g.path.extension().is_some_and(|e| e == "rs") {
                "--rust -o out.rs"
            } else {
                "--py --wasm GUEST.wasm -o out/"
            };
            let label = format!("{} ({})", case.name, g.path.display());
            match check(&g, bless, &case.command(what)) {
                Ok(blessed) => {
                    println!(
                        "test {label} ... {}",
                        if blessed { "blessed" } else { "ok" }
                    );
                    passed += 1;
                }
                Err(e) => {
                    println!("test {label} ... FAILED");
                    failures.push(format!("---- {label} ----\n{e}"));
                }
            }
        }
    }
    let list = Golden {
        path: RUST_LIST.into(),
        text: rust_list(&rust_names),
    };
    if let Err(e) = check(&list, bless, "the list of Rust goldens") {
        failures.push(format!("---- {RUST_LIST} ----\n{e}"));
    }
    if filters.is_empty() {
        for p in stale("golden/rust", &written)
            .into_iter()
            .chain(stale("golden/python-methods", &written))
        {
            if bless {
                let _ = std::fs::remove_file(&p);
            } else {
                failures.push(format!(
                    "tests/{} has no header any more; delete it or run {BLESS_CMD}",
                    p.display()
                ));
            }
        }
    }
    for f in &failures {
        println!("\n{f}");
    }
    let status = if failures.is_empty() { "ok" } else { "FAILED" };
    println!(
        "\ntest result: {status}. {passed} passed; {} failed; {skipped} headers that do not load skipped\n",
        failures.len()
    );
    if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(101)
    }
}
