//! toolchain: clang / wasm-ld for `wasm-bind guest`: finding them, the embedded guest kit written
//! to a scratch directory, one compile and one link, and wasm-ld's complaints turned into lists.

use std::path::{Path, PathBuf};
use std::process::Command;

use bindgen_core::{Diagnostic, Diagnostics};

/// The guest kit, embedded so an installed `wasm-bind` carries it: (path in the kit, contents).
/// `include/wasm_bind.h` is the annotation header, so annotated headers compile with the kit alone.
const KIT: &[(&str, &str)] = &[
    ("wb_arena.c", include_str!("../../guest-kit/wb_arena.c")),
    ("wb_arena.h", include_str!("../../guest-kit/wb_arena.h")),
    ("wb_libc.c", include_str!("../../guest-kit/wb_libc.c")),
    (
        "include/string.h",
        include_str!("../../guest-kit/include/string.h"),
    ),
    (
        "include/assert.h",
        include_str!("../../guest-kit/include/assert.h"),
    ),
    (
        "include/stdlib.h",
        include_str!("../../guest-kit/include/stdlib.h"),
    ),
    (
        "include/ctype.h",
        include_str!("../../guest-kit/include/ctype.h"),
    ),
    (
        "include/wasm_bind.h",
        include_str!("../../bindgen-core/include/wasm_bind.h"),
    ),
    (
        "wasi-include/wasm_bind.h",
        include_str!("../../bindgen-core/include/wasm_bind.h"),
    ),
];

/// The kit's C sources, compiled into every guest.
pub const KIT_SOURCES: &[&str] = &["wb_arena.c", "wb_libc.c"];

/// The kit's C sources for a libc guest (`--wasi`): the arena over `aligned_alloc` (compiled with
/// `-DWB_ARENA_LIBC`); wasi-libc replaces `wb_libc.c`, and `wasi-include/` holds only
/// `wasm_bind.h` (the annotation header), so wasi-libc's own headers are the ones found.
pub const KIT_SOURCES_LIBC: &[&str] = &["wb_arena.c"];

/// The clang and wasm-ld to run.
pub struct Tools {
    /// clang (`WB_CLANG`, default `clang-19`).
    pub clang: PathBuf,
    /// wasm-ld (`WB_WASM_LD`, default `wasm-ld-19`).
    pub wasm_ld: PathBuf,
}

impl Tools {
    /// Finds both tools on PATH (or as given by `WB_CLANG` / `WB_WASM_LD`); one line naming the
    /// Debian packages when either is missing.
    pub fn find() -> Result<Tools, Diagnostics> {
        let clang = std::env::var("WB_CLANG").unwrap_or_else(|_| "clang-19".into());
        let wasm_ld = std::env::var("WB_WASM_LD").unwrap_or_else(|_| "wasm-ld-19".into());
        let missing: Vec<&str> = [&clang, &wasm_ld]
            .into_iter()
            .filter(|t| find_program(t).is_none())
            .map(|t| t.as_str())
            .collect();
        if !missing.is_empty() {
            return Err(Diagnostic::global(format!(
                "`{}` not found: building a guest needs clang and wasm-ld 19 (Debian packages clang-19 lld-19: `apt-get install clang-19 lld-19`; or set WB_CLANG / WB_WASM_LD)",
                missing.join("` and `")
            ))
            .into());
        }
        Ok(Tools {
            clang: find_program(&clang).unwrap(),
            wasm_ld: find_program(&wasm_ld).unwrap(),
        })
    }
}

/// `name` itself when it is a path to a file, else the first match on PATH.
fn find_program(name: &str) -> Option<PathBuf> {
    let direct = Path::new(name);
    if direct.components().count() > 1 {
        return direct.is_file().then(|| direct.to_path_buf());
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// A scratch directory holding the kit and the objects, removed when dropped.
pub struct Scratch {
    /// Its path (under the system temp directory).
    pub dir: PathBuf,
}

impl Scratch {
    /// Creates the directory and writes the kit into it.
    pub fn with_kit() -> Result<Scratch, Diagnostics> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let dir =
            std::env::temp_dir().join(format!("wasm-bind-guest-{}-{nanos}", std::process::id()));
        let scratch = Scratch { dir };
        for (name, text) in KIT {
            let path = scratch.kit().join(name);
            let written = std::fs::create_dir_all(path.parent().unwrap())
                .and_then(|_| std::fs::write(&path, text));
            written.map_err(|e| {
                Diagnostic::global(format!(
                    "cannot write the guest kit to `{}`: {e}",
                    path.display()
                ))
            })?;
        }
        Ok(scratch)
    }

    /// Where the kit is.
    pub fn kit(&self) -> PathBuf {
        self.dir.join("kit")
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// What a run of a tool printed, when it failed.
pub struct Failed {
    /// Its stderr (clang's diagnostics, wasm-ld's errors).
    pub stderr: String,
    /// Its exit status, in words.
    pub status: String,
}

/// Runs `cmd`; its stderr is passed through on success (compiler warnings belong to the user).
pub fn run(mut cmd: Command) -> Result<(), Failed> {
    let out = cmd.output().map_err(|e| Failed {
        stderr: String::new(),
        status: format!("could not be started: {e}"),
    })?;
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    if out.status.success() {
        eprint!("{stderr}");
        return Ok(());
    }
    Err(Failed {
        stderr,
        status: out.status.to_string(),
    })
}

/// The symbols wasm-ld reports as undefined (`...: undefined symbol: malloc`): what the module
/// would have to import.
pub fn undefined_symbols(stderr: &str) -> Vec<String> {
    let mut names: Vec<String> = stderr
        .lines()
        .filter_map(|l| {
            l.split_once("undefined symbol: ")
                .map(|(_, name)| name.trim().to_string())
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undefined_symbols_are_read_from_wasm_ld_errors() {
        let err = "wasm-ld-19: error: /tmp/a.o: undefined symbol: malloc\nwasm-ld-19: error: /tmp/b.o: undefined symbol: free\n\
                   wasm-ld-19: error: /tmp/c.o: undefined symbol: malloc\nwasm-ld-19: error: something else\n";
        assert_eq!(undefined_symbols(err), ["free", "malloc"]);
    }

    #[test]
    fn a_program_path_is_taken_as_is_and_a_name_is_looked_up() {
        assert!(find_program("/nonexistent/clang-19").is_none());
        assert!(find_program("wasm-bind-no-such-tool-anywhere").is_none());
    }
}
