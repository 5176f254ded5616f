//! Python back end: lowers the model to a per-language view ([`view`], [`lower`]) and renders the
//! minijinja templates of `templates/python/` into a module (`<stem>.py`) and its typed stub
//! (`<stem>.pyi`). The module imports its runtime from the shared package `wasm_bind_runtime`
//! (`python/` in this repository), from a copy bundled beside it in a package, or has it pasted in
//! ([`RuntimeMode`]). Used by `gen --py`.

mod enums;
mod exprs;
mod globals;
mod lower;
mod names;
mod owned;
pub mod package;
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
    (
        "python/module.py.j2",
        include_str!("../../../templates/python/module.py.j2"),
    ),
    (
        "python/method.py.j2",
        include_str!("../../../templates/python/method.py.j2"),
    ),
    (
        "python/steps.py.j2",
        include_str!("../../../templates/python/steps.py.j2"),
    ),
    (
        "python/handle.py.j2",
        include_str!("../../../templates/python/handle.py.j2"),
    ),
    (
        "python/handle.pyi.j2",
        include_str!("../../../templates/python/handle.pyi.j2"),
    ),
    (
        "python/owned.py.j2",
        include_str!("../../../templates/python/owned.py.j2"),
    ),
    (
        "python/owned.pyi.j2",
        include_str!("../../../templates/python/owned.pyi.j2"),
    ),
    (
        "python/struct.py.j2",
        include_str!("../../../templates/python/struct.py.j2"),
    ),
    (
        "python/struct.pyi.j2",
        include_str!("../../../templates/python/struct.pyi.j2"),
    ),
    (
        "python/stub.pyi.j2",
        include_str!("../../../templates/python/stub.pyi.j2"),
    ),
    (
        "python/method.pyi.j2",
        include_str!("../../../templates/python/method.pyi.j2"),
    ),
];

/// The Python runtime (written and tested on its own, see its docstring): imported from the shared
/// package, bundled into packages, or pasted into a module.
pub const RUNTIME: &str = include_str!("../../../python/wasm_bind_runtime/_runtime.py");

/// The shared runtime package's `__init__.py`: holds the protocol version.
const RUNTIME_INIT: &str = include_str!("../../../python/wasm_bind_runtime/__init__.py");

/// The file name of the runtime copy `gen --py --package` bundles into a package.
pub const BUNDLED_RUNTIME_FILE: &str = "_wasm_bind_runtime.py";

/// Where a generated module gets its runtime.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RuntimeMode {
    /// Imported from the shared package `wasm_bind_runtime` (one runtime per process), checking its
    /// protocol at import. The default.
    #[default]
    Shared,
    /// Pasted into the module: one self-contained `.py` (`gen --py --inline-runtime`).
    Inline,
    /// The module is a package's `__init__.py` importing the runtime copy bundled beside it
    /// ([`BUNDLED_RUNTIME_FILE`]); the `.wasm` is package data read with `importlib.resources`.
    Bundled,
}

impl RuntimeMode {
    fn name(self) -> &'static str {
        match self {
            RuntimeMode::Shared => "shared",
            RuntimeMode::Inline => "inline",
            RuntimeMode::Bundled => "bundled",
        }
    }
}

/// The runtime protocol generated modules are written for (`PROTOCOL` in the runtime package).
pub fn runtime_protocol() -> u32 {
    runtime_src::protocol(RUNTIME_INIT)
}

/// The runtime package's version (`__version__`).
pub fn runtime_version() -> String {
    runtime_src::version(RUNTIME_INIT)
}

/// The pip requirement for the wasmtime-py versions the runtime supports, e.g. `wasmtime>=45.0,<52.0`.
pub fn wasmtime_requirement() -> String {
    runtime_src::wasmtime_requirement(RUNTIME)
}

/// Imports the generated code itself needs besides the runtime's.
const MODULE_IMPORTS: &[&str] = &[
    "from __future__ import annotations",
    "import os",
    "import sys",
    "from typing import TYPE_CHECKING, Any, List, Optional, Sequence, Tuple, Union",
];

/// What the module template sees besides the model view.
#[derive(Serialize)]
struct ModuleContext<'a> {
    m: &'a view::ModuleView,
    /// `inline`, `shared` or `bundled` ([`RuntimeMode`]).
    runtime_mode: &'static str,
    /// The module's import lines (inline: merged with the runtime's).
    imports: Vec<String>,
    /// Inline: the runtime's docstring as comments.
    runtime_doc: String,
    /// Inline: the runtime's code.
    runtime: String,
    /// Shared / bundled: the statements importing the runtime names the module uses.
    runtime_import: String,
    /// Shared / bundled: the stub's re-export of the runtime's public names.
    stub_runtime_import: String,
}

