//! Returns read with the help of a second call, and nullable strings: the return vocabulary
//! `bytes(CALL)`, `text(CALL)`, `str, nullable` (each data form optionally `, nullable`), and the
//! resolution of a call's text (`sqlite3_column_bytes(pStmt, iCol)`) into a [`FollowCall`]. Used
//! by `spec` (parsing), `returns` (step 5) and `status` (the message call).
//!
//! Rules for a follow call: the text is one call (parsed by `expr`) whose arguments are parameter
//! names of the bound function; the callee is another function of the bound headers taking
//! exactly those arguments, each of its parameters of the same C type as the argument forwarded
//! to it (`const` on a pointee may be added, never dropped; typedef spellings of one integer type
//! agree). The plan then checks that each forwarded argument is a value the host knows.

use crate::ir::{CType, Function, Header, Prim};
use crate::model::FollowCall;

use super::expr::{self, Syntax};
use super::spec::{call_arg, RetSpec, DEFAULT_STR_MAX};

/// `str, nullable`, `str(N), nullable`, `bytes(CALL)[, nullable]`, `text(CALL)[, nullable]`;
/// `Ok(None)` for any other text (the rest of the vocabulary).
pub(super) fn parse_nullable_ret(t: &str) -> Result<Option<RetSpec>, String> {
    let (body, nullable) = match t.rsplit_once(',') {
        Some((body, last)) if last.trim() == "nullable" => (body.trim(), true),
        _ => (t, false),
    };
    for (word, text) in [("bytes", false), ("text", true)] {
        if let Some(inner) = call_arg(body, word) {
            let len = inner.trim();
            if len.is_empty() {
                return Err(format!("`{t}`: {word}(...) takes the call that returns the length, e.g. {word}(sqlite3_column_bytes(pStmt, iCol))"));
            }
            return Ok(Some(RetSpec::Data {
                len: len.to_string(),
                text,
                nullable,
            }));
        }
    }
    if !nullable {
        return Ok(None);
    }
    if body == "str" {
        return Ok(Some(RetSpec::NullableStr(DEFAULT_STR_MAX)));
    }
    if let Some(n) = call_arg(body, "str") {
        let n: u32 = n
            .trim()
            .parse()
            .ok()
            .filter(|&n| n > 0)
            .ok_or_else(|| format!("`{t}`: str(N) takes a positive byte count"))?;
        return Ok(Some(RetSpec::NullableStr(n)));
    }
    // Another word's `, nullable` (or an unknown one): the rest of the vocabulary decides.
    Ok(None)
}

/// Whether `callee`'s parameter type `want` accepts the argument type `have`: the same type, up
/// to typedef spellings of an integer and `const` added to a pointee.
fn same_type(have: &CType, want: &CType) -> bool {
    match (have, want) {
        (CType::Prim { prim: a, .. }, CType::Prim { prim: b, .. }) => a == b,
        (CType::Enum { repr: a, .. }, CType::Prim { prim: b, .. })
        | (CType::Prim { prim: a, .. }, CType::Enum { repr: b, .. }) => a == b,
        (
            CType::Pointer {
                pointee: a,
                pointee_const: ca,
            },
            CType::Pointer {
                pointee: b,
                pointee_const: cb,
            },
        ) => (!*ca || *cb) && same_type(a, b),
        (a, b) => a == b,
    }
}

/// Resolves `text` (a call whose arguments are parameters of `f`) for `f`; the error says what
/// is wrong (the caller adds where). `ret_ok` checks the callee's return type, returning the
/// `Prim` recorded in the model or the reason it does not fit.
pub(super) fn resolve(
    text: &str,
    f: &Function,
    header: &Header,
    ret_ok: impl Fn(&CType) -> Result<Prim, String>,
) -> Result<FollowCall, String> {
    let shown = expr::excerpt(text);
    let syntax = expr::parse(text).map_err(|e| format!("`{shown}`: {e}"))?;
    let Syntax::Call(func, args) = syntax else {
        return Err(format!(
            "`{shown}` is not a call: write the function and the parameters it takes, e.g. sqlite3_column_bytes(pStmt, iCol)"
        ));
    };
    if func == f.name {
        return Err(format!("`{func}` cannot call itself"));
    }
    let Some(callee) = header.functions.iter().find(|g| g.name == func) else {
        let names: Vec<&str> = header.functions.iter().map(|g| g.name.as_str()).collect();
        let hint = super::did_you_mean(&func, &names)
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        return Err(format!(
            "`{func}` is not a function of the bound headers{hint}"
        ));
    };
    if callee.params.len() != args.len() {
        return Err(format!(
            "`{func}` takes {} argument(s), {} given",
            callee.params.len(),
            args.len()
        ));
    }
    let mut out = Vec::new();
    for (want, arg) in callee.params.iter().zip(&args) {
        let Syntax::Name(name) = arg else {
            return Err(format!(
                "`{shown}`: each argument must be a parameter of `{}` (passed again as it was)",
                f.name
            ));
        };
        let Some(index) = f.params.iter().position(|p| &p.name == name) else {
            let names: Vec<&str> = f.params.iter().map(|p| p.name.as_str()).collect();
            let hint = super::did_you_mean(name, &names)
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            return Err(format!(
                "`{name}` is not a parameter of `{}`{hint}; parameters: {}",
                f.name,
                names.join(", ")
            ));
        };
        // The declared type: inference may bind a copy of `f` whose parameter types stand in for
        // others (library-owned handles), while the callee is compared with what C declares.
        let declared = header
            .functions
            .iter()
            .find(|g| g.name == f.name)
            .unwrap_or(f);
        let have = &declared.params.get(index).unwrap_or(&f.params[index]).ty;
        if !same_type(have, &want.ty) {
            return Err(format!(
                "`{name}` is a `{have}`, but `{func}`'s parameter `{}` is a `{}`",
                want.name, want.ty
            ));
        }
        out.push((index, name.clone()));
    }
    let ret =
        ret_ok(&callee.ret).map_err(|why| format!("`{func}` returns `{}`: {why}", callee.ret))?;
    Ok(FollowCall {
        code: None,
        func,
        args: out,
        ret,
    })
}

/// A `bytes(CALL)` / `text(CALL)` return of `f`, or (what is wrong, the fix).
pub(super) fn data_ret(
    f: &Function,
    header: &Header,
    len: &str,
    text: bool,
    nullable: bool,
) -> Result<crate::model::Ret, (String, &'static str)> {
    match resolve(len, f, header, integer_ret) {
        Ok(call) => Ok(crate::model::Ret::Data(Box::new(crate::model::DataRet {
            len: call,
            text,
            nullable,
        }))),
        Err(why) => Err((
            format!("the length call {why}"),
            "write the call that returns the data's length in bytes, with parameters of this function as its arguments, e.g. return = \"bytes(sqlite3_column_bytes(pStmt, iCol))\"",
        )),
    }
}

/// The return check of a length call: an integer.
pub(super) fn integer_ret(t: &CType) -> Result<Prim, String> {
    match t.prim() {
        Some(p) if p.is_integer() && p != Prim::Bool => Ok(p),
        _ => Err("a length must be an integer".into()),
    }
}

/// The return check of a message call: `const char *` (or `const unsigned char *`).
pub(super) fn string_ret(t: &CType) -> Result<Prim, String> {
    match t {
        CType::Pointer {
            pointee,
            pointee_const: true,
        } if matches!(pointee.prim(), Some(Prim::Char | Prim::U8 | Prim::I8)) => Ok(Prim::U32),
        _ => Err("a message function returns a NUL-terminated `const char *`".into()),
    }
}
