//! The process-wide wasmtime Engine and compiled-module cache every [`crate::Guest`] starts from.
//!
//! Compiling a guest takes milliseconds to seconds; instantiating a compiled one takes
//! microseconds. So the compiled form ([`wasmtime::InstancePre`], which holds the
//! [`wasmtime::Module`]) is cached per process, keyed by the wasm bytes: a fast 64-bit hash
//! picks the bucket and the bytes themselves are compared, so two different guests never
//! share an entry.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use wasmtime::{Engine, InstancePre, Linker, Module};

use crate::Error;

/// The one Engine of the process (default configuration: Cranelift, signals-based traps).
pub fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(Engine::default)
}

/// One cache bucket: guests whose bytes hash alike, each with its pre-linked module.
type Bucket = Vec<(Box<[u8]>, InstancePre<()>)>;

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

/// The compiled, pre-linked guest for `wasm`: compiled on first use, then taken from the cache.
///
/// The guest must be self-contained (no imports): wasm-bind guests are built without libc.
pub fn instance_pre(wasm: &[u8]) -> Result<InstancePre<()>, Error> {
    let key = hash_bytes(wasm);
    if let Some(pre) = lookup(key, wasm) {
        return Ok(pre);
    }
    // Compile outside the lock: another thread may compile the same bytes concurrently; the
    // first one to insert wins and both get an equivalent module.
    let module = Module::new(engine(), wasm)
        .map_err(|e| Error::Load(format!("invalid wasm module: {e:#}")))?;
    if let Some(import) = module.imports().next() {
        return Err(Error::Load(format!(
            "the guest imports `{}::{}`, but wasm-bind guests must be self-contained (no imports); \
             build it without libc and with every symbol defined",
            import.module(),
            import.name()
        )));
    }
    let pre = Linker::new(engine())
        .instantiate_pre(&module)
        .map_err(|e| Error::Load(format!("cannot link the guest: {e:#}")))?;
    let mut map = cache()
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let bucket = map.entry(key).or_default();
    if let Some((_, existing)) = bucket.iter().find(|(bytes, _)| **bytes == *wasm) {
        return Ok(existing.clone());
    }
    bucket.push((wasm.into(), pre.clone()));
    Ok(pre)
}

fn lookup(key: u64, wasm: &[u8]) -> Option<InstancePre<()>> {
    let map = cache()
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    map.get(&key)?
        .iter()
        .find(|(bytes, _)| **bytes == *wasm)
        .map(|(_, pre)| pre.clone())
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
