// gen-flags:
// The expression annotations of wasm_bind.h: WB_OUT_COUNT, WB_SCRATCH, WB_ROLE, WB_RETURN.
#include <stddef.h>
#include <stdint.h>
#include "wasm_bind.h"

typedef struct { uint8_t state[32]; uint32_t out_len; } ctx_t;

int bound(int n);
void finish(ctx_t *ctx, WB_OUT_COUNT(ctx.out_len, max = 32) uint8_t *out);
void work(WB_SCRATCH(n * 64) void *scratch, uint32_t n);
WB_RETURN("filled(dst), positive") int squeeze(const char *src, char *dst, int srcSize, WB_ROLE("len_of(dst) = bound(srcSize)") int dstCapacity);
WB_RETURN("filled(dst)") int take(const char *src, char *dst, WB_ROLE("inout, len_of(src)") int *srcSizePtr, int dstCapacity);
