//! The binding model: what `roles` decides for every function, and all that the emitters read.
//!
//! Emitters never look at the C header again: each fact two back ends need (which parameters the
//! caller passes, which are outputs, where a length comes from) is computed here once.

use std::path::PathBuf;

use crate::ir::{CType, Loc, Prim};

pub use crate::model_calls::{core_bits, DataRet, FollowCall, StatusRule, MESSAGE_MAX};

/// The whole binding of one guest: produced by [`crate::roles::bind`], consumed by `emit`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Model {
    /// The header file stem (`monocypher` for `monocypher.h`): Python module and file names.
    pub stem: String,
    /// The generated class / struct name (`Monocypher`): CamelCase stem unless the config names one.
    pub class_name: String,
    /// The main header as given.
    pub header: PathBuf,
    /// Every file the generator read: headers (including the ones they include) and the config.
    pub inputs: Vec<PathBuf>,
    /// The guest's arena ABI.
    pub arena: Arena,
    /// Bound functions, in declaration order.
    pub functions: Vec<FnBinding>,
    /// Functions declared in the header that are not bound, each with the reason.
    pub skipped: Vec<Skipped>,
    /// Integer `#define`s and enum values, in declaration order.
    pub constants: Vec<ConstBinding>,
    /// Layouts of the structs passed by value ([`Role::StructIn`]) or exposed as globals
    /// ([`GlobalBinding`]), in declaration order; each is generated once as a host type
    /// (Python dataclass, Rust struct with slices).
    pub structs: Vec<StructBinding>,
    /// `extern` globals exposed read-only to users (e.g. `crypto_argon2_no_extras`).
    pub globals: Vec<GlobalBinding>,
    /// Named C enums, in declaration order: each becomes a host type (Python `IntEnum`, Rust
    /// `enum`, JS frozen object); their values are also in `constants`.
    pub enums: Vec<EnumBinding>,
    /// The guest is a libc guest: the `.wasm` given imports WASI preview 1 functions (set by
    /// [`crate::load`] after validating it). Generated Python constructors then take `wasi=`.
    pub wasi: bool,
}

/// A named C enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumBinding {
    /// The typedef or tag name.
    pub name: String,
    /// The underlying integer type (what parameters and returns of this type carry).
    pub repr: Prim,
    /// `(name, exact value)` in declaration order (names every host language can spell).
    pub variants: Vec<(String, i128)>,
    /// Doc comment.
    pub doc: Option<String>,
}

impl Model {
    /// The enum named `name`, if the model has it.
    pub fn find_enum(&self, name: &str) -> Option<&EnumBinding> {
        self.enums.iter().find(|e| e.name == name)
    }
}

impl Model {
    /// The struct binding named `name` (every `Role::StructIn` and struct global names one).
    pub fn find_struct(&self, name: &str) -> Option<&StructBinding> {
        self.structs.iter().find(|s| s.name == name)
    }
}

/// The words of a C name, lower case: `_`, digits and camelCase split it (`srcSize` -> `src`,
/// `size`). What the name-based rules (sizes, outputs, context objects) read.
pub fn name_words(name: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if c == '_' || c.is_ascii_digit() {
            words.push(std::mem::take(&mut word));
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower {
            words.push(std::mem::take(&mut word));
        }
        prev_lower = c.is_ascii_lowercase();
        word.push(c.to_ascii_lowercase());
    }
    words.push(word);
    words.retain(|w| !w.is_empty());
    words
}

/// Whether an integer parameter's name says it is a size or a count, word by word (`_` and
/// camelCase split it): a size word (`size`, `len`, `count`, `capacity`, `bytes`, `n`, ...:
/// `text_size`, `srcSize`, `dst_capacity`, `nums_len`, `n`), a word ending like one (`keylen`,
/// `bufsize`, `bufsiz`), `num`/`number` before another word (`num_words`, not `block_num`), or
/// `n` + a plural or a known count word (`nwords`, `nbytes`, `nbyte`, `nel`, `nmemb`, POSIX and
/// C library style). `counter`, `account`, `block_num`, `rounds`, `flags` are not sizes.
pub fn reads_like_a_size(name: &str) -> bool {
    let words = name_words(name);
    const WORDS: [&str; 22] = [
        "size", "sz", "siz", "len", "length", "count", "cnt", "cap", "capacity", "bytes", "n",
        "nb", "nr", "nel", "nelem", "nelems", "nmemb", "nbyte", "elems", "elements", "items",
        "inl",
    ];
    const ENDINGS: [&str; 4] = ["len", "size", "siz", "cnt"];
    words.iter().enumerate().any(|(i, w)| {
        WORDS.contains(&w.as_str())
            || ENDINGS
                .iter()
                .any(|e| w.len() > e.len() + 1 && w.ends_with(e))
            || (matches!(w.as_str(), "num" | "number") && i + 1 < words.len())
            || (w.len() > 3 && w.starts_with('n') && w.ends_with('s') && !w.ends_with("ss"))
    })
}

/// The exports the wrappers use to get scratch memory inside the guest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arena {
    /// `alloc(size: u32) -> ptr`: bump-allocates `size` bytes; 0 on failure.
    pub alloc: String,
    /// `reset()`: zeroes every byte allocated since the last reset, then rewinds.
    pub reset: String,
}

impl Default for Arena {
    fn default() -> Self {
        Arena {
            alloc: "bump_alloc".into(),
            reset: "bump_reset".into(),
        }
    }
}

/// An integer constant exposed to users.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConstBinding {
    /// The C name.
    pub name: String,
    /// The exact value (an `unsigned long long` enum or `#define` may exceed `i64`).
    pub value: i128,
    /// Its C type: the literal's type for a `#define` (`int`, `unsigned`, `long long`, ...),
    /// the enum's integer type for an enum value.
    pub ty: Prim,
    /// True when the bound headers write it as an array length (`uint8_t mac[MAC_SIZE]`): Rust
    /// types it `usize` (an element count) when its value is one.
    pub sizes_arrays: bool,
    /// Doc comment, if any.
    pub doc: Option<String>,
}

/// A function the generator does not bind, and why. Never dropped silently: `--explain` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The C name.
    pub name: String,
    /// Where it is declared.
    pub loc: Loc,
    /// Why it is not bound (config `skip` reason or what the generator cannot do yet).
    pub reason: String,
    /// Left out on purpose (`skip` in the config or `WB_SKIP` in the header), not for want of support.
    pub deliberate: bool,
}

