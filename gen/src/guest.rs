//! `wasm-bind guest`: compiles a C library's sources with the guest kit into a validated wasm32
//! guest that exports exactly what its header binds, imports nothing (or, with `--wasi`, only
//! WASI preview 1 functions of wasi-libc), and says what it built.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use bindgen_core::model::Model;
use bindgen_core::wasi::Import;
use bindgen_core::{Diagnostic, Diagnostics, Generator, Options};
use wasmparser::{Parser, Payload, TypeRef};

use crate::toolchain::{self, Scratch, Tools};
use crate::wasi::WasiLibc;

/// Compile C sources and the guest kit into a guest .wasm for HEADER's bindings.
///
/// The module exports the functions and globals the header binds (after --config), `memory`,
/// `__heap_base` and the kit's arena ABI; nothing else, and it imports nothing (with --wasi:
/// WASI preview 1 functions only, and it also exports `_initialize`).
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Compiles each source with `clang-19 --target=wasm32 -ffreestanding -nostdlib -mbulk-memory -O<level>`, \
                        the guest kit's headers first on the include path (string.h, assert.h, stdlib.h, ctype.h; clang's own \
                        stdint.h, stddef.h, limits.h, stdbool.h), then links with `wasm-ld-19 --no-entry --stack-first`. \
                        WB_CLANG / WB_WASM_LD name other tools.\n\n\
                        --wasi builds a libc guest instead: `--target=wasm32-wasi --sysroot DIR -nostdlibinc -isystem DIR/include/wasm32-wasi` \
                        (only wasi-libc's headers: Debian's multiarch sysroot would otherwise add the host's /usr/include), \
                        linked as a reactor (crt1-reactor.o, what clang's -mexec-model=reactor links; `_initialize` is exported and \
                        the runtimes call it once per instance) with libc.a and clang's wasm32 builtins. The kit's arena then takes \
                        its memory from aligned_alloc/free, so it coexists with malloc. The module may import only \
                        `wasi_snapshot_preview1` functions; the runtimes grant them deny by default (no files, environment or \
                        arguments; output discarded unless asked). Needs Debian's `wasi-libc` and `libclang-rt-19-dev-wasm32`."
)]
pub struct GuestArgs {
    /// The library's C sources.
    #[arg(required = true, value_name = "SOURCE")]
    sources: Vec<PathBuf>,
    /// The library's public header: its bound functions are the module's exports.
    #[arg(long)]
    header: PathBuf,
    /// Sidecar TOML config (as for --py/--rust: skipped functions are not exported).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Extra clang argument for the library's sources and the header (repeatable), e.g. -DX or -Idir.
    #[arg(long = "clang-arg", allow_hyphen_values = true)]
    clang_args: Vec<String>,
    /// Optimisation level: 0, 1, 2, 3, s or z.
    #[arg(short = 'O', value_name = "LEVEL", default_value = "2", value_parser = ["0", "1", "2", "3", "s", "z"])]
    opt: String,
    /// Also export NAME, a function or global the sources define, whether or not the header binds
    /// it (repeatable): helpers bound from another header against the same module, or code the
    /// bindings do not cover yet. Each one is a way around the bindings' checks: list only what
    /// a host calls.
    #[arg(long = "export", value_name = "NAME")]
    exports: Vec<String>,
    /// C stack size in bytes (placed first in memory, so an overflow traps).
    #[arg(long, default_value_t = 1 << 20)]
    stack_size: u32,
    /// Build a libc guest against wasi-libc (malloc, stdio, time...): reactor model, WASI preview 1
    /// imports only.
    #[arg(long)]
    wasi: bool,
    /// The wasi-libc sysroot for --wasi (default: WB_WASI_SYSROOT, else /usr, Debian's layout):
    /// headers in DIR/include[/wasm32-wasi], libc.a and crt1-reactor.o in DIR/lib[/wasm32-wasi].
    #[arg(long, value_name = "DIR", requires = "wasi")]
    wasi_sysroot: Option<PathBuf>,
    /// The .wasm to write (its directory must exist).
    #[arg(short = 'o', long = "out", value_name = "FILE")]
    out: PathBuf,
}

/// The kit's exports besides the header's: the persistent blocks, the reset after a host wipe
/// (`wb_reset_wiped`) and the heap's start.
const KIT_EXPORTS: &[&str] = &[
    "wb_persist_alloc",
    "wb_persist_free",
    "wb_reset_wiped",
    "__heap_base",
];

