//! The sidecar TOML config: annotations for headers the user cannot edit, plus module options.
//!
//! Read by `roles` (per-function and per-parameter entries) and by the pipeline (module options).
//! The vocabulary of parameter entries is the same as the `wb:` annotations of `wasm_bind.h`.
//!
//! ```toml
//! [module]
//! class_name = "Monocypher"          # default: CamelCase of the header stem
//! strip_prefix = ""                  # removed from method names
//! extra_headers = ["monocypher-ed25519.h"]  # bound too; relative to the main header's folder
//! alloc = "bump_alloc"               # arena ABI exports
//! reset = "bump_reset"
//! int_returns = "status"             # how `int` returns read unless overridden: "status" | "value"
//! status = { ok = ["SQLITE_OK", "SQLITE_ROW"], message = "sqlite3_errmsg", via = ["sqlite3_db_handle"] }
//!                                    # what a status means: the success codes (several: the code
//!                                    # is returned), the function giving a failed call's message
//! clang_args = ["-DLZ4_FREESTANDING=1"]  # parsed with the header (the guest's build defines);
//!                                    # a relative -I<dir> is relative to this file's folder;
//!                                    # only the forms of CONFIG_CLANG_ARG_FORMS are accepted
//!
//! [functions.crypto_eddsa_key_pair.params]
//! seed = "inout"                     # see the parameter vocabulary below
//!
//! [functions.crypto_verify16]
//! return = "status"                  # see the return vocabulary below
//! # skip = "why it is not bound"
//!
//! [types.sqlite3]                   # a library-owned type (roles::owned): opaque structs are
//! destructor = "sqlite3_close_v2"    # without an entry; the function that frees one
//!
//! [functions.sqlite3_prepare_v2]
//! parent = "db"                      # the handle parameter whose handle owns what it hands out
//!
//! [functions.crypto_blake2b_keyed.max]
//! key_size = 64                      # the most an integer parameter may be (the C contract);
//!                                    # larger, passed or derived from a length: an argument error
//! ```
//!
//! Parameter values (`[functions.F.params] NAME = "..."`, same as `wasm_bind.h`):
//!
//! | value | on | meaning (model role) |
//! |---|---|---|
//! | `in` / `out` / `inout` | pointer, array | buffer direction (`InSlice`, `OutBuf`, `InOutBuf`, arrays); `inout` on an unsized `T *` to an integer: `InOutScalar` the caller initialises |
//! | `out` | `T *` to an integer wider than a byte | a single out-value (`OutScalar`), also inferred |
//! | `len_of(p, q)` | integer | element count of buffers p, q (`Len`) |
//! | `len_of(p) = EXPR` | integer | the count is computed, not passed (`LenSource::Expr`), e.g. `dstCapacity = "len_of(dst) = LZ4_compressBound(srcSize)"` |
//! | `inout, len_of(p)` | `T *` to an integer | in/out scalar initialised with p's count, returned after (`InOutScalar` + `ScalarInit::LenOf`) |
//! | `out(EXPR)` / `out(EXPR, max = N)` | pointer | output of EXPR elements (`OutExpr`), e.g. `hash = "out(ctx.hash_size, max = 64)"` |
//! | `out_str(EXPR)` | non-const `char *` | NUL-terminated string output of EXPR bytes, returned as text (`OutExpr` with `text`), e.g. `out = "out_str(2 * n + 1)"` |
//! | `scratch(EXPR)` | pointer | EXPR bytes of working memory the caller never sees (`Scratch`), e.g. `work_area = "scratch(config.nb_blocks * 1024)"` |
//! | `filled(out)` | `T *` to an integer | the count of elements the function wrote into output `out`, which is returned truncated to it (`FilledBy`); never inferred, e.g. `out_len = "filled(out)"` |
//! | `str` | `const char *` | NUL-terminated input text (`InStr`), also inferred when no size follows |
//! | `value(V)` | integer, pointer, function pointer | a fixed argument the wrapper always passes (`Fixed`), e.g. `xDel = "value(-1)"`, `pzTail = "value(NULL)"` |
//! | `capacity(p)` / `capacity(p) = EXPR` | `T *` to an integer | `p`'s capacity before the call (caller-given or computed), the count written after (`Capacity`), e.g. `destLen = "capacity(dest) = compressBound(sourceLen)"` |
//! | `scalar` | integer | a plain argument (`Scalar`) |
//! | `handle` | struct pointer | a caller-owned context (`Handle`); on a library-owned `T *`: required (`Owned`) |
//! | `nullable` | library-owned `T *` | the handle or NULL (`Owned`) |
//! | `owned` / `borrowed` | library-owned `T **` | freed by the host or kept by the library (`OwnedOut`) |
//! | `struct` | struct by value | a host value of the generated struct type (`StructIn`), also inferred |
//!
//! `EXPR`: integers, parameter names, `param.field` (a field of a handle, read from guest memory,
//! or of a struct-by-value argument), `+ - * /`, parentheses, and calls to integer functions of the
//! bound headers (`LZ4_compressBound(srcSize)`, `LZ4_sizeofState()`).
//!
//! Return values (`[functions.F] return = "..."`, or `WB_RETURN("...")`): `status` (0 is success),
//! `value`, `nonneg` (negative is an error), `positive` (0 or negative is an error),
//! `filled(dst)` / `filled(dst), positive` (the count of elements written into output `dst`,
//! which is returned truncated to it; default error rule `nonneg`), `str` / `str(N)` (a returned
//! NUL-terminated `const char *`, read up to N bytes, default 4096), `str, nullable` (NULL is
//! None), `bytes(CALL)` / `text(CALL)` (optionally `, nullable`: a returned pointer to data whose
//! length the call reports, e.g. `bytes(sqlite3_column_bytes(pStmt, iCol))`); on a function
//! returning a library-owned `T *`: `owned` or `borrowed`.
//!
//! Struct fields (`[structs.S.fields] NAME = "len_of(p)"` or `"scalar"`): pointer + size pairs
//! inside a struct passed by value, when the names do not say it (`x` and `x_size`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diag::Diagnostic;