/// One bound C function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FnBinding {
    /// The C name, which is also the wasm export name.
    pub name: String,
    /// The method name in generated code (the C name, minus the configured prefix).
    pub method: String,
    /// The doc comment from the header.
    pub doc: Option<String>,
    /// Where the function is declared.
    pub loc: Loc,
    /// Parameters in C order, each with its role.
    pub params: Vec<ParamBinding>,
    /// What the return value means.
    pub ret: Ret,
    /// What decided `ret`.
    pub ret_decided_by: Decision,
    /// Config `handle_method`: the name of the method on the first parameter's handle class,
    /// replacing the derived one (`plan::names::handle_methods`).
    pub handle_method: Option<String>,
    /// The named C enum the return is typed with (`mode get_mode(void)`), if any: returned as
    /// that enum's member where the host language can (Python), else as its integer.
    pub ret_enum: Option<String>,
    /// For a [`Ret::Checked`] / [`Ret::FilledLen`] return: the call explaining an error value, the
    /// module status rule's `message` when it takes the code (`ZSTD_getErrorName(code)`, a
    /// [`FollowCall`] with `code`); made only after a failure, its text carried by the error.
    pub error_message: Option<FollowCall>,
}

impl ParamBinding {
    /// The named C enum this parameter is typed with, if any.
    pub fn enum_name(&self) -> Option<&str> {
        match &self.c_type {
            CType::Enum { name, .. } if !name.is_empty() => Some(name),
            _ => None,
        }
    }
}

impl FnBinding {
    /// Indices of the parameters the caller passes, in C order: inputs (slices, arrays, strings,
    /// structs by value), in/outs (buffers, arrays, caller-started `InOutScalar`s), caller-given
    /// sizes, scalars and handles. Not passed: outputs, derived or computed lengths, scratch,
    /// in/out scalars initialised from a length, `FilledBy` counts.
    pub fn args(&self) -> Vec<usize> {
        (0..self.params.len())
            .filter(|&i| self.params[i].role.is_arg())
            .collect()
    }

    /// Indices of the parameters whose contents are returned, in C order: outputs and in/outs
    /// (buffers, arrays, `OutExpr`, `OutScalar`, `InOutScalar`). The returned tuple is these,
    /// then the return value when [`FnBinding::returns_value`]; a `Ret::FilledLen` buffer, or
    /// the `buffer` of a [`Role::FilledBy`], is returned truncated to the filled length (the
    /// `FilledBy` count itself is not an output).
    pub fn outputs(&self) -> Vec<usize> {
        (0..self.params.len())
            .filter(|&i| self.params[i].role.is_output())
            .collect()
    }

    /// The index of the [`Role::FilledBy`] (or [`Role::Capacity`]) parameter that truncates the
    /// buffer at index `buffer`, if any (roles allow at most one per buffer).
    pub fn filled_by(&self, buffer: usize) -> Option<usize> {
        self.params
            .iter()
            .position(|p| {
                matches!(p.role, Role::FilledBy { buffer: b, .. } | Role::Capacity { buffer: b, .. } if b == buffer)
            })
    }

    /// The library-owned types the function takes, hands out or returns, in C order (the return
    /// last), each once.
    pub fn owned_types(&self) -> Vec<&OwnedType> {
        let mut out: Vec<&OwnedType> = Vec::new();
        let from_params = self.params.iter().filter_map(|p| match &p.role {
            Role::Owned { ty, .. } => Some(ty),
            Role::OwnedOut(r) => Some(&r.ty),
            _ => None,
        });
        let from_ret = match &self.ret {
            Ret::Owned(r) => Some(&r.ty),
            _ => None,
        };
        for ty in from_params.chain(from_ret) {
            if !out.iter().any(|t| t.name == ty.name) {
                out.push(ty);
            }
        }
        out
    }

    /// The parameters that hold the call's guest buffers (`Role::Kept`) while they are open: its
    /// caller-owned handles and its library-owned handles (not a nullable one: it may be absent).
    pub fn buffer_holders(&self) -> Vec<usize> {
        (0..self.params.len())
            .filter(|&k| {
                matches!(
                    self.params[k].role,
                    Role::Owned {
                        nullable: false,
                        ..
                    } | Role::Handle { .. }
                )
            })
            .collect()
    }

    /// The key (`"function.param"`) of the object's slot holding the buffer last passed to `kept`
    /// parameter `i` when no handle holds it (none passed, none handed out): the library keeps
    /// the pointer in its own state, so the previous buffer is let go.
    pub fn kept_slot(&self, i: usize) -> Option<String> {
        (self.buffer_holders().is_empty() && !self.hands_out_handles())
            .then(|| format!("{}.{}", self.name, self.params[i].name))
    }

    /// True when the function hands out a library-owned handle (returned, or through `T **`).
    pub fn hands_out_handles(&self) -> bool {
        matches!(self.ret, Ret::Owned(_))
            || self
                .params
                .iter()
                .any(|p| matches!(p.role, Role::OwnedOut(_)))
    }

    /// True when the function returns something besides its outputs (a non-status value:
    /// `Value`, `Checked` or `Str`; `FilledLen` only truncates a buffer).
    pub fn returns_value(&self) -> bool {
        match &self.ret {
            Ret::Value(_)
            | Ret::Checked { .. }
            | Ret::Str { .. }
            | Ret::NullableStr { .. }
            | Ret::Data(_)
            | Ret::Owned(_) => true,
            Ret::Codes(rule) => rule.returns_code,
            Ret::Void | Ret::Status | Ret::FilledLen { .. } => false,
        }
    }

    /// Why a back end cannot render this function, if it cannot: the first parameter whose role
    /// `role_ok` rejects, else the return if `ret_ok` rejects it. The text names the parameter
    /// and the role's label and ends with "is not supported by the {backend} back end yet", e.g.
    /// `parameter `work_area` (scratch) is not supported by the Python back end yet`.
    pub fn unsupported(
        &self,
        backend: &str,
        role_ok: impl Fn(&Role) -> bool,
        ret_ok: impl Fn(&Ret) -> bool,
    ) -> Option<String> {
        if let Some(p) = self.params.iter().find(|p| !role_ok(&p.role)) {
            return Some(format!(
                "parameter `{}` ({}) is not supported by the {backend} back end yet",
                p.name,
                p.role.label()
            ));
        }
        if !ret_ok(&self.ret) {
            return Some(format!(
                "the return ({}) is not supported by the {backend} back end yet",
                self.ret.label()
            ));
        }
        None
    }
}

