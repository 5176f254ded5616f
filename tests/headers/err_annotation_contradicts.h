// gen-flags:
// Errors: annotations that contradict the C type.
#include <stddef.h>
#include <stdint.h>
#include "wasm_bind.h"

void a(WB_OUT const uint8_t *in, size_t in_size);
void b(WB_LEN_OF(n) const uint8_t *in, size_t n);
void c(const uint8_t key[32], WB_LEN_OF(key) size_t n);
void d(const uint8_t *msg, WB_LEN_OF(mgs) size_t n);
WB_STATUS void e(void);
void f(WB_HANDLE uint8_t *p, size_t p_size);
