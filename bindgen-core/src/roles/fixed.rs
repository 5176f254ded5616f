//! Fixed argument values (`value(EXPR)` in the config or `WB_ROLE("value(...)")`): the parameter
//! leaves the host signature and the wrapper always passes the constant. Decided before the
//! shapes (`infer` step 1), so a parameter of a type nothing else binds (SQLite's
//! `void(*)(void*)` destructor, a `const char **pzTail`) can still be given a value.
//!
//! Rules: the parameter is an integer (or enum), a pointer, an array (a pointer once decayed) or
//! a function pointer; a float or a struct by value has no constant the generator can write. The
//! value is `NULL` (pointers only: 0), an integer literal with an optional leading `-`, or a
//! constant expression over the headers' integer `#define`s and enum values (`SQLITE_OK + 1`).
//! It must fit the parameter's C type; a pointer takes `-2^31 ..= 2^32 - 1` (its 32 bits:
//! `(sqlite3_destructor_type)-1`, SQLite's `SQLITE_TRANSIENT`, is `value(-1)`). Cast macros such
//! as `SQLITE_TRANSIENT` itself are not integer constants the parser evaluates: the error says to
//! write the value.

use crate::diag::Diagnostic;
use crate::ir::{CType, Function, Header, Prim};
use crate::model::{Decision, Role};

use super::spec::{FunctionSpecs, ParamSpec};

/// Per parameter, its `Fixed` role when it has a `value(...)` spec; `None` when an error was
/// reported.
pub(super) fn fixed_roles(
    f: &Function,
    specs: &FunctionSpecs,
    header: &Header,
    diags: &mut Vec<Diagnostic>,
) -> Option<Vec<Option<(Role, Decision)>>> {
    let mut out = vec![None; f.params.len()];
    let mut ok = true;
    for (i, p) in f.params.iter().enumerate() {
        let Some(ex) = &specs.params[i] else { continue };
        let ParamSpec::Value(text) = &ex.spec else {
            continue;
        };
        match fixed(&p.ty, text, header) {
            Ok(role) => out[i] = Some((role, ex.decision.clone())),
            Err((why, help)) => {
                ok = false;
                diags.push(
                    Diagnostic::at(
                        &p.loc,
                        format!(
                            "`value({})` on parameter `{}` ({}) of `{}` ({}): {why}",
                            super::expr::excerpt(text),
                            p.name,
                            p.ty,
                            f.name,
                            ex.source()
                        ),
                    )
                    .help(help),
                );
            }
        }
    }
    ok.then_some(out)
}

/// The role for a parameter of type `ty` given `value(text)`, or (what is wrong, the fix).
fn fixed(ty: &CType, text: &str, header: &Header) -> Result<Role, (String, String)> {
    let (prim, pointer) =
        match ty {
            CType::Pointer { .. } | CType::FnPtr(_) | CType::Array { .. } => (Prim::U32, true),
            t if t.is_integer() => (t.prim().unwrap_or(Prim::I32), false),
            t => return Err((
                format!("a `{t}` has no constant the wrapper can pass"),
                "value(...) goes on an integer, pointer or function-pointer parameter; remove it"
                    .into(),
            )),
        };
    let t = text.trim();
    let value: i128 = if t == "NULL" {
        if !pointer {
            return Err((
                "NULL is a pointer, and this parameter is an integer".into(),
                "write an integer, e.g. value(0)".into(),
            ));
        }
        0
    } else {
        let (negative, body) = match t.strip_prefix('-') {
            Some(rest) => (true, rest.trim()),
            None => (false, t),
        };
        let v = constant(body, header).map_err(|why| {
            (
                why,
                "write an integer (`value(-1)`), `value(NULL)` for a pointer, or an integer constant of the headers; a cast macro like SQLITE_TRANSIENT is written as its value, value(-1)".to_string(),
            )
        })?;
        let v = i128::from(v);
        if negative {
            -v
        } else {
            v
        }
    };
    let (lo, hi): (i128, i128) = if pointer {
        (-(1 << 31), (1 << 32) - 1)
    } else {
        let hi = prim.max_value().unwrap_or(0) as i128;
        (if prim.is_signed() { -hi - 1 } else { 0 }, hi)
    };
    if !(lo..=hi).contains(&value) {
        let what = if pointer {
            "a 32-bit pointer".to_string()
        } else {
            format!("`{}`", prim.c_name())
        };
        return Err((
            format!("{value} does not fit {what} ({lo} ..= {hi})"),
            format!("give a value in {lo} ..= {hi}"),
        ));
    }
    // A pointer's -1 is the address 0xFFFFFFFF (what C passes for `(T *)-1`).
    let value = if pointer && value < 0 {
        value + (1 << 32)
    } else {
        value
    };
    Ok(Role::Fixed {
        value,
        prim,
        pointer,
    })
}

/// The value of a constant expression (literals, `#define`s, enum values, `+ - * /`).
fn constant(text: &str, header: &Header) -> Result<i64, String> {
    let syntax = super::expr::parse(text)?;
    let e = super::expr::resolve(&syntax, "value(...)", &[], None, header)?;
    match super::expr::fold_constant(&e) {
        Some(v) => Ok(v),
        None => Err(format!("`{text}` is not a constant")),
    }
}
