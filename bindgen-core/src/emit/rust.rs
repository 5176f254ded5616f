//! Rust back end: renders the binding model as tokens (quote) over the `wasm-bind-rt` runtime.
//!
//! Used by all three Rust entry points: the `wasm_bind!` macro ([`render_with`] tokens), a build
//! script through [`crate::builder::Builder`] and `gen --rust` ([`render_file_with`] /
//! [`render_file`], the same tokens formatted by prettyplease). For the same model and
//! [`RustOptions`] they produce the same code.
//!
//! Generated code: `pub struct <Class>` owning a `wasm_bind_rt::Guest`, constructors
//! (`from_bytes`, `from_file`, their `_with(.., &Options)` forms taking limits, and `new` /
//! `with_options` when a wasm is embedded), one method per bound function
//! (see [`func`]), one read method per exported C global (see [`globals`]; a struct global
//! reads into an owned `<Struct>Owned`), the header's constants as associated consts, and a
//! private exports struct of `TypedFunc`s (and globals) looked up once per instance. No
//! `unsafe`; lengths are converted with `try_from`.
//!
//! Names: a method is named after the function's `method` (the C name minus `strip_prefix`), a
//! global's read method and a constant after their C names; a Rust keyword is written raw
//! (`r#type`), `self`/`Self`/`super`/`crate`/`_` get a trailing `_`. A name the struct defines
//! itself ([`RESERVED`]: `new`, `with_options`, `WASM`, `from_bytes`, `from_file`,
//! `from_bytes_with`, `from_file_with`, `options`, `__wb_memory`, `__wb_generation`, reserved
//! whether or not a wasm is embedded) or one an earlier item took gets `_` appended until it is
//! free: C `options` is `options_`, and a C `options_` after it `options__`. Functions are named
//! first, in declaration order, then globals, then constants ([`item_names`]); `gen --explain`
//! prints every name that differs. Nothing is dropped for its name.

mod expr;
mod func;
mod globals;
mod names;
mod structs;


use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::Model;

/// What besides the bindings themselves to generate; the same for the macro and a build script
/// given the same inputs. `gen --rust` uses the default (its output is checked in, so it must
/// not name absolute paths).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RustOptions {
    /// A guest `.wasm` to embed with `include_bytes!` (an absolute path, so that editing the file
    /// rebuilds the crate); adds `<Class>::new()`.
    pub embed_wasm: Option<PathBuf>,
    /// Files whose edits must rebuild the crate (header, config): each is `include_bytes!`ed
    /// into an unused `const _` (what the proc macro needs; build scripts print
    /// `cargo:rerun-if-changed` instead, but emitting both is harmless).
    pub track: Vec<PathBuf>,
}

/// The globals of `model` the Rust back end cannot render, with the reason (functions no back
/// end binds are the plan's `not_bound`; for `--explain`).
pub fn not_bound(model: &Model) -> Vec<(String, String)> {
    model
        .globals
        .iter()
        .filter_map(|g| globals::unsupported(g, model).map(|r| (format!("global {}", g.name), r)))
        .collect()
}

/// How a name from the plan is spelled in Rust source (`type` -> `r#type`).
pub fn spelled(name: &str) -> String {
    names::ident(name).to_string()
}

/// Renders the bindings as tokens with no embedded wasm and no tracked files.
pub fn render(model: &Model) -> TokenStream {
    render_with(model, &RustOptions::default())
}

