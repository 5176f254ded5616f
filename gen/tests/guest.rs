//! `wasm-bind guest` as a user meets it: what a built guest exports and imports, and one clear
//! error with nothing written for each bad input (no definition, an import, a compile error, a
//! missing directory, missing tools). Needs clang-19 / wasm-ld-19 like guests/build.sh.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A small library written for these tests: two bound functions, one using the kit's string.h.
const HEADER: &str = "#include <stddef.h>\n#include <stdint.h>\n\
    /* Sum of the bytes. */\nuint32_t lib_sum(const uint8_t *data, size_t data_len);\n\
    /* Length of a C string. */\nuint32_t lib_len(const char *s);\n";
const SOURCE: &str = "#include <string.h>\n#include \"lib.h\"\n\
    static uint32_t helper(uint8_t b) { return b; }\n\
    uint32_t internal_total;\n\
    uint32_t lib_sum(const uint8_t *data, size_t data_len) { uint32_t s = 0; for (size_t i = 0; i < data_len; i++) s += helper(data[i]); internal_total += s; return s; }\n\
    uint32_t lib_len(const char *s) { return (uint32_t)strlen(s); }\n";

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wb_gen_guest_{name}_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("lib.h"), HEADER).unwrap();
    std::fs::write(dir.join("lib.c"), SOURCE).unwrap();
    dir
}

