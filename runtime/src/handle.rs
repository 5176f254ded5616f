//! Handles: C context objects (`crypto_blake2b_ctx *`) that live in guest memory across calls.
//!
//! A handle is a block from the guest's persistent allocator (`wb_persist_alloc`, zeroed; see
//! the arena ABI in `guest-kit/wb_arena.h`), owned by the Rust value. Dropping it queues the
//! block for `wb_persist_free` (which wipes it) at the owning object's next call, so `Drop`
//! needs no access to the guest. A handle is only valid with the object that made it, and only
//! until that object's guest is re-instantiated after a trap (its state is gone then); using it
//! elsewhere is an [`crate::Error::Argument`].

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// The persistent-allocation export (`size -> ptr`, 0 on failure).
pub const PERSIST_ALLOC: &str = "wb_persist_alloc";
/// The persistent-free export (`(ptr, size)`; wipes the block).
pub const PERSIST_FREE: &str = "wb_persist_free";

/// Blocks whose handles were dropped, waiting for the owner's next call to free them.
#[derive(Default)]
pub(crate) struct Pending {
    pub(crate) any: AtomicBool,
    pub(crate) blocks: Mutex<Vec<(u32, u32, u64)>>,
    /// Library-owned handles dropped unclosed: (destructor export, pointer, generation).
    pub(crate) owned: Mutex<Vec<(&'static str, u32, u64)>>,
}

/// A unique id per `Guest`, so a handle can't be used with another object.
pub(crate) fn next_owner_id() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// A C object in guest memory, owned by Rust. Generated code wraps it in one type per C struct.
pub struct Handle {
    pub(crate) ptr: u32,
    pub(crate) size: u32,
    pub(crate) generation: u64,
    pub(crate) owner: u64,
    pub(crate) type_name: &'static str,
    pub(crate) pending: Arc<Pending>,
    /// Guest buffers the library points into (`kept` spans passed with this handle), held until
    /// the handle is dropped.
    pub(crate) held: Mutex<Vec<Arc<Handle>>>,
}

impl Handle {
    /// The C struct's name.
    pub fn type_name(&self) -> &'static str {
        self.type_name
    }
}

impl std::fmt::Debug for Handle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Handle<{}>({:#x})", self.type_name, self.ptr)
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        let mut blocks = self
            .pending
            .blocks
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        blocks.push((self.ptr, self.size, self.generation));
        self.pending.any.store(true, Ordering::Release);
    }
}
