//! checks: the `check:` warnings for roles that inference guessed where the C types alone do not
//! settle them. The function is bound; `gen` prints each check as a warning, `--explain` under the
//! function, each with the config line that confirms or corrects the guess (writing it silences
//! the check, since the role is then decided by the config, not by a rule).
//!
//! Derived from the model alone (what decided each role), so every entry point sees the same:
//! - `out-scalar-by-name`: an unsized `T *` named like one output (`min_out`) beside an input that
//!   has a size it could share;
//! - `out-struct-by-name`: a struct pointer named like an output (`stats_t *out`), taken as an
//!   output struct;
//! - `struct-pointer-guess`: a struct pointer taken for a handle with no sign in the header;
//! - `struct-pointer-fields`: a struct pointer taken for a handle though the struct has pointer
//!   fields, which a zeroed handle cannot set (a buffer descriptor the caller fills);
//! - a non-const buffer sized by a rule (`void reverse(uint64_t *values, size_t count)`) in a
//!   function with no other input, whose name does not say it is written (`out`, `dst`, ...):
//!   out or in/out cannot be told from the types;
//! - an output sized by the length of an input of another element type, or a `char *` output sized
//!   by an input (`hex(char *out, const uint8_t *d, size_t n)` with `n = "len_of(d, out)"`): a
//!   function writing a computed count (`2 * n + 1`) would overrun it, which `out(EXPR)` avoids;
//! - an integer return read as a plain value beside the one output buffer whose capacity the caller
//!   gives: often the count written (`ZSTD_compress`), which `filled(p)` would cut the output to;
//!   likewise an integer written through a pointer named like a count (`size_t *actual_out_nbytes`);
//! - library-owned handles (`roles::owned::checks`): borrowed defaults, and a function other than
//!   the destructor that takes only a handle and reads like it frees it (a double free).

use crate::ir::Prim;
use crate::model::{Decision, FnBinding, LenSource, Model, Role};

/// One guess the user should confirm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// The C function.
    pub function: String,
    /// The parameter the guess is about.
    pub param: String,
    /// Where the parameter is declared.
    pub loc: crate::ir::Loc,
    /// What was guessed, why it is a guess, and the config line that settles it.
    pub message: String,
}

/// Every check of the bound functions, in declaration order.
pub fn checks(model: &Model) -> Vec<Check> {
    model.functions.iter().flat_map(of_function).collect()
}

/// The checks of one bound function, in parameter order.
pub fn of_function(f: &FnBinding) -> Vec<Check> {
    let mut out = Vec::new();
    for (i, p) in f.params.iter().enumerate() {
        let entry = |role: &str| format!("`[functions.{}.params] {} = \"{role}\"`", f.name, p.name);
        let rule = match &p.decided_by {
            Decision::Rule(r) => *r,
            _ => continue,
        };
        let message = match (&p.role, rule) {
            (Role::OutScalar { prim }, "out-scalar-by-name") => format!(
                "`{}` ({}) of `{}` is taken as one {} the function writes, by its name, though an input beside it has a size it could share: {} confirms it; if it is an array, name its length with len_of",
                p.name, p.c_type, f.name, prim.c_name(), entry("out")
            ),
            (Role::OutStruct { struct_name, .. }, "out-struct-by-name") => format!(
                "`{}` ({}) of `{}` is taken as a `{struct_name}` the function fills, by its name, and returned: {} confirms it; {} if the function reads it first; {} if it is a context object kept between calls",
                p.name, p.c_type, f.name, entry("out"), entry("inout"), entry("handle")
            ),
            (Role::Handle { struct_name, .. }, "struct-pointer-fields") => format!(
                "`{}` ({}) of `{}` is taken for a handle (the host allocates a zeroed `{struct_name}` and passes it), but `{struct_name}` has pointer fields (data or function pointers) the host can neither set nor read: usable only with a handle the library itself fills; if the caller must fill it (a buffer descriptor such as zstd's `ZSTD_outBuffer`), the bindings cannot express it: `[functions.{}] skip = \"takes a {struct_name} the caller fills\"`; {} confirms the handle",
                p.name, p.c_type, f.name, f.name, entry("handle")
            ),
            (Role::Handle { .. }, "struct-pointer-guess") => format!(
                "`{}` ({}) of `{}` is taken for a handle (a context object the caller creates and passes), though nothing in the header says so (no other function takes it, no name reads like a context): {} confirms it; {} if the function fills it ({} if it reads it too)",
                p.name, p.c_type, f.name, entry("handle"), entry("out"), entry("inout")
            ),
            (Role::OutBuf { .. }, _) if !has_input(f, i) && crate::roles::outs::reads_like_a_source(&p.name) => format!(
                "`{}` ({}) of `{}` is taken as a pure output, zeroed before the call (a non-const pointer with a size, and nothing else the function takes is an input), but its name reads like an input: {} if the function only reads it, {} if it reads and writes it; {} confirms it",
                p.name, p.c_type, f.name, entry("in"), entry("inout"), entry("out")
            ),
            (Role::OutBuf { len, .. }, _)
                if !has_input(f, i) && !crate::roles::outs::reads_like_a_destination(&p.name) =>
            {
                format!(
                "`{}` ({}) of `{}` is taken as a pure output of `{}` elements, zeroed before the call; nothing else the function takes is an input, so it may as well read `{}` first: {} if it does, {} confirms it",
                p.name, p.c_type, f.name, f.params[*len].name, p.name, entry("inout"), entry("out")
            )
            }
            _ => continue,
        };
        out.push(check(f, i, message));
    }
    out.extend(sized_by_other_input(f));
    out.extend(count_return(f));
    out.extend(count_pointer(f));
    out.extend(crate::roles::owned::checks(f));
    out
}

