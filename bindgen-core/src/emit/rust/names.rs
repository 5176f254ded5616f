//! Rust spellings for the Rust back end: identifiers (keyword escaping, `__wb_` locals), the
//! Rust and core-wasm types of C scalars, and rustdoc text. Used by `emit::rust` only.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::ir::Prim;
use crate::model::Model;

/// Rust keywords (strict, reserved and edition 2018+ ones) that need `r#` to be identifiers.
const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "else", "enum", "extern", "false", "fn", "for", "if",
    "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static",
    "struct", "trait", "true", "type", "unsafe", "use", "where", "while", "async", "await", "dyn",
    "abstract", "become", "box", "do", "final", "macro", "override", "priv", "typeof", "unsized",
    "virtual", "yield", "try", "gen",
];

/// Keywords that cannot be raw identifiers: a trailing `_` is appended instead.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// The identifier for a C name, escaped when it is a Rust keyword.
pub fn ident(name: &str) -> Ident {
    if NOT_RAW.contains(&name) {
        format_ident!("{name}_")
    } else if KEYWORDS.contains(&name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// Names the generated struct defines itself, in `impl <Class>` (constructors, accessors, the
/// embedded wasm, test hooks). They are reserved whether or not a wasm is embedded, so a method's
/// name never depends on how the bindings were generated.
pub const RESERVED: &[&str] = &[
    "new",
    "with_options",
    "WASM",
    "from_bytes",
    "from_file",
    "from_bytes_with",
    "from_file_with",
    "options",
    "__wb_memory",
    "__wb_generation",
];

/// The names of the items one header contributes to `impl <Class>`, index for index with
/// `model.functions`, `model.globals` and `model.constants` (what [`ident`] turns into an
/// identifier).
///
/// Rule (also in the `emit::rust` module doc): each item keeps its name (a function's
/// `method`, after `strip_prefix`; a global's or constant's C name), with `self`/`Self`/`super`/
/// `crate`/`_` spelled `<name>_`, unless the name is [`RESERVED`] or taken by an earlier item;
/// then `_` is appended until it is free. Functions are named first (declaration order), then
/// globals, then constants, so a function's name never depends on the globals or constants.
/// Every function takes a name here, including ones the Rust back end cannot bind, so binding
/// one more function never renames another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemNames {
    /// Method name of each function in `model.functions`.
    pub functions: Vec<String>,
    /// Method name of each global in `model.globals`.
    pub globals: Vec<String>,
    /// Associated const name of each constant in `model.constants`.
    pub constants: Vec<String>,
}

/// Names the items of `model` (see [`ItemNames`]).
pub fn item_names(model: &Model) -> ItemNames {
    let mut taken: Vec<String> = RESERVED.iter().map(|s| (*s).to_owned()).collect();
    let mut claim = |name: &str| {
        let mut n = if NOT_RAW.contains(&name) {
            format!("{name}_")
        } else {
            name.to_owned()
        };
        while taken.contains(&n) {
            n.push('_');
        }
        taken.push(n.clone());
        n
    };
    let functions = model.functions.iter().map(|f| claim(&f.method)).collect();
    let globals = model.globals.iter().map(|g| claim(&g.name)).collect();
    let constants = model.constants.iter().map(|c| claim(&c.name)).collect();
    ItemNames {
        functions,
        globals,
        constants,
    }
}

/// A private local derived from a C name: `__wb_<kind>_<name>` (never collides with a parameter).
pub fn local(kind: &str, name: &str) -> Ident {
    format_ident!("__wb_{kind}_{name}")
}

/// The Rust type generated for handles to the C struct `name` (`crypto_blake2b_ctx` ->
/// `CryptoBlake2bCtx`).
pub fn handle_ty(name: &str) -> Ident {
    let camel: String = name
        .split('_')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect();
    ident(if camel.is_empty() { "Handle_" } else { &camel })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_are_escaped() {
        assert_eq!(ident("key").to_string(), "key");
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("self").to_string(), "self_");
        assert_eq!(local("ptr", "type").to_string(), "__wb_ptr_type");
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
