// gen-flags:
/* Callback parameters (issue 14): function pointers a host callable / closure stands in for.
   The guest is guests/callbacks/callbacks.c (built with --export-table --growable-table). */
#include <stdint.h>
#include <stddef.h>
#include "wasm_bind.h"

/** Sorts `values` in place (insertion sort), ordering with `cmp` (negative: a before b). */
void sort_i32(WB_INOUT int32_t *values, size_t count, int (*cmp)(const int32_t *a, const int32_t *b));

/** A progress report: `user` is the context passed beside the callback. */
typedef void (*progress_fn)(void *user, int32_t done);

/** Calls `progress(user, i)` for i = 1..steps; returns steps. */
int32_t run_steps(int32_t steps, progress_fn progress, void *user);

/** Returns the sum of `f(x)` over `xs` (64-bit results). */
int64_t map_sum(const int32_t *xs, size_t n, int64_t (*f)(int32_t x));

/** Calls `visit(d)` for d = depth..0, recursing in the guest between calls; returns their sum. */
int32_t descend(int32_t depth, int32_t (*visit)(int32_t d));

/** Calls `each(part, len)` on consecutive parts of `data` of `chunk` bytes (the last may be
    shorter) and returns the sum of what it returned. */
uint32_t chunks(const uint8_t *data, size_t size, uint32_t chunk,
                uint32_t (*each)(const uint8_t *part, size_t len));

/** Asks `fill(count, out)` to fill `count` int32 values (count <= 64) and returns their sum. */
int64_t fill_and_sum(uint32_t count, void (*fill)(uint32_t n, int32_t *out));

/** Returns the sum of `f(i)` for i in 0..n, each scaled by 1000 and truncated. */
int64_t sum_scaled(uint32_t n, double (*f)(uint32_t i));

/** Keeps `cb` in a static variable (a guest that stashes a callback beyond the call). */
void stash(void (*cb)(int32_t value));

/** Calls the stashed callback, if any, with `value`; returns 1 when it called one. */
int32_t fire_stashed(int32_t value);

/** Calls `tick()` forever. */
void spin(void (*tick)(void));

/** A plain function, for re-entrancy checks. */
int32_t add(int32_t a, int32_t b);

/* Not bindable: the elements' size is not in the callback's signature. */
void qsort_like(void *base, size_t n, size_t size, int (*cmp)(const void *a, const void *b));

/* Not bindable: a callback that takes a callback. */
void nested(void (*outer)(void (*inner)(int32_t)));