/// The one output buffer whose capacity the caller gives, when no count cuts it yet: its index.
fn uncut_output(f: &FnBinding) -> Option<usize> {
    let mut outs = f.params.iter().enumerate().filter(|(_, p)| {
        matches!(p.role, Role::OutBuf { len, .. } if matches!(f.params[len].role, Role::Len { source: LenSource::Caller, .. }))
    });
    let (i, p) = outs.next()?;
    let cut = f.filled_by(i).is_some() || matches!(f.ret, crate::model::Ret::FilledLen { .. });
    (outs.next().is_none() && !cut && !crate::roles::outs::reads_like_a_source(&p.name))
        .then_some(i)
}

/// An integer written through a pointer (inferred out-scalar) beside the one output buffer whose
/// capacity the caller gives, named like a count of bytes (libdeflate's
/// `size_t *actual_out_nbytes_ret`): often the count written into it, which `filled(p)` on the
/// pointer would cut the output to, instead of returning the whole buffer and the count.
fn count_pointer(f: &FnBinding) -> Option<Check> {
    let i = uncut_output(f)?;
    let (q, _) = f.params.iter().enumerate().find(|(_, q)| {
        matches!(q.role, Role::OutScalar { prim } if prim.is_integer() && prim != Prim::Bool)
            && q.decided_by == Decision::Rule("out-scalar")
            && [
                "nbytes", "len", "size", "count", "written", "actual", "produced",
            ]
            .iter()
            .any(|w| q.name.to_ascii_lowercase().contains(w))
    })?;
    let (p, q) = (&f.params[i], &f.params[q]);
    Some(Check {
        function: f.name.clone(),
        param: q.name.clone(),
        loc: f.loc.clone(),
        message: format!(
            "`{}` ({}) of `{}` is returned as a value beside the output `{}`, whose capacity the caller gives: the whole buffer comes back with it; if it is the count written into `{}`, `[functions.{}.params] {} = \"filled({})\"` returns only those elements; `{} = \"out\"` confirms a plain value",
            q.name, q.c_type, f.name, p.name, p.name, f.name, q.name, p.name, q.name
        ),
    })
}

/// An integer return, read as a plain value by the rule, beside the one output buffer whose
/// capacity the caller gives: it is often the count written (`ZSTD_compress`, `snprintf`), which
/// `filled(p)` would cut the output to, instead of returning the whole buffer and the count.
fn count_return(f: &FnBinding) -> Option<Check> {
    let crate::model::Ret::Value(ret) = f.ret else {
        return None;
    };
    // An enum return is a status or a kind (libdeflate's `enum libdeflate_result`), not a count.
    if !ret.is_integer()
        || ret == Prim::Bool
        || f.ret_decided_by != Decision::Rule("integer-return")
        || f.ret_enum.is_some()
    {
        return None;
    }
    // One output, not cut by a count written through a pointer already.
    let i = uncut_output(f)?;
    let p = &f.params[i];
    Some(Check {
        function: f.name.clone(),
        param: p.name.clone(),
        loc: f.loc.clone(),
        message: format!(
            "`{}` returns {} beside the output `{}`, whose capacity the caller gives: the whole buffer comes back with the value; if the value is the count written into it, `[functions.{}] return = \"filled({})\"` returns only those elements (negative values as errors; `\"filled({}), positive\"` if 0 is an error too); `return = \"value\"` confirms a plain value",
            f.name, ret.c_name(), p.name, f.name, p.name, p.name
        ),
    })
}

fn check(f: &FnBinding, i: usize, message: String) -> Check {
    Check {
        function: f.name.clone(),
        param: f.params[i].name.clone(),
        loc: f.params[i].loc.clone(),
        message,
    }
}

/// True when a parameter other than `skip` carries data into the function.
fn has_input(f: &FnBinding, skip: usize) -> bool {
    f.params.iter().enumerate().any(|(k, q)| {
        k != skip
            && matches!(
                q.role,
                Role::InSlice { .. }
                    | Role::InArray { .. }
                    | Role::InOutArray { .. }
                    | Role::InOutBuf { .. }
                    | Role::InStr
                    | Role::StructIn { .. }
                    | Role::Handle { .. }
                    | Role::InOutScalar { .. }
                    | Role::OutStruct { inout: true, .. }
            )
    })
}

/// Outputs whose count is the length of an input of another element type, or `char *` outputs
/// sized by an input: text written from data (hex, base64) is rarely as long as the data.
fn sized_by_other_input(f: &FnBinding) -> Vec<Check> {
    let mut out = Vec::new();
    for (i, p) in f.params.iter().enumerate() {
        let (Role::OutBuf { elem, len } | Role::InOutBuf { elem, len }) = p.role else {
            continue;
        };
        let Role::Len {
            source: LenSource::Input(src),
            ..
        } = f.params[len].role
        else {
            continue;
        };
        let src_elem = f.params[src].role.elem();
        if src_elem == Some(elem) && elem != Prim::Char {
            continue;
        }
        let (n, d) = (&f.params[len].name, &f.params[src].name);
        out.push(check(f, i, format!(
            "`{}` ({}) of `{}` gets the element count of the input `{d}` ({}), through `{n}`: the function must write at most that many; if it writes a count computed from it (a hex string of `{d}` is `2 * {n} + 1` bytes with its NUL), write `[functions.{}.params] {} = \"out(2 * {n} + 1)\"` (your expression) and `{n} = \"len_of({d})\"` instead: a larger write would overrun its block",
            p.name, p.c_type, f.name, f.params[src].c_type, f.name, p.name
        )));
    }
    out
}
