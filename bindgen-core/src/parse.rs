//! parse: libclang reads a guest header (wasm32, freestanding) into the `ir`. Used by `load`.
//!
//! The bound headers (the main one plus the config's `module.extra_headers`) are `#include`d by a
//! small unsaved main file, parsed with `--target=wasm32 -ffreestanding -fparse-all-comments`,
//! and only declarations whose location is in one of the bound files are kept (never those of
//! `stdint.h` & co). Paths in locations are printed as the user gave them: a file clang reports is
//! matched to a bound header by its canonical path and renamed to the given spelling.
//! `static` functions are not part of a guest's exports and are left out.
//!
//! Steps of [`parse`]: `bound_headers` (find every bound header), `unsaved_files` and
//! `parse_args` (the main file and the clang command line), `clang_errors` (any clang error stops
//! here), then `read_header` (the [`Walker`] collects the declarations of the bound files).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::clang::{self, Cursor, CursorKind, TranslationUnit, Type, TypeKind};
use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics};
use crate::ir::{
    CType, Constant, EnumDecl, Field, FnSig, Function, Global, Header, Loc, Param, Prim, StructDecl,
};

/// Where `wasm_bind.h` lives in the source tree (`-I` for headers that include it).
const WASM_BIND_INCLUDE_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/include");
/// The text of `wasm_bind.h`, served from memory when the source tree is not there.
const WASM_BIND_H: &str = include_str!("../include/wasm_bind.h");
/// The name of the unsaved main file that includes every bound header.
const MAIN_FILE_NAME: &str = "__wb_bind__.c";

/// `[module] clang_args` (checked by `Config::check`), with a relative directory (`-I<dir>`,
/// `-I <dir>`, `-isystem`, `--sysroot=`) made relative to the config file's folder.
fn config_clang_args(config: &Config) -> Vec<String> {
    let base = config
        .path
        .as_deref()
        .and_then(Path::parent)
        .unwrap_or(Path::new(""));
    let rebase = |dir: &str| {
        if Path::new(dir).is_relative() {
            base.join(dir).display().to_string()
        } else {
            dir.to_string()
        }
    };
    let mut out: Vec<String> = Vec::new();
    let mut takes_dir = false;
    for a in &config.module.clang_args {
        let arg = if takes_dir {
            rebase(a)
        } else if let Some(flag) = ["-isystem", "-I", "--sysroot="]
            .into_iter()
            .find(|f| a.starts_with(f) && a.len() > f.len())
        {
            format!("{flag}{}", rebase(&a[flag.len()..]))
        } else {
            a.clone()
        };
        takes_dir = !takes_dir && (a == "-I" || a == "-isystem");
        out.push(arg);
    }
    out
}

/// Parses `header` (plus the config's `extra_headers`) for `--target=wasm32 -ffreestanding`,
/// with the config's `clang_args` then the caller's.
pub fn parse(header: &Path, config: &Config, clang_args: &[String]) -> Result<Header, Diagnostics> {
    parse_with(header, config, clang_args, Path::new(WASM_BIND_INCLUDE_DIR))
}

/// [`parse`], with `wasm_bind.h` looked up in `include_dir` (served from memory when it is not
/// there, e.g. when bindgen-core runs from a packaged crate without its source tree).
fn parse_with(
    header: &Path,
    config: &Config,
    clang_args: &[String],
    include_dir: &Path,
) -> Result<Header, Diagnostics> {
    let (given, canonical) = bound_headers(header, config)?;
    clang::ensure_loaded().map_err(Diagnostic::global)?;

    let main_dir = canonical[0]
        .parent()
        .unwrap_or(Path::new("/"))
        .to_path_buf();
    let main_file = main_dir.join(MAIN_FILE_NAME).display().to_string();
    let unsaved = unsaved_files(&canonical, &main_file, include_dir);
    let args = parse_args(&main_dir, include_dir, config, clang_args);
    let tu = TranslationUnit::parse(&main_file, &args, &unsaved).map_err(Diagnostic::global)?;
    let mut files = FileMap {
        given,
        canonical,
        cache: HashMap::new(),
        main_file,
    };
    clang_errors(&tu, &mut files).finish(())?;
    let (mut out, pending) = read_header(&tu, &mut files, header);
    drop(tu);
    if !pending.is_empty() {
        macro_expressions(&mut out, pending, &files.main_file, &args, unsaved);
    }
    Ok(out)
}

/// An object-like macro of a bound header whose body is not a plain literal (`(0ULL - 1)`,
/// `(SQLITE_IOERR | (1<<8))`): maybe an integer constant expression, evaluated by clang.
struct PendingMacro {
    /// Where in `Header::constants` it goes (declaration order).
    at: usize,
    name: String,
    doc: Option<String>,
    loc: crate::ir::Loc,
}

/// Evaluates the pending macros with clang in a second translation unit: the same headers and
/// arguments, plus one `static const __typeof__((M)) __wb_macro_M = (M);` per macro, each read back
/// when clang evaluates its initializer to an integer (of the type C gives the expression on
/// wasm32). A body that is not an integer constant expression (an attribute, a string, a call, a
/// float) does not declare such a variable: it is not a constant, as before. This unit's errors
/// are those bodies', not the header's, and are ignored.
fn macro_expressions(
    out: &mut Header,
    pending: Vec<PendingMacro>,
    main_file: &str,
    args: &[String],
    mut unsaved: Vec<(String, String)>,
) {
    let Some(main) = unsaved.iter_mut().find(|(n, _)| n == main_file) else {
        return;
    };
    for p in &pending {
        main.1.push_str(&format!(
            "\nstatic const __typeof__(({m})) __wb_macro_{m} = ({m});",
            m = p.name
        ));
    }
    let Ok(tu) = TranslationUnit::parse(main_file, args, &unsaved) else {
        return;
    };
    let mut values: HashMap<String, (i128, Prim)> = HashMap::new();
    for c in tu.cursor().children() {
        let Some(name) = c.spelling().strip_prefix("__wb_macro_").map(str::to_string) else {
            continue;
        };
        if c.kind() != CursorKind::Var {
            continue;
        }
        let prim = prim_of(&c.ty().canonical()).filter(|p| p.is_integer() && *p != Prim::Bool);
        if let (Some(v), Some(prim)) = (c.evaluate_int(), prim) {
            values.insert(name, (v, prim));
        }
    }
    for p in pending.into_iter().rev() {
        if let Some((value, ty)) = values.remove(&p.name) {
            out.constants.insert(
                p.at.min(out.constants.len()),
                Constant {
                    name: p.name,
                    value,
                    ty,
                    doc: p.doc,
                    loc: p.loc,
                },
            );
        }
    }
}

/// The bound headers as given (the main one, then `module.extra_headers` relative to its folder)
/// and their canonical paths; a header that is not there, or a bad `[module]` value
/// (`Config::check`), is an error.
fn bound_headers(
    header: &Path,
    config: &Config,
) -> Result<(Vec<PathBuf>, Vec<PathBuf>), Diagnostics> {
    let mut given: Vec<PathBuf> = vec![header.to_path_buf()];
    let dir = header.parent().unwrap_or(Path::new("")).to_path_buf();
    given.extend(config.module.extra_headers.iter().map(|e| dir.join(e)));
    let mut diags = Diagnostics(config.check());
    let mut canonical = Vec::new();
    for (i, path) in given.iter().enumerate() {
        match std::fs::canonicalize(path).ok().filter(|p| p.is_file()) {
            Some(c) => canonical.push(c),
            None if i == 0 => diags.push(
                Diagnostic::global(format!("header `{}` not found", path.display())).help(
                    "pass the path of an existing C header (relative to the current directory)",
                ),
            ),
            None => diags.push(
                Diagnostic::global(format!(
                    "extra header `{}` (module.extra_headers in the config) not found",
                    path.display()
                ))
                .help("extra_headers are relative to the main header's folder"),
            ),
        }
    }
    diags.finish((given, canonical))
}

/// The in-memory files of the parse: the main file `#include`-ing every bound header, and
/// `wasm_bind.h` when `include_dir` does not hold it.
fn unsaved_files(
    canonical: &[PathBuf],
    main_file: &str,
    include_dir: &Path,
) -> Vec<(String, String)> {
    let mut main_text = String::new();
    for c in canonical {
        main_text.push_str(&format!("#include \"{}\"\n", c.display()));
    }
    let mut unsaved = vec![(main_file.to_string(), main_text)];
    if !include_dir.join("wasm_bind.h").is_file() {
        unsaved.push((
            include_dir.join("wasm_bind.h").display().to_string(),
            WASM_BIND_H.to_string(),
        ));
    }
    unsaved
}

