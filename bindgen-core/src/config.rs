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
//!
//! [functions.crypto_eddsa_key_pair.params]
//! seed = "inout"                     # in | out | inout | len_of(<param>) | scalar | handle
//!
//! [functions.crypto_verify16]
//! return = "status"                  # status | value
//! # skip = "why it is not bound"
//! ```

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
}

/// `[functions.NAME]`: entries for one C function.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct FunctionConfig {
    /// `status` or `value`: what the return value means.
    #[serde(rename = "return")]
    pub ret: Option<String>,
    /// Do not bind this function; the text is the reason `--explain` shows.
    pub skip: Option<String>,
    /// Parameter roles, keyed by C parameter name, in the annotation vocabulary.
    #[serde(default)]
    pub params: BTreeMap<String, String>,
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
            .help("see the config reference in README.md (keys: [module], [functions.NAME], [functions.NAME.params])")
        })?;
        cfg.path = Some(path.to_path_buf());
        Ok(cfg)
    }

    /// The entry for one function, if any.
    pub fn function(&self, name: &str) -> Option<&FunctionConfig> {
        self.functions.get(name)
    }
}
