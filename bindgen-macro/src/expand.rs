//! The expansion of `wasm_bind!` as a plain function over `proc_macro2` tokens: parse the
//! arguments, run `bindgen_core::load` (Generator::Macro), render with the same options a
//! build script uses. Also compiled into the test suite (`#[path]`) to prove the macro, the
//! build script and the CLI produce the same code.

use std::path::{Path, PathBuf};

use proc_macro2::{Span, TokenStream};
use quote::quote_spanned;
use syn::parse::{Parse, ParseStream};
use syn::{Ident, LitStr, Token};

use bindgen_core::{Diagnostics, Generator, Options};

/// The macro's arguments: `"header.h"` then optional `key = "value"` pairs.
pub struct Args {
    /// The header literal (its span is where errors point).
    pub header: LitStr,
    /// `config = "..."`.
    pub config: Option<LitStr>,
    /// `wasm = "..."`.
    pub wasm: Option<LitStr>,
    /// `name = "..."`.
    pub name: Option<LitStr>,
}

impl Parse for Args {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let header: LitStr = input.parse().map_err(|e| {
            syn::Error::new(e.span(), "expected the guest's C header path as a string literal, e.g. `wasm_bind!(\"guest/monocypher.h\")`")
        })?;
        let mut args = Args {
            header,
            config: None,
            wasm: None,
            name: None,
        };
        while !input.is_empty() {
            input.parse::<Token![,]>()?;
            if input.is_empty() {
                break;
            }
            let key: Ident = input.parse()?;
            input.parse::<Token![=]>()?;
            let value: LitStr = input.parse()?;
            let slot = match key.to_string().as_str() {
                "config" => &mut args.config,
                "wasm" => &mut args.wasm,
                "name" => &mut args.name,
                other => {
                    return Err(syn::Error::new(
                        key.span(),
                        format!("unknown argument `{other}`; expected `config = \"...\"`, `wasm = \"...\"` or `name = \"...\"`"),
                    ))
                }
            };
            if slot.is_some() {
                return Err(syn::Error::new(
                    key.span(),
                    format!("`{key}` is given twice"),
                ));
            }
            *slot = Some(value);
        }
        Ok(args)
    }
}

/// Expands `wasm_bind!(input)` for a crate whose manifest is in `manifest_dir`.
pub fn expand(input: TokenStream, manifest_dir: &Path) -> TokenStream {
    let args: Args = match syn::parse2(input) {
        Ok(args) => args,
        Err(e) => return e.to_compile_error(),
    };
    match generate(&args, manifest_dir) {
        Ok(tokens) => tokens,
        Err(diags) => compile_error(args.header.span(), &diags),
    }
}

/// Runs the pipeline for parsed arguments.
pub fn generate(args: &Args, manifest_dir: &Path) -> Result<TokenStream, Diagnostics> {
    let resolve = |lit: &LitStr| -> PathBuf {
        bindgen_core::builder::absolute(&PathBuf::from(lit.value()), manifest_dir)
    };
    missing_paths(args, manifest_dir)?;
    let mut opts = Options::new(resolve(&args.header), Generator::Macro);
    opts.config = args.config.as_ref().map(resolve);
    opts.wasm = args.wasm.as_ref().map(resolve);
    let name = args.name.as_ref().map(LitStr::value);
    let model = bindgen_core::builder::load_for_rust(&opts, name.as_deref())?;
    Ok(bindgen_core::emit::rust::render_with(
        &model,
        &bindgen_core::builder::rust_options_for(&opts, &model),
    ))
}

/// The header, config or wasm paths that do not name a file, each one error saying where
/// relative paths start: the crate's `CARGO_MANIFEST_DIR`, not the shell's current directory.
fn missing_paths(args: &Args, manifest_dir: &Path) -> Result<(), Diagnostics> {
    let mut diags = Diagnostics::default();
    let given = [
        ("header", Some(&args.header)),
        ("config", args.config.as_ref()),
        ("wasm", args.wasm.as_ref()),
    ];
    for (what, lit) in given.into_iter().filter_map(|(w, l)| l.map(|l| (w, l))) {
        let path = bindgen_core::builder::absolute(&PathBuf::from(lit.value()), manifest_dir);
        if path.is_file() {
            continue;
        }
        let problem = if path.is_dir() {
            "is a directory, expected a file"
        } else {
            "not found"
        };
        diags.push(bindgen_core::Diagnostic::global(format!("{what} `{}` {problem}", path.display())).help(format!(
            "paths in wasm_bind! are relative to CARGO_MANIFEST_DIR, the folder of this crate's Cargo.toml (`{}`), \
             not the current directory: e.g. \"guest/{}\" for a file in <crate>/guest/",
            manifest_dir.display(),
            path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
        )));
    }
    diags.finish(())
}

/// ONE `compile_error!` carrying every diagnostic (file:line:col, the quoted source line, the fix).
fn compile_error(span: Span, diags: &Diagnostics) -> TokenStream {
    let mut message = diags.render();
    while message.ends_with('\n') {
        message.pop();
    }
    if diags.0.len() > 1 {
        message = format!("wasm_bind!: {} problems\n{message}", diags.0.len());
    } else {
        // rustc already says `error:`; a diagnostic without a position would say it twice.
        let message_body = message.strip_prefix("error: ").unwrap_or(&message);
        message = format!("wasm_bind!: {message_body}");
    }
    quote_spanned!(span=> ::core::compile_error!(#message);)
}
