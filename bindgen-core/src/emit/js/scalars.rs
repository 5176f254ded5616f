//! In/out scalars, filled lengths and return values in the JavaScript back end: the initial
//! values written before the call, the return checks (status, `nonneg` / `positive`, returned
//! strings), and outputs truncated to the count the guest reports (never an over-read).

use super::method::pname;
use super::types::{from_core, getter};
use crate::ir::Prim;
use crate::model::{ErrorRule, Ret, Role};
use crate::plan::FnPlan;

/// `__wb_b{i}`: the bytes of each in/out scalar's initial value (its checked variable).
pub fn initial_values(p: &FnPlan<'_>, out: &mut Vec<String>) {
    for (i, prm) in p.f.params.iter().enumerate() {
        if let Role::InOutScalar { prim, .. } = prm.role {
            let set = getter(prim).replacen("get", "set", 1);
            out.push(format!(
                "const __wb_b{i} = __wbScalar({}, {}, \"{set}\");",
                pname(p, i),
                prim.size()
            ));
        }
    }
}

/// After the call: a nonzero status, or a value the error rule rejects, is a StatusError;
/// `__wb_v` / `__wb_str` hold the returned value.
pub fn check_return(p: &FnPlan<'_>, out: &mut Vec<String>) {
    let name = &p.f.name;
    let (prim, rule) = match p.f.ret {
        Ret::Status => {
            out.push(format!(
                "if (__wb_ret !== 0) throw new StatusError(\"{name}\", __wb_ret);"
            ));
            return;
        }
        Ret::Str { max_len } => {
            out.push(format!(
                "const __wb_str = __wb_rt.cstr(__wb_ret >>> 0, {max_len}, \"{name}\");"
            ));
            return;
        }
        Ret::Checked { prim, error } | Ret::FilledLen { prim, error, .. } => (prim, error),
        _ => return,
    };
    out.push(format!("const __wb_v = {};", from_core(prim, "__wb_ret")));
    // Negative as a signed integer of the type's width (see `ErrorRule`); a u64 is a BigInt.
    let top = ErrorRule::negative_from(prim).map(|t| {
        if prim == crate::ir::Prim::U64 {
            format!("{t}n")
        } else {
            t.to_string()
        }
    });
    let zero = if prim == crate::ir::Prim::U64 {
        "0n"
    } else {
        "0"
    };
    let test = match (top, rule) {
        (None, ErrorRule::Negative) => "__wb_v < 0".to_string(),
        (None, ErrorRule::NonPositive) => "__wb_v <= 0".to_string(),
        (Some(t), ErrorRule::Negative) => format!("__wb_v >= {t}"),
        (Some(t), ErrorRule::NonPositive) => format!("__wb_v === {zero} || __wb_v >= {t}"),
    };
    // The library's message for the failed value (`FnBinding::error_message`), if it has one.
    let reason =
        p.f.error_message
            .as_ref()
            .map(|m| format!(", __wb_rt.message(\"{}\", __wb_ret)", m.func))
            .unwrap_or_default();
    out.push(format!(
        "if ({test}) throw new StatusError(\"{name}\", __wb_v{reason});"
    ));
}

/// The JS expression of the C return value in the result.
pub fn return_value(p: &FnPlan<'_>) -> String {
    match p.f.ret {
        Ret::Str { .. } => "__wb_str".into(),
        Ret::Checked { .. } => "__wb_v".into(),
        // A C `bool` return is a boolean, as in Python and Rust.
        Ret::Value(Prim::Bool) => "(__wb_ret & 0xff) !== 0".into(),
        ref r => r
            .prim()
            .map_or("undefined".into(), |prim| from_core(prim, "__wb_ret")),
    }
}

/// Truncates output `index` to the filled length (the return, or a `FilledBy` count read as
/// unsigned from its region, `outs` giving each region's place in `__wb_out`).
pub fn truncate(p: &FnPlan<'_>, index: usize, outs: &[usize], out: &mut Vec<String>) {
    let name = &p.f.name;
    if matches!(p.f.ret, Ret::FilledLen { buffer, .. } if buffer == index) {
        out.push(format!(
            "__wb_r{index} = __wbTrunc(__wb_r{index}, __wb_v, \"{name}\");"
        ));
    }
    if let Some(fb) = p.f.filled_by(index) {
        let Role::FilledBy { prim, .. } = p.f.params[fb].role else {
            return;
        };
        let unsigned = if prim.size() == 8 {
            Prim::U64
        } else {
            Prim::U32
        };
        let get = if prim.size() < 4 {
            getter(prim)
        } else {
            getter(unsigned)
        };
        let k = outs.iter().position(|&o| o == fb).unwrap_or(0);
        out.push(format!(
            "__wb_r{index} = __wbTrunc(__wb_r{index}, new DataView(__wb_out[{k}].buffer).{get}(0, true), \"{name}\");"
        ));
    }
}