/// The clang command line: the wasm32 freestanding defaults, the include directories (clang's
/// resource headers, `wasm_bind.h`'s, the main header's folder), the config's `clang_args`, then
/// the caller's.
fn parse_args(
    main_dir: &Path,
    include_dir: &Path,
    config: &Config,
    clang_args: &[String],
) -> Vec<String> {
    let mut args: Vec<String> = [
        "-x",
        "c",
        "--target=wasm32",
        "-ffreestanding",
        "-fparse-all-comments",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    if let Some(res) = clang::resource_include_dir() {
        args.push(format!("-I{}", res.display()));
    }
    args.push(format!("-I{}", include_dir.display()));
    args.push(format!("-I{}", main_dir.display()));
    args.extend(config_clang_args(config));
    args.extend(clang_args.iter().cloned());
    args
}

/// clang's errors, each at its position (an error with no position, "too many errors emitted",
/// only when no other error has one).
fn clang_errors(tu: &TranslationUnit, files: &mut FileMap) -> Diagnostics {
    let mut diags = Diagnostics(Vec::new());
    let errors: Vec<_> = tu
        .diagnostics()
        .into_iter()
        .filter(|d| d.is_error)
        .collect();
    let any_located = errors.iter().any(|d| d.loc.is_some());
    for d in errors
        .into_iter()
        .filter(|d| d.loc.is_some() || !any_located)
    {
        let diag = match d.loc.map(|(f, line, col)| Loc {
            file: files.display(&f),
            line,
            col,
        }) {
            Some(loc) => Diagnostic::at(&loc, format!("clang: {}", d.message)),
            None => Diagnostic::global(format!("clang: {}", d.message)),
        };
        diags.push(diag.help(match crate::wasi::missing_libc_header(&d.message) {
            Some(h) => format!(
                "`{h}` is a C library header, which a freestanding wasm32 parse lacks: a libc guest's header is parsed \
                 with wasi-libc's headers: `--clang-arg=--target=wasm32-wasi --clang-arg=-isystem/usr/include/wasm32-wasi`, \
                 or in the config: clang_args = [\"--target=wasm32-wasi\", \"-isystem/usr/include/wasm32-wasi\"] \
                 (`wasm-bind guest --wasi` does this itself)"
            ),
            None => "the header must compile as C for --target=wasm32 -ffreestanding; extra -I/-D go in clang_args (--clang-arg)".to_string(),
        }));
    }
    diags
}

/// The declarations of the bound files (walked by [`Walker`]), with the header's path and the
/// files it includes (as displayed, sorted, without the main file).
fn read_header(
    tu: &TranslationUnit,
    files: &mut FileMap,
    header: &Path,
) -> (Header, Vec<PendingMacro>) {
    let mut walker = Walker {
        tu,
        files,
        names: HashMap::new(),
        sources: HashMap::new(),
        out: Header::default(),
        pending: Vec::new(),
    };
    walker.walk();
    let (mut out, pending) = (walker.out, walker.pending);
    out.path = header.to_path_buf();
    let mut included: Vec<PathBuf> = tu
        .inclusions()
        .into_iter()
        .filter(|f| Path::new(f).file_name().and_then(|n| n.to_str()) != Some(MAIN_FILE_NAME))
        .map(|f| files.display(&f))
        .collect();
    included.sort();
    included.dedup();
    out.included_files = included;
    (out, pending)
}

/// Recognises the bound headers among the file names clang reports.
struct FileMap {
    given: Vec<PathBuf>,
    canonical: Vec<PathBuf>,
    cache: HashMap<String, Option<usize>>,
    main_file: String,
}

impl FileMap {
    /// The index of the bound header `name` is, if it is one.
    fn bound(&mut self, name: &str) -> Option<usize> {
        if let Some(hit) = self.cache.get(name) {
            return *hit;
        }
        let hit = std::fs::canonicalize(name)
            .ok()
            .and_then(|c| self.canonical.iter().position(|b| *b == c));
        self.cache.insert(name.to_string(), hit);
        hit
    }

    /// The path to print for `name`: the given spelling of a bound header, else clang's.
    fn display(&mut self, name: &str) -> PathBuf {
        if name == self.main_file {
            return self.given[0].clone();
        }
        match self.bound(name) {
            Some(i) => self.given[i].clone(),
            None => PathBuf::from(name),
        }
    }
}

struct Walker<'a, 'tu> {
    tu: &'tu TranslationUnit,
    files: &'a mut FileMap,
    /// Record / enum USR -> the name users write (the typedef name when there is one).
    names: HashMap<String, String>,
    /// Source text of files read for macro comments (`None`: unreadable).
    sources: HashMap<String, Option<String>>,
    out: Header,
    /// Object-like macros whose body is not a plain literal, for [`macro_expressions`].
    pending: Vec<PendingMacro>,
}

impl<'tu> Walker<'_, 'tu> {
    fn walk(&mut self) {
        let top = self.tu.cursor().children();
        // Pass 1: typedef names of records and enums, from every file.
        for c in &top {
            if c.kind() == CursorKind::Typedef {
                let under = c.typedef_underlying().canonical();
                if matches!(under.kind(), TypeKind::Record | TypeKind::Enum) {
                    let usr = under.declaration().usr();
                    self.names.entry(usr).or_insert_with(|| c.spelling());
                }
            }
        }
        // Pass 2: declarations in the bound headers.
        let mut seen_fns = std::collections::HashSet::new();
        let mut seen_types = std::collections::HashSet::new();
        for c in top {
            let Some(loc) = self.bound_loc(&c) else {
                continue;
            };
            match c.kind() {
                CursorKind::Function if !c.is_static() && seen_fns.insert(c.spelling()) => {
                    self.note_array_lengths(&c);
                    let f = self.function(&c, loc);
                    self.out.functions.push(f);
                }
                CursorKind::Struct if c.is_definition() && seen_types.insert(c.usr()) => {
                    self.note_array_lengths(&c);
                    let s = self.struct_decl(&c, loc);
                    self.out.structs.push(s);
                }
                CursorKind::Enum if c.is_definition() && seen_types.insert(c.usr()) => {
                    let e = self.enum_decl(&c, loc);
                    self.out.enums.push(e);
                }
                CursorKind::Var if c.is_extern() => {
                    let ty = c.ty();
                    let g = Global {
                        name: c.spelling(),
                        ty: self.convert(ty),
                        is_const: ty.is_const(),
                        loc,
                    };
                    self.out.globals.push(g);
                }
                CursorKind::MacroDefinition if !c.is_macro_function_like() => {
                    let tokens = self.tu.tokens(c);
                    let name = c.spelling();
                    let fresh = !self.out.constants.iter().any(|k| k.name == name)
                        && !self.pending.iter().any(|p| p.name == name);
                    if !fresh || tokens.len() < 2 {
                        continue;
                    }
                    // libclang attaches no comment to a macro: read the one above it in the source.
                    let doc = c
                        .raw_comment()
                        .or_else(|| self.comment_above(&c))
                        .map(|t| strip_comment(&t));
                    match eval_typed(&tokens[1..]) {
                        Some(t) => self.out.constants.push(Constant {
                            name,
                            value: t.value,
                            ty: t.prim(),
                            doc,
                            loc,
                        }),
                        None if crate::ir::is_identifier(&name) && !name.starts_with("__") => {
                            self.pending.push(PendingMacro {
                                at: self.out.constants.len(),
                                name,
                                doc,
                                loc,
                            });
                        }
                        None => {}
                    }
                }
                _ => {}
            }
        }
    }

    /// Records each identifier written as an array length (`[ NAME ]`) in `c`'s source tokens.
    fn note_array_lengths(&mut self, c: &Cursor<'tu>) {
        let tokens = self.tu.tokens(*c);
        for w in tokens.windows(3) {
            if w[0] == "["
                && w[2] == "]"
                && crate::ir::is_identifier(&w[1])
                && !self.out.array_lengths.contains(&w[1])
            {
                self.out.array_lengths.push(w[1].clone());
            }
        }
    }

    /// The comment block ending on the line right above `c` (`// ...` lines, or one `/* ... */`),
    /// read from the bound header's source text (cached per file; unreadable: none).
    fn comment_above(&mut self, c: &Cursor<'tu>) -> Option<String> {
        let (file, line, _) = c.location()?;
        let text = self
            .sources
            .entry(file.clone())
            .or_insert_with(|| std::fs::read_to_string(&file).ok())
            .as_deref()?;
        comment_above(text, line)
    }

    /// The location of `c` if it is declared in one of the bound headers.
    fn bound_loc(&mut self, c: &Cursor<'tu>) -> Option<Loc> {
        let (file, line, col) = c.location()?;
        let i = self.files.bound(&file)?;
        Some(Loc {
            file: self.files.given[i].clone(),
            line,
            col,
        })
    }

    fn loc_of(&mut self, c: &Cursor<'tu>, fallback: &Loc) -> Loc {
        match c.location() {
            Some((file, line, col)) => Loc {
                file: self.files.display(&file),
                line,
                col,
            },
            None => fallback.clone(),
        }
    }

    fn function(&mut self, c: &Cursor<'tu>, loc: Loc) -> Function {
        let mut params = Vec::new();
        let mut annotations = Vec::new();
        for child in c.children() {
            match child.kind() {
                CursorKind::Param => {
                    let name = child.spelling();
                    let name = if name.is_empty() {
                        format!("arg{}", params.len())
                    } else {
                        name
                    };
                    let ploc = self.loc_of(&child, &loc);
                    params.push(Param {
                        name,
                        ty: self.convert(child.ty()),
                        annotations: wb_annotations(&child),
                        loc: ploc,
                        pointer_typedef: pointer_typedef(child.ty()),
                    });
                }
                CursorKind::Annotate => annotations.extend(wb_text(&child)),
                _ => {}
            }
        }
        if c.ty().is_variadic() {
            // The IR has no variadic flag: a `...` pseudo-parameter makes roles skip the function.
            params.push(Param {
                name: "...".into(),
                ty: CType::Unsupported {
                    spelling: "...".into(),
                },
                annotations: Vec::new(),
                loc: loc.clone(),
                pointer_typedef: None,
            });
        }
        Function {
            name: c.spelling(),
            ret: self.convert(c.result_type()),
            params,
            doc: c.raw_comment().map(|t| strip_comment(&t)),
            annotations,
            loc,
        }
    }

    fn struct_decl(&mut self, c: &Cursor<'tu>, loc: Loc) -> StructDecl {
        let ty = c.ty();
        let fields = c
            .children()
            .into_iter()
            .filter(|f| f.kind() == CursorKind::Field)
            .map(|f| Field {
                name: f.spelling(),
                ty: self.convert(f.ty()),
                offset: (f.field_offset_bits().max(0) / 8) as u32,
                bit_width: f.bit_width(),
            })
            .collect();
        StructDecl {
            name: self.record_name(c),
            fields,
            size: ty.size_of().max(0) as u32,
            align: ty.align_of().max(0) as u32,
            doc: c.raw_comment().map(|t| strip_comment(&t)),
            loc,
        }
    }

    fn enum_decl(&mut self, c: &Cursor<'tu>, loc: Loc) -> EnumDecl {
        let repr = self
            .convert(c.enum_integer_type())
            .prim()
            .unwrap_or(Prim::I32);
        let variants = c
            .children()
            .into_iter()
            .filter(|v| v.kind() == CursorKind::EnumConstant)
            .map(|v| {
                (
                    v.spelling(),
                    if repr.is_signed() {
                        i128::from(v.enum_value())
                    } else {
                        i128::from(v.enum_unsigned_value())
                    },
                )
            })
            .collect();
        let name = self.names.get(&c.usr()).cloned().unwrap_or_else(|| {
            if c.is_anonymous() {
                String::new()
            } else {
                c.spelling()
            }
        });
        EnumDecl {
            name,
            repr,
            variants,
            doc: c.raw_comment().map(|t| strip_comment(&t)),
            loc,
        }
    }

    /// The name users write for a record or enum declaration.
    fn record_name(&self, decl: &Cursor<'tu>) -> String {
        self.names
            .get(&decl.usr())
            .cloned()
            .unwrap_or_else(|| decl.spelling())
    }

    /// A pointer to the function type `proto` (`ptr` is the pointer type, for its spelling).
    /// A function without a prototype (`int (*)()`) has unknown parameters: unsupported.
    fn fn_ptr(&self, ptr: Type<'tu>, proto: Type<'tu>) -> CType {
        if proto.kind() != TypeKind::FunctionProto || ptr.spelling().ends_with("()") {
            return CType::Unsupported {
                spelling: ptr.spelling(),
            };
        }
        CType::FnPtr(Box::new(FnSig {
            ret: self.convert(proto.fn_result()),
            params: proto
                .fn_args()
                .into_iter()
                .map(|t| self.convert(t))
                .collect(),
            variadic: proto.is_variadic(),
            spelling: ptr.spelling(),
        }))
    }

    /// Maps a libclang type (keeping typedef names of scalars) to a `CType`.
    fn convert(&self, ty: Type<'tu>) -> CType {
        match ty.kind() {
            TypeKind::Elaborated => self.convert(ty.named()),
            TypeKind::Typedef => match self.convert(ty.canonical()) {
                CType::Prim { prim, .. } => CType::Prim {
                    prim,
                    typedef: Some(ty.typedef_name()),
                },
                CType::FnPtr(mut sig) => {
                    sig.spelling = ty.typedef_name();
                    CType::FnPtr(sig)
                }
                other => other,
            },
            TypeKind::Pointer => {
                let pointee = ty.pointee();
                match pointee.canonical().kind() {
                    TypeKind::FunctionProto => self.fn_ptr(ty, pointee.canonical()),
                    _ => CType::Pointer {
                        pointee: Box::new(self.convert(pointee)),
                        pointee_const: pointee.is_const(),
                    },
                }
            }
            TypeKind::ConstantArray => {
                let elem = ty.array_elem();
                CType::Array {
                    elem: Box::new(self.convert(elem)),
                    len: ty.array_len().max(0) as u64,
                    elem_const: elem.is_const(),
                }
            }
            TypeKind::Record => {
                let decl = ty.canonical().declaration();
                if decl.kind() == CursorKind::Struct {
                    CType::Struct {
                        name: self.record_name(&decl),
                    }
                } else if decl.kind() == CursorKind::Union {
                    // Named as users write it (typedef, else tag): a pointer to a union can be a
                    // library-owned handle (`roles::owned`, LZ4's `LZ4_stream_t`).
                    CType::Unsupported {
                        spelling: format!("union {}", self.record_name(&decl)),
                    }
                } else {
                    CType::Unsupported {
                        spelling: ty.spelling(),
                    }
                }
            }
            TypeKind::Enum => {
                let decl = ty.canonical().declaration();
                let repr = self
                    .convert(decl.enum_integer_type())
                    .prim()
                    .unwrap_or(Prim::I32);
                CType::Enum {
                    name: self.record_name(&decl),
                    repr,
                }
            }
            _ => match prim_of(&ty) {
                Some(prim) => CType::Prim {
                    prim,
                    typedef: None,
                },
                None => CType::Unsupported {
                    spelling: ty.spelling(),
                },
            },
        }
    }
}

