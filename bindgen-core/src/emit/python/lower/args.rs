//! The caller's arguments, in C order: annotation and check of each, struct arguments, and the
//! lengths the plan derives from inputs (`FnPlan::len_checks`).

use super::{bytes_expr, py_text, Ctx, HandleUse, ParamView, Step};
use crate::emit::python::enums::enum_class;
use crate::emit::python::exprs::size_range;
use crate::emit::python::names::str_literal;
use crate::emit::python::structs::{lower_struct, StructLowering};
use crate::emit::python::types::{float_code, int_range};
use crate::model::Role;

/// What the arguments contribute to the method.
pub(super) struct Args {
    /// Caller-visible parameters.
    pub params: Vec<ParamView>,
    /// Checks before the lock.
    pub checks: Vec<Step>,
    /// Handle checks, under the lock.
    pub handle_checks: Vec<Step>,
    /// Guest-buffer checks, under the lock after the handle checks (the handles hold them).
    pub kept_checks: Vec<Step>,
    /// The handle types taken.
    pub handles: Vec<HandleUse>,
    /// The structs taken by value (C names, first use order).
    pub structs: Vec<String>,
    /// Each struct argument's lowering, indexed like the parameters.
    pub lowered: Vec<Option<StructLowering>>,
    /// `(bytes expression, size)` of every struct slice, in order.
    pub slices: Vec<(String, String)>,
}

/// Converts and checks every argument the caller passes (`FnPlan::args`).
pub(super) fn arguments(cx: &Ctx<'_, '_>) -> Result<Args, String> {
    let f = cx.f;
    let mut a = Args {
        params: Vec::new(),
        checks: Vec::new(),
        handle_checks: Vec::new(),
        kept_checks: Vec::new(),
        handles: Vec::new(),
        structs: Vec::new(),
        lowered: vec![None; f.params.len()],
        slices: Vec::new(),
    };
    for &i in &cx.plan_fn.args {
        let p = &f.params[i];
        // Messages name the keyword the caller writes (`input_`), not the C name.
        let keyword = cx.keywords[i].clone();
        let (name, lit) = (cx.names[i].clone(), str_literal(&keyword));
        let annotation = match &p.role {
            Role::Handle {
                struct_name, size, ..
            } => handle_arg(cx, &mut a, struct_name, *size, name, keyword.clone(), lit),
            Role::Owned { ty, nullable } => {
                owned_arg(cx, &mut a, &ty.name, *nullable, name, keyword.clone(), lit)
            }
            Role::Kept { .. } => {
                // The call's handles (checked first: `kept` steps follow the handle checks)
                // hold the buffer, or the object's slot does.
                let holders = f.buffer_holders().into_iter();
                let holders = holders.map(|k| cx.keywords[k].clone()).collect();
                let slot = f.kept_slot(i).map(|key| str_literal(&key));
                kept_arg(&mut a, i, name, keyword.clone(), lit, (holders, slot))
            }
            Role::StructIn { struct_name }
            | Role::OutStruct {
                struct_name,
                inout: true,
            } => struct_arg(cx, &mut a, i, struct_name, &name, &keyword)?,
            role => {
                let (annotation, steps) = check(cx, i, role, &name, &lit)?;
                a.checks.extend(steps);
                if let Some(max) = p.max {
                    a.checks.push(over_max(
                        cx,
                        &name,
                        format!("{}: {{{name}}}", py_text(&keyword)),
                        max,
                        None,
                    ));
                }
                annotation
            }
        };
        a.params.push(ParamView {
            name: keyword,
            annotation,
        });
    }
    Ok(a)
}

/// A struct handle argument: its check (run under the lock: a trap in another thread may
/// invalidate it) and its class as the annotation.
fn handle_arg(
    cx: &Ctx<'_, '_>,
    a: &mut Args,
    struct_name: &str,
    size: u32,
    name: String,
    src: String,
    lit: String,
) -> String {
    a.handles.push(HandleUse {
        struct_name: struct_name.to_owned(),
        size,
    });
    let class = cx.plan.names.handle_type(struct_name);
    a.handle_checks.push(Step::Handle {
        name,
        src,
        class: class.clone(),
        lit,
    });
    class
}

