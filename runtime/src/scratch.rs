//! The scratch block: one persistent guest block per instance that small call frames use
//! instead of an arena allocation, so a small call enters the guest twice (the function, then
//! the arena reset) instead of three times (issue 16; the Python runtime's fast path does the
//! same with `_WB_SCRATCH`).

use crate::call::Call;
use crate::handle::PERSIST_ALLOC;
use crate::Error;

/// Frames of at most this many bytes use the scratch block.
pub(crate) const SCRATCH: u32 = 16 * 1024;

/// An instance's scratch block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scratch {
    /// Not asked for yet: the first small frame asks `wb_persist_alloc` for it.
    Untried,
    /// The guest exports no persistent allocator, or it had no room: frames use the arena.
    Unavailable,
    /// At this guest address, checked like a handle's block and registered as a live block
    /// (no arena or handle allocation may overlap it); it lives as long as the instance.
    At(u32),
}

impl Call<'_> {
    /// The scratch block's address (allocated by the first small frame), or `None` when the
    /// guest has none. Like every allocator answer, the block must be 8-byte aligned, lie in
    /// `[__heap_base, memory end)` and overlap no live block, else [`Error::Guest`] (and the
    /// instance is replaced); an allocator that returns 0 leaves the arena to every frame.
    #[inline]
    pub(crate) fn scratch_base(&mut self) -> Result<Option<u32>, Error> {
        match *self.scratch {
            Scratch::At(base) => Ok(Some(base)),
            Scratch::Unavailable => Ok(None),
            Scratch::Untried => self.first_scratch(),
        }
    }

    /// The first small frame of an instance: asks the guest for the scratch block.
    #[cold]
    fn first_scratch(&mut self) -> Result<Option<u32>, Error> {
        let Some(persist_alloc) = self.persist_alloc else {
            *self.scratch = Scratch::Unavailable;
            return Ok(None);
        };
        let base = persist_alloc
            .call(&mut *self.store, SCRATCH)
            .map_err(|e| Error::from_call(PERSIST_ALLOC, e))?;
        if base == 0 {
            *self.scratch = Scratch::Unavailable;
            return Ok(None);
        }
        let said =
            |m: String| format!("`{PERSIST_ALLOC}({SCRATCH})` (the scratch block) returned {m}");
        if base % 8 != 0 {
            return Err(self.guest_error(said(format!("{base:#x}, which is not 8-byte aligned"))));
        }
        let memory_size = self.memory.data_size(&*self.store);
        crate::guest::check_block(base, SCRATCH, self.heap_base, memory_size, self.blocks)
            .map_err(|m| self.guest_error(said(m)))?;
        self.blocks.insert(base, SCRATCH);
        *self.scratch = Scratch::At(base);
        Ok(Some(base))
    }
}
