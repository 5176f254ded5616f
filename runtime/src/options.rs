//! Per-object limits a binding object is created with (`<Class>::from_bytes_with(wasm, &opts)`).

use std::time::Duration;

use crate::Error;

/// The default cap on a guest's linear memory: 256 MiB (the Python runtime's default too).
pub const DEFAULT_MAX_MEMORY: u64 = 256 * 1024 * 1024;
/// The default limit on one guest call: 30 s (the Python runtime's default too).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The default bound on a module's size: 64 MiB (SQLite's whole amalgamation is about 1.3 MB).
pub const DEFAULT_MAX_MODULE_SIZE: usize = 64 * 1024 * 1024;
/// The default bound on one function body's size: 1 MiB. Compiling time and memory grow with
/// the largest function (a 7 MB body took 50 s and 3.8 GB); real libraries stay far below it
/// (SQLite's largest, the bytecode interpreter, is on the order of 100 KB).
pub const DEFAULT_MAX_FUNCTION_SIZE: usize = 1024 * 1024;
/// The largest accepted [`Options::max_wasm_stack`]: 256 MiB.
pub const MAX_WASM_STACK_LIMIT: usize = 256 * 1024 * 1024;

/// Limits of one binding object: how much memory its guest may use, how long one call may run,
/// how deep it may recurse. `Options::default()` are the limits of `from_bytes` / `new`.
///
/// ```
/// # use std::time::Duration;
/// let opts = wasm_bind_rt::Options::default()
///     .max_memory(16 << 20)
///     .timeout(Some(Duration::from_millis(500)));
/// assert_eq!(opts.max_memory, 16 << 20);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Options {
    /// Cap on the guest's linear memory in bytes (65536 ..= 4 GiB; default 256 MiB). Growth past
    /// it is refused (the guest's `memory.grow` returns -1, so its allocator returns 0 and the
    /// call fails with `Error::OutOfMemory`); a guest whose initial memory is larger fails to
    /// load with `Error::Load`; a call whose buffers alone need more fails with
    /// `Error::Argument` before the guest runs.
    pub max_memory: u64,
    /// Wall-clock limit of one call (default 30 s). A call still running after it is
    /// interrupted (wasmtime epoch deadline, checked at loop heads and function entries) and
    /// fails with `Error::Timeout` within about `timeout + 20 ms`; the object is then
    /// re-instantiated. `None`: no limit, and the guest runs on an engine compiled without
    /// epoch checks (a few to ~15% faster on long computations; compiled once more). Has no
    /// effect when the process runs with `WASM_BIND_NO_TIMEOUTS=1`.
    pub timeout: Option<Duration>,
    /// Native stack the guest's wasm code may use, in bytes (16 KiB ..= 256 MiB; default
    /// 512 KiB, wasmtime's). Deeper recursion traps with `Error::Trap` (call stack exhausted).
    /// Up to 512 KiB the guest runs on the calling thread, which needs that much free stack
    /// (any Rust thread has 2 MiB); above it every call (and instantiation) runs on a helper
    /// thread with `max_wasm_stack + 1 MiB` of stack, started per call (tens of microseconds),
    /// so the limit holds whatever thread calls. Each distinct value uses its own shared engine,
    /// so a guest is compiled once per value used.
    pub max_wasm_stack: usize,
    /// Largest wasm module accepted, in bytes (default 64 MiB). Checked before anything is
    /// parsed or compiled; a larger module fails to load with `Error::Load`.
    pub max_module_size: usize,
    /// Largest function body accepted, in bytes (default 1 MiB). Checked before compiling
    /// (compile time and memory grow with it); a module with a larger function fails to load
    /// with `Error::Load` naming the function. Raise it only for guests you trust.
    pub max_function_size: usize,
    /// What a libc guest (one importing WASI preview 1) may reach: nothing by default (no files,
    /// no environment, no arguments, output discarded; clocks and randomness allowed). Replayed
    /// whenever the instance is re-created; ignored by a guest that imports nothing. Running a
    /// libc guest needs this crate's `wasi` feature.
    pub wasi: crate::Wasi,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_memory: DEFAULT_MAX_MEMORY,
            timeout: Some(DEFAULT_TIMEOUT),
            max_wasm_stack: crate::engine::DEFAULT_MAX_WASM_STACK,
            max_module_size: DEFAULT_MAX_MODULE_SIZE,
            max_function_size: DEFAULT_MAX_FUNCTION_SIZE,
            wasi: crate::Wasi::default(),
        }
    }
}