/// The typedef name `ty` is spelled with when it names a data pointer (`sqlite3_filename`), through
/// any elaboration; `None` for everything else (function pointers included).
fn pointer_typedef(ty: Type<'_>) -> Option<String> {
    match ty.kind() {
        TypeKind::Elaborated => pointer_typedef(ty.named()),
        TypeKind::Typedef => {
            let canonical = ty.canonical();
            let is_data_pointer = canonical.kind() == TypeKind::Pointer
                && canonical.pointee().canonical().kind() != TypeKind::FunctionProto;
            is_data_pointer.then(|| ty.typedef_name())
        }
        _ => None,
    }
}

/// The scalar of a builtin type, sized for wasm32.
fn prim_of(ty: &Type<'_>) -> Option<Prim> {
    let wide = ty.size_of() == 8;
    Some(match ty.kind() {
        TypeKind::Void => Prim::Void,
        TypeKind::Bool => Prim::Bool,
        TypeKind::CharS | TypeKind::CharU => Prim::Char,
        TypeKind::SChar => Prim::I8,
        TypeKind::UChar => Prim::U8,
        TypeKind::Short => Prim::I16,
        TypeKind::UShort => Prim::U16,
        TypeKind::Int | TypeKind::Long | TypeKind::LongLong => {
            if wide {
                Prim::I64
            } else {
                Prim::I32
            }
        }
        TypeKind::UInt | TypeKind::ULong | TypeKind::ULongLong => {
            if wide {
                Prim::U64
            } else {
                Prim::U32
            }
        }
        TypeKind::Float => Prim::F32,
        TypeKind::Double => Prim::F64,
        _ => return None,
    })
}

