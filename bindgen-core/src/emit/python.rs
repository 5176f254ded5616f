//! Python back end: lowers the model to a per-language view and renders `templates/python`.

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Model;

/// The generated Python files for one guest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PythonOutput {
    /// `<stem>.py`.
    pub module: String,
    /// `<stem>.pyi`.
    pub stub: String,
}

/// Renders the module and its stub.
pub fn render(model: &Model) -> Result<PythonOutput, Diagnostics> {
    let _ = model;
    Err(Diagnostic::global("python emitter not implemented yet").into())
}