/// Renders the bindings as tokens (what the proc macro returns).
pub fn render_with(model: &Model, opts: &RustOptions) -> TokenStream {
    let class = match class_ident(model) {
        Ok(class) => class,
        Err(d) => {
            let message = d.to_string();
            return quote!(::core::compile_error!(#message););
        }
    };
    let plan = crate::plan::plan(model);
    let exports = format_ident!("__Wb{}Exports", plan.names.class);
    let (alloc, reset) = (model.arena.alloc.as_str(), model.arena.reset.as_str());

    let mut methods = Vec::new();
    let mut fields = Vec::new();
    let mut inits = Vec::new();
    let mut handles: Vec<(String, u32, u32)> = Vec::new();
    let mut helper_names: Vec<String> = Vec::new();
    let mut by_value: Vec<&str> = Vec::new();
    let mut not_bound: Vec<String> = model
        .skipped
        .iter()
        .map(|s| format!("- `{}`: {}", s.name, s.reason))
        .chain(plan.not_bound.iter().map(|(f, why)| format!("- `{}`: {why}", f.name)))
        .collect();
    for p in &plan.functions {
        let t = func::render(p, &plan);
        methods.push(t.method);
        fields.push(t.field);
        inits.push(t.init);
        for h in t.helpers {
            if !helper_names.contains(&h.name) {
                helper_names.push(h.name);
                fields.push(h.field);
                inits.push(h.init);
            }
        }
        for q in &p.f.params {
            match &q.role {
                crate::model::Role::StructIn { struct_name } if !by_value.contains(&struct_name.as_str()) => {
                    by_value.push(struct_name)
                }
                crate::model::Role::Handle { struct_name, size, align }
                    if !handles.iter().any(|(n, _, _)| n == struct_name) =>
                {
                    handles.push((struct_name.clone(), *size, *align))
                }
                _ => {}
            }
        }
    }
    let mut owned: Vec<&str> = Vec::new();
    for (g, method) in model.globals.iter().zip(&plan.names.rust_globals) {
        if let Some(reason) = globals::unsupported(g, model) {
            not_bound.push(format!("- global `{}`: {reason}", g.name));
            continue;
        }
        let t = globals::render(g, model, &plan.names, method);
        methods.push(t.method);
        fields.push(t.field);
        inits.push(t.init);
        if let Some(s) = t.struct_name.as_deref().and_then(|n| model.find_struct(n)) {
            if !by_value.contains(&s.name.as_str()) {
                by_value.push(&s.name);
            }
            if structs::has_slices(s) && !owned.contains(&s.name.as_str()) {
                owned.push(&s.name);
            }
        }
    }
    let struct_types: Vec<TokenStream> = by_value
        .iter()
        .filter_map(|name| model.find_struct(name))
        .map(|s| structs::definition(s, &plan.names))
        .chain(
            owned
                .iter()
                .filter_map(|name| model.find_struct(name))
                .map(|s| structs::owned_definition(s, &plan.names)),
        )
        .collect();
    let handle_types = handles.iter().map(|(name, size, align)| {
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
            }
        }
    });

    let header = model
        .header
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut struct_doc = format!(
        "Typed bindings to the wasm guest declared by `{header}` (generated by wasm-bind; do not edit).\n\n\
         Each object owns one guest instance (its own wasmtime `Store`); the compiled module is shared \
         per process. Methods take `&mut self`: wrap the object in a `Mutex` to share it between threads.\n\n\
         Every call copies its inputs into one arena allocation, calls the export, copies the outputs \
         out and resets (wipes) the arena. After a trap, a timeout or a broken guest ABI the instance is \
         replaced by a fresh one, so the object stays usable (guest state starts over). Limits (memory \
         cap, per-call timeout, wasm stack) are set with `from_bytes_with` and `wasm_bind_rt::Options`.\n"
    );
    if !not_bound.is_empty() {
        struct_doc.push_str(&format!("\n# Not bound\n\n{}\n", not_bound.join("\n")));
    }
    let struct_doc = names::doc_lines(&struct_doc);

    let consts = model
        .constants
        .iter()
        .zip(&plan.names.rust_constants)
        .map(|(c, name)| {
            let name = names::ident(name);
            let value = proc_macro2::Literal::i64_unsuffixed(c.value);
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
            quote! { #doc #allow pub const #name: i64 = #value; }
        });

    let embedded = opts.embed_wasm.as_ref().map(|wasm| {
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
                /// The guest `.wasm` embedded at compile time.
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
    });
    let tracked = opts.track.iter().map(|p| {
        let path = p.to_string_lossy().into_owned();
        quote!(
            #[rustfmt::skip] const _: &[u8] = ::core::include_bytes!(#path);
        )
    });

    quote! {
        #struct_doc
        #[rustfmt::skip]
        pub struct #class {
            __wb_guest: ::wasm_bind_rt::Guest<#exports>,
        }

        // A binding exposes every bound function; a program using a few must not get warnings.
        #[allow(dead_code)]
        #[rustfmt::skip]
        impl #class {
            #(#consts)*

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

            #(#methods)*
        }

        #embedded

        #(#handle_types)*

        #(#struct_types)*

        #[doc(hidden)]
        #[allow(dead_code, non_snake_case, clippy::type_complexity)]
        #[rustfmt::skip]
        struct #exports {
            #(#fields,)*
        }

        #[rustfmt::skip]
        impl ::wasm_bind_rt::Exports for #exports {
            fn bind(__wb_binder: &mut ::wasm_bind_rt::Binder<'_>) -> ::core::result::Result<Self, ::wasm_bind_rt::Error> {
                ::core::result::Result::Ok(Self { #(#inits,)* })
            }
        }

        #(#tracked)*
    }
}

/// Renders the bindings as a prettyplease-formatted file with no embedded wasm (what `gen --rust` writes).
pub fn render_file(model: &Model) -> Result<String, crate::diag::Diagnostics> {
    render_file_with(model, &RustOptions::default())
}

/// Renders the bindings as a prettyplease-formatted file (what the builder writes).
pub fn render_file_with(
    model: &Model,
    opts: &RustOptions,
) -> Result<String, crate::diag::Diagnostics> {
    class_ident(model)?;
    let tokens = render_with(model, opts);
    let file: syn::File = syn::parse2(tokens).map_err(|e| {
        crate::diag::Diagnostic::global(format!(
            "internal error: generated Rust does not parse: {e}"
        ))
    })?;
    // Every item carries `#[rustfmt::skip]`: the layout is prettyplease's, identical whichever
    // entry point wrote it, and `cargo fmt --check` accepts a checked-in copy as it is.
    Ok(format!(
        "// @generated by wasm-bind from {}; do not edit.\n\n{}",
        file_label(model),
        prettyplease::unparse(&file)
    ))
}

/// The generated struct's name, refused when the config's `class_name` is not an identifier.
fn class_ident(model: &Model) -> Result<proc_macro2::Ident, crate::diag::Diagnostic> {
    let name = crate::plan::names::decide(model).class;
    syn::parse_str::<proc_macro2::Ident>(&name).map_err(|_| {
        crate::diag::Diagnostic::global(format!(
            "`{name}` is not a Rust identifier, so it cannot name the generated struct"
        ))
        .help("set `class_name` under [module] in the config to a CamelCase identifier")
    })
}

fn file_label(model: &Model) -> String {
    model
        .header
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
pub(crate) mod tests;
