//! wasm-bind's generator: C header of a wasm32 guest -> typed Rust and Python host bindings.
//!
//! One pipeline shared by every entry point (build.rs [`builder`], the proc macro, the `gen` CLI):
//!
//! 1. [`parse`]: libclang reads the header into the [`ir`] (all libclang contact is in `clang`).
//! 2. [`roles`]: inference plus annotations and [`config`] turn the IR into the binding [`model`].
//! 3. [`plan`]: decides each bound function's call ABI once (core signature, arena layout,
//!    checks, results, names, bindability) for every consumer below.
//! 4. [`validate`]: optionally checks the plan against the `.wasm`'s exports.
//! 5. [`emit`]: renders the plan as Rust (quote) or Python (minijinja templates in `templates/`).
//!
//! Problems are [`diag::Diagnostics`], released at each stage boundary.

pub mod builder;
pub mod checks;
mod clang;
pub mod config;
pub mod diag;
pub mod emit;
pub mod explain;
pub mod ir;
pub mod model;
mod model_calls;
pub mod parse;
pub mod plan;
pub mod roles;
pub mod validate;
pub mod wasi;

use std::path::PathBuf;

pub use diag::{Diagnostic, Diagnostics};

/// Who is running the pipeline. It changes how paths are reported, never what is generated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generator {
    /// A build script through [`builder::Builder`]: prints `cargo:rerun-if-changed` lines.
    Build,
    /// The `wasm_bind!` proc macro: diagnostics become `compile_error!` at the call site.
    Macro,
    /// The `gen` command-line tool: diagnostics are rendered with the source line underlined.
    Cli,
}

/// What to generate from; shared by every entry point.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Options {
    /// The guest's main C header.
    pub header: PathBuf,
    /// The sidecar TOML config, if any.
    pub config: Option<PathBuf>,
    /// The guest `.wasm`; when given, the bound exports are validated against it.
    pub wasm: Option<PathBuf>,
    /// Extra arguments for clang (`-I`, `-D`), after the wasm32 defaults.
    pub clang_args: Vec<String>,
    /// Who is calling.
    pub generator: Generator,
}

impl Options {
    /// Options for `header` with no config, no wasm and no extra clang arguments.
    pub fn new(header: impl Into<PathBuf>, generator: Generator) -> Self {
        Options {
            header: header.into(),
            config: None,
            wasm: None,
            clang_args: Vec::new(),
            generator,
        }
    }
}

/// Runs parse -> roles (-> validate when a wasm is given) and returns the binding model.
pub fn load(opts: &Options) -> Result<model::Model, Diagnostics> {
    let config = match &opts.config {
        Some(path) => config::Config::load(path)?,
        None => config::Config::default(),
    };
    let header = parse::parse(&opts.header, &config, &opts.clang_args)?;
    let mut model = roles::bind(&header, &config)?;
    if let Some(wasm) = &opts.wasm {
        model.wasi = validate::validate_file(&model, wasm)?;
    }
    Ok(model)
}
