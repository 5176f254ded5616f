//! Callback parameters in Rust: the `impl FnMut(..) -> R + Send` argument type, the static
//! `CallbackSpec` of each, the adapter closure converting `CbArgs` to typed arguments, and the
//! slot lookup before the call (`wasm_bind_rt::callback` describes the mechanism).

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::names::{elem_ty, ident, local, scalar_ty};
use crate::ir::Prim;
use crate::model::{CallbackSig, CbParam, Role};
use crate::plan::FnPlan;

/// `impl FnMut(i32, &[u8]) -> u32 + Send`: the method argument of a callback.
pub fn arg_ty(sig: &CallbackSig) -> TokenStream {
    let args: Vec<TokenStream> = sig
        .params
        .iter()
        .filter_map(|p| match p {
            CbParam::Scalar(p) | CbParam::Value(p) => Some(scalar_ty(*p)),
            CbParam::InSlice { elem, .. } => {
                let e = elem_ty(*elem);
                Some(quote!(&[#e]))
            }
            CbParam::OutSlice { elem, .. } => {
                let e = elem_ty(*elem);
                Some(quote!(::core::option::Option<&mut [#e]>))
            }
            CbParam::User | CbParam::Len(_) => None,
        })
        .collect();
    match sig.ret {
        None => quote!(impl ::core::ops::FnMut(#(#args),*) + ::core::marker::Send),
        Some(r) => {
            let ret = scalar_ty(r);
            quote!(impl ::core::ops::FnMut(#(#args),*) -> #ret + ::core::marker::Send)
        }
    }
}

/// The runtime's `CbKind` of a core scalar.
fn core_kind(p: Prim) -> TokenStream {
    match p {
        Prim::F32 => quote!(F32),
        Prim::F64 => quote!(F64),
        p if p.size() == 8 => quote!(I64),
        _ => quote!(I32),
    }
}

/// The `CbKind` list of a callback's parameters.
fn kinds(sig: &CallbackSig) -> Vec<TokenStream> {
    sig.params
        .iter()
        .map(|p| {
            let k = match p {
                CbParam::Scalar(p) => core_kind(*p),
                CbParam::User => quote!(User),
                CbParam::Len(p) => {
                    let wide = p.size() == 8;
                    quote!(Len(#wide))
                }
                CbParam::Value(p) => {
                    let n = Literal::u32_unsuffixed(p.size().max(1));
                    quote!(Value(#n))
                }
                CbParam::InSlice { elem, len } | CbParam::OutSlice { elem, len } => {
                    let n = Literal::u32_unsuffixed(elem.size().max(1));
                    let k = Literal::usize_unsuffixed(*len);
                    if matches!(p, CbParam::InSlice { .. }) {
                        quote!(In(#n, #k))
                    } else {
                        quote!(Out(#n, #k))
                    }
                }
            };
            quote!(::wasm_bind_rt::callback::CbKind::#k)
        })
        .collect()
}

/// The adapter closure of callback parameter `i`: takes each argument from `CbArgs`, calls the
/// caller's closure, gives output slices back, converts the result.
fn adapter(sig: &CallbackSig, i: usize, user: &TokenStream) -> TokenStream {
    let mut takes = Vec::new();
    let mut args = Vec::new();
    let mut puts = Vec::new();
    for (k, p) in sig.params.iter().enumerate() {
        let x = format_ident!("__wb_x{k}");
        match p {
            CbParam::Scalar(Prim::F32) => takes.push(quote!(let #x = __wb_a.f32();)),
            CbParam::Scalar(Prim::F64) => takes.push(quote!(let #x = __wb_a.f64();)),
            CbParam::Scalar(p) => {
                let t = scalar_ty(*p);
                takes.push(quote!(let #x = __wb_a.int::<#t>();));
            }
            CbParam::Value(p) => {
                let t = elem_ty(*p);
                takes.push(quote!(let #x = __wb_a.value::<#t>();));
            }
            CbParam::InSlice { elem, .. } => {
                let t = elem_ty(*elem);
                takes.push(quote!(let #x = __wb_a.slice::<#t>();));
                args.push(quote!(&#x));
                continue;
            }
            CbParam::OutSlice { elem, .. } => {
                let t = elem_ty(*elem);
                takes.push(quote!(let mut #x = __wb_a.out::<#t>();));
                args.push(quote!(#x.as_deref_mut()));
                puts.push(quote!(__wb_a.put_out(#x);));
                continue;
            }
            CbParam::User | CbParam::Len(_) => continue,
        }
        args.push(quote!(#x));
    }
    let name = local("cb", i);
    let (call, result) = if sig.ret.is_some() {
        (quote!(let __wb_r = #user(#(#args),*);), quote!(__wb_r))
    } else {
        (quote!(#user(#(#args),*);), quote!(()))
    };
    quote! {
        let mut #name = |__wb_a: &mut ::wasm_bind_rt::callback::CbArgs| -> ::wasm_bind_rt::callback::CbResult {
            #(#takes)*
            #call
            #(#puts)*
            ::wasm_bind_rt::callback::CbResult::from(#result)
        };
    }
}

/// What a function with callbacks adds before its call, and the `invoke_callbacks` list; `None`
/// for a function without callbacks.
pub fn prelude(p: &FnPlan<'_>) -> Option<(TokenStream, TokenStream)> {
    let f = p.f;
    let cbs: Vec<(usize, &CallbackSig)> = f
        .params
        .iter()
        .enumerate()
        .filter_map(|(i, q)| match &q.role {
            Role::Callback(sig) => Some((i, sig.as_ref())),
            _ => None,
        })
        .collect();
    if cbs.is_empty() {
        return None;
    }
    let mut items = Vec::new();
    let mut specs = Vec::new();
    let mut list = Vec::new();
    for (n, &(i, sig)) in cbs.iter().enumerate() {
        let spec = format_ident!("__WB_CB{i}");
        let (index, param) = (
            Literal::usize_unsuffixed(p.index),
            Literal::usize_unsuffixed(i),
        );
        let params = kinds(sig);
        let result = match sig.ret {
            None => quote!(::core::option::Option::None),
            Some(r) => {
                let k = core_kind(r);
                quote!(::core::option::Option::Some(::wasm_bind_rt::callback::CbKind::#k))
            }
        };
        let what = format!("callback `{}` of `{}`", f.params[i].name, f.name);
        let (slot, cb, n) = (
            local("cbslot", i),
            local("cb", i),
            Literal::usize_unsuffixed(n),
        );
        items.push(quote! {
            static #spec: ::wasm_bind_rt::callback::CallbackSpec = ::wasm_bind_rt::callback::CallbackSpec {
                key: (#index, #param),
                params: &[#(#params),*],
                result: #result,
                what: #what,
            };
        });
        items.push(adapter(sig, i, &{
            let u = ident(&f.params[i].name);
            quote!(#u)
        }));
        specs.push(quote!(&#spec));
        items.push(quote!(let #slot = __wb_slots[#n];));
        list.push(quote!((&#spec, &mut #cb)));
    }
    let lookup = quote!(let __wb_slots = __wb_call.callback_slots(&[#(#specs),*])?;);
    Some((quote!(#lookup #(#items)*), quote!(&mut [#(#list),*])))
}
