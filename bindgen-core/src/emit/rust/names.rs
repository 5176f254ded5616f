//! Rust spellings for the Rust back end: identifiers (keyword escaping, `__wb_` locals), the
//! Rust and core-wasm types of C scalars, and rustdoc text. Used by `emit::rust` only.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::ir::Prim;
use crate::plan::CoreValue;

use crate::plan::names::rust::{KEYWORDS, NOT_RAW};

/// The identifier for a C name, escaped when it is a Rust keyword.
pub fn ident(name: &str) -> Ident {
    if !crate::ir::is_identifier(name) {
        // Unreachable for functions, parameters, constants and globals (the model and the plan
        // leave those out); a struct or field named with `$` is spelled with `_u24_` instead of
        // panicking in the generator.
        let safe: String = name
            .chars()
            .map(|c| {
                if unicode_ident::is_xid_continue(c) {
                    c.to_string()
                } else {
                    format!("_u{:x}_", c as u32)
                }
            })
            .collect();
        return format_ident!("_{safe}");
    }
    if NOT_RAW.contains(&name) {
        format_ident!("{name}_")
    } else if KEYWORDS.contains(&name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// A private local of parameter `index`: `__wb_<kind><index>` (never collides with a C name,
/// and never with another parameter's).
pub fn local(kind: &str, index: usize) -> Ident {
    format_ident!("__wb_{kind}{index}")
}

/// A private local of field `field` of struct parameter `param`: `__wb_<kind><param>_<field>`.
pub fn local_field(kind: &str, param: usize, field: usize) -> Ident {
    format_ident!("__wb_{kind}{param}_{field}")
}

/// The Rust type `TypedFunc` uses for a core parameter or result of the plan.
pub fn core_ty(v: CoreValue) -> TokenStream {
    match v {
        CoreValue::Address => quote!(u32),
        CoreValue::Scalar(prim) => wasm_ty(prim),
    }
}

/// True when rustc's `non_snake_case` lint would fire on this name.
pub fn is_snake(name: &str) -> bool {
    !name.chars().any(|c| c.is_ascii_uppercase())
}

/// True when rustc's `non_upper_case_globals` lint would fire on this name.
pub fn is_upper(name: &str) -> bool {
    !name.chars().any(|c| c.is_ascii_lowercase())
}

/// The Rust type of a C scalar passed by value (`int8_t` -> `i8`, `size_t` -> `u32`).
pub fn scalar_ty(prim: Prim) -> TokenStream {
    match prim {
        Prim::Void => quote!(()),
        Prim::Bool => quote!(bool),
        Prim::Char | Prim::I8 => quote!(i8),
        Prim::U8 => quote!(u8),
        Prim::I16 => quote!(i16),
        Prim::U16 => quote!(u16),
        Prim::I32 => quote!(i32),
        Prim::U32 => quote!(u32),
        Prim::I64 => quote!(i64),
        Prim::U64 => quote!(u64),
        Prim::F32 => quote!(f32),
        Prim::F64 => quote!(f64),
    }
}

/// The Rust element type of a buffer: `char`, `bool` and `void` buffers are bytes.
pub fn elem_ty(prim: Prim) -> TokenStream {
    match prim {
        Prim::Void | Prim::Bool | Prim::Char | Prim::U8 => quote!(u8),
        other => scalar_ty(other),
    }
}

/// The core wasm type of a C scalar, as `TypedFunc` spells it: small integers widen to 32 bits.
pub fn wasm_ty(prim: Prim) -> TokenStream {
    match prim {
        Prim::Void => quote!(()),
        Prim::Bool | Prim::U8 | Prim::U16 | Prim::U32 => quote!(u32),
        Prim::Char | Prim::I8 | Prim::I16 | Prim::I32 => quote!(i32),
        Prim::I64 => quote!(i64),
        Prim::U64 => quote!(u64),
        Prim::F32 => quote!(f32),
        Prim::F64 => quote!(f64),
    }
}

/// `value` (of [`scalar_ty`]) widened losslessly to [`wasm_ty`].
pub fn to_wasm(prim: Prim, value: TokenStream) -> TokenStream {
    match prim {
        Prim::Bool | Prim::U8 | Prim::U16 => quote!(::core::primitive::u32::from(#value)),
        Prim::Char | Prim::I8 | Prim::I16 => quote!(::core::primitive::i32::from(#value)),
        _ => value,
    }
}

/// `#[doc = "..."]` attributes, one per line of `text`.
pub fn doc_lines(text: &str) -> TokenStream {
    let lines = text.lines().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    quote!(#(#[doc = #lines])*)
}

/// A C doc comment as a rustdoc section: verbatim in a `text` block, so neither markdown nor
/// doctests nor rustdoc lints ever read it as anything but prose.
pub fn c_doc(doc: Option<&str>) -> String {
    match doc.map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => format!("\n```text\n{}\n```", d.replace("```", "'''")),
        None => String::new(),
    }
}

/// True for a `const T *` parameter (the C function only reads what it points to).
pub fn is_const_pointer(p: &crate::model::ParamBinding) -> bool {
    matches!(
        p.c_type,
        crate::ir::CType::Pointer {
            pointee_const: true,
            ..
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_are_escaped() {
        assert_eq!(ident("key").to_string(), "key");
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("self").to_string(), "self_");
        assert_eq!(local("ptr", 3).to_string(), "__wb_ptr3");
        assert_eq!(local_field("ptr", 3, 1).to_string(), "__wb_ptr3_1");
    }

    #[test]
    fn small_integers_widen_without_casts() {
        assert_eq!(
            to_wasm(Prim::U8, quote!(x)).to_string(),
            quote!(::core::primitive::u32::from(x)).to_string()
        );
        assert_eq!(to_wasm(Prim::U32, quote!(x)).to_string(), "x");
        assert_eq!(wasm_ty(Prim::Char).to_string(), "i32");
    }
}
