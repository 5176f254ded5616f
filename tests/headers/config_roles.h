// gen-flags: --config config_roles.toml
// The config vocabulary on a header the author cannot edit (same meanings as the annotations).
#include <stddef.h>
#include <stdint.h>

void wipe(void *secret, size_t size);
void key_pair(uint8_t secret_key[64], uint8_t public_key[32], uint8_t seed[32]);
int ct_equal(const uint8_t *a, const uint8_t *b, size_t n);
void final(void *ctx, uint8_t *hash);
