// gen-flags: --config extra_headers.toml
// module.extra_headers binds more headers with the main one (not the system headers they include).
#include <stdint.h>

void base_fn(const uint8_t key[32]);
