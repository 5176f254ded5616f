//! How C types travel through the generated Python: element typecodes, integer ranges, return
//! conversions. Used by `lower`, `structs`, `globals` and `exprs`.

use crate::ir::Prim;

/// How a C element type travels through Python.
#[derive(Debug, Clone, Copy)]
pub struct Elem {
    /// Bytes per element.
    pub size: u32,
    /// `array` typecode for non-byte elements; `None` for byte-like elements (`bytes` API).
    pub code: Option<char>,
    /// Python type of one element (for outputs of non-byte elements).
    pub py: &'static str,
}

pub fn elem(prim: Prim) -> Option<Elem> {
    let (code, py) = match prim {
        Prim::U8 | Prim::I8 | Prim::Char | Prim::Void => (None, "int"),
        Prim::Bool => (Some('B'), "int"),
        Prim::I16 => (Some('h'), "int"),
        Prim::U16 => (Some('H'), "int"),
        Prim::I32 => (Some('i'), "int"),
        Prim::U32 => (Some('I'), "int"),
        Prim::I64 => (Some('q'), "int"),
        Prim::U64 => (Some('Q'), "int"),
        Prim::F32 => (Some('f'), "float"),
        Prim::F64 => (Some('d'), "float"),
    };
    Some(Elem {
        size: prim.size().max(1),
        code,
        py,
    })
}

/// `(lo, hi)` of an integer C type, as Python literals.
pub fn int_range(prim: Prim) -> Option<(String, String)> {
    let hi = prim.max_value()?;
    Some(match prim {
        Prim::Bool => ("0".into(), "1".into()),
        _ if prim.is_signed() => (format!("-{}", hi + 1), format!("{hi}")),
        _ => ("0".into(), format!("{hi:#x}")),
    })
}

/// The `array` / `struct` typecode of a floating-point type (`None` for the others).
pub fn float_code(prim: Prim) -> Option<char> {
    match prim {
        Prim::F32 => Some('f'),
        Prim::F64 => Some('d'),
        _ => None,
    }
}

/// `(Python type, expression)` turning `raw`, a signed wasm result, into the C value of `prim`.
pub fn convert_raw(prim: Prim, raw: &str) -> Option<(&'static str, String)> {
    Some(match prim {
        Prim::Bool => ("bool", format!("{raw} != 0")),
        Prim::U8 | Prim::U16 | Prim::U32 | Prim::U64 => (
            "int",
            format!("{raw} & {:#x}", prim.max_value().unwrap_or_default()),
        ),
        // wasm sign-extends narrow signed returns into the i32; i32 / i64 arrive signed.
        Prim::Char | Prim::I8 | Prim::I16 | Prim::I32 | Prim::I64 => ("int", raw.to_owned()),
        // A float result arrives as a Python float, bits kept (`double` exactly; a `float` widened).
        Prim::F32 | Prim::F64 => ("float", raw.to_owned()),
        Prim::Void => return None,
    })
}
