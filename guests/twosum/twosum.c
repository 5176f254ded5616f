/* twosum guest (see twosum.h). Freestanding, no libc. */
#include "twosum.h"
#include "wb_arena.h"

/* Open addressing with linear probing over a power-of-two table of uint32
 * slots holding index + 1 of the first occurrence of a value (0: empty);
 * the key itself is read back from nums. The table is sized for a load
 * factor of at most 1/8 (1/2 for the largest inputs): measured at n =
 * 100,000, the probe loops' unpredictable exits cost far more than the
 * larger table (load 3/8 -> 1/8: 0.9 ms -> 0.4 ms per call).
 * Fibonacci hashing: the top `bits` bits of key * 2^32/phi. */
#define MAX_LEN ((size_t)1 << 27) /* 512 MiB of input */
#define MAX_BITS 28               /* table <= 2^28 slots = 1 GiB */

int64_t two_sum(const int32_t *nums, size_t nums_len, int32_t target) {
    if (nums_len > MAX_LEN) return -2;
    unsigned bits = 4;
    while (bits < MAX_BITS && ((size_t)1 << bits) < 8 * nums_len) bits++;
    /* 2 * MAX_LEN == 1 << MAX_BITS: the load factor stays <= 1/2, so every
     * probe sequence below reaches an empty slot. */
    const unsigned shift = 32 - bits;
    const uint32_t mask = ((uint32_t)1 << bits) - 1;
    /* bump_alloc returns zeroed memory (every slot empty); bump_reset wipes it. */
    uint32_t *table = (uint32_t *)bump_alloc(((size_t)1 << bits) * sizeof(uint32_t));
    if (!table) return -2;
    const int32_t *at1 = nums - 1; /* at1[s] == nums[s - 1] for a slot value s */

    for (uint32_t j = 0; j < (uint32_t)nums_len; j++) {
        const int32_t v = nums[j];
        int32_t need;
        /* target - v outside int32: no element can complete the pair. */
        if (!__builtin_sub_overflow(target, v, &need)) {
            uint32_t h = ((uint32_t)need * 2654435769u) >> shift;
            for (uint32_t s; (s = table[h]) != 0; h = (h + 1) & mask)
                if (at1[s] == need) return ((int64_t)(s - 1) << 32) | (int64_t)j;
        }
        /* Insert v unless present (the first occurrence keeps the smallest i). */
        uint32_t h = ((uint32_t)v * 2654435769u) >> shift;
        for (uint32_t s;; h = (h + 1) & mask) {
            if ((s = table[h]) == 0) {
                table[h] = j + 1;
                break;
            }
            if (at1[s] == v) break;
        }
    }
    return -1;
}
