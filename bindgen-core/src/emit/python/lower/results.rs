//! After the call: the status / error rule of the C return, filled counts, write-backs of in/out
//! buffers, and the result items in the plan's order (`FnPlan::results`) with their conversion.

use super::call::Placed;
use super::{bytes_expr, escape_braces, Ctx, ResultItem, Step};
use crate::emit::python::enums::enum_class;
use crate::emit::python::types::{convert_raw, float_code};
use crate::model::{ErrorRule, Ret, Role};
use crate::plan::Output;

/// What the method does after the call.
pub(super) struct After {
    /// Steps right after `invoke`, under the instance lock (they call the guest again): a status
    /// message, a returned data's length.
    pub fetch: Vec<Step>,
    /// `after` must run under the instance lock (it calls the guest: a status message).
    pub after_locked: bool,
    /// Checks and write-backs.
    pub after: Vec<Step>,
    /// Handles made of the pointers the library handed out, still under the instance lock (a
    /// trap in another thread must not re-create the instance between the call and this).
    pub held: Vec<Step>,
    /// The result items.
    pub items: Vec<ResultItem>,
    /// The return annotation.
    pub returns: String,
}

/// The conversion of the raw return to the C value of `prim` (`int` when it has none).
fn converted(prim: crate::ir::Prim) -> (&'static str, String) {
    convert_raw(prim, "_wb_ret").unwrap_or(("int", "_wb_ret".into()))
}

/// The condition making the checked return `var` (the C value of `prim`) an error: negative as a
/// signed integer of the type's width (see [`ErrorRule`]).
fn error_cond(var: &str, prim: crate::ir::Prim, rule: ErrorRule) -> String {
    match (ErrorRule::negative_from(prim), rule) {
        (None, ErrorRule::Negative) => format!("{var} < 0"),
        (None, ErrorRule::NonPositive) => format!("{var} <= 0"),
        (Some(top), ErrorRule::Negative) => format!("{var} >= {top:#x}"),
        (Some(top), ErrorRule::NonPositive) => format!("{var} == 0 or {var} >= {top:#x}"),
    }
}

/// The status / error checks of the return; the value returned (`(annotation, expression)`)
/// and the byte count a returned filled length cuts its buffer to.
#[allow(clippy::type_complexity)]
fn return_rule(
    cx: &Ctx<'_, '_>,
    placed: &Placed,
    after: &mut Vec<Step>,
    calls: &mut super::follow::Follow<'_>,
) -> Result<(Option<(String, String)>, Option<(usize, String)>), String> {
    let f = cx.f;
    let message = calls.error_message()?;
    let checked = |var: &str, prim, error| Step::Checked {
        var: var.into(),
        expr: converted(prim).1,
        error: error_cond(var, prim, error),
        c_name: cx.c_name.clone(),
        message: message.clone(),
    };
    Ok(match &f.ret {
        Ret::Void => (None, None),
        Ret::Status => {
            after.push(Step::Status {
                c_name: cx.c_name.clone(),
            });
            (None, None)
        }
        Ret::Value(prim) => match enum_class(cx.plan, f.ret_enum.as_deref()) {
            // The member when the value is one, else the plain int (C enums hold any value).
            Some(cls) => (
                Some((
                    format!("{cls} | int"),
                    format!("_wb_enum({cls}, {})", converted(*prim).1),
                )),
                None,
            ),
            None => (Some((converted(*prim).0.into(), converted(*prim).1)), None),
        },
        Ret::Checked { prim, error } => {
            after.push(checked("_wb_value", *prim, *error));
            (Some((converted(*prim).0.into(), "_wb_value".into())), None)
        }
        Ret::FilledLen {
            prim,
            buffer,
            error,
        } => {
            after.push(checked("_wb_filled", *prim, *error));
            let e = cx.elem(*buffer, &f.name)?;
            let capacity = placed
                .sizes
                .get(*buffer)
                .cloned()
                .flatten()
                .ok_or_else(|| {
                    format!(
                        "`{}` returns the length of a parameter that is not a buffer",
                        f.name
                    )
                })?;
            let bytes = bytes_expr("_wb_filled", e.size);
            after.push(Step::FilledMax {
                bytes: bytes.clone(),
                capacity,
                function: escape_braces(&f.name),
                buffer: escape_braces(&f.params[*buffer].name),
            });
            (None, Some((*buffer, bytes)))
        }
        Ret::Str { .. } => (Some(("str".into(), "_wb_str_ret".into())), None),
        Ret::Owned(r) => {
            let (step, annotation) = owned_new(cx, r, "_wb_value", "_wb_ret".into(), true);
            after.push(step);
            (Some((annotation, "_wb_value".into())), None)
        }
        Ret::NullableStr { .. } => (Some(("str | None".into(), "_wb_str_ret".into())), None),
        Ret::Codes(rule) => (calls.codes(rule, after)?, None),
        Ret::Data(d) => (Some(calls.data(d)?), None),
    })
}

