// gen-flags: --config config_exprs.toml
// Config roles with expressions: a computed capacity (len_of(p) = EXPR), an output sized by a
// handle field (out(EXPR, max = N)), scratch memory sized by a struct field or a call
// (scratch(EXPR)), an in/out length (inout, len_of(p)); returns: filled(p), nonneg, positive.
#include <stddef.h>
#include <stdint.h>

#define BLOCK_SIZE 1024

typedef struct { uint8_t state[64]; size_t hash_size; } hash_ctx;
typedef struct { uint32_t nb_blocks; uint32_t nb_passes; } cost_t;

int bound(int n);
int state_size(void);
void hash_init(hash_ctx *ctx, size_t hash_size);
void hash_final(hash_ctx *ctx, uint8_t *hash);
void stretch(uint8_t *out, uint32_t out_size, void *work, cost_t cost);
int pack(void *state, const char *src, char *dst, int srcSize, int dstCapacity);
int pack_some(const char *src, char *dst, int *srcSizePtr, int targetDstSize);
int unpack(const char *src, char *dst, int compressedSize, int dstCapacity);
int32_t checked_len(const uint8_t *data, size_t data_size);
int32_t nonzero(const uint8_t *data, size_t data_size);
