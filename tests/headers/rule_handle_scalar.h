// gen-flags:
// Rules struct-pointer / integer: a pointer to a struct declared here is a handle (caller-owned
// context, size and alignment from the wasm32 layout); an integer sizing nothing is a scalar.
#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint64_t state[8];
    size_t used;
    uint8_t pending[3];
} hasher_ctx;

struct counter { uint32_t n; };

void hasher_init(hasher_ctx *ctx, size_t out_size);
void hasher_update(hasher_ctx *ctx, const uint8_t *message, size_t message_size);
void hasher_final(hasher_ctx *ctx, uint8_t out[64]);
int32_t counter_add(struct counter *c, int16_t delta, uint8_t flags);
