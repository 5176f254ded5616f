//! One live guest instance: instantiation under the object's limits, the per-call protocol
//! (`Guest::call`: deadline armed, block wiped and arena reset on every path, re-instantiation
//! when the guest cannot be trusted), handle allocation and freeing.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use wasmtime::{
    Extern, ExternType, Instance, InstancePre, Memory, Store, StoreLimitsBuilder, TypedFunc, Val,
    WasmParams, WasmResults,
};

use crate::call::Call;
use crate::handle::{next_owner_id, Handle, Pending, PERSIST_ALLOC, PERSIST_FREE};
use crate::precheck::{self, Expect};
use crate::wasi::Host;
use crate::{Error, Options};

mod buffer;

/// The typed exports one generated binding calls, looked up once per instance.
pub trait Exports: Sized + Send + Sync {
    /// Looks up every export with its core signature.
    fn bind(binder: &mut Binder<'_>) -> Result<Self, Error>;

    /// The exports [`Exports::bind`] looks up, with their signatures: checked against the module
    /// before it is compiled, so a guest that lacks one fails fast (`Error::Load`, the message
    /// `bind` would give) instead of after a compilation that can take seconds. Default: none
    /// (then only the arena ABI is checked before compiling and `bind` finds the rest).
    fn expected() -> &'static [Expect] {
        &[]
    }
}

/// Looks up typed exports of a fresh instance (handed to [`Exports::bind`]).
pub struct Binder<'a> {
    instance: Instance,
    store: &'a mut Store<Host>,
}

impl Binder<'_> {
    /// The export `name` as a [`TypedFunc`]; a missing export or another signature is a
    /// [`Error::Load`] naming it.
    pub fn func<P: WasmParams, R: WasmResults>(
        &mut self,
        name: &'static str,
    ) -> Result<TypedFunc<P, R>, Error> {
        let Some(func) = self.instance.get_func(&mut *self.store, name) else {
            return Err(precheck::missing_func(name));
        };
        func.typed::<P, R>(&*self.store).map_err(|e| {
            Error::Load(format!(
                "export `{name}` does not have the signature its C prototype implies: {e:#}"
            ))
        })
    }
}

impl Binder<'_> {
    /// The exported wasm global `name` through which the guest exports the address of the C
    /// global `name` (a data symbol); a missing export or one that is not an `i32` global is a
    /// [`Error::Load`] naming it. Read in a call with [`Call::global_address`].
    pub fn global(&mut self, name: &'static str) -> Result<wasmtime::Global, Error> {
        let Some(global) = self.instance.get_global(&mut *self.store, name) else {
            return Err(Error::Load(format!(
                "the guest does not export the global `{name}`: rebuild it with the symbol exported (`-Wl,--export={name}`), or skip it in the config"
            )));
        };
        let ty = global.ty(&*self.store);
        if !matches!(ty.content(), wasmtime::ValType::I32) {
            return Err(Error::Load(format!(
                "export `{name}` is a `{}` global, not the `i32` address of a C global",
                ty.content()
            )));
        }
        Ok(global)
    }
}

/// The guest kit's reset after a host wipe (`guest-kit/wb_arena.h`): `bump_reset`, except that
/// the `n` bytes at `p` (the block the host has just zeroed) are not zeroed again.
const RESET_WIPED: &str = "wb_reset_wiped";

/// `wb_persist_alloc` and `wb_persist_free`.
type PersistFns = (TypedFunc<u32, u32>, TypedFunc<(u32, u32), ()>);

