/* ui test: `out` has no size of its own and two sizes could be its own. */
#include <stddef.h>
#include <stdint.h>
void mix(uint8_t *out, const uint8_t *a, size_t n, const uint8_t *b, size_t len);
