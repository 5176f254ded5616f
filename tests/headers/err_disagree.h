// gen-flags: --config err_disagree.toml
// Error: the header annotation and the config entry say different things.
#include <stdint.h>
#include "wasm_bind.h"

void key_pair(uint8_t secret_key[64], WB_INOUT uint8_t seed[32]);
