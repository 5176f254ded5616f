// gen-flags:
// A size anywhere in the list whose name is the pointer's plus a size suffix is its length
// (named-size): camelCase (srcSize, dstCapacity) and snake_case (out_capacity, in_len). An
// integer right after a pointer is not taken when its name says it sizes another pointer.
#include <stddef.h>
#include <stdint.h>

int compress(const char *src, char *dst, int srcSize, int dstCapacity);
int decode(const uint8_t *in, uint8_t *out, size_t out_capacity, size_t in_len);
void scale(const uint16_t *samples, uint16_t *scaled, uint32_t samplesCount, uint32_t scaledCount);
