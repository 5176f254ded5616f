//! `wasm_bind!`: the proc-macro shell over bindgen-core (parse input -> load -> emit::rust).
//!
//! ```ignore
//! wasm_bind!("guest/monocypher.h", config = "guest/monocypher.toml", wasm = "guest/monocypher.wasm");
//! let mut m = Monocypher::new()?;            // `new` exists because a wasm was given
//! let hash = m.crypto_blake2b(64, b"abc")?;
//! ```
//!
//! Paths are relative to the calling crate's `CARGO_MANIFEST_DIR`. Named arguments (all
//! optional): `config` (sidecar TOML), `wasm` (validated against the header and embedded with
//! `include_bytes!`, adding `new()`), `name` (the generated struct's name). The header, config
//! and wasm are tracked, so editing them rebuilds the crate. Problems become ONE
//! `compile_error!` at the call site naming the header's file:line:col and the fix.
//!
//! `WASM_BIND_MANIFEST_DIR`, when set, replaces `CARGO_MANIFEST_DIR` as the base of relative
//! paths: test harnesses such as trybuild compile the call site inside a generated crate.
//!
//! The expansion itself lives in `expand.rs` (plain `proc_macro2`), so that tests can run
//! exactly the code the macro runs.

mod expand;

/// Generates typed bindings for a wasm32 guest from its C header; see the crate docs.
#[proc_macro]
pub fn wasm_bind(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    let manifest_dir = std::env::var_os("WASM_BIND_MANIFEST_DIR")
        .or_else(|| std::env::var_os("CARGO_MANIFEST_DIR"))
        .map(std::path::PathBuf::from)
        .unwrap_or_default();
    expand::expand(input.into(), &manifest_dir).into()
}
