//! `wasm-bind` (the `gen` package): the command-line shell over bindgen-core. Explains roles,
//! writes Python or Rust bindings, checks that written bindings are up to date (for CI), and
//! builds a guest from C sources (`wasm-bind guest`, in [`guest`]).

mod guest;
mod toolchain;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use bindgen_core::{Diagnostics, Generator, Options};
use clap::{Parser, Subcommand};

/// Generate typed host bindings (Python / Rust) for a C library compiled to wasm32.
///
/// Exactly one of --explain, --py or --rust selects what to do with HEADER. --config, --wasm and
/// --clang-arg apply to all three; -o and --check too (with --explain, -o writes the report to a
/// file and --check compares it with that file). `guest` builds the .wasm from C sources.
#[derive(Parser, Debug)]
#[command(
    name = "wasm-bind",
    version,
    about,
    long_about = None,
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true,
    after_help = "`guest SOURCE... --header HEADER -o FILE.wasm` compiles a C library with the guest kit (see `guest --help`). \
                  Otherwise exactly one of --explain, --py or --rust. --config, --wasm and --clang-arg apply to all three. \
                  With --explain, -o writes the report to a file instead of stdout and --check compares it with that file; \
                  --check needs -o in every mode. C functions that cannot be bound are left out of --py/--rust output, \
                  with one warning each on stderr (those skipped on purpose by the config or WB_SKIP are only counted); \
                  --explain lists them."
)]
struct Cli {
    /// A subcommand instead of a mode.
    #[command(subcommand)]
    command: Option<Cmd>,
    /// Print, per function, each parameter's role and the rule, annotation or config entry that
    /// decided it; functions that are not bound are listed with the reason. To stdout, or to the
    /// file given with -o.
    #[arg(long, group = "mode")]
    explain: bool,
    /// Write Python bindings: <PATH>/<stem>.py, <PATH>/<stem>.pyi and a copy of the wasm as <PATH>/<stem>.wasm.
    #[arg(long, group = "mode")]
    py: bool,
    /// Write Rust bindings (prettyplease-formatted) to the file given with -o.
    #[arg(long, group = "mode")]
    rust: bool,
    /// The guest's C header.
    #[arg(required = true)]
    header: Option<PathBuf>,
    /// Sidecar TOML config (roles for headers you cannot edit, module options).
    #[arg(long)]
    config: Option<PathBuf>,
    /// The guest .wasm: bound exports are validated against it, and --py copies it beside the
    /// module. Default: <stem>.wasm next to HEADER, when that file exists.
    #[arg(long)]
    wasm: Option<PathBuf>,
    /// Output: a directory with --py, a file with --rust, the report's file with --explain
    /// (default there: stdout). Required by --py, --rust and --check.
    #[arg(short = 'o', long = "out", value_name = "PATH")]
    out: Option<PathBuf>,
    /// Do not write: regenerate in memory and compare with what is on disk; exit 1 with a diff
    /// and the command that fixes it when the files are stale. Compares the files -o names (with
    /// --explain: the report file).
    #[arg(long, requires = "out")]
    check: bool,
    /// Extra clang argument (repeatable), e.g. -I or -D.
    #[arg(long = "clang-arg", allow_hyphen_values = true)]
    clang_args: Vec<String>,
}

/// Subcommands.
#[derive(Subcommand, Debug)]
enum Cmd {
    /// Compile C sources and the guest kit into a guest .wasm exporting HEADER's bound functions.
    Guest(guest::GuestArgs),
}

/// A generated file and where it belongs.
struct Output {
    path: PathBuf,
    contents: Vec<u8>,
    /// A build artifact copied beside the generated source (the guest `.wasm`): `--check` compares
    /// it when it is on disk and only notes its absence, since projects usually do not commit it.
    artifact: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Some(Cmd::Guest(args)) => guest::run(args, &prog()),
        None => run(&cli),
    };
    match result {
        Ok(code) => code,
        Err(diags) => {
            eprint!("{}", diags.render());
            ExitCode::from(2)
        }
    }
}

