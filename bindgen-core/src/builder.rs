//! The build.rs entry point: a builder in the spirit of rust-bindgen's, a thin shell over `load`
//! and `emit::rust`.
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let out_dir = std::path::PathBuf::from(std::env::var("OUT_DIR")?);
//!     bindgen_core::builder::Builder::new()
//!         .header("guest/monocypher.h")
//!         .config("guest/monocypher.toml")
//!         .wasm("guest/monocypher.wasm")
//!         .generate()?
//!         .write_to_file(out_dir.join("monocypher.rs"))?;
//!     Ok(())
//! }
//! // src/main.rs: include!(concat!(env!("OUT_DIR"), "/monocypher.rs"));
//! ```
//!
//! Relative paths are taken from the current directory (the package root when cargo runs a
//! build script) and made absolute, so the generated `include_bytes!` work from `OUT_DIR`.
//! `generate` prints `cargo:rerun-if-changed` for the header, every file it includes, the
//! config and the wasm, even when generation fails (so fixing the header reruns the script).

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Diagnostics};
use crate::emit::rust::RustOptions;
use crate::{Generator, Options};

/// Options for generating Rust bindings from a build script. One setter per field.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Builder {
    /// The guest's main C header (required).
    pub header: Option<PathBuf>,
    /// The sidecar TOML config.
    pub config: Option<PathBuf>,
    /// The guest `.wasm`: validated against the bindings and embedded (`<Class>::new()`).
    pub wasm: Option<PathBuf>,
    /// Extra clang arguments (`-I`, `-D`).
    pub clang_args: Vec<String>,
    /// The generated struct's name, overriding the config's `class_name` and the default.
    pub name: Option<String>,
    /// Print `cargo:rerun-if-changed` lines (default true; turn off outside build scripts).
    pub cargo_metadata: Option<bool>,
}

/// Generated bindings, ready to be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bindings {
    code: String,
    inputs: Vec<PathBuf>,
}

impl Builder {
    /// A builder with nothing set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the guest's main header.
    pub fn header(mut self, path: impl Into<PathBuf>) -> Self {
        self.header = Some(path.into());
        self
    }

    /// Sets the sidecar TOML config.
    pub fn config(mut self, path: impl Into<PathBuf>) -> Self {
        self.config = Some(path.into());
        self
    }

    /// Sets the guest `.wasm` to validate against and embed.
    pub fn wasm(mut self, path: impl Into<PathBuf>) -> Self {
        self.wasm = Some(path.into());
        self
    }

    /// Adds a clang argument.
    pub fn clang_arg(mut self, arg: impl Into<String>) -> Self {
        self.clang_args.push(arg.into());
        self
    }

    /// Names the generated struct (default: the config's `class_name`, else CamelCase of the stem).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Whether to print `cargo:rerun-if-changed` lines (default true).
    pub fn cargo_metadata(mut self, on: bool) -> Self {
        self.cargo_metadata = Some(on);
        self
    }

    /// The pipeline options this builder stands for (paths made absolute).
    pub fn options(&self) -> Result<Options, Diagnostics> {
        let header = self.header.as_deref().ok_or_else(|| {
            Diagnostic::global("no header given to the builder")
                .help("call `.header(\"path/to/guest.h\")`")
        })?;
        let cwd = std::env::current_dir().unwrap_or_default();
        let mut opts = Options::new(absolute(header, &cwd), Generator::Build);
        opts.config = self.config.as_deref().map(|p| absolute(p, &cwd));
        opts.wasm = self.wasm.as_deref().map(|p| absolute(p, &cwd));
        opts.clang_args = self.clang_args.clone();
        Ok(opts)
    }

    /// Runs the pipeline and renders the bindings (prettyplease-formatted, as `gen --rust`).
    pub fn generate(self) -> Result<Bindings, Diagnostics> {
        let opts = self.options()?;
        let print = self.cargo_metadata.unwrap_or(true);
        let known: Vec<PathBuf> = std::iter::once(opts.header.clone())
            .chain(opts.config.clone())
            .chain(opts.wasm.clone())
            .collect();
        let model = match load_for_rust(&opts, self.name.as_deref()) {
            Ok(model) => model,
            Err(diags) => {
                if print {
                    rerun_if_changed(&known);
                }
                return Err(diags);
            }
        };
        let mut inputs = known;
        for p in &model.inputs {
            if !inputs.contains(p) {
                inputs.push(p.clone());
            }
        }
        if print {
            rerun_if_changed(&inputs);
        }
        let code = crate::emit::rust::render_file_with(&model, &rust_options_for(&opts, &model))?;
        Ok(Bindings { code, inputs })
    }
}

/// [`crate::load`], then the struct name override both compile-time entry points accept.
pub fn load_for_rust(
    opts: &Options,
    name: Option<&str>,
) -> Result<crate::model::Model, Diagnostics> {
    let mut model = crate::load(opts)?;
    if let Some(name) = name {
        if syn::parse_str::<syn::Ident>(name).is_err() {
            return Err(Diagnostic::global(format!(
                "`{name}` is not a Rust identifier, so it cannot name the generated struct"
            ))
            .help("pass a CamelCase identifier, e.g. name = \"Monocypher\"")
            .into());
        }
        model.class_name = name.to_string();
    }
    Ok(model)
}

/// The Rust options both compile-time entry points (the macro and a build script) use, which is
/// what makes them generate the same code: embed the wasm when one is given, and track the
/// header, every file the model read and the config.
pub fn rust_options_for(opts: &Options, model: &crate::model::Model) -> RustOptions {
    let mut track = vec![opts.header.clone()];
    for p in model.inputs.iter().chain(opts.config.as_ref()) {
        if !track.contains(p) {
            track.push(p.clone());
        }
    }
    RustOptions {
        embed_wasm: opts.wasm.clone(),
        track,
    }
}

/// `path` made absolute against `base` and canonical when it exists (`..` and symlinks
/// resolved), so the macro and a build script name every input by the same path.
pub fn absolute(path: &Path, base: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        base.join(path)
    };
    std::fs::canonicalize(&joined).unwrap_or(joined)
}

fn rerun_if_changed(paths: &[PathBuf]) {
    for p in paths {
        println!("cargo:rerun-if-changed={}", p.display());
    }
}

impl Bindings {
    /// The generated Rust source.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// Every file the bindings were generated from (header, included files, config, wasm).
    pub fn inputs(&self) -> &[PathBuf] {
        &self.inputs
    }

    /// Writes the code to `path` (only when it changed, so the crate is not rebuilt needlessly).
    pub fn write_to_file(&self, path: impl AsRef<Path>) -> std::io::Result<()> {
        let path = path.as_ref();
        if std::fs::read_to_string(path).is_ok_and(|old| old == self.code) {
            return Ok(());
        }
        std::fs::write(path, &self.code)
    }
}

impl std::fmt::Display for Bindings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.code)
    }
}
