//! The C declarations of one guest header, as plain Rust data: built by `parse`, read by `roles`.
//!
//! Nothing here knows about libclang: every libclang type is translated at the `parse` boundary.
//! Sizes are those of the wasm32 target (`size_t` and pointers are 32 bits).

use std::fmt;
use std::path::PathBuf;

/// A position in a header file, 1-based, as libclang reports it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Loc {
    /// The file the declaration is written in (the main header or one it includes).
    pub file: PathBuf,
    /// Line, starting at 1.
    pub line: u32,
    /// Column, starting at 1.
    pub col: u32,
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.col)
    }
}

/// A scalar C type with its wasm32 size and signedness.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Prim {
    /// `void` (only as a return type or pointee).
    Void,
    /// `_Bool` / `bool`.
    Bool,
    /// Plain `char` (signed on wasm32); the element type of C strings.
    Char,
    /// `signed char`, `int8_t`.
    I8,
    /// `unsigned char`, `uint8_t`.
    U8,
    /// `short`, `int16_t`.
    I16,
    /// `unsigned short`, `uint16_t`.
    U16,
    /// `int`, `long`, `int32_t`.
    I32,
    /// `unsigned`, `unsigned long`, `uint32_t`, `size_t`.
    U32,
    /// `long long`, `int64_t`.
    I64,
    /// `unsigned long long`, `uint64_t`.
    U64,
    /// `float`.
    F32,
    /// `double`.
    F64,
}

impl Prim {
    /// Size in bytes on wasm32 (0 for `void`).
    pub fn size(self) -> u32 {
        match self {
            Prim::Void => 0,
            Prim::Bool | Prim::Char | Prim::I8 | Prim::U8 => 1,
            Prim::I16 | Prim::U16 => 2,
            Prim::I32 | Prim::U32 | Prim::F32 => 4,
            Prim::I64 | Prim::U64 | Prim::F64 => 8,
        }
    }

    /// True for `float` and `double`.
    pub fn is_float(self) -> bool {
        matches!(self, Prim::F32 | Prim::F64)
    }

    /// True for the integer types (including `bool` and `char`).
    pub fn is_integer(self) -> bool {
        !matches!(self, Prim::Void | Prim::F32 | Prim::F64)
    }

    /// The largest value of an integer type (`bool`: 1); `None` for `void` and floats.
    pub fn max_value(self) -> Option<u128> {
        let bits = self.size() * 8;
        match self {
            Prim::Void | Prim::F32 | Prim::F64 => None,
            Prim::Bool => Some(1),
            _ if self.is_signed() => Some((1u128 << (bits - 1)) - 1),
            _ => Some((1u128 << bits) - 1),
        }
    }

    /// True for signed integer types.
    pub fn is_signed(self) -> bool {
        matches!(
            self,
            Prim::Char | Prim::I8 | Prim::I16 | Prim::I32 | Prim::I64
        )
    }

    /// The canonical C spelling, used in messages and `--explain`.
    pub fn c_name(self) -> &'static str {
        match self {
            Prim::Void => "void",
            Prim::Bool => "bool",
            Prim::Char => "char",
            Prim::I8 => "int8_t",
            Prim::U8 => "uint8_t",
            Prim::I16 => "int16_t",
            Prim::U16 => "uint16_t",
            Prim::I32 => "int32_t",
            Prim::U32 => "uint32_t",
            Prim::I64 => "int64_t",
            Prim::U64 => "uint64_t",
            Prim::F32 => "float",
            Prim::F64 => "double",
        }
    }
}

