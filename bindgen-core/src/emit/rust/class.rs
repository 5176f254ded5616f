//! The generated struct's surroundings, for `emit::rust`: which items the plan contributes
//! (methods, exports fields, expected exports, handle and struct types), the struct's rustdoc,
//! its constants, constructors, the embedded wasm and the tracked inputs.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::{func, globals, handle_methods, names, structs, RustOptions};
use crate::model::Model;
use crate::plan::Plan;

/// Everything the bound functions and globals contribute, in declaration order.
#[derive(Default)]
pub struct Items<'m> {
    /// `pub fn`s of `impl <Class>`.
    pub methods: Vec<TokenStream>,
    /// Fields of the exports struct.
    pub fields: Vec<TokenStream>,
    /// Their initializers in `Exports::bind`.
    pub inits: Vec<TokenStream>,
    /// Entries of `Exports::expected`.
    pub expects: Vec<TokenStream>,
    /// Handle structs taken by pointer: (C name, size, align).
    pub handles: Vec<(String, u32, u32)>,
    /// Structs passed by value or held by a global.
    pub by_value: Vec<&'m str>,
    /// Structs held by a global that carry slices (an owned host type is generated).
    pub owned: Vec<&'m str>,
    /// The "Not bound" rustdoc lines.
    pub not_bound: Vec<String>,
    /// With `collect(plan, true)`: each method formatted by prettyplease as it is rendered (in the
    /// place of `methods`), so a file's methods never exist as tokens all at once.
    pub method_text: Vec<String>,
    /// The first method that did not parse as Rust (an internal error), with its parse error.
    pub format_error: Option<String>,
}

/// The line standing for the methods in a file rendered with `collect(plan, true)`.
pub const METHODS_SLOT: &str = "    fn __wb_methods_slot() {}\n";

