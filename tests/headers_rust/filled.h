/* Filled counts written through a pointer (`filled(out)` on `size_t *out_len`) for
 * tests/rust/rust_filled.rs, over a hand-written guest (the .wat is inline in the test). */
#include <stddef.h>
#include <stdint.h>
#include "wasm_bind.h"

/** Upper-cases in into out; returns 1 when out_capacity is too small. */
WB_STATUS int pack(const uint8_t *in, size_t in_size, uint8_t *out, size_t out_capacity, WB_ROLE("filled(out)") size_t *out_len);

/** Widens src into dst (u16 elements), stores the sum of src in *sum; returns 7. */
int widen(const uint8_t *src, size_t src_size, uint16_t *dst, size_t dst_capacity, WB_ROLE("filled(dst)") uint32_t *dst_len, uint32_t *sum);

/** Copies src to dst; returns its size, or (size_t)-70 when dst_capacity is too small (zstd's
 * convention: an error is a "negative" size_t). */
WB_RETURN("filled(dst)") size_t squeeze(void *dst, size_t dst_capacity, const void *src, size_t src_size);

/** Returns n: its top-bit values read as negative, so they are errors. */
WB_RETURN("nonneg") size_t count(uint32_t n);

/** Returns n (0 and top-bit values are errors). */
WB_RETURN("positive") uint64_t big(uint64_t n);

/** Names the codes squeeze and count fail with (-70, 3), else NULL: the module status rule's
 * message (tests/headers_rust/filled.toml), given the failed value. */
const char *err_name(size_t code);

/** Returns op: 0 is success, anything else a status err_name may explain. */
WB_STATUS int opcode(int op);