/// One parameter and its role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamBinding {
    /// The C name; generated code uses it as is (after keyword escaping in each back end).
    pub name: String,
    /// The C type, for messages and `--explain`.
    pub c_type: CType,
    /// Where it is declared.
    pub loc: Loc,
    /// What the wrapper does with it.
    pub role: Role,
    /// What decided the role.
    pub decided_by: Decision,
    /// The largest value an integer parameter may take (`[functions.F.max]` in the config): the C
    /// function's contract, checked by every back end before the call whether the value is passed
    /// or derived. `None`: only the C type's range.
    pub max: Option<u64>,
}

/// Where the value of a `Len` parameter comes from.
///
/// Every length in the model is an **element count**, never a byte count: a `Len` sizing an
/// `int32_t *` buffer of 3 elements holds 3, and the wrapper allocates `3 * 4` bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LenSource {
    /// The length (in elements) of the input buffer at this parameter index; every other
    /// input it sizes must have the same length.
    Input(usize),
    /// Nothing it sizes is an input: the caller passes it as an ordinary integer argument.
    Caller,
    /// Computed by the wrapper before the call (config `len_of(dst) = LZ4_compressBound(srcSize)`):
    /// not an argument. The emitter evaluates the expression, range-checks it against `prim` of
    /// the `Len` (an error, never a wrap, when it does not fit), then sizes the buffers with it.
    Expr(Expr),
}

/// An integer expression the wrapper evaluates before the call (a computed capacity, a scratch
/// size, an output size read from a handle). Written in config as C-like text
/// (`config.nb_blocks * 1024`, `LZ4_compressBound(srcSize)`, `ctx.hash_size`).
///
/// Evaluation: exact integer arithmetic (Python `int`; Rust `i128` with checked operations);
/// division truncates toward zero; division by zero, overflow or a final value outside the
/// range its consumer needs (the `Len`'s `prim`; `0..=u32::MAX` bytes for sizes) is a
/// runtime error raised / returned by the wrapper, never a wrap or a trap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    /// An integer literal.
    Int(i64),
    /// The value of an integer parameter of the same function: a `Scalar`, or a `Len` whose
    /// source is `Caller` or `Input` (its value is known before the call).
    Param {
        /// Parameter index.
        index: usize,
        /// Its C name (for messages and `--explain`).
        name: String,
    },
    /// An integer field of a parameter, `base.field`. What `param` is decides where it is read:
    /// - a [`Role::Handle`]: read from guest memory, `prim` at the handle's address + `offset`,
    ///   just before the call (e.g. `ctx.hash_size` set by `crypto_blake2b_init`);
    /// - a [`Role::StructIn`]: the field of the caller's host value (e.g. `config.nb_blocks`).
    Field {
        /// Parameter index of the handle or struct.
        param: usize,
        /// The parameter's C name.
        base: String,
        /// The field's C name.
        field: String,
        /// Byte offset of the field in the struct (wasm32 layout).
        offset: u32,
        /// The field's integer type.
        prim: Prim,
    },
    /// `lhs op rhs`.
    Binary {
        /// The operator.
        op: BinOp,
        /// Left operand.
        lhs: Box<Expr>,
        /// Right operand.
        rhs: Box<Expr>,
    },
    /// A call to a guest export declared in the bound headers that takes and returns integers
    /// (e.g. `LZ4_compressBound(srcSize)`, `LZ4_sizeofState()`). Each argument is range-checked
    /// against its `Prim` before the call; the result is read as `ret`.
    Call {
        /// The export (C function) name.
        func: String,
        /// Arguments with the C integer type of the matching parameter.
        args: Vec<(Expr, Prim)>,
        /// The C integer return type.
        ret: Prim,
    },
}

/// The operators of [`Expr::Binary`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/` (truncating; division by zero is an error).
    Div,
}

impl BinOp {
    /// The C spelling.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
        }
    }
}

impl std::fmt::Display for Expr {
    /// The C-like text (`LZ4_compressBound(srcSize)`, `config.nb_blocks * 1024`), fully
    /// parenthesised where precedence needs it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Expr::Int(v) => write!(f, "{v}"),
            Expr::Param { name, .. } => f.write_str(name),
            Expr::Field { base, field, .. } => write!(f, "{base}.{field}"),
            Expr::Binary { op, lhs, rhs } => {
                let prec = |e: &Expr| match e {
                    Expr::Binary {
                        op: BinOp::Add | BinOp::Sub,
                        ..
                    } => 1,
                    Expr::Binary { .. } => 2,
                    _ => 3,
                };
                let mine = prec(self);
                if prec(lhs) < mine {
                    write!(f, "({lhs})")?;
                } else {
                    write!(f, "{lhs}")?;
                }
                write!(f, " {} ", op.symbol())?;
                // Right operands of the same precedence need parentheses (`a - (b - c)`).
                if prec(rhs) <= mine && matches!(**rhs, Expr::Binary { .. }) {
                    write!(f, "({rhs})")
                } else {
                    write!(f, "{rhs}")
                }
            }
            Expr::Call { func, args, .. } => {
                write!(f, "{func}(")?;
                for (i, (a, _)) in args.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{a}")?;
                }
                f.write_str(")")
            }
        }
    }
}

/// Where the value written into an [`Role::InOutScalar`] before the call comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScalarInit {
    /// The caller passes it (an argument, range-checked against `prim`).
    Caller,
    /// The element count of the input buffer at this parameter index (LZ4's `int *srcSizePtr`,
    /// config `srcSizePtr = "inout, len_of(src)"`): not an argument. That buffer's `len` field
    /// names this parameter.
    LenOf(usize),
}