/// The name the tool was invoked by (argv[0]'s file name: `wasm-bind`, or `gen` for an older
/// build), used in every command it suggests.
fn prog() -> String {
    std::env::args_os()
        .next()
        .and_then(|a| {
            Path::new(&a)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
        })
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "wasm-bind".into())
}

fn run(cli: &Cli) -> Result<ExitCode, Diagnostics> {
    let Some(header) = &cli.header else {
        return Err(
            bindgen_core::Diagnostic::global("missing HEADER: the guest's C header")
                .help(format!("see `{} --help`", prog()))
                .into(),
        );
    };
    if !(cli.explain || cli.py || cli.rust) {
        return Err(bindgen_core::Diagnostic::global(
            "nothing to do: pass one of --explain, --py or --rust",
        )
        .help(format!(
            "see `{} --help`; `{} guest` builds a guest from C sources",
            prog(),
            prog()
        ))
        .into());
    }
    if header.is_dir() {
        return Err(bindgen_core::Diagnostic::global(format!(
            "`{}` is a directory, expected a C header file",
            header.display()
        ))
        .help("pass the guest's header itself, e.g. `<dir>/<library>.h`")
        .into());
    }
    let mut opts = Options::new(header, Generator::Cli);
    opts.config = cli.config.clone();
    opts.wasm = cli.wasm.clone().or_else(|| sibling_wasm(header));
    opts.clang_args = cli.clang_args.clone();
    let model = bindgen_core::load(&opts)?;

    if cli.explain {
        let report = bindgen_core::explain::explain(&model);
        let Some(out) = &cli.out else {
            print!("{report}");
            return Ok(ExitCode::SUCCESS);
        };
        return write_or_check(
            cli,
            &[Output {
                path: out.clone(),
                contents: report.into_bytes(),
                artifact: false,
            }],
        );
    }
    warn(&model, cli, header);
    let out = cli.out.as_ref().ok_or_else(|| {
        bindgen_core::Diagnostic::global("missing -o: where to write the bindings").help(
            if cli.py {
                "pass -o <dir>"
            } else {
                "pass -o <file.rs>"
            },
        )
    })?;
    let outputs = if cli.py {
        let wasm = opts.wasm.as_ref().ok_or_else(|| {
            bindgen_core::Diagnostic::global(format!(
                "no guest .wasm for `{}`: --py copies it beside the module as {}.wasm",
                header.display(),
                model.stem
            ))
            .help("pass --wasm <path to the guest .wasm>, or put it next to the header under the same stem")
        })?;
        let py = bindgen_core::emit::python::render(&model)?;
        let wasm_bytes = std::fs::read(wasm).map_err(|e| {
            bindgen_core::Diagnostic::global(format!("cannot read wasm `{}`: {e}", wasm.display()))
        })?;
        vec![
            Output {
                path: out.join(format!("{}.py", model.stem)),
                contents: py.module.into_bytes(),
                artifact: false,
            },
            Output {
                path: out.join(format!("{}.pyi", model.stem)),
                contents: py.stub.into_bytes(),
                artifact: false,
            },
            Output {
                path: out.join(format!("{}.wasm", model.stem)),
                contents: wasm_bytes,
                artifact: true,
            },
        ]
    } else {
        let code = bindgen_core::emit::rust::render_file(&model)?;
        vec![Output {
            path: out.clone(),
            contents: code.into_bytes(),
            artifact: false,
        }]
    };
    write_or_check(cli, &outputs)
}

