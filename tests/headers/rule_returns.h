// gen-flags:
// Returns: void; integers are values (rule integer-return) unless WB_STATUS / WB_VALUE or the
// config says otherwise.
#include <stdint.h>
#include "wasm_bind.h"

int compare(const uint8_t a[16], const uint8_t b[16]);
WB_STATUS int verify(const uint8_t a[16], const uint8_t b[16]);
uint64_t counter(void);
_Bool is_ready(void);
