//! The only module that touches libclang (through clang-sys): loading it and walking cursors.
//! Owned by the parse stage; everything outside sees plain Rust types from `ir`.
//!
//! Loading: clang-sys's `runtime` feature keeps the loaded library in a thread-local. We load it
//! once per process (a `OnceLock` holding the shared `Arc`) and install that same instance into
//! the thread-local of every thread that parses ([`ensure_loaded`]), so the proc macro, build
//! scripts and parallel test threads all share one library.
//!
//! Every wrapper below is a thin, safe view over one libclang call; the `unsafe` blocks only pass
//! handles that come from a live translation unit (cursors and types borrow it with `'tu`).

use std::ffi::{CStr, CString};
use std::marker::PhantomData;
use std::os::raw::{c_char, c_int, c_uint, c_ulong, c_void};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use clang_sys::*;

/// The directory tried when `LIBCLANG_PATH` is not set (Debian's `libclang-19-dev` layout).
const DEFAULT_LIBCLANG_DIR: &str = "/usr/lib/llvm-19/lib";

static LIBRARY: OnceLock<Result<Arc<SharedLibrary>, String>> = OnceLock::new();

/// Makes libclang callable on the current thread, loading it on first use in the process.
///
/// The error is the whole message of the one diagnostic a missing libclang produces.
pub(crate) fn ensure_loaded() -> Result<(), String> {
    if clang_sys::is_loaded() {
        return Ok(());
    }
    let lib = LIBRARY.get_or_init(load_library);
    match lib {
        Ok(lib) => {
            clang_sys::set_library(Some(lib.clone()));
            Ok(())
        }
        Err(e) => Err(e.clone()),
    }
}

fn load_library() -> Result<Arc<SharedLibrary>, String> {
    if std::env::var_os("LIBCLANG_PATH").is_none() && Path::new(DEFAULT_LIBCLANG_DIR).is_dir() {
        // clang-sys finds the library through this variable; setting it once, before any libclang
        // call and under the OnceLock, points it at LLVM 19 when several versions are installed.
        // Within this workspace `.cargo/config.toml` sets it, so tests running in parallel threads
        // never reach this line.
        std::env::set_var("LIBCLANG_PATH", DEFAULT_LIBCLANG_DIR);
    }
    let lib = clang_sys::load_manually().map_err(|e| {
        format!(
            "libclang could not be loaded ({e}); install the Debian package `libclang-19-dev` \
             or set LIBCLANG_PATH to the directory holding libclang.so"
        )
    })?;
    if lib.functions.clang_createIndex.is_none()
        || lib.functions.clang_parseTranslationUnit2.is_none()
    {
        return Err(format!(
            "the libclang at {} lacks the functions wasm-bind needs; install the Debian package \
             `libclang-19-dev` or set LIBCLANG_PATH to a newer libclang",
            lib.path().display()
        ));
    }
    Ok(Arc::new(lib))
}

/// The clang resource `include` directory (stddef.h, stdint.h) of the loaded libclang, found next
/// to the library (`<libdir>/clang/<version>/include`), else under `/usr/lib/llvm-19`.
pub(crate) fn resource_include_dir() -> Option<PathBuf> {
    let mut roots = Vec::new();
    if let Some(lib) = clang_sys::get_library() {
        if let Some(dir) = lib.path().parent() {
            roots.push(dir.join("clang"));
        }
    }
    roots.push(PathBuf::from(DEFAULT_LIBCLANG_DIR).join("clang"));
    for root in roots {
        let Ok(entries) = std::fs::read_dir(&root) else {
            continue;
        };
        let mut versions: Vec<PathBuf> = entries
            .filter_map(|e| e.ok())
            .map(|e| e.path().join("include"))
            .filter(|p| p.join("stddef.h").is_file())
            .collect();
        versions.sort();
        if let Some(last) = versions.pop() {
            return Some(last);
        }
    }
    None
}

fn take_string(s: CXString) -> String {
    // SAFETY: `s` is a CXString libclang just returned: read once (NULL checked), then disposed once.
    unsafe {
        let ptr = clang_getCString(s);
        let out = if ptr.is_null() {
            String::new()
        } else {
            CStr::from_ptr(ptr).to_string_lossy().into_owned()
        };
        clang_disposeString(s);
        out
    }
}

