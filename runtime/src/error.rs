//! The one error type of generated bindings: what went wrong in a guest call and whose fault it is.

/// Why a binding call (or creating a binding object) failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The C function returned a non-zero status (only functions whose `int` return is a status;
    /// with a module status rule, a code outside its success codes).
    #[error("`{function}` failed with status {status}{}", message.as_deref().map(|m| format!(": {m}")).unwrap_or_default())]
    Status {
        /// The C function.
        function: &'static str,
        /// The status it returned.
        status: i32,
        /// The library's own explanation, when the bindings know where to read it (a module
        /// status rule's message function, e.g. SQLite's `sqlite3_errmsg(db)`), else `None`.
        message: Option<String>,
    },
    /// A function returned text (`text(...)` return in the config) that is not UTF-8: data the
    /// library stored, not an ABI violation, so the object stays as it is. `error.into_bytes()`
    /// gives the bytes back.
    #[error("`{function}` returned text that is not UTF-8: {error}")]
    Text {
        /// The C function.
        function: &'static str,
        /// The decoding error, holding the bytes.
        error: std::string::FromUtf8Error,
    },
    /// The guest trapped (out-of-bounds access, `unreachable`, stack overflow, ...). The binding
    /// object has been re-instantiated and can be used again; guest state is fresh.
    #[error("`{function}` trapped: {message}")]
    Trap {
        /// The C function (or arena export) that was running.
        function: &'static str,
        /// The trap code, when wasmtime reports one.
        code: Option<wasmtime::Trap>,
        /// The trap message with its wasm backtrace.
        message: String,
    },
    /// The guest broke the arena ABI: its allocator returned a pointer below `__heap_base`, past
    /// the end of linear memory (including a negative `i32` or a block whose end overflows 32
    /// bits), misaligned, or overlapping a block still in use (a handle); or a returned length,
    /// string or value is out of range. Its state cannot be trusted: the binding object has been
    /// re-instantiated (handles made before are void) and can be used again.
    #[error("guest broke the ABI in `{function}`: {message}")]
    Guest {
        /// The C function being called.
        function: &'static str,
        /// What it did.
        message: String,
    },
    /// An argument cannot be passed to the guest: inputs that share a size parameter have
    /// different lengths, a length does not fit the C size type or 32-bit guest memory, the
    /// call's buffers need more than [`crate::Options::max_memory`], or a handle belongs to
    /// another object. Checked before the guest runs; the object is unchanged.
    #[error("invalid argument to `{function}`: {message}")]
    Argument {
        /// The C function.
        function: &'static str,
        /// What is wrong and what was expected.
        message: String,
    },
    /// A library-owned handle cannot be used: it was closed (or its parent was), it was made by
    /// another binding object, or its instance was re-created after a trap (the library's
    /// memory, and the object the handle stood for, are gone). Checked before the guest runs; the
    /// message names the parameter.
    #[error("`{function}`: {message}")]
    Handle {
        /// The C function.
        function: &'static str,
        /// Which parameter, and why.
        message: String,
    },
    /// The call ran longer than the object's [`crate::Options::timeout`] and was interrupted
    /// (epoch deadline). The binding object has been re-instantiated and can be used again;
    /// guest state is fresh.
    #[error("`{function}` timed out: still running after {limit:?} (raise `Options::timeout`, or set it to `None` for no limit)")]
    Timeout {
        /// The C function (or arena export) that was running.
        function: &'static str,
        /// The limit that was exceeded.
        limit: std::time::Duration,
    },
    /// The guest's allocator returned 0 for a block of `size` bytes: the guest is out of memory
    /// (growth past [`crate::Options::max_memory`] is refused). After a call's arena allocation
    /// fails the instance is re-created (memory wiped and back to its initial size, handles made
    /// before are void), so the next call starts fresh even if the failure broke the guest's
    /// allocator. When a handle's allocation fails the instance is kept if handles are live
    /// (they would be lost; drop some) and re-created otherwise.
    #[error("`{function}`: the guest allocator returned 0 for {size} bytes (guest out of memory; `Options::max_memory` caps growth)")]
    OutOfMemory {
        /// The C function being called (or the handle type being allocated).
        function: &'static str,
        /// The size asked for, in bytes.
        size: u32,
    },
    /// A callback closure panicked: the guest call was abandoned (its frame cannot be resumed),
    /// so, as after a trap, the binding object has been re-instantiated (handles made before are
    /// void) and can be used again. `message` names the callback and carries the panic message.
    #[error("`{function}` was stopped: {message}")]
    Callback {
        /// The C function that was running.
        function: &'static str,
        /// Which callback panicked, and its panic message.
        message: String,
    },
    /// The host could not run the call: the helper thread that gives guest code the native
    /// stack a `max_wasm_stack` above 512 KiB needs could not be started. Nothing ran; the
    /// object is unchanged.
    #[error("`{function}` could not run: {message}")]
    Host {
        /// The C function (or arena export) that was to run.
        function: &'static str,
        /// What failed.
        message: String,
    },
    /// The guest cannot be loaded: unreadable file, invalid wasm, a module or function body
    /// larger than [`crate::Options::max_module_size`] / [`crate::Options::max_function_size`],
    /// an export missing or with the wrong signature (named in the message), no exported
    /// `memory`, a `__heap_base` export that is not an `i32` global, an import the host cannot
    /// provide, an initial memory larger than [`crate::Options::max_memory`], invalid
    /// [`crate::Options`]. All of these but invalid function bodies are found before the module
    /// is compiled.
    #[error("cannot load guest: {0}")]
    Load(String),
}

impl Error {
    /// Builds a [`Error::Trap`] (or, for an error that is not a trap, a [`Error::Guest`]) from
    /// what wasmtime returned for a call.
    #[cold]
    pub(crate) fn from_call(function: &'static str, err: wasmtime::Error) -> Error {
        match err.downcast_ref::<wasmtime::Trap>() {
            // The limit is filled in by `Guest::call`, which knows it.
            Some(wasmtime::Trap::Interrupt) => Error::Timeout {
                function,
                limit: std::time::Duration::ZERO,
            },
            Some(code) => Error::Trap {
                function,
                code: Some(*code),
                message: format!("{err:?}"),
            },
            None => Error::Trap {
                function,
                code: None,
                message: format!("{err:?}"),
            },
        }
    }

    /// True for the errors after which the guest instance may be inconsistent and is replaced
    /// (after a call; a handle's `OutOfMemory` is decided in `Guest::new_handle`).
    #[inline]
    pub(crate) fn poisons_instance(&self) -> bool {
        matches!(
            self,
            Error::Trap { .. }
                | Error::Callback { .. }
                | Error::Guest { .. }
                | Error::Timeout { .. }
                | Error::OutOfMemory { .. }
        )
    }
}
