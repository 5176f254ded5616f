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
use super::types::{elem, float_code, int_range};
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
            FieldRole::Scalar { prim } if prim.is_float() => "float".to_owned(),
            FieldRole::Scalar { .. } => "int".to_owned(),
            FieldRole::InSlice { elem: e, .. } => match elem(*e).and_then(|e| e.code) {
                None => "Buffer".to_owned(),
                Some(_) if e.is_float() => "FloatArray".to_owned(),
                Some(_) => "IntArray".to_owned(),
            },
            FieldRole::Len { .. } => continue,
        };
        fields.push(StructFieldView {
            name: param_name(&f.name),
            annotation,
        });
    }
    let mut doc = s
        .doc
        .clone()
        .unwrap_or_else(|| format!("The C struct `{}`, passed by value.", s.name));
    let lens: Vec<String> = s
        .fields
        .iter()
        .filter(|f| matches!(f.role, FieldRole::Len { .. }))
        .map(|f| format!("`{}`", f.name))
        .collect();
    if !lens.is_empty() {
        doc.push_str(&format!(
            "\n\n{} are derived from the slices' lengths.",
            lens.join(", ")
        ));
    }
    Ok(StructView {
        class_name: class_name.to_owned(),
        doc: docstring(&doc, 4),
        fields,
    })
}

/// The checks of one struct argument, described for `templates/python/steps.py.j2`: its type,
/// then each field converted into a local (`_wb_s<param>_<field>`), then the derived lengths.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StructCheck {
    /// The argument's local.
    pub name: String,
    /// The dataclass.
    pub class: String,
    /// The parameter's C name, escaped for an f-string.
    pub c_name: String,
    /// The fields the host value carries, in C order.
    pub fields: Vec<FieldConv>,
    /// The derived lengths, in C order.
    pub lens: Vec<FieldLen>,
}

/// One field converted into its local.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldConv {
    /// The local.
    pub local: String,
    /// The attribute read (`inputs.pass_`).
    pub attr: String,
    /// The field as the user spells it, a string literal (for messages).
    pub what: String,
    /// How it is converted.
    pub conv: FieldKind,
}

/// How a field is converted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FieldKind {
    /// An integer in `lo..=hi` (Python literals).
    Int {
        /// Lower bound.
        lo: String,
        /// Upper bound.
        hi: String,
    },
    /// A `float` / `double` (`_wb_float`).
    Float {
        /// The typecode (`f` or `d`).
        code: char,
    },
    /// A byte slice.
    Bytes,
    /// A slice of non-byte elements (`array` typecode).
    Elems {
        /// The typecode.
        code: char,
    },
}

/// A length field derived from the slices it sizes (all of the same element count).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldLen {
    /// The local.
    pub local: String,
    /// The element count of the first slice (an expression).
    pub count: String,
    /// The field as the user spells it, a string literal.
    pub what: String,
    /// Lower bound of its C type.
    pub lo: String,
    /// Upper bound of its C type.
    pub hi: String,
    /// The other slices it sizes: `(element count expression, message)`.
    pub same: Vec<[String; 2]>,
}

