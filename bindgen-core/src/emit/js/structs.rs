//! Structs passed by value in the JavaScript back end: the caller passes a plain object (typed by
//! an interface in the `.d.ts`, fields under their C names); each field is checked, then written
//! into the struct's image at its wasm32 offset, slices into the plan's field regions.

use super::method::pname;
use super::types::{
    bounds, float_check, getter, is_big, is_bytes, ts_in_buffer, ts_scalar, typed_array,
};
use crate::model::{FieldRole, Role, StructAbi, StructBinding};
use crate::plan::{FnPlan, Plan};

/// The struct of `StructIn` (or in/out `OutStruct`) parameter `i`.
pub fn of<'m>(plan: &Plan<'m>, p: &FnPlan<'m>, i: usize) -> Option<&'m StructBinding> {
    match &p.f.params[i].role {
        Role::StructIn { struct_name }
        | Role::OutStruct {
            struct_name,
            inout: true,
        } => plan.model.find_struct(struct_name),
        _ => None,
    }
}

/// The JS variable holding field `k` of struct parameter `i` once checked.
pub fn field_var(i: usize, k: usize) -> String {
    format!("__wb_s{i}_{k}")
}

/// The element count of slice field `k` of struct parameter `i`.
pub fn field_count(s: &StructBinding, i: usize, k: usize) -> String {
    let size = match s.fields[k].role {
        FieldRole::InSlice { elem, .. } => elem.size().max(1),
        _ => 1,
    };
    format!("({}.length / {size})", field_var(i, k))
}

/// Checks of struct argument `i`: an object, then every field (lengths derived from slices).
pub fn checks(plan: &Plan<'_>, p: &FnPlan<'_>, i: usize, out: &mut Vec<String>) {
    let Some(s) = of(plan, p, i) else { return };
    let n = pname(p, i);
    let ty = plan.names.struct_type(&s.name);
    out.push(format!("if (typeof {n} !== \"object\" || {n} === null) throw new TypeError(`{n}: expected a {ty} object, got ${{__wbWhat({n})}}`);"));
    for (k, field) in s.fields.iter().enumerate() {
        let (v, what) = (field_var(i, k), format!("{n}.{}", field.name));
        let get = format!("{n}[\"{}\"]", field.name);
        match &field.role {
            FieldRole::Scalar { prim } if prim.is_float() => {
                out.push(format!("const {v} = {};", float_check(*prim, &get, &what)));
            }
            FieldRole::Scalar { prim } => {
                let (lo, hi) = bounds(*prim, None);
                out.push(format!(
                    "const {v} = __wbInt({get}, \"{what}\", {lo}, {hi});"
                ));
            }
            FieldRole::InSlice { elem, .. } if is_bytes(*elem) => {
                out.push(format!("const {v} = __wbBytes({get}, \"{what}\", -1);"))
            }
            FieldRole::InSlice { elem, .. } => {
                let (lo, hi) = if elem.is_integer() {
                    bounds(*elem, None)
                } else {
                    ("null".into(), "null".into())
                };
                out.push(format!(
                    "const {v} = __wbElems({get}, {}, \"{what}\", -1, {lo}, {hi});",
                    typed_array(*elem)
                ));
            }
            FieldRole::Len { .. } => {}
        }
    }
    for (k, field) in s.fields.iter().enumerate() {
        let FieldRole::Len { prim, sizes } = &field.role else {
            continue;
        };
        let Some(&first) = sizes.first() else {
            continue;
        };
        let (lo, hi) = bounds(*prim, None);
        let slice = format!("{n}.{}", s.fields[first].name);
        let count = field_count(s, i, first);
        let count = if is_big(*prim) {
            format!("BigInt({count})")
        } else {
            count
        };
        out.push(format!(
            "const {} = __wbInt({count}, \"{slice}\", {lo}, {hi});",
            field_var(i, k)
        ));
        for &other in &sizes[1..] {
            let c = field_count(s, i, other);
            out.push(format!("if ({c} !== Number({})) throw new RangeError(`{n}.{}: expected as many elements as {slice}, got ${{{c}}}`);", field_var(i, k), s.fields[other].name));
        }
    }
}

/// The core argument of a `Direct` struct (its single scalar field), if it is one.
pub fn direct_arg(s: &StructBinding, i: usize) -> Option<String> {
    matches!(s.abi, StructAbi::Direct(_)).then(|| field_var(i, 0))
}

/// Builds `__wb_img{i}` (the struct's bytes, pointer fields left 0) and returns the fixups
/// `[field offset in the block, slice region offset]` the runtime turns into guest addresses.
pub fn image(s: &StructBinding, i: usize, out: &mut Vec<String>) -> Vec<String> {
    out.push(format!("const __wb_img{i} = new Uint8Array({});", s.size));
    out.push(format!(
        "const __wb_dv{i} = new DataView(__wb_img{i}.buffer);"
    ));
    let mut fixups = Vec::new();
    for (k, field) in s.fields.iter().enumerate() {
        let prim = match &field.role {
            FieldRole::Scalar { prim } | FieldRole::Len { prim, .. } => *prim,
            FieldRole::InSlice { .. } => {
                fixups.push(format!("[__wb_o{i} + {}, __wb_o{i}_{k}]", field.offset));
                continue;
            }
        };
        let set = getter(prim).replacen("get", "set", 1);
        out.push(format!(
            "__wb_dv{i}.{set}({}, {}, true);",
            field.offset,
            field_var(i, k)
        ));
    }
    fixups
}

/// The `.d.ts` interface of a struct passed by value.
pub fn interface(plan: &Plan<'_>, s: &StructBinding) -> String {
    let mut out = format!(
        "/** The C struct `{}`, passed by value. */\nexport interface {} {{\n",
        s.name,
        plan.names.struct_type(&s.name)
    );
    for field in &s.fields {
        let ty = match &field.role {
            FieldRole::Scalar { prim } => ts_scalar(*prim).to_string(),
            FieldRole::InSlice { elem, .. } => ts_in_buffer(*elem),
            FieldRole::Len { .. } => continue,
        };
        out += &format!("  {}: {ty};\n", field.name);
    }
    out + "}\n"
}

/// The plain object read back from output struct `s` (integer fields only) in the bytes `raw`.
pub fn read_plain(s: &StructBinding, raw: &str) -> String {
    let fields: Vec<String> = s
        .fields
        .iter()
        .filter_map(|f| match f.role {
            FieldRole::Scalar { prim } => Some(format!(
                "{}: __wb_v.{}({}, true)",
                f.name,
                getter(prim),
                f.offset
            )),
            _ => None,
        })
        .collect();
    format!(
        "((__wb_v) => ({{ {} }}))(new DataView({raw}.buffer, {raw}.byteOffset, {raw}.byteLength))",
        fields.join(", ")
    )
}
