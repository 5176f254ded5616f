// gen-flags: --config returns_config.toml
// module.int_returns = "status" makes every `int` return a status; functions.F.return overrides it.
// An `int32_t` return stays a value (a fixed-width count or sum), a `typedef int` one is a status.
#include <stdint.h>

int verify(const uint8_t a[16], const uint8_t b[16]);
int count_zeros(const uint8_t block[64]);
uint32_t version(void);
int32_t sum_block(const uint8_t block[64]);
typedef int status_t;
status_t check_block(const uint8_t block[64]);
