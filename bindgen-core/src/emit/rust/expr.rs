//! Computed sizes (`model::Expr`: `LZ4_compressBound(srcSize)`, `ctx.hash_size`,
//! `config.nb_blocks * 1024`) as Rust: evaluated in `i128` inside the call, before the frame
//! is laid out, every step checked (`Call::arith`), then narrowed to the C type or count with
//! an error, never a wrap (`Call::narrow`). Guest helper exports an expression calls are
//! looked up once per instance like the bound functions. Used by `emit::rust::func`.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::names::{self, ident, local};
use crate::model::{BinOp, Expr, FnBinding, Role};

/// A guest export an expression calls: its exports-struct field and initializer.
pub struct Helper {
    /// The C name (dedup key).
    pub name: String,
    /// `__wb_x_<name>: TypedFunc<..>`.
    pub field: TokenStream,
    /// `__wb_x_<name>: __wb_binder.func("<name>")?`.
    pub init: TokenStream,
    /// Its entry in `Exports::expected`.
    pub expect: TokenStream,
}

/// The exports-struct field of the helper `name`.
fn helper_field(name: &str) -> Ident {
    format_ident!("__wb_x_{name}")
}

/// An `i128` expression (using `?` inside the call closure) that evaluates `e`.
pub fn render(e: &Expr, f: &FnBinding, helpers: &mut Vec<Helper>) -> TokenStream {
    let what = e.to_string();
    match e {
        Expr::Int(v) => quote!(::core::primitive::i128::from(#v)),
        Expr::Param { index, name } => {
            let value = match &f.params[*index].role {
                Role::Len { .. } => {
                    let len = local("len", *index);
                    quote!(#len)
                }
                _ => {
                    let id = ident(name);
                    quote!(#id)
                }
            };
            quote!(__wb_call.wide(#value, #name)?)
        }
        Expr::Field { param, field, .. }
            if matches!(f.params[*param].role, Role::StructIn { .. }) =>
        {
            let (base, field) = (ident(&f.params[*param].name), ident(field));
            quote!(__wb_call.wide(#base.#field, #what)?)
        }
        Expr::Field {
            param,
            offset,
            prim,
            ..
        } => {
            let h = local("h", *param);
            let e = names::elem_ty(*prim);
            quote! {{
                let __wb_v = __wb_call.read_array::<#e, 1>(#h.saturating_add(#offset))?[0];
                __wb_call.wide(__wb_v, #what)?
            }}
        }
        Expr::Binary { op, lhs, rhs } => {
            let (l, r) = (render(lhs, f, helpers), render(rhs, f, helpers));
            let op = match op {
                BinOp::Add => '+',
                BinOp::Sub => '-',
                BinOp::Mul => '*',
                BinOp::Div => '/',
            };
            quote! {{
                let __wb_l: i128 = #l;
                let __wb_r: i128 = #r;
                __wb_call.arith(#op, __wb_l, __wb_r, #what)?
            }}
        }
        Expr::Call { func, args, ret } => {
            let field = helper_field(func);
            let mut lets = Vec::new();
            let mut call_args = Vec::new();
            for (k, (arg, prim)) in args.iter().enumerate() {
                let (a, v) = (format_ident!("__wb_a{k}"), render(arg, f, helpers));
                let ty = names::scalar_ty(*prim);
                lets.push(quote!(let #a: #ty = __wb_call.narrow(#v, ::core::option::Option::None, #what)?;));
                call_args.push(names::to_wasm(*prim, quote!(#a)));
            }
            if !helpers.iter().any(|h| h.name == *func) {
                let wasm_args: Vec<TokenStream> =
                    args.iter().map(|(_, p)| names::wasm_ty(*p)).collect();
                let wasm_ret = names::wasm_ty(*ret);
                helpers.push(Helper {
                    name: func.clone(),
                    field: quote!(#field: ::wasm_bind_rt::TypedFunc<(#(#wasm_args,)*), #wasm_ret>),
                    init: quote!(#field: __wb_binder.func(#func)?),
                    expect: quote!(::wasm_bind_rt::Expect::func::<(#(#wasm_args,)*), #wasm_ret>(#func)),
                });
            }
            quote! {{
                #(#lets)*
                let __wb_v = __wb_call.invoke(&__wb_exports.#field, (#(#call_args,)*))?;
                __wb_call.wide(__wb_v, #what)?
            }}
        }
    }
}