/// An index plus one parsed translation unit.
pub(crate) struct TranslationUnit {
    index: CXIndex,
    raw: CXTranslationUnit,
}

/// One clang diagnostic, flattened.
pub(crate) struct ClangDiagnostic {
    /// Error or fatal.
    pub is_error: bool,
    /// File, line, column when it has a position.
    pub loc: Option<(String, u32, u32)>,
    /// clang's message.
    pub message: String,
}

impl TranslationUnit {
    /// Parses `main_file` (which may be one of `unsaved`) with `args`. Call [`ensure_loaded`] first.
    pub fn parse(
        main_file: &str,
        args: &[String],
        unsaved: &[(String, String)],
    ) -> Result<TranslationUnit, String> {
        let c_main =
            CString::new(main_file).map_err(|_| "file name contains a NUL byte".to_string())?;
        let c_args: Vec<CString> = args
            .iter()
            .map(|a| CString::new(a.as_str()))
            .collect::<Result<_, _>>()
            .map_err(|_| "a clang argument contains a NUL byte".to_string())?;
        let arg_ptrs: Vec<*const c_char> = c_args.iter().map(|a| a.as_ptr()).collect();
        let c_unsaved: Vec<(CString, CString)> = unsaved
            .iter()
            .map(|(n, c)| Ok((CString::new(n.as_str())?, CString::new(c.as_str())?)))
            .collect::<Result<_, std::ffi::NulError>>()
            .map_err(|_| "header text contains a NUL byte".to_string())?;
        let mut files: Vec<CXUnsavedFile> = c_unsaved
            .iter()
            .map(|(n, c)| CXUnsavedFile {
                Filename: n.as_ptr(),
                Contents: c.as_ptr(),
                Length: c.as_bytes().len() as c_ulong,
            })
            .collect();
        // SAFETY: every pointer passed (file name, arguments, unsaved files) points into CStrings and vectors that live until the call returns; `raw` is used only when libclang reports success, and the index is disposed on failure.
        unsafe {
            let index = clang_createIndex(0, 0);
            let mut raw: CXTranslationUnit = std::ptr::null_mut();
            let code = clang_parseTranslationUnit2(
                index,
                c_main.as_ptr(),
                arg_ptrs.as_ptr(),
                arg_ptrs.len() as c_int,
                files.as_mut_ptr(),
                files.len() as c_uint,
                CXTranslationUnit_DetailedPreprocessingRecord
                    | CXTranslationUnit_SkipFunctionBodies,
                &mut raw,
            );
            if code != CXError_Success || raw.is_null() {
                clang_disposeIndex(index);
                return Err(format!(
                    "libclang could not parse the header (error code {code})"
                ));
            }
            Ok(TranslationUnit { index, raw })
        }
    }

    /// The translation unit's root cursor.
    pub fn cursor(&self) -> Cursor<'_> {
        Cursor {
            // SAFETY: `self.raw` is a live translation unit (disposed only in `Drop`).
            raw: unsafe { clang_getTranslationUnitCursor(self.raw) },
            _tu: PhantomData,
        }
    }

    /// Every diagnostic clang reported.
    pub fn diagnostics(&self) -> Vec<ClangDiagnostic> {
        let mut out = Vec::new();
        // SAFETY: indices stay below clang_getNumDiagnostics; each diagnostic is disposed after its last use.
        unsafe {
            for i in 0..clang_getNumDiagnostics(self.raw) {
                let d = clang_getDiagnostic(self.raw, i);
                let severity = clang_getDiagnosticSeverity(d);
                let loc = spelling_location(clang_getDiagnosticLocation(d));
                let message = take_string(clang_getDiagnosticSpelling(d));
                clang_disposeDiagnostic(d);
                out.push(ClangDiagnostic {
                    is_error: severity >= CXDiagnostic_Error,
                    loc,
                    message,
                });
            }
        }
        out
    }

    /// The name of every file the translation unit read (the main file included).
    pub fn inclusions(&self) -> Vec<String> {
        extern "C" fn visit(
            file: CXFile,
            _stack: *mut CXSourceLocation,
            _len: c_uint,
            data: CXClientData,
        ) {
            // SAFETY: `data` is the `&mut` vector passed as client data by the caller below, alive for the whole visit.
            let out = unsafe { &mut *(data as *mut Vec<String>) };
            // SAFETY: `file` is a file of this live translation unit, handed to the visitor by libclang.
            out.push(take_string(unsafe { clang_getFileName(file) }));
        }
        let mut out: Vec<String> = Vec::new();
        // SAFETY: `visit` only casts `data` back to the vector passed here, which outlives the call.
        unsafe {
            clang_getInclusions(self.raw, visit, &mut out as *mut Vec<String> as *mut c_void)
        };
        out
    }

    /// The spelling of each token in `cursor`'s extent.
    pub fn tokens(&self, cursor: Cursor<'_>) -> Vec<String> {
        let mut out = Vec::new();
        // SAFETY: libclang returns `n` tokens at `tokens` (NULL checked); they are read below index `n` and disposed once.
        unsafe {
            let range = clang_getCursorExtent(cursor.raw);
            let mut tokens: *mut CXToken = std::ptr::null_mut();
            let mut n: c_uint = 0;
            clang_tokenize(self.raw, range, &mut tokens, &mut n);
            if tokens.is_null() {
                return out;
            }
            for i in 0..n as usize {
                out.push(take_string(clang_getTokenSpelling(
                    self.raw,
                    *tokens.add(i),
                )));
            }
            clang_disposeTokens(self.raw, tokens, n);
        }
        out
    }
}

