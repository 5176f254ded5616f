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

mod callbacks;
mod class;
mod enums;
mod expr;
mod follow;
mod func;
mod globals;
mod handle_methods;
mod names;
mod owned;
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
    render_parts(model, opts, false).0
}

/// The bindings as tokens; with `method_text`, the methods are left out of the tokens (a slot
/// method, [`class::METHODS_SLOT`], stands for them) and returned formatted, one by one.
fn render_parts<'m>(
    model: &'m Model,
    opts: &RustOptions,
    method_text: bool,
) -> (TokenStream, class::Items<'m>) {
    let class = match class_ident(model) {
        Ok(class) => class,
        Err(d) => {
            let message = d.to_string();
            return (
                quote!(::core::compile_error!(#message);),
                class::Items::default(),
            );
        }
    };
    let plan = crate::plan::plan(model);
    let exports = format_ident!("__Wb{}Exports", plan.names.class);
    let mut it = class::collect(&plan, method_text);
    let struct_types = class::struct_types(&plan, &it);
    let mut handle_types = class::handle_types(&plan, &class, &it.handles);
    handle_types.extend(owned::types(&plan, &class));
    let struct_doc = class::struct_doc(model, &it.not_bound);
    let consts = class::consts(&plan);
    let enum_items = enums::items(&plan);
    let persist = class::persist(&plan);
    let embedded = class::embedded(&class, opts);
    let tracked = class::tracked(opts);
    let ctors = class::constructors(model);
    let methods = std::mem::take(&mut it.methods);
    let fields = std::mem::take(&mut it.fields);
    let inits = std::mem::take(&mut it.inits);
    let expects = std::mem::take(&mut it.expects);
    let exports_items = exports_items(&exports, &fields, &inits, &expects, &persist);
    let slot = method_text.then(|| {
        quote!(
            fn __wb_methods_slot() {}
        )
    });

    let tokens = quote! {
        #struct_doc
        #[rustfmt::skip]
        pub struct #class {
            __wb_guest: ::wasm_bind_rt::Guest<#exports>,
        }

        // A binding exposes every bound function; a program using a few must not get warnings.
        // A C function named `from_bytes` or `to_x` keeps its name (`from_bytes_(&mut self)`), which
        // clippy's naming convention would flag in a checked-in `gen --rust` file.
        #[allow(dead_code, clippy::wrong_self_convention)]
        #[rustfmt::skip]
        impl #class {
            #(#consts)*

            #ctors

            #(#methods)*
            #slot
        }

        #embedded

        #(#handle_types)*

        #(#struct_types)*

        #(#enum_items)*

        #exports_items

        #(#tracked)*
    };
    (tokens, it)
}

/// The hidden struct holding the typed exports and its `Exports` impl (how they are bound and
/// what the guest must export).
fn exports_items(
    exports: &proc_macro2::Ident,
    fields: &[TokenStream],
    inits: &[TokenStream],
    expects: &[TokenStream],
    persist: &TokenStream,
) -> TokenStream {
    quote! {
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

            fn expected() -> &'static [::wasm_bind_rt::Expect] {
                const EXPECTED: &[::wasm_bind_rt::Expect] = &[#(#expects,)* #persist];
                EXPECTED
            }
        }
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
    // Methods are formatted one at a time (memory stays flat in the number of functions).
    let (tokens, it) = render_parts(model, opts, true);
    let not_parsed = |e: String| {
        crate::diag::Diagnostic::global(format!(
            "internal error: generated Rust does not parse: {e}"
        ))
    };
    if let Some(e) = it.format_error {
        return Err(not_parsed(e).into());
    }
    let file: syn::File = syn::parse2(tokens).map_err(|e| not_parsed(e.to_string()))?;
    let skeleton = prettyplease::unparse(&file);
    drop(file);
    let (before, after) = skeleton
        .split_once(class::METHODS_SLOT)
        .ok_or_else(|| not_parsed("the methods' slot is missing".into()))?;
    // Every item carries `#[rustfmt::skip]`: the layout is prettyplease's, identical whichever
    // entry point wrote it, and `cargo fmt --check` accepts a checked-in copy as it is.
    let mut out = format!(
        "// @generated by wasm-bind from {}; do not edit.\n\n{before}",
        file_label(model),
    );
    out.extend(it.method_text);
    out.push_str(after);
    Ok(out)
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