impl Items<'_> {
    /// Keeps a rendered method: as tokens, or formatted when `as_text`.
    fn push_method(&mut self, method: TokenStream, as_text: bool) {
        if !as_text {
            self.methods.push(method);
            return;
        }
        let parsed: Result<syn::File, _> = syn::parse2(quote!(impl __WbSlot { #method }));
        match parsed {
            Ok(file) => {
                let text = prettyplease::unparse(&file);
                let body = text
                    .strip_prefix("impl __WbSlot {\n")
                    .and_then(|t| t.strip_suffix("}\n"))
                    .unwrap_or(&text);
                self.method_text.push(body.to_owned());
            }
            Err(e) => {
                self.format_error.get_or_insert_with(|| e.to_string());
            }
        }
    }
}

/// Renders every planned function and every global, collecting what each contributes (methods
/// formatted one by one when `method_text`).
pub fn collect<'m>(plan: &Plan<'m>, method_text: bool) -> Items<'m> {
    let model = plan.model;
    let mut it = Items::default();
    let mut helper_names: Vec<String> = Vec::new();
    it.not_bound = model
        .skipped
        .iter()
        .map(|s| format!("- `{}`: {}", s.name, s.reason))
        .chain(
            plan.not_bound
                .iter()
                .map(|(f, why)| format!("- `{}`: {why}", f.name)),
        )
        .collect();
    for p in &plan.functions {
        let t = func::render(p, plan);
        it.push_method(t.method, method_text);
        it.fields.push(t.field);
        it.inits.push(t.init);
        it.expects.push(t.expect);
        for h in t.helpers {
            if !helper_names.contains(&h.name) {
                helper_names.push(h.name);
                it.fields.push(h.field);
                it.inits.push(h.init);
                it.expects.push(h.expect);
            }
        }
        note_struct_params(&mut it, p);
    }
    if plan.takes_buffers {
        for method in buffer_methods() {
            it.push_method(method, method_text);
        }
    }
    // Destructors of library-owned handles are called by name: checked at load like the rest.
    for ty in super::owned::used(plan) {
        if let Some(d) = &ty.destructor {
            let name = d.name.as_str();
            let ret = d.ret.map_or_else(|| quote!(()), names::wasm_ty);
            it.expects
                .push(quote!(::wasm_bind_rt::Expect::func::<(u32,), #ret>(#name)));
        }
    }
    collect_globals(&mut it, plan, method_text);
    it
}

/// `buffer`, `write_buffer` and `read_buffer`: the object's side of guest buffers, for the
/// parameters a library keeps after a call (`kept`).
fn buffer_methods() -> [TokenStream; 3] {
    [
        quote! {
            /// `size` zeroed bytes of guest memory that live until the returned buffer is dropped
            /// (then wiped and freed at this object's next call), for the parameters the library
            /// keeps after a call returns (`kept`): pass `buffer.span(offset, len)?` or
            /// `buffer.all()`. Keep it alive as long as the library uses the pointer.
            pub fn buffer(&mut self, size: usize) -> ::core::result::Result<::wasm_bind_rt::GuestBuffer, ::wasm_bind_rt::Error> {
                self.__wb_guest.new_buffer(size)
            }
        },
        quote! {
            /// Copies `data` into `buffer` at `offset` (an error when it does not fit, or when the
            /// buffer is another object's or was lost to a trap).
            pub fn write_buffer(&mut self, buffer: &::wasm_bind_rt::GuestBuffer, offset: usize, data: &[u8]) -> ::core::result::Result<(), ::wasm_bind_rt::Error> {
                self.__wb_guest.write_buffer(buffer, offset, data)
            }
        },
        quote! {
            /// Copies `len` bytes of `buffer` at `offset` out (checked like `write_buffer`).
            pub fn read_buffer(&mut self, buffer: &::wasm_bind_rt::GuestBuffer, offset: usize, len: usize) -> ::core::result::Result<::std::vec::Vec<u8>, ::wasm_bind_rt::Error> {
                self.__wb_guest.read_buffer(buffer, offset, len)
            }
        },
    ]
}

/// Records the structs a function's parameters use: passed by value or out, or as handles.
fn note_struct_params<'m>(it: &mut Items<'m>, p: &crate::plan::FnPlan<'m>) {
    for q in &p.f.params {
        match &q.role {
            crate::model::Role::StructIn { struct_name }
            | crate::model::Role::OutStruct { struct_name, .. }
                if !it.by_value.contains(&struct_name.as_str()) =>
            {
                it.by_value.push(struct_name)
            }
            crate::model::Role::Handle {
                struct_name,
                size,
                align,
            } if !it.handles.iter().any(|(n, _, _)| n == struct_name) => {
                it.handles.push((struct_name.clone(), *size, *align))
            }
            _ => {}
        }
    }
}

/// Renders each bound global (getter, export field, load check) and records the struct it holds;
/// a global not bound gets its "Not bound" line.
fn collect_globals<'m>(it: &mut Items<'m>, plan: &Plan<'m>, method_text: bool) {
    let model = plan.model;
    for (i, (g, method)) in model
        .globals
        .iter()
        .zip(&plan.names.rust_globals)
        .enumerate()
    {
        if let Some(reason) = plan.global_not_bound(i) {
            it.not_bound
                .push(format!("- global `{}`: {reason}", g.name));
            continue;
        }
        let t = globals::render(g, model, &plan.names, method);
        it.push_method(t.method, method_text);
        it.fields.push(t.field);
        it.inits.push(t.init);
        let name = g.name.as_str();
        it.expects
            .push(quote!(::wasm_bind_rt::Expect::global(#name)));
        if let Some(s) = t.struct_name.as_deref().and_then(|n| model.find_struct(n)) {
            if !it.by_value.contains(&s.name.as_str()) {
                it.by_value.push(&s.name);
            }
            if structs::has_slices(s) && !it.owned.contains(&s.name.as_str()) {
                it.owned.push(&s.name);
            }
        }
    }
}

/// The host types of structs passed by value (and their owned forms for globals with slices).
pub fn struct_types(plan: &Plan<'_>, it: &Items<'_>) -> Vec<TokenStream> {
    let model = plan.model;
    it.by_value
        .iter()
        .filter_map(|name| model.find_struct(name))
        .map(|s| structs::definition(s, &plan.names))
        .chain(
            it.owned
                .iter()
                .filter_map(|name| model.find_struct(name))
                .map(|s| structs::owned_definition(s, &plan.names)),
        )
        .collect()
}

/// One handle type per struct taken by pointer, with its handle methods.
pub fn handle_types(
    plan: &Plan<'_>,
    class: &Ident,
    handles: &[(String, u32, u32)],
) -> Vec<TokenStream> {
    handles.iter().map(|(name, size, align)| {
        let ty = format_ident!("{}", plan.names.handle_type(name));
        let (size_lit, align_lit) =
            (proc_macro2::Literal::u32_unsuffixed(*size), proc_macro2::Literal::u32_unsuffixed(*align));
        let doc = names::doc_lines(&format!(
            "A `{name}` ({size} bytes) in the guest memory of one [`{class}`] object: a C context \
             object kept between calls.\n\n\
             Created zeroed by [`{ty}::new`]; dropping it frees and wipes the guest memory at the \
             object's next call. It is only valid with the object that made it, and only until that \
             object's guest traps (the guest is then re-instantiated and the C state is gone): using \
             it elsewhere fails with `Error::Argument`."
        ));
        let new_doc = names::doc_lines(&format!(
            "Allocates a zeroed `{name}` in `owner`'s guest memory.\n\n# Errors\n\nFails when the guest \
             lacks the persistent allocator exports or is out of memory."
        ));
        let methods = plan
            .functions
            .iter()
            .filter_map(|p| handle_methods::render(p, plan, class))
            .filter(|(s, _)| s == name)
            .map(|(_, m)| m);
        quote! {
            #doc
            #[derive(Debug)]
            #[rustfmt::skip]
            pub struct #ty(::wasm_bind_rt::Handle);

            #[allow(dead_code)]
            #[rustfmt::skip]
            impl #ty {
                #new_doc
                pub fn new(owner: &mut #class) -> ::core::result::Result<Self, ::wasm_bind_rt::Error> {
                    ::core::result::Result::Ok(Self(owner.__wb_guest.new_handle(#name, #size_lit, #align_lit)?))
                }
                #(#methods)*
            }
        }
    })
    .collect()
}

/// The struct's rustdoc, with the functions and globals left out.
pub fn struct_doc(model: &Model, not_bound: &[String]) -> TokenStream {
    let header = model
        .header
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut struct_doc = format!(
        "Typed bindings to the wasm guest declared by `{header}` (generated by wasm-bind; do not edit).\n\n\
         Each object owns one guest instance (its own wasmtime `Store`); the compiled module is shared \
         per process. Methods take `&mut self`: wrap the object in a `Mutex` to share it between threads.\n\n\
         Every call copies its inputs into one guest block (a per-instance scratch block for small \
         calls, else one arena allocation), calls the export, copies the outputs out, wipes the block \
         and resets (wipes) the arena. After a trap, a timeout or a broken guest ABI the instance is \
         replaced by a fresh one, so the object stays usable (guest state starts over). Limits (memory \
         cap, per-call timeout, wasm stack) are set with `from_bytes_with` and `wasm_bind_rt::Options`.\n"
    );
    if !not_bound.is_empty() {
        struct_doc.push_str(&format!("\n# Not bound\n\n{}\n", not_bound.join("\n")));
    }
    names::doc_lines(&struct_doc)
}

/// A constant's Rust type: `usize` when the headers write it as an array length (an element
/// count), else its C type (`#define N 64` is `int`: `i32`; `64u` `u32`; an enum value the enum's
/// type); a value its type cannot hold (never from the parser) falls back to `i64` / `u64`.
fn const_ty(c: &crate::model::ConstBinding) -> TokenStream {
    use crate::ir::Prim;
    let fits = |p: Prim| {
        let max = p.max_value().unwrap_or(0) as i128;
        let min = if p.is_signed() { -max - 1 } else { 0 };
        (min..=max).contains(&c.value)
    };
    if c.sizes_arrays && (0..=i128::from(u32::MAX)).contains(&c.value) {
        return quote!(usize);
    }
    match c.ty {
        p @ (Prim::I8
        | Prim::U8
        | Prim::I16
        | Prim::U16
        | Prim::I32
        | Prim::U32
        | Prim::I64
        | Prim::U64)
            if fits(p) =>
        {
            names::scalar_ty(p)
        }
        _ if i64::try_from(c.value).is_ok() => quote!(i64),
        _ => quote!(u64),
    }
}

/// The header's constants as associated consts.
pub fn consts(plan: &Plan<'_>) -> Vec<TokenStream> {
    let model = plan.model;
    model
        .constants
        .iter()
        .zip(&plan.names.rust_constants)
        .map(|(c, name)| {
            let name = names::ident(name);
            let value = proc_macro2::Literal::i128_unsuffixed(c.value);
            let ty = const_ty(c);
            let doc = names::doc_lines(&format!(
                "`{}` from the header.{}",
                c.name,
                names::c_doc(c.doc.as_deref())
            ));
            let allow = if names::is_upper(&c.name) {
                quote!()
            } else {
                quote!(#[allow(non_upper_case_globals)])
            };
            quote! { #doc #allow pub const #name: #ty = #value; }
        })
        .collect()
}

/// The persistent-block exports `Exports::expected` lists when handles are bound.
pub fn persist(plan: &Plan<'_>) -> TokenStream {
    // Handles live in persistent blocks: their exports are expected too.
    if !plan.needs_persist {
        quote!()
    } else {
        let (alloc, free) = (
            crate::validate::PERSIST_ALLOC,
            crate::validate::PERSIST_FREE,
        );
        quote! {
            ::wasm_bind_rt::Expect::func::<(u32,), u32>(#alloc),
            ::wasm_bind_rt::Expect::func::<(u32, u32), ()>(#free),
        }
    }
}

/// `WASM`, `new()` and `with_options()` when a wasm is embedded.
pub fn embedded(class: &Ident, opts: &RustOptions) -> Option<TokenStream> {
    opts.embed_wasm.as_ref().map(|wasm| {
        let path = wasm.to_string_lossy().into_owned();
        let doc = names::doc_lines(&format!(
            "Instantiates the guest embedded at compile time from `{}`.\n\n# Errors\n\nFails when the embedded \
             guest lacks an export the bindings need.",
            wasm.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
        ));
        quote! {
            #[allow(dead_code)]
            #[rustfmt::skip]
            impl #class {
                /// The guest `.wasm` embedded at compile time (hidden from rustdoc, which would print every byte).
                #[doc(hidden)]
                pub const WASM: &'static [u8] = ::core::include_bytes!(#path);

                #doc
                pub fn new() -> ::core::result::Result<Self, ::wasm_bind_rt::Error> {
                    Self::from_bytes(Self::WASM)
                }

                /// Instantiates the embedded guest like [`Self::new`], under the limits `options`.
                ///
                /// # Errors
                ///
                /// Fails as [`Self::new`] does, on invalid `options`, and when the guest's initial
                /// memory exceeds `options.max_memory`.
                pub fn with_options(options: &::wasm_bind_rt::Options) -> ::core::result::Result<Self, ::wasm_bind_rt::Error> {
                    Self::from_bytes_with(Self::WASM, options)
                }
            }
        }
    })
}

/// `include_bytes!` of every tracked input, so editing one rebuilds the crate.
pub fn tracked(opts: &RustOptions) -> Vec<TokenStream> {
    opts.track
        .iter()
        .map(|p| {
            let path = p.to_string_lossy().into_owned();
            quote!(
                #[rustfmt::skip] const _: &[u8] = ::core::include_bytes!(#path);
            )
        })
        .collect()
}

/// The constructors and accessors every generated struct has (`from_bytes`, `from_file`, their
/// `_with` forms, `options`, the hidden test hooks).
pub fn constructors(model: &Model) -> TokenStream {
    let (alloc, reset) = (model.arena.alloc.as_str(), model.arena.reset.as_str());
    quote! {
            /// Instantiates the guest from its wasm bytes (compiled once per process and cached;
            /// later objects only instantiate).
            ///
            /// # Errors
            ///
            /// Fails on invalid wasm or when the guest lacks an export the bindings need.
            pub fn from_bytes(wasm: &[u8]) -> ::core::result::Result<Self, ::wasm_bind_rt::Error> {
                ::core::result::Result::Ok(Self { __wb_guest: ::wasm_bind_rt::Guest::new(wasm, #alloc, #reset)? })
            }

            /// Reads the guest `.wasm` at `path` and instantiates it like [`Self::from_bytes`].
            ///
            /// # Errors
            ///
            /// Fails when the file cannot be read, and as [`Self::from_bytes`] does.
            pub fn from_file(path: impl ::core::convert::AsRef<::std::path::Path>) -> ::core::result::Result<Self, ::wasm_bind_rt::Error> {
                ::core::result::Result::Ok(Self { __wb_guest: ::wasm_bind_rt::Guest::from_file(path.as_ref(), #alloc, #reset)? })
            }

            /// Instantiates the guest from its wasm bytes like [`Self::from_bytes`], under the
            /// limits `options` (memory cap, per-call timeout, wasm stack).
            ///
            /// # Errors
            ///
            /// Fails as [`Self::from_bytes`] does, on invalid `options`, and when the guest's
            /// initial memory exceeds `options.max_memory`.
            pub fn from_bytes_with(wasm: &[u8], options: &::wasm_bind_rt::Options) -> ::core::result::Result<Self, ::wasm_bind_rt::Error> {
                ::core::result::Result::Ok(Self { __wb_guest: ::wasm_bind_rt::Guest::with_options(wasm, #alloc, #reset, options)? })
            }

            /// Reads the guest `.wasm` at `path` and instantiates it like [`Self::from_bytes_with`].
            ///
            /// # Errors
            ///
            /// Fails when the file cannot be read, and as [`Self::from_bytes_with`] does.
            pub fn from_file_with(path: impl ::core::convert::AsRef<::std::path::Path>, options: &::wasm_bind_rt::Options) -> ::core::result::Result<Self, ::wasm_bind_rt::Error> {
                ::core::result::Result::Ok(Self { __wb_guest: ::wasm_bind_rt::Guest::from_file_with(path.as_ref(), #alloc, #reset, options)? })
            }

            /// The limits this object was created with.
            pub fn options(&self) -> &::wasm_bind_rt::Options {
                self.__wb_guest.options()
            }

            /// A copy of the guest's whole linear memory (tests scan it for leftover secrets).
            #[doc(hidden)]
            pub fn __wb_memory(&self) -> ::std::vec::Vec<u8> {
                self.__wb_guest.__memory()
            }

            /// How many times the guest was re-instantiated after a trap, timeout or ABI violation.
            #[doc(hidden)]
            pub fn __wb_generation(&self) -> u64 {
                self.__wb_guest.__generation()
            }

    }
}
