//! One live guest instance and the per-call protocol every generated wrapper follows.

use std::ops::Range;
use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use wasmtime::{Instance, InstancePre, Memory, Store, TypedFunc, WasmParams, WasmResults};

use crate::frame::{Block, Elem, Frame};
use crate::handle::{next_owner_id, Handle, Pending, PERSIST_ALLOC, PERSIST_FREE};
use crate::Error;

/// The typed exports one generated binding calls, looked up once per instance.
pub trait Exports: Sized {
    /// Looks up every export with its core signature.
    fn bind(binder: &mut Binder<'_>) -> Result<Self, Error>;
}

/// Looks up typed exports of a fresh instance (handed to [`Exports::bind`]).
pub struct Binder<'a> {
    instance: Instance,
    store: &'a mut Store<()>,
}

impl Binder<'_> {
    /// The export `name` as a [`TypedFunc`]; a missing export or another signature is a
    /// [`Error::Load`] naming it.
    pub fn func<P: WasmParams, R: WasmResults>(
        &mut self,
        name: &'static str,
    ) -> Result<TypedFunc<P, R>, Error> {
        let Some(func) = self.instance.get_func(&mut *self.store, name) else {
            return Err(Error::Load(format!(
                "the guest does not export `{name}`: rebuild it with the function exported, or skip it in the config"
            )));
        };
        func.typed::<P, R>(&*self.store).map_err(|e| {
            Error::Load(format!(
                "export `{name}` does not have the signature its C prototype implies: {e:#}"
            ))
        })
    }
}

/// `wb_persist_alloc` and `wb_persist_free`.
type PersistFns = (TypedFunc<u32, u32>, TypedFunc<(u32, u32), ()>);

/// The parts of an instance a call needs, replaced together after a trap.
struct Live<E> {
    store: Store<()>,
    memory: Memory,
    alloc: TypedFunc<u32, u32>,
    reset: TypedFunc<(), ()>,
    /// `wb_persist_alloc` / `wb_persist_free`, when the guest exports them (needed by handles).
    persist: Option<PersistFns>,
    exports: E,
}

/// One instance of a guest with its own store, plus what is needed to replace it after a trap.
pub struct Guest<E> {
    pre: InstancePre<()>,
    alloc_name: &'static str,
    reset_name: &'static str,
    live: Live<E>,
    /// Set while a call is in flight; still set at the next call only if the previous one
    /// unwound (panicked) halfway, in which case the instance is replaced first.
    dirty: bool,
    /// This object's id: handles remember it.
    owner: u64,
    /// Incremented by every re-instantiation: handles of older generations are void.
    generation: u64,
    /// Blocks of dropped handles, freed at the next call.
    pending: Arc<Pending>,
}

impl<E: Exports> Guest<E> {
    /// Instantiates the guest `wasm` (compiled once per process, see [`crate::engine`]) whose
    /// arena exports are `alloc` and `reset`.
    pub fn new(wasm: &[u8], alloc: &'static str, reset: &'static str) -> Result<Self, Error> {
        let pre = crate::engine::instance_pre(wasm)?;
        let live = instantiate(&pre, alloc, reset)?;
        Ok(Guest {
            pre,
            alloc_name: alloc,
            reset_name: reset,
            live,
            dirty: false,
            owner: next_owner_id(),
            generation: 0,
            pending: Arc::default(),
        })
    }

    /// Reads the guest from `path` and instantiates it like [`Guest::new`].
    pub fn from_file(path: &Path, alloc: &'static str, reset: &'static str) -> Result<Self, Error> {
        let wasm = std::fs::read(path)
            .map_err(|e| Error::Load(format!("cannot read `{}`: {e}", path.display())))?;
        Self::new(&wasm, alloc, reset)
    }

    /// Replaces the instance with a fresh one (new store, same compiled module). Handles made
    /// before become void.
    pub fn reinstantiate(&mut self) -> Result<(), Error> {
        self.live = instantiate(&self.pre, self.alloc_name, self.reset_name)?;
        self.generation += 1;
        self.dirty = false;
        Ok(())
    }

