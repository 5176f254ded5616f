//! The process-wide wasmtime Engines and compiled-module cache every [`crate::Guest`] starts from.
//!
//! Compiling a guest takes milliseconds to seconds; instantiating a compiled one takes
//! microseconds. So the compiled form ([`wasmtime::InstancePre`], which holds the
//! [`wasmtime::Module`]) is cached per process, keyed by the wasm bytes (and the engine): a fast
//! 64-bit hash picks the bucket and the bytes themselves are compared, so two different guests
//! never share an entry.
//!
//! Engine configuration is global, so it is fixed here for every guest: epoch interruption
//! (per-call timeouts; one background ticker thread per process advances every engine's epoch
//! every [`TICK`]) and a wasm stack limit. Both are engine settings, so there is one engine per
//! distinct ([`crate::Options::max_wasm_stack`], timeouts on/off) pair: objects created with
//! `timeout: None` run on an engine without epoch checks (no overhead), and
//! `WASM_BIND_NO_TIMEOUTS=1` in the environment turns epoch checks off for every object.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use wasmtime::{Config, Engine, ExternType, InstancePre, Linker, Module};

use crate::wasi::Host;

use crate::Error;

/// The default wasm stack limit (bytes): wasmtime's own default.
pub const DEFAULT_MAX_WASM_STACK: usize = 512 * 1024;

/// wasmtime's default `async_stack_size` (unused: calls are synchronous).
const DEFAULT_ASYNC_STACK: usize = 2 << 20;

/// How often the ticker thread advances the epoch: a timeout fires between `timeout` and
/// `timeout + 2 * TICK` after the call started.
pub const TICK: Duration = Duration::from_millis(10);

/// Whether guest code is compiled with epoch checks (timeouts). Decided once per process:
/// `WASM_BIND_NO_TIMEOUTS=1` in the environment turns them off (slightly faster compute-heavy
/// calls; a looping guest then hangs its caller), like the Python runtime.
pub fn timeouts_enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| {
        !matches!(
            std::env::var("WASM_BIND_NO_TIMEOUTS").as_deref(),
            Ok(v) if !v.is_empty() && v != "0"
        )
    })
}

/// Engines by (wasm stack limit, epoch interruption).
type Engines = HashMap<(usize, bool), Engine>;

fn engines() -> &'static Mutex<Engines> {
    static ENGINES: OnceLock<Mutex<Engines>> = OnceLock::new();
    ENGINES.get_or_init(Default::default)
}

/// The engine of guests with the default stack limit (see [`engine_for`]).
pub fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        engine_for(DEFAULT_MAX_WASM_STACK, true).expect("the default engine configuration is valid")
    })
}

/// The shared engine whose guests may use `max_wasm_stack` bytes of native stack: Cranelift,
/// epoch interruption when `epochs` and [`timeouts_enabled`]; created once per distinct pair.
pub fn engine_for(max_wasm_stack: usize, epochs: bool) -> Result<Engine, Error> {
    let epochs = epochs && timeouts_enabled();
    let mut map = engines().lock().unwrap_or_else(|p| p.into_inner());
    if let Some(engine) = map.get(&(max_wasm_stack, epochs)) {
        return Ok(engine.clone());
    }
    let mut config = Config::new();
    config.epoch_interruption(epochs);
    config.max_wasm_stack(max_wasm_stack);
    // wasmtime refuses a `max_wasm_stack` over `async_stack_size` even for synchronous calls
    // (which never use that stack); keep the two consistent. Guest code runs on a stack the
    // runtime makes large enough, see `crate::stack`.
    config.async_stack_size(max_wasm_stack.max(DEFAULT_ASYNC_STACK));
    let engine = Engine::new(&config).map_err(|e| {
        Error::Load(format!(
            "invalid engine settings (max_wasm_stack = {max_wasm_stack}): {e:#}"
        ))
    })?;
    map.insert((max_wasm_stack, epochs), engine.clone());
    drop(map);
    if epochs {
        start_ticker();
    }
    Ok(engine)
}

/// Starts (once per process) the thread that advances every engine's epoch each [`TICK`].
fn start_ticker() {
    static STARTED: OnceLock<()> = OnceLock::new();
    STARTED.get_or_init(|| {
        let spawned = std::thread::Builder::new()
            .name("wasm-bind-epoch".into())
            .spawn(|| loop {
                std::thread::sleep(TICK);
                let map = engines().lock().unwrap_or_else(|p| p.into_inner());
                for engine in map.values() {
                    engine.increment_epoch();
                }
            });
        // Without the thread, timeouts never fire (calls still work); nothing else to do.
        drop(spawned);
    });
}

