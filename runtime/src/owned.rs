//! Library-owned handles: pointers the guest library allocated itself (`sqlite3 *`,
//! `LZ4_stream_t *`, `gzFile`), handed out by a return or through `T **` and passed back as they
//! are. Generated code wraps an [`Owned`] in one type per C struct.
//!
//! Freeing: [`Owned`] is a shared reference (`Clone`; a borrowed return equal to a live handle
//! is that handle). When the last clone of an owned handle is dropped without `close`, its
//! destructor is queued and called at the owning object's next call (`Drop` has no access to the
//! guest), children before parents (a child holds its parent, so it is dropped first). An
//! explicit `close(&mut owner)` closes the live children first (newest first), then calls the
//! destructor at once. Either way it runs exactly once, and never into an instance re-created
//! after a trap (the handles of the old one fail with [`crate::Error::Handle`]).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Weak};

use crate::handle::Pending;

/// A library-owned handle of one guest object: the pointer the library handed out.
#[derive(Clone)]
pub struct Owned(pub(crate) Arc<Inner>);

pub(crate) struct Inner {
    pub(crate) ptr: u32,
    pub(crate) type_name: &'static str,
    /// `None` for a borrowed handle (the library keeps ownership) or a type without one.
    pub(crate) destructor: Option<&'static str>,
    pub(crate) owner: u64,
    pub(crate) generation: u64,
    /// Set once, by [`close_order`] (under the `state` lock, so exactly one closer takes the
    /// children); read without the lock by every call that passes the handle.
    pub(crate) closed: AtomicBool,
    pub(crate) state: Mutex<State>,
    /// The parent handle, kept alive by this one.
    pub(crate) _parent: Option<Owned>,
    pub(crate) pending: Arc<Pending>,
}

#[derive(Default)]
pub(crate) struct State {
    pub(crate) children: Vec<Weak<Inner>>,
    /// Guest buffers the library points into (`kept` spans passed with this handle), kept alive
    /// until it is closed or dropped.
    pub(crate) held: Vec<Arc<crate::handle::Handle>>,
}

impl Owned {
    /// The C struct's name.
    pub fn type_name(&self) -> &'static str {
        self.0.type_name
    }

    /// True once closed (directly or through its parent).
    pub fn is_closed(&self) -> bool {
        self.0.is_closed()
    }

    /// True when the library keeps ownership (closing only forgets it).
    pub fn is_borrowed(&self) -> bool {
        self.0.destructor.is_none()
    }

    /// The guest pointer (for diagnostics; passing it anywhere else is not checked).
    pub fn ptr(&self) -> u32 {
        self.0.ptr
    }
}

impl Inner {
    pub(crate) fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// True once closed: one atomic load (the check every call passing the handle makes).
    #[inline]
    pub(crate) fn is_closed(&self) -> bool {
        self.closed.load(Ordering::Acquire)
    }
}

impl std::fmt::Debug for Owned {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = if self.is_closed() {
            "closed"
        } else if self.is_borrowed() {
            "borrowed"
        } else {
            "open"
        };
        write!(
            f,
            "Owned<{} *>({:#x}, {state})",
            self.0.type_name, self.0.ptr
        )
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        if *self.closed.get_mut() {
            return;
        }
        let Some(destructor) = self.destructor else {
            return;
        };
        let mut queue = self.pending.owned.lock().unwrap_or_else(|p| p.into_inner());
        queue.push((destructor, self.ptr, self.generation));
        self.pending.any.store(true, Ordering::Release);
    }
}

/// The live library-owned handles of one instance, by pointer (borrowed returns find them).
#[derive(Default)]
pub(crate) struct Registry {
    pub(crate) by_ptr: HashMap<u32, Weak<Inner>>,
}

impl Registry {
    /// The live, open handle of `ptr`, if any.
    pub(crate) fn live(&self, ptr: u32) -> Option<Arc<Inner>> {
        self.by_ptr
            .get(&ptr)
            .and_then(Weak::upgrade)
            .filter(|h| !h.is_closed())
    }
}

/// Marks `h` and its live descendants closed, returning the destructor calls to make, children
/// first (newest first), `h` last.
pub(crate) fn close_order(h: &Arc<Inner>, out: &mut Vec<(&'static str, u32, u64)>) {
    let children = {
        let mut state = h.lock();
        if h.closed.swap(true, Ordering::AcqRel) {
            return;
        }
        state.held.clear();
        std::mem::take(&mut state.children)
    };
    for child in children.iter().rev().filter_map(Weak::upgrade) {
        close_order(&child, out);
    }
    if let Some(d) = h.destructor {
        out.push((d, h.ptr, h.generation));
    }
}
