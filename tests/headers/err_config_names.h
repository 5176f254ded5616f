// gen-flags: --config err_config_names.toml
// Errors: config entries naming functions or parameters that do not exist, or roles that do not.
#include <stddef.h>

void wipe(void *secret, size_t size);
