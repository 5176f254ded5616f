//! WASI for libc guests (`wasm-bind guest --wasi`), deny by default: what a guest may reach
//! ([`Wasi`], part of [`crate::Options`]), which imports load at all, and (with the crate feature
//! `wasi`) the real `wasmtime-wasi` preview 1 context built from it for every instance.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use wasmtime::StoreLimits;

use crate::Error;

/// The module name of WASI preview 1 imports.
pub const WASI_MODULE: &str = "wasi_snapshot_preview1";

/// Every function of WASI preview 1: the only imports a guest may have (the generator's
/// `bindgen_core::wasi` and the Python runtime have the same list).
pub const WASI_FUNCTIONS: &[&str] = &[
    "args_get",
    "args_sizes_get",
    "clock_res_get",
    "clock_time_get",
    "environ_get",
    "environ_sizes_get",
    "fd_advise",
    "fd_allocate",
    "fd_close",
    "fd_datasync",
    "fd_fdstat_get",
    "fd_fdstat_set_flags",
    "fd_fdstat_set_rights",
    "fd_filestat_get",
    "fd_filestat_set_size",
    "fd_filestat_set_times",
    "fd_pread",
    "fd_prestat_dir_name",
    "fd_prestat_get",
    "fd_pwrite",
    "fd_read",
    "fd_readdir",
    "fd_renumber",
    "fd_seek",
    "fd_sync",
    "fd_tell",
    "fd_write",
    "path_create_directory",
    "path_filestat_get",
    "path_filestat_set_times",
    "path_link",
    "path_open",
    "path_readlink",
    "path_remove_directory",
    "path_rename",
    "path_symlink",
    "path_unlink_file",
    "poll_oneoff",
    "proc_exit",
    "proc_raise",
    "random_get",
    "sched_yield",
    "sock_accept",
    "sock_recv",
    "sock_send",
    "sock_shutdown",
];

/// `Ok` when a guest may import `module::name` (a WASI preview 1 function, and this crate was
/// built with the `wasi` feature); else the [`Error::Load`] naming the import.
pub(crate) fn check_import(module: &str, name: &str, func: bool) -> Result<(), Error> {
    if !(func && module == WASI_MODULE && WASI_FUNCTIONS.contains(&name)) {
        return Err(Error::Load(format!(
            "the guest imports `{module}::{name}`, which no wasm-bind runtime provides: a guest imports \
             nothing (freestanding) or only WASI preview 1 functions (a libc guest, `wasm-bind guest --wasi`); \
             define what it calls in the guest's sources"
        )));
    }
    if cfg!(feature = "wasi") {
        Ok(())
    } else {
        Err(Error::Load(format!(
            "the guest imports `{module}::{name}`: it is a libc guest (WASI), and wasm-bind-rt was built \
             without its `wasi` feature; enable it: wasm-bind-rt = {{ ..., features = [\"wasi\"] }}"
        )))
    }
}

/// What a libc guest may reach through WASI preview 1; deny by default.
///
/// `Wasi::default()` grants nothing: no files (no directory is preopened), no environment
/// variables, no arguments, an empty stdin; stdout and stderr are discarded. Clocks and
/// `random_get` (the host's CSPRNG, seeded per instance) are always available. Grants are
/// replayed whenever the instance is re-created after a trap. A guest that imports nothing
/// ignores them.
///
/// ```
/// use wasm_bind_rt::{Captured, Options, Output, Wasi};
/// let out = Captured::new();
/// let wasi = Wasi::default()
///     .dir_rw("/tmp", "/data")
///     .stdout(Output::Capture(out.clone()));
/// let opts = Options::default().wasi(wasi);
/// assert_eq!(opts.wasi.dirs()[0].guest, "/data");
/// ```
///
/// Paths outside a granted directory (absolute paths elsewhere, `..`, symlinks leading out) are
/// refused by `wasmtime-wasi` (the guest sees an error such as `ENOENT` or `EPERM`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Wasi {
    dirs: Vec<WasiDir>,
    stdout: Output,
    stderr: Output,
}

/// A host directory granted to the guest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WasiDir {
    /// The directory on the host.
    pub host: PathBuf,
    /// Where the guest sees it (`/data`).
    pub guest: String,
    /// Read-write (files may be created, written, renamed and removed) or read-only.
    pub writable: bool,
}