    /// Allocates a zeroed persistent block of `size` bytes for a C object of type `type_name`
    /// (aligned to `align`) and returns the handle that owns it.
    pub fn new_handle(
        &mut self,
        type_name: &'static str,
        size: u32,
        align: u32,
    ) -> Result<Handle, Error> {
        if self.dirty {
            self.reinstantiate()?;
        }
        self.free_dropped_handles();
        let Some((persist_alloc, _)) = &self.live.persist else {
            return Err(Error::Load(format!(
                "the guest does not export `{PERSIST_ALLOC}` and `{PERSIST_FREE}`, which handles (`{type_name} *`) need"
            )));
        };
        let ptr = persist_alloc
            .call(&mut self.live.store, size)
            .map_err(|e| Error::from_call(PERSIST_ALLOC, e))?;
        let guest_error = |message: String| Error::Guest {
            function: PERSIST_ALLOC,
            message,
        };
        if ptr == 0 {
            return Err(guest_error(format!(
                "returned 0 for a `{type_name}` of {size} bytes"
            )));
        }
        if ptr % align.max(1) != 0 {
            return Err(guest_error(format!(
                "returned {ptr:#x}, not aligned to {align} for `{type_name}`"
            )));
        }
        let end = u64::from(ptr) + u64::from(size);
        if usize::try_from(end).map_or(true, |end| {
            end > self.live.memory.data_size(&self.live.store)
        }) {
            return Err(guest_error(format!(
                "returned {ptr:#x}, outside guest memory"
            )));
        }
        Ok(Handle {
            ptr,
            size,
            generation: self.generation,
            owner: self.owner,
            type_name,
            pending: Arc::clone(&self.pending),
        })
    }

    /// Frees (and so wipes) the blocks of handles dropped since the last call; blocks of an
    /// earlier generation died with their instance.
    #[inline]
    fn free_dropped_handles(&mut self) {
        // A plain load first: the common case (nothing dropped) costs no atomic read-modify-write.
        if !self.pending.any.load(Ordering::Relaxed)
            || !self.pending.any.swap(false, Ordering::Acquire)
        {
            return;
        }
        let blocks = std::mem::take(
            &mut *self
                .pending
                .blocks
                .lock()
                .unwrap_or_else(|p| p.into_inner()),
        );
        let Some((_, persist_free)) = &self.live.persist else {
            return;
        };
        for (ptr, size, generation) in blocks {
            if generation == self.generation
                && persist_free
                    .call(&mut self.live.store, (ptr, size))
                    .is_err()
            {
                // The free trapped: the instance is suspect, start over.
                let _ = self.reinstantiate();
                return;
            }
        }
    }

    /// Runs one wrapper call: `body` allocates, copies and invokes through [`Call`]; then the
    /// arena is reset (which wipes it) whatever `body` returned. After a trap or an ABI
    /// violation the instance is replaced, so the object stays usable.
    #[inline]
    pub fn call<T>(
        &mut self,
        function: &'static str,
        body: impl FnOnce(&mut Call<'_>, &E) -> Result<T, Error>,
    ) -> Result<T, Error> {
        if self.dirty {
            self.reinstantiate()?;
        }
        self.free_dropped_handles();
        self.dirty = true;
        let live = &mut self.live;
        let result = {
            let mut call = Call {
                store: &mut live.store,
                memory: live.memory,
                alloc: &live.alloc,
                alloc_name: self.alloc_name,
                function,
                owner: self.owner,
                generation: self.generation,
            };
            body(&mut call, &live.exports)
        };
        let reset = live.reset.call(&mut live.store, ());
        let poisoned = reset.is_err() || result.as_ref().is_err_and(Error::poisons_instance);
        if poisoned {
            // A failure here leaves `dirty` set: the next call tries again and reports it.
            let _ = self.reinstantiate();
        } else {
            self.dirty = false;
        }
        match (result, reset) {
            (Ok(_), Err(e)) => Err(Error::from_call(self.reset_name, e)),
            (result, _) => result,
        }
    }
}

fn instantiate<E: Exports>(
    pre: &InstancePre<()>,
    alloc: &'static str,
    reset: &'static str,
) -> Result<Live<E>, Error> {
    let mut store = Store::new(pre.module().engine(), ());
    let instance = pre
        .instantiate(&mut store)
        .map_err(|e| Error::Load(format!("cannot instantiate the guest: {e:#}")))?;
    let memory = instance.get_memory(&mut store, "memory").ok_or_else(|| {
        Error::Load("the guest does not export its linear memory as `memory`".into())
    })?;
    let mut binder = Binder {
        instance,
        store: &mut store,
    };
    let alloc = binder.func::<u32, u32>(alloc)?;
    let reset = binder.func::<(), ()>(reset)?;
    let persist = match (binder.func(PERSIST_ALLOC), binder.func(PERSIST_FREE)) {
        (Ok(alloc), Ok(free)) => Some((alloc, free)),
        _ => None,
    };
    let exports = E::bind(&mut binder)?;
    Ok(Live {
        store,
        memory,
        alloc,
        reset,
        persist,
        exports,
    })
}

/// One call in flight: guest memory access (every pointer a bounds-checked `u32`) and invoking.
pub struct Call<'a> {
    store: &'a mut Store<()>,
    memory: Memory,
    alloc: &'a TypedFunc<u32, u32>,
    alloc_name: &'static str,
    function: &'static str,
    owner: u64,
    generation: u64,
}

