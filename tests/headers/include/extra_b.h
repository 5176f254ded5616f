// Bound together with extra_headers.h (not a test case itself).
#include "../extra_headers.h"
#include <stddef.h>

#define EXTRA_ONE 1
void extra_fn(uint8_t *out, size_t out_size);
