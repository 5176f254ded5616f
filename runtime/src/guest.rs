//! One live guest instance: instantiation, the per-call protocol (`Guest::call`: reset on
//! every path, re-instantiation after a trap), handle allocation and freeing.

use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use wasmtime::{Instance, InstancePre, Memory, Store, TypedFunc, WasmParams, WasmResults};

use crate::call::Call;
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
