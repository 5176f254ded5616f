//! validate: checks a `.wasm` against the binding model (exports, core signatures, arena, memory).
//!
//! Used by `load` when a wasm is given. The module is first validated as a whole (wasmparser);
//! then every bound function must be exported as a function whose core signature is the one its
//! prototype implies on wasm32 (pointers, arrays, handles and integers up to 32 bits are `i32`,
//! 64-bit integers `i64`; `void` returns nothing), the arena exports must be `(i32) -> i32` and
//! `() -> ()`, and `memory` must be exported. A struct passed by value is an `i32` address
//! (`StructAbi::Indirect`) or its single scalar (`Direct`); functions called by size expressions
//! must be exported with their prototype's signature; each exposed global must be exported as a
//! wasm global (holding the object's address). Every mismatch is reported, not just the first.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use wasmparser::{ExternalKind, FuncType, Parser, Payload, TypeRef, ValType};

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Model;
use crate::wasi::Import;

/// Reads `wasm` and checks it with [`validate`]; true when it imports (WASI preview 1 functions
/// only: a libc guest). A file that cannot be read or is not a core wasm module is one diagnostic
/// naming the file; every other one gets ` (in <file>)` appended.
pub fn validate_file(model: &Model, wasm: &Path) -> Result<bool, Diagnostics> {
    let bytes = std::fs::read(wasm).map_err(|e| {
        let message = if wasm.is_dir() {
            format!("`{}` is a directory, expected the guest's .wasm file", wasm.display())
        } else if e.kind() == std::io::ErrorKind::NotFound {
            format!("wasm `{}` not found", wasm.display())
        } else {
            format!("cannot read wasm `{}`: {e}", wasm.display())
        };
        Diagnostic::global(message).help(with_project_hint(wasm, "pass the path of the guest's compiled .wasm (the core wasm32 module built from this header's C sources)"))
    })?;
    let (exports, imports) = read_exports(&bytes, &format!("`{}`", wasm.display()), Some(wasm))?;
    check(model, &exports, &imports).map_err(|mut d| {
        for x in &mut d.0 {
            x.message = format!("{} (in {})", x.message, wasm.display());
        }
        d
    })?;
    Ok(!imports.is_empty())
}

/// `help`, plus how to build the file when `wasm` is one of this repository's own guests
/// (`target/guests/...`, written by `guests/build.sh`); a user's own guest gets `help` alone.
fn with_project_hint(wasm: &Path, help: &str) -> String {
    let names: Vec<_> = wasm.components().map(|c| c.as_os_str()).collect();
    if names
        .windows(2)
        .any(|w| w[0] == "target" && w[1] == "guests")
    {
        format!("{help}; this repository's guests are built by `bash guests/build.sh`")
    } else {
        help.to_string()
    }
}

/// Why `bytes` is not a core wasm module at all (wrong magic or version), in words; `None` when
/// the 8-byte preamble is a core module's (the rest is left to the validator).
fn not_a_module(bytes: &[u8]) -> Option<String> {
    const MAGIC: &[u8] = b"\0asm";
    if bytes.is_empty() {
        return Some("the file is empty".into());
    }
    if !bytes.starts_with(MAGIC) {
        let what = if bytes.starts_with(b"\x7fELF") {
            "it is an ELF file (a native object or library, not one built for wasm32)"
        } else if bytes.starts_with(&[0xcf, 0xfa, 0xed, 0xfe])
            || bytes.starts_with(&[0xfe, 0xed, 0xfa, 0xcf])
        {
            "it is a Mach-O file (a native object or library, not one built for wasm32)"
        } else if bytes.starts_with(b"MZ") {
            "it is a Windows executable or DLL, not a module built for wasm32"
        } else if std::str::from_utf8(&bytes[..bytes.len().min(64)])
            .is_ok_and(|t| t.trim_start().starts_with("(module"))
        {
            "it is WebAssembly text (.wat); compile it to binary first (wat2wasm)"
        } else {
            "it does not start with the wasm magic bytes `\\0asm` (bad magic)"
        };
        return Some(what.into());
    }
    match bytes.get(4..8) {
        None => Some(format!(
            "it is truncated ({} bytes, a module starts with 8)",
            bytes.len()
        )),
        Some([1, 0, 0, 0]) => None,
        Some([_, _, 1, 0]) => {
            Some("it is a WebAssembly component; wasm-bind binds core wasm32 modules".into())
        }
        Some(v) => Some(format!(
            "unsupported wasm binary version {v:02x?} (expected 1)"
        )),
    }
}
/// A core signature, printed as `(i32, i32) -> i32`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Sig {
    params: Vec<ValType>,
    results: Vec<ValType>,
}