/// Where a guest's stdout or stderr goes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Output {
    /// Dropped (the default).
    #[default]
    Discard,
    /// Written to the host process's own stream.
    Inherit,
    /// Kept in memory: read it with [`Captured::take`].
    Capture(Captured),
}

/// What a libc guest wrote to stdout or stderr, kept in memory ([`Output::Capture`]). Clones
/// share the buffer; [`Captured::take`] returns what was written since the last take.
#[derive(Debug, Clone, Default)]
pub struct Captured {
    inner: Arc<Mutex<CapturedInner>>,
}

#[derive(Debug, Default)]
struct CapturedInner {
    /// The guest's stream (with the feature): everything ever written.
    #[cfg(feature = "wasi")]
    pipe: Option<wasmtime_wasi::p2::pipe::MemoryOutputPipe>,
    /// How much of it `take` returned already.
    #[cfg(feature = "wasi")]
    taken: usize,
}

impl PartialEq for Captured {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }
}

impl Eq for Captured {}

impl Captured {
    /// An empty buffer.
    pub fn new() -> Self {
        Self::default()
    }

    /// The bytes written since the last `take`, in order (empty when none).
    pub fn take(&self) -> Vec<u8> {
        #[cfg(feature = "wasi")]
        {
            let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(all) = inner.pipe.as_ref().map(|p| p.contents()) {
                let out = all.get(inner.taken..).unwrap_or_default().to_vec();
                inner.taken = all.len();
                return out;
            }
        }
        Vec::new()
    }

    /// The stream the guest writes into (created on first use, shared by every instance).
    #[cfg(feature = "wasi")]
    fn pipe(&self) -> wasmtime_wasi::p2::pipe::MemoryOutputPipe {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        inner
            .pipe
            .get_or_insert_with(|| wasmtime_wasi::p2::pipe::MemoryOutputPipe::new(usize::MAX >> 1))
            .clone()
    }
}

impl Wasi {
    /// Grants the host directory `host` read-only at guest path `guest` (e.g. `/data`).
    #[must_use]
    pub fn dir(self, host: impl AsRef<Path>, guest: impl Into<String>) -> Self {
        self.grant(host.as_ref(), guest.into(), false)
    }

    /// Grants the host directory `host` read-write at guest path `guest`.
    #[must_use]
    pub fn dir_rw(self, host: impl AsRef<Path>, guest: impl Into<String>) -> Self {
        self.grant(host.as_ref(), guest.into(), true)
    }

    fn grant(mut self, host: &Path, guest: String, writable: bool) -> Self {
        self.dirs.push(WasiDir {
            host: host.to_path_buf(),
            guest,
            writable,
        });
        self
    }

    /// Where the guest's stdout goes (default [`Output::Discard`]).
    #[must_use]
    pub fn stdout(mut self, output: Output) -> Self {
        self.stdout = output;
        self
    }

    /// Where the guest's stderr goes (default [`Output::Discard`]).
    #[must_use]
    pub fn stderr(mut self, output: Output) -> Self {
        self.stderr = output;
        self
    }

    /// The granted directories, in order.
    pub fn dirs(&self) -> &[WasiDir] {
        &self.dirs
    }

    /// Each granted directory must exist; an [`Error::Load`] naming it otherwise.
    pub(crate) fn check(&self) -> Result<(), Error> {
        for d in &self.dirs {
            let what = if d.writable { "dir_rw" } else { "dir" };
            if d.guest.is_empty() {
                return Err(Error::Load(format!(
                    "invalid Options: wasi {what}(`{}`, \"\"): the guest path is empty (e.g. \"/data\")",
                    d.host.display()
                )));
            }
            if !d.host.is_dir() {
                return Err(Error::Load(format!(
                    "invalid Options: wasi {what}(`{}`, {:?}): the host path is not a directory",
                    d.host.display(),
                    d.guest
                )));
            }
        }
        Ok(())
    }

