/*
 * wb_arena.c: the arena ABI of wasm-bind guests (see wb_arena.h), part of the guest kit.
 * Written from scratch for wasm-bind; freestanding, no libc.
 *
 * Memory design
 * -------------
 * Everything above the linker symbol __heap_base (rounded up to 16) is
 * managed by a single "break" pointer `brk`, like sbrk(): `take(n)` hands
 * out the n bytes at `brk` and advances it, growing linear memory with
 * __builtin_wasm_memory_grow when `brk` would pass the end of memory.
 * Fresh memory is always zero (wasm instantiation and memory.grow both
 * give zeroed pages, and the stack/data live below __heap_base).
 * Nothing taken is ever given back to `brk`. Two independent clients take
 * memory from it, so they can interleave freely while memory grows:
 *
 * 1. The per-call arena is a singly linked list of CHUNKS, each with a
 *    16-byte header {next, cap, used} followed by `cap` data bytes.
 *    bump_alloc carves from the current chunk; when the request does not
 *    fit it moves on to the first later chunk (kept from an earlier cycle)
 *    that is large enough, or takes a new chunk of
 *    max(size, ARENA_CHUNK - 16) bytes from `brk` and appends it.
 *    bump_reset walks ALL chunks, zeroes data[0 .. used) of each (the
 *    high-water mark since the last reset) and rewinds to the first chunk;
 *    wb_reset_wiped(p, n) does the same except for the n bytes at p, which
 *    the host has just zeroed itself (its argument block: zeroed once, not
 *    twice).
 *    Invariant: bytes at data[used .. cap) of every chunk are zero, so
 *    bump_alloc always returns zeroed memory without clearing it.
 *    Chunks are only ever reached through the arena list, so a reset can
 *    never touch a persistent block, even if persistent blocks were taken
 *    from `brk` between two chunks.
 *
 * 2. Persistent blocks use power-of-two size classes, 16 B .. 2 GiB.
 *    wb_persist_alloc pops the free list of its class or, if it is empty,
 *    takes a fresh block of exactly the class size from `brk`.
 *    wb_persist_free zeroes the whole class-sized block and pushes it on
 *    the class free list (the link word is stored in the block's first 4
 *    bytes and cleared again when popped), so blocks are always handed out
 *    zeroed. Blocks are never merged or split; memory is never returned.
 *
 * All sizes are rounded up to 16 and every block/chunk starts 16-aligned,
 * so every pointer returned is 16-byte aligned.
 *
 * Compiled with -DWB_ARENA_LIBC (libc guests, `wasm-bind guest --wasi`), the
 * break is replaced by the C library's aligned_alloc/free: malloc owns the
 * memory above __heap_base there. Chunks are kept for reuse as above;
 * persistent blocks are malloc'd at their rounded size and zeroed + freed by
 * wb_persist_free. The contract (zeroed, 16-aligned, wiped) is the same.
 */
#include "wb_arena.h"
#include <stdint.h>

#define ALIGN 16u
#define PAGE 65536u
#define ARENA_CHUNK (256u * 1024u) /* default arena chunk incl. header */
#define NCLASSES 28                /* 2^4 .. 2^31 */

#ifndef WB_ARENA_LIBC
extern unsigned char __heap_base;
#endif

typedef struct chunk {
    struct chunk *next;
    size_t cap;  /* data bytes */
    size_t used; /* high-water mark of data bytes since the last reset */
    size_t pad;  /* keeps the header 16 bytes */
} chunk;

_Static_assert(sizeof(chunk) == 16, "chunk header must be 16 bytes");

#ifndef WB_ARENA_LIBC
static uintptr_t brk;             /* 0 until first use */
static void *free_lists[NCLASSES];
#endif
static chunk *arena_first, *arena_last, *arena_cur;

static void zero(void *p, size_t n) {
    /* Lowered to memory.fill by -mbulk-memory (no libc memset needed).
     * The store can't be elided: the memory is exported to the host. */
    __builtin_memset(p, 0, n);
}

/* Round up to a multiple of 16; returns 0 on overflow. */
static size_t round16(size_t n) {
    if (n > SIZE_MAX - (ALIGN - 1)) return 0;
    return (n + (ALIGN - 1)) & ~(size_t)(ALIGN - 1);
}

#ifdef WB_ARENA_LIBC
/* Libc guests (`wasm-bind guest --wasi`): malloc owns the memory above __heap_base, so the
 * arena's chunks and the persistent blocks come from aligned_alloc (zeroed here) instead of a
 * break of their own, which would overwrite malloc's heap. */
#include <stdlib.h>

