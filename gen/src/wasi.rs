//! `wasm-bind guest --wasi`: where wasi-libc is (a sysroot), the clang flags that compile against it
//! and only it, and the wasm-ld arguments that link a reactor with it.

use std::path::{Path, PathBuf};
use std::process::Command;

use bindgen_core::{Diagnostic, Diagnostics};

/// The default sysroot: Debian's `wasi-libc` installs a multiarch layout under `/usr`.
pub const DEFAULT_SYSROOT: &str = "/usr";

/// A wasi-libc sysroot and clang's builtins for wasm32, found and checked.
pub struct WasiLibc {
    /// The sysroot given (`--wasi-sysroot`, `WB_WASI_SYSROOT`, else `/usr`).
    pub sysroot: PathBuf,
    /// Its C headers: `<sysroot>/include/wasm32-wasi` (Debian, wasi-sdk) or `<sysroot>/include`.
    pub include: PathBuf,
    /// Its libraries: `<sysroot>/lib/wasm32-wasi` or `<sysroot>/lib` (`libc.a`, `crt1-reactor.o`).
    pub lib: PathBuf,
    /// clang's runtime builtins for wasm32 (`libclang_rt.builtins-wasm32.a`: 64-bit division, ...).
    pub builtins: PathBuf,
}

impl WasiLibc {
    /// Finds the sysroot's headers and libraries, and clang's builtins; one error per missing
    /// piece naming the Debian package that provides it.
    pub fn find(clang: &Path, given: Option<&Path>) -> Result<WasiLibc, Diagnostics> {
        let sysroot = given
            .map(Path::to_path_buf)
            .or_else(|| std::env::var_os("WB_WASI_SYSROOT").map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from(DEFAULT_SYSROOT));
        let multiarch = |dir: &str| {
            let m = sysroot.join(dir).join("wasm32-wasi");
            if m.is_dir() {
                m
            } else {
                sysroot.join(dir)
            }
        };
        let (include, lib) = (multiarch("include"), multiarch("lib"));
        let mut diags = Diagnostics::default();
        for (file, what) in [
            (include.join("wasi/api.h"), "headers"),
            (lib.join("libc.a"), "C library"),
            (lib.join("crt1-reactor.o"), "reactor start file"),
        ] {
            if !file.is_file() {
                diags.push(Diagnostic::global(format!(
                    "no wasi-libc {what} in sysroot `{}`: `{}` not found", sysroot.display(), file.display()
                )).help("install Debian's `wasi-libc` (`apt-get install wasi-libc`, or run scripts/setup.sh), or pass --wasi-sysroot DIR (a wasi-sdk `share/wasi-sysroot`)"));
            }
        }
        let builtins = builtins_of(clang);
        if !builtins.is_file() {
            diags.push(Diagnostic::global(format!(
                "clang's wasm32 builtins `{}` not found", builtins.display()
            )).help("install Debian's `libclang-rt-19-dev-wasm32` (`apt-get install libclang-rt-19-dev-wasm32`, or run scripts/setup.sh)"));
        }
        diags.finish(WasiLibc {
            sysroot,
            include,
            lib,
            builtins,
        })
    }

    /// clang flags for every source: the wasi target, the sysroot, and its headers as the ONLY
    /// system headers (`-nostdlibinc`: Debian's layout would otherwise put the host's
    /// `/usr/include` and `/usr/local/include` on the path); clang's own headers stay.
    pub fn clang_args(&self) -> Vec<std::ffi::OsString> {
        let mut args: Vec<std::ffi::OsString> = vec![
            "--target=wasm32-wasi".into(),
            "--sysroot".into(),
            self.sysroot.clone().into(),
            "-nostdlibinc".into(),
            "-isystem".into(),
        ];
        args.push(self.include.clone().into());
        args
    }

    /// The clang arguments a libc guest's header is parsed with by the generator's front end:
    /// wasi-libc's target and headers (`-isystem`: after the front end's own defaults).
    pub fn parse_args(&self) -> Vec<String> {
        vec![
            "--target=wasm32-wasi".into(),
            "-isystem".into(),
            self.include.to_string_lossy().into_owned(),
        ]
    }

    /// wasm-ld arguments around the objects (what `clang -mexec-model=reactor` links): the
    /// reactor start file first (it defines
    /// `_initialize`, which runs the C constructors and which the runtimes call once after
    /// instantiating), then libc and the builtins after them.
    pub fn link_args(&self) -> (Vec<PathBuf>, Vec<std::ffi::OsString>) {
        let before = vec![self.lib.join("crt1-reactor.o")];
        let after = vec![
            "-L".into(),
            self.lib.clone().into(),
            "-lc".into(),
            self.builtins.clone().into(),
            "--export=_initialize".into(),
        ];
        (before, after)
    }
}

/// The builtins archive clang would link for wasm32-wasi (`-print-libgcc-file-name` with
/// compiler-rt), or a path that does not exist when clang cannot say.
fn builtins_of(clang: &Path) -> PathBuf {
    let out = Command::new(clang)
        .args([
            "--target=wasm32-wasi",
            "-rtlib=compiler-rt",
            "-print-libgcc-file-name",
        ])
        .output();
    match out {
        Ok(o) if o.status.success() => {
            PathBuf::from(String::from_utf8_lossy(&o.stdout).trim().to_string())
        }
        _ => PathBuf::from("<clang -print-libgcc-file-name failed>"),
    }
}
