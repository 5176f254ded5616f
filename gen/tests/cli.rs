//! The `gen` binary as a user meets it: messages for wrong inputs, what -o and --check do in each
//! mode, and the stderr warnings for C functions the bindings leave out.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (tests/headers, target/guests live there).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Runs `gen` from the repository root.
fn gen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wasm-bind"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("run gen")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A fresh scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wb_gen_cli_{name}_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_file_that_is_not_wasm_is_one_line_naming_it() {
    let dir = scratch("junk");
    let junk = dir.join("junk.wasm");
    std::fs::write(&junk, b"junk").unwrap();
    let out = gen(&[
        "--explain",
        "tests/headers/rule_arrays.h",
        "--wasm",
        junk.to_str().unwrap(),
    ]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "one error line and one help line:\n{err}");
    assert_eq!(
        lines[0],
        format!("error: `{}` is not a wasm module: it does not start with the wasm magic bytes `\\0asm` (bad magic)", junk.display())
    );
    assert!(
        lines[1].starts_with("  help: pass the core wasm32 module (.wasm)"),
        "{err}"
    );
    assert!(
        !err.contains("guests/build.sh"),
        "a user's own guest gets no project-specific hint:\n{err}"
    );
    assert!(out.stdout.is_empty());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_directory_as_header_is_named_as_such() {
    let dir = scratch("dir");
    let out = gen(&["--explain", dir.to_str().unwrap()]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.starts_with(&format!(
            "error: `{}` is a directory, expected a C header file\n",
            dir.display()
        )),
        "{err}"
    );
    assert!(!err.contains("not found"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn explain_writes_to_out_and_check_compares_it() {
    let dir = scratch("explain_out");
    let report = dir.join("roles.txt");
    let header = "tests/headers/rule_arrays.h";
    let stdout_report = gen(&["--explain", header]);
    assert!(stdout_report.status.success());

    let out = gen(&["--explain", header, "-o", report.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        out.stdout.is_empty(),
        "with -o the report goes to the file, not stdout"
    );
    assert_eq!(std::fs::read(&report).unwrap(), stdout_report.stdout);

    let out = gen(&[
        "--explain",
        header,
        "-o",
        report.to_str().unwrap(),
        "--check",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    std::fs::write(&report, b"stale\n").unwrap();
    let out = gen(&[
        "--explain",
        header,
        "-o",
        report.to_str().unwrap(),
        "--check",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains(&format!("stale: {}", report.display())));
    assert_eq!(
        std::fs::read(&report).unwrap(),
        b"stale\n",
        "--check never writes"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn check_without_out_is_a_usage_error() {
    for mode in ["--explain", "--py", "--rust"] {
        let out = gen(&[mode, "tests/headers/rule_arrays.h", "--check"]);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{mode}: {err}");
        assert!(
            err.contains("required arguments were not provided") && err.contains("--out <PATH>"),
            "{mode}: {err}"
        );
        assert!(
            out.stdout.is_empty(),
            "{mode}: nothing is printed as if it had been checked"
        );
    }
}

#[test]
fn help_says_what_out_and_check_do_with_explain() {
    let help = text(&gen(&["--help"]).stdout);
    assert!(help.contains("the report's file with --explain"), "{help}");
    assert!(help.contains("with --explain: the report file"), "{help}");
}

#[test]
fn rust_warns_once_per_unbound_function_on_stderr() {
    let dir = scratch("rust_warn");
    let rs = dir.join("skips.rs");
    let out = gen(&[
        "--rust",
        "tests/headers/skips.h",
        "-o",
        rs.to_str().unwrap(),
    ]);
    let err = text(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        out.stdout.is_empty(),
        "stdout is unchanged: {}",
        text(&out.stdout)
    );
    let warnings: Vec<&str> = err.lines().filter(|l| l.contains(": warning: ")).collect();
    assert_eq!(warnings.len(), 6, "{err}"); // use_opaque binds: a library-owned handle (roles::owned)
    assert!(
        err.contains("tests/headers/skips.h:12:13: warning: `scale` is not bound: parameter `x`: type `long double` is not supported yet\n"),
        "{err}"
    );
    assert!(
        err.contains("note: 6 C function(s) left out of the bindings; `wasm-bind --explain tests/headers/skips.h` lists them"),
        "{err}"
    );
    // Everything bound: not a word.
    let out = gen(&[
        "--rust",
        "tests/headers/rule_arrays.h",
        "-o",
        dir.join("ra.rs").to_str().unwrap(),
    ]);
    let err = text(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("warning") && !err.contains("note:"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn py_warns_about_unbound_functions_on_stderr_only() {
    let wasm = root().join("target/guests/twosum/twosum.wasm");
    assert!(
        wasm.is_file(),
        "{} missing: run `bash guests/build.sh`",
        wasm.display()
    );
    let dir = scratch("py_warn");
    let header = dir.join("stats.h");
    let twosum = std::fs::read_to_string(root().join("target/guests/twosum/twosum.h")).unwrap();
    let extra = "long double mean(const long double *xs, size_t n);\n";
    std::fs::write(&header, twosum.replace("#endif", &format!("{extra}#endif"))).unwrap();
    let (a, b) = (dir.join("a"), dir.join("b"));
    let out = gen(&[
        "--py",
        header.to_str().unwrap(),
        "--wasm",
        wasm.to_str().unwrap(),
        "-o",
        a.to_str().unwrap(),
    ]);
    let err = text(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(out.stdout.is_empty());
    let warnings: Vec<&str> = err.lines().filter(|l| l.contains(": warning: ")).collect();
    assert_eq!(warnings.len(), 1, "{err}");
    assert!(
        warnings[0].ends_with("warning: `mean` is not bound: parameter `xs`: pointer type `const long double *` is not supported yet"),
        "{err}"
    );
    assert!(err.contains("--explain"), "{err}");

    assert!(a.join("stats.py").is_file() && a.join("stats.pyi").is_file());

    // The same header without `mean`: everything bound, not a word on stderr but what was written.
    std::fs::write(&header, &twosum).unwrap();
    let out = gen(&[
        "--py",
        header.to_str().unwrap(),
        "--wasm",
        wasm.to_str().unwrap(),
        "-o",
        b.to_str().unwrap(),
    ]);
    let err = text(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(out.stdout.is_empty());
    assert!(err.lines().all(|l| l.starts_with("wrote ")), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn sizes_taken_only_by_position_with_unusual_names_are_not_bound() {
    let dir = scratch("positional");
    let file = dir.join("bindings.rs");
    let out = gen(&[
        "--rust",
        "tests/headers/rule_positional_sizes.h",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    let warnings: Vec<&str> = err.lines().filter(|l| l.contains("warning:")).collect();
    assert_eq!(warnings.len(), 2, "{err}");
    assert!(warnings[0].starts_with("tests/headers/rule_positional_sizes.h:8:6: warning: `keyed_rounds` is not bound: parameter `rounds` (int32_t) right after `key`"), "{err}");
    assert!(warnings[0].ends_with("`[functions.keyed_rounds.params] rounds = \"len_of(key)\"` if it is `key`'s element count, or `rounds = \"scalar\"` if it is not"), "{err}");
    assert!(
        warnings[1].contains("`with_flags` is not bound: parameter `flags`"),
        "{err}"
    );
    assert!(
        !std::fs::read_to_string(&file)
            .unwrap()
            .contains("pub fn keyed_rounds"),
        "a guessed size is never bound"
    );
}

#[test]
fn functions_skipped_on_purpose_are_counted_not_warned_about() {
    let dir = scratch("deliberate");
    let out = gen(&[
        "--rust",
        "tests/headers/annotations.h",
        "-o",
        dir.join("a.rs").to_str().unwrap(),
    ]);
    let err = text(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        !err.contains("warning:"),
        "WB_SKIP(\"debug only\") is the user's decision: {err}"
    );
    assert!(
        err.contains("note: 1 C function(s) left out of the bindings (1 on purpose: config `skip`, WB_SKIP, or a handle's destructor); `wasm-bind --explain tests/headers/annotations.h` lists them"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn functions_the_call_plan_cannot_bind_are_warned_about() {
    let dir = scratch("plan-not-bound");
    let file = dir.join("bindings.rs");
    let out = gen(&[
        "--rust",
        "tests/headers/plan_abi.h",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(
        err.contains("warning: `eighteen` is not bound: it has 18 parameters: typed wasm calls take at most 17"),
        "{err}"
    );
    assert!(
        err.contains("note: 1 C function(s) left out of the bindings"),
        "{err}"
    );
    assert!(!std::fs::read_to_string(&file)
        .unwrap()
        .contains("pub fn eighteen"));
}

#[test]
fn an_output_that_is_not_a_file_is_written_in_place_not_replaced() {
    // `-o /dev/null` once replaced the device with a regular file (the report was staged and renamed
    // over it). A FIFO stands in for the device here: it must still be a FIFO afterwards, and its
    // reader must get the report.
    use std::io::Read;
    use std::os::unix::fs::FileTypeExt;
    let dir = scratch("fifo");
    let fifo = dir.join("report");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("run mkfifo");
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut text = String::new();
            std::fs::File::open(fifo)
                .unwrap()
                .read_to_string(&mut text)
                .unwrap();
            text
        })
    };
    let out = gen(&[
        "--explain",
        "tests/headers/rule_arrays.h",
        "-o",
        fifo.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    // Checked before joining: a replaced FIFO never gets a writer, so its reader would wait forever.
    let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
    assert!(kind.is_fifo(), "the FIFO was replaced: {kind:?}");
    let report = reader.join().unwrap();
    assert!(report.contains("x25519"), "{report}");
    std::fs::remove_dir_all(&dir).unwrap();
}
