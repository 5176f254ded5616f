//! Library-owned handles in Rust (`roles::owned`): one `Clone` newtype over
//! `wasm_bind_rt::Owned` per library-owned type, with `close(&mut owner)`, and what a method
//! does with such parameters and results (checked pointers in, handles out, made right after
//! the call so that a failed status never leaks one).

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::handle_methods;
use super::names::{self, ident, local};
use crate::model::{OwnedResult, OwnedType, Role};
use crate::plan::Plan;

/// The handle type of library-owned type `name`.
pub fn type_ident(plan: &Plan<'_>, name: &str) -> Ident {
    format_ident!("{}", plan.names.handle_type(name))
}

/// The method parameter type of a [`Role::Owned`] parameter.
pub fn arg_ty(plan: &Plan<'_>, ty: &OwnedType, nullable: bool) -> TokenStream {
    let t = type_ident(plan, &ty.name);
    if nullable {
        quote!(::core::option::Option<&#t>)
    } else {
        quote!(&#t)
    }
}

/// The check of a [`Role::Owned`] argument, binding its pointer to `__wb_h<i>`.
pub fn check(name: &Ident, label: &str, i: usize, nullable: bool) -> TokenStream {
    let h = local("h", i);
    if nullable {
        quote!(let #h = __wb_call.owned_or_null(#name.map(|__wb_x| &__wb_x.0), #label)?;)
    } else {
        quote!(let #h = __wb_call.owned(&#name.0, #label)?;)
    }
}

/// `let <var>: Option<T> = ...;`: the handle of the pointer in local `ptr` (an `u32`).
pub fn made(
    plan: &Plan<'_>,
    f: &crate::model::FnBinding,
    r: &OwnedResult,
    var: &Ident,
    ptr: &Ident,
) -> TokenStream {
    let t = type_ident(plan, &r.ty.name);
    let type_name = r.ty.name.as_str();
    let destructor = match &r.ty.destructor {
        Some(d) => {
            let n = d.name.as_str();
            quote!(::core::option::Option::Some(#n))
        }
        None => quote!(::core::option::Option::None),
    };
    let borrowed = r.borrowed;
    let parent = match r.parent.map(|i| (&f.params[i], ident(&f.params[i].name))) {
        Some((q, name)) if matches!(q.role, Role::Owned { nullable: true, .. }) => {
            quote!(#name.map(|__wb_x| &__wb_x.0))
        }
        Some((_, name)) => quote!(::core::option::Option::Some(&#name.0)),
        None => quote!(::core::option::Option::None),
    };
    // The new handle holds the call's guest buffers (`kept`): the library may point into them.
    let kept = f
        .params
        .iter()
        .filter(|q| matches!(q.role, Role::Kept { .. }))
        .map(|q| ident(&q.name));
    quote! {
        let #var = __wb_call.owned_new(#ptr, #type_name, #destructor, #borrowed, #parent).map(#t);
        #(if let ::core::option::Option::Some(__wb_made) = &#var { __wb_call.hold(&__wb_made.0, &#kept); })*
    }
}

/// The library-owned types the planned functions use, in first-use order.
pub fn used<'m>(plan: &Plan<'m>) -> Vec<&'m OwnedType> {
    let mut out: Vec<&OwnedType> = Vec::new();
    for p in &plan.functions {
        for ty in p.f.owned_types() {
            if !out.iter().any(|t| t.name == ty.name) {
                out.push(ty);
            }
        }
    }
    out
}

/// One handle type per library-owned type, with its handle methods.
pub fn types(plan: &Plan<'_>, class: &Ident) -> Vec<TokenStream> {
    used(plan)
        .into_iter()
        .map(|ty| {
            let t = type_ident(plan, &ty.name);
            let name = ty.name.as_str();
            let freed = match &ty.destructor {
                Some(d) => format!(
                    "Owned handles are freed with `{}` exactly once: by [`{t}::close`], or, when the \
                     last clone is dropped unclosed, at the object's next call (or never, if the object \
                     is dropped first: its guest memory goes with it). Borrowed handles (the library \
                     keeps ownership) are never freed by the host.",
                    d.name
                ),
                None => "The type has no destructor: the host never frees one.".into(),
            };
            let doc = names::doc_lines(&format!(
                "A `{name} *` the library of one [`{class}`] object handed out (library-owned: only the \
                 pointer is held). Clones share one handle.\n\n{freed} Closing a handle closes its \
                 children first (handles made with it as their `parent`), and a child keeps its parent \
                 alive. A closed handle, one made by another object, or one made before that object's \
                 guest trapped (the instance is then re-created and the library's memory is gone) is \
                 refused with `Error::Handle`."
            ));
            let methods = plan
                .functions
                .iter()
                .filter_map(|p| handle_methods::render(p, plan, class))
                .filter(|(s, _)| s == name)
                .map(|(_, m)| m);
            quote! {
                #doc
                #[derive(Debug, Clone)]
                #[rustfmt::skip]
                pub struct #t(::wasm_bind_rt::Owned);

                #[allow(dead_code)]
                #[rustfmt::skip]
                impl #t {
                    /// Closes the handle: its live children first (newest first), then the library
                    /// object (owned handles only). Closing again does nothing.
                    ///
                    /// # Errors
                    ///
                    /// `Error::Handle` when `owner` did not make it; `Error::Trap` when a destructor
                    /// traps (the object is then re-created).
                    pub fn close(&self, owner: &mut #class) -> ::core::result::Result<(), ::wasm_bind_rt::Error> {
                        owner.__wb_guest.close_owned(&self.0)
                    }

                    /// True once closed (directly, or through its parent).
                    pub fn is_closed(&self) -> bool {
                        self.0.is_closed()
                    }

                    /// True when the library keeps ownership (closing only forgets it).
                    pub fn is_borrowed(&self) -> bool {
                        self.0.is_borrowed()
                    }

                    #(#methods)*
                }
            }
        })
        .collect()
}
