//! One JavaScript method from one function's call plan: argument checks, the block layout the
//! plan decides, one `invoke` through the embedded runtime, the status check and the results.

use super::scalars;
use super::structs;
use super::types::{bounds, float_check, from_core, getter, is_big, is_bytes, typed_array};
use crate::model::{BinOp, Expr, LenSource, Role};
use crate::plan::layout::{Count, Owner, Size};
use crate::plan::{names, FnPlan, Output, Plan};

/// The JS name of parameter `i` of `p`.
pub fn pname(p: &FnPlan<'_>, i: usize) -> String {
    names::js::param_name(&p.f.params[i].name)
}

/// Why the JS back end cannot render `p` yet, if it cannot.
pub fn unsupported(plan: &Plan<'_>, p: &FnPlan<'_>) -> Option<String> {
    p.f.unsupported(
        "JavaScript",
        |r| match r {
            Role::Len {
                source: LenSource::Expr(e),
                ..
            } => expr_ok(plan, p, e),
            Role::OutExpr { count, .. } => expr_ok(plan, p, count),
            Role::Scratch { bytes } => expr_ok(plan, p, bytes),
            // Not rendered by this back end yet (refused with the reason, never guessed at):
            // library-owned handles (roles::owned) and guest buffers (`kept`) need close/GC
            // semantics the JS runtime lacks.
            Role::Callback(_)
            | Role::Kept { .. }
            | Role::CallbackUser { .. }
            | Role::Owned { .. }
            | Role::OwnedOut(_)
            | Role::Fixed { .. }
            | Role::Capacity { .. } => false,
            _ => true,
        },
        |r| {
            !matches!(
                r,
                crate::model::Ret::Owned(_)
                    | crate::model::Ret::NullableStr { .. }
                    | crate::model::Ret::Codes(_)
                    | crate::model::Ret::Data(_)
            )
        },
    )
}

fn expr_ok(plan: &Plan<'_>, p: &FnPlan<'_>, e: &Expr) -> bool {
    match e {
        Expr::Int(_) | Expr::Param { .. } => true,
        Expr::Field { param, field, .. } => match &p.f.params[*param].role {
            Role::Handle { .. } => true,
            Role::StructIn { .. } => struct_field(plan, p, *param, field).is_some(),
            _ => false,
        },
        Expr::Binary { lhs, rhs, .. } => expr_ok(plan, p, lhs) && expr_ok(plan, p, rhs),
        Expr::Call { args, .. } => args.iter().all(|(a, _)| expr_ok(plan, p, a)),
    }
}

/// The index of scalar field `name` of struct parameter `param`.
fn struct_field(plan: &Plan<'_>, p: &FnPlan<'_>, param: usize, name: &str) -> Option<usize> {
    let s = structs::of(plan, p, param)?;
    s.fields
        .iter()
        .position(|f| f.name == name && !matches!(f.role, crate::model::FieldRole::InSlice { .. }))
}

/// A JS number expression for `e` (handle fields read from guest memory just before the call,
/// struct fields from the checked host value).
fn expr(plan: &Plan<'_>, p: &FnPlan<'_>, e: &Expr) -> String {
    match e {
        Expr::Int(n) => n.to_string(),
        Expr::Param { index, .. } => format!("Number({})", pname(p, *index)),
        Expr::Field { param, field, .. }
            if matches!(p.f.params[*param].role, Role::StructIn { .. }) =>
        {
            let k = struct_field(plan, p, *param, field).unwrap_or(0);
            format!("Number({})", structs::field_var(*param, k))
        }
        Expr::Field {
            param,
            offset,
            prim,
            ..
        } => format!(
            "__wb_rt.load(__wb_h{param} + {offset}, {}, {})",
            prim.size(),
            prim.is_signed()
        ),
        Expr::Binary { op, lhs, rhs } => {
            let (a, b) = (expr(plan, p, lhs), expr(plan, p, rhs));
            match op {
                BinOp::Add => format!("({a} + {b})"),
                BinOp::Sub => format!("({a} - {b})"),
                BinOp::Mul => format!("({a} * {b})"),
                BinOp::Div => format!("Math.trunc({a} / {b})"),
            }
        }
        Expr::Call { func, args, ret } => {
            let args: Vec<String> = args
                .iter()
                .enumerate()
                .map(|(k, (a, prim))| {
                    let (lo, hi) = bounds(*prim, None);
                    let a = expr(plan, p, a);
                    let a = if is_big(*prim) {
                        format!("BigInt({a})")
                    } else {
                        a
                    };
                    format!("__wbInt({a}, \"argument {} of {func}\", {lo}, {hi})", k + 1)
                })
                .collect();
            let call = format!("__wb_rt.helper(\"{func}\", [{}])", args.join(", "));
            format!("Number({})", from_core(*ret, &call))
        }
    }
}