/// The `wb:` annotations among `c`'s children, prefix removed.
fn wb_annotations(c: &Cursor<'_>) -> Vec<String> {
    c.children()
        .iter()
        .filter(|a| a.kind() == CursorKind::Annotate)
        .filter_map(wb_text)
        .collect()
}

fn wb_text(a: &Cursor<'_>) -> Option<String> {
    a.spelling()
        .strip_prefix("wb:")
        .map(|s| s.trim().to_string())
}

/// Removes comment markers (`//`, `///`, `//!`, `/*`, `/**`, `*/`, and a leading `*` continuing a
/// block comment, never one in a `//` comment) from a raw comment.
/// The raw comment directly above 1-based `line` of `text` (no blank line in between): consecutive
/// `//` lines, or a `/* ... */` block whose first line starts with `/*`.
fn comment_above(text: &str, line: u32) -> Option<String> {
    let lines: Vec<&str> = text
        .lines()
        .take((line as usize).saturating_sub(1))
        .collect();
    let last = lines.last()?.trim();
    // A comment ending in a ruler (`// Hashing` over `// -------`) is a section heading, not the
    // constant's documentation.
    let body = last
        .trim_start_matches("//")
        .trim_end_matches("*/")
        .trim_start_matches("/*")
        .trim();
    if body.len() >= 3
        && body
            .chars()
            .all(|c| matches!(c, '-' | '=' | '*' | '_' | '~'))
    {
        return None;
    }
    let start = if last.starts_with("//") {
        lines
            .iter()
            .rposition(|l| !l.trim_start().starts_with("//"))
            .map_or(0, |i| i + 1)
    } else if last.ends_with("*/") {
        let i = lines.iter().rposition(|l| l.contains("/*"))?;
        if !lines[i].trim_start().starts_with("/*") {
            return None; // code before the comment on its line: not a comment of its own
        }
        i
    } else {
        return None;
    };
    Some(lines[start..].join("\n"))
}