/// What the method body does with one struct argument.
#[derive(Debug, Clone)]
pub struct StructLowering {
    /// Its checks, run before the lock.
    pub check: StructCheck,
    /// `(python bytes expression, size in bytes)` of each slice to copy into the call's block.
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
pub fn lower_struct(
    s: &StructBinding,
    class: &str,
    name: &str,
    c_name: &str,
    param: usize,
    first_slice: usize,
) -> Result<StructLowering, String> {
    let local = |k: usize| format!("_wb_s{param}_{k}");
    // Messages name a field as the Python user spells it (`inputs.pass_`, not the C `inputs.pass`).
    let field = |k: usize| format!("{name}.{}", param_name(&s.fields[k].name));
    let mut check = StructCheck {
        name: name.to_owned(),
        class: class.to_owned(),
        c_name: c_name.to_owned(),
        fields: Vec::new(),
        lens: Vec::new(),
    };
    let mut slices = Vec::new();
    let mut slice_index = vec![None; s.fields.len()];
    for (k, f) in s.fields.iter().enumerate() {
        let conv = match &f.role {
            FieldRole::Scalar { prim } if prim.is_float() => FieldKind::Float {
                code: float_code(*prim).unwrap_or('d'),
            },
            FieldRole::Scalar { prim } => {
                let (lo, hi) = int_range(*prim)
                    .ok_or_else(|| format!("field `{}` is not an integer", f.name))?;
                FieldKind::Int { lo, hi }
            }
            FieldRole::InSlice { elem: e, .. } => {
                slice_index[k] = Some(first_slice + slices.len());
                slices.push((local(k), format!("len({})", local(k))));
                match elem(*e).and_then(|e| e.code) {
                    None => FieldKind::Bytes,
                    Some(code) => FieldKind::Elems { code },
                }
            }
            FieldRole::Len { .. } => continue,
        };
        check.fields.push(FieldConv {
            local: local(k),
            attr: field(k),
            what: str_literal(&field(k)),
            conv,
        });
    }
    check.lens = field_lens(s, &local, &field)?;
    let (image, fixups, direct) = passing(s, &local, &slice_index)?;
    Ok(StructLowering {
        check,
        slices,
        image,
        fixups,
        direct,
    })
}

/// Derived lengths: element counts of the slices they size (equal when several).
fn field_lens(
    s: &StructBinding,
    local: &dyn Fn(usize) -> String,
    field: &dyn Fn(usize) -> String,
) -> Result<Vec<FieldLen>, String> {
    let mut out = Vec::new();
    for (k, f) in s.fields.iter().enumerate() {
        let FieldRole::Len { prim, sizes } = &f.role else {
            continue;
        };
        let (lo, hi) =
            int_range(*prim).ok_or_else(|| format!("field `{}` is not an integer", f.name))?;
        let count = |j: usize| {
            let size = match &s.fields[j].role {
                FieldRole::InSlice { elem: e, .. } => elem(*e).map_or(1, |e| e.size),
                _ => 1,
            };
            if size == 1 {
                format!("len({})", local(j))
            } else {
                format!("len({}) // {size}", local(j))
            }
        };
        let first = *sizes
            .first()
            .ok_or_else(|| format!("field `{}` sizes nothing", f.name))?;
        let same = sizes[1..]
            .iter()
            .map(|&j| {
                [
                    count(j),
                    format!(
                        "{}: must have as many elements as {}",
                        field(j),
                        field(first)
                    ),
                ]
            })
            .collect();
        out.push(FieldLen {
            local: local(k),
            count: count(first),
            what: str_literal(&field(k)),
            lo,
            hi,
            same,
        });
    }
    Ok(out)
}

/// How the struct is passed: its image with the pointer fields to patch, or its single scalar.
#[allow(clippy::type_complexity)]
fn passing(
    s: &StructBinding,
    local: &dyn Fn(usize) -> String,
    slice_index: &[Option<usize>],
) -> Result<(Option<String>, Vec<(u32, usize)>, Option<String>), String> {
    if let StructAbi::Direct(_) = s.abi {
        let k = s
            .fields
            .iter()
            .position(|f| matches!(f.role, FieldRole::Scalar { .. }))
            .ok_or_else(|| format!("struct `{}` passed as a scalar has no scalar field", s.name))?;
        return Ok((None, Vec::new(), Some(local(k))));
    }
    let mut items = Vec::new();
    let mut fixups = Vec::new();
    for (k, f) in s.fields.iter().enumerate() {
        let (size, signed, value) = match &f.role {
            FieldRole::Scalar { prim } if prim.is_float() => (
                prim.size(),
                format!("\"{}\"", float_code(*prim).unwrap_or('d')),
                local(k),
            ),
            FieldRole::Scalar { prim } | FieldRole::Len { prim, .. } => (
                prim.size(),
                if prim.is_signed() { "True" } else { "False" }.to_owned(),
                local(k),
            ),
            FieldRole::InSlice { .. } => {
                let n = slice_index[k].ok_or_else(|| format!("field `{}` has no slice", f.name))?;
                fixups.push((f.offset, n));
                (4, "False".to_owned(), "0".to_owned())
            }
        };
        items.push(format!("({}, {size}, {signed}, {value})", f.offset));
    }
    Ok((
        Some(format!(
            "_wb_pack({}, {})",
            s.size,
            super::lower::tuple(&items)
        )),
        fixups,
        None,
    ))
}