impl Drop for TranslationUnit {
    fn drop(&mut self) {
        // SAFETY: the unit and the index were created by `parse` and are disposed exactly once, here.
        unsafe {
            clang_disposeTranslationUnit(self.raw);
            clang_disposeIndex(self.index);
        }
    }
}

fn spelling_location(loc: CXSourceLocation) -> Option<(String, u32, u32)> {
    // SAFETY: `loc` comes from a live translation unit; the out-pointers are locals of this frame.
    unsafe {
        let mut file: CXFile = std::ptr::null_mut();
        let (mut line, mut col, mut offset) = (0u32, 0u32, 0u32);
        clang_getSpellingLocation(loc, &mut file, &mut line, &mut col, &mut offset);
        if file.is_null() {
            return None;
        }
        Some((take_string(clang_getFileName(file)), line, col))
    }
}

/// What a cursor declares, reduced to the kinds `parse` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CursorKind {
    Function,
    Param,
    Struct,
    Union,
    Enum,
    EnumConstant,
    Field,
    Typedef,
    Var,
    MacroDefinition,
    Annotate,
    Other,
}

/// A cursor of a live translation unit.
#[derive(Clone, Copy)]
pub(crate) struct Cursor<'tu> {
    raw: CXCursor,
    _tu: PhantomData<&'tu TranslationUnit>,
}

impl<'tu> Cursor<'tu> {
    fn wrap(raw: CXCursor) -> Self {
        Cursor {
            raw,
            _tu: PhantomData,
        }
    }

    /// The kind.
    pub fn kind(&self) -> CursorKind {
        #[allow(non_upper_case_globals)]
        // SAFETY: `self.raw` is a cursor of a translation unit that outlives `'tu`; the call only reads it.
        match unsafe { clang_getCursorKind(self.raw) } {
            CXCursor_FunctionDecl => CursorKind::Function,
            CXCursor_ParmDecl => CursorKind::Param,
            CXCursor_StructDecl => CursorKind::Struct,
            CXCursor_UnionDecl => CursorKind::Union,
            CXCursor_EnumDecl => CursorKind::Enum,
            CXCursor_EnumConstantDecl => CursorKind::EnumConstant,
            CXCursor_FieldDecl => CursorKind::Field,
            CXCursor_TypedefDecl => CursorKind::Typedef,
            CXCursor_VarDecl => CursorKind::Var,
            CXCursor_MacroDefinition => CursorKind::MacroDefinition,
            CXCursor_AnnotateAttr => CursorKind::Annotate,
            _ => CursorKind::Other,
        }
    }

    /// The name (or, for an annotation, its text).
    pub fn spelling(&self) -> String {
        // SAFETY: `self.raw` is a cursor of a translation unit that outlives `'tu`; the call only reads it.
        take_string(unsafe { clang_getCursorSpelling(self.raw) })
    }