/// The parts of an instance a call needs, replaced together after a trap.
struct Live<E> {
    store: Store<Host>,
    /// The instance (destructors of library-owned handles are called by name).
    instance: Instance,
    memory: Memory,
    alloc: TypedFunc<u32, u32>,
    reset: TypedFunc<(), ()>,
    /// The guest kit's `wb_reset_wiped(p, n)` (the reset minus the block at `p` the host has just
    /// zeroed), when the guest exports it with that signature and the reset is `bump_reset`.
    reset_wiped: Option<TypedFunc<(u32, u32), ()>>,
    /// `wb_persist_alloc` / `wb_persist_free`, when the guest exports them (needed by handles).
    persist: Option<PersistFns>,
    /// The guest's `__heap_base` (at least 1): allocators must return pointers at or above it.
    heap_base: u32,
    /// Live persistent blocks (handles and the scratch block), start -> size: no allocation
    /// may overlap one.
    blocks: BTreeMap<u32, u32>,
    /// The scratch block small frames use ([`crate::scratch`]).
    scratch: crate::scratch::Scratch,
    /// The function table slots of callbacks.
    callbacks: crate::callback::Slots,
    /// Guest buffers held for the `kept` parameters of functions with no handle to hold them
    /// (`"function.param"` -> the buffer passed there last); lost with the instance.
    kept_slots: crate::buffer::KeptSlots,
    exports: E,
}

impl<E> Live<E> {
    /// Whether a handle's block is live (the scratch block does not count).
    fn handles_live(&self) -> bool {
        let scratch = matches!(self.scratch, crate::scratch::Scratch::At(_));
        self.blocks.len() > usize::from(scratch)
    }

    /// Zeroes `size` bytes at guest address `ptr` from the host and says whether it did; a range
    /// outside memory (which the callers have already checked) is left alone (`false`).
    fn wipe(&mut self, ptr: u32, size: u32) -> bool {
        match self
            .memory
            .data_mut(&mut self.store)
            .get_mut(crate::call::span(ptr, size))
        {
            Some(bytes) => {
                bytes.fill(0);
                true
            }
            None => false,
        }
    }
}

/// One instance of a guest with its own store, plus what is needed to replace it after a trap.
pub struct Guest<E> {
    pre: InstancePre<Host>,
    alloc_name: &'static str,
    reset_name: &'static str,
    options: Options,
    /// `options` as an epoch deadline, in ticks.
    deadline: u64,
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
    /// Library-owned handles of the current instance, by pointer.
    owned: crate::owned::Registry,
}

impl<E: Exports> Guest<E> {
    /// Instantiates the guest `wasm` (compiled once per process, see [`crate::engine`]) whose
    /// arena exports are `alloc` and `reset`, with the default [`Options`].
    pub fn new(wasm: &[u8], alloc: &'static str, reset: &'static str) -> Result<Self, Error> {
        Self::with_options(wasm, alloc, reset, &Options::default())
    }

    /// Instantiates the guest `wasm` like [`Guest::new`] under the limits `options`.
    pub fn with_options(
        wasm: &[u8],
        alloc: &'static str,
        reset: &'static str,
        options: &Options,
    ) -> Result<Self, Error> {
        options.check()?;
        precheck::check(wasm, alloc, reset, E::expected(), options)?;
        let pre = crate::engine::instance_pre_for(
            wasm,
            options.max_wasm_stack,
            options.timeout.is_some(),
        )?;
        let deadline = options.deadline_ticks();
        let live = crate::stack::run(options.max_wasm_stack, || {
            instantiate(&pre, alloc, reset, options, deadline)
        })
        .map_err(|e| Error::Load(crate::stack::spawn_failed(options.max_wasm_stack, &e)))??;
        Ok(Guest {
            pre,
            alloc_name: alloc,
            reset_name: reset,
            options: options.clone(),
            deadline,
            live,
            dirty: false,
            owner: next_owner_id(),
            generation: 0,
            pending: Arc::default(),
            owned: crate::owned::Registry::default(),
        })
    }

    /// Reads the guest from `path` and instantiates it like [`Guest::new`].
    pub fn from_file(path: &Path, alloc: &'static str, reset: &'static str) -> Result<Self, Error> {
        Self::from_file_with(path, alloc, reset, &Options::default())
    }