/// The handles handed out through `T **` (`_wb_o<i>`, read from the slots right after the call):
/// their steps, and `(parameter, local, annotation)` of each.
#[allow(clippy::type_complexity)]
fn owned_outs(cx: &Ctx<'_, '_>) -> (Vec<Step>, Vec<(usize, String, String)>) {
    let (mut steps, mut outs) = (Vec::new(), Vec::new());
    for (k, out) in cx.plan_fn.results.iter().enumerate() {
        if let Output::Param { index, .. } = *out {
            if let Role::OwnedOut(r) = &cx.f.params[index].role {
                let var = format!("_wb_o{index}");
                let ptr = format!("int.from_bytes(_wb_out[{k}], \"little\")");
                let (step, annotation) = owned_new(cx, r, &var, ptr, false);
                steps.push(step);
                outs.push((index, var, annotation));
            }
        }
    }
    (steps, outs)
}

/// The step making the handle of a pointer the library handed out (`ptr`, into `var`) and its
/// annotation; `returned`: the C return (an owned NULL is a `StatusError`).
fn owned_new(
    cx: &Ctx<'_, '_>,
    r: &crate::model::OwnedResult,
    var: &str,
    ptr: String,
    returned: bool,
) -> (Step, String) {
    let class = cx.plan.names.handle_type(&r.ty.name);
    let strict = returned && !r.borrowed;
    let annotation = if strict {
        class.clone()
    } else {
        format!("{class} | None")
    };
    let step = Step::OwnedNew {
        var: var.into(),
        ptr,
        class,
        borrowed: if r.borrowed { "True" } else { "False" }.into(),
        parent: r.parent.map_or("None".into(), |i| cx.keywords[i].clone()),
        null_error: strict.then(|| cx.c_name.clone()),
        held: (0..cx.f.params.len())
            .filter(|&i| matches!(cx.f.params[i].role, Role::Kept { .. }))
            .map(super::args::span_local)
            .collect(),
    };
    (step, annotation)
}

/// Filled counts written through a pointer (`counts`: their parameters, read after the
/// `n_outputs` outputs): `(buffer, byte count)` of each.
fn filled_counts(
    cx: &Ctx<'_, '_>,
    placed: &Placed,
    n_outputs: usize,
    counts: &[usize],
    after: &mut Vec<Step>,
) -> Result<Vec<(usize, String)>, String> {
    let f = cx.f;
    let mut out = Vec::new();
    for (n, &i) in counts.iter().enumerate() {
        let (Role::FilledBy { buffer, .. } | Role::Capacity { buffer, .. }) = f.params[i].role
        else {
            continue;
        };
        let var = format!("_wb_filled{i}");
        let e = cx.elem(buffer, &f.params[i].name)?;
        let capacity = placed.sizes.get(buffer).cloned().flatten().ok_or_else(|| {
            format!(
                "`{}` counts a parameter that is not a buffer",
                f.params[i].name
            )
        })?;
        let bytes = bytes_expr(&var, e.size);
        after.push(Step::FilledCount {
            var,
            k: n_outputs + n,
            bytes: bytes.clone(),
            capacity,
            function: escape_braces(&f.name),
            param: escape_braces(&f.params[i].name),
            buffer: escape_braces(&f.params[buffer].name),
        });
        out.push((buffer, bytes));
    }
    Ok(out)
}

/// Everything after the call.
pub(super) fn results(
    cx: &Ctx<'_, '_>,
    placed: &Placed,
    c: &super::call::Call,
    exports: &mut crate::emit::python::exprs::Exports,
) -> Result<After, String> {
    let (n_outputs, counts) = (c.n_outputs, &c.counts[..]);
    // Handles handed out through `T **` come first: a failed status must not leak them.
    let mut after = Vec::new();
    let (mut held, owned_outs) = owned_outs(cx);
    let mut calls = super::follow::Follow {
        cx,
        args: &c.invoke.args,
        exports,
        fetch: Vec::new(),
        after_locked: false,
    };
    let (mut value, filled) = return_rule(cx, placed, &mut after, &mut calls)?;
    let (fetch, after_locked) = (calls.fetch, calls.after_locked);
    // The returned handle (first in `after` when there is one) is made under the lock too.
    if matches!(after.first(), Some(Step::OwnedNew { .. })) {
        held.push(after.remove(0));
    }
    let cuts = filled_counts(cx, placed, n_outputs, counts, &mut after)?;
    let mut items = Vec::new();
    let mut types = Vec::new();
    // `_wb_out[k]` is the k-th output parameter read back, in the plan's order.
    let mut k = 0;
    for out in &cx.plan_fn.results {
        let (i, in_place) = match *out {
            Output::Value => {
                if let Some((py, expr)) = value.take() {
                    items.push(ResultItem::Value { expr });
                    types.push(py);
                }
                continue;
            }
            Output::Param { index, in_place } => (index, in_place),
        };
        let cut = filled
            .iter()
            .chain(&cuts)
            .find(|(b, _)| *b == i)
            .map(|(_, n)| n.clone());
        let code = cx.elems[i].and_then(|e| e.code);
        let (item, py) = param_item(cx, i, k, cut, &owned_outs, &mut after)?;
        items.push(item);
        types.push(py);
        // An in/out buffer passed writable (bytearray, writable memoryview, array.array) receives
        // the output too, as the C function changes the caller's memory (crypto_wipe must wipe it).
        if in_place {
            let target = if code.is_some() {
                format!("_wb_arg{i}")
            } else {
                cx.names[i].clone()
            };
            after.push(Step::WriteBack { target, k, code });
        }
        k += 1;
    }
    let returns = return_annotation(&types);
    Ok(After {
        fetch,
        after_locked,
        after,
        held,
        items,
        returns,
    })
}

