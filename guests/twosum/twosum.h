/*
 * twosum: a tiny wasm-bind example guest (written for wasm-bind).
 *
 * Built to wasm32 without libc by guests/build.sh, linked with the shared
 * arena shim (guests/monocypher/shim.c), so the module also exports
 * bump_alloc / bump_reset / wb_persist_alloc / wb_persist_free and memory.
 */
#ifndef WASM_BIND_TWOSUM_H
#define WASM_BIND_TWOSUM_H

#include <stddef.h>
#include <stdint.h>

/**
 * Finds two distinct indices i < j with nums[i] + nums[j] == target
 * (exact mathematical sum, no int32 overflow) in O(nums_len) expected time,
 * using an open-addressing hash table allocated from the per-call arena.
 *
 * Returns ((int64_t)i << 32) | j for the smallest such j and, for that j,
 * the smallest i; returns -1 if there is no such pair and -2 if the arena
 * could not provide the hash table (or nums_len > 2^27).
 */
int64_t two_sum(const int32_t *nums, size_t nums_len, int32_t target);

#endif /* WASM_BIND_TWOSUM_H */