/// Builds the guest; `prog` is the name the tool was invoked by (for the hint it prints).
pub fn run(args: &GuestArgs, prog: &str) -> Result<ExitCode, Diagnostics> {
    check_paths(args)?;
    let tools = Tools::find()?;
    let libc = match args.wasi {
        true => Some(WasiLibc::find(&tools.clang, args.wasi_sysroot.as_deref())?),
        false => None,
    };
    let mut opts = Options::new(&args.header, Generator::Cli);
    opts.config = args.config.clone();
    // A libc guest's header may include the C library's headers: parsed with wasi-libc's, as the
    // sources are compiled (the user's own clang arguments after them).
    opts.clang_args = libc
        .iter()
        .flat_map(|l| l.parse_args())
        .chain(args.clang_args.iter().cloned())
        .collect();
    let model = bindgen_core::load(&opts)?;
    // What the bindings will leave out (and the guest therefore does not export), as --py says it.
    crate::warn(
        &model,
        &args.header,
        args.config.as_deref(),
        &opts.clang_args,
    );
    let started = std::time::Instant::now();
    let scratch = Scratch::with_kit()?;
    let objects = compile_all(args, &tools, &scratch, libc.as_ref())?;

    let mut wanted = exports_of(&model);
    wanted.extend(args.exports.iter().cloned());
    let declared: Vec<&str> = wanted
        .iter()
        .map(String::as_str)
        .chain(model.skipped.iter().map(|s| s.name.as_str()))
        .collect();
    let link_with = Link {
        tools: &tools,
        objects: &objects,
        args,
        libc: libc.as_ref(),
    };
    let defined = probe_definitions(&link_with, &scratch, &declared)?;
    missing_definitions(&model, &wanted, &defined, args)?;

    let linked = scratch.dir.join("guest.wasm");
    // Callbacks are passed as indices into the guest's function table, which the host grows.
    let table = model.functions.iter().any(|f| {
        f.params
            .iter()
            .any(|p| matches!(p.role, bindgen_core::model::Role::Callback(_)))
    });
    link_with.link(wanted.iter().map(String::as_str), table, &[], &linked)?;
    let bytes = std::fs::read(&linked)
        .map_err(|e| Diagnostic::global(format!("cannot read the linked module: {e}")))?;
    let (imports, exports) = imports_exports(&bytes)?;
    check_imports(&imports, args.wasi)?;
    bindgen_core::validate::validate(&model, &bytes).map_err(|mut d| {
        for x in &mut d.0 {
            x.message = format!(
                "{} (in the module built for {})",
                x.message,
                args.out.display()
            );
        }
        d
    })?;
    write_atomically(&args.out, &bytes)?;
    let elapsed = started.elapsed();
    let parse = crate::clang_arg_flags(&opts.clang_args); // the next step parses as this one did
    report(
        args,
        &model,
        &bytes,
        (&imports, &exports),
        &defined,
        elapsed,
        (prog, &parse),
    );
    Ok(ExitCode::SUCCESS)
}

/// Sources must be files and -o a file in an existing directory, before anything is compiled.
fn check_paths(args: &GuestArgs) -> Result<(), Diagnostics> {
    let mut diags = Diagnostics::default();
    for src in &args.sources {
        if !src.is_file() {
            let what = if src.is_dir() {
                "is a directory, expected a C source file"
            } else {
                "not found"
            };
            diags.push(Diagnostic::global(format!(
                "source `{}` {what}",
                src.display()
            )));
        }
    }
    let dir = args
        .out
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if args.out.is_dir() {
        diags.push(Diagnostic::global(format!(
            "-o `{}` is a directory, expected the .wasm file to write",
            args.out.display()
        )));
    } else if !dir.is_dir() {
        diags.push(
            Diagnostic::global(format!(
                "cannot write `{}`: directory `{}` does not exist",
                args.out.display(),
                dir.display()
            ))
            .help("create it first, or pass -o with an existing directory"),
        );
    }
    diags.finish(())
}

