//! Views of guest memory for a wrapper's copy phases: ONE memory slice taken after the block is
//! allocated for all its input writes ([`Inputs`], from [`Call::inputs`]) and one after the call
//! for all its output reads ([`Outputs`], from [`Call::outputs`]), instead of a store lookup per
//! copy (issue 16). Every access is still bounds-checked against linear memory, and the block's
//! "zero or written" rule ([`Call::seal`]) is kept by the same code `Call::write` runs.
//!
//! The small methods are `#[inline(always)]`: called out of line, each returned its `Result`
//! through memory and the wrapper's wider reload of it stalled store forwarding (the 64 B
//! profile of `tests/benches/rust_bindings.rs` showed those reloads as the hottest glue).

use std::ops::Range;

use crate::call::Call;
use crate::frame::Elem;
use crate::Error;

/// Guest memory open for writing the call's inputs: `Call::write` without a store lookup per
/// copy. Borrows the [`Call`]; it is dropped (or [`Inputs::seal`]ed) before the guest is invoked.
pub struct Inputs<'a> {
    mem: &'a mut [u8],
    /// The call's block (base, size), if allocated.
    block: Option<(u32, u32)>,
    /// The block's bytes below this address are zeroed or written by the host (`Call::clean_to`).
    clean_to: &'a mut u32,
    function: &'static str,
}

/// Guest memory open for reading the call's outputs after the guest ran: `Call::read_*` without
/// a store lookup per copy. Borrows the [`Call`] shared, so its `&self` checks stay callable.
pub struct Outputs<'a> {
    mem: &'a [u8],
    function: &'static str,
}

impl Call<'_> {
    /// Opens guest memory for the call's input writes (one store lookup for all of them).
    #[inline(always)]
    pub fn inputs(&mut self) -> Inputs<'_> {
        Inputs {
            mem: self.memory.data_mut(&mut *self.store),
            block: self.block,
            clean_to: &mut self.clean_to,
            function: self.function,
        }
    }

    /// Opens guest memory for the call's output reads (one store lookup for all of them). Only
    /// after the block is sealed (every byte zero or an input: [`Call::invoke`] seals it before
    /// the guest runs); before, an [`Error::Host`], never a read of unzeroed bytes.
    #[inline(always)]
    pub fn outputs(&self) -> Result<Outputs<'_>, Error> {
        if let Some((base, size)) = self.block {
            if self.clean_to < base.saturating_add(size) {
                return Err(unsealed(self.function));
            }
        }
        Ok(Outputs {
            mem: self.memory.data(&*self.store),
            function: self.function,
        })
    }
}

impl Inputs<'_> {
    /// Copies `src` into guest memory at `ptr` (bounds-checked; inside the block, the bytes
    /// between the last write and this one are zeroed first, see [`Call::seal`]).
    #[inline(always)]
    pub fn write<T: Elem>(&mut self, ptr: u32, src: &[T]) -> Result<(), Error> {
        let range = range_of::<T>(ptr, src.len(), self.function)?;
        let (start, end) = (range.start, range.end);
        match self.mem.get_mut(range) {
            Some(dst) => T::encode(src, dst),
            None => return Err(out_of_bounds(ptr, self.function)),
        }
        note_written(self.mem, self.block, self.clean_to, start, end);
        Ok(())
    }

    /// Copies `s` and a terminating 0 to `ptr` (a slot of `s.len() + 1` bytes).
    #[inline(always)]
    pub fn write_c_str(&mut self, ptr: u32, s: &str) -> Result<(), Error> {
        self.write(ptr, s.as_bytes())?;
        let end = u32::try_from(s.len()).ok().and_then(|n| ptr.checked_add(n));
        self.write(
            end.ok_or_else(|| out_of_bounds(ptr, self.function))?,
            &[0u8],
        )
    }

    /// Zeroes what is left of the block past the last write, so that invoking the guest next
    /// needs no store lookup of its own for it ([`Call::seal`] finds nothing left to do).
    #[inline(always)]
    pub fn seal(self) -> Result<(), Error> {
        let Some((base, size)) = self.block else {
            return Ok(());
        };
        let end = base.saturating_add(size);
        if *self.clean_to >= end {
            return Ok(());
        }
        let from = *self.clean_to;
        match self.mem.get_mut(crate::call::span(from, end - from)) {
            Some(bytes) => bytes.fill(0),
            None => return Err(out_of_bounds(from, self.function)),
        }
        *self.clean_to = end;
        Ok(())
    }
}