/// The result item and annotation of output parameter `i` (`_wb_out[k]`, cut to `cut` bytes when
/// a filled length says so); text outputs add their decoding step to `after`.
fn param_item(
    cx: &Ctx<'_, '_>,
    i: usize,
    k: usize,
    cut: Option<String>,
    owned_outs: &[(usize, String, String)],
    after: &mut Vec<Step>,
) -> Result<(ResultItem, String), String> {
    let f = cx.f;
    let code = cx.elems[i].and_then(|e| e.code);
    Ok(match (&f.params[i].role, code) {
        (Role::OwnedOut(_), _) => {
            let (_, var, annotation) = owned_outs
                .iter()
                .find(|(index, ..)| *index == i)
                .ok_or_else(|| format!("`{}`: no handle read back", f.params[i].name))?;
            (ResultItem::Value { expr: var.clone() }, annotation.clone())
        }
        (Role::OutScalar { prim } | Role::InOutScalar { prim, .. }, _) if prim.is_float() => (
            ResultItem::FloatScalar {
                k,
                code: float_code(*prim).unwrap_or('d'),
            },
            "float".to_owned(),
        ),
        (Role::OutScalar { prim } | Role::InOutScalar { prim, .. }, _) => (
            ResultItem::Scalar {
                k,
                signed: if prim.is_signed() { "True" } else { "False" }.into(),
            },
            "int".to_owned(),
        ),
        (Role::OutStruct { struct_name, .. }, _) => out_struct(cx, k, struct_name)?,
        (Role::OutExpr { text: true, .. }, _) => {
            let var = format!("_wb_text{i}");
            after.push(Step::OutText {
                var: var.clone(),
                k,
                function: escape_braces(&f.name),
                param: escape_braces(&f.params[i].name),
            });
            (ResultItem::Value { expr: var }, "str".to_owned())
        }
        (_, Some(code)) => (
            ResultItem::Elems { k, code, cut },
            format!("list[{}]", cx.elems[i].map_or("int", |e| e.py)),
        ),
        _ => (ResultItem::Bytes { k, cut }, "bytes".to_owned()),
    })
}

/// The method's return annotation of its result items' annotations: `None`, the one, or a tuple.
fn return_annotation(types: &[String]) -> String {
    match types.len() {
        0 => "None".to_owned(),
        1 => types[0].clone(),
        _ => format!("tuple[{}]", types.join(", ")),
    }
}

/// An output struct's result item (its fields read from `_wb_out[k]`) and its annotation.
fn out_struct(
    cx: &Ctx<'_, '_>,
    k: usize,
    struct_name: &str,
) -> Result<(ResultItem, String), String> {
    let s = cx
        .plan
        .model
        .find_struct(struct_name)
        .ok_or_else(|| format!("struct `{struct_name}` has no layout"))?;
    let class = cx.plan.names.struct_type(struct_name);
    let mut fields = Vec::new();
    for f in &s.fields {
        let crate::model::FieldRole::Scalar { prim } = f.role else {
            return Err(format!(
                "field `{}` of output struct `{struct_name}` is not an integer",
                f.name
            ));
        };
        let float = match prim {
            crate::ir::Prim::F32 => Some('f'),
            crate::ir::Prim::F64 => Some('d'),
            p if p.is_integer() => None,
            p => {
                return Err(format!(
                    "field `{}` of output struct `{struct_name}` is a `{}`",
                    f.name,
                    p.c_name()
                ))
            }
        };
        fields.push(super::steps::FieldRead {
            name: crate::emit::python::names::param_name(&f.name),
            start: f.offset,
            end: f.offset + prim.size(),
            signed: if prim.is_signed() { "True" } else { "False" }.into(),
            float,
        });
    }
    let item = ResultItem::Struct {
        k,
        class: class.clone(),
        fields,
    };
    Ok((item, class))
}
