//! Named C enums in the Python back end: one `IntEnum` class per enum of the model (its values
//! stay module constants too), the annotation of a parameter typed with one (`Mode | int`: the
//! enum or any int in the C type's range), and the conversion of a return typed with one (the
//! member when the value is one, else the plain int: `_wb_enum`). Used by `view` and `lower`.

use serde::Serialize;

use super::names::{docstring, is_keyword};
use crate::model::EnumBinding;
use crate::plan::Plan;

/// One `IntEnum` class.
#[derive(Debug, Clone, Serialize)]
pub struct EnumView {
    /// Python class name (`Mode`).
    pub class_name: String,
    /// Docstring literal (indented for a class body).
    pub doc: String,
    /// `(member name, value literal)` in C order (a C value repeated is an alias, as in C).
    pub members: Vec<(String, String)>,
}

/// Whether `e` can be an `IntEnum`: Enum reserves names that start with `_`, so an enum with
/// such a member keeps only its module constants.
fn renderable(e: &EnumBinding) -> bool {
    e.variants.iter().all(|(n, _)| !n.starts_with('_'))
}

/// The classes of the model's enums.
pub fn enum_views(plan: &Plan<'_>) -> Vec<EnumView> {
    plan.model
        .enums
        .iter()
        .filter(|e| renderable(e))
        .map(|e| {
            let doc = e
                .doc
                .clone()
                .unwrap_or_else(|| format!("The C enum `{}`.", e.name));
            EnumView {
                class_name: plan.names.enum_type(&e.name),
                doc: docstring(&doc, 4),
                members: e
                    .variants
                    .iter()
                    .map(|(n, v)| {
                        let name = if is_keyword(n) {
                            format!("{n}_")
                        } else {
                            n.clone()
                        };
                        (name, v.to_string())
                    })
                    .collect(),
            }
        })
        .collect()
}

/// The `IntEnum` class of the C enum `name`, when the module has one.
pub fn enum_class(plan: &Plan<'_>, name: Option<&str>) -> Option<String> {
    let e = plan.model.find_enum(name?)?;
    renderable(e).then(|| plan.names.enum_type(&e.name))
}
