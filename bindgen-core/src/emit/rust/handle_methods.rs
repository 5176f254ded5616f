//! Handle methods in Rust: a function whose first parameter is a handle is also a method of the
//! handle type (named by `plan::names::handle_methods`), forwarding to the generated struct's
//! method: `ctx.update(&mut m, data)` is `m.crypto_blake2b_update(&mut ctx, data)`. The handle
//! holds no reference to its owner (the owner's methods take `&mut self`, so a stored borrow
//! would lock it for the handle's whole life), hence the explicit `owner` argument; a `const T *`
//! handle is taken as `&self`.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::{func, names};
use crate::plan::{FnPlan, Plan};

/// `(C struct, method)` of `p` on its handle type, if its first parameter is a handle.
pub fn render(p: &FnPlan<'_>, plan: &Plan<'_>, class: &Ident) -> Option<(String, TokenStream)> {
    let m = plan.names.handle_methods[p.index].as_ref()?;
    let (&first, rest) = p.args.split_first()?;
    if first != 0 {
        return None;
    }
    let args: Vec<TokenStream> = rest.iter().filter_map(|&i| func::arg(p, plan, i)).collect();
    let forwarded: Vec<Ident> = rest
        .iter()
        .map(|&i| names::ident(&p.f.params[i].name))
        .collect();
    // A library-owned handle is taken by shared reference (the C object is the library's).
    let (owned, nullable) = match &p.f.params[0].role {
        crate::model::Role::Owned { nullable, .. } => (true, *nullable),
        _ => (false, false),
    };
    let this_arg = if nullable {
        quote!(::core::option::Option::Some(self))
    } else {
        quote!(self)
    };
    let owner = owner_name(p);
    let (ret_ty, _, _) = func::result_shape(p, &plan.names);
    let method = names::ident(&m.rust);
    let target = names::ident(&plan.names.rust_functions[p.index]);
    let this = if owned || names::is_const_pointer(&p.f.params[0]) {
        quote!(&self)
    } else {
        quote!(&mut self)
    };
    let doc = names::doc_lines(&format!(
        "Same as [`{class}::{target}`] with this handle as `{}`; `{owner}` is the object that made it.",
        p.f.params[0].name
    ));
    let mut allows = Vec::new();
    if args.len() + 2 > 7 {
        allows.push(quote!(clippy::too_many_arguments));
    }
    if !names::is_snake(&m.rust) || rest.iter().any(|&i| !names::is_snake(&p.f.params[i].name)) {
        allows.push(quote!(non_snake_case));
    }
    let allow = if allows.is_empty() {
        quote!()
    } else {
        quote!(#[allow(#(#allows),*)])
    };
    let tokens = quote! {
        #doc
        #allow
        pub fn #method(#this, #owner: &mut #class, #(#args),*) -> ::core::result::Result<#ret_ty, ::wasm_bind_rt::Error> {
            #owner.#target(#this_arg, #(#forwarded),*)
        }
    };
    Some((m.struct_name.clone(), tokens))
}

/// `owner`, with `_` appended while a parameter of the method already has that name.
fn owner_name(p: &FnPlan<'_>) -> Ident {
    let taken: Vec<String> = p
        .args
        .iter()
        .map(|&i| crate::plan::names::rust_param(&p.f.params[i].name))
        .collect();
    let mut name = "owner".to_owned();
    while taken.contains(&name) {
        name.push('_');
    }
    format_ident!("{name}")
}
