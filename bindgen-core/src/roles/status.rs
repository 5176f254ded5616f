//! The module's status rule (`[module] status = { ok = [...], message = "..." }`): several
//! success codes and a message read from another call, applied to every function whose return
//! is a status (`return = "status"`, `WB_STATUS`, `int_returns = "status"`). Used by `roles::bind`.
//!
//! Rules: each `ok` entry is an integer or an integer constant / enum value of the headers that
//! fits `int` (default `[0]`); `message` names a function of the headers taking one parameter and
//! returning a `const char *`. When that parameter is a pointer, a status function gets the
//! message call when one of its own parameters has that parameter's C type (the first such one:
//! SQLite's `sqlite3 *db`), else no message. When it is an integer, the message function explains
//! codes (`ZSTD_getErrorName(size_t code)`, `strerror(int)`): it is given the failed value itself,
//! for the status functions and for the errors of `nonneg` / `positive` / `filled(p)` returns,
//! whenever the value's core type (i32 or i64) is the parameter's. `via` lists functions taking
//! one pointer and returning the pointer the message
//! function takes (`sqlite3_db_handle(sqlite3_stmt *) -> sqlite3 *`): a status function with no
//! parameter of the message function's type but one of a `via` function's parameter type gets its
//! message through it (`sqlite3_errmsg(sqlite3_db_handle(pStmt))` for `sqlite3_step`). The default
//! rule (`[0]`, no message) leaves `Ret::Status` as it is.

use crate::config::{Config, StatusCode};
use crate::diag::Diagnostic;
use crate::ir::{CType, Header};
use crate::model::{FnBinding, FollowCall, Ret, StatusRule};

/// The module rule, resolved against the headers.
pub(super) struct ModuleStatus {
    /// Success codes, sorted, no duplicates.
    ok: Vec<i64>,
    /// The message function and the C type of its one parameter (a pointer, or an integer: a
    /// code).
    message: Option<(String, CType)>,
    /// `via` functions and the C type of their one parameter.
    via: Vec<(String, CType)>,
}

/// Resolves `[module] status`; `None` when absent or trivial (only 0, no message), or when an
/// error was reported.
pub(super) fn module_rule(
    header: &Header,
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) -> Option<ModuleStatus> {
    let rule = config.module.status.as_ref()?;
    let resolved = ok_codes(header, &rule.ok).and_then(|ok| {
        let message = match &rule.message {
            None => None,
            Some(name) => Some(message_fn(header, name)?),
        };
        let want = message
            .as_ref()
            .map(|(_, t)| t)
            .filter(|t| t.prim().is_none());
        let via = rule
            .via
            .iter()
            .map(|name| via_fn(header, name, want))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(ModuleStatus { ok, message, via })
    });
    match resolved {
        Ok(m) if m.ok == [0] && m.message.is_none() => None,
        Ok(m) => Some(m),
        Err((msg, help)) => {
            let at = super::spec::config_loc(config, "module", Some("status"));
            diags.push(
                Diagnostic::at(&at, format!("config `module.status`: {msg}"))
                    .help(help.to_string()),
            );
            None
        }
    }
}