    /// Reads the guest from `path` and instantiates it like [`Guest::with_options`].
    pub fn from_file_with(
        path: &Path,
        alloc: &'static str,
        reset: &'static str,
        options: &Options,
    ) -> Result<Self, Error> {
        let wasm = std::fs::read(path)
            .map_err(|e| Error::Load(format!("cannot read `{}`: {e}", path.display())))?;
        Self::with_options(&wasm, alloc, reset, options)
    }

    /// The limits this object was created with.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Runs `f` on a native stack that holds the object's `max_wasm_stack` (see
    /// [`crate::stack`]): inline for the default and smaller limits.
    #[inline]
    fn on_stack<R: Send>(
        &mut self,
        function: &'static str,
        f: impl FnOnce(&mut Self) -> Result<R, Error> + Send,
    ) -> Result<R, Error> {
        let stack = self.options.max_wasm_stack;
        if stack <= crate::stack::INLINE_MAX_WASM_STACK {
            return f(self);
        }
        crate::stack::run(stack, || f(self)).unwrap_or_else(|e| {
            Err(Error::Host {
                function,
                message: crate::stack::spawn_failed(stack, &e),
            })
        })
    }

    /// Replaces the instance with a fresh one (new store, same compiled module), after zeroing
    /// the old instance's whole linear memory. Handles made before become void.
    pub fn reinstantiate(&mut self) -> Result<(), Error> {
        self.on_stack("reinstantiate", Self::reinstantiate_here)
    }

    fn reinstantiate_here(&mut self) -> Result<(), Error> {
        wipe(self.live.memory.data_mut(&mut self.live.store));
        self.live = instantiate(
            &self.pre,
            self.alloc_name,
            self.reset_name,
            &self.options,
            self.deadline,
        )?;
        self.generation += 1;
        self.dirty = false;
        self.owned.by_ptr.clear();
        Ok(())
    }

    /// How many times the instance was replaced (test and diagnostics accessor).
    #[doc(hidden)]
    pub fn __generation(&self) -> u64 {
        self.generation
    }

    /// A copy of the guest's whole linear memory (for tests that scan it for secrets).
    #[doc(hidden)]
    pub fn __memory(&self) -> Vec<u8> {
        self.live.memory.data(&self.live.store).to_vec()
    }

    /// Allocates a zeroed persistent block of `size` bytes for a C object of type `type_name`
    /// (aligned to `align`) and returns the handle that owns it.
    ///
    /// When the guest's persistent allocator returns 0 ([`Error::OutOfMemory`]) the instance is
    /// kept if handles are live (the honest cause is too many of them; re-creating would lose
    /// them) and re-created otherwise (nothing is lost, and an allocator the failure broke is
    /// replaced).
    pub fn new_handle(
        &mut self,
        type_name: &'static str,
        size: u32,
        align: u32,
    ) -> Result<Handle, Error> {
        self.on_stack(PERSIST_ALLOC, |g| g.new_handle_here(type_name, size, align))
    }

    fn new_handle_here(
        &mut self,
        type_name: &'static str,
        size: u32,
        align: u32,
    ) -> Result<Handle, Error> {
        if self.dirty {
            self.reinstantiate_here()?;
        }
        self.live.store.set_epoch_deadline(self.deadline);
        self.free_dropped_handles();
        let result = self.alloc_handle(type_name, size, align);
        match result {
            Err(Error::OutOfMemory { .. }) if self.live.handles_live() => result,
            Err(e) if e.poisons_instance() => {
                let _ = self.reinstantiate_here();
                Err(self.with_limit(e))
            }
            other => other,
        }
    }

