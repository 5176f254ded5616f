//! Exported C globals (`extern const crypto_argon2_extras crypto_argon2_no_extras;`) for the Rust
//! back end: the read-only method of the generated struct that reads one from guest memory, and
//! the owned host type a struct global is read into. Used by `emit::rust`.
//!
//! The guest exports a data symbol as an `i32` wasm global holding its address; the exports
//! struct looks that global up at load (`Binder::global`: missing or not `i32` is
//! `Error::Load`), and each method call reads the address, then the value there through
//! bounds-checked `Call` reads: an integer, or a struct field by field (pointer + count fields
//! read as the slice they describe, into a `Vec`). Anything outside guest memory is
//! `Error::Guest` (and the instance is replaced, like any ABI violation).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::names::{self, ident, local};
use super::structs;
use crate::ir::Prim;
use crate::model::{FieldRole, GlobalBinding, GlobalValue, Model, StructBinding};
use crate::plan::Names;

/// One rendered global.
pub struct Rendered {
    /// The method on the bindings struct.
    pub method: TokenStream,
    /// The `Global` field in the private exports struct.
    pub field: TokenStream,
    /// Its initializer in `Exports::bind`.
    pub init: TokenStream,
    /// The C struct it reads, if any (its host types must be generated).
    pub struct_name: Option<String>,
}

/// The unsigned type of a count field's size (a count is read unsigned: a negative one is
/// huge and fails the bounds check).
fn unsigned_ty(prim: Prim) -> TokenStream {
    match prim.size() {
        1 => quote!(u8),
        2 => quote!(u16),
        8 => quote!(u64),
        _ => quote!(u32),
    }
}

/// Renders global `g` (one the plan binds) as the method `method` (its name
/// from [`names::item_names`]).
pub fn render(g: &GlobalBinding, model: &Model, names_: &Names, method: &str) -> Rendered {
    let name = g.name.as_str();
    let method = ident(method);
    let field = format_ident!("__wb_global_{}", name);
    let (ret, body, what, struct_name) = match &g.value {
        GlobalValue::Scalar(prim) => {
            let ty = names::scalar_ty(*prim);
            let body = quote! {
                let [__wb_value] = __wb_call.read_array::<#ty, 1>(__wb_addr)?;
                ::core::result::Result::Ok(__wb_value)
            };
            (ty, body, format!("`{}`", prim.c_name()), None)
        }
        GlobalValue::Struct(sname) => {
            let Some(s) = model.find_struct(sname) else {
                return Rendered {
                    method: quote!(),
                    field: quote!(),
                    init: quote!(),
                    struct_name: None,
                };
            };
            let (ty, body) = read_struct(s, names_);
            (ty, body, format!("`{sname}`"), Some(sname.clone()))
        }
    };
    let doc = names::doc_lines(&format!(
        "Reads the C global `{name}` ({what}) from guest memory: a copy of its current value.\n\n\
         # Errors\n\n\
         `Error::Guest` when the address the guest exports for it (or a slice in it) lies outside \
         guest memory; the object is then re-instantiated and stays usable."
    ));
    let allow = if names::is_snake(name) {
        quote!()
    } else {
        quote!(#[allow(non_snake_case)])
    };
    Rendered {
        method: quote! {
            #doc
            #allow
            pub fn #method(&mut self) -> ::core::result::Result<#ret, ::wasm_bind_rt::Error> {
                self.__wb_guest.call(#name, |__wb_call, __wb_exports| {
                    let __wb_addr = __wb_call.global_address(&__wb_exports.#field)?;
                    #body
                })
            }
        },
        field: quote!(#field: ::wasm_bind_rt::wasmtime::Global),
        init: quote!(#field: __wb_binder.global(#name)?),
        struct_name,
    }
}

/// The return type and the statements reading struct `s` at `__wb_addr`.
fn read_struct(s: &StructBinding, n: &Names) -> (TokenStream, TokenStream) {
    let mut reads = Vec::new();
    // Scalars and counts first (slices need their counts).
    for (k, f) in s.fields.iter().enumerate() {
        let (value, offset) = (local("field", k), f.offset);
        let ty = match &f.role {
            FieldRole::Scalar { prim } => names::elem_ty(*prim),
            FieldRole::Len { prim, .. } => unsigned_ty(*prim),
            FieldRole::InSlice { .. } => continue,
        };
        reads.push(quote! {
            let #value = __wb_call.offset(__wb_addr, #offset)?;
            let [#value] = __wb_call.read_array::<#ty, 1>(#value)?;
        });
    }
    for (k, f) in s.fields.iter().enumerate() {
        let FieldRole::InSlice { elem, len } = &f.role else {
            continue;
        };
        let (value, offset) = (local("field", k), f.offset);
        let count = local("field", *len);
        let e = names::elem_ty(*elem);
        let (ptr, n) = (local("ptr", k), local("n", k));
        // NULL with a count of 0 reads as empty (0..0 lies in memory).
        reads.push(quote! {
            let #ptr = __wb_call.offset(__wb_addr, #offset)?;
            let [#ptr] = __wb_call.read_array::<u32, 1>(#ptr)?;
            let #n = __wb_call.count(#count)?;
            let #value: ::std::vec::Vec<#e> = __wb_call.read_vec::<#e>(#ptr, #n)?;
        });
    }
    let inits = s.host_fields().into_iter().map(|k| {
        let f = &s.fields[k];
        let (name, value) = (ident(&f.name), local("field", k));
        quote!(#name: #value)
    });
    let ty = if structs::has_slices(s) {
        structs::owned_ty(s, n)
    } else {
        format_ident!("{}", n.struct_type(&s.name))
    };
    (
        quote!(#ty),
        quote! {
            #(#reads)*
            ::core::result::Result::Ok(#ty { #(#inits,)* })
        },
    )
}