/// A parsed config file. Every field is optional; `Config::default()` is "no config".
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Where it was read from (set by [`Config::load`]); keys in messages are relative to it.
    #[serde(skip)]
    pub path: Option<PathBuf>,
    /// Module-wide options.
    #[serde(default)]
    pub module: ModuleConfig,
    /// Per-function entries, keyed by the C function name.
    #[serde(default)]
    pub functions: BTreeMap<String, FunctionConfig>,
    /// Per-struct entries, keyed by the C struct name (typedef, else tag).
    #[serde(default)]
    pub structs: BTreeMap<String, StructConfig>,
    /// The Python module / package names (`gen --py`, `--package`).
    #[serde(default)]
    pub package: PackageConfig,
    /// Library-owned types, keyed by the C struct name (typedef, else tag): `[types.sqlite3]`.
    #[serde(default)]
    pub types: BTreeMap<String, TypeConfig>,
}

/// `[types.NAME]`: a struct the library allocates and frees itself (see `roles::owned`). The
/// entry (even empty) makes `NAME` library-owned although its layout is declared (zlib's
/// `gzFile_s`); opaque structs are library-owned without one.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct TypeConfig {
    /// The function that frees one (`sqlite3_close_v2`, `LZ4_freeStream`, `gzclose`): its only
    /// parameter is the pointer. Handles call it once, on close / garbage collection / drop.
    pub destructor: Option<String>,
}

/// `[package]`: names and version of the generated Python module and package (read by `gen --py`).
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PackageConfig {
    /// The distribution name `gen --py --package` writes into `pyproject.toml`; default the header stem.
    pub name: Option<String>,
    /// Its version; default `0.1.0`.
    pub version: Option<String>,
    /// The Python module / import package name; default `name` with `-` and `.` as `_`, else the header stem.
    pub module: Option<String>,
}

/// `[structs.NAME]`: entries for one struct passed by value.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct StructConfig {
    /// Field roles, keyed by field name: `len_of(<field>, ...)` or `scalar`.
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
}