    fn alloc_handle(
        &mut self,
        type_name: &'static str,
        size: u32,
        align: u32,
    ) -> Result<Handle, Error> {
        let Some((persist_alloc, _)) = &self.live.persist else {
            return Err(Error::Load(format!(
                "the guest does not export `{PERSIST_ALLOC}` and `{PERSIST_FREE}`, which handles (`{type_name} *`) need"
            )));
        };
        let ptr = persist_alloc
            .call(&mut self.live.store, size)
            .map_err(|e| Error::from_call(PERSIST_ALLOC, e))?;
        if ptr == 0 {
            return Err(Error::OutOfMemory {
                function: type_name,
                size,
            });
        }
        let guest_error = |message: String| Error::Guest {
            function: PERSIST_ALLOC,
            message,
        };
        if ptr % align.max(1) != 0 {
            return Err(guest_error(format!(
                "returned {ptr:#x}, not aligned to {align} for `{type_name}`"
            )));
        }
        let memory_size = self.live.memory.data_size(&self.live.store);
        check_block(
            ptr,
            size,
            self.live.heap_base,
            memory_size,
            &self.live.blocks,
        )
        .map_err(|m| guest_error(format!("returned {m} for a `{type_name}`")))?;
        // Zeroed by the host: a C object starts all-zero whatever the allocator left there.
        self.live.wipe(ptr, size);
        self.live.blocks.insert(ptr, size.max(1));
        Ok(Handle {
            ptr,
            size,
            generation: self.generation,
            owner: self.owner,
            type_name,
            pending: Arc::clone(&self.pending),
            held: std::sync::Mutex::default(),
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
        self.destroy_dropped_owned();
        for (ptr, size, generation) in blocks {
            if generation != self.generation || self.live.blocks.remove(&ptr).is_none() {
                continue;
            }
            // Wiped by the host first, whatever the guest's free does.
            self.live.wipe(ptr, size);
            let Some((_, persist_free)) = &self.live.persist else {
                continue;
            };
            if persist_free
                .call(&mut self.live.store, (ptr, size))
                .is_err()
            {
                // The free trapped: the instance is suspect, start over.
                let _ = self.reinstantiate_here();
                return;
            }
        }
    }

    /// Calls the destructors of library-owned handles dropped unclosed since the last call, in
    /// the order they were dropped (children before parents); those of an earlier generation
    /// died with their instance. A destructor that traps re-creates the instance.
    fn destroy_dropped_owned(&mut self) {
        let queue =
            std::mem::take(&mut *self.pending.owned.lock().unwrap_or_else(|p| p.into_inner()));
        for (destructor, ptr, generation) in queue {
            if generation != self.generation {
                continue;
            }
            if self.call_destructor(destructor, ptr).is_err() {
                return;
            }
        }
    }

    /// Calls the export `destructor` on `ptr` (its result, if any, is ignored); a trap
    /// re-creates the instance and is returned.
    fn call_destructor(&mut self, destructor: &'static str, ptr: u32) -> Result<(), Error> {
        let live = &mut self.live;
        let Some(func) = live.instance.get_func(&mut live.store, destructor) else {
            return Err(precheck::missing_func(destructor));
        };
        let n = func.ty(&live.store).results().len();
        let mut results = vec![Val::I32(0); n];
        let arg = Val::I32(i32::from_le_bytes(ptr.to_le_bytes()));
        match func.call(&mut live.store, &[arg], &mut results) {
            Ok(()) => Ok(()),
            Err(e) => {
                let error = Error::from_call(destructor, e);
                let _ = self.reinstantiate_here();
                Err(self.with_limit(error))
            }
        }
    }

    /// Closes the library-owned handle `h`: its live children first (newest first), then its
    /// own destructor (none for a borrowed handle). A second close does nothing; a handle of
    /// another object is an [`Error::Handle`]; one of an instance re-created since is only
    /// marked closed (its library object died with that instance).
    pub fn close_owned(&mut self, h: &crate::Owned) -> Result<(), Error> {
        self.on_stack("close", |g| g.close_owned_here(h))
    }

    fn close_owned_here(&mut self, h: &crate::Owned) -> Result<(), Error> {
        if h.0.owner != self.owner {
            return Err(Error::Handle {
                function: "close",
                message: format!(
                    "this `{} *` was made by another binding object",
                    h.0.type_name
                ),
            });
        }
        if self.dirty {
            self.reinstantiate_here()?;
        }
        self.live.store.set_epoch_deadline(self.deadline);
        self.free_dropped_handles();
        let mut order = Vec::new();
        crate::owned::close_order(&h.0, &mut order);
        for (destructor, ptr, generation) in order {
            if generation == self.generation {
                self.call_destructor(destructor, ptr)?;
            }
        }
        Ok(())
    }

    /// Runs one wrapper call: `body` allocates, copies and invokes through [`Call`]; then the
    /// call's block is zeroed by the host and the arena is reset (which wipes the rest of it:
    /// the kit's `wb_reset_wiped(block)` when exported, which skips the block just zeroed, else
    /// the configured reset) whatever `body` returned. After a trap, a timeout, an ABI violation or an arena allocation that
    /// returned 0 the guest's whole memory is zeroed and the instance replaced, so the object
    /// stays usable. Runs on a helper thread when `max_wasm_stack` is above 512 KiB.
    #[inline]
    pub fn call<T: Send>(
        &mut self,
        function: &'static str,
        body: impl FnOnce(&mut Call<'_>, &E) -> Result<T, Error> + Send,
    ) -> Result<T, Error> {
        self.on_stack(function, |g| g.call_here(function, body))
    }

    #[inline]
    fn call_here<T>(
        &mut self,
        function: &'static str,
        body: impl FnOnce(&mut Call<'_>, &E) -> Result<T, Error>,
    ) -> Result<T, Error> {
        if self.dirty {
            self.reinstantiate_here()?;
        }
        self.live.store.set_epoch_deadline(self.deadline);
        self.free_dropped_handles();
        self.dirty = true;
        let live = &mut self.live;
        let (result, block) = {
            let mut call = Call {
                store: &mut live.store,
                memory: live.memory,
                alloc: &live.alloc,
                alloc_name: self.alloc_name,
                function,
                owner: self.owner,
                generation: self.generation,
                heap_base: live.heap_base,
                blocks: &mut live.blocks,
                scratch: &mut live.scratch,
                persist_alloc: live.persist.as_ref().map(|(alloc, _)| alloc),
                max_memory: self.options.max_memory,
                block: None,
                clean_to: 0,
                callbacks: &mut live.callbacks,
                max_wasm_stack: self.options.max_wasm_stack,
                owned: &mut self.owned,
                pending: &self.pending,
                kept_slots: &mut live.kept_slots,
            };
            let result = body(&mut call, &live.exports);
            (result, call.block)
        };
        // The host zeroes the call's block itself (it never trusts the guest's reset to), so the
        // kit's `wb_reset_wiped` may skip it: each byte of the block is zeroed once, not twice.
        let wiped = block.filter(|&(base, size)| live.wipe(base, size));
        if result.as_ref().is_err_and(Error::poisons_instance) {
            // Nothing the guest does is trusted any more (and after a timeout its deadline has
            // passed): no reset; the memory is zeroed and the instance replaced. A failure to
            // re-instantiate leaves `dirty` set: the next call tries again and reports it.
            let _ = self.reinstantiate_here();
            return result.map_err(|e| self.with_limit(e));
        }
        let (reset_name, reset) = match (wiped, &live.reset_wiped) {
            (Some(block), Some(reset_wiped)) => {
                (RESET_WIPED, reset_wiped.call(&mut live.store, block))
            }
            _ => (self.reset_name, live.reset.call(&mut live.store, ())),
        };
        match reset {
            Ok(()) => {
                self.dirty = false;
                result
            }
            Err(e) => {
                let _ = self.reinstantiate_here();
                match result {
                    Ok(_) => Err(self.with_limit(Error::from_call(reset_name, e))),
                    Err(other) => Err(other),
                }
            }
        }
    }

    /// Fills in the limit of a [`Error::Timeout`].
    #[cold]
    fn with_limit(&self, e: Error) -> Error {
        match e {
            Error::Timeout { function, .. } => Error::Timeout {
                function,
                limit: self.options.timeout.unwrap_or_default(),
            },
            other => other,
        }
    }
}

impl<E> Drop for Guest<E> {
    /// Zeroes the guest's whole linear memory (live handles' C state included) before wasmtime
    /// releases it, so no secret outlives the object in host memory.
    fn drop(&mut self) {
        wipe(self.live.memory.data_mut(&mut self.live.store));
    }
}

/// Zeroes `memory` page by page, writing only pages that hold a non-zero byte: reading a page
/// the guest never touched maps the shared zero page, so a memory grown to its cap but mostly
/// unused is wiped without committing its untouched pages.
fn wipe(memory: &mut [u8]) {
    for page in memory.chunks_mut(4096) {
        if page.iter().any(|&b| b != 0) {
            page.fill(0);
        }
    }
}

/// Checks an allocator's answer: `[ptr, ptr + size)` lies in `[heap_base, memory_size)` and
/// overlaps no live persistent block. The error text describes the block.
pub(crate) fn check_block(
    ptr: u32,
    size: u32,
    heap_base: u32,
    memory_size: usize,
    blocks: &BTreeMap<u32, u32>,
) -> Result<(), String> {
    let end = u64::from(ptr) + u64::from(size);
    if ptr < heap_base {
        return Err(format!(
            "{ptr:#x}, below the guest heap (__heap_base {heap_base:#x})"
        ));
    }
    if end > u64::try_from(memory_size).unwrap_or(u64::MAX) {
        return Err(format!(
            "[{ptr:#x}, {end:#x}), past the end of guest memory ({memory_size:#x} bytes)"
        ));
    }
    let last = u32::try_from(end.saturating_sub(1).max(u64::from(ptr))).unwrap_or(u32::MAX);
    if let Some((&start, &len)) = blocks.range(..=last).next_back() {
        if u64::from(start) + u64::from(len) > u64::from(ptr) {
            return Err(format!(
                "[{ptr:#x}, {end:#x}), overlapping the block [{start:#x}, {:#x}) still in use",
                u64::from(start) + u64::from(len)
            ));
        }
    }
    Ok(())
}

/// A guest whose memory starts larger than `max_memory` is refused before it is instantiated.
fn check_initial_memory(module: &wasmtime::Module, max_memory: u64) -> Result<(), Error> {
    for export in module.exports() {
        if let (true, ExternType::Memory(ty)) = (export.name() == "memory", export.ty()) {
            let bytes = u128::from(ty.minimum()) * 65536;
            if bytes > u128::from(max_memory) {
                return Err(Error::Load(format!(
                    "the guest's initial memory is {bytes} bytes ({} pages), more than max_memory ({max_memory} bytes)",
                    ty.minimum(),
                )));
            }
        }
    }
    Ok(())
}

/// The guest's `__heap_base` (at least 1; 1 when it exports none). Checked before compiling too;
/// a wrong type must never turn the below-heap check off.
fn heap_base_of(instance: &Instance, store: &mut Store<Host>) -> Result<u32, Error> {
    match instance.get_export(&mut *store, "__heap_base") {
        None => Ok(1),
        Some(Extern::Global(g)) => match g.get(&mut *store) {
            Val::I32(v) => Ok(u32::from_le_bytes(v.to_le_bytes()).max(1)),
            _ => {
                let what = format!("a `{}` global", g.ty(&*store).content());
                Err(precheck::heap_base_error(&what))
            }
        },
        Some(_) => Err(precheck::heap_base_error("not a global")),
    }
}

fn instantiate<E: Exports>(
    pre: &InstancePre<Host>,
    alloc: &'static str,
    reset: &'static str,
    options: &Options,
    deadline: u64,
) -> Result<Live<E>, Error> {
    let module = pre.module();
    check_initial_memory(module, options.max_memory)?;
    let limits = StoreLimitsBuilder::new()
        .memory_size(usize::try_from(options.max_memory).unwrap_or(usize::MAX))
        .build();
    // A libc guest (it imports WASI) gets a fresh context from `options.wasi` every time.
    let wasi = (module.imports().len() > 0).then_some(&options.wasi);
    let mut store = Store::new(module.engine(), Host::new(limits, wasi)?);
    store.limiter(|host| &mut host.limits);
    store.epoch_deadline_trap();
    // Start functions (and a reactor's `_initialize`) run under the deadline too.
    store.set_epoch_deadline(deadline);
    let instance = pre
        .instantiate(&mut store)
        .map_err(|e| Error::Load(format!("cannot instantiate the guest: {e:#}")))?;
    if let Some(init) = instance.get_func(&mut store, "_initialize") {
        // A reactor's constructors (wasi-libc: environment, preopens, stdio), once per instance.
        init.typed::<(), ()>(&store)
            .and_then(|f| f.call(&mut store, ()))
            .map_err(|e| Error::Load(format!("the guest's _initialize failed: {e:#}")))?;
    }
    let memory = instance
        .get_memory(&mut store, "memory")
        .ok_or_else(precheck::no_memory)?;
    let heap_base = heap_base_of(&instance, &mut store)?;
    let table = instance.get_table(&mut store, crate::callback::TABLE);
    let mut binder = Binder {
        instance,
        store: &mut store,
    };
    let alloc = binder.func::<u32, u32>(alloc)?;
    let reset_fn = binder.func::<(), ()>(reset)?;
    // Optional (older kits lack it), never in place of a reset of the guest's own named in the
    // config (it would bypass that one); another signature means it is not the kit's.
    let reset_wiped = if reset == "bump_reset" {
        binder.func::<(u32, u32), ()>(RESET_WIPED).ok()
    } else {
        None
    };
    let persist = match (binder.func(PERSIST_ALLOC), binder.func(PERSIST_FREE)) {
        (Ok(alloc), Ok(free)) => Some((alloc, free)),
        _ => None,
    };
    let exports = E::bind(&mut binder)?;
    Ok(Live {
        store,
        instance,
        memory,
        alloc,
        reset: reset_fn,
        reset_wiped,
        persist,
        heap_base,
        blocks: BTreeMap::new(),
        scratch: crate::scratch::Scratch::Untried,
        callbacks: crate::callback::Slots::new(table),
        kept_slots: crate::buffer::KeptSlots::default(),
        exports,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wipe_zeroes_every_page() {
        let mut memory = vec![0u8; 3 * 4096 + 100];
        for at in [0, 4095, 4096 * 2 + 17, memory.len() - 1] {
            memory[at] = 0xA5;
        }
        wipe(&mut memory);
        assert!(memory.iter().all(|&b| b == 0));
    }

    #[test]
    fn blocks_are_checked_against_heap_memory_and_live_blocks() {
        let mut live = BTreeMap::new();
        live.insert(0x1_0000, 64);
        let ok =
            |ptr, size, live: &BTreeMap<u32, u32>| check_block(ptr, size, 0x1_0000, 0x3_0000, live);
        assert!(ok(0x2_0000, 16, &live).is_ok());
        assert!(ok(0x1_0040, 16, &live).is_ok(), "adjacent is fine");
        assert!(ok(0x1_003f, 16, &live).unwrap_err().contains("overlapping"));
        assert!(ok(0x1_0000, 0, &live).unwrap_err().contains("overlapping"));
        assert!(ok(0x0_fff0, 32, &live)
            .unwrap_err()
            .contains("below the guest heap"));
        assert!(ok(0x2_fff0, 32, &live)
            .unwrap_err()
            .contains("past the end"));
        assert!(ok(0xFFFF_FF00, 0x200, &live)
            .unwrap_err()
            .contains("past the end"));
        assert!(ok(0xFFFF_FFF0, 16, &live)
            .unwrap_err()
            .contains("past the end"));
        assert!(ok(0x2_fff0, 16, &live).is_ok());
    }
}
