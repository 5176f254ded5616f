//! Lowers one planned function to its Python method view: what the method body does, described
//! as [`Step`]s, the [`Invoke`] call and the [`ResultItem`]s, for the templates
//! (`templates/python/method.py.j2`, one macro per construct in `steps.py.j2`) to render.
//!
//! Order of a method body: (1) the caller's arguments are converted and checked in C order
//! ([`args`]); (2) lengths derived from inputs (the plan's `len_checks`); then, under the
//! instance lock when the call needs it (handles, expressions reading a handle, a returned
//! string): (3) handle checks, (4) computed sizes ([`call`]), (5) the plan's regions placed and
//! (6) `invoke`; finally (7) status / error checks, write-backs and the result ([`results`]).
//! Every decision (core signature, regions and their order, length checks, results in order,
//! names) is the plan's; this module only spells it in Python.

mod args;
mod call;
mod callbacks;
mod doc;
mod follow;
mod results;
mod steps;

use serde::Serialize;

use super::exprs::Exports;
use super::names::{docstring, param_name, str_literal};
use super::types::{elem, Elem};
use crate::model::{FnBinding, Ret, Role};
use crate::plan::{FnPlan, Plan};

pub use steps::{Invoke, ResultItem, Step};

/// A method of the generated class, described for `method.py.j2` / `method.pyi.j2`.
#[derive(Debug, Clone, Serialize)]
pub struct MethodView {
    /// Python method name.
    pub name: String,
    /// Caller-visible parameters in C order.
    pub params: Vec<ParamView>,
    /// Return annotation (`None`, `bytes`, `tuple[bytes, int]`, ...).
    pub returns: String,
    /// The docstring literal, indented for a method body.
    pub doc: String,
    /// Steps before the call: conversions and checks of the arguments, derived lengths, struct
    /// images (no guest access).
    pub checks: Vec<Step>,
    /// True when the call runs under the instance lock (handles, a handle field read, a
    /// returned string).
    pub locked: bool,
    /// Steps of the call before `invoke`: handle checks, computed sizes, run-time offsets.
    pub prepare: Vec<Step>,
    /// The call.
    pub invoke: Invoke,
    /// For a returned string: the most bytes read before its NUL.
    pub str_max: Option<u32>,
    /// Steps right after the call, under the lock: handles made of the pointers handed out.
    pub held: Vec<Step>,
    /// The returned string may be NULL (None).
    pub str_nullable: bool,
    /// Steps right after the call, under the lock (they call the guest again: a returned data's
    /// length).
    pub fetch: Vec<Step>,
    /// `after` runs under the lock too (a status message calls the guest again).
    pub after_locked: bool,
    /// Steps after the call: status / error checks, filled counts, write-backs.
    pub after: Vec<Step>,
    /// What the method returns, in the plan's order.
    pub results: Vec<ResultItem>,
    /// The handle types (C structs) the method takes, in C order.
    #[serde(skip)]
    pub handles: Vec<HandleUse>,
    /// The structs the method takes by value or returns, by C name.
    #[serde(skip)]
    pub structs: Vec<String>,
    /// True when the body names a struct dataclass (`structs` is not empty): it makes them first
    /// (they are made on first use, see the runtime's `_WbStructs`).
    pub uses_structs: bool,
    /// `(C struct, method name)` when the function is also a method of its first parameter's
    /// handle class (`Names::handle_methods`).
    #[serde(skip)]
    pub handle_method: Option<(String, String)>,
}

/// A C struct passed by pointer as a handle (`crypto_blake2b_ctx *ctx`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandleUse {
    /// The C struct name.
    pub struct_name: String,
    /// `sizeof` on wasm32.
    pub size: u32,
}

/// One caller-visible parameter.
#[derive(Debug, Clone, Serialize)]
pub struct ParamView {
    /// Python name (escaped C name).
    pub name: String,
    /// Type annotation, identical in the module and the stub.
    pub annotation: String,
}

/// What every part of the lowering reads: the function, its plan, and the Python spelling of
/// its parameters.
struct Ctx<'a, 'm> {
    f: &'m FnBinding,
    plan_fn: &'a FnPlan<'m>,
    plan: &'a Plan<'m>,
    /// The local holding each parameter, indexed like `f.params`: the keyword, except for a
    /// handle, whose checked guest address gets its own local `_wb_h<i>`, and a string, whose
    /// encoded bytes are `_wb_t<i>` (the keyword keeps the caller's object, so the body
    /// type-checks under `mypy --strict`).
    names: Vec<String>,
    /// The keyword of each parameter (its Python name): what messages about it say.
    keywords: Vec<String>,
    /// How each parameter's elements travel, if it has any.
    elems: Vec<Option<Elem>>,
    /// The C name as a Python string literal.
    c_name: String,
}