/// `[module]`: options for the whole generated module.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ModuleConfig {
    /// The generated class / struct name; default CamelCase of the header stem.
    pub class_name: Option<String>,
    /// A prefix removed from method names (`crypto_` would make `crypto_blake2b` `blake2b`).
    pub strip_prefix: Option<String>,
    /// More headers bound with the main one, relative to the main header's folder.
    #[serde(default)]
    pub extra_headers: Vec<PathBuf>,
    /// The arena allocation export; default `bump_alloc`.
    pub alloc: Option<String>,
    /// The arena reset export; default `bump_reset`.
    pub reset: Option<String>,
    /// How an `int` return is read when nothing else says: `status` or `value` (default).
    pub int_returns: Option<String>,
    /// Extra clang arguments (`-D`, `-I`) the header is parsed with, after the wasm32 defaults
    /// and before the caller's: the defines the guest was built with (`-DLZ4_FREESTANDING=1`).
    /// A relative `-I<dir>` is relative to the config file's folder. A config travels with a guest
    /// package, so only what a header needs is accepted ([`CONFIG_CLANG_ARG_FORMS`]): no flag that
    /// writes a file (`-MF`) or reads one into the parse (`-include`, `@file`).
    #[serde(default)]
    pub clang_args: Vec<String>,
    /// What a status return means module-wide (`roles::status`): success codes and the message
    /// function, e.g. `status = { ok = ["SQLITE_OK", "SQLITE_ROW", "SQLITE_DONE"], message =
    /// "sqlite3_errmsg" }`. Absent: 0 is success, no message.
    pub status: Option<StatusConfig>,
}

/// `[module] status = { ok = [...], message = "..." }`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct StatusConfig {
    /// The success codes: integers or names of integer constants / enum values of the headers
    /// (default `[0]`). With several, the code is returned to the caller.
    #[serde(default)]
    pub ok: Vec<StatusCode>,
    /// A function of the headers taking one parameter and returning a `const char *` message for
    /// a failed call (`sqlite3_errmsg`): called with the failed call's parameter of that type,
    /// when it has one.
    pub message: Option<String>,
    /// Functions taking one pointer and returning the pointer `message` takes (SQLite's
    /// `sqlite3_db_handle`): a status function with no parameter of `message`'s type but one of
    /// such a function's type gets its message through it.
    #[serde(default)]
    pub via: Vec<String>,
}

/// One success code: a number or a constant's name.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum StatusCode {
    /// `0`.
    Int(i64),
    /// `"SQLITE_OK"`.
    Name(String),
}

/// `[functions.NAME]`: entries for one C function.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct FunctionConfig {
    /// What the return value means: `status`, `value`, `nonneg`, `positive`, `filled(<param>)`
    /// (optionally `, nonneg` / `, positive`), `str` or `str(<max_len>)`.
    #[serde(rename = "return")]
    pub ret: Option<String>,
    /// Do not bind this function; the text is the reason `--explain` shows.
    pub skip: Option<String>,
    /// Parameter roles, keyed by C parameter name, in the annotation vocabulary.
    #[serde(default)]
    pub params: BTreeMap<String, String>,
    /// Upper bounds of integer parameters, keyed by C parameter name: the largest value the C
    /// function accepts (its documented contract, e.g. `key_size = 64` for BLAKE2b). A larger value,
    /// passed or derived from an input's length, is an argument error before any guest call.
    #[serde(default)]
    pub max: BTreeMap<String, u64>,
    /// The method name on the handle class when the first parameter is a handle, instead of the
    /// derived one (`plan::names::handle_methods`): resolves a collision, or names it better.
    pub handle_method: Option<String>,
    /// The parameter (a library-owned handle) whose handle becomes the parent of the handles
    /// this function hands out (`[functions.sqlite3_prepare_v2] parent = "db"`).
    pub parent: Option<String>,
}

