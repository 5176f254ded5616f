//! The object-side half of guest buffers ([`crate::GuestBuffer`]): making one, and the caller's
//! reads and writes, each checked like a handle argument (this object's, its instance not
//! re-created since) and bounded by the buffer.

use super::{Exports, Guest};
use crate::buffer::{range_in, GuestBuffer, BUFFER_TYPE};
use crate::Error;

/// The largest guest buffer: a wasm32 guest's sizes are `i32` in C (`int srcSize`).
const MAX_BUFFER: usize = i32::MAX as usize;

impl<E: Exports> Guest<E> {
    /// A zeroed guest buffer of `size` bytes from the guest's persistent allocator (16-aligned);
    /// the errors of [`Guest::new_handle`], or [`Error::Argument`] over `i32::MAX` bytes.
    pub fn new_buffer(&mut self, size: usize) -> Result<GuestBuffer, Error> {
        if size > MAX_BUFFER {
            return Err(Error::Argument {
                function: "buffer",
                message: format!(
                    "size {size} is more than {MAX_BUFFER}, the most a guest buffer holds"
                ),
            });
        }
        let handle = self.new_handle(BUFFER_TYPE, size as u32, 16)?;
        Ok(GuestBuffer {
            handle: std::sync::Arc::new(handle),
        })
    }

    /// Copies `data` into `buffer` at `offset`.
    pub fn write_buffer(
        &mut self,
        buffer: &GuestBuffer,
        offset: usize,
        data: &[u8],
    ) -> Result<(), Error> {
        const WHAT: &str = "write_buffer";
        let (at, n) = self.buffer_range(buffer, offset, data.len(), WHAT)?;
        let memory = self.live.memory.data_mut(&mut self.live.store);
        let target = memory
            .get_mut(crate::call::span(at, n))
            .ok_or_else(|| lost(WHAT))?;
        target.copy_from_slice(data);
        Ok(())
    }

    /// Copies `len` bytes of `buffer` at `offset` out.
    pub fn read_buffer(
        &mut self,
        buffer: &GuestBuffer,
        offset: usize,
        len: usize,
    ) -> Result<Vec<u8>, Error> {
        const WHAT: &str = "read_buffer";
        let (at, n) = self.buffer_range(buffer, offset, len, WHAT)?;
        let memory = self.live.memory.data(&self.live.store);
        memory
            .get(crate::call::span(at, n))
            .map(<[u8]>::to_vec)
            .ok_or_else(|| lost(WHAT))
    }

    /// The guest address of `buffer`'s `[offset, offset + len)`, after the handle checks.
    fn buffer_range(
        &self,
        buffer: &GuestBuffer,
        offset: usize,
        len: usize,
        what: &'static str,
    ) -> Result<(u32, u32), Error> {
        let h = &buffer.handle;
        let stale = if h.owner != self.owner {
            Some("was made by another binding object")
        } else if h.generation != self.generation {
            Some("was made before the guest trapped and was re-instantiated; its contents are lost, make a new one")
        } else {
            None
        };
        if let Some(why) = stale {
            return Err(Error::Argument {
                function: what,
                message: format!("the GuestBuffer {why}"),
            });
        }
        let (at, n) = range_in(h.size, offset, len, what)?;
        Ok((h.ptr + at, n))
    }
}

/// A live buffer outside guest memory: the guest shrank its memory under it (not possible in
/// wasm today), reported rather than assumed away.
fn lost(what: &'static str) -> Error {
    Error::Guest {
        function: what,
        message: "the GuestBuffer lies outside the guest's memory".into(),
    }
}