/// Runs `wasm-bind guest ARGS...` in `dir`, with extra environment variables.
fn guest(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wasm-bind"));
    cmd.arg("guest").args(args).current_dir(dir);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run wasm-bind")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The files in `dir`, by name.
fn files(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

/// (imports, exports) of a module.
fn imports_exports(wasm: &[u8]) -> (Vec<String>, BTreeSet<String>) {
    let (mut imports, mut exports) = (Vec::new(), BTreeSet::new());
    for payload in wasmparser::Parser::new(0).parse_all(wasm) {
        match payload.unwrap() {
            wasmparser::Payload::ImportSection(r) => {
                imports.extend(r.into_imports().map(|i| i.unwrap().name.to_string()));
            }
            wasmparser::Payload::ExportSection(r) => {
                exports.extend(r.into_iter().map(|e| e.unwrap().name.to_string()))
            }
            _ => {}
        }
    }
    (imports, exports)
}

#[test]
fn a_guest_exports_its_header_functions_memory_and_the_arena_only() {
    let dir = scratch("ok");
    let out = guest(&dir, &["lib.c", "--header", "lib.h", "-o", "lib.wasm"], &[]);
    let err = text(&out.stderr);
    assert!(out.status.success(), "{err}");
    let wasm = std::fs::read(dir.join("lib.wasm")).unwrap();
    let (imports, exports) = imports_exports(&wasm);
    assert!(imports.is_empty(), "{imports:?}");
    let expected = [
        "lib_sum",
        "lib_len",
        "memory",
        "bump_alloc",
        "bump_reset",
        "wb_persist_alloc",
        "wb_persist_free",
        "wb_reset_wiped",
        "__heap_base",
    ];
    // Not exported: the static helper, the global `internal_total`, the kit's strlen, the stack pointer.
    assert_eq!(
        exports,
        expected
            .iter()
            .map(|s| s.to_string())
            .collect::<BTreeSet<_>>()
    );
    assert!(
        err.contains(&format!("built lib.wasm: {} bytes", wasm.len())),
        "{err}"
    );
    assert!(err.contains("imports nothing"), "{err}");
    assert!(
        err.contains("next: wasm-bind --py lib.h --wasm lib.wasm --package <dir> (a pip-installable project; -o <dir> for a loose module)"),
        "{err}"
    );
    assert_eq!(
        files(&dir),
        ["lib.c", "lib.h", "lib.wasm"].map(String::from).into()
    );
}

#[test]
fn a_header_function_without_definition_is_named_with_a_skip_hint_and_nothing_is_written() {
    let dir = scratch("undefined");
    std::fs::write(dir.join("lib.h"), format!("{HEADER}int lib_gone(int x);\n")).unwrap();
    let out = guest(&dir, &["lib.c", "--header", "lib.h", "-o", "lib.wasm"], &[]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(
            "lib.h:7:5: error: `lib_gone` is declared in the header but not defined by the sources"
        ),
        "{err}"
    );
    assert!(
        err.contains("[functions.lib_gone] skip = \"not in this build\""),
        "{err}"
    );
    assert_eq!(files(&dir), ["lib.c", "lib.h"].map(String::from).into());

    // With the config line the hint gives, it builds, and says what the header declares but lacks.
    std::fs::write(
        dir.join("lib.toml"),
        "[functions.lib_gone]\nskip = \"not in this build\"\n",
    )
    .unwrap();
    let out = guest(
        &dir,
        &[
            "lib.c", "--header", "lib.h", "--config", "lib.toml", "-o", "lib.wasm",
        ],
        &[],
    );
    let err = text(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("note: `lib_gone` is declared in the header but not defined by the sources"),
        "{err}"
    );
    assert!(
        !imports_exports(&std::fs::read(dir.join("lib.wasm")).unwrap())
            .1
            .contains("lib_gone")
    );
}

#[test]
fn a_call_to_malloc_is_refused_as_an_import() {
    let dir = scratch("malloc");
    std::fs::write(
        dir.join("heap.c"),
        "void *malloc(unsigned long n);\nvoid *grab(void) { return malloc(4); }\n",
    )
    .unwrap();
    std::fs::write(dir.join("lib.h"), format!("{HEADER}void *grab(void);\n")).unwrap();
    let out = guest(
        &dir,
        &["lib.c", "heap.c", "--header", "lib.h", "-o", "lib.wasm"],
        &[],
    );
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("error: the sources use `malloc` but nothing defines it: the guest would have to import it"), "{err}");
    assert!(
        err.contains("for a library that needs libc (malloc, stdio, time, ...) build a libc guest with --wasi"),
        "{err}"
    );
    assert!(!dir.join("lib.wasm").exists());

    // Through the kit's stdlib.h the same call does not even compile, with the reason.
    std::fs::write(
        dir.join("heap.c"),
        "#include <stdlib.h>\nvoid *grab(void) { return malloc(4); }\n",
    )
    .unwrap();
    let err = text(
        &guest(
            &dir,
            &["lib.c", "heap.c", "--header", "lib.h", "-o", "lib.wasm"],
            &[],
        )
        .stderr,
    );
    assert!(
        err.contains("'malloc' is unavailable: wasm-bind's freestanding guest kit has no heap"),
        "{err}"
    );
    assert!(
        err.contains("needs libc: build it with `wasm-bind guest --wasi`"),
        "{err}"
    );
}

#[test]
fn a_libc_header_points_to_wasi_and_a_libc_guest_header_may_include_one() {
    // (A fresh-user walkthrough: `'stdio.h' file not found` with no hint, and a header including
    // <stdio.h> could not be parsed even for a --wasi guest.)
    let dir = scratch("stdio");
    std::fs::write(
        dir.join("io.h"),
        "#include <stdio.h>\nint io_next(int x);\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("io.c"),
        "#include <stdio.h>\n#include \"io.h\"\nint io_next(int x) { return x + 1; }\n",
    )
    .unwrap();
    // freestanding: the header does not parse; the help names the libc header and the way out
    let out = guest(&dir, &["io.c", "--header", "io.h", "-o", "io.wasm"], &[]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("io.h:1:10: error: clang: 'stdio.h' file not found"),
        "{err}"
    );
    assert!(
        err.contains("help: `stdio.h` is a C library header"),
        "{err}"
    );
    assert!(
        err.contains("`wasm-bind guest --wasi` does this itself"),
        "{err}"
    );
    // a source including it (the header does not): the compile error says to use --wasi
    std::fs::write(dir.join("io.h"), "int io_next(int x);\n").unwrap();
    let out = guest(&dir, &["io.c", "--header", "io.h", "-o", "io.wasm"], &[]);
    let err = text(&out.stderr);
    assert!(
        err.contains(
            "help: `stdio.h` is a libc header: a freestanding guest has only the guest kit's"
        ),
        "{err}"
    );
    assert!(
        err.contains("build a library that needs libc with --wasi"),
        "{err}"
    );
    // --wasi: the header including <stdio.h> is parsed with wasi-libc's headers and the guest builds
    std::fs::write(
        dir.join("io.h"),
        "#include <stdio.h>\nint io_next(int x);\n",
    )
    .unwrap();
    let out = guest(
        &dir,
        &["io.c", "--header", "io.h", "--wasi", "-o", "io.wasm"],
        &[],
    );
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(dir.join("io.wasm").exists());
}

#[test]
fn a_source_that_does_not_compile_shows_clangs_diagnostics() {
    let dir = scratch("syntax");
    std::fs::write(
        dir.join("lib.c"),
        "#include \"lib.h\"\nuint32_t lib_len(const char *s) { return s +; }\n",
    )
    .unwrap();
    let out = guest(&dir, &["lib.c", "--header", "lib.h", "-o", "lib.wasm"], &[]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("lib.c:2:45: error: expected expression"),
        "clang's own diagnostic first:\n{err}"
    );
    assert!(err.contains("error: `lib.c` does not compile"), "{err}");
    assert_eq!(files(&dir), ["lib.c", "lib.h"].map(String::from).into());
}

#[test]
fn an_output_in_a_missing_directory_and_missing_tools_are_one_error_each() {
    let dir = scratch("paths");
    let out = guest(
        &dir,
        &["lib.c", "--header", "lib.h", "-o", "no/such/dir/lib.wasm"],
        &[],
    );
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.starts_with(
            "error: cannot write `no/such/dir/lib.wasm`: directory `no/such/dir` does not exist"
        ),
        "{err}"
    );
    assert!(!dir.join("no").exists());

    let out = guest(
        &dir,
        &["lib.c", "--header", "lib.h", "-o", "lib.wasm"],
        &[("WB_CLANG", "no-such-clang-19")],
    );
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("`no-such-clang-19` not found")
            && err.contains("Debian packages clang-19 lld-19"),
        "{err}"
    );
    assert_eq!(files(&dir), ["lib.c", "lib.h"].map(String::from).into());
}

#[test]
fn functions_the_bindings_leave_out_are_warned_about_by_the_guest_build_too() {
    // (A second fresh-user walkthrough: `guest` exported 2 of 7 functions without a word; `--py` warned.)
    let dir = scratch("unbound");
    std::fs::write(
        dir.join("u.h"),
        "int u_ok(int x);\nvoid u_wide(long double x);\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("u.c"),
        "#include \"u.h\"\nint u_ok(int x) { return x; }\nvoid u_wide(long double x) { (void)x; }\n",
    )
    .unwrap();
    let out = guest(&dir, &["u.c", "--header", "u.h", "-o", "u.wasm"], &[]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("warning: `u_wide` is not bound: parameter `x`: type `long double` is not supported yet"), "{err}");
    assert!(
        err.contains("note: 1 C function(s) left out of the bindings"),
        "{err}"
    );
}