impl Outputs<'_> {
    /// Reads `count` elements at `ptr` into a new vector.
    #[inline(always)]
    pub fn read_vec<T: Elem>(&self, ptr: u32, count: usize) -> Result<Vec<T>, Error> {
        let range = range_of::<T>(ptr, count, self.function)?;
        match self.mem.get(range) {
            Some(src) => Ok(T::decode_vec(src)),
            None => Err(out_of_bounds(ptr, self.function)),
        }
    }

    /// Reads `N` elements at `ptr` into an array.
    #[inline(always)]
    pub fn read_array<T: Elem, const N: usize>(&self, ptr: u32) -> Result<[T; N], Error> {
        let mut out = [T::default(); N];
        self.read_into(ptr, &mut out)?;
        Ok(out)
    }

    /// Reads `N` elements at `ptr` into a heap array (large fixed outputs: never on the stack).
    #[inline(always)]
    pub fn read_boxed_array<T: Elem, const N: usize>(
        &self,
        ptr: u32,
    ) -> Result<Box<[T; N]>, Error> {
        let v = self.read_vec::<T>(ptr, N)?;
        v.into_boxed_slice()
            .try_into()
            .map_err(|_| out_of_bounds(ptr, self.function))
    }

    /// Reads `dst.len()` elements at `ptr` into `dst` (the write-back of in/out buffers).
    #[inline(always)]
    pub fn read_into<T: Elem>(&self, ptr: u32, dst: &mut [T]) -> Result<(), Error> {
        let range = range_of::<T>(ptr, dst.len(), self.function)?;
        match self.mem.get(range) {
            Some(src) => {
                T::decode(src, dst);
                Ok(())
            }
            None => Err(out_of_bounds(ptr, self.function)),
        }
    }
}

/// After the host wrote `start .. end` (host indices): zeroes the gap between `clean_to` and
/// `start` inside the block and moves `clean_to` past the write, so that the block's bytes
/// below `clean_to` stay "zero or written". A write behind `clean_to` or outside the block
/// leaves it where it is.
#[inline(always)]
fn note_written(
    mem: &mut [u8],
    block: Option<(u32, u32)>,
    clean_to: &mut u32,
    start: usize,
    end: usize,
) {
    let Some((base, size)) = block else {
        return;
    };
    let block_end = usize::try_from(base.saturating_add(size)).unwrap_or(usize::MAX);
    let clean = usize::try_from(*clean_to).unwrap_or(usize::MAX);
    if start > block_end || end <= clean {
        return;
    }
    if start > clean {
        // In bounds: the block was checked to lie in memory, and `start <= block_end`.
        if let Some(gap) = mem.get_mut(clean..start) {
            gap.fill(0);
        } else {
            return;
        }
    }
    *clean_to = u32::try_from(end.min(block_end)).unwrap_or(*clean_to);
}

/// The byte range `ptr .. ptr + count * T::SIZE` in host `usize`s, overflow-checked. Whether
/// it lies in memory is checked where memory is accessed (`get` / `get_mut` on the slice).
#[inline(always)]
fn range_of<T: Elem>(
    ptr: u32,
    count: usize,
    function: &'static str,
) -> Result<Range<usize>, Error> {
    let start = usize::try_from(ptr).map_err(|_| out_of_bounds(ptr, function))?;
    let end = count
        .checked_mul(T::SIZE)
        .and_then(|bytes| start.checked_add(bytes))
        .ok_or_else(|| out_of_bounds(ptr, function))?;
    Ok(start..end)
}

/// The error of reading outputs before the block was sealed (a generator bug, never a guest's).
#[cold]
fn unsealed(function: &'static str) -> Error {
    Error::Host {
        function,
        message: "outputs read before the call's block was sealed".into(),
    }
}

/// The error of an access outside guest memory: the guest handed out a bad pointer or length.
#[cold]
pub(crate) fn out_of_bounds(ptr: u32, function: &'static str) -> Error {
    Error::Guest {
        function,
        message: format!("pointer {ptr:#x} (with its length) lies outside guest memory"),
    }
}