    /// The direct children, in source order.
    pub fn children(&self) -> Vec<Cursor<'tu>> {
        extern "C" fn visit(
            c: CXCursor,
            _parent: CXCursor,
            data: CXClientData,
        ) -> CXChildVisitResult {
            // SAFETY: `data` is the `&mut` vector passed as client data by the caller below, alive for the whole visit.
            let out = unsafe { &mut *(data as *mut Vec<CXCursor>) };
            out.push(c);
            CXChildVisit_Continue
        }
        let mut out: Vec<CXCursor> = Vec::new();
        // SAFETY: `visit` only casts `data` back to the vector passed here, which outlives the call; `self.raw` is a live cursor.
        unsafe {
            clang_visitChildren(
                self.raw,
                visit,
                &mut out as *mut Vec<CXCursor> as *mut c_void,
            )
        };
        out.into_iter().map(Cursor::wrap).collect()
    }

    /// File, line and column where the name is spelled, if it is in a file.
    pub fn location(&self) -> Option<(String, u32, u32)> {
        // SAFETY: `self.raw` is a cursor of a translation unit that outlives `'tu`; the call only reads it.
        spelling_location(unsafe { clang_getCursorLocation(self.raw) })
    }

    /// The declared type (for a parameter: as written, before array decay).
    pub fn ty(&self) -> Type<'tu> {
        // SAFETY: `self.raw` is a cursor of a translation unit that outlives `'tu`; the call only reads it.
        Type::wrap(unsafe { clang_getCursorType(self.raw) })
    }

    /// A function's return type.
    pub fn result_type(&self) -> Type<'tu> {
        // SAFETY: `self.raw` is a cursor of a translation unit that outlives `'tu`; the call only reads it.
        Type::wrap(unsafe { clang_getCursorResultType(self.raw) })
    }

    /// A typedef's underlying type.
    pub fn typedef_underlying(&self) -> Type<'tu> {
        // SAFETY: `self.raw` is a cursor of a translation unit that outlives `'tu`; the call only reads it.
        Type::wrap(unsafe { clang_getTypedefDeclUnderlyingType(self.raw) })
    }

    /// An enum's integer type.
    pub fn enum_integer_type(&self) -> Type<'tu> {
        // SAFETY: `self.raw` is a cursor of a translation unit that outlives `'tu`; the call only reads it.
        Type::wrap(unsafe { clang_getEnumDeclIntegerType(self.raw) })
    }

    /// An enum constant's value.
    pub fn enum_value(&self) -> i64 {
        // SAFETY: `self.raw` is a cursor of a translation unit that outlives `'tu`; the call only reads it.
        unsafe { clang_getEnumConstantDeclValue(self.raw) }
    }

    /// An enum constant's value read as unsigned (for enums whose integer type is unsigned).
    pub fn enum_unsigned_value(&self) -> u64 {
        // SAFETY: `self.raw` is a cursor of a translation unit that outlives `'tu`; the call only reads it.
        unsafe { clang_getEnumConstantDeclUnsignedValue(self.raw) }
    }

    /// The width of a bitfield, `None` for an ordinary field.
    pub fn bit_width(&self) -> Option<u32> {
        // SAFETY: `self.raw` is a cursor of a translation unit that outlives `'tu`; the call only reads it.
        if unsafe { clang_Cursor_isBitField(self.raw) } == 0 {
            return None;
        }
        // SAFETY: `self.raw` is a cursor of a translation unit that outlives `'tu`; the call only reads it.
        Some(unsafe { clang_getFieldDeclBitWidth(self.raw) }.max(0) as u32)
    }

    /// A field's offset in bits, negative when unknown.
    pub fn field_offset_bits(&self) -> i64 {
        // SAFETY: `self.raw` is a cursor of a translation unit that outlives `'tu`; the call only reads it.
        unsafe { clang_Cursor_getOffsetOfField(self.raw) }
    }

    /// The raw doc comment text (markers included), if any.
    pub fn raw_comment(&self) -> Option<String> {
        // SAFETY: `self.raw` is a cursor of a translation unit that outlives `'tu`; the call only reads it.
        let s = take_string(unsafe { clang_Cursor_getRawCommentText(self.raw) });
        (!s.is_empty()).then_some(s)
    }

    /// The value of an integer constant expression this cursor (a variable's initializer, ...)
    /// evaluates to, as libclang computes it for the target; `None` when it is not one.
    pub fn evaluate_int(&self) -> Option<i128> {
        // SAFETY: the cursor belongs to a live translation unit; the result is disposed once read.
        unsafe {
            let r = clang_Cursor_Evaluate(self.raw);
            if r.is_null() {
                return None;
            }
            let value = (clang_EvalResult_getKind(r) == CXEval_Int).then(|| {
                if clang_EvalResult_isUnsignedInt(r) != 0 {
                    i128::from(clang_EvalResult_getAsUnsigned(r))
                } else {
                    i128::from(clang_EvalResult_getAsLongLong(r))
                }
            });
            clang_EvalResult_dispose(r);
            value
        }
    }

    /// True for `#define F(x) ...`.
    pub fn is_macro_function_like(&self) -> bool {
        // SAFETY: `self.raw` is a cursor of a translation unit that outlives `'tu`; the call only reads it.
        unsafe { clang_Cursor_isMacroFunctionLike(self.raw) != 0 }
    }

    /// True for `extern` declarations.
    pub fn is_extern(&self) -> bool {
        // SAFETY: `self.raw` is a cursor of a translation unit that outlives `'tu`; the call only reads it.
        unsafe { clang_Cursor_getStorageClass(self.raw) == CX_SC_Extern }
    }

    /// True for `static` declarations.
    pub fn is_static(&self) -> bool {
        // SAFETY: `self.raw` is a cursor of a translation unit that outlives `'tu`; the call only reads it.
        unsafe { clang_Cursor_getStorageClass(self.raw) == CX_SC_Static }
    }

    /// True for a declaration that has no name (`struct { ... }`, `enum { ... }`).
    pub fn is_anonymous(&self) -> bool {
        // SAFETY: `self.raw` is a cursor of a translation unit that outlives `'tu`; the call only reads it.
        unsafe { clang_Cursor_isAnonymous(self.raw) != 0 }
    }

    /// True when this cursor is the definition (a struct body), not a forward declaration.
    pub fn is_definition(&self) -> bool {
        // SAFETY: `self.raw` is a cursor of a translation unit that outlives `'tu`; the call only reads it.
        unsafe { clang_isCursorDefinition(self.raw) != 0 }
    }

    /// A stable identity of the declaration (its USR), shared by every redeclaration.
    pub fn usr(&self) -> String {
        // SAFETY: `self.raw` is a cursor of a translation unit that outlives `'tu`; the call only reads it.
        take_string(unsafe { clang_getCursorUSR(clang_getCanonicalCursor(self.raw)) })
    }
}

