//! Output parameters decided by name or by a struct pointer's use: output structs (`stats_t *out`),
//! handles with or without a sign in the header, and out-scalars named like one output
//! (`uint16_t *min_out`). Used by `assign` (struct pointers) and `sizes` (unsized integer
//! pointers); the `check:` warnings these guesses raise are written by `crate::checks`.
//!
//! A non-const pointer to a struct declared in the headers, with no annotation or config entry:
//! - named like an output (`out`, `result`, `res`, `*_out`, `out_*`, `*_result`: see
//!   [`reads_like_an_output`]) and pointing to a plain struct (integer fields only): an output
//!   struct (rule `out-struct-by-name`, with a `check:` warning);
//! - otherwise a handle: rule `struct-pointer` when the header gives a sign that it is a context
//!   object (a `const` pointer, the struct taken through a pointer by more than one function, or a
//!   parameter or struct name that reads like a context: `ctx`, `context`, `state`, `handle`,
//!   `session`, `stream`, ...), rule `struct-pointer-guess` (with a `check:` warning) when nothing
//!   says so.

use super::assign::Binder;
use super::spec::ParamSpec;
use crate::model::{Decision, Role};

/// True when a pointer parameter's name says it is what the function produces: the word `out`,
/// `result`, `res` or `ret` (words split at `_` and camelCase) next to at most one other word
/// that is not a buffer-like word (`buf`, `data`, `bytes`, a plural...): `out`, `result`,
/// `min_out`, `out_count`, `outLen`, `stats_result`; not `out_buf`, `out_values`, `output`.
pub(crate) fn reads_like_an_output(name: &str) -> bool {
    let words = crate::model::name_words(name);
    let is_out = |w: &str| matches!(w, "out" | "result" | "res" | "ret");
    let Some(at) = words.iter().position(|w| is_out(w)) else {
        return false;
    };
    let others: Vec<&String> = words
        .iter()
        .enumerate()
        .filter(|&(k, _)| k != at)
        .map(|(_, w)| w)
        .collect();
    match others[..] {
        [] => true,
        [w] => {
            let bufferish = [
                "buf", "buffer", "data", "bytes", "arr", "array", "vec", "list", "ptr", "str",
                "text", "mem",
            ];
            let plural = w.len() > 3 && w.ends_with('s') && !w.ends_with("ss");
            !(bufferish.contains(&w.as_str()) || plural)
        }
        _ => false,
    }
}

/// True when an unsized pointer to one integer reads like one output value: an output word
/// ([`reads_like_an_output`]) next to one other word (`min_out`, `out_count`, `outLen`), never a
/// bare `out` / `result`, which may as well be an array sharing an input's size.
pub(crate) fn reads_like_one_value(name: &str) -> bool {
    reads_like_an_output(name) && crate::model::name_words(name).len() == 2
}

/// True when a buffer's name says the function writes it (`out`, `output`, `dst`, `dest`,
/// `result`, `out_buf`): a sized non-const buffer so named is an output, not a guess.
pub(crate) fn reads_like_a_destination(name: &str) -> bool {
    crate::model::name_words(name).iter().any(|w| {
        matches!(
            w.as_str(),
            "out" | "output" | "dst" | "dest" | "result" | "res"
        )
    })
}

/// True when a parameter's name reads like data the function reads (`source`, `src`, `input`),
/// though its C type does not say so (bzip2's `char *source`): the twin of
/// [`reads_like_a_destination`], for `check:` warnings.
pub(crate) fn reads_like_a_source(name: &str) -> bool {
    crate::model::name_words(name).iter().any(|w| {
        matches!(
            w.as_str(),
            "src" | "source" | "in" | "input" | "inbuf" | "plain"
        )
    })
}

/// True when a name reads like a context object (`ctx`, `blake2b_ctx`, `LZ4_stream_t`, `state`).
fn reads_like_a_context(name: &str) -> bool {
    const CONTEXT: [&str; 12] = [
        "ctx", "context", "state", "st", "handle", "h", "session", "stream", "self", "obj",
        "instance", "engine",
    ];
    crate::model::name_words(name)
        .iter()
        .any(|w| CONTEXT.contains(&w.as_str()) || w.ends_with("ctx"))
}