/// The local holding the span of guest-buffer parameter `i` (`Role::Kept`), before the lock.
pub(super) fn span_local(i: usize) -> String {
    format!("_wb_s{i}")
}

/// A guest-buffer argument: taken as a span before the lock (a size may be its length), its
/// address checked and read under the lock (a trap in another thread may invalidate it).
fn kept_arg(
    a: &mut Args,
    i: usize,
    name: String,
    src: String,
    lit: String,
    (holders, slot): (Vec<String>, Option<String>),
) -> String {
    let span = span_local(i);
    a.checks.push(Step::Span {
        name: span.clone(),
        src,
        lit: lit.clone(),
    });
    a.kept_checks.push(Step::Kept {
        name,
        src: span,
        lit,
        holders,
        slot,
    });
    "GuestBuffer | GuestSpan".into()
}

/// A library-owned handle argument: its check (under the lock) and its annotation (`| None`
/// when NULL may be passed).
fn owned_arg(
    cx: &Ctx<'_, '_>,
    a: &mut Args,
    ty: &str,
    nullable: bool,
    name: String,
    src: String,
    lit: String,
) -> String {
    let class = cx.plan.names.handle_type(ty);
    a.handle_checks.push(Step::Owned {
        name,
        src,
        class: class.clone(),
        lit,
        nullable,
    });
    if nullable {
        format!("{class} | None")
    } else {
        class
    }
}

/// A struct passed by address (in, or in/out): its lowering (check, slices, image) recorded for
/// parameter `i`, and its class as the annotation.
fn struct_arg(
    cx: &Ctx<'_, '_>,
    a: &mut Args,
    i: usize,
    struct_name: &String,
    name: &str,
    keyword: &str,
) -> Result<String, String> {
    let s = cx
        .plan
        .model
        .find_struct(struct_name)
        .ok_or_else(|| format!("struct `{struct_name}` has no layout"))?;
    let class = cx.plan.names.struct_type(struct_name);
    let l = lower_struct(s, &class, name, keyword, i, a.slices.len())?;
    a.checks.push(Step::Struct(l.check.clone()));
    a.slices.extend(l.slices.iter().cloned());
    a.lowered[i] = Some(l);
    if !a.structs.contains(struct_name) {
        a.structs.push(struct_name.clone());
    }
    Ok(class)
}

/// The check of a scalar argument of C type `prim` (`plain`: not an in/out scalar).
fn scalar_check(
    cx: &Ctx<'_, '_>,
    i: usize,
    prim: crate::ir::Prim,
    plain: bool,
    name: String,
    lit: String,
) -> (String, Vec<Step>) {
    if prim.is_float() {
        let code = float_code(prim).unwrap_or('d');
        return ("float".into(), vec![Step::Float { name, lit, code }]);
    }
    // A C `bool` takes a bool (or 0 / 1), as its return gives one.
    if plain && prim == crate::ir::Prim::Bool {
        return ("bool | int".into(), vec![Step::Bool { name, lit }]);
    }
    let (lo, hi) = int_range(prim).unwrap_or_default();
    // An enum parameter takes the IntEnum member or any int in range (an IntEnum is an int).
    let annotation = enum_class(cx.plan, cx.f.params[i].enum_name())
        .map_or("int".into(), |cls| format!("{cls} | int"));
    (annotation, vec![Step::Int { name, lit, lo, hi }])
}

