//! Named C enums in the Rust back end: one `#[repr(<C type>)] enum` per enum of the model, with
//! the C names as variants (a repeated value is an associated const aliasing the first variant,
//! as Rust enums cannot repeat a discriminant), `TryFrom<repr>` (an error carrying the value when
//! it names no variant: a C enum variable may hold any value of its type) and `From<Enum> for
//! repr`. Functions keep taking and returning the integer (`set_mode(Mode::MODE_FAST.into())`,
//! `Mode::try_from(m.get_mode()?)`), so a value outside the enum still passes. The values also
//! stay associated consts of the class.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::names;
use crate::model::EnumBinding;
use crate::plan::Plan;

/// The item of every enum of the model.
pub fn items(plan: &Plan<'_>) -> Vec<TokenStream> {
    plan.model.enums.iter().map(|e| item(plan, e)).collect()
}

fn item(plan: &Plan<'_>, e: &EnumBinding) -> TokenStream {
    let ty = names::ident(&plan.names.enum_type(&e.name));
    let repr = names::scalar_ty(e.repr);
    let mut variants = Vec::new();
    let mut aliases = Vec::new();
    let mut arms = Vec::new();
    let mut seen: Vec<(i128, &str)> = Vec::new();
    for (name, value) in &e.variants {
        let v = names::ident(name);
        if let Some((_, first)) = seen.iter().find(|(x, _)| x == value) {
            let first = names::ident(first);
            let doc = names::doc_lines(&format!(
                "`{name}`: an alias of [`{ty}::{first}`] (the same value)."
            ));
            aliases.push(quote!(#doc pub const #v: #ty = #ty::#first;));
            continue;
        }
        seen.push((*value, name));
        let lit = Literal::i128_unsuffixed(*value);
        let doc = names::doc_lines(&format!("`{name}` = {value}."));
        variants.push(quote!(#doc #v = #lit));
        arms.push(quote!(#lit => ::core::result::Result::Ok(#ty::#v)));
    }
    let doc = names::doc_lines(&format!(
        "The C enum `{}` (values of `{}`). Convert a returned integer with `{ty}::try_from(v)` \
         (`Err(v)` when `v` names no variant) and pass one with `.into()`.{}",
        e.name,
        e.repr.c_name(),
        names::c_doc(e.doc.as_deref())
    ));
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[repr(#repr)]
        #[allow(non_camel_case_types, dead_code, clippy::upper_case_acronyms)]
        #[rustfmt::skip]
        pub enum #ty {
            #(#variants,)*
        }

        #[allow(dead_code, non_upper_case_globals)]
        #[rustfmt::skip]
        impl #ty {
            #(#aliases)*
        }

        #[rustfmt::skip]
        impl ::core::convert::TryFrom<#repr> for #ty {
            type Error = #repr;
            fn try_from(value: #repr) -> ::core::result::Result<Self, #repr> {
                #[allow(unreachable_patterns)]
                match value {
                    #(#arms,)*
                    other => ::core::result::Result::Err(other),
                }
            }
        }

        #[rustfmt::skip]
        impl ::core::convert::From<#ty> for #repr {
            fn from(value: #ty) -> #repr {
                value as #repr
            }
        }
    }
}
