// gen-flags:
// Error: an input pointer with no size parameter.
#include <stdint.h>

void absorb(const uint8_t *data, uint8_t flags);
