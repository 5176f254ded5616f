/* Filled counts written through a pointer (`filled(out)` on `size_t *out_len`) for
 * tests/rust/rust_filled.rs, over a hand-written guest (the .wat is inline in the test). */
#include <stddef.h>
#include <stdint.h>
#include "wasm_bind.h"

/** Upper-cases in into out; returns 1 when out_capacity is too small. */
WB_STATUS int pack(const uint8_t *in, size_t in_size, uint8_t *out, size_t out_capacity, WB_ROLE("filled(out)") size_t *out_len);

/** Widens src into dst (u16 elements), stores the sum of src in *sum; returns 7. */
int widen(const uint8_t *src, size_t src_size, uint16_t *dst, size_t dst_capacity, WB_ROLE("filled(dst)") uint32_t *dst_len, uint32_t *sum);