pub(crate) fn strip_comment(raw: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    for line in raw.lines() {
        let mut l = line.trim();
        let mut line_comment = false;
        for prefix in [
            "///<", "//!<", "///", "//!", "//", "/**<", "/*!<", "/**", "/*!", "/*",
        ] {
            if let Some(rest) = l.strip_prefix(prefix) {
                l = rest;
                line_comment = prefix.starts_with("//");
                break;
            }
        }
        if let Some(rest) = l.strip_suffix("*/") {
            l = rest;
        }
        let l = l.trim_end();
        // A leading `*` continues a block comment (` * text`); in a `//` comment it is text
        // (`/// *n_words is set`).
        let l = match l.trim_start().strip_prefix('*') {
            Some(rest) if !line_comment && (!rest.starts_with('*') || rest.is_empty()) => rest,
            _ => l,
        };
        let l = l.strip_prefix(' ').unwrap_or(l).trim_end();
        // Section rulers (`// -------`) underline headings; they are layout, not text.
        if l.len() >= 3 && l.chars().all(|c| matches!(c, '-' | '=' | '*' | '_' | '~')) {
            continue;
        }
        lines.push(l.to_string());
    }
    while lines.first().is_some_and(|l| l.is_empty()) {
        lines.remove(0);
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines.join("\n")
}

/// Evaluates the body of an object-like macro when it is one integer literal, optionally signed
/// and parenthesised (`2`, `(-1)`, `0x10u`); anything else is not a constant. The value is exact,
/// as C computes it on wasm32: a literal's type follows C's rules (`int`, `long`, `long long`,
/// unsigned for a `u` suffix or a hex/octal literal too big for the signed type), so
/// `0xFFFFFFFFFFFFFFFF` is 18446744073709551615 and `-1u` is 4294967295.
#[cfg(test)]
fn eval_int(tokens: &[String]) -> Option<i128> {
    eval_typed(tokens).map(|v| v.value)
}

/// A literal's value and C type.
#[derive(Debug, Clone, Copy)]
struct Typed {
    value: i128,
    unsigned: bool,
    bits: u32,
}

impl Typed {
    /// The C type as a [`Prim`] (`I32`, `U32`, `I64`, `U64`).
    fn prim(self) -> Prim {
        match (self.bits, self.unsigned) {
            (64, true) => Prim::U64,
            (64, false) => Prim::I64,
            (_, true) => Prim::U32,
            (_, false) => Prim::I32,
        }
    }
}

fn eval_typed(tokens: &[String]) -> Option<Typed> {
    let mut t = tokens;
    while t.len() >= 2 && t[0] == "(" && t[t.len() - 1] == ")" {
        t = &t[1..t.len() - 1];
    }
    match t {
        [sign, rest @ ..] if sign == "-" => {
            let v = eval_typed(rest)?;
            let neg = if v.unsigned {
                (-v.value).rem_euclid(1i128 << v.bits)
            } else {
                -v.value
            };
            // `-(-2147483648)` overflows `int` in C: not a constant we can state.
            let fits = v.unsigned || neg < (1i128 << (v.bits - 1));
            fits.then_some(Typed { value: neg, ..v })
        }
        [sign, rest @ ..] if sign == "+" => eval_typed(rest),
        [lit] => int_literal(lit),
        _ => None,
    }
}

fn int_literal(lit: &str) -> Option<Typed> {
    let body = lit.trim_end_matches(['u', 'U', 'l', 'L']);
    let suffix = &lit[body.len()..];
    let (digits, radix) =
        if let Some(h) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
            (h, 16)
        } else if let Some(b) = body.strip_prefix("0b").or_else(|| body.strip_prefix("0B")) {
            (b, 2)
        } else if body.len() > 1 && body.starts_with('0') {
            (&body[1..], 8)
        } else {
            (body, 10)
        };
    if digits.is_empty() {
        return None;
    }
    let v = u64::from_str_radix(digits, radix).ok()?;
    let unsigned_suffix = suffix.contains(['u', 'U']);
    let long_long = suffix.to_ascii_lowercase().contains("ll");
    // C11 6.4.4.1: the first type of the list that holds the value (wasm32: long is 32 bits).
    let mut kinds: Vec<(bool, u32)> = Vec::new();
    for bits in [32u32, 64] {
        if bits == 32 && long_long {
            continue;
        }
        if !unsigned_suffix {
            kinds.push((false, bits));
        }
        if unsigned_suffix || radix != 10 {
            kinds.push((true, bits));
        }
    }
    kinds.into_iter().find_map(|(unsigned, bits)| {
        let max = if unsigned {
            (1u128 << bits) - 1
        } else {
            (1u128 << (bits - 1)) - 1
        };
        (u128::from(v) <= max).then_some(Typed {
            value: i128::from(v),
            unsigned,
            bits,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn doc_comments_keep_a_leading_star_that_is_text() {
        // Issue #14: `/// *n_words is set` lost its `*`.
        assert_eq!(
            strip_comment("/// Counts words.\n/// *n_words is set."),
            "Counts words.\n*n_words is set."
        );
        assert_eq!(strip_comment("// *p is written"), "*p is written");
        // A block comment's continuation stars are still layout.
        assert_eq!(strip_comment("/** Alpha.\n * beta.\n */"), "Alpha.\nbeta.");
    }

    #[test]
    fn evaluates_integer_macro_bodies() {
        assert_eq!(eval_int(&toks("2")), Some(2));
        assert_eq!(eval_int(&toks("( - 1 )")), Some(-1));
        assert_eq!(eval_int(&toks("0x10u")), Some(16));
        let ty = |t: &str| eval_typed(&toks(t)).map(Typed::prim);
        assert_eq!(ty("64"), Some(Prim::I32));
        assert_eq!(ty("64u"), Some(Prim::U32));
        assert_eq!(ty("0xFFFFFFFF"), Some(Prim::U32));
        assert_eq!(ty("4294967296"), Some(Prim::I64));
        assert_eq!(ty("0xFFFFFFFFFFFFFFFFull"), Some(Prim::U64));
        assert_eq!(eval_int(&toks("010")), Some(8));
        assert_eq!(eval_int(&toks("0")), Some(0));
        assert_eq!(eval_int(&toks("1UL")), Some(1));
        assert_eq!(eval_int(&toks("")), None);
        assert_eq!(eval_int(&toks("1 + 2")), None);
        assert_eq!(eval_int(&toks("\"s\"")), None);
        assert_eq!(eval_int(&toks("1.5")), None);
        // Exact values with C's literal types: unsigned wrap on negation, no -1 for a large one.
        assert_eq!(
            eval_int(&toks("0xFFFFFFFFFFFFFFFF")),
            Some(18446744073709551615)
        );
        assert_eq!(
            eval_int(&toks("18446744073709551615ULL")),
            Some(18446744073709551615)
        );
        assert_eq!(eval_int(&toks("- 1u")), Some(4294967295));
        assert_eq!(eval_int(&toks("- 1ULL")), Some(18446744073709551615));
        assert_eq!(eval_int(&toks("- 0xFFFFFFFF")), Some(1));
        assert_eq!(eval_int(&toks("- 2147483648")), Some(-2147483648));
        assert_eq!(
            eval_int(&toks("- 9223372036854775807")),
            Some(-9223372036854775807)
        );
        // Decimal without suffix never becomes unsigned: too big for long long is no constant.
        assert_eq!(eval_int(&toks("18446744073709551615")), None);
    }

    #[test]
    fn strips_comment_markers() {
        assert_eq!(
            strip_comment("// Return 0 if equal\n// -1 otherwise"),
            "Return 0 if equal\n-1 otherwise"
        );
        assert_eq!(
            strip_comment("/**\n * Finds two.\n *\n * Returns x.\n */"),
            "Finds two.\n\nReturns x."
        );
        assert_eq!(strip_comment("/// doc"), "doc");
        assert_eq!(
            strip_comment("// Erase sensitive data\n// --------------------"),
            "Erase sensitive data"
        );
        assert_eq!(strip_comment("// a - b\n// --"), "a - b\n--");
    }
}

#[cfg(test)]
mod libclang_tests {
    use super::*;
    use crate::ir::CType;

    /// A fresh directory under the system temp dir holding `files`.
    fn write_files(tag: &str, files: &[(&str, &str)]) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("wb-parse-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for (name, text) in files {
            std::fs::write(dir.join(name), text).unwrap();
        }
        dir
    }

    const MAIN: &str = r#"#ifndef MAIN_H
#define MAIN_H
#include <stddef.h>
#include <stdint.h>
#include "wasm_bind.h"

#define ANSWER 42
#define NEG (-7)
#define MASK 0xffu
#define NAME "x"
#define TWICE(x) ((x) * 2)
#define ONE_PLUS 1 + 1

/// A context.
typedef struct {
    uint64_t counter;
    uint8_t key[32];
    uint8_t tag;
} ctx_t;

struct tagged { uint32_t a; uint16_t b; };

typedef enum { RED = 1, GREEN = 5 } color;

extern const ctx_t default_ctx;

// Hashes `message` into `hash`.
// Second line.
void hash(uint8_t *hash, size_t hash_size, const uint8_t *message, size_t message_size);

/** Checks. */
WB_STATUS int check(const uint8_t a[16], WB_INOUT uint8_t b[8], WB_LEN_OF(a, b) size_t n);

void with_ctx(ctx_t *ctx, struct tagged *t, color c, unsigned long l, long long ll);

int unnamed(int, const void *);

int printf_like(const char *fmt, ...);

static inline int helper(void) { return 1; }
#endif
"#;

    #[test]
    fn macro_expressions_are_constants_as_clang_evaluates_them() {
        // (A fresh-user walkthrough: zstd's `ZSTD_CONTENTSIZE_UNKNOWN (0ULL - 1)` was left out.)
        let text = "#include <stdint.h>\n#include <stddef.h>\nenum color { RED, GREEN = 7 };\n#define PLAIN 5\n\
                    /** Unknown. */\n#define UNKNOWN (0ULL - 1)\n#define FLAGS (1 << 4 | 2)\n#define DERIVED (PLAIN * 3 + 1)\n\
                    #define NEG (-(1 << 3))\n#define SIZE_MAX_32 ((size_t)-1)\n#define AFTER_GREEN (GREEN + 1)\n\
                    #define NAME \"str\"\n#define ATTR __attribute__((unused))\n#define PI 3.14\n#define EMPTY\n\
                    #define CALL f()\n#define LAST 9\nint f(void);\n";
        let dir = write_files("macro-exprs", &[("m.h", text)]);
        let h = parse(&dir.join("m.h"), &Config::default(), &[]).unwrap_or_else(|e| panic!("{e}"));
        let got: Vec<(&str, i128, Prim)> = h
            .constants
            .iter()
            .map(|c| (c.name.as_str(), c.value, c.ty))
            .collect();
        assert_eq!(
            got,
            [
                ("PLAIN", 5, Prim::I32),
                ("UNKNOWN", (1i128 << 64) - 1, Prim::U64),
                ("FLAGS", 18, Prim::I32),
                ("DERIVED", 16, Prim::I32),
                ("NEG", -8, Prim::I32),
                ("SIZE_MAX_32", (1i128 << 32) - 1, Prim::U32),
                ("AFTER_GREEN", 8, Prim::I32), // an enumeration constant is an `int` in C
                ("LAST", 9, Prim::I32),
            ],
            "declaration order; strings, attributes, floats, empty bodies and calls are not constants"
        );
        assert_eq!(h.constants[1].doc.as_deref(), Some("Unknown."));
    }

    #[test]
    fn macro_constants_keep_the_comment_above_them() {
        let text = "#include <stdint.h>\nvoid f(uint32_t x);\n\n// Number of rounds.\n// At least 8.\n#define ROUNDS 12\n\
                    /** Block size in bytes. */\n#define BLOCK 64\n\n// Detached by a blank line.\n\n#define FAR 1\n\
                    int g(void); /* not its own */\n#define AFTER_CODE 2\n#define PLAIN 3\n\
                    // Section heading\n// ---------------\n#define UNDER_HEADING 4\n\
                    /*-*****\n*  Tuning\n*******/\n#define UNDER_BANNER 5\n";
        let dir = write_files("macro-docs", &[("m.h", text)]);
        let h = parse(&dir.join("m.h"), &Config::default(), &[]).unwrap_or_else(|e| panic!("{e}"));
        let docs: Vec<(&str, Option<&str>)> = h
            .constants
            .iter()
            .map(|c| (c.name.as_str(), c.doc.as_deref()))
            .collect();
        assert_eq!(
            docs,
            [
                ("ROUNDS", Some("Number of rounds.\nAt least 8.")),
                ("BLOCK", Some("Block size in bytes.")),
                ("FAR", None),
                ("AFTER_CODE", None),
                ("PLAIN", None),
                ("UNDER_HEADING", None),
                ("UNDER_BANNER", None),
            ]
        );
        // The doc reaches both back ends: a `#:` comment in Python, rustdoc in Rust.
        let model = crate::roles::bind(&h, &Config::default()).unwrap_or_else(|e| panic!("{e}"));
        let py = crate::emit::python::render(&model).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            py.module
                .contains("#: Number of rounds.\n#: At least 8.\nROUNDS = 12\n"),
            "{}",
            py.module
        );
        assert!(
            py.stub
                .contains("#: Block size in bytes.\nBLOCK: Final = 64\n"),
            "{}",
            py.stub
        );
        let rs = crate::emit::rust::render_file(&model).unwrap_or_else(|e| panic!("{e}"));
        let at = rs
            .find("pub const ROUNDS")
            .unwrap_or_else(|| panic!("{rs}"));
        let before = &rs[rs[..at].rfind("pub const").unwrap_or(0)..at];
        assert!(
            before.contains("Number of rounds.") && before.contains("At least 8."),
            "{before}"
        );
    }

    #[test]
    fn parses_declarations_into_the_ir() {
        let dir = write_files("decls", &[("main.h", MAIN)]);
        let h =
            parse(&dir.join("main.h"), &Config::default(), &[]).unwrap_or_else(|e| panic!("{e}"));
        let names: Vec<&str> = h.functions.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            ["hash", "check", "with_ctx", "unnamed", "printf_like"]
        );

        let hash = &h.functions[0];
        assert_eq!(
            hash.doc.as_deref(),
            Some("Hashes `message` into `hash`.\nSecond line.")
        );
        assert_eq!(
            hash.params[1].ty,
            CType::Prim {
                prim: Prim::U32,
                typedef: Some("size_t".into())
            }
        );
        assert_eq!(hash.params[2].ty.to_string(), "const uint8_t *");
        assert_eq!(hash.loc.file, dir.join("main.h"));
        assert_eq!((hash.loc.line, hash.loc.col), (29, 6));

        let check = &h.functions[1];
        assert_eq!(check.annotations, ["status"]);
        assert_eq!(check.doc.as_deref(), Some("Checks."));
        let elem = Box::new(CType::Prim {
            prim: Prim::U8,
            typedef: Some("uint8_t".into()),
        });
        assert_eq!(
            check.params[0].ty,
            CType::Array {
                elem: elem.clone(),
                len: 16,
                elem_const: true
            }
        );
        assert_eq!(
            check.params[1].ty,
            CType::Array {
                elem,
                len: 8,
                elem_const: false
            }
        );
        assert_eq!(check.params[1].annotations, ["inout"]);
        assert_eq!(check.params[2].annotations, ["len_of(a, b)"]);

        let with_ctx = &h.functions[2];
        let tys: Vec<String> = with_ctx.params.iter().map(|p| p.ty.to_string()).collect();
        assert_eq!(tys, ["ctx_t *", "tagged *", "color", "uint32_t", "int64_t"]);
        assert_eq!(
            with_ctx.params[2].ty,
            CType::Enum {
                name: "color".into(),
                repr: Prim::U32
            }
        );

        let unnamed = &h.functions[3];
        assert_eq!(unnamed.params[0].name, "arg0");
        assert_eq!(unnamed.params[1].name, "arg1");
        assert_eq!(
            h.functions[4].params.last().map(|p| p.name.as_str()),
            Some("...")
        );

        let consts: Vec<(&str, i128)> = h
            .constants
            .iter()
            .map(|c| (c.name.as_str(), c.value))
            .collect();
        // `ONE_PLUS 1 + 1` is an integer constant expression too (evaluated by clang)
        assert_eq!(
            consts,
            [("ANSWER", 42), ("NEG", -7), ("MASK", 255), ("ONE_PLUS", 2)]
        );

        let ctx = h.find_struct("ctx_t").expect("typedef'd anonymous struct");
        assert_eq!((ctx.size, ctx.align), (48, 8));
        let offsets: Vec<(&str, u32)> = ctx
            .fields
            .iter()
            .map(|f| (f.name.as_str(), f.offset))
            .collect();
        assert_eq!(offsets, [("counter", 0), ("key", 8), ("tag", 40)]);
        assert_eq!(ctx.doc.as_deref(), Some("A context."));
        let tagged = h.find_struct("tagged").expect("tagged struct");
        assert_eq!((tagged.size, tagged.align), (8, 4));

        assert_eq!(h.enums.len(), 1);
        assert_eq!(h.enums[0].name, "color");
        assert_eq!(
            h.enums[0].variants,
            [("RED".to_string(), 1), ("GREEN".to_string(), 5)]
        );

        assert_eq!(h.globals.len(), 1);
        assert_eq!(h.globals[0].name, "default_ctx");
        assert!(h.globals[0].is_const);

        assert!(h.included_files.contains(&dir.join("main.h")));
        assert!(h.included_files.iter().any(|f| f.ends_with("stdint.h")));
        assert!(h.included_files.iter().any(|f| f.ends_with("wasm_bind.h")));
        let mut sorted = h.included_files.clone();
        sorted.sort();
        assert_eq!(sorted, h.included_files);
    }

    #[test]
    fn binds_extra_headers_but_not_system_ones() {
        let dir = write_files(
            "extra",
            &[
                (
                    "a.h",
                    "#include <stdint.h>\nvoid fa(uint32_t x);\n#define A_ONE 1\n",
                ),
                ("b.h", "#include \"a.h\"\nvoid fb(uint32_t y);\n"),
            ],
        );
        let mut config = Config::default();
        config.module.extra_headers = vec!["b.h".into()];
        let h = parse(&dir.join("a.h"), &config, &[]).unwrap_or_else(|e| panic!("{e}"));
        let names: Vec<&str> = h.functions.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["fa", "fb"]);
        assert_eq!(h.functions[1].loc.file, dir.join("b.h"));
        assert_eq!(
            h.constants.len(),
            1,
            "no stdint.h macros: {:?}",
            h.constants
        );
    }

    #[test]
    fn config_clang_args_define_and_include_relative_to_the_config() {
        let dir = write_files("cfgargs", &[("g.h", "#include \"inc.h\"\n#if WANT_F\nvoid f(unsigned x);\n#else\nvoid not_f(void);\n#endif\n")]);
        for sub in ["sub", "cfg"] {
            std::fs::create_dir_all(dir.join(sub)).unwrap();
        }
        std::fs::write(dir.join("sub/inc.h"), "#define INC_ONE 1\n").unwrap();
        let mut config = Config {
            path: Some(dir.join("cfg/t.toml")),
            ..Config::default()
        };
        config.module.clang_args = vec!["-DWANT_F=1".into(), "-I../sub".into()];
        let h = parse(&dir.join("g.h"), &config, &[]).unwrap_or_else(|e| panic!("{e}"));
        let names: Vec<&str> = h.functions.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["f"]);
        // Without them, the include is not found: the header's defines and paths are the config's.
        let err = parse(&dir.join("g.h"), &Config::default(), &[]).unwrap_err();
        assert!(err.to_string().contains("'inc.h' file not found"), "{err}");
    }

    #[test]
    fn clang_errors_carry_file_line_col() {
        let dir = write_files(
            "err",
            &[(
                "bad.h",
                "#include <stdint.h>\nvoid f(uint32_t x)\nvoid g(nosuch_t y);\n",
            )],
        );
        let err = parse(&dir.join("bad.h"), &Config::default(), &[]).unwrap_err();
        let first = &err.0[0];
        let loc = first.loc.as_ref().expect("located");
        assert_eq!(loc.file, dir.join("bad.h"));
        assert_eq!(loc.line, 2);
        assert!(first.message.starts_with("clang: "), "{}", first.message);
    }

    #[test]
    fn missing_headers_are_one_clear_diagnostic() {
        let err = parse(Path::new("no/such/header.h"), &Config::default(), &[]).unwrap_err();
        assert_eq!(err.0.len(), 1);
        assert_eq!(err.0[0].message, "header `no/such/header.h` not found");
        let dir = write_files("noextra", &[("a.h", "void fa(void);\n")]);
        let mut config = Config::default();
        config.module.extra_headers = vec!["gone.h".into()];
        let err = parse(&dir.join("a.h"), &config, &[]).unwrap_err();
        assert!(
            err.0[0]
                .message
                .contains("gone.h` (module.extra_headers in the config) not found"),
            "{err}"
        );
    }

    #[test]
    fn serves_wasm_bind_h_from_memory_when_its_folder_is_missing() {
        let dir = write_files(
            "virtual",
            &[("v.h", "#include <stdint.h>\n#include \"wasm_bind.h\"\nvoid f(WB_INOUT uint8_t seed[32]);\n")],
        );
        let missing = dir.join("no-include-dir");
        let h = parse_with(&dir.join("v.h"), &Config::default(), &[], &missing)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(h.functions[0].params[0].annotations, ["inout"]);
    }

    /// Runs itself in a child process whose LIBCLANG_PATH points nowhere (libclang is loaded once
    /// per process, so this cannot be checked in-process).
    #[test]
    fn missing_libclang_is_one_clear_diagnostic() {
        let dir = write_files("nolib", &[("n.h", "void f(void);\n")]);
        if std::env::var_os("WB_TEST_EXPECT_NO_LIBCLANG").is_some() {
            let err = parse(&dir.join("n.h"), &Config::default(), &[]).unwrap_err();
            assert_eq!(err.0.len(), 1, "{err}");
            let d = &err.0[0];
            assert!(d.loc.is_none());
            assert!(d.message.starts_with("libclang could not be loaded"), "{d}");
            assert!(
                d.message.contains("libclang-19-dev") && d.message.contains("LIBCLANG_PATH"),
                "{d}"
            );
            return;
        }
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "parse::libclang_tests::missing_libclang_is_one_clear_diagnostic",
                "--test-threads=1",
            ])
            .env("WB_TEST_EXPECT_NO_LIBCLANG", "1")
            .env("LIBCLANG_PATH", dir.join("no-libclang-here"))
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && stdout.contains("1 passed"),
            "child failed:\n{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    #[test]
    fn constants_keep_their_exact_value_in_both_languages() {
        let text = "#include <stdint.h>\nenum big : unsigned long long { E_MAX = 0xFFFFFFFFFFFFFFFF, E_ONE = 1 };\n\
                    enum neg : long long { N_MIN = -9223372036854775807 - 1 };\n#define M_MAX 0xFFFFFFFFFFFFFFFFULL\n#define M_WRAP (-1u)\n\
                    void f(enum big b);\n";
        let dir = write_files("bigenum", &[("b.h", text)]);
        let h = parse(&dir.join("b.h"), &Config::default(), &[]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            h.enums[0].variants,
            [
                ("E_MAX".to_string(), 18446744073709551615),
                ("E_ONE".to_string(), 1)
            ]
        );
        assert_eq!(
            h.enums[1].variants,
            [("N_MIN".to_string(), -9223372036854775808)]
        );
        let consts: Vec<(&str, i128)> = h
            .constants
            .iter()
            .map(|c| (c.name.as_str(), c.value))
            .collect();
        assert_eq!(
            consts,
            [("M_MAX", 18446744073709551615), ("M_WRAP", 4294967295)]
        );
        let model = crate::roles::bind(&h, &Config::default()).unwrap_or_else(|e| panic!("{e}"));
        let rs = crate::emit::rust::render_file(&model).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            rs.contains("pub const E_MAX: u64 = 18446744073709551615;"),
            "{rs}"
        );
        assert!(
            rs.contains("pub const N_MIN: i64 = -9223372036854775808;"),
            "{rs}"
        );
        assert!(rs.contains("pub const M_WRAP: u32 = 4294967295;"), "{rs}");
        assert!(!rs.contains("= -1;"), "{rs}");
        let py = crate::emit::python::render(&model).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            py.module.contains("\nE_MAX = 18446744073709551615\n"),
            "{}",
            py.module
        );
        assert!(
            py.module.contains("\nM_MAX = 18446744073709551615\n"),
            "{}",
            py.module
        );
    }

    #[test]
    fn structs_with_bitfields_are_not_bound_by_value() {
        let text = "#include <stdint.h>\ntypedef struct { uint32_t a : 3; uint32_t b : 1; } Bf;\n\
                    typedef struct { uint32_t x; } Plain;\nvoid by_value(Bf v);\nvoid by_pointer(Bf *p);\n\
                    void read_field(Bf *p, uint8_t *out);\nextern const Bf bf_global;\nextern const Plain plain_global;\n";
        let dir = write_files("bitfields", &[("bf.h", text)]);
        let h = parse(&dir.join("bf.h"), &Config::default(), &[]).unwrap_or_else(|e| panic!("{e}"));
        let bf = h.find_struct("Bf").expect("Bf");
        assert_eq!(
            bf.fields.iter().map(|f| f.bit_width).collect::<Vec<_>>(),
            [Some(3), Some(1)]
        );
        let config = Config::parse(
            "[functions.read_field]\nskip = \"not this one\"\n",
            Path::new("t.toml"),
        )
        .unwrap();
        let model = crate::roles::bind(&h, &config).unwrap_or_else(|e| panic!("{e}"));
        let bound: Vec<&str> = model.functions.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            bound,
            ["by_pointer"],
            "a handle to a bitfield struct is fine"
        );
        let by_value = model
            .skipped
            .iter()
            .find(|s| s.name == "by_value")
            .expect("skipped");
        assert!(
            by_value
                .reason
                .contains("struct `Bf` has bitfields (`a` is 3 bits wide)"),
            "{}",
            by_value.reason
        );
        let globals: Vec<&str> = model.globals.iter().map(|g| g.name.as_str()).collect();
        assert_eq!(globals, ["plain_global"], "the bitfield global is left out");
        assert!(model.find_struct("Bf").is_none());
        // A size expression cannot read a bitfield at a byte offset.
        let config = Config::parse(
            "[functions.read_field.params]\nout = \"out(p.a)\"\n",
            Path::new("t.toml"),
        )
        .unwrap();
        let err = crate::roles::bind(&h, &config).unwrap_err().to_string();
        assert!(err.contains("`p.a` is a 3-bit bitfield"), "{err}");
    }

    #[test]
    fn config_clang_args_outside_the_allowed_forms_never_reach_clang() {
        let dir = write_files("badargs", &[("g.h", "void f(void);\n")]);
        let marker = dir.join("written-by-clang.d");
        let mut config = Config {
            path: Some(dir.join("t.toml")),
            ..Config::default()
        };
        config.module.clang_args = vec![
            "-MD".into(),
            "-MF".into(),
            marker.display().to_string(),
            "-include".into(),
            "/etc/hostname".into(),
        ];
        let err = parse(&dir.join("g.h"), &config, &[]).unwrap_err();
        assert!(!marker.exists(), "clang ran with the config's -MF");
        let msgs: Vec<&str> = err.0.iter().map(|d| d.message.as_str()).collect();
        assert!(
            msgs.contains(&"config `module.clang_args`: `-MD` is not accepted in a config"),
            "{msgs:?}"
        );
        assert!(
            msgs.contains(&"config `module.clang_args`: `-include` is not accepted in a config"),
            "{msgs:?}"
        );
        // The caller's own arguments (command line, Builder) are not restricted.
        let h = parse(
            &dir.join("g.h"),
            &Config::default(),
            &["-MD".into(), "-MF".into(), marker.display().to_string()],
        );
        assert!(h.is_ok());
        // Relative directories in every form are relative to the config's folder.
        std::fs::create_dir_all(dir.join("inc")).unwrap();
        std::fs::write(dir.join("inc/i.h"), "#define FROM_INC 1\n").unwrap();
        std::fs::write(dir.join("u.h"), "#include <i.h>\nvoid g(void);\n").unwrap();
        let mut config = Config {
            path: Some(dir.join("t.toml")),
            ..Config::default()
        };
        config.module.clang_args = vec!["-isystem".into(), "inc".into()];
        assert!(parse(&dir.join("u.h"), &config, &[]).is_ok());
    }

    /// The real `sqlite3.h` of the `libsqlite3-sys` crate, when cargo has it in its registry
    /// (`python3 guests/locate_crate.py libsqlite3-sys 0.30.1 sqlite3 sqlite3.h` fetches it). The
    /// same prototypes are in `tests/headers/rule_positional_guesses.h`, which always runs.
    #[test]
    fn sqlite3_h_binds_nothing_on_a_guess() {
        let home = std::env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
        let found = home
            .and_then(|h| std::fs::read_dir(h.join("registry/src")).ok())
            .into_iter()
            .flatten()
            .flatten()
            .find_map(|index| {
                let mut crates: Vec<PathBuf> = std::fs::read_dir(index.path())
                    .ok()?
                    .flatten()
                    .map(|e| e.path())
                    .filter(|p| p.to_string_lossy().contains("libsqlite3-sys-"))
                    .collect();
                crates.sort();
                crates
                    .into_iter()
                    .map(|c| c.join("sqlite3/sqlite3.h"))
                    .rfind(|h| h.is_file())
            });
        let Some(header) = found else {
            eprintln!("sqlite3.h not in the cargo registry: skipped (tests/headers/rule_positional_guesses.h covers its prototypes)");
            return;
        };
        // Functions whose pointers have no size at all are errors; skip them to see the rest.
        let mut text = String::new();
        for f in [
            "sqlite3_complete16",
            "sqlite3_free",
            "sqlite3_msize",
            "sqlite3_randomness",
            "sqlite3_win32_set_directory",
            "sqlite3_win32_set_directory16",
            // Reached since opaque handles bind (roles::owned): pointers with no size.
            "sqlite3_open16",
            "sqlite3_create_module",
            "sqlite3_str_vappendf",
            "sqlite3_stmt_scanstatus",
            "sqlite3_stmt_scanstatus_v2",
        ] {
            text.push_str(&format!("[functions.{f}]\nskip = \"no size\"\n"));
        }
        let config = Config::parse(&text, Path::new("sqlite.toml")).unwrap();
        let h = parse(&header, &config, &[]).unwrap_or_else(|e| panic!("{e}"));
        let model = crate::roles::bind(&h, &config).unwrap_or_else(|e| panic!("{e}"));
        let report = crate::explain::explain(&model);
        // No size taken by position under a name unlike a size, nor a one-letter one after text.
        for f in &model.functions {
            for (i, p) in f.params.iter().enumerate() {
                let crate::model::Role::Len { sizes, .. } = &p.role else {
                    continue;
                };
                if p.decided_by != crate::model::Decision::Rule("size-after-pointer") {
                    continue;
                }
                assert!(
                    crate::model::reads_like_a_size(&p.name),
                    "{}: `{}` guessed as a size\n{report}",
                    f.name,
                    p.name
                );
                let text = sizes
                    .iter()
                    .any(|&b| f.params[b].c_type.to_string() == "const char *");
                assert!(
                    !(text && p.name.len() == 1),
                    "{}: `{}` (param {i}) guessed as a string's length",
                    f.name,
                    p.name
                );
            }
        }
        for name in [
            "sqlite3_uri_boolean",
            "sqlite3_uri_int64",
            "sqlite3_uri_key",
            "sqlite3_keyword_check",
            "sqlite3_strnicmp",
            "sqlite3_strlike",
        ] {
            assert!(
                model
                    .skipped
                    .iter()
                    .any(|s| s.name == name && !s.deliberate),
                "{name} must not be bound\n{report}"
            );
        }
        // `sqlite3_filename` is the very pointer SQLite handed out: never copied as a string.
        for name in [
            "sqlite3_filename_database",
            "sqlite3_filename_journal",
            "sqlite3_filename_wal",
            "sqlite3_free_filename",
            "sqlite3_uri_parameter",
        ] {
            assert!(
                model
                    .skipped
                    .iter()
                    .any(|s| s.name == name && s.reason.contains("`sqlite3_filename`")),
                "{name} must not be bound as a copied string\n{report}"
            );
        }
        assert!(
            !model
                .functions
                .iter()
                .flat_map(|f| &f.params)
                .any(
                    |p| p.decided_by == crate::model::Decision::Rule("size-after-pointer")
                        && !crate::model::reads_like_a_size(&p.name)
                ),
            "{report}"
        );
    }

    #[test]
    fn parses_from_many_threads_at_once() {
        let dir = write_files(
            "threads",
            &[(
                "t.h",
                "#include <stddef.h>\nvoid f(const void *p, size_t n);\n",
            )],
        );
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let path = dir.join("t.h");
                std::thread::spawn(move || {
                    parse(&path, &Config::default(), &[]).map(|h| h.functions.len())
                })
            })
            .collect();
        for h in handles {
            assert_eq!(h.join().unwrap().unwrap(), 1);
        }
    }
}