impl fmt::Display for Sig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |v: &[ValType]| {
            v.iter()
                .map(|t| t.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        write!(f, "({}) -> ", list(&self.params))?;
        match self.results.as_slice() {
            [] => f.write_str("()"),
            [one] => write!(f, "{one}"),
            more => write!(f, "({})", list(more)),
        }
    }
}

impl From<&crate::plan::CoreSig> for Sig {
    fn from(s: &crate::plan::CoreSig) -> Self {
        let ty = |v: &crate::plan::CoreValue| match v.ty() {
            crate::plan::CoreType::I32 => ValType::I32,
            crate::plan::CoreType::I64 => ValType::I64,
            crate::plan::CoreType::F32 => ValType::F32,
            crate::plan::CoreType::F64 => ValType::F64,
        };
        Sig {
            params: s.params.iter().map(ty).collect(),
            results: s.result.iter().map(ty).collect(),
        }
    }
}

/// The persistent-block exports handles need (`wb_persist_alloc(size) -> address`, `wb_persist_free(address, size)`).
pub const PERSIST_ALLOC: &str = "wb_persist_alloc";
/// See [`PERSIST_ALLOC`].
pub const PERSIST_FREE: &str = "wb_persist_free";

impl From<&FuncType> for Sig {
    fn from(t: &FuncType) -> Self {
        Sig {
            params: t.params().to_vec(),
            results: t.results().to_vec(),
        }
    }
}

/// What one export is.
enum Export {
    Func(Sig),
    Other(ExternalKind),
}

/// Checks that every bound function is exported with the core signature its prototype implies,
/// and that `memory` and the arena exports exist.
pub fn validate(model: &Model, wasm: &[u8]) -> Result<(), Diagnostics> {
    let (exports, imports) = read_exports(wasm, "the wasm", None)?;
    check(model, &exports, &imports)
}

/// The checks of [`validate`] on the exports and imports of a module already read.
fn check(
    model: &Model,
    exports: &HashMap<String, Export>,
    imports: &[Import],
) -> Result<(), Diagnostics> {
    let mut diags = Diagnostics::default();
    check_imports(imports, &mut diags);
    let plan = crate::plan::plan(model);
    check_functions(&plan, exports, &mut diags);
    check_persist(&plan, exports, &mut diags);
    check_destructors(&plan, exports, &mut diags);
    check_table(&plan, exports, &mut diags);
    check_globals_and_arena(model, exports, &mut diags);
    diags.finish(())
}

/// Every planned function (and each helper its sizes call) is exported with the plan's signature.
fn check_functions(
    plan: &crate::plan::Plan<'_>,
    exports: &HashMap<String, Export>,
    diags: &mut Diagnostics,
) {
    for p in &plan.functions {
        let (f, expected) = (p.f, Sig::from(&p.sig));
        let d = match exports.get(&f.name) {
            None => Some(
                Diagnostic::at(&f.loc, format!("`{}` is not exported by the wasm; expected a function {expected}", f.name))
                    .help("build the guest with `wasm-bind guest SOURCES... --header HEADER` and the same `--config` (it exports exactly what the header and config bind), or skip the function in the config; a hand-made build must export it (-fvisibility=default and --export=NAME)"),
            ),
            Some(Export::Other(kind)) => Some(Diagnostic::at(
                &f.loc,
                format!("`{}` is exported as a {}, not a function; expected a function {expected}", f.name, kind_name(*kind)),
            )),
            Some(Export::Func(found)) if *found != expected => Some(
                Diagnostic::at(
                    &f.loc,
                    format!("`{}` is exported with core signature {found}, but its prototype implies {expected}", f.name),
                )
                .help("the header does not match the wasm: rebuild the guest from this header, or fix the prototype"),
            ),
            Some(Export::Func(_)) => None,
        };
        if let Some(d) = d {
            diags.push(d);
        }
        // Functions called by size expressions.
        for (func, sig) in &p.helpers {
            let expected = Sig::from(sig);
            let problem = match exports.get(func.as_str()) {
                None => format!("`{func}` (called to size a parameter of `{}`) is not exported by the wasm; expected a function {expected}", f.name),
                Some(Export::Other(kind)) => format!("`{func}` (called to size a parameter of `{}`) is exported as a {}, not a function", f.name, kind_name(*kind)),
                Some(Export::Func(found)) if *found != expected => {
                    format!("`{func}` (called to size a parameter of `{}`) is exported with core signature {found}, but its prototype implies {expected}", f.name)
                }
                Some(Export::Func(_)) => continue,
            };
            diags.push(
                Diagnostic::at(&f.loc, problem).help(
                    "export it from the guest, or size the parameter with another expression",
                ),
            );
        }
    }
}

