// gen-flags: --config err_config_names.toml
// Errors: config entries naming functions, parameters, roles or module values that do not exist.
#include <stddef.h>

void wipe(void *secret, size_t size);
