//! The one error type of generated bindings: what went wrong in a guest call and whose fault it is.

/// Why a binding call (or creating a binding object) failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The C function returned a non-zero status (only functions whose `int` return is a status).
    #[error("`{function}` failed with status {status}")]
    Status {
        /// The C function.
        function: &'static str,
        /// The status it returned.
        status: i32,
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
    /// The guest broke the arena ABI: its allocator returned 0 or a pointer outside linear memory,
    /// or a return value is out of range for its C type.
    #[error("guest broke the ABI in `{function}`: {message}")]
    Guest {
        /// The C function being called.
        function: &'static str,
        /// What it did.
        message: String,
    },
    /// An argument cannot be passed to the guest: inputs that share a size parameter have
    /// different lengths, or a length does not fit the C size type or guest memory.
    #[error("invalid argument to `{function}`: {message}")]
    Argument {
        /// The C function.
        function: &'static str,
        /// What is wrong and what was expected.
        message: String,
    },
    /// The guest cannot be loaded: unreadable file, invalid wasm, an export missing or with the
    /// wrong signature, an import the host cannot provide.
    #[error("cannot load guest: {0}")]
    Load(String),
}

impl Error {
    /// Builds a [`Error::Trap`] (or, for an error that is not a trap, a [`Error::Guest`]) from
    /// what wasmtime returned for a call.
    #[cold]
    pub(crate) fn from_call(function: &'static str, err: wasmtime::Error) -> Error {
        match err.downcast_ref::<wasmtime::Trap>() {
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

    /// True for the errors after which the guest instance may be inconsistent and is replaced.
    #[inline]
    pub(crate) fn poisons_instance(&self) -> bool {
        matches!(self, Error::Trap { .. } | Error::Guest { .. })
    }
}