impl Options {
    /// Sets [`Options::max_memory`].
    #[must_use]
    pub fn max_memory(mut self, bytes: u64) -> Self {
        self.max_memory = bytes;
        self
    }

    /// Sets [`Options::timeout`].
    #[must_use]
    pub fn timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets [`Options::max_wasm_stack`].
    #[must_use]
    pub fn max_wasm_stack(mut self, bytes: usize) -> Self {
        self.max_wasm_stack = bytes;
        self
    }

    /// Sets [`Options::max_module_size`].
    #[must_use]
    pub fn max_module_size(mut self, bytes: usize) -> Self {
        self.max_module_size = bytes;
        self
    }

    /// Sets [`Options::max_function_size`].
    #[must_use]
    pub fn max_function_size(mut self, bytes: usize) -> Self {
        self.max_function_size = bytes;
        self
    }

    /// Sets [`Options::wasi`].
    #[must_use]
    pub fn wasi(mut self, wasi: crate::Wasi) -> Self {
        self.wasi = wasi;
        self
    }

    /// Checks the ranges; an invalid value is an [`Error::Load`] naming the field.
    pub(crate) fn check(&self) -> Result<(), Error> {
        if !(65536..=1u64 << 32).contains(&self.max_memory) {
            return Err(Error::Load(format!(
                "invalid Options: max_memory = {} is outside 65536 ..= 4294967296 bytes",
                self.max_memory
            )));
        }
        if self.timeout.is_some_and(|t| t.is_zero()) {
            return Err(Error::Load(
                "invalid Options: timeout is zero (use None for no limit)".into(),
            ));
        }
        if !(16 * 1024..=MAX_WASM_STACK_LIMIT).contains(&self.max_wasm_stack) {
            return Err(Error::Load(format!(
                "invalid Options: max_wasm_stack = {} is outside 16 KiB ..= 256 MiB",
                self.max_wasm_stack
            )));
        }
        for (name, value) in [
            ("max_module_size", self.max_module_size),
            ("max_function_size", self.max_function_size),
        ] {
            if value == 0 {
                return Err(Error::Load(format!(
                    "invalid Options: {name} is zero (no module fits)"
                )));
            }
        }
        self.wasi.check()
    }

    /// The epoch deadline of one call, in ticks (a huge number for no limit).
    pub(crate) fn deadline_ticks(&self) -> u64 {
        match self.timeout {
            // Rounded up, plus one: the first tick may come at once.
            Some(t) => {
                let tick = crate::engine::TICK.as_nanos();
                u64::try_from(t.as_nanos().div_ceil(tick))
                    .unwrap_or(u64::MAX >> 2)
                    .saturating_add(1)
                    .min(u64::MAX >> 2)
            }
            None => u64::MAX >> 2,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_match_the_python_runtime() {
        let o = Options::default();
        assert_eq!(o.max_memory, 256 * 1024 * 1024);
        assert_eq!(o.timeout, Some(Duration::from_secs(30)));
        assert_eq!(o.max_module_size, 64 << 20);
        assert_eq!(o.max_function_size, 1 << 20);
        assert!(o.check().is_ok());
    }

    #[test]
    fn out_of_range_values_are_refused() {
        for bad in [
            Options::default().max_memory(0),
            Options::default().max_memory(65535),
            Options::default().max_memory((1 << 32) + 1),
            Options::default().timeout(Some(Duration::ZERO)),
            Options::default().max_wasm_stack(0),
            Options::default().max_wasm_stack(MAX_WASM_STACK_LIMIT + 1),
            Options::default().max_module_size(0),
            Options::default().max_function_size(0),
        ] {
            let err = bad.check().unwrap_err();
            assert!(err.to_string().contains("invalid Options"), "{err}");
        }
        assert!(Options::default().max_memory(1 << 32).check().is_ok());
        assert!(Options::default()
            .max_wasm_stack(MAX_WASM_STACK_LIMIT)
            .check()
            .is_ok());
    }

    #[test]
    fn deadline_rounds_up() {
        assert_eq!(
            Options::default()
                .timeout(Some(Duration::from_millis(25)))
                .deadline_ticks(),
            4
        );
        assert_eq!(
            Options::default().timeout(None).deadline_ticks(),
            u64::MAX >> 2
        );
    }
}