/// What is wrong with a `module.status` entry, and the fix.
type Problem = (String, &'static str);

/// The success codes, sorted, no duplicates (`[0]` when none are given).
fn ok_codes(header: &Header, codes: &[StatusCode]) -> Result<Vec<i64>, Problem> {
    let mut ok = Vec::new();
    for code in codes {
        let value = match code {
            StatusCode::Int(v) => Some(i128::from(*v)),
            StatusCode::Name(n) => header
                .constants
                .iter()
                .find(|c| &c.name == n)
                .map(|c| c.value)
                .or_else(|| {
                    header
                        .enums
                        .iter()
                        .flat_map(|e| &e.variants)
                        .find(|(name, _)| name == n)
                        .map(|v| v.1)
                }),
        };
        let Some(v) = value.and_then(|v| i32::try_from(v).ok()) else {
            return Err((
                format!("`{code:?}` is not an `int` value nor the name of an integer constant of the headers"),
                "ok lists the success codes: integers or #define / enum names, e.g. ok = [\"SQLITE_OK\", \"SQLITE_ROW\", \"SQLITE_DONE\"]",
            ));
        };
        ok.push(i64::from(v));
    }
    if ok.is_empty() {
        ok.push(0);
    }
    ok.sort_unstable();
    ok.dedup();
    Ok(ok)
}

/// The message function `name` and the C type of its one parameter.
fn message_fn(header: &Header, name: &str) -> Result<(String, CType), Problem> {
    match header.functions.iter().find(|g| g.name == name) {
        Some(g)
            if g.params.len() == 1
                && super::follow::string_ret(&g.ret).is_ok()
                && (matches!(g.params[0].ty, CType::Pointer { .. })
                    || g.params[0].ty.prim().is_some_and(|p| p.is_integer() && p != crate::ir::Prim::Bool)) =>
        {
            Ok((name.to_string(), g.params[0].ty.clone()))
        }
        Some(g) => Err((
            format!("`{name}` ({}) does not take one pointer or integer parameter and return a `const char *`", g.loc),
            "message names a function like `const char *sqlite3_errmsg(sqlite3 *)` (given the call's handle) or `const char *ZSTD_getErrorName(size_t code)` (given the failed value): just its name",
        )),
        None => Err((
            format!("`{name}` is not a function of the bound headers"),
            "message is the name of the function returning a failed call's message, e.g. message = \"sqlite3_errmsg\"",
        )),
    }
}

/// The `via` function `name` (returning `want`, the message function's parameter type) and the C
/// type of its one parameter.
fn via_fn(header: &Header, name: &str, want: Option<&CType>) -> Result<(String, CType), Problem> {
    match header.functions.iter().find(|g| g.name == name) {
        Some(g) if g.params.len() == 1 && want.is_some_and(|t| same_handle_type(&g.ret, t)) => {
            Ok((name.to_string(), g.params[0].ty.clone()))
        }
        Some(g) => Err((
            format!("via: `{name}` ({}) does not take one parameter and return the pointer type `message` takes", g.loc),
            "via names functions like `sqlite3 *sqlite3_db_handle(sqlite3_stmt *)`, and needs `message`",
        )),
        None => Err((
            format!("via: `{name}` is not a function of the bound headers"),
            "via lists functions returning the message function's argument, e.g. via = [\"sqlite3_db_handle\"]",
        )),
    }
}

/// The message call given the failed value, when `message` explains codes and takes a value of
/// the core width of `returned` (the bound function's C return type).
fn code_call(message: &Option<(String, CType)>, returned: crate::ir::Prim) -> Option<FollowCall> {
    let (func, ty) = message.as_ref()?;
    let code = ty.prim()?;
    (code.size().max(4) == returned.size().max(4)).then(|| FollowCall {
        func: func.clone(),
        args: Vec::new(),
        ret: crate::ir::Prim::U32,
        code: Some(code),
    })
}

/// Gives `b` the module rule when its return is a plain status, and the code message to the
/// errors of its `nonneg` / `positive` / `filled(p)` return.
pub(super) fn apply(b: &mut FnBinding, rule: &ModuleStatus) {
    match &b.ret {
        Ret::Checked { prim, .. } | Ret::FilledLen { prim, .. } => {
            b.error_message = code_call(&rule.message, *prim);
            return;
        }
        Ret::Status => {}
        _ => return,
    }
    let call = |func: &str, index: Option<usize>| FollowCall {
        func: func.to_string(),
        args: index
            .map(|i| (i, b.params[i].name.clone()))
            .into_iter()
            .collect(),
        ret: crate::ir::Prim::U32,
        code: None,
    };
    let find = |ty: &CType| {
        b.params
            .iter()
            .position(|p| same_handle_type(&p.c_type, ty))
    };
    let (mut message, mut via) = (None, None);
    if let Some(code) = code_call(&rule.message, crate::ir::Prim::I32) {
        message = Some(code);
    } else if let Some((func, ty)) = rule.message.as_ref().filter(|(_, t)| t.prim().is_none()) {
        if let Some(i) = find(ty) {
            message = Some(call(func, Some(i)));
        } else if let Some((v, i)) = rule.via.iter().find_map(|(v, t)| Some((v, find(t)?))) {
            message = Some(call(func, None));
            via = Some(call(v, Some(i)));
        }
    }
    let rule = StatusRule {
        ok: rule.ok.clone(),
        message,
        via,
        returns_code: rule.ok.len() > 1,
    };
    b.ret = Ret::Codes(Box::new(rule));
}

/// A parameter of type `have` can be passed to the message function's parameter of type `want`:
/// the same pointer type (a `const` pointee accepting a non-const one).
fn same_handle_type(have: &CType, want: &CType) -> bool {
    match (have, want) {
        (
            CType::Pointer {
                pointee: a,
                pointee_const: ca,
            },
            CType::Pointer {
                pointee: b,
                pointee_const: cb,
            },
        ) => (!*ca || *cb) && a == b,
        _ => false,
    }
}