impl Config {
    /// Reads and parses a config file; a syntax error names the file, line and column.
    pub fn load(path: &Path) -> Result<Config, Diagnostic> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Diagnostic::global(format!("cannot read config `{}`: {e}", path.display()))
                .help("pass an existing TOML file with --config, or leave it out")
        })?;
        Self::parse(&text, path)
    }

    /// Parses config text read from `path` (used in messages).
    pub fn parse(text: &str, path: &Path) -> Result<Config, Diagnostic> {
        let mut cfg: Config = toml::from_str(text).map_err(|e| {
            let (line, col) = e
                .span()
                .map(|span| {
                    let before = &text[..span.start.min(text.len())];
                    let line = before.matches('\n').count() as u32 + 1;
                    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
                    (line, col)
                })
                .unwrap_or((1, 1));
            Diagnostic::at(
                &crate::ir::Loc { file: path.to_path_buf(), line, col },
                format!("invalid config: {}", e.message()),
            )
            .help("see the config reference in README.md (keys: [module], [package], [functions.NAME], [functions.NAME.params], [functions.NAME.max], [structs.NAME.fields], [types.NAME])")
        })?;
        cfg.path = Some(path.to_path_buf());
        Ok(cfg)
    }

    /// The values of `[module]` keys that the TOML types alone do not rule out: `class_name`
    /// must be an identifier in Rust and Python, `alloc`/`reset` C identifiers (the guest's
    /// exports), `clang_args` only the forms a header needs. One diagnostic per bad key. Run by
    /// `parse` before clang sees any argument, and by `roles::bind`.
    pub fn check(&self) -> Vec<Diagnostic> {
        let m = &self.module;
        let mut out = Vec::new();
        let at = |key: &str| crate::roles::config_loc(self, "module", Some(key));
        if let Some(name) = &m.class_name {
            if let Err(why) = check_class_name(name) {
                out.push(
                    Diagnostic::at(&at("class_name"), format!("config `module.class_name`: `{}` {why}", name.escape_debug()))
                        .help("class_name is an ASCII letter or `_` followed by letters, digits or `_`, and not a keyword of Rust or Python, e.g. class_name = \"Vault\""),
                );
            }
        }
        for (key, value) in [("alloc", &m.alloc), ("reset", &m.reset)] {
            let Some(v) = value else { continue };
            if !is_c_ident(v) {
                out.push(
                    Diagnostic::at(&at(key), format!("config `module.{key}`: `{}` is not the name of a C function the guest exports", v.escape_debug()))
                        .help(format!("{key} is a C identifier (an ASCII letter or `_`, then letters, digits or `_`), e.g. {key} = \"bump_{key}\"")),
                );
            }
        }
        if let (Some(a), Some(r)) = (&m.alloc, &m.reset) {
            if a == r && is_c_ident(a) {
                out.push(
                    Diagnostic::at(&at("reset"), format!("config `module.reset`: `{r}` is also `module.alloc`; the arena needs two exports"))
                        .help("name the allocation and the reset exports differently"),
                );
            }
        }
        let mut args = m.clang_args.iter().map(String::as_str);
        while let Some(arg) = args.next() {
            if let Err(why) = check_clang_arg(arg, &mut args) {
                out.push(
                    Diagnostic::at(&at("clang_args"), format!("config `module.clang_args`: {why}"))
                        .help(format!("a config's clang_args accept only {CONFIG_CLANG_ARG_FORMS}; anything else goes on your own command line (`gen --clang-arg`, `Builder::clang_arg`)")),
                );
            }
        }
        out
    }

    /// The entry for one function, if any.
    pub fn function(&self, name: &str) -> Option<&FunctionConfig> {
        self.functions.get(name)
    }
}

/// The clang arguments a config may carry, for messages and the README.
pub const CONFIG_CLANG_ARG_FORMS: &str = "`-I<dir>` / `-I <dir>`, `-isystem <dir>` / `-isystem<dir>`, `-D<name>[=<value>]` / `-D <name>[=<value>]` (also `-D<name>(<params>)=<body>`), \
`-U<name>` / `-U <name>`, `-std=<standard>`, `--target=wasm32[-<os>]`, `--sysroot=<dir>`";

/// Rust's strict and reserved keywords (2021 and 2024 editions), which no struct may be named.
const RUST_KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "gen", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield", "_",
];

/// Python's keywords (`keyword.kwlist`), which no class may be named.
const PYTHON_KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

