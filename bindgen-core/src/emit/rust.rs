//! Rust back end: renders the binding model as tokens (quote) over the `wasm-bind-rt` runtime.

use crate::model::Model;
use proc_macro2::TokenStream;

/// Renders the bindings as tokens (what the proc macro returns).
pub fn render(model: &Model) -> TokenStream {
    let _ = model;
    TokenStream::new()
}

/// Renders the bindings as a prettyplease-formatted file (what `gen --rust` and the builder write).
pub fn render_file(model: &Model) -> Result<String, crate::diag::Diagnostics> {
    let tokens = render(model);
    let file: syn::File = syn::parse2(tokens).map_err(|e| {
        crate::diag::Diagnostic::global(format!("internal error: generated Rust does not parse: {e}"))
    })?;
    Ok(prettyplease::unparse(&file))
}
