//! "Capacity in, count out" (zlib's `uLongf *destLen` of `compress2`/`uncompress`): the spec
//! `capacity(dest)` / `capacity(dest) = EXPR` on a pointer to one integer makes it a
//! [`Role::Capacity`] and sizes `dest`, an output buffer, with it. Used by `spec` (parsing),
//! `infer` (checks), `sizes` (the buffer's size) and `assign` (the role, with its expression).
//!
//! Rules: the spec sits on a non-const pointer to one integer wider than a byte; it names one
//! non-const buffer pointer of the same function that no other size claims; the capacity comes
//! from the caller (an integer argument in the pointer's place, range-checked against the
//! pointee type) or from `EXPR` (resolved like every size expression: integer parameters,
//! constants, calls to integer functions of the headers, `compressBound(sourceLen)`).

use crate::model::{Decision, LenSource, Role};

use super::infer::Shape;
use super::spec::{is_ident, FunctionSpecs, ParamSpec};

/// `capacity(p)` / `capacity(p) = EXPR`; `Ok(None)` for any other text.
pub(super) fn parse_spec(t: &str) -> Result<Option<ParamSpec>, String> {
    let Some(rest) = t.strip_prefix("capacity") else {
        return Ok(None);
    };
    let bad = || {
        format!("`{t}`: capacity takes the output buffer's name, e.g. capacity(dest) or capacity(dest) = compressBound(sourceLen)")
    };
    let rest = rest.trim_start().strip_prefix('(').ok_or_else(bad)?;
    let (name, after) = rest.split_once(')').ok_or_else(bad)?;
    let name = name.trim();
    if !is_ident(name) {
        return Err(bad());
    }
    let after = after.trim();
    if after.is_empty() {
        return Ok(Some(ParamSpec::Capacity(name.to_string(), None)));
    }
    let expr = after.strip_prefix('=').ok_or_else(bad)?;
    Ok(Some(ParamSpec::Capacity(
        name.to_string(),
        Some(super::spec::nonempty(expr, t)?),
    )))
}

/// Step 2 for `capacity(p)` on parameter `i` (already a pointer to a wide integer): `p` must be
/// another non-const buffer pointer of `f`. `Some((what is wrong, the fix))` otherwise.
pub(super) fn target_error(
    f: &crate::ir::Function,
    i: usize,
    specs: &FunctionSpecs,
    shapes: &[Shape],
) -> Option<(String, String)> {
    let Some(ParamSpec::Capacity(name, _)) = specs.params[i].as_ref().map(|e| &e.spec) else {
        return None;
    };
    let Some(j) = f.params.iter().position(|p| &p.name == name) else {
        let names: Vec<&str> = f.params.iter().map(|p| p.name.as_str()).collect();
        return Some((
            format!("names `{name}`, which is not a parameter of `{}`", f.name),
            format!("parameters: {}", names.join(", ")),
        ));
    };
    match &shapes[j] {
        Shape::Buf {
            is_const: false, ..
        } if j != i && specs.params[j].as_ref().is_none_or(|e| {
            matches!(e.spec, ParamSpec::Out)
        }) => None,
        _ => Some((
            format!("names `{name}`, which is not an output buffer (a non-const `T *` without another role)"),
            "capacity names the buffer the function writes and whose capacity the integer holds".into(),
        )),
    }
}

/// Step 4: the `Capacity` role of parameter `i` (spec `capacity(p)`, `source_text` the optional
/// expression), once `p` is sized by it. `resolve` resolves an expression (reporting errors).
pub(super) fn role(
    f: &crate::ir::Function,
    shape: &Shape,
    buffer: &str,
    source: Option<crate::model::Expr>,
    decision: Decision,
) -> Option<(Role, Decision)> {
    let Shape::Buf { elem, .. } = shape else {
        return None;
    };
    let j = f.params.iter().position(|p| p.name == buffer)?;
    let source = match source {
        Some(e) => LenSource::Expr(e),
        None => LenSource::Caller,
    };
    Some((
        Role::Capacity {
            prim: *elem,
            buffer: j,
            source,
        },
        decision,
    ))
}
