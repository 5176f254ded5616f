//! Callback parameters in Python: the `Callable[...]` annotation, the `callable()` check, and the
//! entry `invoke_cb` receives (the runtime's section on callbacks describes the mechanism).

use crate::emit::python::names::str_literal;
use crate::emit::python::types::elem;
use crate::ir::Prim;
use crate::model::{CallbackSig, CbParam};

/// The Python type of one value a callable receives or returns.
fn py_type(p: Prim) -> &'static str {
    if matches!(p, Prim::F32 | Prim::F64) {
        "float"
    } else {
        "int"
    }
}

/// The `array` typecode of an element type (`B` for bytes).
fn code(p: Prim) -> char {
    elem(p).and_then(|e| e.code).unwrap_or('B')
}

/// `Callable[[int, bytes], int]`: what the caller passes for a callback.
pub(super) fn annotation(sig: &CallbackSig) -> String {
    let args: Vec<String> = sig
        .params
        .iter()
        .filter_map(|p| match p {
            CbParam::Scalar(p) | CbParam::Value(p) => Some(py_type(*p).to_string()),
            CbParam::InSlice { elem, .. } if code(*elem) == 'B' => Some("bytes".into()),
            CbParam::InSlice { elem, .. } => Some(format!("list[{}]", py_type(*elem))),
            CbParam::OutSlice { elem, .. } => {
                Some(format!("array.array[{}] | None", py_type(*elem)))
            }
            CbParam::User | CbParam::Len(_) => None,
        })
        .collect();
    let ret = sig.ret.map_or("None", py_type);
    format!("Callable[[{}], {ret}]", args.join(", "))
}

/// `("int", 32, True)`: how the runtime converts a scalar.
fn scalar_spec(p: Prim) -> String {
    match p {
        Prim::F32 | Prim::F64 => "(\"float\",)".into(),
        p => format!(
            "(\"int\", {}, {})",
            p.size() * 8,
            if p.is_signed() { "True" } else { "False" }
        ),
    }
}

/// The `invoke_cb` entry for callback `sig` at argument position `pos` of export `fn_index`,
/// parameter `param` (C name `c_name`, Python local `local`).
pub(super) fn entry(
    sig: &CallbackSig,
    pos: usize,
    fn_index: usize,
    param: usize,
    local: &str,
    c_name: &str,
) -> String {
    let params: Vec<String> = sig
        .params
        .iter()
        .map(|p| match p {
            CbParam::Scalar(p) => scalar_spec(*p),
            CbParam::User => "(\"user\",)".into(),
            CbParam::Len(_) => "(\"len\",)".into(),
            CbParam::Value(p) => format!("(\"value\", \"{}\", {})", code(*p), p.size().max(1)),
            CbParam::InSlice { elem, len } | CbParam::OutSlice { elem, len } => format!(
                "(\"{}\", \"{}\", {}, {len})",
                if matches!(p, CbParam::InSlice { .. }) {
                    "in"
                } else {
                    "out"
                },
                code(*elem),
                elem.size().max(1)
            ),
        })
        .collect();
    let ret = sig.ret.map_or("None".into(), scalar_spec);
    format!(
        "({pos}, ({fn_index}, {param}), \"{}\", {}, {ret}, {local}, {})",
        sig.core_text(),
        super::tuple(&params),
        str_literal(&format!("callback `{c_name}`"))
    )
}
