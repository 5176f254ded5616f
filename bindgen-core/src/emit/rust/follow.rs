//! The returns read with a second guest call, in Rust: a status rule's check and message
//! (`Ret::Codes`), data whose length another call reports (`Ret::Data`), and nullable strings.
//! The plan decided the calls and their core signatures (`plan::follow`); the forwarded arguments
//! are the bound call's own core arguments (values the host knows, never block pointers). Used by
//! `emit::rust::func`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::expr::Helper;
use super::names;
use crate::model::{DataRet, FollowCall, StatusRule};
use crate::plan::FnPlan;

/// The exports-struct field of follow call `call` (registered in `helpers` once), and the tuple
/// of its forwarded arguments.
fn helper(
    p: &FnPlan<'_>,
    call: &FollowCall,
    args: &[TokenStream],
    helpers: &mut Vec<Helper>,
) -> (proc_macro2::Ident, TokenStream) {
    let field = format_ident!("__wb_x_{}", call.func);
    if !helpers.iter().any(|h| h.name == call.func) {
        let sig = crate::plan::follow::core_sig(call, &p.sig);
        let params: Vec<TokenStream> = sig.params.iter().map(|v| names::core_ty(*v)).collect();
        let ret = sig.result.map_or_else(|| quote!(()), names::core_ty);
        let func = call.func.as_str();
        helpers.push(Helper {
            name: call.func.clone(),
            field: quote!(#field: ::wasm_bind_rt::TypedFunc<(#(#params,)*), #ret>),
            init: quote!(#field: __wb_binder.func(#func)?),
            expect: quote!(::wasm_bind_rt::Expect::func::<(#(#params,)*), #ret>(#func)),
        });
    }
    if let Some(code) = call.code {
        // the failed value (`__wb_code`, bound by the caller), as the callee's parameter type
        let ty = names::wasm_ty(code);
        return (field, quote!((__wb_code as #ty,)));
    }
    let forwarded: Vec<TokenStream> = call
        .args
        .iter()
        .map(|(i, _)| args.get(*i).cloned().unwrap_or_else(|| quote!(0u32)))
        .collect();
    (field, quote!((#(#forwarded,)*)))
}

/// A status with the module's rule: `invoke` returns the code; a code outside `ok` is
/// `Error::Status` with the message; `__wb_value` is the code when it is returned.
pub(super) fn codes(
    p: &FnPlan<'_>,
    rule: &StatusRule,
    invoke: TokenStream,
    args: &[TokenStream],
    helpers: &mut Vec<Helper>,
) -> TokenStream {
    let ok: Vec<TokenStream> = rule
        .ok
        .iter()
        .map(|v| {
            let v = i32::try_from(*v).unwrap_or_default();
            quote!(#v)
        })
        .collect();
    let message = match &rule.message {
        Some(m) => {
            let (field, tuple) = helper(p, m, args, helpers);
            match &rule.via {
                Some(v) => {
                    let (vfield, vtuple) = helper(p, v, args, helpers);
                    quote! {{
                        let __wb_via: u32 = __wb_call.invoke(&__wb_exports.#vfield, #vtuple)?;
                        __wb_call.message(&__wb_exports.#field, (__wb_via,))?
                    }}
                }
                None => quote!(__wb_call.message(&__wb_exports.#field, #tuple)?),
            }
        }
        None => quote!(::core::option::Option::None),
    };
    let value = if rule.returns_code {
        quote!(let __wb_value: i32 = __wb_status;)
    } else {
        quote!()
    };
    // a message given the failed value reads it as `__wb_code` (see `helper`)
    let code = rule
        .message
        .as_ref()
        .is_some_and(|m| m.code.is_some())
        .then(|| quote!(let __wb_code = __wb_status;));
    quote! {
        let __wb_status: i32 = #invoke;
        if ![#(#ok),*].contains(&__wb_status) {
            #code
            let __wb_message = #message;
            return ::core::result::Result::Err(__wb_call.failed(__wb_status, __wb_message));
        }
        #value
    }
}

/// The check of a `nonneg` / `positive` / `filled` return (`signed`: the value tested, as `i64`)
/// whose errors the library explains (`FnBinding::error_message`): `Error::Status` carrying the
/// message `call` gives for the failed value.
pub(super) fn explained_check(
    p: &FnPlan<'_>,
    call: &FollowCall,
    signed: TokenStream,
    nonpositive: bool,
    helpers: &mut Vec<Helper>,
) -> TokenStream {
    let (field, tuple) = helper(p, call, &[], helpers);
    quote! {
        let __wb_code = __wb_ret;
        __wb_call.checked_explained(#signed, #nonpositive, |__wb_call| {
            __wb_call.message(&__wb_exports.#field, #tuple)
        })?;
    }
}

/// Data whose length `d.len` reports, copied out right after the call into `__wb_value`.
pub(super) fn data(
    p: &FnPlan<'_>,
    d: &DataRet,
    invoke: TokenStream,
    args: &[TokenStream],
    helpers: &mut Vec<Helper>,
) -> TokenStream {
    let (field, tuple) = helper(p, &d.len, args, helpers);
    let wide = match d.len.ret {
        crate::ir::Prim::U64 => {
            quote!(::core::primitive::i64::try_from(__wb_n).unwrap_or(::core::primitive::i64::MAX))
        }
        _ => quote!(::core::primitive::i64::from(__wb_n)),
    };
    let value = match (d.text, d.nullable) {
        (false, false) => quote!(__wb_data.unwrap_or_default()),
        (false, true) => quote!(__wb_data),
        (true, false) => quote!(__wb_call.utf8(__wb_data.unwrap_or_default())?),
        (true, true) => quote! {
            match __wb_data {
                ::core::option::Option::Some(__wb_b) => ::core::option::Option::Some(__wb_call.utf8(__wb_b)?),
                ::core::option::Option::None => ::core::option::Option::None,
            }
        },
    };
    quote! {
        let __wb_ret: u32 = #invoke;
        let __wb_n = __wb_call.invoke(&__wb_exports.#field, #tuple)?;
        let __wb_data = __wb_call.data(__wb_ret, #wide)?;
        let __wb_value = #value;
    }
}

/// The Rust type of a `Ret::Data` value.
pub(super) fn data_ty(d: &DataRet) -> TokenStream {
    let inner = if d.text {
        quote!(::std::string::String)
    } else {
        quote!(::std::vec::Vec<u8>)
    };
    if d.nullable {
        quote!(::core::option::Option<#inner>)
    } else {
        inner
    }
}