/// What the generated wrapper does with one parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// An integer passed through (range-checked against `prim`).
    Scalar {
        /// The C integer type.
        prim: Prim,
    },
    /// A size: an element count of the buffers at `sizes`.
    Len {
        /// The C integer type of the size.
        prim: Prim,
        /// Parameter indices of the buffers it sizes, in C order.
        sizes: Vec<usize>,
        /// Derived from an input's length, or passed by the caller.
        source: LenSource,
    },
    /// `const T *p` with a size parameter: copied into the guest, read only.
    InSlice {
        /// Element type (`void` pointers are treated as bytes).
        elem: Prim,
        /// Index of its `Len` parameter (or of an `InOutScalar` with `init: ScalarInit::LenOf(this)`).
        len: usize,
    },
    /// `const T x[N]`: a fixed-size input of `count` elements.
    InArray {
        /// Element type.
        elem: Prim,
        /// N.
        count: u32,
    },
    /// `T x[N]`: a fixed-size output of `count` elements, zeroed before the call.
    OutArray {
        /// Element type.
        elem: Prim,
        /// N.
        count: u32,
    },
    /// `T x[N]` that is read and written (annotation or config `inout`).
    InOutArray {
        /// Element type.
        elem: Prim,
        /// N.
        count: u32,
    },
    /// `T *p` sized by a size parameter: an output allocated by the wrapper, zeroed first.
    OutBuf {
        /// Element type.
        elem: Prim,
        /// Index of its `Len` parameter.
        len: usize,
    },
    /// `T *p` sized by a size parameter, read and written (`inout`).
    InOutBuf {
        /// Element type.
        elem: Prim,
        /// Index of its `Len` parameter.
        len: usize,
    },
    /// A pointer to a struct declared in the header: a context object owned by the caller.
    Handle {
        /// The struct's name.
        struct_name: String,
        /// `sizeof` the struct on wasm32.
        size: u32,
        /// `alignof` the struct on wasm32.
        align: u32,
    },
    /// `const char *s` with no size parameter: a NUL-terminated input string. The caller passes
    /// text (Python `str`, Rust `&str`), encoded as UTF-8; an embedded NUL is an error raised
    /// before the call. The wrapper allocates `len + 1` bytes and writes the bytes and a 0.
    /// (A `const char *` followed by / named by a size is an `InSlice` of `char` instead.)
    InStr,
    /// `T *p` to a single integer the function writes (`size_t *out_len`, `int *err`,
    /// `uint64_t *x`): the wrapper allocates `prim.size()` zeroed bytes (aligned to the size),
    /// passes the address, and returns the value read after the call, as an output in C order.
    /// Inferred for a non-const pointer to an integer wider than a byte with no size; `char *`
    /// and `uint8_t *` stay buffers.
    OutScalar {
        /// The pointee's integer type.
        prim: Prim,
    },
    /// `T *p` to a single integer read and written (config / annotation `inout`; LZ4's
    /// `int *srcSizePtr`): the wrapper writes the initial value, passes the address, and
    /// returns the value read after the call, as an output in C order.
    InOutScalar {
        /// The pointee's integer type (the initial value is range-checked against it).
        prim: Prim,
        /// Where the initial value comes from.
        init: ScalarInit,
    },
    /// `T *p` output whose element count the wrapper computes (config `hash = "out(ctx.hash_size)"`
    /// on `crypto_blake2b_final`): evaluated before the call, range-checked to
    /// `0..=max_count` (an error otherwise), then allocated and zeroed like an `OutBuf`, and
    /// returned in full. No parameter holds its length.
    OutExpr {
        /// Element type.
        elem: Prim,
        /// The element count.
        count: Expr,
        /// The largest count accepted (default: what fits in `u32::MAX` bytes; config
        /// `out(ctx.hash_size, max = 64)`).
        max_count: u32,
        /// A NUL-terminated string output (config / annotation `out_str(EXPR)` on a `char *`,
        /// `hex(char *out, ...)` with `out_str(2 * n + 1)`): returned as text cut at the first NUL
        /// (Python `str`, Rust `String`, JS `string`), decoded as strict UTF-8; no NUL within the
        /// `count` bytes, or invalid UTF-8, is a guest error (Python `GuestError`, Rust
        /// `Error::Guest`, JS `GuestError`), never an over-read or a lossy decode.
        text: bool,
    },
    /// `void *p` (or `T *`) working memory the function needs but the caller never sees
    /// (argon2's `work_area`, LZ4's `state`): config `scratch(<expr>)`. The wrapper evaluates
    /// `bytes`, range-checks it to `0..=u32::MAX`, allocates that many zeroed bytes in the arena
    /// (16-byte aligned, like every arena block; `bump_reset` wipes it after the call) and passes
    /// the address. Neither an argument nor an output.
    Scratch {
        /// The size in bytes.
        bytes: Expr,
    },
    /// A struct passed by value (`crypto_argon2_config config`): the caller passes a host value
    /// of the generated type for `struct_name` ([`Model::find_struct`] has the layout).
    /// With [`StructAbi::Indirect`] (clang's wasm32 C ABI for every aggregate except those with
    /// a single scalar field) the core wasm parameter is an `i32` address: the wrapper allocates
    /// `size` bytes in the arena, writes each field at its offset (pointer fields: the address
    /// of a copy of the slice / string, also in the arena) and passes the address. With
    /// [`StructAbi::Direct`] the core parameter is that one field's value.
    StructIn {
        /// The struct's name, a key of [`Model::structs`].
        struct_name: String,
    },
    /// A function pointer (`int (*cmp)(const int32_t *, const int32_t *)`): the caller passes a
    /// Python callable / Rust closure, which the guest may call only while this call runs.
    Callback(Box<CallbackSig>),
    /// The `void *` context passed beside a callback (`void *user`): not an argument; the
    /// wrapper passes NULL and the callback's own context parameter is hidden
    /// ([`CbParam::User`]). `callback` is the parameter index of the callback.
    CallbackUser {
        /// Parameter index of the callback it belongs to.
        callback: usize,
    },
    /// `T *p` to a single integer through which the function reports how many elements it wrote
    /// into the output buffer at parameter index `buffer` (config / annotation `filled(out)` on
    /// `size_t *out_len`; `buffer` is an `OutBuf` or `OutExpr` of the same function). The wrapper
    /// allocates `prim.size()` zeroed bytes, passes the address, reads the value after the call
    /// (as unsigned: a negative `int` reads as a huge count), and returns the buffer truncated to
    /// it; a count above the buffer's capacity is an error (Python `GuestError`, Rust
    /// `Error::Guest`), never an over-read. Neither an argument nor an output: the count itself
    /// is not returned, it shortens `buffer`. A status return is checked first, as usual.
    FilledBy {
        /// The pointee's integer type.
        prim: Prim,
        /// Parameter index of the buffer it truncates.
        buffer: usize,
    },
    /// `T *p` to a plain struct (every field an integer the host value carries) that the function
    /// fills (`int stats(stats_t *out, const char *text)`; config / annotation `out`, or inferred
    /// by name, rule `out-struct-by-name`) or reads and writes (`inout`). The wrapper allocates
    /// `size` bytes (the struct's alignment) in the per-call block, zeroed, or holding the
    /// caller's value for `inout`, passes the address, and returns the struct read back after
    /// the call as the generated host type (Python dataclass, Rust struct, JS object), as an
    /// output in C order.
    OutStruct {
        /// The struct's name, a key of [`Model::structs`].
        struct_name: String,
        /// Read and written: the caller passes a value of the host type.
        inout: bool,
    },
    /// A parameter the caller never passes: the wrapper always passes `value` (config / annotation
    /// `value(N)`: SQLite's `SQLITE_TRANSIENT` destructor, `(sqlite3_destructor_type)-1`, is
    /// `value(-1)`; a `const char **pzTail` or `const char *zVfs` the caller has no use for is
    /// `value(NULL)`). Range-checked against the C type at generation time (`roles::fixed`).
    Fixed {
        /// The value as C receives it, in `prim`'s range (a pointer's `-1` is stored as
        /// `0xFFFFFFFF`); [`core_bits`] gives the core wasm value.
        value: i128,
        /// The C integer type carrying it; `U32` for a pointer or function pointer.
        prim: Prim,
        /// The parameter is a pointer (its core value is an address).
        pointer: bool,
    },
    /// `T *p` to one integer that holds the capacity of the output buffer at `buffer` before the
    /// call and the number of elements written into it after (zlib's `uLongf *destLen`; config
    /// `destLen = "capacity(dest)"`, or `"capacity(dest) = compressBound(sourceLen)"` when the
    /// wrapper computes it). The wrapper writes the capacity (the caller's argument, or the
    /// computed value, range-checked against `prim`), sizes `buffer` with it, reads the count
    /// back after the call (unsigned) and returns `buffer` truncated to it; a count above the
    /// capacity is an error (Python `GuestError`, Rust `Error::Guest`), never an over-read. A
    /// status return is checked first. Not an output itself.
    Capacity {
        /// The pointee's integer type.
        prim: Prim,
        /// Parameter index of the output buffer.
        buffer: usize,
        /// `Caller` (an argument) or `Expr` (computed); never `Input`.
        source: LenSource,
    },
    /// `T *p` (or `const T *p`) to a library-owned type (an opaque struct, or one configured in
    /// `[types.T]`): the caller passes a handle object the library handed out (returned, or
    /// through a `T **`), and the very pointer it holds is passed. Checked before the call: it
    /// belongs to this object, is open, and its instance has not been re-created since
    /// (`roles::owned`).
    Owned {
        /// The library-owned type and its destructor.
        ty: OwnedType,
        /// `None` passes NULL (config `nullable`); otherwise a handle is required.
        nullable: bool,
    },
    /// A byte pointer the library keeps after the call returns (config / annotation `kept`: LZ4's
    /// streaming `src` and ring-buffer `dst`, a dictionary it points into): the caller passes a
    /// span of a **guest buffer** (Python `GuestBuffer` / `GuestSpan`, Rust `GuestSpan`), guest
    /// memory the caller allocated through the module (`buffer(n)`), which lives until the caller
    /// frees it, not the per-call block, and the span's own address is passed. Nothing is copied
    /// in or out: the caller writes and reads the buffer. Checked before the call like a handle
    /// (this object's, open, its instance not re-created since); the span lies inside the buffer
    /// by construction. A `Len` sizing it takes the span's length (`LenSource::Input`).
    Kept {
        /// Element type: a byte type (`char`, `int8_t`, `uint8_t`, `void`).
        elem: Prim,
        /// Index of its `Len` parameter, if it has one.
        len: Option<usize>,
        /// The function may write through it (the pointer is not `const`).
        writes: bool,
    },
    /// `T **pp` to a library-owned type: the wrapper allocates one zeroed pointer in the call's
    /// block, passes its address, and returns the pointer the function stored there as a handle
    /// object (`None` / `Option::None` for NULL), as an output in C order.
    OwnedOut(OwnedResult),
}

