//! Structs passed by value (`crypto_argon2_inputs inputs`): the generated dataclass of each, and
//! the Python that checks a value and builds its wasm32 image. Used by `lower` and `view`.
//!
//! A struct travels as a copy in the call's arena block (clang's wasm32 ABI passes its address),
//! or, when its only member is one scalar, as that scalar. Slices it points to (`pass`, `salt`)
//! go into the same block; their addresses are only known once the block is allocated, so the
//! image holds 0 in each pointer field and `invoke` patches it (`fixups`). Every check therefore
//! runs before the one guest allocation of the call, and the host wipes the slices with the block.

use serde::Serialize;

use super::names::{docstring, param_name, str_literal};
use super::types::{elem, int_range};
use crate::model::{FieldRole, StructAbi, StructBinding};

/// A dataclass for one struct.
#[derive(Debug, Clone, Serialize)]
pub struct StructView {
    /// Python class name (`CryptoArgon2Inputs`).
    pub class_name: String,
    /// Docstring literal (indented for a class body).
    pub doc: String,
    /// The fields the host value carries (derived lengths are not among them).
    pub fields: Vec<StructFieldView>,
}

/// One dataclass field.
#[derive(Debug, Clone, Serialize)]
pub struct StructFieldView {
    /// Python name (escaped C name).
    pub name: String,
    /// Type annotation.
    pub annotation: String,
}

/// The dataclass view of `s`.
pub fn struct_view(s: &StructBinding, class_name: &str) -> Result<StructView, String> {
    let mut fields = Vec::new();
    for i in s.host_fields() {
        let f = &s.fields[i];
        let annotation = match &f.role {
            FieldRole::Scalar { .. } => "int".to_owned(),
            FieldRole::InSlice { elem: e, .. } => match elem(*e).and_then(|e| e.code) {
                None => "Buffer".to_owned(),
                Some(_) => "IntArray".to_owned(),
            },
            FieldRole::Len { .. } => continue,
        };
        fields.push(StructFieldView { name: param_name(&f.name), annotation });
    }
    let mut doc = s.doc.clone().unwrap_or_else(|| format!("The C struct `{}`, passed by value.", s.name));
    let lens: Vec<String> = s
        .fields
        .iter()
        .filter(|f| matches!(f.role, FieldRole::Len { .. }))
        .map(|f| format!("`{}`", f.name))
        .collect();
    if !lens.is_empty() {
        doc.push_str(&format!("\n\n{} are derived from the slices' lengths.", lens.join(", ")));
    }
    Ok(StructView { class_name: class_name.to_owned(), doc: docstring(&doc, 4), fields })
}

/// What the method body does with one struct argument.
#[derive(Debug, Clone, Default)]
pub struct StructLowering {
    /// Checks and conversions, run before the lock (one line each).
    pub prologue: Vec<String>,
    /// `(python bytes expression, size in bytes)` of each slice to copy into the persistent block.
    pub slices: Vec<(String, String)>,
    /// The image of the struct (pointer fields 0: see `fixups`): a Python expression of type
    /// bytes. `None` for a struct passed as its single scalar.
    pub image: Option<String>,
    /// `(byte offset of a pointer field in the image, number of the slice it points to)`.
    pub fixups: Vec<(u32, usize)>,
    /// For [`StructAbi::Direct`]: the scalar to pass.
    pub direct: Option<String>,
}

/// Lowers struct argument `name` (parameter index `param`) of type `s`; `first_slice` numbers
/// its slices among the method's (slice n gets its own region of the call's block).
pub fn lower_struct(s: &StructBinding, class: &str, name: &str, c_name: &str, param: usize, first_slice: usize) -> Result<StructLowering, String> {
    let mut out = StructLowering::default();
    out.prologue.push(format!("if not isinstance({name}, {class}):"));
    out.prologue.push(format!(
        "    raise TypeError(f\"{c_name}: expected {class}, got {{type({name}).__name__}}\")"
    ));
    let local = |k: usize| format!("_wb_s{param}_{k}");
    // Messages name a field as the Python user spells it (`inputs.pass_`, not the C `inputs.pass`).
    let field = |k: usize| format!("{name}.{}", param_name(&s.fields[k].name));
    let mut slice_index = vec![None; s.fields.len()];
    for (k, f) in s.fields.iter().enumerate() {
        let what = str_literal(&field(k));
        let attr = format!("{name}.{}", param_name(&f.name));
        match &f.role {
            FieldRole::Scalar { prim } => {
                let (lo, hi) = int_range(*prim).ok_or_else(|| format!("field `{}` is not an integer", f.name))?;
                out.prologue.push(format!("{} = _wb_int({attr}, {what}, {lo}, {hi})", local(k)));
            }
            FieldRole::InSlice { elem: e, .. } => {
                let conv = match elem(*e).and_then(|e| e.code) {
                    None => format!("_wb_bytes({attr}, {what})"),
                    Some(code) => format!("_wb_elems({attr}, {what}, \"{code}\", None)"),
                };
                out.prologue.push(format!("{} = {conv}", local(k)));
                slice_index[k] = Some(first_slice + out.slices.len());
                out.slices.push((local(k), format!("len({})", local(k))));
            }
            FieldRole::Len { .. } => {}
        }
    }
    // Derived lengths: element counts of the slices they size (equal when several).
    for (k, f) in s.fields.iter().enumerate() {
        let FieldRole::Len { prim, sizes } = &f.role else { continue };
        let (lo, hi) = int_range(*prim).ok_or_else(|| format!("field `{}` is not an integer", f.name))?;
        let count = |j: usize| {
            let size = match &s.fields[j].role {
                FieldRole::InSlice { elem: e, .. } => elem(*e).map_or(1, |e| e.size),
                _ => 1,
            };
            if size == 1 { format!("len({})", local(j)) } else { format!("len({}) // {size}", local(j)) }
        };
        let first = *sizes.first().ok_or_else(|| format!("field `{}` sizes nothing", f.name))?;
        out.prologue.push(format!("{} = _wb_int({}, {}, {lo}, {hi})", local(k), count(first), str_literal(&field(k))));
        for &j in &sizes[1..] {
            out.prologue.push(format!("if {} != {}:", count(j), local(k)));
            out.prologue.push(format!(
                "    raise ValueError(\"{}: must have as many elements as {}\")",
                field(j), field(first)
            ));
        }
    }
    match s.abi {
        StructAbi::Direct(_) => {
            let k = s.fields.iter().position(|f| matches!(f.role, FieldRole::Scalar { .. }))
                .ok_or_else(|| format!("struct `{}` passed as a scalar has no scalar field", s.name))?;
            out.direct = Some(local(k));
        }
        StructAbi::Indirect => {
            let mut items = Vec::new();
            for (k, f) in s.fields.iter().enumerate() {
                let (size, signed, value) = match &f.role {
                    FieldRole::Scalar { prim } | FieldRole::Len { prim, .. } => (prim.size(), prim.is_signed(), local(k)),
                    FieldRole::InSlice { .. } => {
                        let n = slice_index[k].ok_or_else(|| format!("field `{}` has no slice", f.name))?;
                        out.fixups.push((f.offset, n));
                        (4, false, "0".to_owned())
                    }
                };
                items.push(format!("({}, {size}, {}, {value})", f.offset, if signed { "True" } else { "False" }));
            }
            out.image = Some(format!("_wb_pack({}, {})", s.size, super::lower::tuple(&items)));
        }
    }
    Ok(out)
}
