//! The statements of a method body, described (not rendered): each [`Step`] is one construct
//! with its own macro in `templates/python/steps.py.j2`. Python *expressions* (a converted C
//! value, a computed size, an offset) are precomputed text; the statements around them are the
//! templates'.

use serde::Serialize;

use crate::emit::python::structs::StructCheck;

/// One statement (or short `if` block) of a method body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Step {
    /// An integer argument, range-checked (inline when it is an exact `int` in range).
    Int {
        /// The local (the parameter's Python name).
        name: String,
        /// The keyword as a string literal (for messages).
        lit: String,
        /// Lower bound, a Python literal.
        lo: String,
        /// Upper bound, a Python literal.
        hi: String,
    },
    /// A C `bool` argument: a `bool`, else an int checked to be 0 or 1 by `_wb_int`.
    Bool {
        /// The local (the parameter's Python name).
        name: String,
        /// The keyword as a string literal (for messages).
        lit: String,
    },
    /// A `float` / `double` argument (inline when it is an exact `float`, for `float` also in
    /// range): `_wb_float` checks the type and, for `float`, that it does not round to infinity.
    Float {
        /// The local.
        name: String,
        /// The C name as a string literal.
        lit: String,
        /// The `array` / `struct` typecode (`f` or `d`).
        code: char,
    },
    /// A bytes-like argument (inline when it is `bytes` of the right size).
    Bytes {
        /// The local.
        name: String,
        /// The keyword as a string literal (for messages).
        lit: String,
        /// The fixed length of a `T x[N]` argument.
        fixed: Option<u32>,
        /// An in/out buffer: a read-only buffer other than `bytes` is refused (the output is
        /// written back into the caller's buffer).
        writable: bool,
    },
    /// An array of non-byte elements, packed by `_wb_elems`.
    Elems {
        /// The local.
        name: String,
        /// The keyword as a string literal (for messages).
        lit: String,
        /// The `array` typecode.
        code: char,
        /// The required element count (`None` literal when any).
        count: String,
        /// For an in/out buffer: the local keeping the caller's object for the write-back.
        keep: Option<String>,
    },
    /// A callback argument: must be callable.
    Callable {
        /// The local.
        name: String,
        /// The keyword the caller writes (what errors name), escaped for an f-string.
        keyword: String,
    },
    /// A `const char *` argument, encoded with its NUL.
    Str {
        /// The local receiving the encoded bytes.
        name: String,
        /// The parameter holding the caller's `str`.
        src: String,
        /// The keyword as a string literal (for messages).
        lit: String,
    },
    /// A struct passed by value: type, fields and derived lengths checked.
    Struct(StructCheck),
    /// `[functions.F.max]`: a bound on a value, checked before any guest call.
    Max {
        /// The local checked.
        value: String,
        /// The bound.
        max: u64,
        /// The start of the message: an f-string body naming the argument and its value.
        what: String,
        /// The C function name, escaped for an f-string.
        function: String,
        /// ` (size <= max)`, when `what` names the buffer a size is derived from, else empty.
        size_note: String,
    },
    /// A length derived from an input (`text_size = len(plain_text)`), checked against its type.
    Derived {
        /// The local (the C size parameter's name).
        name: String,
        /// The element count expression.
        count: String,
        /// The keyword as a string literal (for messages).
        lit: String,
        /// Lower bound of the C type.
        lo: String,
        /// Upper bound of the C type.
        hi: String,
    },
    /// Another input a derived length sizes must have the same element count.
    Same {
        /// The other input's local.
        other: String,
        /// Its expected byte length (an expression over the derived length).
        expected: String,
        /// The other input's C name, escaped for an f-string.
        other_c: String,
        /// The source input's C name, escaped for an f-string.
        source_c: String,
    },
    /// The image of a struct passed by value (`_wb_img<i> = _wb_pack(...)`).
    Image {
        /// The local.
        var: String,
        /// The `_wb_pack` expression.
        expr: String,
    },
    /// A handle argument checked under the lock and replaced by its guest address.
    Handle {
        /// The local receiving the guest address.
        name: String,
        /// The parameter holding the handle object.
        src: String,
        /// The handle class.
        class: String,
        /// The keyword as a string literal.
        lit: String,
    },
    /// A guest-buffer argument (`Role::Kept`) taken as a span before the lock (its length may
    /// size the call): a `GuestBuffer` is its whole span, a `GuestSpan` is itself.
    Span {
        /// The local receiving the span.
        name: String,
        /// The parameter holding the caller's object.
        src: String,
        /// The keyword as a string literal.
        lit: String,
    },
    /// A guest-buffer span checked under the lock (this instance's, open, not lost to a trap)
    /// and replaced by its guest address.
    Kept {
        /// The local receiving the guest address.
        name: String,
        /// The local holding the span ([`Step::Span`]).
        src: String,
        /// The keyword as a string literal.
        lit: String,
        /// The caller's handles passed in the same call (caller-owned or library-owned, checked
        /// before it), which then hold the buffer while they are open.
        holders: Vec<String>,
        /// For a function with no handle to hold it (none passed, none returned): the instance's
        /// slot holding the buffer last passed here (`"function.param"`, a Python literal).
        slot: Option<String>,
    },
    /// A library-owned handle argument checked under the lock and replaced by the pointer it
    /// stands for (`roles::owned`).
    Owned {
        /// The local receiving the pointer.
        name: String,
        /// The parameter holding the handle object.
        src: String,
        /// The handle class.
        class: String,
        /// The keyword as a string literal.
        lit: String,
        /// `None` passes NULL.
        nullable: bool,
    },
    /// A pointer the library handed out (returned, or read from a `T **` slot), made a handle
    /// object right after the call, before any status check (so that an object handed out with
    /// a failed status is still freed).
    OwnedNew {
        /// The local receiving the handle (or `None`).
        var: String,
        /// The pointer expression.
        ptr: String,
        /// The handle class.
        class: String,
        /// `True` / `False`: the library keeps ownership.
        borrowed: String,
        /// The parent handle's parameter (the caller's object), or `None`.
        parent: String,
        /// For an owned return: the C name literal; NULL then raises `StatusError(name, 0)`.
        null_error: Option<String>,
        /// The span locals of the call's guest buffers (`kept`), which the new handle holds.
        held: Vec<String>,
    },
    /// A computed size (an `Expr`), evaluated and range-checked.
    Computed {
        /// The local it is stored in.
        target: String,
        /// The Python expression.
        expr: String,
        /// The keyword as a string literal (for messages).
        lit: String,
        /// Lower bound.
        lo: String,
        /// Upper bound.
        hi: String,
    },
    /// `var = value` (a region offset or the block size known only at run time).
    Assign {
        /// The local.
        var: String,
        /// The expression.
        value: String,
    },
    /// A status return: nonzero raises StatusError.
    Status {
        /// The C name as a string literal.
        c_name: String,
    },
    /// A status with the module's rule: a code outside `ok` raises StatusError, with the message
    /// read by `message` (an expression calling the message function) when there is one.
    Codes {
        /// The success codes, a Python tuple literal.
        ok: String,
        /// The C name as a string literal.
        c_name: String,
        /// The message expression (`_wb_message(...)`), if any.
        message: Option<String>,
    },
    /// A checked return value (`_wb_value`, `_wb_filled`): converted, then an error value raises.
    Checked {
        /// The local.
        var: String,
        /// The conversion of `_wb_ret`.
        expr: String,
        /// The condition making it an error (`_wb_value < 0`, `_wb_filled >= 0x80000000`).
        error: String,
        /// The C name as a string literal.
        c_name: String,
        /// The message expression the error carries (`_wb_message(...)`), if any.
        message: Option<String>,
    },
    /// A returned filled length must not exceed the buffer's capacity.
    FilledMax {
        /// The filled byte count expression.
        bytes: String,
        /// The buffer's byte size expression.
        capacity: String,
        /// The C function name, escaped for an f-string.
        function: String,
        /// The buffer's C name, escaped for an f-string.
        buffer: String,
    },
    /// A string output (`out_str(EXPR)`): `_wb_out[k]` cut at its first NUL and decoded as
    /// UTF-8 into `var`; no NUL or invalid UTF-8 is a GuestError.
    OutText {
        /// The local receiving the text.
        var: String,
        /// Its position in `_wb_out`.
        k: usize,
        /// The C function name, escaped for an f-string.
        function: String,
        /// The parameter's C name, escaped for an f-string.
        param: String,
    },
    /// A filled count written through a pointer: read unsigned, at most the buffer's capacity.
    FilledCount {
        /// The local.
        var: String,
        /// Its position in `_wb_out`.
        k: usize,
        /// The filled byte count expression.
        bytes: String,
        /// The buffer's byte size expression.
        capacity: String,
        /// The C function name, escaped for an f-string.
        function: String,
        /// The count parameter's C name, escaped for an f-string.
        param: String,
        /// The buffer's C name, escaped for an f-string.
        buffer: String,
    },
    /// An in/out buffer passed writable receives the output too.
    WriteBack {
        /// The caller's object (the parameter, or the local kept by [`Step::Elems`]).
        target: String,
        /// Its position in `_wb_out`.
        k: usize,
        /// The `array` typecode of non-byte elements.
        code: Option<char>,
    },
}

