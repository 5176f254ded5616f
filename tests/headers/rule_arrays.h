// gen-flags:
// Rules const-array / array-is-out: `const T x[N]` is a fixed input, `T x[N]` a fixed output.
#include <stdint.h>

void x25519(uint8_t shared[32], const uint8_t secret[32], const uint8_t public_key[32]);
void split(const uint16_t in[4], uint16_t lo[2], uint16_t hi[2]);