/// The destructors of library-owned types (`[types.T] destructor`) are exported with their
/// signatures: handles call them by name.
fn check_destructors(
    plan: &crate::plan::Plan<'_>,
    exports: &HashMap<String, Export>,
    diags: &mut Diagnostics,
) {
    for (name, sig) in &plan.destructors {
        let expected = Sig::from(sig);
        let problem = match exports.get(name) {
            None => format!("`{name}` is not exported by the wasm: it is a destructor of library-owned handles; expected a function {expected}"),
            Some(Export::Other(kind)) => format!("`{name}` is a {}, expected a function {expected}", kind_name(*kind)),
            Some(Export::Func(found)) if *found != expected => format!("`{name}` has core signature {found}, expected {expected}"),
            Some(Export::Func(_)) => continue,
        };
        diags.push(Diagnostic::global(problem).help(
            "export it (`wasm-bind guest` does; else -Wl,--export=NAME), or remove the `destructor` entry of its type",
        ));
    }
}

/// When a bound function takes a handle, the persistent-block exports exist with their signatures.
fn check_persist(
    plan: &crate::plan::Plan<'_>,
    exports: &HashMap<String, Export>,
    diags: &mut Diagnostics,
) {
    if plan.needs_persist {
        let persist = [
            (
                PERSIST_ALLOC,
                Sig {
                    params: vec![ValType::I32],
                    results: vec![ValType::I32],
                },
            ),
            (
                PERSIST_FREE,
                Sig {
                    params: vec![ValType::I32, ValType::I32],
                    results: vec![],
                },
            ),
        ];
        for (name, expected) in persist {
            let problem = match exports.get(name) {
                None => format!("`{name}` is missing: functions taking handles need it; expected a function {expected}"),
                Some(Export::Other(kind)) => format!("`{name}` is a {}, expected a function {expected}", kind_name(*kind)),
                Some(Export::Func(found)) if *found != expected => format!("`{name}` has core signature {found}, expected {expected}"),
                Some(Export::Func(_)) => continue,
            };
            diags.push(Diagnostic::global(problem).help(
                "handles live in persistent guest blocks: link the guest kit (its arena provides wb_persist_alloc / wb_persist_free), or skip the functions that take handles",
            ));
        }
    }
}

/// When a bound function takes a callback, the guest exports its function table (the host puts
/// its callback functions there).
fn check_table(
    plan: &crate::plan::Plan<'_>,
    exports: &HashMap<String, Export>,
    diags: &mut Diagnostics,
) {
    const TABLE: &str = "__indirect_function_table";
    let Some(f) = plan.functions.iter().map(|p| p.f).find(|f| {
        f.params
            .iter()
            .any(|q| matches!(q.role, crate::model::Role::Callback(_)))
    }) else {
        return;
    };
    let problem = match exports.get(TABLE) {
        Some(Export::Other(ExternalKind::Table)) => return,
        None => format!("`{TABLE}` is not exported: `{}` takes a callback, which the host passes as an index into the guest's function table", f.name),
        Some(Export::Func(_)) => format!("`{TABLE}` is a function, expected the guest's function table"),
        Some(Export::Other(kind)) => format!("`{TABLE}` is a {}, expected the guest's function table", kind_name(*kind)),
    };
    diags.push(Diagnostic::at(&f.loc, problem).help(
        "link the guest with `wasm-ld --export-table --growable-table` (`wasm-bind guest` does when the header binds callbacks), or skip the functions that take callbacks",
    ));
}