    /// A fresh preview 1 context with exactly these grants (a store owns its context).
    #[cfg(feature = "wasi")]
    pub(crate) fn context(&self) -> Result<wasmtime_wasi::p1::WasiP1Ctx, Error> {
        use wasmtime_wasi::{FsPerms, WasiCtxBuilder};
        let mut b = WasiCtxBuilder::new(); // no args, no env, no preopens, stdout/stderr discarded
        b.allow_blocking_current_thread(true);
        for d in &self.dirs {
            let perms = if d.writable {
                FsPerms::ReadWrite
            } else {
                FsPerms::ReadOnly
            };
            b.preopened_dir(&d.host, &d.guest, perms).map_err(|e| {
                Error::Load(format!(
                    "cannot grant `{}` to the guest as {:?}: {e:#}",
                    d.host.display(),
                    d.guest
                ))
            })?;
        }
        match &self.stdout {
            Output::Discard => &mut b,
            Output::Inherit => b.inherit_stdout(),
            Output::Capture(c) => b.stdout(c.pipe()),
        };
        match &self.stderr {
            Output::Discard => &mut b,
            Output::Inherit => b.inherit_stderr(),
            Output::Capture(c) => b.stderr(c.pipe()),
        };
        Ok(b.build_p1())
    }
}

/// The data of every guest's store: its memory limits and, for a libc guest, its WASI context.
pub struct Host {
    /// The memory cap ([`crate::Options::max_memory`]).
    pub(crate) limits: StoreLimits,
    /// The guest's WASI context (a libc guest; `None` for a freestanding one).
    #[cfg(feature = "wasi")]
    pub(crate) wasi: Option<wasmtime_wasi::p1::WasiP1Ctx>,
}

impl Host {
    /// The data of a store for a guest; `wasi` when it imports WASI.
    pub(crate) fn new(limits: StoreLimits, wasi: Option<&Wasi>) -> Result<Host, Error> {
        #[cfg(feature = "wasi")]
        let wasi = wasi.map(Wasi::context).transpose()?;
        #[cfg(not(feature = "wasi"))]
        let _ = wasi;
        Ok(Host {
            limits,
            #[cfg(feature = "wasi")]
            wasi,
        })
    }
}

/// Adds WASI preview 1 to `linker` (with the feature; a guest importing WASI is refused before
/// linking without it).
pub(crate) fn link(linker: &mut wasmtime::Linker<Host>) -> Result<(), Error> {
    #[cfg(feature = "wasi")]
    wasmtime_wasi::p1::add_to_linker_sync(linker, |h: &mut Host| {
        h.wasi
            .get_or_insert_with(|| wasmtime_wasi::WasiCtxBuilder::new().build_p1())
    })
    .map_err(|e| Error::Load(format!("cannot link WASI: {e:#}")))?;
    #[cfg(not(feature = "wasi"))]
    let _ = linker;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_wasi_preview1_functions_may_be_imported() {
        let err = check_import("env", "malloc", true).unwrap_err().to_string();
        assert!(
            err.contains("imports `env::malloc`, which no wasm-bind runtime provides"),
            "{err}"
        );
        let err = check_import(WASI_MODULE, "sock_open", true)
            .unwrap_err()
            .to_string();
        assert!(err.contains("`wasi_snapshot_preview1::sock_open`"), "{err}");
        assert!(check_import(WASI_MODULE, "memory", false).is_err());
        assert_eq!(
            check_import(WASI_MODULE, "fd_write", true).is_ok(),
            cfg!(feature = "wasi")
        );
        assert_eq!(WASI_FUNCTIONS.len(), 46);
    }

    #[test]
    fn grants_are_checked_and_compared() {
        let tmp = std::env::temp_dir();
        assert!(Wasi::default().dir(&tmp, "/t").check().is_ok());
        let err = Wasi::default()
            .dir(tmp.join("wasm-bind-no-such-dir"), "/t")
            .check()
            .unwrap_err();
        assert!(err.to_string().contains("not a directory"), "{err}");
        assert!(Wasi::default().dir_rw(&tmp, "").check().is_err());
        let c = Captured::new();
        assert_eq!(
            Wasi::default().stdout(Output::Capture(c.clone())),
            Wasi::default().stdout(Output::Capture(c))
        );
        assert_ne!(
            Wasi::default().stdout(Output::Capture(Captured::new())),
            Wasi::default().stdout(Output::Capture(Captured::new()))
        );
        assert!(Captured::new().take().is_empty());
    }
}
