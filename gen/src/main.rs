//! `wasm-bind` (the `gen` package): the command-line shell over bindgen-core. Explains roles,
//! writes Python or Rust bindings, checks that written bindings are up to date (for CI), and
//! builds a guest from C sources (`wasm-bind guest`, in [`guest`]).

mod guest;
mod toolchain;
mod wasi;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use bindgen_core::{Diagnostics, Generator, Options};
use clap::{Parser, Subcommand};

/// Generate typed host bindings (Python / JavaScript / Rust) for a C library compiled to wasm32.
///
/// Exactly one of --explain, --py, --ts or --rust selects what to do with HEADER. --config, --wasm and
/// --clang-arg apply to all of them; -o and --check too (with --explain, -o writes the report to a
/// file and --check compares it with that file). `guest` builds the .wasm from C sources.
#[derive(Parser, Debug)]
#[command(group(clap::ArgGroup::new("target").args(["out", "package"])))]
#[command(
    name = "wasm-bind",
    version,
    about,
    long_about = None,
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true,
    after_help = "`guest SOURCE... --header HEADER -o FILE.wasm` compiles a C library with the guest kit (see `guest --help`). \
                  Otherwise exactly one of --explain, --py, --ts or --rust. --config, --wasm and --clang-arg apply to all of them. \
                  With --explain, -o writes the report to a file instead of stdout and --check compares it with that file; \
                  --check needs -o in every mode (or --package with --py). C functions that cannot be bound are left out of --py/--ts/--rust output, \
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
    /// Write Python bindings: <PATH>/<module>.py, <PATH>/<module>.pyi and a copy of the wasm as
    /// <PATH>/<stem>.wasm (<module>: the header stem unless --module-name or [package] says). The
    /// module imports the shared runtime package wasm_bind_runtime (`pip install <checkout>/python`)
    /// unless --inline-runtime; --package DIR writes a pip-installable project instead.
    #[arg(long, group = "mode")]
    py: bool,
    /// Write Rust bindings (prettyplease-formatted) to the file given with -o.
    #[arg(long, group = "mode")]
    rust: bool,
    /// Write JavaScript/TypeScript bindings: <PATH>/<stem>.js (an ES module for Node >= 20 and
    /// browsers, no dependency), <PATH>/<stem>.d.ts and a copy of the wasm as <PATH>/<stem>.wasm.
    #[arg(long, group = "mode")]
    ts: bool,
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
    /// (default there: stdout). Required by --py, --rust and --check. Files are staged and renamed
    /// into place; an existing device or FIFO (`-o /dev/null`) is written in place instead.
    #[arg(short = 'o', long = "out", value_name = "PATH")]
    out: Option<PathBuf>,
    /// Do not write: regenerate in memory and compare with what is on disk; exit 1 with a diff
    /// and the command that fixes it when the files are stale. Compares the files -o (or --package)
    /// names (with --explain: the report file).
    #[arg(long, requires = "target")]
    check: bool,
    /// With --py: write a pip-installable project into DIR instead of a loose module: pyproject.toml
    /// ([package] name/version; wasmtime as its dependency), the package <module>/ with __init__.py,
    /// its stub, py.typed, a bundled copy of the runtime and the .wasm as package data. A DIR
    /// holding files wasm-bind did not write is refused unless --force (no file is ever deleted).
    #[arg(long, value_name = "DIR", requires = "py", conflicts_with = "out")]
    package: Option<PathBuf>,
    /// With --package: write into a DIR that holds other files (they are kept).
    #[arg(long, requires = "package")]
    force: bool,
    /// With --py: the Python module / package name (default: [package] module, else the header stem).
    #[arg(long, value_name = "NAME", requires = "py")]
    module_name: Option<String>,
    /// With --py: paste the runtime into the module (one self-contained .py that needs only wasmtime)
    /// instead of importing the shared wasm_bind_runtime package.
    #[arg(long, requires = "py", conflicts_with = "package")]
    inline_runtime: bool,
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
    if !(cli.explain || cli.py || cli.rust || cli.ts) {
        return Err(bindgen_core::Diagnostic::global(
            "nothing to do: pass one of --explain, --py, --ts or --rust",
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
    warn(&model, header, cli.config.as_deref(), &cli.clang_args);
    if cli.py {
        return python(cli, &opts, &model);
    }
    if cli.ts {
        return javascript(cli, &opts, &model);
    }
    let out = cli.out.as_ref().ok_or_else(|| {
        bindgen_core::Diagnostic::global("missing -o: where to write the bindings")
            .help("pass -o <file.rs>")
    })?;
    let code = bindgen_core::emit::rust::render_file(&model)?;
    write_or_check(
        cli,
        &[Output {
            path: out.clone(),
            contents: code.into_bytes(),
            artifact: false,
        }],
    )
}

/// `--ts`: `<stem>.js`, `<stem>.d.ts` and the `.wasm` in -o's folder; one warning per function
/// the JavaScript back end leaves out.
fn javascript(
    cli: &Cli,
    opts: &Options,
    model: &bindgen_core::model::Model,
) -> Result<ExitCode, Diagnostics> {
    let out = cli.out.as_ref().ok_or_else(|| {
        bindgen_core::Diagnostic::global("missing -o: the folder to write the module into")
            .help("pass -o <dir>")
    })?;
    let wasm = opts.wasm.as_ref().ok_or_else(|| {
        bindgen_core::Diagnostic::global(format!(
            "no guest .wasm for `{}`: --ts copies it beside the module as {}.wasm",
            model.header.display(),
            model.stem
        ))
        .help("pass --wasm <path to the guest .wasm>, or put it next to the header under the same stem")
    })?;
    if model.wasi {
        return Err(bindgen_core::Diagnostic::global(format!(
            "`{}` imports WASI (a libc guest): the JavaScript runtime does not provide WASI yet",
            wasm.display()
        ))
        .help("bind it for Python (--py) or Rust (--rust, wasm-bind-rt's `wasi` feature)")
        .into());
    }
    let wasm_bytes = std::fs::read(wasm).map_err(|e| {
        bindgen_core::Diagnostic::global(format!("cannot read wasm `{}`: {e}", wasm.display()))
    })?;
    let js = bindgen_core::emit::js::render(model);
    for (name, why) in &js.left_out {
        eprintln!("warning: `{name}` is not bound in JavaScript: {why}");
    }
    let file = |ext: &str| out.join(format!("{}.{ext}", model.stem));
    write_or_check(
        cli,
        &[
            Output {
                path: file("js"),
                contents: js.module.into_bytes(),
                artifact: false,
            },
            Output {
                path: file("d.ts"),
                contents: js.dts.into_bytes(),
                artifact: false,
            },
            Output {
                path: file("wasm"),
                contents: wasm_bytes,
                artifact: true,
            },
        ],
    )
}

/// `--py`: a loose module in -o's folder, or with --package a project folder.
fn python(
    cli: &Cli,
    opts: &Options,
    model: &bindgen_core::model::Model,
) -> Result<ExitCode, Diagnostics> {
    use bindgen_core::emit::python::{self as py, package};
    let out = cli.package.as_ref().or(cli.out.as_ref()).ok_or_else(|| {
        bindgen_core::Diagnostic::global("missing -o: where to write the bindings")
            .help("pass -o <dir> (a loose module) or --package <dir> (a pip-installable project)")
    })?;
    let config = match &cli.config {
        Some(path) => bindgen_core::config::Config::load(path)?,
        None => bindgen_core::config::Config::default(),
    };
    let names = package::names(&config.package, cli.module_name.as_deref(), &model.stem)?;
    let wasm = opts.wasm.as_ref().ok_or_else(|| {
        bindgen_core::Diagnostic::global(format!(
            "no guest .wasm for `{}`: --py copies it beside the module as {}.wasm",
            opts.header.display(),
            model.stem
        ))
        .help("pass --wasm <path to the guest .wasm>, or put it next to the header under the same stem")
    })?;
    let wasm_bytes = std::fs::read(wasm).map_err(|e| {
        bindgen_core::Diagnostic::global(format!("cannot read wasm `{}`: {e}", wasm.display()))
    })?;
    if cli.package.is_some() {
        let files = package::files(model, &names, wasm_bytes)?;
        let outputs: Vec<Output> = files
            .into_iter()
            .map(|(rel, contents, artifact)| Output {
                path: out.join(rel),
                contents,
                artifact,
            })
            .collect();
        if !cli.check {
            refuse_foreign_dir(out, cli.force)?;
        }
        return write_or_check(cli, &outputs);
    }
    let mode = if cli.inline_runtime {
        py::RuntimeMode::Inline
    } else {
        py::RuntimeMode::Shared
    };
    let rendered = py::render_with(model, mode)?;
    let m = &names.module;
    write_or_check(
        cli,
        &[
            Output {
                path: out.join(format!("{m}.py")),
                contents: rendered.module.into_bytes(),
                artifact: false,
            },
            Output {
                path: out.join(format!("{m}.pyi")),
                contents: rendered.stub.into_bytes(),
                artifact: false,
            },
            Output {
                path: out.join(format!("{}.wasm", model.stem)),
                contents: wasm_bytes,
                artifact: true,
            },
        ],
    )
}

/// `--package DIR` writes only into an absent or empty DIR, one holding a project gen wrote
/// (its pyproject.toml starts with the marker), or with --force; it never deletes a file.
fn refuse_foreign_dir(dir: &Path, force: bool) -> Result<(), Diagnostics> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    let ours = std::fs::read_to_string(dir.join("pyproject.toml"))
        .is_ok_and(|t| t.starts_with(bindgen_core::emit::python::package::PYPROJECT_MARKER));
    let foreign: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    if force || ours || foreign.is_empty() {
        return Ok(());
    }
    Err(bindgen_core::Diagnostic::global(format!(
        "--package `{}` already exists and holds files {} did not write ({})",
        dir.display(),
        prog(),
        foreign.iter().take(5).cloned().collect::<Vec<_>>().join(", ")
    ))
    .help("pick a new or empty folder, or pass --force to write the package files into it (nothing there is deleted)")
    .into())
}

/// With --check compares `outputs` with the disk, else writes them.
fn write_or_check(cli: &Cli, outputs: &[Output]) -> Result<ExitCode, Diagnostics> {
    if cli.check {
        return Ok(check(outputs));
    }
    // Every file is written under a temporary name first and renamed into place only when all were
    // written: a failure leaves nothing half-written (the temporaries and the folders created for
    // them are removed again; existing files are untouched).
    let mut created: Vec<PathBuf> = Vec::new();
    let mut staged: Vec<PathBuf> = Vec::new();
    let result = (|| {
        for o in outputs {
            // A folder where a file goes would fail the rename after earlier files were renamed.
            if o.path.is_dir() {
                return Err(write_error(
                    &o.path,
                    &std::io::Error::other("a folder is in the way"),
                ));
            }
            if let Some(dir) = o.path.parent().filter(|d| !d.as_os_str().is_empty()) {
                let mut missing: Vec<PathBuf> = dir
                    .ancestors()
                    .take_while(|a| !a.as_os_str().is_empty() && !a.exists())
                    .map(Path::to_path_buf)
                    .collect();
                std::fs::create_dir_all(dir).map_err(|e| write_error(dir, &e))?;
                missing.reverse();
                created.extend(missing);
            }
            if is_special(&o.path) {
                staged.push(PathBuf::new()); // written in place below: renaming would replace it
                continue;
            }
            let tmp = temp_name(&o.path);
            staged.push(tmp.clone());
            std::fs::write(&tmp, &o.contents).map_err(|e| write_error(&o.path, &e))?;
        }
        for (o, tmp) in outputs.iter().zip(&staged) {
            if tmp.as_os_str().is_empty() {
                std::fs::write(&o.path, &o.contents).map_err(|e| write_error(&o.path, &e))?;
            } else {
                std::fs::rename(tmp, &o.path).map_err(|e| write_error(&o.path, &e))?;
            }
        }
        Ok(())
    })();
    if let Err(e) = result {
        for tmp in staged.iter().filter(|t| !t.as_os_str().is_empty()) {
            let _ = std::fs::remove_file(tmp);
        }
        for dir in created.iter().rev() {
            let _ = std::fs::remove_dir(dir); // only succeeds on an empty folder
        }
        return Err(e);
    }
    for o in outputs {
        eprintln!("wrote {}", o.path.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// An existing output that is neither a file nor a folder (`-o /dev/null`, a FIFO, `/dev/stdout`):
/// written in place, never staged and renamed over (that would replace the device with a file).
fn is_special(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

/// `<path>.wb-tmp-<pid>`: where a file is staged before it is renamed into place.
fn temp_name(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".wb-tmp-{}", std::process::id()));
    path.with_file_name(name)
}

/// Warnings on stderr before --py / --rust write anything (and from `guest`, which exports what is
/// bound): one `check:` per role inference
/// guessed (the function is bound; the message names the config line that settles it), one per C function left out of the
/// bindings for want of support (roles, or the call plan: `bindgen_core::plan`), with the reason,
/// then a note counting everything left out (skips on purpose included) and where to see more.
/// Nothing when all is bound. Stdout and the generated files are unaffected.
pub(crate) fn warn(
    model: &bindgen_core::model::Model,
    header: &Path,
    config_file: Option<&Path>,
    clang_args: &[String],
) {
    // Roles inference guessed (`bindgen_core::checks`): bound, but the user should confirm them.
    for c in bindgen_core::checks::checks(model) {
        eprintln!("{}: warning: check: {}", c.loc, c.message);
    }
    let plan = bindgen_core::plan::plan(model);
    if model.skipped.is_empty() && plan.not_bound.is_empty() {
        return;
    }
    // Functions left out on purpose (config `skip`, WB_SKIP) were the user's decision: counted, not warned.
    for s in model.skipped.iter().filter(|s| !s.deliberate) {
        eprintln!(
            "{}: warning: `{}` is not bound: {}",
            s.loc, s.name, s.reason
        );
    }
    for (f, why) in &plan.not_bound {
        eprintln!("{}: warning: `{}` is not bound: {why}", f.loc, f.name);
    }
    let mut config = config_file
        .map(|c| format!(" --config {}", c.display()))
        .unwrap_or_default();
    config.push_str(&clang_arg_flags(clang_args));
    let deliberate = model.skipped.iter().filter(|s| s.deliberate).count();
    let on_purpose = if deliberate > 0 {
        format!(" ({deliberate} on purpose: config `skip`, WB_SKIP, or a handle's destructor)")
    } else {
        String::new()
    };
    eprintln!(
        "note: {} C function(s) left out of the bindings{on_purpose}; `{} --explain {}{config}` lists them with the roles of every bound function",
        model.skipped.len() + plan.not_bound.len(),
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

/// `clang_args` as `--clang-arg=` options to paste into a shell: `-isystem DIR` joined into one
/// argument (`--clang-arg=-isystemDIR`), and an argument with a character a shell would split or
/// expand single-quoted (`'--clang-arg=-Imy inc'`).
pub(crate) fn clang_arg_flags(clang_args: &[String]) -> String {
    let mut out = String::new();
    let mut args = clang_args.iter();
    while let Some(a) = args.next() {
        let joined = match a.as_str() {
            "-isystem" => format!("-isystem{}", args.next().map_or("", String::as_str)),
            _ => a.clone(),
        };
        let flag = format!("--clang-arg={joined}");
        let plain = flag
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=+:,@%".contains(c));
        if plain {
            out.push_str(&format!(" {flag}"));
        } else {
            out.push_str(&format!(" '{}'", flag.replace('\'', "'\\''")));
        }
    }
    out
}