/// Globals are exported as wasm globals; the arena exports and `memory` exist.
fn check_globals_and_arena(
    model: &Model,
    exports: &HashMap<String, Export>,
    diags: &mut Diagnostics,
) {
    for g in &model.globals {
        let problem = match exports.get(g.name.as_str()) {
            Some(Export::Other(ExternalKind::Global)) => continue,
            None => format!("global `{}` is not exported by the wasm (the guest exports a data symbol as a global holding its address)", g.name),
            Some(Export::Func(_)) => format!("global `{}` is exported as a function, expected a global holding its address", g.name),
            Some(Export::Other(kind)) => format!("global `{}` is exported as a {}, expected a global holding its address", g.name, kind_name(*kind)),
        };
        diags.push(
            Diagnostic::at(&g.loc, problem)
                .help("build the guest with `wasm-bind guest SOURCES... --header HEADER` (it exports the header's globals), or link with --export=NAME"),
        );
    }
    let arena = [
        (
            &model.arena.alloc,
            Sig {
                params: vec![ValType::I32],
                results: vec![ValType::I32],
            },
            "alloc",
        ),
        (
            &model.arena.reset,
            Sig {
                params: vec![],
                results: vec![],
            },
            "reset",
        ),
    ];
    for (name, expected, what) in arena {
        let problem = match exports.get(name.as_str()) {
            None => format!(
                "the arena {what} export `{name}` is missing; expected a function {expected}"
            ),
            Some(Export::Other(kind)) => format!(
                "the arena {what} export `{name}` is a {}, expected a function {expected}",
                kind_name(*kind)
            ),
            Some(Export::Func(found)) if *found != expected => {
                format!("the arena {what} export `{name}` has core signature {found}, expected {expected}")
            }
            Some(Export::Func(_)) => continue,
        };
        diags.push(Diagnostic::global(problem).help(format!(
            "the guest must export a per-call arena: `alloc(size) -> address` (0 when out of memory) and `reset()` that wipes and rewinds it (wasm-bind's guest kit, guest-kit/wb_arena.c, is one to link in: `wasm-bind guest` does); if yours has other names, set them in the config: [module] {what} = \"...\""
        )));
    }
    match exports.get("memory") {
        Some(Export::Other(ExternalKind::Memory)) => {}
        _ => diags.push(
            Diagnostic::global("the wasm does not export its linear memory as `memory`")
                .help("link with wasm-ld's default (--export-memory), do not import the memory"),
        ),
    }
}

/// Every import no runtime provides is an error naming it (all of them listed): a guest imports
/// nothing, or only WASI preview 1 functions (a libc guest, `wasm-bind guest --wasi`).
fn check_imports(imports: &[Import], diags: &mut Diagnostics) {
    let refused = crate::wasi::refused(imports);
    if refused.is_empty() {
        return;
    }
    let all: Vec<String> = imports.iter().map(|i| format!("`{i}`")).collect();
    for i in refused {
        let what = if i.func { "function" } else { "non-function" };
        diags.push(
            Diagnostic::global(format!(
                "the wasm imports {what} `{i}`, which no wasm-bind runtime provides (its imports: {})",
                all.join(", ")
            ))
            .help(format!(
                "a guest may import only WASI preview 1 functions (`{}.*`, a libc guest built with `wasm-bind guest --wasi`); define `{}` in the guest's sources",
                crate::wasi::MODULE,
                i.name
            )),
        );
    }
}

fn kind_name(kind: ExternalKind) -> &'static str {
    match kind {
        ExternalKind::Func | ExternalKind::FuncExact => "function",
        ExternalKind::Table => "table",
        ExternalKind::Memory => "memory",
        ExternalKind::Global => "global",
        ExternalKind::Tag => "tag",
    }
}

