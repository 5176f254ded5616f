//! Structs passed by value (`crypto_argon2_config config`) for the Rust back end: one host type
//! per C struct (integer fields as integers, `const T *` + count fields as one slice), and the
//! statements that lay a value out in the call's arena frame. Used by `emit::rust`.
//!
//! With `StructAbi::Indirect` (clang's wasm32 ABI for aggregates) the struct gets a slot of its
//! `sizeof`, each slice a slot of its own; the fields are written at their offsets (slices as
//! the `u32` address of their copy, counts from the slices' lengths) and the core parameter is
//! the struct's address. With `StructAbi::Direct` the core parameter is the one field's value.

use proc_macro2::TokenStream;
use quote::quote;

use super::names::{self, ident, local, local_field};
use crate::ir::Prim;
use crate::model::{FieldRole, StructAbi, StructBinding};
use crate::plan::Names;

/// True when the host type carries a slice (and so has a lifetime).
pub fn has_slices(s: &StructBinding) -> bool {
    s.fields
        .iter()
        .any(|f| matches!(f.role, FieldRole::InSlice { .. }))
}

/// The host type as written in a parameter (`CryptoArgon2Inputs<'_>`).
pub fn param_ty(s: &StructBinding, n: &Names) -> TokenStream {
    let ty = quote::format_ident!("{}", n.struct_type(&s.name));
    if has_slices(s) {
        quote!(#ty<'_>)
    } else {
        quote!(#ty)
    }
}

/// The host type's definition.
pub fn definition(s: &StructBinding, n: &Names) -> TokenStream {
    let ty = quote::format_ident!("{}", n.struct_type(&s.name));
    let lifetime = if has_slices(s) {
        quote!(<'a>)
    } else {
        quote!()
    };
    let mut fields = Vec::new();
    for f in &s.fields {
        let name = ident(&f.name);
        let (fty, doc) = match &f.role {
            FieldRole::Scalar { prim } => (
                names::elem_ty(*prim),
                format!("`{}` ({}).", f.name, f.c_type),
            ),
            FieldRole::InSlice { elem, len } => {
                let e = names::elem_ty(*elem);
                let count = &s.fields[*len].name;
                (
                    quote!(&'a [#e]),
                    format!(
                        "`{}` ({}); its length is written to `{count}`.",
                        f.name, f.c_type
                    ),
                )
            }
            FieldRole::Len { .. } => continue,
        };
        let doc = names::doc_lines(&doc);
        fields.push(quote!(#doc pub #name: #fty));
    }
    let doc = names::doc_lines(&format!(
        "The C struct `{}`, passed by value ({} bytes on wasm32).{}",
        s.name,
        s.size,
        names::c_doc(s.doc.as_deref())
    ));
    let eq = eq_derive(s);
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, Default, PartialEq #eq)]
        #[rustfmt::skip]
        pub struct #ty #lifetime {
            #(#fields,)*
        }
    }
}

/// `, Eq` unless a field holds floats (`f32` / `f64` are only `PartialEq`: NaN).
fn eq_derive(s: &StructBinding) -> TokenStream {
    let floats = s.fields.iter().any(|f| match &f.role {
        FieldRole::Scalar { prim } => prim.is_float(),
        FieldRole::InSlice { elem, .. } => elem.is_float(),
        FieldRole::Len { .. } => false,
    });
    if floats {
        TokenStream::new()
    } else {
        quote!(, Eq)
    }
}

/// The owned host type of a struct with slices (`CryptoArgon2ExtrasOwned`): what a global of
/// that struct is read into.
pub fn owned_ty(s: &StructBinding, n: &Names) -> proc_macro2::Ident {
    quote::format_ident!(
        "{}Owned",
        quote::format_ident!("{}", n.struct_type(&s.name))
    )
}

/// The owned host type's definition (slices as `Vec`s) and its `borrowed()` view, the value
/// to pass by value. Only for structs with slices ([`has_slices`]).
pub fn owned_definition(s: &StructBinding, n: &Names) -> TokenStream {
    let (ty, owned) = (
        quote::format_ident!("{}", n.struct_type(&s.name)),
        owned_ty(s, n),
    );
    let mut fields = Vec::new();
    let mut views = Vec::new();
    for f in &s.fields {
        let name = ident(&f.name);
        let fty = match &f.role {
            FieldRole::Scalar { prim } => {
                views.push(quote!(#name: self.#name));
                names::elem_ty(*prim)
            }
            FieldRole::InSlice { elem, .. } => {
                views.push(quote!(#name: &self.#name));
                let e = names::elem_ty(*elem);
                quote!(::std::vec::Vec<#e>)
            }
            FieldRole::Len { .. } => continue,
        };
        let doc = names::doc_lines(&format!("`{}` ({}).", f.name, f.c_type));
        fields.push(quote!(#doc pub #name: #fty));
    }
    let doc = names::doc_lines(&format!(
        "The C struct `{}` with its slices owned: what a C global of that type reads as.          [`{owned}::borrowed`] gives the [`{ty}`] to pass by value.",
        s.name
    ));
    let eq = eq_derive(s);
    quote! {
        #doc
        #[derive(Debug, Clone, Default, PartialEq #eq)]
        #[rustfmt::skip]
        pub struct #owned {
            #(#fields,)*
        }

        #[allow(dead_code)]
        #[rustfmt::skip]
        impl #owned {
            /// The borrowed form, to pass by value.
            pub fn borrowed(&self) -> #ty<'_> {
                #ty { #(#views,)* }
            }
        }
    }
}

/// The statements that pass a struct parameter (of host type `s`); its regions (the struct and
/// the slices its fields point to) are slots of the frame, laid out by the plan.
pub struct Lowered {
    /// Length checks and conversions (before the frame).
    pub checks: Vec<TokenStream>,
    /// Writes into guest memory (after the frame is allocated).
    pub writes: Vec<TokenStream>,
    /// The core wasm argument.
    pub arg: TokenStream,
}

/// Lays out the value of parameter `index` (C name `param`) for the call: with
/// `StructAbi::Direct` the argument is the single field; otherwise the fields are written at
/// their offsets in the struct's slot (`__wb_ptr<index>`), slices into their own slots
/// (`__wb_ptr<index>_<field>`).
pub fn lower(index: usize, param: &str, s: &StructBinding) -> Lowered {
    let value = ident(param);
    let mut out = Lowered {
        checks: vec![],
        writes: vec![],
        arg: quote!(),
    };
    if let StructAbi::Direct(prim) = &s.abi {
        let field = s
            .fields
            .iter()
            .find(|f| matches!(f.role, FieldRole::Scalar { .. }));
        let fname = ident(field.map_or("_", |f| f.name.as_str()));
        let prim = if matches!(prim, Prim::Bool | Prim::Char) {
            Prim::U8
        } else {
            *prim
        };
        out.arg = names::to_wasm(prim, quote!(#value.#fname));
        return out;
    }
    let ptr = local("ptr", index);
    for (k, f) in s.fields.iter().enumerate() {
        let (fname, offset) = (ident(&f.name), f.offset);
        let what = format!("{param}.{}", f.name);
        let at = quote!(#ptr.saturating_add(#offset));
        match &f.role {
            FieldRole::Scalar { .. } => out
                .writes
                .push(quote!(__wb_inputs.write(#at, &[#value.#fname])?;)),
            FieldRole::InSlice { .. } => {
                let fptr = local_field("ptr", index, k);
                out.writes
                    .push(quote!(__wb_inputs.write(#fptr, #value.#fname)?;));
                out.writes
                    .push(quote!(__wb_inputs.write::<u32>(#at, &[#fptr])?;));
            }
            FieldRole::Len { prim, sizes } => {
                let c_val = local_field("c", index, k);
                let c_ty = names::elem_ty(*prim);
                let Some((first, rest)) = sizes.split_first() else {
                    continue;
                };
                let first_name = ident(&s.fields[*first].name);
                let first_what = format!("{param}.{}", s.fields[*first].name);
                for other in rest {
                    let oname = ident(&s.fields[*other].name);
                    let owhat = format!("{param}.{}", s.fields[*other].name);
                    out.checks.push(quote!(__wb_call.same_len(#first_what, #value.#first_name.len(), #owhat, #value.#oname.len())?;));
                }
                out.checks.push(
                    quote!(let #c_val: #c_ty = __wb_call.len(#value.#first_name.len(), #what)?;),
                );
                out.writes.push(quote!(__wb_inputs.write(#at, &[#c_val])?;));
            }
        }
    }
    out.arg = quote!(#ptr);
    out
}

/// `let __wb_out<i> = T { .. };`: the plain struct `s` (integer fields only: an output struct)
/// read back field by field from its block slot `__wb_ptr<i>`.
pub fn read_plain(index: usize, s: &StructBinding, n: &Names) -> TokenStream {
    let (ptr, out) = (local("ptr", index), local("out", index));
    let ty = quote::format_ident!("{}", n.struct_type(&s.name));
    let mut reads = Vec::new();
    let mut inits = Vec::new();
    for (k, f) in s.fields.iter().enumerate() {
        let FieldRole::Scalar { prim } = &f.role else {
            continue;
        };
        let (name, value, offset) = (ident(&f.name), local_field("f", index, k), f.offset);
        let e = names::elem_ty(*prim);
        reads.push(quote! {
            let [#value] = __wb_outputs.read_array::<#e, 1>(#ptr.saturating_add(#offset))?;
        });
        inits.push(quote!(#name: #value));
    }
    quote! {
        #(#reads)*
        let #out = #ty { #(#inits,)* };
    }
}