/// A library-owned type: an opaque (incomplete) struct, or a struct configured in `[types.T]`.
/// Its values live in guest memory the library allocated; the host only holds the pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnedType {
    /// The struct's name (typedef, else tag): `sqlite3`, `LZ4_stream_t`, `gzFile_s`.
    pub name: String,
    /// The function that frees one (`[types.T] destructor`): it takes the pointer as its only
    /// parameter; its return value is ignored. `None`: handles of this type are never freed by
    /// the host (every one is borrowed).
    pub destructor: Option<Destructor>,
}

/// The destructor of a library-owned type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destructor {
    /// The C function (also the export name).
    pub name: String,
    /// Its C return type (`None` for `void`), for its core signature.
    pub ret: Option<Prim>,
}

/// A handle a function hands out, by return or through a `T **` ([`Role::OwnedOut`],
/// [`Ret::Owned`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnedResult {
    /// The library-owned type.
    pub ty: OwnedType,
    /// The library keeps ownership (`sqlite3_db_handle`): the handle never calls the destructor.
    /// A borrowed pointer that equals a live handle of this object is returned as that handle.
    pub borrowed: bool,
    /// The parameter index (a [`Role::Owned`]) whose handle becomes the parent (config
    /// `[functions.F] parent = "db"`): the child keeps it alive, and closing the parent closes
    /// its children first.
    pub parent: Option<usize>,
}

/// A callback parameter's C signature as the host sees it (see `roles::callbacks` for the rules).
///
/// The guest receives a function-table index of a host function with the core signature
/// [`CallbackSig::core`] that is valid only while the outer call runs; the host function reads
/// the callback's arguments (scalars, and pointers as the values or slices below, bounds-checked
/// copies from guest memory), calls the caller's Python callable / Rust closure and returns its
/// result range-checked against `ret`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallbackSig {
    /// The C type as the header spells it (`progress_fn`, `int (*)(const int32_t *, const int32_t *)`).
    pub c_type: String,
    /// One entry per C parameter of the callback, in C order.
    pub params: Vec<CbParam>,
    /// The C return type (`None` for `void`).
    pub ret: Option<Prim>,
}

