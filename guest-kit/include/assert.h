/*
 * assert.h: <assert.h> for wasm-bind guests (guest kit). A failed assert traps (`unreachable`):
 * the host sees a wasm trap from the call (Python: wasmtime.Trap; Rust: an error naming the
 * trap) and the instance must not be used for secrets again. There is no stderr to print to,
 * so the message is not kept (it would only grow the module). With NDEBUG defined, assert(e)
 * does not evaluate e, as in C. Like the standard header, this one may be included again after
 * changing NDEBUG.
 */
#undef assert
#ifdef NDEBUG
#define assert(e) ((void)0)
#else
#define assert(e) ((e) ? (void)0 : __builtin_trap())
#endif

#if !defined(__cplusplus) && defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L && __STDC_VERSION__ < 202311L && !defined(static_assert)
#define static_assert _Static_assert
#endif