/// What a type is, reduced to the kinds `parse` maps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TypeKind {
    Void,
    Bool,
    CharS,
    CharU,
    SChar,
    UChar,
    Short,
    UShort,
    Int,
    UInt,
    Long,
    ULong,
    LongLong,
    ULongLong,
    Float,
    Double,
    Pointer,
    ConstantArray,
    Record,
    Enum,
    Typedef,
    Elaborated,
    FunctionProto,
    Other,
}

/// A type of a live translation unit.
#[derive(Clone, Copy)]
pub(crate) struct Type<'tu> {
    raw: CXType,
    _tu: PhantomData<&'tu TranslationUnit>,
}

impl<'tu> Type<'tu> {
    fn wrap(raw: CXType) -> Self {
        Type {
            raw,
            _tu: PhantomData,
        }
    }

    /// The kind.
    pub fn kind(&self) -> TypeKind {
        #[allow(non_upper_case_globals)]
        match self.raw.kind {
            CXType_Void => TypeKind::Void,
            CXType_Bool => TypeKind::Bool,
            CXType_Char_S => TypeKind::CharS,
            CXType_Char_U => TypeKind::CharU,
            CXType_SChar => TypeKind::SChar,
            CXType_UChar => TypeKind::UChar,
            CXType_Short => TypeKind::Short,
            CXType_UShort => TypeKind::UShort,
            CXType_Int => TypeKind::Int,
            CXType_UInt => TypeKind::UInt,
            CXType_Long => TypeKind::Long,
            CXType_ULong => TypeKind::ULong,
            CXType_LongLong => TypeKind::LongLong,
            CXType_ULongLong => TypeKind::ULongLong,
            CXType_Float => TypeKind::Float,
            CXType_Double => TypeKind::Double,
            CXType_Pointer => TypeKind::Pointer,
            CXType_ConstantArray => TypeKind::ConstantArray,
            CXType_Record => TypeKind::Record,
            CXType_Enum => TypeKind::Enum,
            CXType_Typedef => TypeKind::Typedef,
            CXType_Elaborated => TypeKind::Elaborated,
            CXType_FunctionProto | CXType_FunctionNoProto => TypeKind::FunctionProto,
            _ => TypeKind::Other,
        }
    }