/// What one parameter of a callback becomes on the host side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CbParam {
    /// An integer or floating-point value, passed to the host callable as it is.
    Scalar(Prim),
    /// The `void *` context the outer call passed beside the callback ([`Role::CallbackUser`]):
    /// not given to the host callable (a closure carries its own context).
    User,
    /// `const T *p` with no count: one element, read from guest memory and passed as a value.
    Value(Prim),
    /// `const T *p` with a count: `len` (the index of the callback parameter holding the element
    /// count) elements read from guest memory and passed as a sequence (bytes for 1-byte
    /// elements). NULL with a count of 0 is empty; NULL with a count above 0 is a guest error.
    InSlice {
        /// Element type.
        elem: Prim,
        /// Callback parameter index of its count.
        len: usize,
    },
    /// `T *p` (non-const) with a count: the host callable gets a zeroed mutable sequence of that
    /// many elements (Python `array.array`, Rust `&mut [T]`), written back to guest memory
    /// after it returns. NULL is passed as `None` / an empty slice.
    OutSlice {
        /// Element type.
        elem: Prim,
        /// Callback parameter index of its count.
        len: usize,
    },
    /// An integer count of slices ([`CbParam::InSlice`] / [`CbParam::OutSlice`] name it): not
    /// passed (the sequences carry their length).
    Len(Prim),
}

impl CallbackSig {
    /// What the host callable receives and returns, for `--explain`:
    /// `(int32_t, const double[n]) -> double`; hidden parameters are left out.
    pub fn describe(&self) -> String {
        let arg = |k: usize| format!("arg{}", k + 1);
        let shown: Vec<String> = self
            .params
            .iter()
            .filter_map(|p| match p {
                CbParam::Scalar(p) => Some(p.c_name().to_string()),
                CbParam::Value(p) => Some(format!("{} (read through the pointer)", p.c_name())),
                CbParam::InSlice { elem, len } => {
                    Some(format!("const {}[{}]", elem.c_name(), arg(*len)))
                }
                CbParam::OutSlice { elem, len } => Some(format!(
                    "{}[{}] to fill (written back)",
                    elem.c_name(),
                    arg(*len)
                )),
                CbParam::User | CbParam::Len(_) => None,
            })
            .collect();
        format!(
            "({}) -> {}",
            shown.join(", "),
            self.ret.map_or("void", Prim::c_name)
        )
    }

    /// The core wasm parameter and result types of the host function (`i32,i32->i32`).
    pub fn core_text(&self) -> String {
        let core = |p: Prim| crate::plan::CoreType::of(p).name();
        let params: Vec<&str> = self
            .params
            .iter()
            .map(|p| match p {
                CbParam::Scalar(p) | CbParam::Len(p) => core(*p),
                _ => "i32",
            })
            .collect();
        format!("{}->{}", params.join(","), self.ret.map_or("", core))
    }
}

impl Role {
    /// True when the caller passes this parameter.
    pub fn is_arg(&self) -> bool {
        match self {
            Role::Scalar { .. }
            | Role::InSlice { .. }
            | Role::InArray { .. }
            | Role::InOutArray { .. }
            | Role::InOutBuf { .. }
            | Role::Handle { .. }
            | Role::InStr
            | Role::Callback(_)
            | Role::Owned { .. }
            | Role::Kept { .. }
            | Role::StructIn { .. } => true,
            Role::InOutScalar { init, .. } => *init == ScalarInit::Caller,
            Role::Capacity { source, .. } => *source == LenSource::Caller,
            Role::Fixed { .. } => false,
            Role::Len { source, .. } => *source == LenSource::Caller,
            Role::OutStruct { inout, .. } => *inout,
            Role::OutArray { .. }
            | Role::OutBuf { .. }
            | Role::OutScalar { .. }
            | Role::OutExpr { .. }
            | Role::Scratch { .. }
            | Role::CallbackUser { .. }
            | Role::OwnedOut(_)
            | Role::FilledBy { .. } => false,
        }
    }

    /// True when the wrapper returns this parameter's contents after the call.
    pub fn is_output(&self) -> bool {
        matches!(
            self,
            Role::OutArray { .. }
                | Role::OutBuf { .. }
                | Role::InOutArray { .. }
                | Role::InOutBuf { .. }
                | Role::OutScalar { .. }
                | Role::InOutScalar { .. }
                | Role::OutExpr { .. }
                | Role::OutStruct { .. }
                | Role::OwnedOut(_)
        )
    }

    /// True for a buffer the caller passes and gets back changed (`InOutBuf`, `InOutArray`): the
    /// back ends write the result into the caller's own memory too.
    pub fn is_inout_buffer(&self) -> bool {
        matches!(self, Role::InOutBuf { .. } | Role::InOutArray { .. })
    }

    /// The element type of a buffer role.
    pub fn elem(&self) -> Option<Prim> {
        match self {
            Role::InSlice { elem, .. }
            | Role::InArray { elem, .. }
            | Role::OutArray { elem, .. }
            | Role::InOutArray { elem, .. }
            | Role::OutBuf { elem, .. }
            | Role::InOutBuf { elem, .. }
            | Role::OutExpr { elem, .. }
            | Role::Kept { elem, .. } => Some(*elem),
            _ => None,
        }
    }

    /// The element count of a fixed-size role.
    pub fn fixed_count(&self) -> Option<u32> {
        match self {
            Role::InArray { count, .. }
            | Role::OutArray { count, .. }
            | Role::InOutArray { count, .. } => Some(*count),
            _ => None,
        }
    }

    /// The index of the parameter holding a variable-size role's length: a `Len`, or an
    /// `InOutScalar` with `init: ScalarInit::LenOf(this)`.
    pub fn len_param(&self) -> Option<usize> {
        match self {
            Role::InSlice { len, .. } | Role::OutBuf { len, .. } | Role::InOutBuf { len, .. } => {
                Some(*len)
            }
            _ => None,
        }
    }

