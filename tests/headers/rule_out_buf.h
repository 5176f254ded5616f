// gen-flags:
// Rule pointer+size: a non-const pointer followed by its own size is an output whose length the
// caller chooses.
#include <stddef.h>
#include <stdint.h>

void random_bytes(uint8_t *out, size_t out_size, const uint8_t seed[32]);
void kdf(uint8_t *okm, size_t okm_size, const uint8_t *ikm, size_t ikm_size);