/// The method's source (indented for the class body).
pub fn render(plan: &Plan<'_>, p: &FnPlan<'_>, method: &str) -> String {
    let params: Vec<String> = p.args.iter().map(|&i| pname(p, i)).collect();
    let mut out = format!("  /**\n{}   */\n", doc(p));
    out += &format!("  {method}({}) {{\n", params.join(", "));
    out += "    const __wb_rt = this[__wbRt];\n";
    let mut body = Vec::new();
    checks(plan, p, &mut body);
    lengths(plan, p, &mut body);
    layout(plan, p, &mut body);
    call(plan, p, &mut body);
    results(plan, p, &mut body);
    for line in body {
        out += &format!("    {line}\n");
    }
    out + "  }\n"
}

fn doc(p: &FnPlan<'_>) -> String {
    let mut s = String::new();
    for line in p.f.doc.as_deref().unwrap_or("").lines() {
        s += &format!("   * {}\n", line.replace("*/", "* /"));
    }
    s + &format!("   * C function `{}`.\n", p.f.name)
}

/// Type and range checks of every argument, in C order.
fn checks(plan: &Plan<'_>, p: &FnPlan<'_>, out: &mut Vec<String>) {
    for &i in &p.args {
        let prm = &p.f.params[i];
        let n = pname(p, i);
        match &prm.role {
            Role::Scalar { prim } | Role::InOutScalar { prim, .. } if prim.is_float() => {
                out.push(format!("{n} = {};", float_check(*prim, &n, &n)));
            }
            // A C `bool` takes a boolean (or 0 / 1), as its return gives one.
            Role::Scalar {
                prim: crate::ir::Prim::Bool,
            } => out.push(format!("{n} = __wbBool({n}, \"{n}\");")),
            Role::Scalar { prim } | Role::Len { prim, .. } | Role::InOutScalar { prim, .. } => {
                let (mut lo, hi) = bounds(*prim, prm.max);
                if matches!(prm.role, Role::Len { .. }) {
                    // A size is never negative, whatever its C type.
                    lo = if is_big(*prim) { "0n" } else { "0" }.into();
                }
                out.push(format!("{n} = __wbInt({n}, \"{n}\", {lo}, {hi});"));
            }
            Role::InStr => out.push(format!("const __wb_b{i} = __wbStr({n}, \"{n}\");")),
            Role::StructIn { .. } | Role::OutStruct { inout: true, .. } => {
                structs::checks(plan, p, i, out)
            }
            Role::Handle { struct_name, .. } => out.push(format!(
                "const __wb_h{i} = __wbHandle({n}, {}, \"{n}\", __wb_rt);",
                plan.names.handle_type(struct_name)
            )),
            r => {
                let elem = r.elem().unwrap_or(crate::ir::Prim::U8);
                let size = r.fixed_count().map_or("-1".to_string(), |c| c.to_string());
                if is_bytes(elem) {
                    out.push(format!(
                        "const __wb_b{i} = __wbBytes({n}, \"{n}\", {size});"
                    ));
                } else {
                    let (lo, hi) = if elem.is_integer() {
                        bounds(elem, None)
                    } else {
                        ("null".into(), "null".into())
                    };
                    out.push(format!(
                        "const __wb_b{i} = __wbElems({n}, {}, \"{n}\", {size}, {lo}, {hi});",
                        typed_array(elem)
                    ));
                }
            }
        }
    }
}

/// The element count of caller buffer `i` (its bytes were checked into `__wb_b{i}`).
fn count_of(p: &FnPlan<'_>, i: usize) -> String {
    let size = p.f.params[i].role.elem().map_or(1, |e| e.size().max(1));
    if size == 1 {
        format!("__wb_b{i}.length")
    } else {
        format!("(__wb_b{i}.length / {size})")
    }
}

