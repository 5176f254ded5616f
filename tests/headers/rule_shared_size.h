// gen-flags:
// Rule shared-size: an output pointer without a size of its own shares the size of an input of
// the same element type whose size parameter is named after it (`text_size` -> `*_text`).
#include <stddef.h>
#include <stdint.h>

void aead_lock(uint8_t *cipher_text, uint8_t mac[16], const uint8_t key[32],
               const uint8_t *ad, size_t ad_size,
               const uint8_t *plain_text, size_t text_size);

uint64_t stream_xor(uint8_t *cipher_text, const uint8_t *plain_text, size_t text_size,
                    const uint8_t key[32], uint64_t ctr);
