//! Exported C globals (`extern const crypto_argon2_extras crypto_argon2_no_extras;`): the
//! read-only property of the generated class that reads one from guest memory. Used by `view`.
//!
//! The guest exports a data symbol as a wasm global holding its address; the property reads that
//! address (`_WbInstance.global_address`), then the value there with bounds-checked reads: a
//! scalar, or a struct field by field (pointer + length fields read as the slice they describe).
//! A global pointing outside guest memory, or a slice running past its end, is a GuestError.

use serde::Serialize;

use super::names::{docstring, param_name, str_literal};
use super::types::elem;
use crate::model::{FieldRole, GlobalBinding, GlobalValue, StructBinding};

/// One read-only property of the generated class.
#[derive(Debug, Clone, Serialize)]
pub struct GlobalView {
    /// Python property name (escaped C name).
    pub name: String,
    /// Return annotation (the struct's dataclass, or `int`).
    pub annotation: String,
    /// Docstring literal, indented for a method body.
    pub doc: String,
    /// The body (relative indentation included).
    pub body: Vec<String>,
    /// The C struct it reads, if any (its dataclass must be generated, and is made before the
    /// body runs: see `_WbStructs`).
    pub struct_name: Option<String>,
}

/// `int.from_bytes` of `size` bytes at `offset` of the Python bytes `raw`.
fn int_at(raw: &str, offset: u32, size: u32, signed: bool) -> String {
    let signed = if signed { ", signed=True" } else { "" };
    format!(
        "int.from_bytes({raw}[{offset}:{}], \"little\"{signed})",
        offset + size
    )
}

/// Lowers global `g`; `Err(reason)` when the back end cannot read it.
pub fn lower_global(
    g: &GlobalBinding,
    structs: &[StructBinding],
    name: &str,
    names: &crate::plan::Names,
) -> Result<GlobalView, String> {
    let lit = str_literal(&g.name);
    let mut body = vec![
        "with self._wb_rt.lock:".to_owned(),
        format!("    _wb_a = self._wb_rt.global_address({lit})"),
    ];
    let (annotation, struct_name, what) = match &g.value {
        // Which globals can be bound is the plan's decision (`plan::global_unbindable`).
        GlobalValue::Scalar(prim) => {
            body.push(format!(
                "    _wb_raw = self._wb_rt.read(_wb_a, {})",
                prim.size()
            ));
            body.push(format!(
                "return {}",
                int_at("_wb_raw", 0, prim.size(), prim.is_signed())
            ));
            ("int".to_owned(), None, "integer".to_owned())
        }
        GlobalValue::Struct(name) => {
            let s = structs
                .iter()
                .find(|s| &s.name == name)
                .ok_or_else(|| format!("struct `{name}` has no layout"))?;
            let class = names.struct_type(&s.name);
            read_struct(&mut body, s, &class)?;
            (class, Some(s.name.clone()), format!("`{}`", s.name))
        }
    };
    let doc = format!(
        "The C global `{}` ({what}), read-only.\n\n\
         Each access reads a copy of its current value from guest memory. GuestError if the guest's\n\
         exported address (or a slice in it) lies outside its memory.",
        g.name
    );
    Ok(GlobalView {
        name: name.to_owned(),
        annotation,
        doc: docstring(&doc, 8),
        body,
        struct_name,
    })
}

/// The statements reading struct `s` at `_wb_a` into an instance of `class`: scalars and
/// lengths first (read from one copy of the struct), then the slices they count.
fn read_struct(body: &mut Vec<String>, s: &StructBinding, class: &str) -> Result<(), String> {
    body.push(format!("    _wb_raw = self._wb_rt.read(_wb_a, {})", s.size));
    let local = |k: usize| format!("_wb_f{k}");
    // Scalars and lengths first (slices need their counts).
    for (k, f) in s.fields.iter().enumerate() {
        match &f.role {
            FieldRole::Scalar { prim } => body.push(format!(
                "    {} = {}",
                local(k),
                int_at("_wb_raw", f.offset, prim.size(), prim.is_signed())
            )),
            // A length is read unsigned: a negative one is huge and fails the bounds check.
            FieldRole::Len { prim, .. } => body.push(format!(
                "    {} = {}",
                local(k),
                int_at("_wb_raw", f.offset, prim.size(), false)
            )),
            FieldRole::InSlice { .. } => {}
        }
    }
    for (k, f) in s.fields.iter().enumerate() {
        let FieldRole::InSlice { elem: e, len } = &f.role else {
            continue;
        };
        let e = elem(*e).ok_or_else(|| format!("field `{}` has no element type", f.name))?;
        let ptr = int_at("_wb_raw", f.offset, 4, false);
        let count = local(*len);
        let bytes = if e.size == 1 {
            count.clone()
        } else {
            format!("{count} * {}", e.size)
        };
        let read = format!("self._wb_rt.read({ptr}, {bytes})");
        let value = match e.code {
            None => read,
            Some(code) => format!("list(struct.unpack(f\"<{{{count}}}{code}\", {read}))"),
        };
        body.push(format!("    {} = {value}", local(k)));
    }
    let args: Vec<String> = s
        .host_fields()
        .into_iter()
        .map(|k| format!("{}={}", param_name(&s.fields[k].name), local(k)))
        .collect();
    body.push(format!("return {class}({})", args.join(", ")));
    Ok(())
}