/// Validates the module and maps each export name to what it is. `subject` names it in messages
/// (`the wasm`, or the file in backquotes); `path`, when known, adds this repository's build hint
/// for its own guests.
fn read_exports(
    wasm: &[u8],
    subject: &str,
    path: Option<&Path>,
) -> Result<(HashMap<String, Export>, Vec<Import>), Diagnostics> {
    let help = |generic: &str| match path {
        Some(p) => with_project_hint(p, generic),
        None => generic.to_string(),
    };
    if let Some(why) = not_a_module(wasm) {
        return Err(Diagnostic::global(format!("{subject} is not a wasm module: {why}"))
            .help(help("pass the core wasm32 module (.wasm) built from this header's C sources, e.g. with `clang --target=wasm32`"))
            .into());
    }
    let invalid = |e: wasmparser::BinaryReaderError| {
        // One line: some wasmparser messages carry pretty-printed (multi-line) values.
        let detail = e
            .to_string()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        Diagnostics::from(
            Diagnostic::global(format!("{subject} is not a valid wasm module: {detail}"))
                .help(help("the file is truncated or corrupt, or uses features wasm32 guests do not: rebuild the guest")),
        )
    };
    wasmparser::Validator::new()
        .validate_all(wasm)
        .map_err(invalid)?;
    sections(wasm, &invalid)
}