impl Call<'_> {
    /// The C function being called.
    #[inline]
    pub fn function(&self) -> &'static str {
        self.function
    }

    /// Allocates the whole frame with ONE arena allocation and checks that it lies in memory.
    #[inline]
    pub fn alloc(&mut self, frame: &Frame) -> Result<Block, Error> {
        let size = frame.size();
        let base = self
            .alloc
            .call(&mut *self.store, size)
            .map_err(|e| Error::from_call(self.alloc_name, e))?;
        if base == 0 {
            return Err(self.guest_error(format!(
                "`{}({size})` returned 0 (out of guest memory?)",
                self.alloc_name
            )));
        }
        if base % 8 != 0 {
            return Err(self.guest_error(format!(
                "`{}` returned {base:#x}, which is not 8-byte aligned",
                self.alloc_name
            )));
        }
        let end = u64::from(base) + u64::from(size);
        if usize::try_from(end).map_or(true, |end| end > self.memory.data_size(&*self.store)) {
            return Err(self.out_of_bounds(base));
        }
        debug_assert_eq!(frame.function(), self.function);
        Ok(Block { base })
    }

    /// Copies `src` into guest memory at `ptr`.
    #[inline]
    pub fn write<T: Elem>(&mut self, ptr: u32, src: &[T]) -> Result<(), Error> {
        let range = self.range_of::<T>(ptr, src.len())?;
        let mem = self.memory.data_mut(&mut *self.store);
        match mem.get_mut(range) {
            Some(dst) => {
                T::encode(src, dst);
                Ok(())
            }
            None => Err(self.out_of_bounds(ptr)),
        }
    }

    /// Reads `count` elements at `ptr` into a new vector.
    #[inline]
    pub fn read_vec<T: Elem>(&mut self, ptr: u32, count: usize) -> Result<Vec<T>, Error> {
        let range = self.range_of::<T>(ptr, count)?;
        match self.memory.data(&*self.store).get(range) {
            Some(src) => Ok(T::decode_vec(src)),
            None => Err(self.out_of_bounds(ptr)),
        }
    }

    /// Reads `N` elements at `ptr` into an array.
    #[inline]
    pub fn read_array<T: Elem, const N: usize>(&mut self, ptr: u32) -> Result<[T; N], Error> {
        let mut out = [T::default(); N];
        self.read_into(ptr, &mut out)?;
        Ok(out)
    }

    /// Reads `dst.len()` elements at `ptr` into `dst` (the write-back of in/out buffers).
    #[inline]
    pub fn read_into<T: Elem>(&mut self, ptr: u32, dst: &mut [T]) -> Result<(), Error> {
        let range = self.range_of::<T>(ptr, dst.len())?;
        match self.memory.data(&*self.store).get(range) {
            Some(src) => {
                T::decode(src, dst);
                Ok(())
            }
            None => Err(self.out_of_bounds(ptr)),
        }
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

    /// Calls the export `func`; a trap becomes [`Error::Trap`].
    #[inline]
    pub fn invoke<P: WasmParams, R: WasmResults>(
        &mut self,
        func: &TypedFunc<P, R>,
        params: P,
    ) -> Result<R, Error> {
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
            });
        }
        Ok(())
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
        self.write(ptr, s.as_bytes())?;
        let end = u32::try_from(s.len()).ok().and_then(|n| ptr.checked_add(n));
        self.write(end.ok_or_else(|| self.out_of_bounds(ptr))?, &[0u8])
    }

    /// Reads a returned NUL-terminated UTF-8 string of at most `max_len` bytes at `ptr`; a NULL
    /// pointer, no NUL within `max_len` bytes or invalid UTF-8 is an ABI violation.
    pub fn read_c_str(&mut self, ptr: u32, max_len: u32) -> Result<String, Error> {
        if ptr == 0 {
            return Err(self.guest_error("returned a NULL string".into()));
        }
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

    /// The byte range `ptr .. ptr + count * T::SIZE` in host `usize`s, overflow-checked. Whether
    /// it lies in memory is checked where memory is accessed (`get` / `get_mut` on the slice).
    #[inline]
    fn range_of<T: Elem>(&self, ptr: u32, count: usize) -> Result<Range<usize>, Error> {
        let start = usize::try_from(ptr).map_err(|_| self.out_of_bounds(ptr))?;
        let end = count
            .checked_mul(T::SIZE)
            .and_then(|bytes| start.checked_add(bytes))
            .ok_or_else(|| self.out_of_bounds(ptr))?;
        Ok(start..end)
    }

    #[cold]
    fn out_of_bounds(&self, ptr: u32) -> Error {
        self.guest_error(format!(
            "pointer {ptr:#x} (with its length) lies outside guest memory"
        ))
    }

    #[cold]
    fn guest_error(&self, message: String) -> Error {
        Error::Guest {
            function: self.function,
            message,
        }
    }
}
