//! How C types appear in the JavaScript back end: typed arrays, TypeScript types, integer bounds.

use crate::ir::Prim;

/// True when `prim` is carried as a JS `bigint` (64-bit integers).
pub fn is_big(prim: Prim) -> bool {
    prim.is_integer() && prim.size() == 8
}

/// The typed array holding elements of `prim` (bytes for 1-byte types).
pub fn typed_array(prim: Prim) -> &'static str {
    match prim {
        Prim::I8 => "Int8Array",
        Prim::I16 => "Int16Array",
        Prim::U16 => "Uint16Array",
        Prim::I32 => "Int32Array",
        Prim::U32 => "Uint32Array",
        Prim::I64 => "BigInt64Array",
        Prim::U64 => "BigUint64Array",
        Prim::F32 => "Float32Array",
        Prim::F64 => "Float64Array",
        _ => "Uint8Array",
    }
}

/// True for elements passed as bytes (`Uint8Array`, any `ArrayBufferView` accepted).
pub fn is_bytes(prim: Prim) -> bool {
    matches!(prim, Prim::U8 | Prim::Char | Prim::Bool | Prim::Void)
}

/// The TypeScript type of an input buffer of `prim`.
pub fn ts_in_buffer(prim: Prim) -> String {
    if is_bytes(prim) {
        "ArrayBufferView".into()
    } else if is_big(prim) {
        format!("{} | readonly bigint[]", typed_array(prim))
    } else {
        format!("{} | readonly number[]", typed_array(prim))
    }
}

/// The TypeScript type of a scalar of `prim`.
pub fn ts_scalar(prim: Prim) -> &'static str {
    if is_big(prim) {
        "bigint"
    } else {
        "number"
    }
}

/// `(lo, hi)` JS literals bounding `prim`, capped at `max` when given (bigint literals for 64-bit).
pub fn bounds(prim: Prim, max: Option<u64>) -> (String, String) {
    let hi = prim.max_value().unwrap_or(0);
    let hi = max.map_or(hi, |m| hi.min(u128::from(m)));
    let lo: i128 = if prim.is_signed() {
        -(prim.max_value().unwrap_or(0) as i128) - 1
    } else {
        0
    };
    if is_big(prim) {
        (format!("{lo}n"), format!("{hi}n"))
    } else {
        (lo.to_string(), hi.to_string())
    }
}

/// The check of a `float` / `double` argument `v` (the JS expression) named `what`: a number;
/// for `float`, a finite value that rounds to infinity is a RangeError.
pub fn float_check(prim: Prim, v: &str, what: &str) -> String {
    format!("__wbFloat({v}, \"{what}\", {})", prim == Prim::F32)
}

/// A JS expression turning the raw wasm result `v` into the value of C type `prim`.
pub fn from_core(prim: Prim, v: &str) -> String {
    match prim {
        Prim::U64 => format!("BigInt.asUintN(64, {v})"),
        Prim::I64 => v.to_string(),
        Prim::U32 => format!("({v} >>> 0)"),
        Prim::U16 => format!("({v} & 0xffff)"),
        Prim::U8 | Prim::Bool => format!("({v} & 0xff)"),
        Prim::I16 => format!("(({v} << 16) >> 16)"),
        Prim::I8 | Prim::Char => format!("(({v} << 24) >> 24)"),
        _ => v.to_string(),
    }
}

/// The `DataView` getter reading one `prim` (little-endian).
pub fn getter(prim: Prim) -> &'static str {
    match prim {
        Prim::I8 | Prim::Char => "getInt8",
        Prim::U8 | Prim::Bool => "getUint8",
        Prim::I16 => "getInt16",
        Prim::U16 => "getUint16",
        Prim::I32 => "getInt32",
        Prim::I64 => "getBigInt64",
        Prim::U64 => "getBigUint64",
        Prim::F32 => "getFloat32",
        Prim::F64 => "getFloat64",
        _ => "getUint32",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_and_conversions() {
        assert_eq!(bounds(Prim::U32, Some(64)), ("0".into(), "64".into()));
        assert_eq!(bounds(Prim::I8, None), ("-128".into(), "127".into()));
        assert_eq!(
            bounds(Prim::U64, None),
            ("0n".into(), "18446744073709551615n".into())
        );
        assert_eq!(from_core(Prim::U32, "r"), "(r >>> 0)");
        assert_eq!(typed_array(Prim::U8), "Uint8Array");
        assert_eq!(ts_in_buffer(Prim::I32), "Int32Array | readonly number[]");
    }
}