/// Walks a validated module's sections: each export named with what it is (a function with its
/// signature), and the imports; `invalid` turns a read error into the diagnostic.
fn sections(
    wasm: &[u8],
    invalid: &dyn Fn(wasmparser::BinaryReaderError) -> Diagnostics,
) -> Result<(HashMap<String, Export>, Vec<Import>), Diagnostics> {
    let mut types: Vec<Sig> = Vec::new();
    let mut funcs: Vec<u32> = Vec::new();
    let mut exports = HashMap::new();
    let mut imports = Vec::new();
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.map_err(invalid)? {
            Payload::TypeSection(r) => {
                for t in r.into_iter_err_on_gc_types() {
                    types.push(Sig::from(&t.map_err(invalid)?));
                }
            }
            Payload::ImportSection(r) => {
                for i in r.into_imports() {
                    let i = i.map_err(invalid)?;
                    let func = matches!(i.ty, TypeRef::Func(_) | TypeRef::FuncExact(_));
                    if let TypeRef::Func(t) | TypeRef::FuncExact(t) = i.ty {
                        funcs.push(t);
                    }
                    imports.push(Import {
                        module: i.module.to_string(),
                        name: i.name.to_string(),
                        func,
                    });
                }
            }
            Payload::FunctionSection(r) => {
                for t in r {
                    funcs.push(t.map_err(invalid)?);
                }
            }
            Payload::ExportSection(r) => {
                for e in r {
                    let e = e.map_err(invalid)?;
                    let what = match e.kind {
                        ExternalKind::Func | ExternalKind::FuncExact => {
                            let sig = funcs
                                .get(e.index as usize)
                                .and_then(|&t| types.get(t as usize));
                            match sig {
                                Some(s) => Export::Func(s.clone()),
                                None => continue,
                            }
                        }
                        kind => Export::Other(kind),
                    };
                    exports.insert(e.name.to_string(), what);
                }
            }
            _ => {}
        }
    }
    Ok((exports, imports))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::ir::{CType, Function, Header, Loc, Param, Prim};

    /// A minimal wasm encoder: `funcs` are (export name, params, results) with `unreachable` bodies.
    fn module(funcs: &[(&str, &[u8], &[u8])], memory: bool) -> Vec<u8> {
        fn leb(mut v: usize, out: &mut Vec<u8>) {
            loop {
                let b = (v & 0x7f) as u8;
                v >>= 7;
                out.push(if v == 0 { b } else { b | 0x80 });
                if v == 0 {
                    break;
                }
            }
        }
        fn section(id: u8, count: usize, items: Vec<u8>, out: &mut Vec<u8>) {
            let mut body = Vec::new();
            leb(count, &mut body);
            body.extend(items);
            out.push(id);
            leb(body.len(), out);
            out.extend(body);
        }
        let mut out = b"\0asm\x01\0\0\0".to_vec();
        let mut types = Vec::new();
        for (_, params, results) in funcs {
            types.push(0x60);
            leb(params.len(), &mut types);
            types.extend(*params);
            leb(results.len(), &mut types);
            types.extend(*results);
        }
        section(1, funcs.len(), types, &mut out);
        let mut fsec = Vec::new();
        for i in 0..funcs.len() {
            leb(i, &mut fsec);
        }
        section(3, funcs.len(), fsec, &mut out);
        if memory {
            section(5, 1, vec![0x00, 0x01], &mut out);
        }
        let mut exports = Vec::new();
        for (i, (name, _, _)) in funcs.iter().enumerate() {
            leb(name.len(), &mut exports);
            exports.extend(name.as_bytes());
            exports.push(0x00);
            leb(i, &mut exports);
        }
        if memory {
            exports.extend([6, b'm', b'e', b'm', b'o', b'r', b'y', 0x02, 0x00]);
        }
        section(7, funcs.len() + memory as usize, exports, &mut out);
        let mut code = Vec::new();
        for _ in funcs {
            code.extend([0x03, 0x00, 0x00, 0x0b]);
        }
        section(10, funcs.len(), code, &mut out);
        out
    }

    const I32: u8 = 0x7f;
    const I64: u8 = 0x7e;

    fn model() -> Model {
        let u8t = CType::Prim {
            prim: Prim::U8,
            typedef: Some("uint8_t".into()),
        };
        let size_t = CType::Prim {
            prim: Prim::U32,
            typedef: Some("size_t".into()),
        };
        let u64t = CType::Prim {
            prim: Prim::U64,
            typedef: Some("uint64_t".into()),
        };
        let p = |name: &str, ty: CType| Param {
            name: name.into(),
            ty,
            annotations: vec![],
            loc: Loc::default(),
            pointer_typedef: None,
        };
        let f = |line: u32, name: &str, ret: CType, params: Vec<Param>| Function {
            name: name.into(),
            ret,
            params,
            doc: None,
            annotations: vec![],
            loc: Loc {
                file: "g.h".into(),
                line,
                col: 6,
            },
        };
        let header = Header {
            path: "g.h".into(),
            functions: vec![
                f(
                    1,
                    "hash",
                    CType::Prim {
                        prim: Prim::Void,
                        typedef: None,
                    },
                    vec![
                        p(
                            "out",
                            CType::Pointer {
                                pointee: Box::new(u8t.clone()),
                                pointee_const: false,
                            },
                        ),
                        p("out_size", size_t.clone()),
                    ],
                ),
                f(
                    2,
                    "ctr",
                    u64t.clone(),
                    vec![
                        p(
                            "key",
                            CType::Array {
                                elem: Box::new(u8t),
                                len: 32,
                                elem_const: true,
                            },
                        ),
                        p("n", u64t),
                    ],
                ),
                f(
                    3,
                    "gone",
                    CType::Prim {
                        prim: Prim::I32,
                        typedef: None,
                    },
                    vec![],
                ),
            ],
            ..Default::default()
        };
        crate::roles::bind(&header, &Config::default()).unwrap()
    }

    fn arena() -> Vec<(&'static str, &'static [u8], &'static [u8])> {
        vec![("bump_alloc", &[I32], &[I32]), ("bump_reset", &[], &[])]
    }

    #[test]
    fn imports_other_than_wasi_preview1_functions_are_refused_by_name() {
        let imp = |module: &str, name: &str, func| Import {
            module: module.into(),
            name: name.into(),
            func,
        };
        let mut diags = Diagnostics::default();
        check_imports(
            &[imp("wasi_snapshot_preview1", "fd_write", true)],
            &mut diags,
        );
        assert!(diags.finish(()).is_ok());
        let mut diags = Diagnostics::default();
        let imports = [
            imp("wasi_snapshot_preview1", "clock_time_get", true),
            imp("env", "malloc", true),
            imp("wasi_snapshot_preview1", "sock_open", true),
        ];
        check_imports(&imports, &mut diags);
        let err = diags.finish(()).unwrap_err().to_string();
        assert!(err.contains("the wasm imports function `env.malloc`, which no wasm-bind runtime provides (its imports: `wasi_snapshot_preview1.clock_time_get`, `env.malloc`, `wasi_snapshot_preview1.sock_open`)"), "{err}");
        assert!(
            err.contains("`wasi_snapshot_preview1.sock_open`, which no"),
            "{err}"
        );
        assert!(
            !err.contains("`wasi_snapshot_preview1.clock_time_get`, which"),
            "{err}"
        );
    }

    #[test]
    fn accepts_matching_exports() {
        let mut funcs = arena();
        funcs.extend([
            ("hash", &[I32, I32][..], &[][..]),
            ("ctr", &[I32, I64], &[I64]),
            ("gone", &[], &[I32]),
        ]);
        validate(&model(), &module(&funcs, true)).unwrap();
    }

    #[test]
    fn reports_every_mismatch() {
        let funcs = [
            ("hash", &[I32][..], &[][..]),
            ("ctr", &[I32, I32], &[I64]),
            ("bump_alloc", &[I32], &[]),
        ];
        let err = validate(&model(), &module(&funcs, false))
            .unwrap_err()
            .to_string();
        let expected = [
            "g.h:1:6: error: `hash` is exported with core signature (i32) -> (), but its prototype implies (i32, i32) -> ()",
            "g.h:2:6: error: `ctr` is exported with core signature (i32, i32) -> i64, but its prototype implies (i32, i64) -> i64",
            "g.h:3:6: error: `gone` is not exported by the wasm; expected a function () -> i32",
            "error: the arena alloc export `bump_alloc` has core signature (i32) -> (), expected (i32) -> i32",
            "error: the arena reset export `bump_reset` is missing; expected a function () -> ()",
            "error: the wasm does not export its linear memory as `memory`",
        ];
        for e in expected {
            assert!(err.contains(e), "missing `{e}` in:\n{err}");
        }
        assert_eq!(err.matches("error:").count(), expected.len(), "{err}");
    }

    /// Structs by value (one passed directly as its single i64 field, one by address), a size
    /// expression calling an export, a global.
    fn surface_model() -> Model {
        use crate::ir::{Field, Global, StructDecl};
        let i32t = CType::Prim {
            prim: Prim::I32,
            typedef: None,
        };
        let u8t = CType::Prim {
            prim: Prim::U8,
            typedef: None,
        };
        let void = CType::Prim {
            prim: Prim::Void,
            typedef: None,
        };
        let p = |name: &str, ty: CType| Param {
            name: name.into(),
            ty,
            annotations: vec![],
            loc: Loc::default(),
            pointer_typedef: None,
        };
        let f = |line: u32, name: &str, ret: CType, params: Vec<Param>| Function {
            name: name.into(),
            ret,
            params,
            doc: None,
            annotations: vec![],
            loc: Loc {
                file: "g.h".into(),
                line,
                col: 6,
            },
        };
        let s = |name: &str, fields: Vec<Field>, size: u32| StructDecl {
            name: name.into(),
            fields,
            size,
            align: 4,
            doc: None,
            loc: Loc::default(),
        };
        let fld = |name: &str, ty: CType, offset: u32| Field {
            name: name.into(),
            ty,
            offset,
            bit_width: None,
        };
        let header = Header {
            path: "g.h".into(),
            functions: vec![
                f(1, "bound", i32t.clone(), vec![p("n", i32t.clone())]),
                f(
                    2,
                    "set",
                    void.clone(),
                    vec![p(
                        "level",
                        CType::Struct {
                            name: "level_t".into(),
                        },
                    )],
                ),
                f(
                    3,
                    "pair",
                    void.clone(),
                    vec![p(
                        "pair",
                        CType::Struct {
                            name: "pair_t".into(),
                        },
                    )],
                ),
                f(
                    4,
                    "work",
                    void,
                    vec![
                        p(
                            "scratch",
                            CType::Pointer {
                                pointee: Box::new(u8t.clone()),
                                pointee_const: false,
                            },
                        ),
                        p("n", i32t.clone()),
                    ],
                ),
            ],
            structs: vec![
                s(
                    "level_t",
                    vec![fld(
                        "level",
                        CType::Prim {
                            prim: Prim::I64,
                            typedef: None,
                        },
                        0,
                    )],
                    8,
                ),
                s(
                    "pair_t",
                    vec![
                        fld(
                            "p",
                            CType::Pointer {
                                pointee: Box::new(u8t),
                                pointee_const: true,
                            },
                            0,
                        ),
                        fld("p_size", i32t.clone(), 4),
                    ],
                    8,
                ),
            ],
            globals: vec![Global {
                name: "no_pair".into(),
                ty: CType::Struct {
                    name: "pair_t".into(),
                },
                is_const: true,
                loc: Loc {
                    file: "g.h".into(),
                    line: 9,
                    col: 1,
                },
            }],
            ..Default::default()
        };
        let config = Config::parse(
            "[functions.work.params]\nscratch = \"scratch(bound(n))\"\nn = \"scalar\"\n",
            std::path::Path::new("g.toml"),
        )
        .unwrap();
        crate::roles::bind(&header, &config).unwrap()
    }

    #[test]
    fn structs_by_value_calls_and_globals_are_checked() {
        let mut funcs = arena();
        funcs.extend([
            ("bound", &[I32][..], &[I32][..]),
            ("set", &[I64], &[]),
            ("pair", &[I32], &[]),
            ("work", &[I32, I32], &[]),
        ]);
        let err = validate(&surface_model(), &module(&funcs, true))
            .unwrap_err()
            .to_string();
        // The only problem: the module has no globals at all.
        assert_eq!(
            err,
            "g.h:9:1: error: global `no_pair` is not exported by the wasm (the guest exports a data symbol as a global holding its address)\n  help: build the guest with `wasm-bind guest SOURCES... --header HEADER` (it exports the header's globals), or link with --export=NAME"
        );
        let mut funcs = arena();
        funcs.extend([
            ("bound", &[I64][..], &[I32][..]),
            ("set", &[I32], &[]),
            ("pair", &[I32, I32], &[]),
            ("work", &[I32, I32], &[]),
        ]);
        let err = validate(&surface_model(), &module(&funcs, true))
            .unwrap_err()
            .to_string();
        for e in [
            "g.h:1:6: error: `bound` is exported with core signature (i64) -> i32, but its prototype implies (i32) -> i32",
            "g.h:2:6: error: `set` is exported with core signature (i32) -> (), but its prototype implies (i64) -> ()",
            "g.h:3:6: error: `pair` is exported with core signature (i32, i32) -> (), but its prototype implies (i32) -> ()",
            "g.h:4:6: error: `bound` (called to size a parameter of `work`) is exported with core signature (i64) -> i32, but its prototype implies (i32) -> i32",
        ] {
            assert!(err.contains(e), "missing `{e}` in:\n{err}");
        }
    }

    #[test]
    fn rejects_invalid_modules() {
        let err = validate(&model(), b"\0asm\x01\0\0\0\x07\x01")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("error: the wasm is not a valid wasm module: "),
            "{err}"
        );
        assert!(!err.contains("guests/build.sh"), "{err}");
        for (bytes, why) in [
            (
                &b"junk"[..],
                "it does not start with the wasm magic bytes `\\0asm` (bad magic)",
            ),
            (b"", "the file is empty"),
            (b"\x7fELF\x02\x01\x01", "it is an ELF file"),
            (b"  (module (func))", "it is WebAssembly text (.wat)"),
            (
                b"\0asm\x01",
                "it is truncated (5 bytes, a module starts with 8)",
            ),
            (b"\0asm\x0d\0\x01\0", "it is a WebAssembly component"),
        ] {
            let err = validate(&model(), bytes).unwrap_err().to_string();
            assert!(
                err.starts_with(&format!("error: the wasm is not a wasm module: {why}")),
                "{err}"
            );
            assert_eq!(
                err.lines().count(),
                2,
                "one message line and one help line: {err}"
            );
        }
    }

    #[test]
    fn unreadable_and_foreign_files_name_the_file() {
        let dir = std::env::temp_dir().join(format!("wb_validate_{}", std::process::id()));
        std::fs::create_dir_all(dir.join("target/guests/g")).unwrap();
        let junk = dir.join("junk.wasm");
        std::fs::write(&junk, b"junk").unwrap();
        let err = validate_file(&model(), &junk).unwrap_err().to_string();
        assert!(
            err.starts_with(&format!(
                "error: `{}` is not a wasm module: it does not start",
                junk.display()
            )),
            "{err}"
        );
        assert!(
            !err.contains("guests/build.sh") && !err.contains("(in "),
            "{err}"
        );
        // The project's own guests keep the hint that builds them.
        let ours = dir.join("target/guests/g/g.wasm");
        std::fs::write(&ours, b"junk").unwrap();
        let err = validate_file(&model(), &ours).unwrap_err().to_string();
        assert!(err.contains("bash guests/build.sh"), "{err}");
        let err = validate_file(&model(), &dir).unwrap_err().to_string();
        assert!(
            err.starts_with(&format!(
                "error: `{}` is a directory, expected the guest's .wasm file",
                dir.display()
            )),
            "{err}"
        );
        let err = validate_file(&model(), &dir.join("none.wasm"))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(&format!(
                "error: wasm `{}` not found",
                dir.join("none.wasm").display()
            )),
            "{err}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