/// Derived lengths, buffers that must agree with them, computed counts.
fn lengths(plan: &Plan<'_>, p: &FnPlan<'_>, out: &mut Vec<String>) {
    for c in &p.len_checks {
        let prm = &p.f.params[c.len];
        let (Role::Len { prim, .. } | Role::InOutScalar { prim, .. }) = prm.role else {
            continue;
        };
        let (lo, hi) = bounds(prim, prm.max);
        let src = pname(p, c.source);
        let count = count_of(p, c.source);
        let value = if is_big(prim) {
            format!("BigInt({count})")
        } else {
            count
        };
        let n = pname(p, c.len);
        out.push(format!(
            "const {n} = __wbInt({value}, \"{src}\", {lo}, {hi});"
        ));
        for &k in &c.same {
            agree(p, k, c.len, out);
        }
    }
    // Caller-given lengths: every caller buffer they size must have that many elements.
    for &i in &p.args {
        if let Some(l) = p.f.params[i].role.len_param() {
            if p.args.contains(&l) {
                agree(p, i, l, out);
            }
        }
    }
    for (i, prm) in p.f.params.iter().enumerate() {
        if let Role::Len {
            prim,
            source: LenSource::Expr(e),
            ..
        } = &prm.role
        {
            let (_, hi) = bounds(*prim, prm.max);
            let (n, v) = (pname(p, i), expr(plan, p, e));
            let v = if is_big(*prim) {
                format!("BigInt({v})")
            } else {
                v
            };
            let lo = if is_big(*prim) { "0n" } else { "0" };
            out.push(format!("const {n} = __wbInt({v}, \"{n}\", {lo}, {hi});"));
        }
    }
    scalars::initial_values(p, out);
    for (i, prm) in p.f.params.iter().enumerate() {
        let (e, hi) = match &prm.role {
            Role::OutExpr {
                count, max_count, ..
            } => (count, u64::from(*max_count)),
            Role::Scratch { bytes } => (bytes, u64::from(u32::MAX)),
            _ => continue,
        };
        let n = pname(p, i);
        out.push(format!(
            "const __wb_c{i} = __wbInt({}, \"{n}\", 0, {hi});",
            expr(plan, p, e)
        ));
    }
}

fn agree(p: &FnPlan<'_>, buf: usize, len: usize, out: &mut Vec<String>) {
    let (b, l) = (pname(p, buf), pname(p, len));
    out.push(format!(
        "if ({} !== Number({l})) throw new RangeError(`{b}: expected ${{{l}}} elements ({l}), got ${{{}}}`);",
        count_of(p, buf),
        count_of(p, buf)
    ));
}

/// The block: each region's byte size and offset, by the plan's rule.
fn layout(plan: &Plan<'_>, p: &FnPlan<'_>, out: &mut Vec<String>) {
    if p.regions.is_empty() {
        out.push("const __wb_block = 0;".into());
        return;
    }
    out.push("let __wb_end = 0;".into());
    for r in &p.regions {
        let i = region_id(r.owner);
        let size = match r.size {
            Size::Fixed(n) => n.to_string(),
            Size::Elems { count, elem } => {
                let c = match count {
                    Count::LenParam(l) => format!("Number({})", pname(p, l)),
                    Count::StrWithNul(s) => format!("(__wb_b{s}.length + 1)"),
                    Count::Computed(k) => format!("__wb_c{k}"),
                    Count::FieldLen { param, field } => structs::of(plan, p, param)
                        .map_or("NaN".into(), |s| structs::field_count(s, param, field)),
                };
                format!("{c} * {}", elem.size().max(1))
            }
        };
        let offset = r.fixed_offset.map_or_else(
            || format!("__wbAlign(__wb_end, {})", r.align),
            |o| o.to_string(),
        );
        out.push(format!("const __wb_n{i} = {size};"));
        out.push(format!("const __wb_o{i} = {offset};"));
        out.push(format!("__wb_end = __wb_o{i} + __wbR8(__wb_n{i});"));
    }
    out.push(format!(
        "const __wb_block = Math.max(__wb_end, {});",
        crate::plan::layout::MIN_BLOCK
    ));
}

/// The suffix naming a region's variables (`__wb_o3`, `__wb_n3_1` for field 1 of parameter 3).
fn region_id(owner: Owner) -> String {
    match owner {
        Owner::Param(i) => i.to_string(),
        Owner::Field { param, field } => format!("{param}_{field}"),
    }
}