static void *take(size_t n) {
    void *p = aligned_alloc(ALIGN, n);
    if (p) zero(p, n);
    return p;
}
#else
/* Take n (multiple of 16) fresh zeroed bytes from the break. */
static void *take(size_t n) {
    if (brk == 0) brk = ((uintptr_t)&__heap_base + (ALIGN - 1)) & ~(uintptr_t)(ALIGN - 1);
    uintptr_t start = brk;
    if (n > UINTPTR_MAX - start) return 0;
    uintptr_t end = start + n; /* exclusive */
    uintptr_t mem_end = (uintptr_t)__builtin_wasm_memory_size(0) * PAGE;
    /* mem_end is 0 when memory is exactly 4 GiB (wraps); wasm32 memories
     * can't exceed 4 GiB - so treat 0 as "full" and the grow below fails. */
    if (end > mem_end || mem_end == 0) {
        uintptr_t missing = end - mem_end;
        size_t pages = missing / PAGE + (missing % PAGE != 0);
        if (__builtin_wasm_memory_grow(0, pages) == (size_t)-1) return 0;
    }
    brk = end;
    return (void *)start;
}
#endif

void *bump_alloc(size_t size) {
    size_t n = round16(size == 0 ? 1 : size);
    if (n == 0) return 0;
    chunk *c = arena_cur;
    if (c && c->cap - c->used >= n) {
        void *p = (unsigned char *)(c + 1) + c->used;
        c->used += n;
        return p;
    }
    /* First later chunk (left over from a previous cycle) that fits. */
    for (c = c ? c->next : arena_first; c; c = c->next)
        if (c->cap >= n) break; /* later chunks all have used == 0 */
    if (!c) {
        size_t cap = ARENA_CHUNK - sizeof(chunk);
        if (n > cap) cap = n;
        if (cap > SIZE_MAX - sizeof(chunk)) return 0;
        c = (chunk *)take(cap + sizeof(chunk));
        if (!c) return 0;
        c->next = 0;
        c->cap = cap;
        c->used = 0;
        if (arena_last) arena_last->next = c; else arena_first = c;
        arena_last = c;
    }
    arena_cur = c;
    c->used = n;
    return (void *)(c + 1);
}

/* Zeroes the dead part of the C (shadow) stack below the caller's frame, at most
 * WB_STACK_WIPE bytes deep, never below the stack's bottom (__stack_low, from
 * wasm-ld). bump_reset is called by the host between calls, so every frame below
 * its own belongs to a call that has returned: library code such as Monocypher's
 * crypto_blake2b_keyed_init leaves key material there. Monocypher's deepest call
 * (crypto_ed25519_sign) uses about 1.3 KiB of shadow stack; frames deeper than
 * WB_STACK_WIPE (e.g. LZ4's 16 KiB stack state) are only partly wiped. */
#ifndef WB_STACK_WIPE
#define WB_STACK_WIPE 8192u
#endif
extern unsigned char __stack_low;

__attribute__((noinline)) static void wipe_dead_stack(void) {
    uintptr_t top = (uintptr_t)__builtin_frame_address(0);
    uintptr_t low = (uintptr_t)&__stack_low;
    if (top <= low) return;
    uintptr_t from = top - low > WB_STACK_WIPE ? top - WB_STACK_WIPE : low;
    zero((void *)from, top - from);
}

/* Zeroes data[0 .. used) of every chunk except the bytes in [lo, hi), then rewinds the arena. */
static void rewind_except(uintptr_t lo, uintptr_t hi) {
    for (chunk *c = arena_first; c; c = c->next) {
        uintptr_t d = (uintptr_t)(c + 1), e = d + c->used;
        if (hi <= d || lo >= e) {
            zero((void *)d, c->used);
        } else {
            if (lo > d) zero((void *)d, lo - d);
            if (hi < e) zero((void *)hi, e - hi);
        }
        c->used = 0;
    }
    arena_cur = arena_first;
}

void bump_reset(void) {
    rewind_except(0, 0);
    wipe_dead_stack();
}

void wb_reset_wiped(void *p, size_t n) {
    uintptr_t lo = (uintptr_t)p;
    rewind_except(lo, n > UINTPTR_MAX - lo ? UINTPTR_MAX : lo + n);
    wipe_dead_stack();
}

#ifdef WB_ARENA_LIBC
/* Persistent blocks are malloc's: exactly the rounded size, wiped on free. */
void *wb_persist_alloc(size_t size) {
    size_t n = round16(size == 0 ? 1 : size);
    return n ? take(n) : 0;
}

void wb_persist_free(void *p, size_t size) {
    if (!p) return;
    zero(p, round16(size == 0 ? 1 : size));
    free(p);
}
#else
/* Size-class index for n bytes (n >= 1), or -1 if too large. */
static int size_class(size_t n) {
    size_t cls = 16;
    int i = 0;
    while (cls < n) {
        if (i == NCLASSES - 1) return -1;
        cls <<= 1;
        i++;
    }
    return i;
}

void *wb_persist_alloc(size_t size) {
    int i = size_class(size == 0 ? 1 : size);
    if (i < 0) return 0;
    void **head = (void **)free_lists[i];
    if (head) {
        free_lists[i] = *head;
        *head = 0; /* restore the all-zero invariant */
        return head;
    }
    return take((size_t)16 << i);
}

void wb_persist_free(void *p, size_t size) {
    if (!p) return;
    int i = size_class(size == 0 ? 1 : size);
    if (i < 0) return; /* cannot have come from wb_persist_alloc */
    zero(p, (size_t)16 << i);
    *(void **)p = free_lists[i];
    free_lists[i] = p;
}
#endif
