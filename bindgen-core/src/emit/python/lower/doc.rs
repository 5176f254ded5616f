//! A method's docstring: the C documentation, the C prototype, and what the method raises or
//! changes in place.

use super::Ctx;
use crate::ir::CType;
use crate::model::{ErrorRule, FnBinding, Ret, Role};

/// The docstring text (not yet a literal).
pub(super) fn doc(cx: &Ctx<'_, '_>) -> String {
    let f = cx.f;
    let mut doc = f
        .doc
        .clone()
        .unwrap_or_else(|| format!("Calls the C function `{}`.", f.name));
    doc.push_str(&format!("\n\nC: `{}`", c_prototype(f)));
    doc.push_str(&raises(f));
    for (i, p) in f.params.iter().enumerate() {
        if p.role.is_inout_buffer() {
            let writable = if cx.elems[i].is_some_and(|e| e.code.is_some()) {
                "array.array, bytearray, writable memoryview; not a list"
            } else {
                "bytearray, writable memoryview"
            };
            doc.push_str(&format!(
                "\n\n`{}` is read and changed: the result is returned, and also written into the argument when it is writable ({writable}).",
                p.name
            ));
        }
        if let Role::Kept { writes, .. } = p.role {
            doc.push_str(&format!(
                "\n\n`{}` is kept by the library after the call: pass a GuestBuffer (`buffer(size)`) or a `span(offset, length)` of it, which {} in place, never a copy; keep it open while the library uses it.",
                p.name,
                if writes { "the function writes" } else { "the function reads" }
            ));
        }
        if let Role::FilledBy { buffer, .. } | Role::Capacity { buffer, .. } = p.role {
            let b = &f.params[buffer].name;
            doc.push_str(&format!(
                "\n\n`{b}` is returned cut to the count the C function stores in `*{}`; raises GuestError when that count exceeds its capacity.",
                p.name
            ));
        }
    }
    doc
}

/// What the return makes the method raise or return, after a blank line ("" when nothing).
fn raises(f: &FnBinding) -> String {
    let mut out = String::new();
    match &f.ret {
        Ret::Status => out.push_str("\n\nRaises StatusError when the C function returns nonzero."),
        Ret::Checked { error, prim } | Ret::FilledLen { error, prim, .. } => {
            out.push_str(&format!(
                "\n\nRaises StatusError when the C function returns {}{}.",
                match error {
                    ErrorRule::Negative => "a negative value",
                    ErrorRule::NonPositive => "zero or a negative value",
                },
                match ErrorRule::negative_from(*prim) {
                    Some(_) => format!(
                    " (as a signed {}-bit value: (size_t)-1 is -1; the error carries the {} value)",
                    prim.size() * 8,
                    prim.c_name()
                ),
                    None => String::new(),
                }
            ));
            if let Some(m) = &f.error_message {
                out.push_str(&format!(" It carries the message `{m}` gives."));
            }
        }
        Ret::Codes(rule) => {
            let ok: Vec<String> = rule.ok.iter().map(i64::to_string).collect();
            let message = match (&rule.message, &rule.via) {
                (Some(m), Some(v)) => format!(", carrying the message `{}({v})` gives", m.func),
                (Some(m), None) => format!(", carrying the message `{m}` gives"),
                _ => String::new(),
            };
            out.push_str(&format!(
                "\n\nRaises StatusError when the C function returns anything but {}{message}.{}",
                ok.join(", "),
                if rule.returns_code {
                    " Returns the code."
                } else {
                    ""
                }
            ));
        }
        Ret::Data(d) => out.push_str(&format!(
            "\n\nReturns the {} `{}` reports, copied out at once{}{}.",
            if d.text {
                "UTF-8 text of the bytes"
            } else {
                "bytes"
            },
            d.len,
            if d.nullable { "; None for NULL" } else { "" },
            if d.text {
                "; invalid UTF-8 raises UnicodeDecodeError"
            } else {
                ""
            }
        )),
        Ret::NullableStr { .. } => {
            out.push_str("\n\nReturns None when the C function returns NULL.")
        }
        _ => {}
    }
    out
}

/// The C prototype as declared (`void crypto_aead_lock(uint8_t *cipher_text, uint8_t mac[16], ...)`),
/// so users can match a method with the C library's documentation.
fn c_prototype(f: &FnBinding) -> String {
    let params: Vec<String> = f
        .params
        .iter()
        .map(|p| match &p.c_type {
            CType::Array {
                elem,
                len,
                elem_const,
            } => {
                format!(
                    "{}{elem} {}[{len}]",
                    if *elem_const { "const " } else { "" },
                    p.name
                )
            }
            CType::Pointer { .. } => format!("{}{}", p.c_type, p.name),
            // `int (*)(const int32_t *)` names its parameter inside: `int (*cmp)(const int32_t *)`.
            CType::FnPtr(sig) => match sig.spelling.split_once("(*)") {
                Some((ret, args)) => format!("{ret}(*{}){args}", p.name),
                None => format!("{} {}", sig.spelling, p.name),
            },
            ty => format!("{ty} {}", p.name),
        })
        .collect();
    let ret = match f.ret {
        Ret::Void => "void",
        Ret::Status | Ret::Codes(_) => "int",
        Ret::Value(prim) => prim.c_name(),
        Ret::Str { .. } | Ret::NullableStr { .. } => "const char *",
        Ret::Data(ref d) if d.text => "const unsigned char *",
        Ret::Data(_) => "const void *",
        Ret::Owned(ref r) => return format!("{} *{}({})", r.ty.name, f.name, params.join(", ")),
        ref other => other.prim().map_or("int", |p| p.c_name()),
    };
    format!("{ret} {}({})", f.name, params.join(", "))
}