/// What the module must export: the functions the call plan binds and the helpers their size
/// expressions call (`bindgen_core::plan`, the same decision every back end and `validate` read),
/// exposed globals, the arena, and [`KIT_EXPORTS`]. A function no back end binds (say, 18
/// parameters) is not exported.
fn exports_of(model: &Model) -> BTreeSet<String> {
    let plan = bindgen_core::plan::plan(model);
    let mut names: BTreeSet<String> = BTreeSet::new();
    for p in &plan.functions {
        names.insert(p.f.name.clone());
        names.extend(p.helpers.iter().map(|(h, _)| h.clone()));
    }
    names.extend(plan.destructors.iter().map(|(d, _)| d.clone()));
    names.extend(model.globals.iter().map(|g| g.name.clone()));
    names.extend([model.arena.alloc.clone(), model.arena.reset.clone()]);
    names.extend(KIT_EXPORTS.iter().map(|s| s.to_string()));
    names
}

/// Compiles the user's sources, then the kit's, into objects in the scratch directory; a source
/// that does not compile is an error after clang's diagnostics.
fn compile_all(
    args: &GuestArgs,
    tools: &Tools,
    scratch: &Scratch,
    libc: Option<&WasiLibc>,
) -> Result<Vec<PathBuf>, Diagnostics> {
    let kit = scratch.kit();
    let header_dir = args
        .header
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut objects = Vec::new();
    let kit_sources = match libc {
        None => toolchain::KIT_SOURCES,
        Some(_) => toolchain::KIT_SOURCES_LIBC,
    };
    let kit_sources = kit_sources.iter().map(|s| (kit.join(s), true));
    for (i, (src, is_kit)) in args
        .sources
        .iter()
        .map(|s| (s.clone(), false))
        .chain(kit_sources)
        .enumerate()
    {
        let stem = src
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let obj = scratch.dir.join(format!("{i}-{stem}.o"));
        let mut cmd = Command::new(&tools.clang);
        match libc {
            None => cmd.args(["--target=wasm32", "-nostdlib", "-ffreestanding"]),
            Some(libc) => cmd.args(libc.clang_args()),
        };
        cmd.args(["-mbulk-memory", "-Werror=implicit-function-declaration"])
            .arg(format!("-O{}", args.opt))
            .arg("-isystem");
        match libc {
            None => cmd.arg(kit.join("include")),
            Some(_) => cmd.arg(kit.join("wasi-include")),
        };
        cmd.arg("-I").arg(&kit);
        if is_kit && libc.is_some() {
            cmd.arg("-DWB_ARENA_LIBC");
        }
        if !is_kit {
            cmd.arg("-I").arg(header_dir).args(&args.clang_args);
        }
        cmd.arg("-c").arg(&src).arg("-o").arg(&obj);
        if let Err(failed) = toolchain::run(cmd) {
            eprint!("{}", failed.stderr);
            let what = if is_kit {
                "the guest kit's ".to_string()
            } else {
                String::new()
            };
            let mut d = Diagnostic::global(format!(
                "{what}`{}` does not compile ({} {}); clang's diagnostics are above",
                src.display(),
                tools.clang.display(),
                failed.status
            ));
            if let (None, Some(missing)) = (
                libc,
                bindgen_core::wasi::missing_libc_header(&failed.stderr),
            ) {
                d = d.help(format!(
                    "`{missing}` is a libc header: a freestanding guest has only the guest kit's string.h, assert.h, \
                     ctype.h and stdlib.h's integer helpers; build a library that needs libc with --wasi"
                ));
            }
            return Err(d.into());
        }
        objects.push(obj);
    }
    Ok(objects)
}

/// Links once exporting every declared function that is defined (`--export-if-defined`) and
/// returns the names the sources define. Symbols the code uses but nothing defines (`malloc`)
/// would be imports: an error naming them.
fn probe_definitions(
    link: &Link<'_>,
    scratch: &Scratch,
    declared: &[&str],
) -> Result<BTreeSet<String>, Diagnostics> {
    let probe = scratch.dir.join("probe.wasm");
    link.link(std::iter::empty(), false, declared, &probe)?;
    let bytes = std::fs::read(&probe)
        .map_err(|e| Diagnostic::global(format!("cannot read the linked module: {e}")))?;
    Ok(imports_exports(&bytes)?.1.into_iter().collect())
}

