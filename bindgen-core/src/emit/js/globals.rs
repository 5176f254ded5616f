//! Constants and exported C globals in the JavaScript back end: integer constants as module
//! exports (the Python names, `number`, or `bigint` past 2^53), globals as read-only getters of
//! the generated class that read a copy of the value from guest memory at each access.
//!
//! The guest exports a data symbol as a wasm global holding its address; the getter reads that
//! address (`WbRuntime.globalAddress`), then the value there with bounds-checked copies
//! (`WbRuntime.read`): a scalar, or a struct field by field, pointer + length fields read as the
//! slice they describe. A global pointing outside guest memory, or a slice running past its end,
//! is a GuestError; the object stays usable (no guest code ran).

use super::types::{getter, is_bytes, ts_scalar, typed_array};
use crate::ir::Prim;
use crate::model::{FieldRole, GlobalBinding, GlobalValue, StructBinding};
use crate::plan::Plan;

/// The largest integer a JS `number` holds exactly (2^53 - 1).
const MAX_SAFE: i128 = (1 << 53) - 1;

/// A JS literal for constant `v`: a number when exact, else a bigint.
fn literal(v: i128) -> String {
    if (-MAX_SAFE..=MAX_SAFE).contains(&v) {
        v.to_string()
    } else {
        format!("{v}n")
    }
}

/// `export const NAME = value;` for every constant, with its doc comment.
pub fn constants(plan: &Plan<'_>) -> String {
    let mut s = String::new();
    for (c, name) in plan.model.constants.iter().zip(&plan.names.js_constants) {
        s += &format!("/** {} */\n", doc(c.doc.as_deref(), &c.name));
        s += &format!("export const {name} = {};\n", literal(c.value));
    }
    s
}

/// The `.d.ts` declarations of the constants.
pub fn constants_dts(plan: &Plan<'_>) -> String {
    let mut s = String::new();
    for (c, name) in plan.model.constants.iter().zip(&plan.names.js_constants) {
        let ty = if (-MAX_SAFE..=MAX_SAFE).contains(&c.value) {
            "number"
        } else {
            "bigint"
        };
        s += &format!("/** {} */\n", doc(c.doc.as_deref(), &c.name));
        s += &format!("export declare const {name}: {ty};\n");
    }
    s
}

fn doc(text: Option<&str>, c_name: &str) -> String {
    let text = text.map_or(String::new(), |t| {
        format!("{} ", t.replace("*/", "* /").replace('\n', " "))
    });
    format!("{text}The C constant `{c_name}`.")
}

/// `(global, JS getter name)` of every global the plan binds.
fn bound<'a, 'm>(plan: &'a Plan<'m>) -> Vec<(&'m GlobalBinding, &'a str)> {
    plan.model
        .globals
        .iter()
        .zip(&plan.names.js_globals)
        .enumerate()
        .filter(|(i, _)| !plan.globals_not_bound.iter().any(|(k, _)| k == i))
        .map(|(_, (g, n))| (g, n.as_str()))
        .collect()
}

/// The C structs the bound globals hold (their interfaces must be declared).
pub fn structs<'m>(plan: &Plan<'m>) -> Vec<&'m StructBinding> {
    bound(plan)
        .into_iter()
        .filter_map(|(g, _)| match &g.value {
            GlobalValue::Struct(s) => plan.model.find_struct(s),
            GlobalValue::Scalar(_) => None,
        })
        .collect()
}

/// The getters (indented for the class body).
pub fn getters(plan: &Plan<'_>) -> String {
    let mut s = String::new();
    for (g, name) in bound(plan) {
        let mut body = vec![
            "const __wb_rt = this[__wbRt];".to_owned(),
            format!("const __wb_a = __wb_rt.globalAddress(\"{}\");", g.name),
        ];
        let what = match &g.value {
            GlobalValue::Scalar(prim) => {
                body.push(format!(
                    "return new DataView(__wb_rt.read(__wb_a, {}, \"{}\").buffer).{}(0, true);",
                    prim.size(),
                    g.name,
                    getter(*prim)
                ));
                "an integer".to_owned()
            }
            GlobalValue::Struct(sname) => {
                let Some(st) = plan.model.find_struct(sname) else {
                    continue;
                };
                read_struct(&mut body, st, &g.name);
                format!("struct `{sname}`")
            }
        };
        s += &format!(
            "\n  /** The C global `{}` ({what}), read-only: each access reads a copy of its current value\n   *  from guest memory (GuestError if its address or a slice in it lies outside). */\n",
            g.name
        );
        s += &format!("  get {name}() {{\n");
        for line in body {
            s += &format!("    {line}\n");
        }
        s += "  }\n";
    }
    s
}

/// The statements reading struct `st` at `__wb_a` into a plain object: one copy of the struct,
/// lengths read unsigned (a negative one is huge and fails the bounds check), then the slices.
fn read_struct(body: &mut Vec<String>, st: &StructBinding, what: &str) {
    body.push(format!(
        "const __wb_dv = new DataView(__wb_rt.read(__wb_a, {}, \"{what}\").buffer);",
        st.size
    ));
    for (k, f) in st.fields.iter().enumerate() {
        match &f.role {
            FieldRole::Scalar { prim } => body.push(format!(
                "const __wb_f{k} = __wb_dv.{}({}, true);",
                getter(*prim),
                f.offset
            )),
            FieldRole::Len { prim, .. } => body.push(format!(
                "const __wb_f{k} = Number(__wb_dv.{}({}, true));",
                getter(unsigned(*prim)),
                f.offset
            )),
            FieldRole::InSlice { .. } => {}
        }
    }
    for (k, f) in st.fields.iter().enumerate() {
        let FieldRole::InSlice { elem, len } = &f.role else {
            continue;
        };
        let size = elem.size().max(1);
        let read = format!(
            "__wb_rt.read(__wb_dv.getUint32({}, true), __wb_f{len} * {size}, \"{what}.{}\")",
            f.offset, f.name
        );
        let value = if is_bytes(*elem) {
            read
        } else {
            format!("new {}({read}.buffer)", typed_array(*elem))
        };
        body.push(format!("const __wb_f{k} = {value};"));
    }
    let fields: Vec<String> = st
        .host_fields()
        .into_iter()
        .map(|k| format!("\"{}\": __wb_f{k}", st.fields[k].name))
        .collect();
    body.push(format!("return {{ {} }};", fields.join(", ")));
}

/// The unsigned type of the same width (lengths are read unsigned).
fn unsigned(prim: Prim) -> Prim {
    match prim.size() {
        1 => Prim::U8,
        2 => Prim::U16,
        8 => Prim::U64,
        _ => Prim::U32,
    }
}

/// The `.d.ts` members of the class: one read-only property per bound global.
pub fn getters_dts(plan: &Plan<'_>) -> String {
    let mut s = String::new();
    for (g, name) in bound(plan) {
        let ty = match &g.value {
            GlobalValue::Scalar(prim) => ts_scalar(*prim).to_owned(),
            GlobalValue::Struct(sname) => plan.names.struct_type(sname),
        };
        s += &format!(
            "  /** The C global `{}`, read-only (a copy read at each access). */\n",
            g.name
        );
        s += &format!("  readonly {name}: {ty};\n");
    }
    s
}
