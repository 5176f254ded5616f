// gen-flags:
// Error: the header does not compile; clang's errors are reported with file:line:col.
#include <stdint.h>

void f(uint32_t x)
void g(unknown_t y);
