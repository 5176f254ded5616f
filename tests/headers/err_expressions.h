// gen-flags: --config err_expressions.toml
// Every expression error names the parameter, the config entry and what is wrong.
#include <stddef.h>
#include <stdint.h>

typedef struct { uint8_t state[8]; uint32_t hash_size; } ctx_t;
typedef struct { uint32_t nb_blocks; } cost_t;

int bound(int n);
void misspelled(ctx_t *ctx, uint8_t *hash);
void no_field(ctx_t *ctx, uint8_t *hash);
void not_a_struct(uint8_t *out, uint32_t n);
void unknown_call(void *work, uint32_t n);
void arity(void *work, uint32_t n);
void syntax(void *work, cost_t cost);
void whole_struct(void *work, cost_t cost);
int self_ref(const uint8_t *src, uint8_t *dst, uint32_t srcSize, uint32_t dstCapacity);
