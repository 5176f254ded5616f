//! The Python view of a whole model: what `templates/python/*.j2` print, every field precomputed.

use serde::Serialize;

use super::exprs::Exports;
use super::globals::{lower_global, GlobalView};
use super::lower::{lower, MethodView};
use super::structs::{struct_view, StructView};
use super::types::handle_class;
use super::names::{constant_name, docstring, is_identifier, is_keyword, str_literal};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Model;

/// Names the generated module defines itself; a `#define` of the same name is escaped.
const MODULE_NAMES: &[&str] = &[
    "Buffer", "IntArray", "FloatArray", "Error", "StatusError", "TrapError", "TimeoutError", "GuestError", "LoadError",
    "annotations", "set_max_wasm_stack",
];

/// Everything the module and stub templates print.
#[derive(Debug, Clone, Serialize)]
pub struct ModuleView {
    /// The module docstring literal.
    pub doc: String,
    /// The class name.
    pub class_name: String,
    /// The class docstring literal (indented for a class body).
    pub class_doc: String,
    /// The `.wasm` file name loaded by default, as a Python string literal.
    pub wasm_file_literal: String,
    /// Arena exports as Python string literals.
    pub alloc_literal: String,
    /// See `alloc_literal`.
    pub reset_literal: String,
    /// Methods, in declaration order.
    pub methods: Vec<MethodView>,
    /// Read-only properties, one per exported C global.
    pub globals: Vec<GlobalView>,
    /// The guest exports the module calls, in table order (methods' own functions and helper
    /// exports their computed sizes call).
    pub export_table: Vec<ExportView>,
    /// Module constants.
    pub constants: Vec<ConstView>,
    /// Handle classes, one per C struct the rendered methods take by pointer.
    pub handles: Vec<HandleView>,
    /// Dataclasses, one per C struct the rendered methods take by value.
    pub structs: Vec<StructView>,
    /// `__all__` entries as string literals.
    pub exports: Vec<String>,
    /// What the stub imports from `typing` (`Final` only when there are constants).
    pub stub_typing_names: String,
}

/// A handle class: a C struct living in a persistent block of one instance's memory.
#[derive(Debug, Clone, Serialize)]
pub struct HandleView {
    /// Python class name (`CryptoBlake2bCtx`).
    pub class_name: String,
    /// The class docstring literal (indented for a class body).
    pub doc: String,
    /// `sizeof` the struct on wasm32.
    pub size: u32,
}

/// One entry of the export table.
#[derive(Debug, Clone, Serialize)]
pub struct ExportView {
    /// The C name as a Python string literal.
    pub name: String,
    /// The expected core signature as a Python string literal.
    pub signature: String,
}

/// One module constant.
#[derive(Debug, Clone, Serialize)]
pub struct ConstView {
    /// Python name.
    pub name: String,
    /// Decimal value.
    pub value: String,
    /// Doc comment lines, each to be printed after `#: `.
    pub doc_lines: Vec<String>,
}

