//! roles: inference rules plus annotations and config turn the `ir` into the binding `model`.

use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics};
use crate::ir::Header;
use crate::model::Model;

/// Decides the role of every parameter of every function in `header`.
pub fn bind(header: &Header, config: &Config) -> Result<Model, Diagnostics> {
    let _ = config;
    Err(Diagnostic::global(format!("roles for {} not implemented yet", header.path.display())).into())
}
