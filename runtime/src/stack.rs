//! Where guest code runs: on the caller's thread when its wasm stack limit is small, else on a
//! helper thread whose native stack holds the whole limit, so deep recursion traps cleanly.
//!
//! wasmtime runs synchronous calls on the calling thread's native stack, and
//! [`crate::Options::max_wasm_stack`] only bounds what wasm may use of it: a limit larger than
//! the stack the thread has left makes a deep recursion overflow the native stack, which aborts
//! the process (a Rust thread has 2 MiB, the main thread usually 8 MiB). So limits above
//! [`INLINE_MAX_WASM_STACK`] run each entry into the guest (instantiation, a call with its arena
//! reset, a handle allocation) on a scoped thread with `max_wasm_stack + HOST_MARGIN` of stack.

/// The largest `max_wasm_stack` (bytes) whose guest code runs on the caller's own thread: the
/// default, 512 KiB. The caller needs that much free stack plus room for host frames (any Rust
/// thread has it: 2 MiB by default). Larger limits run on a helper thread (see the module doc).
pub const INLINE_MAX_WASM_STACK: usize = 512 * 1024;

/// Native stack a helper thread gets on top of `max_wasm_stack`: room for the runtime's and
/// wasmtime's own frames (entry trampolines, trap handling, the call's host side).
pub(crate) const HOST_MARGIN: usize = 1 << 20;

/// Runs `f` where a guest limited to `max_wasm_stack` bytes of wasm stack can use all of it:
/// inline up to [`INLINE_MAX_WASM_STACK`], else on a new scoped thread with a stack large
/// enough. `Err` only when that thread cannot be started; a panic in `f` is resumed here.
pub(crate) fn run<R: Send>(
    max_wasm_stack: usize,
    f: impl FnOnce() -> R + Send,
) -> Result<R, std::io::Error> {
    if max_wasm_stack <= INLINE_MAX_WASM_STACK {
        return Ok(f());
    }
    std::thread::scope(|scope| {
        let thread = std::thread::Builder::new()
            .name("wasm-bind-stack".into())
            .stack_size(max_wasm_stack.saturating_add(HOST_MARGIN))
            .spawn_scoped(scope, f)?;
        Ok(thread
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
    })
}

/// The message of the error when the helper thread cannot be started.
pub(crate) fn spawn_failed(max_wasm_stack: usize, e: &std::io::Error) -> String {
    format!(
        "could not start a thread with a {}-byte stack to run the guest (Options::max_wasm_stack = {max_wasm_stack}): {e}",
        max_wasm_stack.saturating_add(HOST_MARGIN)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_limits_run_inline_large_ones_on_a_helper_thread() {
        let here = std::thread::current().id();
        assert_eq!(
            run(INLINE_MAX_WASM_STACK, || std::thread::current().id()).unwrap(),
            here
        );
        let there = run(INLINE_MAX_WASM_STACK + 1, || {
            (
                std::thread::current().id(),
                std::thread::current().name().map(String::from),
            )
        })
        .unwrap();
        assert_ne!(there.0, here);
        assert_eq!(there.1.as_deref(), Some("wasm-bind-stack"));
    }
}
