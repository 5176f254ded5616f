//! The Python view of a whole model: what `templates/python/*.j2` print, every field precomputed.

use serde::Serialize;

use super::enums::{enum_views, EnumView};
use super::exprs::Exports;
use super::globals::{lower_global, GlobalView};
use super::lower::{lower, MethodView, ParamView};
use super::names::{docstring, is_identifier, is_keyword, str_literal};
use super::structs::{struct_view, StructView};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Model;
use crate::plan::Plan;

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
    /// Library-owned handle classes (`roles::owned`), one per type the rendered methods use.
    pub owned: Vec<super::owned::OwnedView>,
    /// Dataclasses, one per C struct the rendered methods take by value.
    pub structs: Vec<StructView>,
    /// `IntEnum` classes, one per named C enum.
    pub enums: Vec<EnumView>,
    /// `__all__` entries as string literals.
    pub exports: Vec<String>,
    /// True when a method takes a callback (the stub then imports `Callable`).
    pub uses_callbacks: bool,
    /// What the stub imports from `typing` (`Final` only when there are constants).
    pub stub_typing_names: String,
    /// A libc guest ([`Model::wasi`]): the constructor takes `wasi=` and the module re-exports
    /// the runtime's `Wasi` and `Captured`.
    pub wasi: bool,
    /// A method takes a guest buffer (`Role::Kept`): the class gets `buffer(size)` and the module
    /// re-exports the runtime's `GuestBuffer` and `GuestSpan`.
    pub buffers: bool,
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
    /// The module's functions whose first parameter is this handle, as methods of the class.
    pub methods: Vec<HandleMethodView>,
}

