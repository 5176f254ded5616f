//! Python back end: lowers the model to a per-language view ([`view`], [`lower`]) and renders the
//! minijinja templates of `templates/python/` into a module (`<stem>.py`, runtime included) and
//! its typed stub (`<stem>.pyi`). Used by `gen --py`.

mod exprs;
mod globals;
mod lower;
mod names;
mod runtime_src;
mod structs;
mod types;
mod view;

use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use serde::Serialize;

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

/// The templates, compiled into the generator (no file access at run time).
const TEMPLATES: &[(&str, &str)] = &[
    ("python/module.py.j2", include_str!("../../../templates/python/module.py.j2")),
    ("python/method.py.j2", include_str!("../../../templates/python/method.py.j2")),
    ("python/steps.py.j2", include_str!("../../../templates/python/steps.py.j2")),
    ("python/elems.py.j2", include_str!("../../../templates/python/elems.py.j2")),
    ("python/handles.py.j2", include_str!("../../../templates/python/handles.py.j2")),
    ("python/values.py.j2", include_str!("../../../templates/python/values.py.j2")),
    ("python/handle.py.j2", include_str!("../../../templates/python/handle.py.j2")),
    ("python/handle.pyi.j2", include_str!("../../../templates/python/handle.pyi.j2")),
    ("python/struct.py.j2", include_str!("../../../templates/python/struct.py.j2")),
    ("python/struct.pyi.j2", include_str!("../../../templates/python/struct.pyi.j2")),
    ("python/stub.pyi.j2", include_str!("../../../templates/python/stub.pyi.j2")),
    ("python/method.pyi.j2", include_str!("../../../templates/python/method.pyi.j2")),
];

/// The runtime pasted into every module (written and tested on its own, see its docstring).
const RUNTIME: &str = include_str!("../../../templates/python/runtime.py");

/// Imports the generated code itself needs besides the runtime's.
const MODULE_IMPORTS: &[&str] = &[
    "from __future__ import annotations",
    "import array",
    "import os",
    "import sys",
    "from typing import Any, List, Optional, Sequence, Tuple, Union",
];

/// What the module template sees besides the model view.
#[derive(Serialize)]
struct ModuleContext<'a> {
    m: &'a view::ModuleView,
    imports: Vec<String>,
    runtime_doc: String,
    runtime: String,
}

/// Renders the module and its stub.
pub fn render(model: &Model) -> Result<PythonOutput, Diagnostics> {
    render_with_runtime(model, RUNTIME)
}

/// [`render`] with another runtime source (tests).
fn render_with_runtime(model: &Model, runtime: &str) -> Result<PythonOutput, Diagnostics> {
    let module_view = view::lower_module(model)?;
    let mut imports = MODULE_IMPORTS.to_vec();
    if !module_view.handles.is_empty() {
        imports.push("import weakref");
    }
    if !module_view.structs.is_empty() {
        imports.push("import dataclasses");
    }
    let parts = runtime_src::split(runtime, &imports);
    let env = environment().map_err(internal)?;
    let ctx = ModuleContext { m: &module_view, imports: parts.imports, runtime_doc: parts.doc_comment, runtime: parts.body };
    let module = env.get_template("python/module.py.j2").and_then(|t| t.render(&ctx)).map_err(internal)?;
    let stub = env.get_template("python/stub.pyi.j2").and_then(|t| t.render(&ctx)).map_err(internal)?;
    Ok(PythonOutput { module, stub })
}

fn environment() -> Result<Environment<'static>, minijinja::Error> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| AutoEscape::None);
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_keep_trailing_newline(true);
    for (name, source) in TEMPLATES {
        env.add_template(name, source)?;
    }
    Ok(env)
}

fn internal(e: minijinja::Error) -> Diagnostics {
    Diagnostic::global(format!("internal error: Python template failed: {e:#}"))
        .help("this is a wasm-bind bug; please report it with the header that triggers it")
        .into()
}

#[cfg(test)]
mod tests;
