// gen-flags:
// Two functions that would become the same method of one handle class are refused: `foo_type`
// on `foo_ctx` is Python's `type_` (a builtin, escaped), and so is `foo_type_`.
#include <stdint.h>

typedef struct { uint32_t n; } foo_ctx;

void foo_type(foo_ctx *c);
void foo_type_(foo_ctx *c);
