/* Error rules on unsigned returns and a code message (tests/python/test_unsigned_errors.py, tests/rust/rust_filled.rs,
 * tests/js/unsigned_errors.test.mjs), over the hand-written guest unsigned_errors.wat:
 * squeeze copies src to dst and returns its size, or (size_t)-70 when dst_capacity < src_size;
 * count, big, small and opcode return their argument; err_name names -70 and 3, else NULL. */
#include <stddef.h>
#include <stdint.h>
size_t squeeze(void *dst, size_t dst_capacity, const void *src, size_t src_size);
size_t count(uint32_t n);
uint64_t big(uint64_t n);
uint8_t small(uint8_t n);
const char *err_name(size_t code);
int opcode(int op);