    /// The short name `--explain` prints (`in-slice`, `out-array[16]`, ...).
    pub fn label(&self) -> String {
        match self {
            Role::Scalar { .. } => "scalar".into(),
            Role::Len {
                source: LenSource::Caller,
                ..
            } => "len (caller-given)".into(),
            Role::Len {
                source: LenSource::Input(_),
                ..
            } => "len (derived)".into(),
            Role::InSlice { .. } => "in-slice".into(),
            Role::InArray { count, .. } => format!("in-array[{count}]"),
            Role::OutArray { count, .. } => format!("out-array[{count}]"),
            Role::InOutArray { count, .. } => format!("inout-array[{count}]"),
            Role::OutBuf { .. } => "out-buf".into(),
            Role::InOutBuf { .. } => "inout-buf".into(),
            Role::Handle { struct_name, .. } => format!("handle({struct_name})"),
            Role::Len {
                source: LenSource::Expr(_),
                ..
            } => "len (computed)".into(),
            Role::InStr => "in-str".into(),
            Role::OutScalar { .. } => "out-scalar".into(),
            Role::InOutScalar {
                init: ScalarInit::Caller,
                ..
            } => "inout-scalar".into(),
            Role::InOutScalar {
                init: ScalarInit::LenOf(_),
                ..
            } => "inout-scalar (len)".into(),
            Role::OutExpr { text: false, .. } => "out-buf (computed size)".into(),
            Role::OutExpr { text: true, .. } => "out-str (computed size)".into(),
            Role::Scratch { .. } => "scratch".into(),
            Role::StructIn { struct_name } => format!("struct({struct_name})"),
            Role::FilledBy { .. } => "filled-count".into(),
            Role::Callback(_) => "callback".into(),
            Role::CallbackUser { .. } => "callback-context (NULL)".into(),
            Role::OutStruct {
                struct_name,
                inout: false,
            } => format!("out-struct({struct_name})"),
            Role::OutStruct {
                struct_name,
                inout: true,
            } => format!("inout-struct({struct_name})"),
            Role::Owned { ty, nullable } => format!(
                "library-owned({}){}",
                ty.name,
                if *nullable { " or NULL" } else { "" }
            ),
            Role::OwnedOut(r) => format!("out library-owned({})", r.describe()),
            Role::Fixed { .. } => "fixed value".into(),
            Role::Capacity {
                source: LenSource::Expr(_),
                ..
            } => "capacity in, count out (computed)".into(),
            Role::Capacity { .. } => "capacity in, count out".into(),
            Role::Kept { writes: false, .. } => "kept (guest buffer, read)".into(),
            Role::Kept { writes: true, .. } => "kept (guest buffer, written)".into(),
        }
    }
}

/// What a function's return value means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ret {
    /// `void`.
    Void,
    /// An `int` status: 0 is success, anything else raises / returns `Error::Status`.
    Status,
    /// A plain value returned to the caller (last in the returned tuple).
    Value(Prim),
    /// An integer that is an error when `error` says so (raised / `Err` with the value), else
    /// returned like `Value` (config `return = "nonneg"` / `"positive"`).
    Checked {
        /// The C integer type.
        prim: Prim,
        /// Which values are errors.
        error: ErrorRule,
    },
    /// The number of elements the function wrote into the output buffer at parameter index
    /// `buffer` (an `OutBuf`, `InOutBuf` or `OutExpr`; config `return = "filled(dst)"`):
    /// an error when `error` says so; otherwise the wrapper returns only the first `n`
    /// elements of that buffer (`n` above its capacity is an error too, never an over-read).
    /// The count itself is not returned.
    FilledLen {
        /// The C integer type.
        prim: Prim,
        /// Parameter index of the buffer.
        buffer: usize,
        /// Which values are errors.
        error: ErrorRule,
    },
    /// A returned `const char *` NUL-terminated string (config `return = "str"` or inferred for
    /// `const char *` returns): read from guest memory up to the first 0, looking at most at
    /// `max_len` bytes (no NUL within them, or a NULL pointer, is an error); decoded as UTF-8
    /// (invalid UTF-8 is an error) and returned like `Value` (Python `str`, Rust `String`).
    Str {
        /// The bound on the length, without the NUL (default 4096; config `str(<n>)`).
        max_len: u32,
    },
    /// Like [`Ret::Str`], but NULL is `None` (Python) / `Option::None` (Rust) instead of an error
    /// (config `return = "str, nullable"` / `"str(<n>), nullable"`): a library-owned string that
    /// may be absent (`sqlite3_column_name` out of range).
    NullableStr {
        /// The bound on the length, without the NUL.
        max_len: u32,
    },
    /// A status with the module's rule: several success codes, a message from another call
    /// (config `[module] status = { ok = [...], message = "..." }`); see [`StatusRule`].
    Codes(Box<StatusRule>),
    /// A returned pointer to data whose length another call reports; see [`DataRet`].
    Data(Box<DataRet>),
    /// A returned pointer to a library-owned type, as a handle object (`roles::owned`). An owned
    /// NULL is an error (`StatusError` / `Error::Status` with status 0); a borrowed NULL is
    /// `None`.
    Owned(OwnedResult),
}

impl OwnedResult {
    /// `sqlite3, owned, parent db` for `--explain` (the parent by parameter index).
    pub fn describe(&self) -> String {
        let mut s = format!(
            "{}, {}",
            self.ty.name,
            if self.borrowed { "borrowed" } else { "owned" }
        );
        if let Some(p) = self.parent {
            s.push_str(&format!(", parent: parameter {}", p + 1));
        }
        s
    }
}

/// Which integer returns are errors (for [`Ret::Checked`] and [`Ret::FilledLen`]).
///
/// The value is tested as a signed integer of the C type's width: for an unsigned type (`size_t`)
/// the values with the top bit set are the negative ones, which is how C libraries return errors
/// through an unsigned type (zstd's and LZ4F's `(size_t)-code`). The error then carries the value
/// as the C type has it (Python / JS: the unsigned value, which can be passed back to the
/// library's error functions; Rust: `Error::Status::status` holds its low 32 bits as `i32`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorRule {
    /// `x < 0` is an error (config `nonneg`; LZ4_decompress_safe).
    Negative,
    /// `x <= 0` is an error (config `positive`; LZ4_compress_default returns 0 on failure).
    NonPositive,
}

impl ErrorRule {
    /// True when `value` is an error.
    pub fn is_error(self, value: i64) -> bool {
        match self {
            ErrorRule::Negative => value < 0,
            ErrorRule::NonPositive => value <= 0,
        }
    }

    /// For an unsigned `prim`, the smallest value that reads as negative (its top bit); `None` for
    /// signed types and `bool`, whose values are tested as they are.
    pub fn negative_from(prim: crate::ir::Prim) -> Option<u128> {
        (!prim.is_signed() && prim != crate::ir::Prim::Bool && prim.is_integer())
            .then(|| 1u128 << (prim.size() * 8 - 1))
    }

    /// The config word for the success range (`nonneg` / `positive`).
    pub fn word(self) -> &'static str {
        match self {
            ErrorRule::Negative => "nonneg",
            ErrorRule::NonPositive => "positive",
        }
    }
}