/// A C type as written in a declaration, resolved through typedefs to its shape.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CType {
    /// A scalar. `typedef` keeps the name it was spelled with (`size_t`), if any.
    Prim {
        /// The resolved scalar.
        prim: Prim,
        /// The typedef name written in the source, e.g. `size_t`.
        typedef: Option<String>,
    },
    /// `T *` or `const T *`.
    Pointer {
        /// What it points to.
        pointee: Box<CType>,
        /// True when the pointee is `const`-qualified.
        pointee_const: bool,
    },
    /// A parameter declared `T x[N]` (libclang reports it as a constant array before decay).
    Array {
        /// Element type.
        elem: Box<CType>,
        /// N.
        len: u64,
        /// True when the element type is `const`-qualified.
        elem_const: bool,
    },
    /// A struct type declared in the parsed headers (by its typedef or tag name).
    Struct {
        /// The name users write: the typedef name when there is one, else the tag.
        name: String,
    },
    /// An enum type (passed as its underlying integer).
    Enum {
        /// The name users write.
        name: String,
        /// The underlying integer type.
        repr: Prim,
    },
    /// A pointer to a function (`int (*cmp)(const void *, const void *)`, or a typedef of one):
    /// a callback parameter. Its own parameter types are resolved like any other.
    FnPtr(Box<FnSig>),
    /// Anything the generator has no mapping for (unions, `T (*)()` without a prototype, ...): its spelling.
    Unsupported {
        /// The C spelling libclang gives.
        spelling: String,
    },
}

impl CType {
    /// The scalar, if this is a scalar (or an enum, through its underlying type).
    pub fn prim(&self) -> Option<Prim> {
        match self {
            CType::Prim { prim, .. } => Some(*prim),
            CType::Enum { repr, .. } => Some(*repr),
            _ => None,
        }
    }

    /// True for `float` and `double`.
    pub fn is_float(&self) -> bool {
        self.prim().is_some_and(Prim::is_float)
    }

    /// True when the type resolves to an integer scalar (including `bool`, `char`, enums).
    pub fn is_integer(&self) -> bool {
        self.prim().is_some_and(Prim::is_integer)
    }

    /// True for `void`.
    pub fn is_void(&self) -> bool {
        matches!(
            self,
            CType::Prim {
                prim: Prim::Void,
                ..
            }
        )
    }
}

impl fmt::Display for CType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CType::Prim {
                typedef: Some(name),
                ..
            } => f.write_str(name),
            CType::Prim { prim, .. } => f.write_str(prim.c_name()),
            CType::Pointer {
                pointee,
                pointee_const,
            } => {
                // An unsupported pointee keeps libclang's spelling, qualifiers included.
                let inner = pointee.to_string();
                if *pointee_const && !inner.starts_with("const ") {
                    write!(f, "const {inner} *")
                } else {
                    write!(f, "{inner} *")
                }
            }
            CType::Array {
                elem,
                len,
                elem_const,
            } => {
                if *elem_const {
                    write!(f, "const {elem} [{len}]")
                } else {
                    write!(f, "{elem} [{len}]")
                }
            }
            CType::Struct { name } | CType::Enum { name, .. } => f.write_str(name),
            CType::FnPtr(sig) => f.write_str(&sig.spelling),
            CType::Unsupported { spelling } => f.write_str(spelling),
        }
    }
}

/// The signature of a function pointer type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FnSig {
    /// The return type.
    pub ret: CType,
    /// The parameter types, in C order.
    pub params: Vec<CType>,
    /// True when declared with `...` (never bindable).
    pub variadic: bool,
    /// How the header spells the pointer type: the typedef name when it has one
    /// (`progress_fn`), else clang's spelling (`int (*)(const void *, const void *)`).
    pub spelling: String,
}

/// One parameter of a function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// The parameter's name in the prototype (`arg{i}` when the prototype leaves it unnamed).
    pub name: String,
    /// Its type, before array-to-pointer decay.
    pub ty: CType,
    /// `wb:` annotations attached with `wasm_bind.h`'s macros, without the `wb:` prefix
    /// (e.g. `inout`, `len_of(message)`), in source order.
    pub annotations: Vec<String>,
    /// Where the parameter is declared.
    pub loc: Loc,
    /// The typedef name the type is written with when that typedef names a data pointer type
    /// (`sqlite3_filename` for `typedef const char *sqlite3_filename`): the library's own pointer
    /// type, which `roles` never reads as text to copy.
    pub pointer_typedef: Option<String>,
}

/// One function prototype declared in the bound headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Function {
    /// The C name (also the wasm export name).
    pub name: String,
    /// The return type.
    pub ret: CType,
    /// Parameters in C order.
    pub params: Vec<Param>,
    /// The doc comment directly above the prototype, comment markers stripped.
    pub doc: Option<String>,
    /// `wb:` annotations on the function itself (e.g. `status`), without the prefix.
    pub annotations: Vec<String>,
    /// Where the function is declared.
    pub loc: Loc,
}

