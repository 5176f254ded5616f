// gen-flags:
// Rule size-after-pointer: an integer after a pointer is its size when its name reads like one.
// Others (`rounds`, `flags`) would be a guess: the function is not bound, and the reason names the
// config line that settles it (`len_of(key)` or `scalar`).
#include <stddef.h>
#include <stdint.h>

void keyed_rounds(const uint8_t *key, int32_t rounds);
void with_flags(const uint8_t *data, uint32_t flags);
void sized(const uint8_t *data, size_t data_size);
void counted(const uint32_t *words, size_t n);
void capacity(uint8_t *dst, size_t dstCapacity);