impl Ret {
    /// What `--explain` prints (`status (0 is success)`, `filled length of dst (<= 0 is an error)`).
    pub fn label(&self) -> String {
        let err = |e: &ErrorRule, p: &crate::ir::Prim| {
            let as_signed = if ErrorRule::negative_from(*p).is_some() {
                " as signed"
            } else {
                ""
            };
            match e {
                ErrorRule::Negative => format!("< 0{as_signed} is an error"),
                ErrorRule::NonPositive => format!("<= 0{as_signed} is an error"),
            }
        };
        match self {
            Ret::Void => "void".into(),
            Ret::Status => "status (0 is success)".into(),
            Ret::Value(p) => format!("value {}", p.c_name()),
            Ret::Checked { prim, error } => {
                format!("value {} ({})", prim.c_name(), err(error, prim))
            }
            Ret::FilledLen { prim, error, .. } => {
                format!("filled length {} ({})", prim.c_name(), err(error, prim))
            }
            Ret::Str { max_len } => format!("string (NUL-terminated, at most {max_len} bytes)"),
            Ret::Owned(r) => format!("library-owned({})", r.describe()),
            Ret::NullableStr { max_len } => {
                format!("string or None for NULL (NUL-terminated, at most {max_len} bytes)")
            }
            Ret::Codes(rule) => {
                let ok: Vec<String> = rule.ok.iter().map(i64::to_string).collect();
                let mut text = format!("status ({} success", ok.join(", "));
                if rule.returns_code {
                    text.push_str("; the code is returned");
                }
                match (&rule.message, &rule.via) {
                    (Some(m), Some(v)) => text.push_str(&format!("; message {}({v})", m.func)),
                    (Some(m), None) => text.push_str(&format!("; message {m}")),
                    _ => {}
                }
                text.push(')');
                text
            }
            Ret::Data(d) => format!(
                "{}, as many bytes as {} returns{}",
                if d.text { "UTF-8 text" } else { "bytes" },
                d.len,
                if d.nullable { ", None for NULL" } else { "" }
            ),
        }
    }

    /// The C integer type of the core wasm result (`None` for `void`; `Str` is an `i32` address).
    pub fn prim(&self) -> Option<Prim> {
        match self {
            Ret::Void => None,
            Ret::Status | Ret::Codes(_) => Some(Prim::I32),
            Ret::Value(p) | Ret::Checked { prim: p, .. } | Ret::FilledLen { prim: p, .. } => {
                Some(*p)
            }
            Ret::Str { .. } | Ret::NullableStr { .. } | Ret::Data(_) | Ret::Owned(_) => {
                Some(Prim::U32)
            }
        }
    }
}

/// How a struct passed by value crosses the wasm32 C ABI (clang: aggregates are passed as the
/// address of a caller-made copy, except a struct whose only member is one scalar, which is
/// passed as that scalar). Checked against the real guest: `crypto_argon2`'s core signature is
/// six `i32`s (hash, hash_size, work_area, &config, &inputs, &extras); and with clang-19,
/// `struct { int64_t v; }` arrives as one `i64` (a struct whose only member is a pointer also
/// arrives as that pointer, but such a struct has no length field and is not bindable).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StructAbi {
    /// The core parameter is an `i32` address of a copy in guest memory.
    Indirect,
    /// The core parameter is the single scalar field's value.
    Direct(Prim),
}

/// A struct's wasm32 layout and what each field is, for struct-by-value parameters and globals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StructBinding {
    /// The C name (typedef, else tag); generated host type names derive from it.
    pub name: String,
    /// `sizeof` on wasm32.
    pub size: u32,
    /// `alignof` on wasm32.
    pub align: u32,
    /// How it is passed by value.
    pub abi: StructAbi,
    /// Fields in declaration order.
    pub fields: Vec<FieldBinding>,
    /// Doc comment.
    pub doc: Option<String>,
    /// Where it is declared.
    pub loc: Loc,
}

impl StructBinding {
    /// Indices of the fields the host value carries: everything but derived lengths.
    pub fn host_fields(&self) -> Vec<usize> {
        (0..self.fields.len())
            .filter(|&i| !matches!(self.fields[i].role, FieldRole::Len { .. }))
            .collect()
    }
}

/// One field of a [`StructBinding`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldBinding {
    /// The C name (used as is in host types, after keyword escaping).
    pub name: String,
    /// The C type.
    pub c_type: CType,
    /// Byte offset in the struct.
    pub offset: u32,
    /// What it is.
    pub role: FieldRole,
    /// What decided it.
    pub decided_by: Decision,
}

/// What a struct field is, seen from the host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldRole {
    /// An integer field the host value carries (range-checked against `prim` when written).
    Scalar {
        /// The C integer type.
        prim: Prim,
    },
    /// `const T *p` whose element count is the field at index `len`: the host value carries a
    /// slice (Python `bytes`, Rust `&[T]`); written as the address of a copy in the arena.
    /// When read back (a global), the slice is read from guest memory (NULL with count 0 is empty).
    InSlice {
        /// Element type (`void` reads as bytes).
        elem: Prim,
        /// Field index of its length.
        len: usize,
    },
    /// An integer field holding the element count of the `InSlice` fields at `sizes` (field
    /// indices): not carried by the host value, written from the slices' length (they must
    /// be equal when it sizes several).
    Len {
        /// The C integer type (a length that does not fit is an error).
        prim: Prim,
        /// Field indices of the slices.
        sizes: Vec<usize>,
    },
}

/// What kind of value a global holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GlobalValue {
    /// An integer.
    Scalar(Prim),
    /// A struct of [`Model::structs`] (read into the generated host type).
    Struct(String),
}

/// An `extern` global of the bound headers, exposed read-only (`m.crypto_argon2_no_extras`).
///
/// The guest exports a data symbol as a wasm *global* (an `i32`) holding the object's address
/// in linear memory; the wrapper reads that global, then the value at that address (for a
/// struct: each field at its offset, pointer + length fields read as slices). `validate`
/// checks the export exists when the `.wasm` is given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GlobalBinding {
    /// The C name, also the export name and the generated attribute / method name.
    pub name: String,
    /// The C type.
    pub c_type: CType,
    /// What it holds.
    pub value: GlobalValue,
    /// Where it is declared.
    pub loc: Loc,
}

/// What decided a role or return meaning; `--explain` prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// An inference rule, by its documented name (e.g. `const-pointer+size`).
    Rule(&'static str),
    /// A `wb:` annotation in the header.
    Annotation {
        /// The annotation text, e.g. `wb:inout`.
        text: String,
        /// Where it is written.
        loc: Loc,
    },
    /// An entry in the sidecar config.
    Config {
        /// The dotted key, e.g. `functions.crypto_eddsa_key_pair.seed`.
        key: String,
    },
}
