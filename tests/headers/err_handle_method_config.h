// gen-flags: --config err_handle_method_config.toml
// `[functions.F] handle_method` is refused on a function whose first parameter is not a handle, when
// it names a member every handle class defines (`close`), and when it is not an identifier.
#include <stdint.h>

typedef struct { uint32_t n; } bar_ctx;

void bar_init(bar_ctx *c);
void bar_step(bar_ctx *c);
int32_t bar_plain(int32_t x, bar_ctx *c);