fn call(plan: &Plan<'_>, p: &FnPlan<'_>, out: &mut Vec<String>) {
    let has_region = |i: usize| p.regions.iter().any(|r| r.owner == Owner::Param(i));
    let mut inputs = Vec::new();
    let mut args = Vec::new();
    let mut ptrs = Vec::new();
    let mut fixups = Vec::new();
    for (i, prm) in p.f.params.iter().enumerate() {
        match &prm.role {
            Role::Scalar { .. } | Role::Len { .. } => args.push(pname(p, i)),
            Role::Handle { .. } => args.push(format!("__wb_h{i}")),
            Role::StructIn { .. } | Role::OutStruct { inout: true, .. } => {
                let Some(s) = structs::of(plan, p, i) else {
                    continue;
                };
                if let (Role::StructIn { .. }, Some(a)) = (&prm.role, structs::direct_arg(s, i)) {
                    args.push(a);
                    continue;
                }
                fixups.extend(structs::image(s, i, out));
                inputs.push(format!("[__wb_o{i}, __wb_img{i}]"));
                for r in &p.regions {
                    if let Owner::Field { param, field } = r.owner {
                        if param == i {
                            let id = region_id(r.owner);
                            inputs.push(format!(
                                "[__wb_o{id}, {}]",
                                structs::field_var(param, field)
                            ));
                        }
                    }
                }
                ptrs.push(args.len().to_string());
                args.push(format!("__wb_o{i}"));
            }
            r => {
                if (p.args.contains(&i) || matches!(r, Role::InOutScalar { .. })) && has_region(i) {
                    inputs.push(format!("[__wb_o{i}, __wb_b{i}]"));
                }
                ptrs.push(args.len().to_string());
                args.push(format!("__wb_o{i}"));
            }
        }
    }
    let outs: Vec<String> = out_params(p)
        .into_iter()
        .map(|i| format!("[__wb_o{i}, __wb_n{i}]"))
        .collect();
    out.push(format!(
        "const [__wb_ret, __wb_out] = __wb_rt.invoke(\"{}\", __wb_block, [{}], [{}], [{}], [{}], [{}]);",
        p.f.name,
        inputs.join(", "),
        args.join(", "),
        ptrs.join(", "),
        outs.join(", "),
        fixups.join(", ")
    ));
    scalars::check_return(p, out);
}

/// The parameters whose regions are copied out, in `__wb_out` order: the outputs in result
/// order, then the `FilledBy` counts.
fn out_params(p: &FnPlan<'_>) -> Vec<usize> {
    let mut v: Vec<usize> = p
        .results
        .iter()
        .filter_map(|o| match o {
            Output::Param { index, .. } => Some(*index),
            Output::Value => None,
        })
        .collect();
    v.extend(
        (0..p.f.params.len()).filter(|&i| matches!(p.f.params[i].role, Role::FilledBy { .. })),
    );
    v
}

fn results(plan: &Plan<'_>, p: &FnPlan<'_>, out: &mut Vec<String>) {
    let mut values = Vec::new();
    let mut k = 0;
    for o in &p.results {
        match *o {
            Output::Param { index, in_place } => {
                let raw = format!("__wb_out[{k}]");
                k += 1;
                let v = match &p.f.params[index].role {
                    Role::OutScalar { prim } | Role::InOutScalar { prim, .. } => {
                        format!("new DataView({raw}.buffer).{}(0, true)", getter(*prim))
                    }
                    Role::OutExpr { text: true, .. } => format!(
                        "__wbText({raw}, \"{}: `{}`\")",
                        p.f.name, p.f.params[index].name
                    ),
                    Role::OutStruct { struct_name, .. } => {
                        match plan.model.find_struct(struct_name) {
                            Some(s) => structs::read_plain(s, &raw),
                            None => raw,
                        }
                    }
                    r => match r.elem() {
                        Some(e) if !is_bytes(e) => format!("new {}({raw}.buffer)", typed_array(e)),
                        _ => raw,
                    },
                };
                out.push(format!("let __wb_r{index} = {v};"));
                scalars::truncate(p, index, &out_params(p), out);
                if in_place {
                    out.push(format!(
                        "__wbWriteBack({}, __wb_r{index});",
                        pname(p, index)
                    ));
                }
                values.push(format!("__wb_r{index}"));
            }
            Output::Value => values.push(scalars::return_value(p)),
        }
    }
    match values.len() {
        0 => {}
        1 => out.push(format!("return {};", values[0])),
        _ => out.push(format!("return [{}];", values.join(", "))),
    }
}
