/*
 * stdlib.h: the freestanding pieces of <stdlib.h> in wasm-bind's guest kit (guest-kit/wb_libc.c).
 *
 * Integer helpers (abs, labs, llabs, div, ldiv, lldiv), abort (a trap) and the usual macros.
 * There is no heap: malloc, calloc, realloc and free are declared unavailable so that a library
 * which calls them fails to compile with a message saying so (guests that need libc are not
 * supported yet; a later kit tier can define them here). Guests take per-call memory from the
 * arena (wb_arena.h) and long-lived blocks from wb_persist_alloc.
 */
#ifndef WB_KIT_STDLIB_H
#define WB_KIT_STDLIB_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1

typedef struct { int quot, rem; } div_t;
typedef struct { long quot, rem; } ldiv_t;
typedef struct { long long quot, rem; } lldiv_t;

int abs(int x);
long labs(long x);
long long llabs(long long x);
div_t div(int num, int den);
ldiv_t ldiv(long num, long den);
lldiv_t lldiv(long long num, long long den);

/* Ends the guest call with a wasm trap (there is no process to end). */
static inline __attribute__((noreturn)) void abort(void) { __builtin_trap(); }

#define WB_NO_HEAP __attribute__((unavailable("wasm-bind's freestanding guest kit has no heap: a library that calls malloc/free needs libc: build it with `wasm-bind guest --wasi` (wasi-libc), or use bump_alloc / wb_persist_alloc from wb_arena.h, or compile the allocating code out")))
void *malloc(size_t size) WB_NO_HEAP;
void *calloc(size_t n, size_t size) WB_NO_HEAP;
void *realloc(void *p, size_t size) WB_NO_HEAP;
void free(void *p) WB_NO_HEAP;
#undef WB_NO_HEAP

#ifdef __cplusplus
}
#endif

#endif /* WB_KIT_STDLIB_H */
