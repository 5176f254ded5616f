// gen-flags:
// Error: an output without a size of its own, and two sizes it could share.
#include <stddef.h>
#include <stdint.h>

void mix(uint8_t *out, const uint8_t *a, size_t n, const uint8_t *b, size_t len);