/// Lowers the model; functions the back end cannot render are listed in the module docstring.
pub fn lower_module(model: &Model) -> Result<ModuleView, Diagnostics> {
    let mut diags = Diagnostics::default();
    let mut methods = Vec::new();
    let mut table = Exports::default();
    let mut not_bound: Vec<(String, String)> =
        model.skipped.iter().map(|s| (s.name.clone(), s.reason.clone())).collect();
    for f in &model.functions {
        match lower(f, &model.structs, &mut table) {
            Ok(m) => {
                if let Some(prev) = methods.iter().find(|p: &&MethodView| p.name == m.name) {
                    diags.push(
                        Diagnostic::at(&f.loc, format!("`{}` and another function both become Python method `{}`", f.name, prev.name))
                            .help("change [module] strip_prefix in the config, or skip one with [functions.NAME] skip = \"...\""),
                    );
                    continue;
                }
                let mut seen = Vec::new();
                for p in &m.params {
                    if seen.contains(&&p.name) {
                        diags.push(Diagnostic::at(&f.loc, format!("two parameters of `{}` both become Python name `{}`", f.name, p.name))
                            .help("rename one of the parameters in the header"));
                    }
                    seen.push(&p.name);
                }
                methods.push(m);
            }
            Err(reason) => not_bound.push((f.name.clone(), reason)),
        }
    }

    let mut globals: Vec<GlobalView> = Vec::new();
    for g in &model.globals {
        match lower_global(g, &model.structs) {
            Ok(v) if methods.iter().any(|m| m.name == v.name) || v.name.starts_with("_wb") => diags.push(
                Diagnostic::at(&g.loc, format!("global `{}` would become Python property `{}`, a name the class already uses", g.name, v.name))
                    .help("skip one of them, or change [module] strip_prefix in the config"),
            ),
            Ok(v) => globals.push(v),
            Err(reason) => not_bound.push((g.name.clone(), reason)),
        }
    }

    if !is_identifier(&model.class_name) || is_keyword(&model.class_name) {
        diags.push(
            Diagnostic::global(format!("`{}` is not a valid Python class name", model.class_name))
                .help("name the class in the config: [module] class_name = \"MyLibrary\""),
        );
    }

    let mut handles: Vec<HandleView> = Vec::new();
    for h in methods.iter().flat_map(|m| m.handles.iter()) {
        let class_name = handle_class(&h.struct_name);
        if handles.iter().any(|v| v.class_name == class_name) {
            continue;
        }
        if class_name == model.class_name || MODULE_NAMES.contains(&class_name.as_str()) {
            diags.push(
                Diagnostic::global(format!("the handle class for `{}` would be named `{class_name}`, a name the module already uses", h.struct_name))
                    .help("set a different [module] class_name in the config"),
            );
        }
        let doc = format!(
            "The C struct `{}` ({} bytes), living in the memory of one `{}` instance: pass it to the\n\
             methods that take a `{} *`. `close()`, leaving a `with` block, or garbage collection wipes\n\
             and frees it. A trap in its instance invalidates it (using it then raises ValueError).",
            h.struct_name, h.size, model.class_name, h.struct_name
        );
        handles.push(HandleView { class_name, doc: docstring(&doc, 4), size: h.size });
    }

    let mut structs: Vec<StructView> = Vec::new();
    for name in methods.iter().flat_map(|m| m.structs.iter()).chain(globals.iter().filter_map(|g| g.struct_name.as_ref())) {
        let Some(s) = model.structs.iter().find(|s| &s.name == name) else { continue };
        match struct_view(s) {
            Ok(v) if structs.iter().any(|o| o.class_name == v.class_name) => {}
            Ok(v) => {
                if v.class_name == model.class_name
                    || MODULE_NAMES.contains(&v.class_name.as_str())
                    || handles.iter().any(|h| h.class_name == v.class_name)
                {
                    diags.push(
                        Diagnostic::at(&s.loc, format!("the Python class for struct `{}` would be named `{}`, a name the module already uses", s.name, v.class_name))
                            .help("set a different [module] class_name in the config"),
                    );
                }
                structs.push(v);
            }
            Err(e) => diags.push(Diagnostic::at(&s.loc, format!("struct `{}`: {e}", s.name))),
        }
    }

    let mut taken: Vec<String> = MODULE_NAMES.iter().map(|s| s.to_string()).collect();
    taken.extend(structs.iter().map(|s| s.class_name.clone()));
    taken.push(model.class_name.clone());
    taken.extend(handles.iter().map(|h| h.class_name.clone()));
    let constants: Vec<ConstView> = model
        .constants
        .iter()
        .map(|c| ConstView {
            name: constant_name(&c.name, &taken),
            value: c.value.to_string(),
            doc_lines: c.doc.as_deref().map_or_else(Vec::new, |d| d.trim().lines().map(|l| l.trim_end().to_owned()).collect()),
        })
        .collect();
    for (i, c) in constants.iter().enumerate() {
        if constants[..i].iter().any(|o| o.name == c.name) {
            diags.push(
                Diagnostic::global(format!("two constants of `{}` both become Python name `{}`", model.header.display(), c.name))
                    .help("rename one of them in the header"),
            );
        }
    }

    let header = model.header.file_name().map_or_else(|| model.header.display().to_string(), |n| n.to_string_lossy().into_owned());
    let mut doc = format!(
        "Python bindings for `{header}`, generated by wasm-bind: do not edit.\n\n\
         `{class}()` loads `{stem}.wasm` from this module's folder; `{class}(wasm=path_or_bytes)` loads\n\
         another build. Each method copies its inputs into one arena block inside the guest, calls the\n\
         C function, copies the outputs back and wipes the block. Instances are thread-safe (one lock\n\
         each); use one instance per thread for parallel calls.",
        class = model.class_name,
        stem = model.stem,
    );
    if let Some(h) = handles.first() {
        doc.push_str(&format!(
            "\n\nC structs passed by pointer (context objects) are handle classes: `ctx = {}(instance)`\n\
             allocates one in that instance's memory; pass it where the C function takes the pointer;\n\
             `close()` or a `with` block frees it.",
            h.class_name
        ));
    }
    if !not_bound.is_empty() {
        doc.push_str("\n\nNot bound:\n");
        for (name, reason) in &not_bound {
            doc.push_str(&format!("\n- {name} — {reason}"));
        }
    }

    let mut exports: Vec<String> = vec![model.class_name.clone()];
    exports.extend(
        ["Error", "StatusError", "TrapError", "TimeoutError", "GuestError", "LoadError", "Buffer", "IntArray", "FloatArray", "set_max_wasm_stack"]
            .map(String::from),
    );
    exports.extend(handles.iter().map(|h| h.class_name.clone()));
    exports.extend(structs.iter().map(|s| s.class_name.clone()));
    exports.extend(constants.iter().map(|c| c.name.clone()));

    diags.finish(ModuleView {
        doc: docstring(&doc, 0),
        class_name: model.class_name.clone(),
        class_doc: docstring(
            &format!("The `{header}` guest: one wasm instance; one method per bound C function."),
            4,
        ),
        wasm_file_literal: str_literal(&format!("{}.wasm", model.stem)),
        alloc_literal: str_literal(&model.arena.alloc),
        reset_literal: str_literal(&model.arena.reset),
        methods,
        globals,
        export_table: table
            .entries
            .iter()
            .map(|(name, sig)| ExportView { name: str_literal(name), signature: str_literal(sig) })
            .collect(),
        constants,
        handles,
        structs,
        exports: exports.iter().map(|e| str_literal(e)).collect(),
        stub_typing_names: if model.constants.is_empty() { "TypeAlias" } else { "Final, TypeAlias" }.to_owned(),
    })
}