impl Ctx<'_, '_> {
    /// The element type of parameter `i`, or an error naming `what` needed it.
    fn elem(&self, i: usize, what: &str) -> Result<Elem, String> {
        self.elems
            .get(i)
            .copied()
            .flatten()
            .ok_or_else(|| format!("`{what}` refers to a parameter that is not a buffer"))
    }
}

/// A Python tuple literal (with the trailing comma a one-element tuple needs).
pub fn tuple(items: &[String]) -> String {
    match items {
        [] => "()".into(),
        [one] => format!("({one},)"),
        _ => format!("({})", items.join(", ")),
    }
}

/// Byte-size expression of `count_expr` elements of `size` bytes.
fn bytes_expr(count_expr: &str, size: u32) -> String {
    if size == 1 {
        count_expr.to_owned()
    } else {
        format!("{count_expr} * {size}")
    }
}

/// C names are identifiers, but keep f-string braces impossible anyway.
fn escape_braces(name: &str) -> String {
    name.replace('{', "{{").replace('}', "}}")
}

/// Text safe inside a generated double-quoted f-string literal.
fn py_text(text: &str) -> String {
    escape_braces(&text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Lowers the planned function `plan_fn` (`plan`: the whole plan, for names and struct layouts),
/// registering the exports it calls in `exports`; `Err` is an internal inconsistency (then
/// `exports` is left as it was).
pub fn lower(
    plan_fn: &FnPlan<'_>,
    plan: &Plan<'_>,
    exports: &mut Exports,
) -> Result<MethodView, String> {
    let mark = exports.mark();
    lower_with(plan_fn, plan, exports).inspect_err(|_| exports.truncate(mark))
}

/// The names, keywords and element kinds of one function's parameters, for lowering it.
fn context<'a, 'm>(plan_fn: &'a FnPlan<'m>, plan: &'a Plan<'m>) -> Ctx<'a, 'm> {
    let f = plan_fn.f;
    Ctx {
        f,
        plan_fn,
        plan,
        names: f
            .params
            .iter()
            .enumerate()
            .map(|(i, p)| match p.role {
                Role::Handle { .. } | Role::Owned { .. } => format!("_wb_h{i}"),
                Role::Kept { .. } => format!("_wb_k{i}"),
                Role::InStr => format!("_wb_t{i}"),
                _ => param_name(&p.name),
            })
            .collect(),
        keywords: f.params.iter().map(|p| param_name(&p.name)).collect(),
        elems: f
            .params
            .iter()
            .map(|p| p.role.elem().and_then(elem))
            .collect(),
        c_name: str_literal(&f.name),
    }
}

fn lower_with(
    plan_fn: &FnPlan<'_>,
    plan: &Plan<'_>,
    exports: &mut Exports,
) -> Result<MethodView, String> {
    let f = plan_fn.f;
    let cx = context(plan_fn, plan);
    let index = exports.index(&f.name, plan_fn.sig.text());
    let mut a = args::arguments(&cx)?;
    a.checks.extend(args::derived_lengths(&cx)?);
    let (mut prepare, reads_handle) = call::computed(&cx, exports)?;
    let layout = call::layout(&cx, &a.slices)?;
    prepare.extend(layout.steps.iter().cloned());
    let c = call::invoke(&cx, index, &a, &layout)?;
    a.checks.extend(c.images.iter().cloned());
    let mut locked_steps = a.handle_checks;
    locked_steps.append(&mut a.kept_checks);
    locked_steps.extend(prepare);
    let r = results::results(&cx, &layout, &c, exports)?;
    // Output structs are returned as the struct's dataclass, which must be generated too.
    for p in &f.params {
        if let crate::model::Role::OutStruct { struct_name, .. } = &p.role {
            if !a.structs.contains(struct_name) {
                a.structs.push(struct_name.clone());
            }
        }
    }
    Ok(MethodView {
        name: plan.names.py_functions[plan_fn.index].clone(),
        params: a.params,
        returns: r.returns,
        doc: docstring(&doc::doc(&cx), 8),
        checks: a.checks,
        locked: locked_steps
            .iter()
            .any(|s| matches!(s, Step::Handle { .. } | Step::Kept { .. }))
            || reads_handle
            || !f.owned_types().is_empty()
            || !r.fetch.is_empty()
            || r.after_locked
            || matches!(f.ret, Ret::Str { .. } | Ret::NullableStr { .. }),
        prepare: locked_steps,
        invoke: c.invoke,
        str_max: match f.ret {
            Ret::Str { max_len } | Ret::NullableStr { max_len } => Some(max_len),
            _ => None,
        },
        held: r.held,
        str_nullable: matches!(f.ret, Ret::NullableStr { .. }),
        fetch: r.fetch,
        after_locked: r.after_locked,
        after: r.after,
        results: r.items,
        handles: a.handles,
        uses_structs: !a.structs.is_empty(),
        structs: a.structs,
        handle_method: plan.names.handle_methods[plan_fn.index]
            .as_ref()
            .map(|h| (h.struct_name.clone(), h.py.clone())),
    })
}
