// gen-flags:
// Sizes by name are never guessed: two sizes named after one pointer, and a `const char *` that
// is either a string or sized by a size parameter nobody claims, are errors with the fix.
#include <stddef.h>
#include <stdint.h>

void two_sizes(const uint8_t *src, size_t srcSize, size_t src_len);
int string_or_sized(const char *src, char *dst, int compressedSize, int dstCapacity);
void sum_into(const int32_t *xs, size_t xs_count, int32_t *out);