/// A method of a handle class: the module method of the same function, with the handle as `self`.
#[derive(Debug, Clone, Serialize)]
pub struct HandleMethodView {
    /// Method name on the handle class (`update`).
    pub name: String,
    /// The module method it calls (`crypto_blake2b_update`).
    pub target: String,
    /// The parameters after the handle (names and annotations of the module method).
    pub params: Vec<ParamView>,
    /// Return annotation.
    pub returns: String,
    /// The docstring literal, indented for a method body.
    pub doc: String,
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

/// Lowers the model through its plan; functions no back end binds are listed in the module
/// docstring.
pub fn lower_module(model: &Model) -> Result<ModuleView, Diagnostics> {
    let plan = crate::plan::plan(model);
    let mut diags = Diagnostics::default();
    let mut table = Exports::default();
    let mut not_bound = not_bound_list(model, &plan);
    let methods = lower_methods(&plan, &mut table, &mut diags, &mut not_bound);
    let globals = lower_globals(&plan, &mut not_bound);
    let class_name = plan.names.class.clone();
    if !is_identifier(&class_name) || is_keyword(&class_name) {
        diags.push(
            Diagnostic::global(format!("`{class_name}` is not a valid Python class name"))
                .help("name the class in the config: [module] class_name = \"MyLibrary\""),
        );
    }
    let handles = handle_views(&plan, &methods, &class_name);
    let owned = super::owned::views(&plan, &methods, &class_name, &mut table);
    if plan.needs_persist {
        // Handles live in persistent blocks: listing those exports gets them checked at load, before
        // compiling, instead of when the first handle is made.
        table.index(crate::validate::PERSIST_ALLOC, "i32->i32".into());
        table.index(crate::validate::PERSIST_FREE, "i32,i32->".into());
    }
    let structs = struct_views(&plan, &methods, &globals, &mut diags);
    let constants = constant_views(&plan);
    let enums = enum_views(&plan);
    let header = model.header.file_name().map_or_else(
        || model.header.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let doc = module_doc(model, &header, &class_name, &handles, &not_bound);
    let mut exports = all_names(&class_name, &handles, &structs, &constants);
    let buffers = plan.takes_buffers;
    exports.extend(extra_names(&owned, &enums, model.wasi, buffers));

    diags.finish(ModuleView {
        doc: docstring(&doc, 0),
        class_name,
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
            .map(|(name, sig)| ExportView {
                name: str_literal(name),
                signature: str_literal(sig),
            })
            .collect(),
        constants,
        handles,
        owned,
        structs,
        enums,
        exports: exports.iter().map(|e| str_literal(e)).collect(),
        uses_callbacks: uses_callbacks(model),
        stub_typing_names: match (model.constants.is_empty(), buffers) {
            (true, false) => "TypeAlias",
            (false, false) => "Final, TypeAlias",
            (true, true) => "Any, TypeAlias, overload",
            (false, true) => "Any, Final, TypeAlias, overload",
        }
        .to_owned(),
        wasi: model.wasi,
        buffers,
    })
}

/// The read-only properties of the globals the plan binds (the others join `not_bound`).
/// The functions left unbound, `(name, reason)`: the model's skips, then the plan's refusals.
fn not_bound_list(model: &Model, plan: &Plan<'_>) -> Vec<(String, String)> {
    model
        .skipped
        .iter()
        .map(|s| (s.name.clone(), s.reason.clone()))
        .chain(
            plan.not_bound
                .iter()
                .map(|(f, why)| (f.name.clone(), why.clone())),
        )
        .collect()
}

/// The `__all__` names after the class, handles, structs and constants: library-owned handle
/// classes (and `HandleError` when there are any, or guest buffers), enum classes, the guest
/// buffer classes and the WASI helpers.
fn extra_names(
    owned: &[super::owned::OwnedView],
    enums: &[EnumView],
    wasi: bool,
    buffers: bool,
) -> Vec<String> {
    let mut exports: Vec<String> = owned.iter().map(|h| h.class_name.clone()).collect();
    if !owned.is_empty() || buffers {
        // What using a closed or stale library-owned handle raises.
        exports.push("HandleError".into());
    }
    exports.extend(enums.iter().map(|e| e.class_name.clone()));
    if buffers {
        exports.extend(["GuestBuffer".to_string(), "GuestSpan".to_string()]);
    }
    if wasi {
        exports.extend(["Wasi".to_string(), "Captured".to_string()]);
    }
    exports
}

/// Whether any bound function takes a callback (the stub then imports `Callable`).
fn uses_callbacks(model: &Model) -> bool {
    model.functions.iter().any(|f| {
        f.params
            .iter()
            .any(|p| matches!(p.role, crate::model::Role::Callback(_)))
    })
}

fn lower_globals(
    plan: &crate::plan::Plan<'_>,
    not_bound: &mut Vec<(String, String)>,
) -> Vec<GlobalView> {
    let model = plan.model;
    let mut globals = Vec::new();
    for (i, (g, name)) in model.globals.iter().zip(&plan.names.py_globals).enumerate() {
        if let Some(why) = plan.global_not_bound(i) {
            not_bound.push((g.name.clone(), why.to_owned()));
            continue;
        }
        match lower_global(g, &model.structs, name, &plan.names) {
            Ok(v) => globals.push(v),
            Err(reason) => not_bound.push((g.name.clone(), reason)),
        }
    }
    globals
}

/// The module constants, under the plan's Python names, with their doc comment lines.
fn constant_views(plan: &crate::plan::Plan<'_>) -> Vec<ConstView> {
    plan.model
        .constants
        .iter()
        .zip(&plan.names.py_constants)
        .map(|(c, name)| ConstView {
            name: name.clone(),
            value: c.value.to_string(),
            doc_lines: c.doc.as_deref().map_or_else(Vec::new, |d| {
                d.trim().lines().map(|l| l.trim_end().to_owned()).collect()
            }),
        })
        .collect()
}

/// The module's `__all__`: the class, the runtime's public names and aliases, then the handle
/// classes, dataclasses and constants.
fn all_names(
    class_name: &str,
    handles: &[HandleView],
    structs: &[StructView],
    constants: &[ConstView],
) -> Vec<String> {
    use crate::plan::names::python::{ERRORS, RUNTIME_FUNCTION, TYPE_ALIASES};
    let mut exports: Vec<String> = vec![class_name.to_owned()];
    exports.extend(
        ERRORS
            .iter()
            .chain(TYPE_ALIASES)
            .chain([&RUNTIME_FUNCTION])
            .map(|n| n.to_string()),
    );
    exports.extend(handles.iter().map(|h| h.class_name.clone()));
    exports.extend(structs.iter().map(|s| s.class_name.clone()));
    exports.extend(constants.iter().map(|c| c.name.clone()));
    exports
}

/// The methods, in plan order; two parameters with one Python name are an error.
fn lower_methods(
    plan: &Plan<'_>,
    table: &mut Exports,
    diags: &mut Diagnostics,
    not_bound: &mut Vec<(String, String)>,
) -> Vec<MethodView> {
    let mut methods = Vec::new();
    for p in &plan.functions {
        match lower(p, plan, table) {
            Ok(m) => {
                let mut seen = Vec::new();
                for q in &m.params {
                    if seen.contains(&&q.name) {
                        diags.push(
                            Diagnostic::at(
                                &p.f.loc,
                                format!(
                                    "two parameters of `{}` both become Python name `{}`",
                                    p.f.name, q.name
                                ),
                            )
                            .help("rename one of the parameters in the header"),
                        );
                    }
                    seen.push(&q.name);
                }
                methods.push(m);
            }
            Err(reason) => not_bound.push((p.f.name.clone(), reason)),
        }
    }
    methods
}

/// One handle class per C struct the methods take by pointer.
fn handle_views(plan: &Plan<'_>, methods: &[MethodView], class_name: &str) -> Vec<HandleView> {
    let mut handles: Vec<HandleView> = Vec::new();
    for h in methods.iter().flat_map(|m| m.handles.iter()) {
        let class = plan.names.handle_type(&h.struct_name);
        if handles.iter().any(|v| v.class_name == class) {
            continue;
        }
        let doc = format!(
            "The C struct `{}` ({} bytes), living in the memory of one `{class_name}` instance: pass it to the\n\
             methods that take a `{} *`. `close()`, leaving a `with` block, or garbage collection wipes\n\
             and frees it. A trap in its instance invalidates it (using it then raises ValueError).",
            h.struct_name, h.size, h.struct_name
        );
        handles.push(HandleView {
            methods: handle_methods(methods, &h.struct_name, class_name),
            class_name: class,
            doc: docstring(&doc, 4),
            size: h.size,
        });
    }
    handles
}

/// The methods of the handle class of `struct_name`: every rendered method whose first
/// parameter is such a handle, in declaration order.
pub(super) fn handle_methods(
    methods: &[MethodView],
    struct_name: &str,
    class_name: &str,
) -> Vec<HandleMethodView> {
    methods
        .iter()
        .filter_map(|m| {
            let (s, name) = m.handle_method.as_ref()?;
            (s == struct_name && !m.params.is_empty()).then(|| HandleMethodView {
                name: name.clone(),
                target: m.name.clone(),
                params: m.params[1..].to_vec(),
                returns: m.returns.clone(),
                doc: docstring(
                    &format!(
                        "Same as `{class_name}.{}({}, ...)` on the object that made this handle.",
                        m.name, m.params[0].name
                    ),
                    8,
                ),
            })
        })
        .collect()
}

/// One dataclass per C struct the methods take by value or a global holds.
fn struct_views(
    plan: &Plan<'_>,
    methods: &[MethodView],
    globals: &[GlobalView],
    diags: &mut Diagnostics,
) -> Vec<StructView> {
    let mut structs: Vec<StructView> = Vec::new();
    for name in methods
        .iter()
        .flat_map(|m| m.structs.iter())
        .chain(globals.iter().filter_map(|g| g.struct_name.as_ref()))
    {
        let Some(s) = plan.model.structs.iter().find(|s| &s.name == name) else {
            continue;
        };
        match struct_view(s, &plan.names.struct_type(name)) {
            Ok(v) if structs.iter().any(|o| o.class_name == v.class_name) => {}
            Ok(v) => structs.push(v),
            Err(e) => diags.push(Diagnostic::at(&s.loc, format!("struct `{}`: {e}", s.name))),
        }
    }
    structs
}

/// The module docstring text.
fn module_doc(
    model: &Model,
    header: &str,
    class_name: &str,
    handles: &[HandleView],
    not_bound: &[(String, String)],
) -> String {
    let mut doc = format!(
        "Python bindings for `{header}`, generated by wasm-bind: do not edit.\n\n\
         `{class}()` loads `{stem}.wasm` from this module's folder; `{class}(wasm=path_or_bytes)` loads\n\
         another build. Each method copies its inputs into one arena block inside the guest, calls the\n\
         C function, copies the outputs back and wipes the block. Instances are thread-safe (one lock\n\
         each); use one instance per thread for parallel calls.",
        class = class_name,
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
        for (name, reason) in not_bound {
            doc.push_str(&format!("\n- {name} — {reason}"));
        }
    }
    doc
}
