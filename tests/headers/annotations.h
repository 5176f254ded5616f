// gen-flags:
// Every annotation of wasm_bind.h, on a header the author can edit.
#include <stddef.h>
#include <stdint.h>
#include "wasm_bind.h"

typedef struct { uint32_t s[4]; } rng;

void key_pair(uint8_t secret_key[64], uint8_t public_key[32], WB_INOUT uint8_t seed[32]);
WB_STATUS int ct_equal(const uint8_t *a, const uint8_t *b, WB_LEN_OF(a, b) size_t n);
void fill(WB_OUT uint32_t *words, WB_SCALAR size_t step, WB_LEN_OF(words) size_t count);
void scramble(WB_INOUT uint8_t *buf, size_t buf_size, WB_HANDLE rng *r);
void mix(WB_IN uint8_t *legacy_input, size_t legacy_input_size, uint8_t out[8]);
WB_VALUE int popcount(const uint8_t *data, size_t data_size);
WB_SKIP("debug only") void dump_state(const rng *r);