#[cfg(test)]
mod garbled_input {
    //! Property: random or garbled header text never panics parse + roles, and every failure is a
    //! diagnostic with a location (bounded: a few hundred cases, a few seconds).

    use super::*;
    use proptest::prelude::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    const PARAMS: &[&str] = &[
        "const uint8_t *a",
        "uint8_t *b",
        "size_t n",
        "size_t a_size",
        "const uint8_t k[32]",
        "uint8_t o[16]",
        "void *v",
        "const void *cv",
        "WB_INOUT uint8_t s[4]",
        "WB_LEN_OF(a) size_t m",
        "WB_LEN_OF(zz) size_t m2",
        "WB_OUT const uint8_t *c",
        "struct s *h",
        "struct s by_value",
        "char *str",
        "double d",
        "int",
        "uint64_t ctr",
        "size_t *len",
        "uint8_t *cipher_text",
        "const uint8_t *plain_text",
        "size_t text_size",
        "WB_SCALAR size_t sc",
        "WB_HANDLE uint8_t *hp",
        "enum e ev",
        "...",
    ];
    const TOKENS: &[&str] = &[
        "void",
        "int",
        "uint8_t",
        "size_t",
        "const",
        "*",
        "[",
        "]",
        "32",
        "(",
        ")",
        ",",
        ";",
        "{",
        "}",
        "struct s",
        "typedef",
        "\n#define X 1\n",
        "\n#define\n",
        "WB_INOUT",
        "WB_LEN_OF(p)",
        "WB_STATUS",
        "WB_SKIP(\"r\")",
        "enum e { A = 1 };",
        "...",
        "p",
        "n",
        "\n",
        "/* c */",
        "// c\n",
        "f(",
        "x",
        "char",
        "double",
        "extern",
        "#include \"nope.h\"\n",
        "\n#if 1\n",
        "\n#endif\n",
        "static",
        "inline",
        "\"",
        "'",
        "\\",
        "@",
        "__attribute__((annotate(\"wb:bogus\")))",
    ];