/// Renders the module and its stub, importing the shared runtime package.
pub fn render(model: &Model) -> Result<PythonOutput, Diagnostics> {
    render_with(model, RuntimeMode::Shared)
}

/// Renders the module and its stub with the runtime where `mode` says.
pub fn render_with(model: &Model, mode: RuntimeMode) -> Result<PythonOutput, Diagnostics> {
    render_with_runtime(model, RUNTIME, mode)
}

/// [`render_with`] with another runtime source (tests).
fn render_with_runtime(
    model: &Model,
    runtime: &str,
    mode: RuntimeMode,
) -> Result<PythonOutput, Diagnostics> {
    let module_view = view::lower_module(model)?;
    // Modules with callbacks annotate them with `Callable`, added to the typing import.
    let typing: Vec<String> = MODULE_IMPORTS
        .iter()
        .map(|l| {
            if module_view.uses_callbacks && l.starts_with("from typing import ") {
                l.replacen(" Any, ", " Any, Callable, ", 1) // isort's order: constants, then classes
            } else {
                (*l).to_owned()
            }
        })
        .collect();
    let mut imports: Vec<&str> = typing.iter().map(String::as_str).collect();
    if !module_view.handles.is_empty() {
        imports.push("import weakref");
    }
    if !module_view.enums.is_empty() {
        imports.push("from enum import IntEnum");
    }
    if mode == RuntimeMode::Bundled {
        imports.push("import importlib.resources");
    }
    let env = environment().map_err(internal)?;
    let mut ctx = ModuleContext {
        m: &module_view,
        runtime_mode: mode.name(),
        imports: Vec::new(),
        runtime_doc: String::new(),
        runtime: String::new(),
        runtime_import: String::new(),
        stub_runtime_import: runtime_src::stub_reexport(
            mode == RuntimeMode::Bundled,
            module_view.wasi,
            !module_view.owned.is_empty() || module_view.buffers,
            module_view.buffers,
        ),
    };
    // The context is converted to template values once, for the module and its stub.
    let render = |name: &str, ctx: &minijinja::Value| {
        env.get_template(name)
            .and_then(|t| t.render(ctx))
            .map_err(internal)
    };
    if mode == RuntimeMode::Inline {
        let parts = runtime_src::split(runtime, &imports);
        (ctx.imports, ctx.runtime_doc, ctx.runtime) =
            (parts.imports, parts.doc_comment, parts.body);
    } else {
        // Rendered once with a slot for the imports, which are then exactly the names the code uses.
        ctx.imports = vec![IMPORTS_SLOT.to_owned()];
        ctx.runtime_import = RUNTIME_IMPORT_SLOT.to_owned();
    }
    let values = minijinja::Value::from_serialize(&ctx);
    let module = if mode == RuntimeMode::Inline {
        render("python/module.py.j2", &values)?
    } else {
        let draft = render("python/module.py.j2", &values)?;
        let used = runtime_src::identifiers(&draft);
        let lines: String = runtime_src::used_imports(&imports, &used)
            .iter()
            .map(|l| format!("{l}\n"))
            .collect();
        let runtime_import = runtime_src::runtime_import(
            runtime,
            &used,
            mode == RuntimeMode::Bundled,
            runtime_protocol(),
            &model.stem,
        );
        let module = fill_slot(&draft, &format!("{IMPORTS_SLOT}\n"), &lines)?;
        fill_slot(&module, RUNTIME_IMPORT_SLOT, &runtime_import)?
    };
    let stub = render("python/stub.pyi.j2", &values)?;
    Ok(PythonOutput { module, stub })
}

/// Where the module's import lines go in the one render of a module that imports the runtime.
const IMPORTS_SLOT: &str = "\u{1}wb_imports_slot\u{1}";
/// Where the runtime import statement goes (see [`IMPORTS_SLOT`]).
const RUNTIME_IMPORT_SLOT: &str = "\u{1}wb_runtime_import_slot\u{1}";

/// `text` with its one occurrence of `slot` replaced by `with`.
fn fill_slot(text: &str, slot: &str, with: &str) -> Result<String, Diagnostics> {
    match text.split_once(slot) {
        Some((before, after)) if !after.contains(slot) => Ok(format!("{before}{with}{after}")),
        _ => Err(Diagnostic::global(
            "internal error: the Python module template does not hold each import slot once",
        )
        .into()),
    }
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