/// Every wanted export the link cannot provide: one error per function, at its declaration, with
/// the config line that leaves it out.
fn missing_definitions(
    model: &Model,
    wanted: &BTreeSet<String>,
    defined: &BTreeSet<String>,
    args: &GuestArgs,
) -> Result<(), Diagnostics> {
    let config = match &args.config {
        Some(c) => format!("in {}", c.display()),
        None => "in a config passed with --config (or WB_SKIP in the header)".into(),
    };
    let mut diags = Diagnostics::default();
    let plan = bindgen_core::plan::plan(model);
    for f in plan
        .functions
        .iter()
        .map(|p| p.f)
        .filter(|f| !defined.contains(&f.name))
    {
        diags.push(Diagnostic::at(&f.loc, format!("`{}` is declared in the header but not defined by the sources", f.name)).help(format!(
            "add the source that defines it, or leave it out of the bindings: [functions.{}] skip = \"not in this build\" {config}",
            f.name
        )));
    }
    for name in args.exports.iter().filter(|n| !defined.contains(*n)) {
        diags.push(
            Diagnostic::global(format!(
                "--export `{name}`: the sources define no function or global of that name"
            ))
            .help("name a non-static function or global of the sources, or drop the --export"),
        );
    }
    let bound: BTreeSet<&str> = model.functions.iter().map(|f| f.name.as_str()).collect();
    for name in wanted.iter().filter(|n| {
        !defined.contains(*n)
            && !bound.contains(n.as_str())
            && !KIT_EXPORTS.contains(&n.as_str())
            && !args.exports.contains(n)
    }) {
        if *name == model.arena.alloc || *name == model.arena.reset {
            continue; // the kit defines bump_alloc/bump_reset; other names are the validator's to report
        }
        diags.push(Diagnostic::global(format!("`{name}` is used by the bindings (a global or a size expression) but not defined by the sources")));
    }
    diags.finish(())
}

/// What every wasm-ld run of one build links: the objects, and wasi-libc for a libc guest.
struct Link<'a> {
    /// The tools (wasm-ld).
    tools: &'a Tools,
    /// The compiled sources and kit.
    objects: &'a [PathBuf],
    /// The command line (stack size).
    args: &'a GuestArgs,
    /// wasi-libc, with --wasi.
    libc: Option<&'a WasiLibc>,
}

impl Link<'_> {
    /// Runs wasm-ld: `exports` must exist (with `table` the function table is exported,
    /// growable: callbacks), `if_defined` are exported when the sources define them.
    fn link<'e>(
        &self,
        exports: impl Iterator<Item = &'e str>,
        table: bool,
        if_defined: &[&str],
        out: &Path,
    ) -> Result<(), Diagnostics> {
        let mut cmd = Command::new(&self.tools.wasm_ld);
        cmd.args(["--no-entry", "--stack-first", "-z"])
            .arg(format!("stack-size={}", self.args.stack_size));
        if table {
            cmd.args(["--export-table", "--growable-table"]);
        }
        cmd.args(exports.map(|e| format!("--export={e}")));
        cmd.args(
            if_defined
                .iter()
                .map(|e| format!("--export-if-defined={e}")),
        );
        cmd.args(
            KIT_EXPORTS
                .iter()
                .map(|e| format!("--export-if-defined={e}")),
        );
        match self.libc.map(WasiLibc::link_args) {
            None => cmd.args(self.objects),
            Some((before, after)) => cmd.args(before).args(self.objects).args(after),
        };
        cmd.arg("-o").arg(out);
        toolchain::run(cmd).map_err(|failed| self.link_error(&failed))
    }

    /// wasm-ld's failure in words: the symbols nothing defines (what the guest would import), or
    /// wasm-ld's own message.
    fn link_error(&self, failed: &toolchain::Failed) -> Diagnostics {
        let undefined = toolchain::undefined_symbols(&failed.stderr);
        if undefined.is_empty() {
            return Diagnostic::global(format!(
                "{} {}:\n{}",
                self.tools.wasm_ld.display(),
                failed.status,
                failed.stderr.trim_end()
            ))
            .into();
        }
        let them = if undefined.len() == 1 { "it" } else { "them" };
        let help = match self.libc {
            None => "a freestanding guest imports nothing: add the sources that define them; for a library that needs libc (malloc, stdio, time, ...) \
                     build a libc guest with --wasi (the freestanding kit provides only string.h, assert.h, ctype.h and stdlib.h's integer helpers)",
            Some(_) => "a libc guest imports only WASI preview 1 functions: add the sources that define them (wasi-libc has no threads, signals, sockets or dynamic loading)",
        };
        Diagnostic::global(format!(
            "the sources use {} but nothing defines {them}: the guest would have to import {them}",
            list(&undefined),
        ))
        .help(help)
        .into()
    }
}