/// An ASCII C identifier.
pub(crate) fn is_c_ident(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Why `name` cannot name the generated Rust struct and Python class, if it cannot.
pub(crate) fn check_class_name(name: &str) -> Result<(), String> {
    if !is_c_ident(name) {
        return Err(
            "is not an identifier (an ASCII letter or `_`, then letters, digits or `_`; no spaces)"
                .into(),
        );
    }
    if RUST_KEYWORDS.contains(&name) {
        return Err("is a Rust keyword".into());
    }
    if PYTHON_KEYWORDS.contains(&name) {
        return Err("is a Python keyword".into());
    }
    Ok(())
}

/// Checks one config clang argument, taking the value of a two-part form (`-I <dir>`) from `rest`.
fn check_clang_arg<'a>(
    arg: &'a str,
    rest: &mut impl Iterator<Item = &'a str>,
) -> Result<(), String> {
    let shown = arg.escape_debug();
    if arg.chars().any(char::is_control) {
        return Err(format!("`{shown}` contains a control character"));
    }
    if arg.starts_with("-isystem") {
        flag_value(arg, "-isystem", rest).map(drop)
    } else if arg.starts_with("-I") {
        flag_value(arg, "-I", rest).map(drop)
    } else if arg.starts_with("-D") {
        flag_value(arg, "-D", rest).and_then(|v| check_macro_name(v, "-D"))
    } else if arg.starts_with("-U") {
        flag_value(arg, "-U", rest).and_then(|v| {
            if v.contains('=') {
                Err(format!("`-U{v}`: -U takes a macro name only"))
            } else {
                check_macro_name(v, "-U")
            }
        })
    } else if let Some(std) = arg.strip_prefix("-std=") {
        check_std(std, arg)
    } else if let Some(target) = arg.strip_prefix("--target=") {
        check_target(target, arg)
    } else if let Some(root) = arg.strip_prefix("--sysroot=") {
        match root.is_empty() {
            true => Err("`--sysroot=` needs a directory".into()),
            false => Ok(()),
        }
    } else {
        Err(format!("`{shown}` is not accepted in a config"))
    }
}

/// The value of `flag` in `arg` (`-Idir`), or the next argument when `arg` is the flag alone
/// (`-I dir`); it must be non-empty, not start with `-` and hold no control character.
fn flag_value<'a>(
    arg: &'a str,
    flag: &str,
    rest: &mut dyn Iterator<Item = &'a str>,
) -> Result<&'a str, String> {
    let v = if arg == flag {
        rest.next()
            .ok_or_else(|| format!("`{flag}` needs a value after it"))?
    } else {
        &arg[flag.len()..]
    };
    if v.is_empty() || v.starts_with('-') || v.chars().any(char::is_control) {
        return Err(format!(
            "`{flag}` is followed by `{}`, not a value",
            v.escape_debug()
        ));
    }
    Ok(v)
}

/// Whether the `-D`/`-U` value `v` (before any `=`) names an object-like `NAME` or a
/// function-like `NAME(a,b)` / `NAME(...)` macro.
fn check_macro_name(v: &str, flag: &str) -> Result<(), String> {
    let name = v.split_once('=').map_or(v, |(n, _)| n);
    let ok = match name.split_once('(') {
        None => is_c_ident(name),
        Some((n, params)) => {
            is_c_ident(n)
                && params.strip_suffix(')').is_some_and(|ps| {
                    ps.trim().is_empty()
                        || ps
                            .split(',')
                            .map(str::trim)
                            .all(|p| is_c_ident(p) || p == "...")
                })
        }
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{flag}{}`: `{}` is not a macro name",
            v.escape_debug(),
            name.escape_debug()
        ))
    }
}

/// Whether `std` (from `arg` = `-std=<std>`) reads as a C standard name.
fn check_std(std: &str, arg: &str) -> Result<(), String> {
    match !std.is_empty() && std.chars().all(|c| c.is_ascii_alphanumeric() || c == '+') {
        true => Ok(()),
        false => Err(format!(
            "`{}` is not a C standard (`-std=c11`, `-std=gnu17`)",
            arg.escape_debug()
        )),
    }
}

/// Whether `target` (from `arg` = `--target=<target>`) is wasm32 or a wasm32 triple.
fn check_target(target: &str, arg: &str) -> Result<(), String> {
    match target == "wasm32"
        || target.strip_prefix("wasm32-").is_some_and(|t| {
            !t.is_empty()
                && t.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '_')
        }) {
        true => Ok(()),
        false => Err(format!(
            "`{}`: the guest is wasm32 (`--target=wasm32`, `--target=wasm32-wasi`)",
            arg.escape_debug()
        )),
    }
}
