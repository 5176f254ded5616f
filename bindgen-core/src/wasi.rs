//! The imports a wasm-bind guest may have: none for a freestanding guest, and for a libc guest
//! (`wasm-bind guest --wasi`) only WASI preview 1 functions, which both runtimes provide deny by
//! default. Shared by `--wasm` validation and `wasm-bind guest`; also which C library headers a
//! freestanding parse or build lacks (their errors point to `--wasi`).

/// The module name of WASI preview 1 imports.
pub const MODULE: &str = "wasi_snapshot_preview1";

/// Every function of WASI preview 1 (`wasi_snapshot_preview1`), the set the runtimes link (each
/// runtime keeps a copy; a unit test checks the three agree).
pub const FUNCTIONS: &[&str] = &[
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

/// An import of a guest, as `module.name`, and whether it is a function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    /// The import's module (`wasi_snapshot_preview1`, `env`, ...).
    pub module: String,
    /// The imported item's name.
    pub name: String,
    /// True when a function is imported (a memory, table or global import is never allowed).
    pub func: bool,
}

impl std::fmt::Display for Import {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.module, self.name)
    }
}

/// True when the runtimes provide `import`: a WASI preview 1 function.
pub fn is_allowed(import: &Import) -> bool {
    import.func && import.module == MODULE && FUNCTIONS.contains(&import.name.as_str())
}

/// The imports of `imports` no runtime provides, in order.
pub fn refused(imports: &[Import]) -> Vec<&Import> {
    imports.iter().filter(|i| !is_allowed(i)).collect()
}

/// The C library headers a freestanding wasm32 parse or build lacks (clang's own headers, and the
/// guest kit's in a build, are found).
const LIBC_HEADERS: &[&str] = &[
    "stdio.h",
    "stdlib.h",
    "string.h",
    "time.h",
    "errno.h",
    "math.h",
    "signal.h",
    "locale.h",
    "setjmp.h",
    "wchar.h",
    "fcntl.h",
    "unistd.h",
    "sys/types.h",
    "sys/stat.h",
    "sys/time.h",
    "pthread.h",
    "inttypes.h",
    "strings.h",
    "malloc.h",
    "ctype.h",
    "assert.h",
];

/// The C library header of the first clang "'stdio.h' file not found" in `text` (a diagnostic's
/// message, or clang's whole stderr), when it is one a libc guest's headers provide.
pub fn missing_libc_header(text: &str) -> Option<&str> {
    let end = text.find("' file not found")?;
    let start = text[..end].rfind('\'')? + 1;
    let name = &text[start..end];
    LIBC_HEADERS.contains(&name).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn imp(module: &str, name: &str, func: bool) -> Import {
        Import {
            module: module.into(),
            name: name.into(),
            func,
        }
    }

    #[test]
    fn only_wasi_preview1_functions_are_allowed() {
        let all = [
            imp(MODULE, "fd_write", true),
            imp(MODULE, "random_get", true),
            imp(MODULE, "no_such_call", true),
            imp("env", "malloc", true),
            imp(MODULE, "memory", false),
        ];
        let bad: Vec<String> = refused(&all).iter().map(|i| i.to_string()).collect();
        assert_eq!(
            bad,
            [
                "wasi_snapshot_preview1.no_such_call",
                "env.malloc",
                "wasi_snapshot_preview1.memory"
            ]
        );
        assert_eq!(FUNCTIONS.len(), 46);
        let mut sorted = FUNCTIONS.to_vec();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), FUNCTIONS.len());
    }

    /// The quoted names between `start` and the next `end` in `text`: how the two runtimes spell
    /// their copies of the list.
    fn quoted_names(text: &str, start: &str, end: &str) -> Vec<String> {
        let from = text.find(start).expect("list start") + start.len();
        let body = &text[from..];
        let body = &body[..body.find(end).expect("list end")];
        let mut names: Vec<String> = body
            .split('"')
            .skip(1)
            .step_by(2)
            .map(str::to_owned)
            .collect();
        names.sort();
        names
    }

    /// The generator validates guests against the list that the Rust runtime (`runtime/src/wasi.rs`)
    /// and the Python runtime (`_runtime.py`) link: a function added to one copy only would make
    /// `--wasm` accept a guest a runtime then refuses (or the reverse).
    #[test]
    fn the_runtimes_allow_the_same_wasi_functions() {
        let mut ours: Vec<String> = FUNCTIONS.iter().map(|s| s.to_string()).collect();
        ours.sort();
        let rust = include_str!("../../runtime/src/wasi.rs");
        let python = include_str!("../../python/wasm_bind_runtime/_runtime.py");
        assert_eq!(
            quoted_names(rust, "pub const WASI_FUNCTIONS: &[&str] = &[", "];"),
            ours
        );
        assert_eq!(
            quoted_names(python, "_WB_WASI_FUNCTIONS = frozenset((", "))"),
            ours
        );
    }
}
