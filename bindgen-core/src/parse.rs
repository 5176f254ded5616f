//! parse: libclang reads a guest header (wasm32, freestanding) into the `ir`. Used by `load`.

use std::path::Path;

use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics};
use crate::ir::Header;

/// Parses `header` (plus the config's `extra_headers`) for `--target=wasm32 -ffreestanding`.
pub fn parse(header: &Path, config: &Config, clang_args: &[String]) -> Result<Header, Diagnostics> {
    let _ = (config, clang_args);
    Err(Diagnostic::global(format!("parse of {} not implemented yet", header.display())).into())
}