/// The role of struct pointer `i` (`name`, `size`, `align` from its shape), see the module doc.
pub(super) fn struct_pointer_role(
    b: &Binder<'_>,
    i: usize,
    name: &str,
    size: u32,
    align: u32,
) -> (Role, Decision) {
    let p = &b.f.params[i];
    let handle = Role::Handle {
        struct_name: name.to_owned(),
        size,
        align,
    };
    let plain = super::structs::not_plain(name, b.structs).is_none();
    match (b.spec(i), b.own(i)) {
        (Some(ParamSpec::Out | ParamSpec::InOut), Some(d)) => {
            let inout = matches!(b.spec(i), Some(ParamSpec::InOut));
            return (out_struct(name, inout), d);
        }
        (_, Some(d)) => return (handle, d),
        _ => {}
    }
    let is_const = matches!(
        &p.ty,
        crate::ir::CType::Pointer {
            pointee_const: true,
            ..
        }
    );
    if !is_const && plain && reads_like_an_output(&p.name) {
        return (
            out_struct(name, false),
            Decision::Rule("out-struct-by-name"),
        );
    }
    let users = b
        .header
        .functions
        .iter()
        .filter(|g| {
            g.params.iter().any(|q| {
                matches!(&q.ty, crate::ir::CType::Pointer { pointee, .. }
                    if matches!(pointee.as_ref(), crate::ir::CType::Struct { name: n } if n == name))
            })
        })
        .count();
    let sign = is_const || users > 1 || reads_like_a_context(&p.name) || reads_like_a_context(name);
    let pointer_fields = unfilled_pointer_fields(b, name);
    let rule = match (sign, pointer_fields) {
        (_, true) => "struct-pointer-fields",
        (true, false) => "struct-pointer",
        (false, false) => "struct-pointer-guess",
    };
    (handle, Decision::Rule(rule))
}

/// Whether struct `name` has pointer fields the caller would have to set (zstd's `ZSTD_outBuffer
/// { void *dst; size_t size, pos; }`): a handle the host allocates zeroed cannot point them
/// anywhere, unless a function of the library fills it (one named like an initializer taking
/// it). Function pointers count (libdeflate's options: `malloc_func`). A data pointer named like a
/// buffer (`next_in`, `dst`: bzip2's `bz_stream`, zlib's `z_stream`) is the caller's to set even
/// when an initializer takes the struct (it sets up the state, not the buffers).
fn unfilled_pointer_fields(b: &Binder<'_>, name: &str) -> bool {
    let fields = b
        .header
        .find_struct(name)
        .map_or(&[][..], |s| &s.fields[..]);
    let pointer_fields = fields.iter().any(|f| {
        matches!(
            f.ty,
            crate::ir::CType::Pointer { .. } | crate::ir::CType::FnPtr(_)
        )
    });
    let caller_buffers = fields.iter().any(|f| {
        matches!(f.ty, crate::ir::CType::Pointer { .. })
            && f.name.to_ascii_lowercase().split('_').any(|w| {
                matches!(
                    w,
                    "in" | "out" | "src" | "dst" | "input" | "output" | "buf" | "buffer"
                )
            })
    });
    let initialized = !caller_buffers
        && b.header.functions.iter().any(|g| {
            let lower = g.name.to_ascii_lowercase();
            ["init", "create", "open", "new", "make", "setup", "reset"]
                .iter()
                .any(|w| lower.contains(w))
                && g.params.iter().any(|q| {
                    matches!(&q.ty, crate::ir::CType::Pointer { pointee, pointee_const: false }
                        if matches!(pointee.as_ref(), crate::ir::CType::Struct { name: n } if n == name))
                })
        });
    pointer_fields && !initialized
}

fn out_struct(name: &str, inout: bool) -> Role {
    Role::OutStruct {
        struct_name: name.to_owned(),
        inout,
    }
}
