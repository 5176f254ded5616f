//! Golden tests of `gen --explain`: one case per `tests/headers/*.h` (discovered automatically)
//! plus the bundled guests; expected text in `tests/golden/explain/<case>.txt`.
//!
//! A header's first line states its flags: `// gen-flags: --config x.toml --wasm x.wasm
//! --clang-arg -DX` (paths relative to the header's folder). The expected text is what the CLI
//! prints: the report on success, the rendered diagnostics on failure. `BLESS=1` re-accepts.
//!
//! Runs with its own small harness (`harness = false`) so each header is its own test line;
//! paths are relative to the `tests/` package (cargo's working directory for tests), so the
//! golden text never contains a machine-specific path.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use bindgen_core::{Generator, Options};

const BLESS_CMD: &str = "BLESS=1 cargo test -p wasm-bind-tests --test explain_golden";

/// One golden case.
struct Case {
    name: String,
    header: PathBuf,
    config: Option<PathBuf>,
    wasm: Option<PathBuf>,
    clang_args: Vec<String>,
}

impl Case {
    /// The equivalent CLI command, run from `tests/`.
    fn command(&self) -> String {
        let mut cmd = format!(
            "cd tests && cargo run -p gen -- --explain {}",
            self.header.display()
        );
        if let Some(c) = &self.config {
            cmd += &format!(" --config {}", c.display());
        }
        if let Some(w) = &self.wasm {
            cmd += &format!(" --wasm {}", w.display());
        }
        for a in &self.clang_args {
            cmd += &format!(" --clang-arg='{a}'");
        }
        cmd
    }

    /// What `gen --explain` prints for this case (stdout on success, stderr on failure).
    fn run(&self) -> String {
        let mut opts = Options::new(&self.header, Generator::Cli);
        opts.config = self.config.clone();
        opts.wasm = self.wasm.clone();
        opts.clang_args = self.clang_args.clone();
        match bindgen_core::load(&opts) {
            Ok(model) => bindgen_core::explain::explain(&model),
            Err(diags) => diags.render(),
        }
    }
}

/// Reads `// gen-flags:` from the first line of a test header.
fn case_from_header(header: &Path) -> Result<Case, String> {
    let text = std::fs::read_to_string(header)
        .map_err(|e| format!("cannot read {}: {e}", header.display()))?;
    let first = text.lines().next().unwrap_or("");
    let flags = first.strip_prefix("// gen-flags:").ok_or_else(|| {
        format!(
            "{}: the first line must be `// gen-flags: ...`",
            header.display()
        )
    })?;
    let dir = header.parent().unwrap_or(Path::new(""));
    let name = header.file_stem().unwrap().to_string_lossy().into_owned();
    let mut case = Case {
        name,
        header: header.to_path_buf(),
        config: None,
        wasm: None,
        clang_args: Vec::new(),
    };
    let mut words = flags.split_whitespace();
    while let Some(flag) = words.next() {
        let mut value = || {
            words
                .next()
                .ok_or_else(|| format!("{}: `{flag}` needs a value", header.display()))
        };
        match flag {
            "--config" => case.config = Some(dir.join(value()?)),
            "--wasm" => case.wasm = Some(dir.join(value()?)),
            "--clang-arg" => case.clang_args.push(value()?.to_string()),
            other => return Err(format!("{}: unknown gen-flag `{other}`", header.display())),
        }
    }
    Ok(case)
}

/// The bundled guests, built by `guests/build.sh` into `target/guests/`.
fn bundled_cases() -> Vec<Case> {
    let mono = PathBuf::from("../target/guests/monocypher");
    let twosum = PathBuf::from("../target/guests/twosum");
    let lz4 = PathBuf::from("../target/guests/lz4");
    vec![
        Case {
            name: "bundled_lz4".into(),
            header: lz4.join("lz4.h"),
            config: Some("../guests/lz4/lz4.toml".into()),
            wasm: Some(lz4.join("lz4.wasm")),
            clang_args: Vec::new(),
        },
        Case {
            name: "bundled_monocypher".into(),
            header: mono.join("monocypher.h"),
            config: Some("../guests/monocypher/monocypher.toml".into()),
            wasm: Some(mono.join("monocypher.wasm")),
            clang_args: Vec::new(),
        },
        Case {
            name: "bundled_monocypher_without_config".into(),
            header: mono.join("monocypher.h"),
            config: None,
            wasm: None,
            clang_args: Vec::new(),
        },
        Case {
            name: "bundled_twosum".into(),
            header: twosum.join("twosum.h"),
            config: None,
            wasm: Some(twosum.join("twosum.wasm")),
            clang_args: Vec::new(),
        },
    ]
}

