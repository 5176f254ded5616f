//! Step 5 of role inference: what a function's return value means (void, status, value, checked
//! value, filled length, string), from its C type and the explicit `return` spec. Used by `infer`.

use crate::diag::Diagnostic;
use crate::ir::{Function, Prim};
use crate::model::{Decision, ErrorRule, Ret};

use super::infer::{Ctx, RetShape};
use super::spec::{FunctionSpecs, RetSpec, DEFAULT_STR_MAX};

/// Step 5.
pub(super) fn decide_return(
    f: &Function,
    specs: &FunctionSpecs,
    shape: &RetShape,
    ctx: &Ctx<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Option<(Ret, Decision)> {
    let mut fail = |msg: String, help: &str| {
        diags.push(Diagnostic::at(&f.loc, msg).help(help.to_string()));
        None
    };
    let ex = specs.ret.as_ref();
    let src = || ex.map(|e| e.source()).unwrap_or_default();
    match (shape, ex.map(|e| &e.spec)) {
        (RetShape::Void, None) => Some((Ret::Void, Decision::Rule("void"))),
        (RetShape::Void, Some(_)) => fail(format!("`{}` returns void, but {} gives its return a meaning", f.name, src()), "remove it"),
        (RetShape::CStr, None) => Some((Ret::Str { max_len: DEFAULT_STR_MAX }, Decision::Rule("string-return"))),
        (RetShape::CStr | RetShape::BytePtr { text_ok: true }, Some(RetSpec::Str(n))) => Some((Ret::Str { max_len: *n }, ex?.decision.clone())),
        (RetShape::CStr | RetShape::BytePtr { text_ok: true }, Some(RetSpec::NullableStr(n))) => {
            Some((Ret::NullableStr { max_len: *n }, ex?.decision.clone()))
        }
        (RetShape::CStr | RetShape::BytePtr { .. }, Some(RetSpec::Data { len, text, nullable })) => {
            match super::follow::data_ret(f, ctx.header, len, *text, *nullable) {
                Ok(ret) => Some((ret, ex?.decision.clone())),
                Err((why, help)) => fail(format!("`{}`: {}: {why}", f.name, src()), help),
            }
        }
        (RetShape::BytePtr { .. }, Some(_)) => fail(
            format!("`{}` returns {}, but {} does not read it as a string or data", f.name, f.ret, src()),
            "a `const void *` return is `bytes(<length call>)`; a `const unsigned char *` also `text(<length call>)` or `str`",
        ),
        (RetShape::BytePtr { .. }, None) => fail(
            format!("`{}` returns {}, which needs a return spec", f.name, f.ret),
            "say what it points to: return = \"bytes(<length call>)\"",
        ),
        (RetShape::CStr, Some(_)) => fail(
            format!("`{}` returns {}, but {} reads it as an integer", f.name, f.ret, src()),
            "a returned `const char *` is a string: use `str` or `str(<max bytes>)`, or remove it",
        ),
        (RetShape::Other(t), _) => fail(
            format!("`{}` returns `{t}`, but {} reads it as a string or data", f.name, src()),
            "`str` needs a `const char *` (or `const unsigned char *`) return, `bytes(...)` a `const void *` or `const unsigned char *`; remove it",
        ),
        (RetShape::Int(_) | RetShape::Float(_), _) => number_return(f, specs, shape, ctx, diags),
    }
}

/// Step 5 for an integer or floating-point return: a value, a status, a checked or filled count.
fn number_return(
    f: &Function,
    specs: &FunctionSpecs,
    shape: &RetShape,
    ctx: &Ctx<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Option<(Ret, Decision)> {
    let mut fail = |msg: String, help: &str| {
        diags.push(Diagnostic::at(&f.loc, msg).help(help.to_string()));
        None
    };
    let ex = specs.ret.as_ref();
    let src = || ex.map(|e| e.source()).unwrap_or_default();
    match (shape, ex.map(|e| &e.spec)) {
        (RetShape::Int(_) | RetShape::Float(_), Some(RetSpec::NullableStr(_) | RetSpec::Data { .. })) => fail(
            format!("`{}` returns {}, but {} reads it as a pointer to data", f.name, f.ret, src()),
            "`str, nullable`, `bytes(...)` and `text(...)` need a `const` pointer return; remove it",
        ),
        (RetShape::Int(_), Some(RetSpec::Str(_))) => fail(
            format!("`{}` returns {}, but {} reads it as a string", f.name, f.ret, src()),
            "`str` needs a `const char *` return; remove it",
        ),
        (RetShape::Int(p), Some(RetSpec::Status)) => {
            if p.size() <= 4 {
                Some((Ret::Status, ex?.decision.clone()))
            } else {
                fail(
                    format!("`{}` returns {}, but {} reads it as a status (an `int`)", f.name, f.ret, src()),
                    "status returns must be 32-bit integers; use `value`",
                )
            }
        }
        (RetShape::Int(Prim::Bool), Some(RetSpec::Checked(ErrorRule::Negative))) => fail(
            format!("`{}` returns {}, so {} (`nonneg`: negative values are errors) can never fail", f.name, f.ret, src()),
            "use `value`, or `positive` if false means failure",
        ),
        (RetShape::Int(p), Some(RetSpec::Checked(rule))) => Some((Ret::Checked { prim: *p, error: *rule }, ex?.decision.clone())),
        // An enum is a status or a kind, never a count of elements written.
        (RetShape::Int(_), Some(RetSpec::Filled(out, _))) if matches!(f.ret, crate::ir::CType::Enum { .. }) => fail(
            format!("`{}` returns {}, an enum, but {} reads it as the count written into `{out}`", f.name, f.ret, src()),
            &format!("an enum return is a status: `status`, or a `[module] status` rule; if the count written comes back through a pointer (`size_t *actual_out_nbytes`), put `filled({out})` on that parameter"),
        ),
        // The buffer index is filled in once the roles are known.
        (RetShape::Int(p), Some(RetSpec::Filled(_, rule))) => {
            Some((Ret::FilledLen { prim: *p, buffer: usize::MAX, error: *rule }, ex?.decision.clone()))
        }
        (RetShape::Int(p), Some(RetSpec::Value)) => Some((Ret::Value(*p), ex?.decision.clone())),
        (RetShape::Int(Prim::I32), None) if ctx.int_returns_status && spelled_int(&f.ret) => {
            Some((Ret::Status, Decision::Config { key: "module.int_returns".into() }))
        }
        (RetShape::Int(p), None) => Some((Ret::Value(*p), Decision::Rule("integer-return"))),
        (RetShape::Float(p), None) => Some((Ret::Value(*p), Decision::Rule("float-return"))),
        (RetShape::Float(p), Some(RetSpec::Value)) => Some((Ret::Value(*p), ex?.decision.clone())),
        (RetShape::Float(p), Some(_)) => fail(
            format!("`{}` returns `{}`, but {} gives it a meaning only integer returns can have", f.name, p.c_name(), src()),
            "remove it: a floating-point return is always a plain value",
        ),
        // Not a number: `decide_return` decides it.
        (RetShape::Void | RetShape::CStr | RetShape::BytePtr { .. } | RetShape::Other(_), _) => {
            decide_return(f, specs, shape, ctx, diags)
        }
    }
}

/// Whether a return type is what `module.int_returns` means by `int`: spelled `int` (or `signed`,
/// `signed int`), or a typedef of it other than the fixed-width value types of `<stdint.h>` and
/// `<stddef.h>` (`int32_t`, `int_least32_t`, `int_fast32_t`, `intptr_t`, `ptrdiff_t`, `ssize_t`):
/// `typedef int status_t` is a status like `int`, `int32_t sum(...)` is a value.
pub(super) fn spelled_int(ty: &crate::ir::CType) -> bool {
    match ty {
        crate::ir::CType::Prim { typedef: None, .. } => true,
        crate::ir::CType::Prim {
            typedef: Some(name),
            ..
        } => !matches!(
            name.as_str(),
            "int32_t" | "int_least32_t" | "int_fast32_t" | "intptr_t" | "ptrdiff_t" | "ssize_t"
        ),
        _ => false,
    }
}
