// gen-flags: --clang-arg -DWB_TYPO=__attribute__((annotate("wb:ouput")))
// Error: an annotation outside the vocabulary (here via -D, to show --clang-arg in gen-flags).
#include <stddef.h>
#include <stdint.h>

void f(WB_TYPO uint8_t *out, size_t out_size);