/// Builds the guests when their outputs are missing.
fn ensure_guests() -> Result<(), String> {
    let needed = [
        "../target/guests/monocypher/monocypher.h",
        "../target/guests/monocypher/monocypher-ed25519.h",
        "../target/guests/monocypher/monocypher.wasm",
        "../target/guests/twosum/twosum.h",
        "../target/guests/twosum/twosum.wasm",
    ];
    if needed.iter().all(|p| Path::new(p).is_file()) {
        return Ok(());
    }
    eprintln!("building the guests: bash guests/build.sh");
    let status = std::process::Command::new("bash")
        .arg("../guests/build.sh")
        .status()
        .map_err(|e| format!("cannot run `bash guests/build.sh`: {e}"))?;
    if !status.success() {
        return Err(
            "`bash guests/build.sh` failed; run it from the repository root to see why".into(),
        );
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    if std::env::current_dir().ok().as_deref() != Some(manifest) {
        if let Err(e) = std::env::set_current_dir(manifest) {
            eprintln!("cannot enter {}: {e}", manifest.display());
            return ExitCode::FAILURE;
        }
    }
    let bless = std::env::var_os("BLESS").is_some_and(|v| v != "0" && !v.is_empty());
    let filters: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();

    let mut headers: Vec<PathBuf> = std::fs::read_dir("headers")
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "h"))
                .collect()
        })
        .unwrap_or_default();
    headers.sort();
    let mut cases = Vec::new();
    let mut failures: Vec<String> = Vec::new();
    for h in &headers {
        match case_from_header(h) {
            Ok(c) => cases.push(c),
            Err(e) => failures.push(e),
        }
    }
    cases.extend(bundled_cases());

    if args.iter().any(|a| a == "--list") {
        for c in &cases {
            println!("{}: test", c.name);
        }
        return ExitCode::SUCCESS;
    }
    let selected: Vec<&Case> = cases
        .iter()
        .filter(|c| filters.is_empty() || filters.iter().any(|f| c.name.contains(f.as_str())))
        .collect();
    if selected.iter().any(|c| c.name.starts_with("bundled_")) {
        if let Err(e) = ensure_guests() {
            failures.push(e);
        }
    }

    println!("\nrunning {} tests", selected.len());
    let (mut passed, mut failed) = (0, failures.len());
    for c in &selected {
        let golden = PathBuf::from("golden/explain").join(format!("{}.txt", c.name));
        let actual = c.run();
        let expected = std::fs::read_to_string(&golden).ok();
        if expected.as_deref() == Some(actual.as_str()) {
            println!("test {} ... ok", c.name);
            passed += 1;
        } else if bless {
            std::fs::create_dir_all("golden/explain").expect("create golden/explain");
            std::fs::write(&golden, &actual).expect("write golden file");
            println!("test {} ... blessed", c.name);
            passed += 1;
        } else {
            println!("test {} ... FAILED", c.name);
            let diff = match &expected {
                Some(old) => {
                    bindgen_core::emit::diff(old, &actual, &format!("tests/{}", golden.display()))
                }
                None => format!(
                    "tests/{} does not exist; the output is:\n{actual}",
                    golden.display()
                ),
            };
            failures.push(format!(
                "---- {} ----\n{diff}\nthe output comes from: {}\nif the new output is right, accept it with: {BLESS_CMD}",
                c.name,
                c.command()
            ));
            failed += 1;
        }
    }
    // Golden files whose case is gone are stale.
    if filters.is_empty() {
        let names: Vec<String> = cases.iter().map(|c| format!("{}.txt", c.name)).collect();
        for e in std::fs::read_dir("golden/explain")
            .into_iter()
            .flatten()
            .flatten()
        {
            let file = e.file_name().to_string_lossy().into_owned();
            if !names.contains(&file) {
                if bless {
                    let _ = std::fs::remove_file(e.path());
                } else {
                    failures.push(format!("tests/golden/explain/{file} has no test case; delete it or run {BLESS_CMD}"));
                    failed += 1;
                }
            }
        }
    }
    if !failures.is_empty() {
        println!("\nfailures:\n");
        for f in &failures {
            println!("{f}\n");
        }
    }
    let status = if failed == 0 { "ok" } else { "FAILED" };
    println!("test result: {status}. {passed} passed; {failed} failed; 0 ignored; 0 measured; {} filtered out\n", cases.len() - selected.len());
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(101)
    }
}
