//! One call in flight: what a generated wrapper does inside `Guest::call` — one block (the
//! scratch block or one arena allocation), bounds-checked copies in and out (every guest pointer a `u32`), the typed
//! invocation, and the checks on what comes back (status, ranges, strings, handles).

use std::collections::BTreeMap;
use std::ops::Range;

use wasmtime::{Memory, Store, TypedFunc, WasmParams, WasmResults};

use crate::wasi::Host;

/// The smallest block a call with regions allocates (the generator's `plan::layout::MIN_BLOCK`).
const MIN_BLOCK: u32 = 8;

use crate::frame::{Block, Elem, Frame};
use crate::handle::Handle;
use crate::Error;

/// One call in flight: guest memory access (every pointer a bounds-checked `u32`) and invoking.
pub struct Call<'a> {
    pub(crate) store: &'a mut Store<Host>,
    pub(crate) memory: Memory,
    pub(crate) alloc: &'a TypedFunc<u32, u32>,
    pub(crate) alloc_name: &'static str,
    pub(crate) function: &'static str,
    pub(crate) owner: u64,
    pub(crate) generation: u64,
    /// The guest's `__heap_base` (at least 1).
    pub(crate) heap_base: u32,
    /// Live persistent blocks (start -> size) an allocation must not overlap (the scratch
    /// block is added when it is allocated).
    pub(crate) blocks: &'a mut BTreeMap<u32, u32>,
    /// The instance's scratch block ([`crate::scratch`]) and the allocator that makes it.
    pub(crate) scratch: &'a mut crate::scratch::Scratch,
    pub(crate) persist_alloc: Option<&'a TypedFunc<u32, u32>>,
    /// The object's memory cap: a frame larger than it is refused before the guest runs.
    pub(crate) max_memory: u64,
    /// The frame allocated by [`Call::alloc`] (base, size): zeroed by the host after the call.
    pub(crate) block: Option<(u32, u32)>,
    /// The block's bytes below this address are already zeroed or written by the host; the rest
    /// is zeroed before anything else reads the block or the guest runs ([`Call::seal`]).
    pub(crate) clean_to: u32,
    /// The instance's callback slots ([`crate::callback`]).
    pub(crate) callbacks: &'a mut crate::callback::Slots,
    /// The object's `max_wasm_stack` (the stack of the thread a call with callbacks runs on).
    pub(crate) max_wasm_stack: usize,
    /// The instance's library-owned handles, by pointer.
    pub(crate) owned: &'a mut crate::owned::Registry,
    /// Where dropped handles queue their destructors.
    pub(crate) pending: &'a std::sync::Arc<crate::handle::Pending>,
    /// The instance's held buffers of `kept` parameters without a handle ([`Call::kept`]).
    pub(crate) kept_slots: &'a mut crate::buffer::KeptSlots,
}

/// `ptr .. ptr + size` as host indices (saturating: an out-of-memory range just fails `get`).
#[inline]
pub(crate) fn span(ptr: u32, size: u32) -> Range<usize> {
    let start = usize::try_from(ptr).unwrap_or(usize::MAX);
    start..start.saturating_add(usize::try_from(size).unwrap_or(usize::MAX))
}

