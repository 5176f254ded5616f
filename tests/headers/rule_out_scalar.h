// gen-flags:
// A non-const pointer to one integer wider than a byte, with no size, is a single out-value
// (out-scalar), returned after the call; `inout` makes it an in/out value the caller starts.
// Element types wider than a byte keep element counts: `int32_t *xs, size_t xs_count`.
// An `inout`/`out` pointer to a wide integer followed by an integer not named like a size is one
// value (`advance`); followed by a size-like name (`n`) it is a buffer of that many elements.
#include <stddef.h>
#include <stdint.h>
#include "wasm_bind.h"

void get_len(size_t *len);
int sum_all(const int32_t *xs, size_t xs_count, int64_t *total);
int parse(const uint8_t *text, size_t text_size, int *err);
void next_counter(uint32_t step, WB_INOUT uint64_t *counter);
void fill_bytes(uint8_t *out, size_t out_size, uint32_t *written);
void mean(const int32_t *xs, size_t xs_count, WB_OUT int32_t *result);
void advance(WB_INOUT uint64_t *counter, uint32_t step);
void scale_all(WB_INOUT uint64_t *words, size_t n);
