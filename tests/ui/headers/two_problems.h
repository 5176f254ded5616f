/* ui test: two functions whose output sizes are ambiguous: both reported in ONE error. */
#include <stddef.h>
#include <stdint.h>
void mix(uint8_t *out, const uint8_t *a, size_t n, const uint8_t *b, size_t len);
void mix2(uint8_t *out, const uint8_t *a, size_t n, const uint8_t *b, size_t len);
