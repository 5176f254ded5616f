//! Model types of the call idioms that make a second guest call after the bound one (SQLite's
//! `sqlite3_column_bytes` after `sqlite3_column_blob`, `sqlite3_errmsg(db)` after a failed
//! status): decided by `roles::follow` / `roles::status`, planned by `plan`, rendered by every
//! back end. Re-exported from [`crate::model`].

use crate::ir::Prim;

/// A call to another guest export that the wrapper makes right after the bound call returned,
/// with some of the bound call's own arguments passed again as they were (the same core values:
/// an integer, a handle's address). Written in config as `sqlite3_column_bytes(pStmt, iCol)`.
///
/// Roles check that the callee is a function of the bound headers with exactly these arguments,
/// each parameter of the same C type as the argument forwarded to it; the plan checks that every
/// forwarded argument is a value the host knows (no buffer in the call's arena block, which is
/// reset by then) and lists the callee with the other helper exports `validate` checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowCall {
    /// The export (C function) name.
    pub func: String,
    /// The forwarded arguments: (parameter index of the bound function, its C name), in the
    /// callee's parameter order.
    pub args: Vec<(usize, String)>,
    /// What the callee returns: the C integer type, or `U32` for a returned pointer (an address).
    pub ret: Prim,
    /// `Some(p)`: the callee's one argument is the failed return value itself, passed as the C
    /// integer type `p` of the callee's parameter (a message function explaining codes:
    /// `ZSTD_getErrorName(size_t code)`, `strerror(int)`); `args` is then empty.
    pub code: Option<Prim>,
}

impl std::fmt::Display for FollowCall {
    /// `sqlite3_column_bytes(pStmt, iCol)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.code.is_some() {
            return write!(f, "{}(<the failed value>)", self.func);
        }
        let names: Vec<&str> = self.args.iter().map(|(_, n)| n.as_str()).collect();
        write!(f, "{}({})", self.func, names.join(", "))
    }
}

/// A status return with a module-wide rule (config `[module] status = { ok = [...], message =
/// "..." }`): the codes in `ok` are success, any other raises Python `StatusError` / returns Rust
/// `Error::Status` carrying the code and, when `message` is set, the text the message function
/// returns for this call's handle (SQLite's `sqlite3_errmsg(db)`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusRule {
    /// The success codes, sorted, without duplicates (never empty).
    pub ok: Vec<i64>,
    /// The message call, made only after a failure: a function returning a NUL-terminated
    /// `const char *`, given the parameter of this function whose C type its one parameter has,
    /// or (with `via`) the pointer `via` returns. NULL, or no such parameter, means no message. Read like a returned string (at most
    /// [`MESSAGE_MAX`] bytes before the NUL), decoded as UTF-8 with invalid bytes replaced
    /// (U+FFFD): a message must never hide the status it explains.
    pub message: Option<FollowCall>,
    /// A call giving the message function's argument when this function has no parameter of its
    /// type (config `via`: SQLite's `sqlite3_db_handle(pStmt)` for `sqlite3_step`): made first,
    /// with this function's parameter forwarded; `message.args` is then empty and the message
    /// function receives the pointer it returns.
    pub via: Option<FollowCall>,
    /// True when `ok` holds several codes: the code is then returned to the caller
    /// (`sqlite3_step` -> `SQLITE_ROW` or `SQLITE_DONE`) as an `int` value, last in the result.
    pub returns_code: bool,
}

/// The most bytes of an error message read before its NUL (a longer message is cut there).
pub const MESSAGE_MAX: u32 = 4096;

/// A returned pointer to data whose length another call reports (config `return =
/// "bytes(sqlite3_column_bytes(pStmt, iCol))"` or `"text(...)"`, optionally `, nullable`).
///
/// After the bound call the wrapper calls `len` (with the same arguments forwarded), then copies
/// the data out at once: `len` bytes at the returned address, bounds-checked against guest memory
/// (outside it is a guest error, never an over-read). A negative length is a guest error. NULL
/// with a length of 0 is empty (`nullable`: `None`); NULL with a length above 0 is a guest error.
/// `text` data is decoded as strict UTF-8: invalid UTF-8 is Python's `UnicodeDecodeError` (a
/// `ValueError` whose `.object` holds the bytes) / Rust's `Error::Text` (whose `FromUtf8Error`
/// gives the bytes back); the object stays usable, since data the library stored is not an ABI
/// violation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataRet {
    /// The call reporting the length in bytes (an integer function).
    pub len: FollowCall,
    /// Returned as text (Python `str`, Rust `String`) instead of bytes (`bytes`, `Vec<u8>`).
    pub text: bool,
    /// NULL with a length of 0 is `None` instead of empty data.
    pub nullable: bool,
}

/// The core wasm value carrying the C value `value` of type `prim` (an `i32` for types up to 32
/// bits, an `i64` for 64-bit ones), as the signed number wasm stores: `0xFFFFFFFF` as a `uint32_t`
/// or a pointer is `-1`. What the back ends pass for a [`crate::model::Role::Fixed`].
pub fn core_bits(value: i128, prim: Prim) -> i64 {
    let bits = if prim.size() == 8 { 64 } else { 32 };
    let wrapped = value.rem_euclid(1i128 << bits);
    let signed = if wrapped >= 1i128 << (bits - 1) {
        wrapped - (1i128 << bits)
    } else {
        wrapped
    };
    i64::try_from(signed).unwrap_or_default()
}