    fn prototype() -> impl Strategy<Value = String> {
        (
            prop::sample::select(vec![
                "void",
                "int",
                "uint64_t",
                "uint8_t *",
                "double",
                "struct s",
            ]),
            prop::sample::subsequence(PARAMS.to_vec(), 0..6).prop_shuffle(),
            prop::sample::select(vec!["", "WB_STATUS ", "WB_VALUE ", "WB_SKIP(\"why\") "]),
        )
            .prop_map(|(ret, params, attr)| {
                format!("{attr}{ret} fn_{}({});\n", params.len(), params.join(", "))
            })
    }

    fn fragment() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => prototype(),
            4 => prop::sample::select(TOKENS.to_vec()).prop_map(str::to_string),
            1 => "[ -~]{0,12}",
            1 => prop::collection::vec(any::<u8>(), 0..8).prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        ]
    }

    const PRELUDE: &str =
        "#include <stddef.h>\n#include <stdint.h>\n#include \"wasm_bind.h\"\nstruct s { uint32_t x; };\nenum e { E0 };\n";

    /// Mostly well-formed headers (prototypes with distinct names) that exercise the roles stage.
    fn plausible_header() -> impl Strategy<Value = String> {
        prop::collection::vec(prototype(), 0..8).prop_map(|protos| {
            let mut s = PRELUDE.to_string();
            for (i, p) in protos.iter().enumerate() {
                s.push_str(&p.replacen("fn_", &format!("fn{i}_"), 1));
            }
            s
        })
    }

    /// Token soup, with or without the prelude: exercises clang's error path.
    fn garbled_header() -> impl Strategy<Value = String> {
        (any::<bool>(), prop::collection::vec(fragment(), 0..24)).prop_map(|(prelude, parts)| {
            let mut s = if prelude {
                PRELUDE.to_string()
            } else {
                String::new()
            };
            s.push_str(&parts.join(" "));
            s
        })
    }

    fn header_text() -> impl Strategy<Value = String> {
        prop_oneof![plausible_header(), garbled_header()]
    }

    static CASE: AtomicUsize = AtomicUsize::new(0);

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn never_panics_and_always_locates_errors(text in header_text(), status in any::<bool>()) {
            let dir = std::env::temp_dir().join(format!("wb-prop-{}", std::process::id()));
            std::fs::create_dir_all(&dir).unwrap();
            let path = dir.join(format!("case{}.h", CASE.fetch_add(1, Ordering::Relaxed)));
            std::fs::write(&path, &text).unwrap();
            let mut config = Config::default();
            if status {
                config.module.int_returns = Some("status".into());
            }
            let result = parse(&path, &config, &[]).and_then(|h| crate::roles::bind(&h, &config));
            let _ = std::fs::remove_file(&path);
            if let Err(diags) = result {
                prop_assert!(!diags.is_empty());
                for d in &diags.0 {
                    prop_assert!(d.loc.is_some(), "unlocated diagnostic {d} for:\n{text}");
                    prop_assert!(!d.message.is_empty());
                }
            }
        }
    }
}
