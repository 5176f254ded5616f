// gen-flags:
// Rule const-pointer+size: `const T *p` followed by an integer is an input slice; the integer is
// its length, derived from the slice (the caller does not pass it).
#include <stddef.h>
#include <stdint.h>

/// Sums 32-bit words.
uint64_t sum_words(const uint32_t *words, size_t words_len);

/// Hashes bytes (void pointers are bytes).
void digest(const void *data, uint32_t data_size, uint8_t out[32]);