/// With --check compares `outputs` with the disk, else writes them.
fn write_or_check(cli: &Cli, outputs: &[Output]) -> Result<ExitCode, Diagnostics> {
    if cli.check {
        return Ok(check(outputs));
    }
    for o in outputs {
        if let Some(dir) = o.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| write_error(dir, &e))?;
        }
        std::fs::write(&o.path, &o.contents).map_err(|e| write_error(&o.path, &e))?;
        eprintln!("wrote {}", o.path.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// Warnings on stderr before --py / --rust write anything: one line per size taken only by position
/// under a name unlike a size, one per C function the generator could not bind (with the reason),
/// then a note counting everything left out (skips on purpose included) and where to see more.
/// Nothing when all is bound and named like sizes. Stdout and the generated files are unaffected.
fn warn(model: &bindgen_core::model::Model, cli: &Cli, header: &Path) {
    // Sizes inferred by position whose names do not read like sizes: probably not sizes at all.
    for (f, i, buffer) in model.unusual_sizes() {
        let p = &f.params[i];
        eprintln!(
            "{}: warning: `{}` of `{}` is taken as the size of `{buffer}` only because it follows it; \
             its name does not read like a size (if it is not one: [functions.{}.params] {} = \"scalar\", or WB_SCALAR)",
            p.loc, p.name, f.name, f.name, p.name
        );
    }
    if model.skipped.is_empty() {
        return;
    }
    // Functions left out on purpose (config `skip`, WB_SKIP) were the user's decision: counted, not warned.
    for s in model.skipped.iter().filter(|s| !s.deliberate) {
        eprintln!(
            "{}: warning: `{}` is not bound: {}",
            s.loc, s.name, s.reason
        );
    }
    let mut config = cli
        .config
        .as_ref()
        .map(|c| format!(" --config {}", c.display()))
        .unwrap_or_default();
    for a in &cli.clang_args {
        config.push_str(&format!(" --clang-arg={a}"));
    }
    let deliberate = model.skipped.iter().filter(|s| s.deliberate).count();
    let on_purpose = if deliberate > 0 {
        format!(" ({deliberate} skipped on purpose by the config or WB_SKIP)")
    } else {
        String::new()
    };
    eprintln!(
        "note: {} C function(s) left out of the bindings{on_purpose}; `{} --explain {}{config}` lists them with the roles of every bound function",
        model.skipped.len(),
        prog(),
        header.display()
    );
}

/// `<dir>/<stem>.wasm` beside the header, when it exists (the layout `guests/build.sh` writes).
fn sibling_wasm(header: &Path) -> Option<PathBuf> {
    let candidate = header.with_extension("wasm");
    candidate.is_file().then_some(candidate)
}

fn write_error(path: &Path, e: &std::io::Error) -> Diagnostics {
    bindgen_core::Diagnostic::global(format!("cannot write `{}`: {e}", path.display())).into()
}

/// Compares each output with the file on disk; prints a diff of the first stale text file.
fn check(outputs: &[Output]) -> ExitCode {
    let mut stale = Vec::new();
    for o in outputs {
        let on_disk = std::fs::read(&o.path).ok();
        if on_disk.as_deref() == Some(&o.contents[..]) {
            continue;
        }
        match &on_disk {
            None if o.artifact => {
                eprintln!("not compared (absent): {}", o.path.display());
                continue;
            }
            None => eprintln!("missing: {}", o.path.display()),
            Some(old) => {
                eprintln!("stale: {}", o.path.display());
                if let (Ok(old), Ok(new)) =
                    (std::str::from_utf8(old), std::str::from_utf8(&o.contents))
                {
                    eprint!(
                        "{}",
                        bindgen_core::emit::diff(old, new, &o.path.display().to_string())
                    );
                } else {
                    eprintln!("  (binary file differs)");
                }
            }
        }
        stale.push(o.path.display().to_string());
    }
    if stale.is_empty() {
        let names: Vec<String> = outputs
            .iter()
            .map(|o| o.path.display().to_string())
            .collect();
        eprintln!("up to date: {}", names.join(", "));
        return ExitCode::SUCCESS;
    }
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--check")
        .collect();
    eprintln!(
        "\n{} generated file(s) out of date; regenerate with:\n  {} {}",
        stale.len(),
        prog(),
        args.join(" ")
    );
    ExitCode::from(1)
}