/// The `invoke` call: the block, what is written, the C arguments, what is read back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Invoke {
    /// The export's index in the module's function table.
    pub index: usize,
    /// The C name as a string literal.
    pub c_name: String,
    /// The block size (a constant or `_wb_block`).
    pub block: String,
    /// `(offset, data)` written into the block.
    pub writes: Vec<[String; 2]>,
    /// The C arguments, pointers as block offsets.
    pub args: Vec<String>,
    /// Positions in `args` that are block offsets.
    pub rel: Vec<usize>,
    /// `(offset, size)` read back: the outputs in result order, then filled counts.
    pub reads: Vec<[String; 2]>,
    /// `(offset of a pointer field, offset of the slice)` patched once the block exists.
    pub fixups: Vec<[String; 2]>,
    /// The callback entries (`invoke_cb` instead of `invoke` when there are any).
    pub callbacks: Vec<String>,
    /// Nothing is copied in or out (no block, writes, reads or callbacks): the lean
    /// `invoke0(index, c_name, args)`, which returns the raw result alone.
    pub plain: bool,
}

/// One item of a method's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ResultItem {
    /// The C return value, converted (an expression).
    Value {
        /// The expression.
        expr: String,
    },
    /// An out / in-out scalar: `_wb_out[k]` as an integer.
    Scalar {
        /// Its position in `_wb_out`.
        k: usize,
        /// `True` / `False`.
        signed: String,
    },
    /// An out / in-out `float` / `double`: `_wb_out[k]` as a Python float.
    FloatScalar {
        /// Its position in `_wb_out`.
        k: usize,
        /// The typecode (`f` or `d`).
        code: char,
    },
    /// An output of non-byte elements: a list.
    Elems {
        /// Its position in `_wb_out`.
        k: usize,
        /// The `array` typecode.
        code: char,
        /// The byte count it is cut to (a filled length), if any.
        cut: Option<String>,
    },
    /// An output struct: `_wb_out[k]` read field by field into the struct's dataclass.
    Struct {
        /// Its position in `_wb_out`.
        k: usize,
        /// The dataclass.
        class: String,
        /// Each field the dataclass carries, in declaration order.
        fields: Vec<FieldRead>,
    },
    /// A byte output.
    Bytes {
        /// Its position in `_wb_out`.
        k: usize,
        /// The byte count it is cut to, if any.
        cut: Option<String>,
    },
}

/// One integer field of an output struct, read from the struct's bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldRead {
    /// The dataclass keyword (escaped C field name).
    pub name: String,
    /// First byte of the field in the struct.
    pub start: u32,
    /// One past its last byte.
    pub end: u32,
    /// `True` / `False`.
    pub signed: String,
    /// The `array` typecode of a floating-point field (`f` / `d`); `None` for an integer.
    pub float: Option<char>,
}