impl Call<'_> {
    /// The C function being called.
    #[inline]
    pub fn function(&self) -> &'static str {
        self.function
    }

    /// Gets the whole frame with ONE allocation and checks it: a frame of at most 16 KiB uses
    /// the instance's scratch block ([`crate::scratch`]: no guest call), a larger one (or any,
    /// when the guest has no persistent allocator) one arena allocation.
    ///
    /// Before the guest runs: a frame larger than the object's `max_memory` is an
    /// [`Error::Argument`]. After: 0 is [`Error::OutOfMemory`]; a block that is misaligned,
    /// below `__heap_base`, past the end of memory (a negative `i32`, an end that overflows 32
    /// bits) or overlapping a live handle's block is an [`Error::Guest`]. Every byte of the
    /// block the host does not copy an input into is zeroed before the guest runs (or anything
    /// reads the block), so an output the guest does not write reads as zeros, never as stale
    /// data; input bytes are not zeroed only to be overwritten ([`Call::write`], [`Call::seal`]).
    #[inline]
    pub fn alloc(&mut self, frame: &Frame) -> Result<Block, Error> {
        // A call with regions gets a real block even when every region is empty (the plan's
        // rule, `bindgen_core::plan::layout::MIN_BLOCK`): its pointers must be real addresses.
        let size = frame.size().max(MIN_BLOCK);
        if u64::from(size) > self.max_memory {
            return Err(Error::Argument {
                function: self.function,
                message: format!(
                    "the call's buffers need {size} bytes of guest memory, more than max_memory ({} bytes)",
                    self.max_memory
                ),
            });
        }
        if size <= crate::scratch::SCRATCH {
            if let Some(base) = self.scratch_base()? {
                self.block = Some((base, size));
                self.clean_to = base;
                return Ok(Block { base });
            }
        }
        self.alloc_arena(frame, size)
    }

    /// [`Call::alloc`] of a frame the scratch block does not take: one arena allocation, checked.
    fn alloc_arena(&mut self, frame: &Frame, size: u32) -> Result<Block, Error> {
        let base = self
            .alloc
            .call(&mut *self.store, size)
            .map_err(|e| Error::from_call(self.alloc_name, e))?;
        if base == 0 {
            return Err(Error::OutOfMemory {
                function: self.function,
                size,
            });
        }
        if base % 8 != 0 {
            return Err(self.guest_error(format!(
                "`{}` returned {base:#x}, which is not 8-byte aligned",
                self.alloc_name
            )));
        }
        let memory_size = self.memory.data_size(&*self.store);
        crate::guest::check_block(base, size, self.heap_base, memory_size, self.blocks)
            .map_err(|m| self.guest_error(format!("`{}({size})` returned {m}", self.alloc_name)))?;
        // Zeroed lazily: bytes the host copies an input into are not zeroed first (`write`),
        // every other byte is before anything reads the block or the guest runs (`seal`).
        self.block = Some((base, size));
        self.clean_to = base;
        debug_assert_eq!(frame.function(), self.function);
        Ok(Block { base })
    }

    /// Zeroes what is left of the block past `clean_to`: after this every byte of the block is
    /// zero or an input the host wrote. Called before every guest entry and every read.
    #[inline]
    pub(crate) fn seal(&mut self) -> Result<(), Error> {
        match self.block {
            Some((base, size)) if self.clean_to < base.saturating_add(size) => self.inputs().seal(),
            _ => Ok(()),
        }
    }

    /// Copies `src` into guest memory at `ptr` ([`Inputs::write`](crate::view::Inputs::write)).
    #[inline]
    pub fn write<T: Elem>(&mut self, ptr: u32, src: &[T]) -> Result<(), Error> {
        self.inputs().write(ptr, src)
    }

    /// Reads `count` elements at `ptr` into a new vector.
    #[inline]
    pub fn read_vec<T: Elem>(&mut self, ptr: u32, count: usize) -> Result<Vec<T>, Error> {
        self.seal()?;
        self.outputs()?.read_vec(ptr, count)
    }

    /// Reads `N` elements at `ptr` into an array.
    #[inline]
    pub fn read_array<T: Elem, const N: usize>(&mut self, ptr: u32) -> Result<[T; N], Error> {
        self.seal()?;
        self.outputs()?.read_array(ptr)
    }

    /// Reads `N` elements at `ptr` into a heap array (large fixed outputs: never on the stack).
    #[inline]
    pub fn read_boxed_array<T: Elem, const N: usize>(
        &mut self,
        ptr: u32,
    ) -> Result<Box<[T; N]>, Error> {
        self.seal()?;
        self.outputs()?.read_boxed_array(ptr)
    }

    /// Reads `dst.len()` elements at `ptr` into `dst` (the write-back of in/out buffers).
    #[inline]
    pub fn read_into<T: Elem>(&mut self, ptr: u32, dst: &mut [T]) -> Result<(), Error> {
        self.seal()?;
        self.outputs()?.read_into(ptr, dst)
    }

    /// The guest pointer of a handle made by this object since its last re-instantiation.
    #[inline]
    pub fn handle(&self, handle: &Handle, what: &str) -> Result<u32, Error> {
        if handle.owner != self.owner {
            return Err(Error::Argument {
                function: self.function,
                message: format!(
                    "`{what}` ({}) was made by another binding object",
                    handle.type_name
                ),
            });
        }
        if handle.generation != self.generation {
            return Err(Error::Argument {
                function: self.function,
                message: format!(
                    "`{what}` ({}) was made before the guest trapped and was re-instantiated; its state is lost, make a new one",
                    handle.type_name
                ),
            });
        }
        Ok(handle.ptr)
    }

    /// The guest address of a `kept` argument (a span of a guest buffer), after the checks of
    /// [`Call::handle`] on its buffer; each of `holders`, the handles passed in the same call
    /// (checked before), then holds the buffer (see [`crate::GuestBuffer`]), or, for a function
    /// with no handle, the instance does in `slot` (`"function.param"`: the buffer passed there
    /// last replaces the one before).
    #[inline]
    pub fn kept(
        &mut self,
        span: &crate::GuestSpan<'_>,
        what: &str,
        holders: &[crate::Holder<'_>],
        slot: Option<&'static str>,
    ) -> Result<u32, Error> {
        let ptr = self.handle(&span.buffer.handle, what)? + span.offset;
        for h in holders {
            h.hold(span);
        }
        if let Some(slot) = slot {
            self.kept_slots
                .insert(slot, std::sync::Arc::clone(&span.buffer.handle));
        }
        Ok(ptr)
    }

    /// Makes the library-owned handle `returned` (just made from the call's result) hold the
    /// buffer of the call's `kept` span.
    #[inline]
    pub fn hold(&self, returned: &crate::Owned, span: &crate::GuestSpan<'_>) {
        crate::Holder::Owned(returned).hold(span);
    }

    /// The pointer a library-owned handle argument stands for, after checking that it was
    /// made by this object, since its last re-instantiation, and is open.
    #[inline]
    pub fn owned(&self, h: &crate::Owned, what: &str) -> Result<u32, Error> {
        let inner = &h.0;
        let fail = |why: String| Error::Handle {
            function: self.function,
            message: format!("`{what}` (a `{} *`) {why}", inner.type_name),
        };
        if inner.owner != self.owner {
            return Err(fail("was made by another binding object".into()));
        }
        if inner.generation != self.generation {
            return Err(fail("was lost when the guest trapped and was re-instantiated (the library's memory is gone); open a new one".into()));
        }
        if inner.is_closed() {
            return Err(fail("is closed".into()));
        }
        Ok(inner.ptr)
    }

    /// [`Call::owned`] for a parameter that may be NULL: `None` is 0.
    #[inline]
    pub fn owned_or_null(&self, h: Option<&crate::Owned>, what: &str) -> Result<u32, Error> {
        h.map_or(Ok(0), |h| self.owned(h, what))
    }

    /// The handle of a pointer the library handed out (`None` for NULL). A borrowed pointer
    /// equal to a live handle of this instance is that handle; otherwise a new one, owned
    /// (its destructor runs once: on close, or after its last clone is dropped) unless
    /// `borrowed` or the type has no destructor, and a child of `parent`.
    pub fn owned_new(
        &mut self,
        ptr: u32,
        type_name: &'static str,
        destructor: Option<&'static str>,
        borrowed: bool,
        parent: Option<&crate::Owned>,
    ) -> Option<crate::Owned> {
        use std::sync::Arc;
        if ptr == 0 {
            return None;
        }
        let known = self.owned.live(ptr).filter(|h| h.type_name == type_name);
        if let (true, Some(h)) = (borrowed, &known) {
            return Some(crate::Owned(Arc::clone(h)));
        }
        let inner = Arc::new(crate::owned::Inner {
            ptr,
            type_name,
            destructor: if borrowed { None } else { destructor },
            owner: self.owner,
            generation: self.generation,
            closed: std::sync::atomic::AtomicBool::new(false),
            state: std::sync::Mutex::default(),
            _parent: parent.cloned(),
            pending: Arc::clone(self.pending),
        });
        if let Some(p) = parent {
            let mut state = p.0.lock();
            state.children.retain(|c| c.strong_count() > 0);
            state.children.push(Arc::downgrade(&inner));
        }
        if !borrowed || known.is_none() {
            self.owned.by_ptr.insert(ptr, Arc::downgrade(&inner));
        }
        Some(crate::Owned(inner))
    }

    /// An owned return of NULL: the library failed to make the object ([`Error::Status`] 0).
    pub fn owned_required<T>(&self, h: Option<T>) -> Result<T, Error> {
        h.ok_or(Error::Status {
            function: self.function,
            status: 0,
            message: Some("returned NULL".into()),
        })
    }

    /// Calls the export `func`; a trap becomes [`Error::Trap`].
    #[inline]
    pub fn invoke<P: WasmParams, R: WasmResults>(
        &mut self,
        func: &TypedFunc<P, R>,
        params: P,
    ) -> Result<R, Error> {
        self.seal()?;
        func.call(&mut *self.store, params)
            .map_err(|e| Error::from_call(self.function, e))
    }

    /// `Ok(())` for status 0, else [`Error::Status`].
    #[inline]
    pub fn status(&self, status: i32) -> Result<(), Error> {
        if status == 0 {
            Ok(())
        } else {
            Err(Error::Status {
                function: self.function,
                status,
                message: None,
            })
        }
    }

    /// An integer return that is an error when negative (`nonpositive`: when <= 0):
    /// [`Error::Status`] with the value (saturated to `i32`), else `Ok(())`.
    #[inline]
    pub fn checked(&self, value: i64, nonpositive: bool) -> Result<(), Error> {
        if value < 0 || (nonpositive && value == 0) {
            let status = i32::try_from(value).unwrap_or(i32::MIN);
            return Err(Error::Status {
                function: self.function,
                status,
                message: None,
            });
        }
        Ok(())
    }

    /// [`Call::checked`] for a library that explains its errors: on failure `explain` (a call of
    /// the library's message function given the failed value) gives the message the
    /// [`Error::Status`] carries.
    pub fn checked_explained<F>(
        &mut self,
        value: i64,
        nonpositive: bool,
        explain: F,
    ) -> Result<(), Error>
    where
        F: FnOnce(&mut Self) -> Result<Option<String>, Error>,
    {
        match self.checked(value, nonpositive) {
            Err(Error::Status {
                function, status, ..
            }) => Err(Error::Status {
                function,
                status,
                message: explain(self)?,
            }),
            other => other,
        }
    }

    /// A returned element count of an output buffer of `capacity` elements (after
    /// [`Call::checked`]): more than the capacity is an ABI violation, never an over-read.
    #[inline]
    pub fn filled(&self, value: i64, capacity: usize) -> Result<usize, Error> {
        match usize::try_from(value) {
            Ok(n) if n <= capacity => Ok(n),
            _ => Err(self.guest_error(format!(
                "returned a filled length of {value} for a buffer of {capacity} elements"
            ))),
        }
    }

    /// Checks that `s` (the parameter `what`) can be passed as a C string: no embedded NUL.
    #[inline]
    pub fn c_str(&self, s: &str, what: &str) -> Result<usize, Error> {
        match s.bytes().position(|b| b == 0) {
            None => Ok(s.len()),
            Some(at) => Err(Error::Argument {
                function: self.function,
                message: format!(
                    "`{what}` contains a NUL byte at {at}; C strings end at the first NUL"
                ),
            }),
        }
    }

    /// Copies `s` and a terminating 0 to `ptr` (a slot of `s.len() + 1` bytes).
    #[inline]
    pub fn write_c_str(&mut self, ptr: u32, s: &str) -> Result<(), Error> {
        self.inputs().write_c_str(ptr, s)
    }

    /// Reads a returned NUL-terminated UTF-8 string of at most `max_len` bytes at `ptr`; a NULL
    /// pointer, no NUL within `max_len` bytes or invalid UTF-8 is an ABI violation.
    pub fn read_c_str(&mut self, ptr: u32, max_len: u32) -> Result<String, Error> {
        if ptr == 0 {
            return Err(self.guest_error("returned a NULL string".into()));
        }
        self.seal()?;
        let mem = self.memory.data(&*self.store);
        let start = usize::try_from(ptr).map_err(|_| self.out_of_bounds(ptr))?;
        let window = usize::try_from(max_len)
            .unwrap_or(usize::MAX)
            .saturating_add(1);
        let Some(bytes) = mem.get(start..).map(|tail| &tail[..tail.len().min(window)]) else {
            return Err(self.out_of_bounds(ptr));
        };
        let Some(len) = bytes.iter().position(|&b| b == 0) else {
            return Err(self.guest_error(format!(
                "returned a string with no NUL within {max_len} bytes"
            )));
        };
        String::from_utf8(bytes[..len].to_vec())
            .map_err(|e| self.guest_error(format!("returned a string that is not UTF-8: {e}")))
    }

    /// The text a function wrote into an output buffer (`out_str(EXPR)`): `bytes` cut at the
    /// first NUL and decoded as UTF-8. No NUL within the buffer, or invalid UTF-8, is an ABI
    /// violation naming the parameter `what`.
    pub fn text_out(&self, bytes: &[u8], what: &str) -> Result<String, Error> {
        let Some(len) = bytes.iter().position(|&b| b == 0) else {
            return Err(
                self.guest_error(format!("`{what}`: no NUL within its {} bytes", bytes.len()))
            );
        };
        String::from_utf8(bytes[..len].to_vec()).map_err(|e| {
            self.guest_error(format!("`{what}`: the string written is not UTF-8: {e}"))
        })
    }

    /// Widens an integer to `i128`, the type computed sizes are evaluated in.
    #[inline]
    pub fn wide<T: TryInto<i128> + Copy + std::fmt::Display>(
        &self,
        value: T,
        what: &str,
    ) -> Result<i128, Error> {
        value.try_into().map_err(|_| Error::Argument {
            function: self.function,
            message: format!("`{what}` = {value} is out of range for a computed size"),
        })
    }

    /// The bound of an integer parameter (`[functions.F.max]`, the C function's contract):
    /// `Error::Argument` when `value` is larger, before the guest runs. `what` names the argument
    /// as the message shows it: "`hash_size`", "`key_size` (the length of `key`)".
    #[inline]
    pub fn at_most<T: TryInto<i128>>(&self, value: T, max: u64, what: &str) -> Result<(), Error> {
        let value: i128 = value.try_into().unwrap_or(i128::MAX);
        if value <= i128::from(max) {
            return Ok(());
        }
        Err(Error::Argument {
            function: self.function,
            message: format!("{what}: {value} is more than {max}, the most it accepts"),
        })
    }

    /// One step of a computed size (`+ - * /`, checked; division by zero is an error).
    #[inline]
    pub fn arith(&self, op: char, lhs: i128, rhs: i128, what: &str) -> Result<i128, Error> {
        let value = match op {
            '+' => lhs.checked_add(rhs),
            '-' => lhs.checked_sub(rhs),
            '*' => lhs.checked_mul(rhs),
            _ => lhs.checked_div(rhs),
        };
        value.ok_or_else(|| Error::Argument {
            function: self.function,
            message: format!(
                "computing `{what}` failed: {lhs} {op} {rhs} overflows or divides by zero"
            ),
        })
    }

    /// A computed value converted to the C type `T` (or a count in `usize`), an error when it
    /// does not fit (never a wrap). `limit` bounds it further (output counts, scratch sizes).
    #[inline]
    pub fn narrow<T: TryFrom<i128>>(
        &self,
        value: i128,
        limit: Option<i128>,
        what: &str,
    ) -> Result<T, Error> {
        let in_limit = limit.is_none_or(|max| (0..=max).contains(&value));
        match T::try_from(value) {
            Ok(v) if in_limit => Ok(v),
            _ => Err(Error::Argument {
                function: self.function,
                message: format!(
                    "computed `{what}` = {value} does not fit `{}`{}",
                    std::any::type_name::<T>(),
                    limit.map(|m| format!(" in 0..={m}")).unwrap_or_default()
                ),
            }),
        }
    }

    /// Narrows a core wasm return value to its C type; out of range is an ABI violation.
    #[inline]
    pub fn ret<T: TryFrom<W>, W: Copy + std::fmt::Display>(&self, value: W) -> Result<T, Error> {
        T::try_from(value).map_err(|_| {
            self.guest_error(format!(
                "returned {value}, out of range for `{}`",
                std::any::type_name::<T>()
            ))
        })
    }

    /// Converts a length to the C size type `T`; too large is an [`Error::Argument`].
    #[inline]
    pub fn len<T: TryFrom<usize>>(&self, len: usize, what: &str) -> Result<T, Error> {
        T::try_from(len).map_err(|_| Error::Argument {
            function: self.function,
            message: format!(
                "`{what}` is {len}, which does not fit `{}`",
                std::any::type_name::<T>()
            ),
        })
    }

    /// Checks that two buffers sized by the same C length parameter have the same length.
    #[inline]
    pub fn same_len(
        &self,
        what: &str,
        len: usize,
        other: &str,
        other_len: usize,
    ) -> Result<(), Error> {
        if len == other_len {
            Ok(())
        } else {
            Err(Error::Argument {
                function: self.function,
                message: format!(
                    "`{what}` ({len} elements) and `{other}` ({other_len} elements) share one size parameter and must have the same length"
                ),
            })
        }
    }

    /// The address held by the exported `i32` global `global` (a C global's address in guest
    /// memory, as the guest exports data symbols), as a `u32`; bounds are checked when it is read.
    #[inline]
    pub fn global_address(&mut self, global: &wasmtime::Global) -> Result<u32, Error> {
        match global.get(&mut *self.store) {
            wasmtime::Val::I32(v) => Ok(u32::from_le_bytes(v.to_le_bytes())),
            other => Err(self.guest_error(format!(
                "the global holds {:?}, not an `i32` address",
                other.ty(&*self.store).ok()
            ))),
        }
    }

    /// `base + offset` (a field of a value read from guest memory); an address that overflows
    /// 32 bits is an ABI violation.
    #[inline]
    pub fn offset(&self, base: u32, offset: u32) -> Result<u32, Error> {
        base.checked_add(offset)
            .ok_or_else(|| self.out_of_bounds(base))
    }

    /// An element count read from guest memory as a host `usize`; one that does not fit is an
    /// ABI violation (whether the slice lies in memory is checked when it is read).
    #[inline]
    pub fn count<T: TryInto<usize> + Copy + std::fmt::Display>(
        &self,
        value: T,
    ) -> Result<usize, Error> {
        value.try_into().map_err(|_| {
            self.guest_error(format!(
                "holds an element count of {value}, which does not fit host memory"
            ))
        })
    }

    #[cold]
    fn out_of_bounds(&self, ptr: u32) -> Error {
        crate::view::out_of_bounds(ptr, self.function)
    }

    #[cold]
    pub(crate) fn guest_error(&self, message: String) -> Error {
        Error::Guest {
            function: self.function,
            message,
        }
    }
}