    /// How clang spells it.
    pub fn spelling(&self) -> String {
        // SAFETY: `self.raw` is a type of a translation unit that outlives `'tu`; the call only reads it.
        take_string(unsafe { clang_getTypeSpelling(self.raw) })
    }

    /// Resolved through every typedef.
    pub fn canonical(&self) -> Type<'tu> {
        // SAFETY: `self.raw` is a type of a translation unit that outlives `'tu`; the call only reads it.
        Type::wrap(unsafe { clang_getCanonicalType(self.raw) })
    }

    /// `struct x` / a typedef name as written: the type it names.
    pub fn named(&self) -> Type<'tu> {
        // SAFETY: `self.raw` is a type of a translation unit that outlives `'tu`; the call only reads it.
        Type::wrap(unsafe { clang_Type_getNamedType(self.raw) })
    }

    /// What a pointer points to.
    pub fn pointee(&self) -> Type<'tu> {
        // SAFETY: `self.raw` is a type of a translation unit that outlives `'tu`; the call only reads it.
        Type::wrap(unsafe { clang_getPointeeType(self.raw) })
    }

    /// An array's element type.
    pub fn array_elem(&self) -> Type<'tu> {
        // SAFETY: `self.raw` is a type of a translation unit that outlives `'tu`; the call only reads it.
        Type::wrap(unsafe { clang_getArrayElementType(self.raw) })
    }

    /// An array's length.
    pub fn array_len(&self) -> i64 {
        // SAFETY: `self.raw` is a type of a translation unit that outlives `'tu`; the call only reads it.
        unsafe { clang_getArraySize(self.raw) }
    }

    /// True when `const`-qualified at the top level.
    pub fn is_const(&self) -> bool {
        // SAFETY: `self.raw` is a type of a translation unit that outlives `'tu`; the call only reads it.
        unsafe { clang_isConstQualifiedType(self.raw) != 0 }
    }

    /// `sizeof` in bytes, negative when incomplete.
    pub fn size_of(&self) -> i64 {
        // SAFETY: `self.raw` is a type of a translation unit that outlives `'tu`; the call only reads it.
        unsafe { clang_Type_getSizeOf(self.raw) }
    }

    /// `alignof` in bytes, negative when incomplete.
    pub fn align_of(&self) -> i64 {
        // SAFETY: `self.raw` is a type of a translation unit that outlives `'tu`; the call only reads it.
        unsafe { clang_Type_getAlignOf(self.raw) }
    }

    /// The declaration of a record, enum or typedef type.
    pub fn declaration(&self) -> Cursor<'tu> {
        // SAFETY: `self.raw` is a type of a translation unit that outlives `'tu`; the call only reads it.
        Cursor::wrap(unsafe { clang_getTypeDeclaration(self.raw) })
    }

    /// True for a function type declared with `...`.
    pub fn is_variadic(&self) -> bool {
        // SAFETY: `self.raw` is a type of a translation unit that outlives `'tu`; the call only reads it.
        unsafe { clang_isFunctionTypeVariadic(self.raw) != 0 }
    }

    /// The typedef name of a typedef type.
    pub fn typedef_name(&self) -> String {
        // SAFETY: `self.raw` is a type of a translation unit that outlives `'tu`; the call only reads it.
        take_string(unsafe { clang_getTypedefName(self.raw) })
    }

    /// A function type's result type.
    pub fn fn_result(&self) -> Type<'tu> {
        // SAFETY: `self.raw` is a type of a translation unit that outlives `'tu`; the call only reads it.
        Type::wrap(unsafe { clang_getResultType(self.raw) })
    }

    /// A function type's parameter types (empty for `f()` without a prototype).
    pub fn fn_args(&self) -> Vec<Type<'tu>> {
        // SAFETY: `self.raw` is a type of a translation unit that outlives `'tu`; the calls only read it.
        let n = unsafe { clang_getNumArgTypes(self.raw) };
        (0..u32::try_from(n).unwrap_or(0))
            // SAFETY: as above; `i` is below the count clang gave.
            .map(|i| Type::wrap(unsafe { clang_getArgType(self.raw, i) }))
            .collect()
    }
}
