// gen-flags: --config filled_by.toml
// A filled count the function writes through a pointer: `filled(out)` on `size_t *out_len`
// (annotation on pack, config on unpack); never inferred (a bare `uint32_t *` stays an out-scalar).
#include <stddef.h>
#include <stdint.h>
#include "wasm_bind.h"

WB_STATUS int pack(const uint8_t *in, size_t in_size, uint8_t *out, size_t out_capacity, WB_ROLE("filled(out)") size_t *out_len);
int unpack(const uint8_t *src, size_t src_size, uint16_t *dst, size_t dst_capacity, uint32_t *dst_len, uint32_t *crc);