/// A freestanding guest imports nothing; a libc guest (`wasi`) only WASI preview 1 functions.
fn check_imports(imports: &[Import], wasi: bool) -> Result<(), Diagnostics> {
    let refused: Vec<String> = match wasi {
        false => imports.iter().map(|i| format!("`{i}`")).collect(),
        true => bindgen_core::wasi::refused(imports)
            .iter()
            .map(|i| format!("`{i}`"))
            .collect(),
    };
    if refused.is_empty() {
        return Ok(());
    }
    let rule = match wasi {
        false => "a freestanding guest must import nothing",
        true => "a libc guest may import only WASI preview 1 functions",
    };
    Err(Diagnostic::global(format!(
        "the linked guest imports {}; {rule}",
        refused.join(", ")
    ))
    .into())
}

/// `a`, `b` and `c` in backquotes.
fn list(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The imports and export names of a module.
fn imports_exports(bytes: &[u8]) -> Result<(Vec<Import>, Vec<String>), Diagnostics> {
    let (mut imports, mut exports) = (Vec::new(), Vec::new());
    for payload in Parser::new(0).parse_all(bytes) {
        let payload = payload.map_err(|e| {
            Diagnostic::global(format!("wasm-ld wrote a module that does not parse: {e}"))
        })?;
        match payload {
            Payload::ImportSection(reader) => {
                for imp in reader.into_imports() {
                    let imp =
                        imp.map_err(|e| Diagnostic::global(format!("bad import section: {e}")))?;
                    imports.push(Import {
                        module: imp.module.to_string(),
                        name: imp.name.to_string(),
                        func: matches!(imp.ty, TypeRef::Func(_) | TypeRef::FuncExact(_)),
                    });
                }
            }
            Payload::ExportSection(reader) => {
                for exp in reader {
                    exports.push(
                        exp.map_err(|e| Diagnostic::global(format!("bad export section: {e}")))?
                            .name
                            .to_string(),
                    );
                }
            }
            _ => {}
        }
    }
    Ok((imports, exports))
}

/// Writes `bytes` to `<out>.tmp` beside `out`, then renames it over `out`: never half a module.
fn write_atomically(out: &Path, bytes: &[u8]) -> Result<(), Diagnostics> {
    let mut tmp = out.as_os_str().to_owned();
    tmp.push(format!(".{}.tmp", std::process::id()));
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, bytes)
        .and_then(|_| std::fs::rename(&tmp, out))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            Diagnostic::global(format!("cannot write `{}`: {e}", out.display())).into()
        })
}

/// What was built: size, time, exports, declared functions the sources do not define, next step.
fn report(
    args: &GuestArgs,
    model: &Model,
    bytes: &[u8],
    (imports, exports): (&[Import], &[String]),
    defined: &BTreeSet<String>,
    elapsed: std::time::Duration,
    (prog, parse): (&str, &str),
) {
    let imported = match imports.len() {
        0 => "imports nothing".to_string(),
        n => format!(
            "imports {n} WASI function{}: {}",
            if n == 1 { "" } else { "s" },
            imports
                .iter()
                .map(|i| i.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    eprintln!(
        "built {}: {} bytes in {:.1} s (-O{}, {} KiB stack{}), {imported}",
        args.out.display(),
        bytes.len(),
        elapsed.as_secs_f64(),
        args.opt,
        args.stack_size / 1024,
        if args.wasi { ", wasi-libc" } else { "" }
    );
    eprintln!("exports ({}): {}", exports.len(), exports.join(", "));
    for s in model.skipped.iter().filter(|s| !defined.contains(&s.name)) {
        eprintln!(
            "note: `{}` is declared in the header but not defined by the sources (not bound: {})",
            s.name, s.reason
        );
    }
    let config = args
        .config
        .as_ref()
        .map(|c| format!(" --config {}", c.display()))
        .unwrap_or_default();
    eprintln!(
        "next: {prog} --py {}{config}{parse} --wasm {} --package <dir> (a pip-installable project; -o <dir> for a loose module)",
        args.header.display(),
        args.out.display()
    );
}
