/*
 * wb_arena.h: the arena ABI exported by every wasm-bind guest (part of wasm-bind's guest kit,
 * guest-kit/; `wasm-bind guest` compiles and exports it). Freestanding, no libc.
 *
 * A library's own code rarely needs this header: the host calls these functions around every
 * guest call. Include it to take per-call scratch memory from C (bump_alloc), as
 * guests/twosum/twosum.c does.
 *
 * Per-call arena ("bump" allocator)
 *   void *bump_alloc(size_t size);
 *       Returns a pointer to `size` bytes, 16-byte aligned, ALL ZERO, that
 *       stay valid until the next bump_reset(). size 0 is treated as 16 so
 *       every call returns a distinct non-null pointer. Returns 0 (NULL)
 *       when `size` overflows or linear memory cannot grow.
 *   void bump_reset(void);
 *       Zeroes every byte handed out by bump_alloc since the previous reset
 *       (up to each chunk's high-water mark, including bytes the guest wrote
 *       into them), then rewinds the arena. Memory is kept for reuse, never
 *       returned. Persistent blocks are never touched.
 *   void wb_reset_wiped(void *p, size_t n);
 *       bump_reset, for a host that has just zeroed the n bytes at p itself
 *       (its argument block): those bytes are not zeroed a second time.
 *       Everything else is as bump_reset (the rest of the arena and the dead
 *       C stack are zeroed).
 *
 * Persistent blocks (handle objects such as crypto_blake2b_ctx that must
 * survive bump_reset)
 *   void *wb_persist_alloc(size_t size);
 *       Returns a zeroed, 16-byte aligned block of at least `size` bytes,
 *       or 0 on overflow / out of memory.
 *   void wb_persist_free(void *p, size_t size);
 *       `size` must be the value passed to wb_persist_alloc. Wipes the whole
 *       block (zeroes it) and makes it reusable. p == 0 is a no-op.
 *
 * The host must not free/reset from inside a guest call; the guest is
 * single-threaded.
 */
#ifndef WASM_BIND_WB_ARENA_H
#define WASM_BIND_WB_ARENA_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Default visibility: exported by `--export-dynamic` links too, whatever -fvisibility says. */
#define WB_ARENA_API __attribute__((visibility("default")))

WB_ARENA_API void *bump_alloc(size_t size);
WB_ARENA_API void  bump_reset(void);
WB_ARENA_API void  wb_reset_wiped(void *p, size_t n);
WB_ARENA_API void *wb_persist_alloc(size_t size);
WB_ARENA_API void  wb_persist_free(void *p, size_t size);

#ifdef __cplusplus
}
#endif

#endif /* WASM_BIND_WB_ARENA_H */
