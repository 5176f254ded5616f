//! Guest buffers: guest memory the caller owns, for the parameters a library keeps after a call
//! returns (`kept`: LZ4's streaming input and output, a dictionary).
//!
//! A [`GuestBuffer`] is a block from the guest's persistent allocator (like a [`Handle`], whose
//! rules it follows: zeroed when made, wiped and freed at the owning object's next call after it
//! is dropped, valid only with the object that made it and until that object's guest is
//! re-instantiated after a trap). It is not copied per call: a `kept` parameter takes a
//! [`GuestSpan`] of it and the function gets its very address. The caller writes and reads it
//! through the generated object (`write_buffer`, `read_buffer`), which checks the same rules.
//! The handles passed in the same call as a span (LZ4's stream, a caller-owned context struct) and
//! those the call hands out hold the buffer until they are closed or dropped; a function with no
//! handle has its object hold the buffer passed there last. So the memory the library points into
//! outlives the caller's `GuestBuffer`.

use std::sync::Arc;

use crate::handle::Handle;
use crate::Error;

/// Guest memory the caller owns (see the module documentation). Made by the generated object's
/// `buffer(size)`.
#[derive(Debug)]
pub struct GuestBuffer {
    /// Shared with the library-owned handles that hold it: freed when the last one lets go.
    pub(crate) handle: Arc<Handle>,
}

impl GuestBuffer {
    /// Its size in bytes.
    pub fn len(&self) -> usize {
        self.handle.size as usize
    }

    /// True for a buffer of 0 bytes.
    pub fn is_empty(&self) -> bool {
        self.handle.size == 0
    }

    /// The `len` bytes at `offset`, to pass to a `kept` parameter; [`Error::Argument`] when they
    /// do not lie inside the buffer.
    pub fn span(&self, offset: usize, len: usize) -> Result<GuestSpan<'_>, Error> {
        let (offset, len) = range_in(self.handle.size, offset, len, "GuestBuffer::span")?;
        Ok(GuestSpan {
            buffer: self,
            offset,
            len,
        })
    }

    /// The whole buffer as one span.
    pub fn all(&self) -> GuestSpan<'_> {
        GuestSpan {
            buffer: self,
            offset: 0,
            len: self.handle.size,
        }
    }
}

/// `len` bytes at `offset` of a [`GuestBuffer`] ([`GuestBuffer::span`], [`GuestBuffer::all`]):
/// what a `kept` parameter takes, by address. A size parameter of the function gets its length.
#[derive(Debug, Clone, Copy)]
pub struct GuestSpan<'a> {
    pub(crate) buffer: &'a GuestBuffer,
    pub(crate) offset: u32,
    pub(crate) len: u32,
}

impl GuestSpan<'_> {
    /// Its length in bytes.
    pub fn len(&self) -> usize {
        self.len as usize
    }

    /// True for an empty span.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Where it starts in its buffer.
    pub fn offset(&self) -> usize {
        self.offset as usize
    }
}

impl<'a> From<&'a GuestBuffer> for GuestSpan<'a> {
    fn from(buffer: &'a GuestBuffer) -> Self {
        buffer.all()
    }
}

/// A handle passed in the same call as a `kept` span, which then holds the span's buffer.
#[derive(Debug, Clone, Copy)]
pub enum Holder<'a> {
    /// A library-owned handle: holds it until closed or dropped.
    Owned(&'a crate::Owned),
    /// A caller-owned handle: holds it until dropped.
    Handle(&'a Handle),
}

/// Adds `buffer` to `held` once.
fn hold_in(held: &mut Vec<Arc<Handle>>, buffer: &Arc<Handle>) {
    if !held.iter().any(|b| Arc::ptr_eq(b, buffer)) {
        held.push(Arc::clone(buffer));
    }
}

impl Holder<'_> {
    /// Makes this handle hold `span`'s buffer (a closed library-owned handle holds nothing).
    pub(crate) fn hold(&self, span: &GuestSpan<'_>) {
        let buffer = &span.buffer.handle;
        match self {
            Holder::Owned(h) => {
                let mut state = h.0.lock();
                if !h.0.is_closed() {
                    hold_in(&mut state.held, buffer);
                }
            }
            Holder::Handle(h) => {
                hold_in(
                    &mut h.held.lock().unwrap_or_else(|p| p.into_inner()),
                    buffer,
                );
            }
        }
    }
}

/// The buffers an instance holds for `kept` parameters of functions with no handle to hold them,
/// by `"function.param"` (see [`crate::Call::kept`]).
pub(crate) type KeptSlots = std::collections::HashMap<&'static str, Arc<Handle>>;

/// The type name guest buffers' blocks carry (in messages).
pub(crate) const BUFFER_TYPE: &str = "GuestBuffer";

/// `[offset, offset + len)` of a buffer of `size` bytes, or the error naming `what`.
pub(crate) fn range_in(
    size: u32,
    offset: usize,
    len: usize,
    what: &'static str,
) -> Result<(u32, u32), Error> {
    match offset.checked_add(len) {
        Some(end) if end <= size as usize => Ok((offset as u32, len as u32)),
        _ => Err(Error::Argument {
            function: what,
            message: format!("offset {offset}, length {len} is outside the buffer's {size} bytes"),
        }),
    }
}