/// An integer object-like `#define` (`#define CRYPTO_ARGON2_ID 2`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Constant {
    /// Macro name.
    pub name: String,
    /// Its exact value, as C computes it on wasm32 (`0xFFFFFFFFFFFFFFFF` is 2^64 - 1, not -1).
    pub value: i128,
    /// Its C type, as C types the literal on wasm32 (`64` is `int`, `64u` `unsigned`,
    /// `0xFFFFFFFF` `unsigned`, `4294967296` `long long`): `I32`, `U32`, `I64` or `U64`.
    pub ty: Prim,
    /// The comment directly above it, if any.
    pub doc: Option<String>,
    /// Where it is defined.
    pub loc: Loc,
}

/// A C `enum` and its values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumDecl {
    /// The typedef or tag name (empty for an anonymous enum that only declares constants).
    pub name: String,
    /// The underlying integer type.
    pub repr: Prim,
    /// `(name, value)` in declaration order; the exact value (read unsigned for an unsigned `repr`).
    pub variants: Vec<(String, i128)>,
    /// Doc comment.
    pub doc: Option<String>,
    /// Where it is declared.
    pub loc: Loc,
}

/// One field of a struct, with its wasm32 layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Field name.
    pub name: String,
    /// Field type.
    pub ty: CType,
    /// Offset in bytes from the start of the struct.
    pub offset: u32,
    /// For a bitfield (`uint32_t a : 3`), its width in bits; `None` for an ordinary field.
    /// Structs with bitfields are never bound by value (see `roles::structs`).
    pub bit_width: Option<u32>,
}

/// A struct declared in the bound headers, with its wasm32 layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StructDecl {
    /// The typedef name when there is one, else the tag.
    pub name: String,
    /// Fields in declaration order.
    pub fields: Vec<Field>,
    /// `sizeof` on wasm32.
    pub size: u32,
    /// `alignof` on wasm32.
    pub align: u32,
    /// Doc comment.
    pub doc: Option<String>,
    /// Where it is declared.
    pub loc: Loc,
}

/// An `extern` variable declared in the bound headers (`crypto_argon2_no_extras`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Global {
    /// Symbol name (also the wasm export name).
    pub name: String,
    /// Its type.
    pub ty: CType,
    /// True when declared `const`.
    pub is_const: bool,
    /// Where it is declared.
    pub loc: Loc,
}

/// Everything `parse` extracts from a header and the headers bound with it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Header {
    /// The main header as given by the user.
    pub path: PathBuf,
    /// Every file the translation unit read (for `cargo:rerun-if-changed`), sorted.
    pub included_files: Vec<PathBuf>,
    /// Functions declared in the bound headers, in declaration order.
    pub functions: Vec<Function>,
    /// Integer `#define`s from the bound headers.
    pub constants: Vec<Constant>,
    /// Enums from the bound headers.
    pub enums: Vec<EnumDecl>,
    /// Structs from the bound headers.
    pub structs: Vec<StructDecl>,
    /// `extern` globals from the bound headers.
    pub globals: Vec<Global>,
    /// Identifiers written as an array length (`uint8_t mac[MAC_SIZE]`) in the bound headers'
    /// function and struct declarations, as the source spells them (before macro expansion).
    pub array_lengths: Vec<String>,
}

impl Header {
    /// The struct declaration with this name, if the headers declare it.
    pub fn find_struct(&self, name: &str) -> Option<&StructDecl> {
        self.structs.iter().find(|s| s.name == name)
    }
}

/// True for a name both Rust and Python accept as an identifier: a Unicode XID start (or `_`)
/// followed by XID continue characters, and not `_` alone. C names with `$` (a clang extension)
/// are not; such functions, parameters, constants and globals are never bound.
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    name != "_"
        && chars
            .next()
            .is_some_and(|c| c == '_' || unicode_ident::is_xid_start(c))
        && chars.all(unicode_ident::is_xid_continue)
}
