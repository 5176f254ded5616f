/* twosum guest (see twosum.h). Freestanding, no libc. */
#include "twosum.h"
#include "shim.h"

typedef struct {
    int32_t key;
    uint32_t idx1; /* index + 1; 0 means empty slot */
} slot;

int64_t two_sum(const int32_t *nums, size_t nums_len, int32_t target) {
    /* 2^27 int32s = 512 MiB of input plus a 2 GiB table; the bound
     * keeps the table size (<= 2^28 slots * 8 bytes) free of overflow. */
    if (nums_len > ((size_t)1 << 27)) return -2;
    /* Capacity: power of two >= 2 * nums_len (load factor <= 1/2). */
    unsigned bits = 1;
    while (((size_t)1 << bits) < 2 * nums_len) bits++;
    size_t cap = (size_t)1 << bits;
    size_t mask = cap - 1;
    /* bump_alloc returns zeroed memory: every slot starts empty. */
    slot *table = (slot *)bump_alloc(cap * sizeof(slot));
    if (!table) return -2;

    for (size_t j = 0; j < nums_len; j++) {
        int64_t need = (int64_t)target - (int64_t)nums[j];
        if (need >= INT32_MIN && need <= INT32_MAX) {
            int32_t k = (int32_t)need;
            size_t h = ((uint32_t)k * 2654435761u) >> (32 - bits) & mask;
            for (size_t probes = 0; probes < cap; probes++, h = (h + 1) & mask) {
                if (table[h].idx1 == 0) break;
                if (table[h].key == k)
                    return ((int64_t)(table[h].idx1 - 1) << 32) | (int64_t)j;
            }
        }
        /* Insert nums[j] unless already present (keep the smallest index). */
        int32_t v = nums[j];
        /* Bounded probing: the table is at most half full, so an empty slot
         * is always found; the bound only guards against a broken arena. */
        size_t h = ((uint32_t)v * 2654435761u) >> (32 - bits) & mask;
        for (size_t probes = 0; probes < cap; probes++, h = (h + 1) & mask) {
            if (table[h].idx1 == 0) {
                table[h].key = v;
                table[h].idx1 = (uint32_t)j + 1;
                break;
            }
            if (table[h].key == v) break;
        }
    }
    return -1;
}
