//! Library-owned handle classes in Python (`roles::owned`): one subclass of the runtime's
//! `_WbOwned` per library-owned type the rendered methods use, naming its destructor export (an
//! entry of the module's export table) and carrying its handle methods.

use serde::Serialize;

use super::exprs::Exports;
use super::lower::MethodView;
use super::names::{docstring, str_literal};
use crate::plan::sig::{CoreSig, CoreValue};
use crate::plan::Plan;

/// One library-owned handle class.
#[derive(Debug, Clone, Serialize)]
pub struct OwnedView {
    /// Python class name (`Sqlite3`).
    pub class_name: String,
    /// The class docstring literal.
    pub doc: String,
    /// The C type name as a string literal.
    pub type_literal: String,
    /// `(export index, "destructor")`, or `None`.
    pub destroy: String,
    /// The module's functions whose first parameter is this handle.
    pub methods: Vec<super::view::HandleMethodView>,
}

/// The classes of the library-owned types the methods use, registering each destructor export.
pub fn views(
    plan: &Plan<'_>,
    methods: &[MethodView],
    class_name: &str,
    table: &mut Exports,
) -> Vec<OwnedView> {
    let mut out: Vec<OwnedView> = Vec::new();
    let rendered = |name: &str| methods.iter().any(|m| m.name == name);
    for p in &plan.functions {
        if !rendered(&plan.names.py_functions[p.index]) {
            continue;
        }
        for ty in p.f.owned_types() {
            let class = plan.names.handle_type(&ty.name);
            if out.iter().any(|v| v.class_name == class) {
                continue;
            }
            let destroy = match &ty.destructor {
                Some(d) => {
                    let sig = CoreSig {
                        params: vec![CoreValue::Address],
                        result: d.ret.map(CoreValue::Scalar),
                    };
                    let index = table.index(&d.name, sig.text());
                    format!("({index}, {})", str_literal(&d.name))
                }
                None => "None".into(),
            };
            let freed = match &ty.destructor {
                Some(d) => format!(
                    "`close()`, a `with` block or garbage collection calls `{}` once (a borrowed handle, which\n\
                     the library keeps, is never freed by the host).",
                    d.name
                ),
                None => "The type has no destructor: the host never frees one.".into(),
            };
            let doc = format!(
                "A `{name} *` handed out by the library of one `{class_name}` instance (only the pointer is held).\n\
                 {freed}\n\
                 Closing it closes its children (handles made with it as their parent) first; a child keeps its\n\
                 parent alive. Using it after close, with another instance, or after its instance was re-created\n\
                 following a trap raises HandleError.",
                name = ty.name
            );
            out.push(OwnedView {
                methods: super::view::handle_methods(methods, &ty.name, class_name),
                class_name: class,
                doc: docstring(&doc, 4),
                type_literal: str_literal(&ty.name),
                destroy,
            });
        }
    }
    out
}
