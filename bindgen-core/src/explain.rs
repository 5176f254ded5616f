//! explain: the deterministic, diffable report `gen --explain` prints: each parameter's role and
//! the rule, annotation or config entry that decided it.

use crate::model::Model;

/// Renders the report for `model`.
pub fn explain(model: &Model) -> String {
    format!("{model:?}")
}