/// The annotation and check of an argument of a value role (scalar, length, string, buffer).
fn check(
    cx: &Ctx<'_, '_>,
    i: usize,
    role: &Role,
    name: &str,
    lit: &str,
) -> Result<(String, Vec<Step>), String> {
    let (name, lit) = (name.to_owned(), lit.to_owned());
    Ok(match role {
        Role::Scalar { prim } | Role::InOutScalar { prim, .. } => {
            scalar_check(cx, i, *prim, matches!(role, Role::Scalar { .. }), name, lit)
        }
        Role::Len { prim, .. } | Role::Capacity { prim, .. } => {
            // A length is never negative, whatever its C type.
            let (lo, hi) = size_range(*prim);
            ("int".into(), vec![Step::Int { name, lit, lo, hi }])
        }
        Role::InStr => (
            "str".into(),
            vec![Step::Str {
                name,
                src: cx.keywords[i].clone(),
                lit,
            }],
        ),
        Role::Callback(sig) => (
            super::callbacks::annotation(sig),
            vec![Step::Callable {
                name,
                keyword: super::escape_braces(&cx.keywords[i]),
            }],
        ),
        _ => {
            let e = cx.elem(i, &cx.f.params[i].name)?;
            match e.code {
                None => (
                    "Buffer".into(),
                    vec![Step::Bytes {
                        name,
                        lit,
                        fixed: role.fixed_count(),
                        writable: role.is_inout_buffer(),
                    }],
                ),
                Some(code) => {
                    // The caller's object, kept for the write-back of an in/out buffer.
                    let keep = role.is_inout_buffer().then(|| format!("_wb_arg{i}"));
                    let count = role
                        .fixed_count()
                        .map_or("None".to_owned(), |c| c.to_string());
                    let annotation = if e.py == "float" {
                        "FloatArray"
                    } else {
                        "IntArray"
                    };
                    (
                        annotation.into(),
                        vec![Step::Elems {
                            name,
                            lit,
                            code,
                            count,
                            keep,
                        }],
                    )
                }
            }
        }
    })
}

/// A `[functions.F.max]` bound on `value`; `what` starts the message (an f-string body naming
/// the argument and its value); `size`: the C size parameter, when `what` names its buffer.
pub(super) fn over_max(
    cx: &Ctx<'_, '_>,
    value: &str,
    what: String,
    max: u64,
    size: Option<&str>,
) -> Step {
    Step::Max {
        value: value.to_owned(),
        max,
        what,
        function: py_text(&cx.f.name),
        size_note: size.map_or(String::new(), |s| format!(" ({} <= {max})", py_text(s))),
    }
}

/// The plan's lengths derived from inputs; every other input they size must agree.
pub(super) fn derived_lengths(cx: &Ctx<'_, '_>) -> Result<Vec<Step>, String> {
    let f = cx.f;
    let mut out = Vec::new();
    for c in &cx.plan_fn.len_checks {
        let p = &f.params[c.len];
        let prim = match p.role {
            Role::Len { prim, .. } | Role::InOutScalar { prim, .. } => prim,
            _ => {
                return Err(format!(
                    "`{}` is a derived length of an unexpected role",
                    p.name
                ))
            }
        };
        let src = cx.elem(c.source, &p.name)?;
        let n = &cx.names[c.len];
        let span;
        let source = if matches!(f.params[c.source].role, Role::Kept { .. }) {
            span = span_local(c.source);
            &span
        } else {
            &cx.names[c.source]
        };
        let count = if src.size == 1 {
            format!("len({source})")
        } else {
            format!("len({source}) // {}", src.size)
        };
        let (lo, hi) = int_range(prim).unwrap_or_default();
        out.push(Step::Derived {
            name: n.clone(),
            count,
            lit: str_literal(&p.name),
            lo,
            hi,
        });
        if let Some(max) = p.max {
            let unit = if src.size == 1 { "bytes" } else { "elements" };
            let what = format!("{}: {{{n}}} {unit}", py_text(&cx.keywords[c.source]));
            out.push(over_max(cx, n, what, max, Some(&p.name)));
        }
        for &other in &c.same {
            let e = cx.elem(other, &p.name)?;
            let other_local = if matches!(f.params[other].role, Role::Kept { .. }) {
                span_local(other)
            } else {
                cx.names[other].clone()
            };
            out.push(Step::Same {
                other: other_local,
                expected: bytes_expr(n, e.size),
                other_c: super::escape_braces(&cx.keywords[other]),
                source_c: super::escape_braces(&cx.keywords[c.source]),
            });
        }
    }
    Ok(out)
}
