//! What a generated wrapper does after the bound call when it calls the guest again (config
//! `[module] status = { ..., message = "..." }`, `return = "bytes(<length call>)"`, `"text(...)"`,
//! `"str, nullable"`): a status error with the library's message, data copied out with a length
//! another call reported, text decoded strictly.

use wasmtime::{TypedFunc, WasmParams};

use crate::{Call, Error};

/// The most bytes of a status message read before its NUL (the generator's `MESSAGE_MAX`).
const MESSAGE_MAX: usize = 4096;

impl Call<'_> {
    /// [`Error::Status`] for `status`, carrying `message`.
    #[cold]
    pub fn failed(&self, status: i32, message: Option<String>) -> Error {
        Error::Status {
            function: self.function,
            status,
            message,
        }
    }

    /// A failed call's message: calls `func` (e.g. `sqlite3_errmsg`) and reads the NUL-terminated
    /// string it returns, at most 4096 bytes (cut there), invalid UTF-8 replaced. NULL or an
    /// address outside guest memory is `None`: a message never hides the status it explains.
    /// A trap in `func` is an error like any trap.
    pub fn message<P: WasmParams>(
        &mut self,
        func: &TypedFunc<P, u32>,
        params: P,
    ) -> Result<Option<String>, Error> {
        let ptr = self.invoke(func, params)?;
        if ptr == 0 {
            return Ok(None);
        }
        let mem = self.memory.data(&*self.store);
        let Some(tail) = usize::try_from(ptr).ok().and_then(|p| mem.get(p..)) else {
            return Ok(None);
        };
        let window = &tail[..tail.len().min(MESSAGE_MAX)];
        let end = window.iter().position(|&b| b == 0).unwrap_or(window.len());
        Ok(Some(String::from_utf8_lossy(&window[..end]).into_owned()))
    }

    /// The `len` bytes a function returned at `ptr`, whose length another call reported: copied
    /// out at once, bounds-checked ([`Error::Guest`] outside guest memory, never an over-read).
    /// NULL with a length of 0 is `None`; a negative length, or NULL with a length above 0, is an
    /// [`Error::Guest`].
    pub fn data(&mut self, ptr: u32, len: i64) -> Result<Option<Vec<u8>>, Error> {
        let Ok(n) = usize::try_from(len) else {
            return Err(Error::Guest {
                function: self.function,
                message: format!("its length call returned {len}, a negative length"),
            });
        };
        if ptr == 0 {
            if n == 0 {
                return Ok(None);
            }
            return Err(Error::Guest {
                function: self.function,
                message: format!("returned NULL with a length of {n} bytes"),
            });
        }
        self.read_vec::<u8>(ptr, n).map(Some)
    }

    /// Returned text decoded as strict UTF-8; invalid UTF-8 is [`Error::Text`] (holding the bytes).
    pub fn utf8(&self, bytes: Vec<u8>) -> Result<String, Error> {
        String::from_utf8(bytes).map_err(|error| Error::Text {
            function: self.function,
            error,
        })
    }

    /// Like [`Call::read_c_str`], but a NULL pointer is `None` (a `str, nullable` return).
    pub fn read_c_str_or_none(&mut self, ptr: u32, max_len: u32) -> Result<Option<String>, Error> {
        if ptr == 0 {
            return Ok(None);
        }
        self.read_c_str(ptr, max_len).map(Some)
    }
}