/// One cache bucket: guests whose bytes hash alike, each with its pre-linked module.
type Bucket = Vec<(Box<[u8]>, (usize, bool), InstancePre<Host>)>;

fn cache() -> &'static Mutex<HashMap<u64, Bucket>> {
    static CACHE: OnceLock<Mutex<HashMap<u64, Bucket>>> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// A fast non-cryptographic hash of the whole byte string (collisions are resolved by
/// comparing bytes, so quality only affects speed).
fn hash_bytes(bytes: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h: u64 = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
    }
    for &b in chunks.remainder() {
        h = (h.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
    }
    h
}

/// The compiled, pre-linked guest for `wasm` on the default engine (see [`instance_pre_for`]).
pub fn instance_pre(wasm: &[u8]) -> Result<InstancePre<Host>, Error> {
    instance_pre_for(wasm, DEFAULT_MAX_WASM_STACK, true)
}

/// The compiled, pre-linked guest for `wasm` on the engine of `max_wasm_stack` and `epochs`
/// (see [`engine_for`]): compiled on first use, then taken from the cache.
///
/// The guest imports nothing, or only WASI preview 1 functions (a libc guest: linked with
/// `wasmtime-wasi`, which needs the crate feature `wasi`); any other import is an [`Error::Load`]
/// naming it.
pub fn instance_pre_for(
    wasm: &[u8],
    max_wasm_stack: usize,
    epochs: bool,
) -> Result<InstancePre<Host>, Error> {
    let config = (max_wasm_stack, epochs && timeouts_enabled());
    let key = hash_bytes(wasm);
    if let Some(pre) = lookup(key, wasm, config) {
        return Ok(pre);
    }
    let engine = engine_for(max_wasm_stack, epochs)?;
    // Compile outside the lock: another thread may compile the same bytes concurrently; the
    // first one to insert wins and both get an equivalent module.
    let module = Module::new(&engine, wasm)
        .map_err(|e| Error::Load(format!("invalid wasm module: {e:#}")))?;
    let mut linker = Linker::new(&engine);
    if module.imports().len() > 0 {
        for import in module.imports() {
            let func = matches!(import.ty(), ExternType::Func(_));
            crate::wasi::check_import(import.module(), import.name(), func)?;
        }
        crate::wasi::link(&mut linker)?;
    }
    let pre = linker
        .instantiate_pre(&module)
        .map_err(|e| Error::Load(format!("cannot link the guest: {e:#}")))?;
    let mut map = cache()
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let bucket = map.entry(key).or_default();
    if let Some((_, _, existing)) = bucket
        .iter()
        .find(|(bytes, c, _)| **bytes == *wasm && *c == config)
    {
        return Ok(existing.clone());
    }
    bucket.push((wasm.into(), config, pre.clone()));
    Ok(pre)
}

fn lookup(key: u64, wasm: &[u8], config: (usize, bool)) -> Option<InstancePre<Host>> {
    let map = cache()
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    map.get(&key)?
        .iter()
        .find(|(bytes, c, _)| **bytes == *wasm && *c == config)
        .map(|(_, _, pre)| pre.clone())
}

/// How many distinct guests have been compiled in this process (for tests of the cache).
pub fn cached_modules() -> usize {
    let map = cache()
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    map.values().map(Vec::len).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_depends_on_every_byte_and_length() {
        let a = hash_bytes(b"0123456789abcdef!");
        assert_ne!(a, hash_bytes(b"0123456789abcdef?"));
        assert_ne!(a, hash_bytes(b"1123456789abcdef!"));
        assert_ne!(hash_bytes(b""), hash_bytes(b"\0"));
    }

    #[test]
    fn same_bytes_compile_once() {
        let wasm = wat::parse_str("(module (memory (export \"memory\") 1) (func (export \"f\")))")
            .unwrap();
        let before = cached_modules();
        let a = instance_pre(&wasm).unwrap();
        let b = instance_pre(&wasm.clone()).unwrap();
        assert_eq!(cached_modules(), before + 1);
        assert!(Module::same(a.module(), b.module()));
    }

    #[test]
    fn imports_are_refused() {
        let wasm = wat::parse_str("(module (import \"env\" \"f\" (func)))").unwrap();
        let err = instance_pre(&wasm).err().unwrap();
        assert!(err.to_string().contains("imports `env::f`"), "{err}");
    }
}
