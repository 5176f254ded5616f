// gen-flags:
// Error: a non-const pointer with no size and no array bound (its length cannot be known).
#include <stdint.h>

typedef struct { uint64_t h[8]; } ctx_t;
void final(ctx_t *ctx, uint8_t *hash);
