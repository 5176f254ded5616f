// gen-flags: --config tests/golden/python/edge/edge.toml
// Python back end edge cases: the roles and return conversions the bundled guests do not reach
// (non-byte element arrays in and out, in/out slices, shared lengths, narrow and unsigned returns,
// keyword and builtin parameter names, handles, unsupported float signatures).
// Built to wasm32 by tests/python/conftest.py together with guest-kit/wb_arena.c.
#ifndef EDGE_H
#define EDGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "wasm_bind.h"

/** Largest count fill_iota accepts. */
#define EDGE_MAX_WORDS 1024
#define EDGE_NEGATIVE (-3)

/** How edge_combine combines. */
enum edge_mode { EDGE_MODE_ADD = 1, EDGE_MODE_XOR = 2 };

/** A running sum, owned by the caller. */
typedef struct {
    uint64_t total;
    uint32_t count;
} edge_acc;

/** Sum of `n` int16 values. */
int64_t sum16(const int16_t *values, size_t n);

/** Dot product of two int32 triples. */
int64_t dot3(const int32_t a[3], const int32_t b[3]);

/** Writes start, start + step, ... into `count` uint32 words. */
void fill_iota(uint32_t *words, size_t count, uint32_t start, WB_SCALAR uint32_t step);

/** out = a <mode> b, byte by byte; one length for all three buffers. */
void edge_combine(uint8_t *out, const uint8_t *a, const uint8_t *b, WB_LEN_OF(out, a, b) size_t n,
                  int32_t mode);

/** Reverses `buf` in place; returns its first byte from before, as a signed char. */
int8_t reverse(WB_INOUT uint8_t *buf, size_t len);

/** Adds `by` to each of four uint16 values in place. */
void bump4(WB_INOUT uint16_t v[4], uint16_t by);

/** True when `lambda` + `type` is even. */
bool is_even(uint64_t lambda, int32_t type);

/** The low 16 bits. */
uint16_t low16(uint32_t x);

/** -x as int16. */
int16_t neg16(int16_t x);

/** x * 3, wrapping modulo 2^64. */
uint64_t triple64(uint64_t x);

/** Fails (returns -7) unless x > 0. */
WB_STATUS int check_positive(int32_t x);

/** Starts a sum. */
void acc_init(edge_acc *acc);

/** Adds `n` values to the sum. */
void acc_add(edge_acc *acc, const uint32_t *xs, size_t n);

/** The mean so far, rounded down; 0 when empty. */
uint32_t acc_mean(edge_acc *acc);

/** Traps (executes `unreachable`) when `really` is nonzero. */
void edge_maybe_trap(int32_t really);

/** Length of a NUL-terminated string. */
size_t edge_strlen(const char *s);

/** A static greeting: 0 "hello", 1 "h\u00e9llo" (UTF-8), 2 not UTF-8, 3 NULL. */
const char *edge_greeting(int32_t which);

/** Quotient and remainder (outputs through pointers); b == 0 gives 0, 0. */
void edge_divmod(uint32_t a, uint32_t b, uint32_t *quot, uint32_t *rem);

/** *counter += by (an in/out scalar the caller initialises). */
void edge_counter_add(uint64_t by, uint64_t *counter);

/** Copies min(*src_len, dst_cap) bytes of src to dst; sets *src_len to the bytes consumed and
 *  returns the bytes written. */
int32_t edge_take(const uint8_t *src, uint8_t *dst, int32_t *src_len, int32_t dst_cap);

/** Capacity edge_expand needs for n input bytes. */
int32_t edge_bound(int32_t n);

/** Writes every byte of src twice into dst; returns the bytes written, 0 when dst_cap is too
 *  small. */
int32_t edge_expand(const uint8_t *src, int32_t src_size, uint8_t *dst, int32_t dst_cap);

/** Run-length packs src into out as (count, byte) pairs and stores the bytes written in
 *  *out_len; returns 0, or 1 when out_capacity is too small. A first byte 0xEE makes it report
 *  out_capacity + 1 bytes (a broken guest, for tests). */
int32_t edge_pack(const uint8_t *src, size_t src_size, uint8_t *out, size_t out_capacity, size_t *out_len);

/** Sum of the bytes of data, computed in `work` (n words of working memory). */
uint32_t edge_scratch_sum(const uint8_t *data, size_t n, uint32_t *work);

/** The value of a decimal digit character, -1 for anything else. */
int32_t edge_digit(int32_t c);

/** The mean of n doubles (floats: `const double *` + count is an input slice). */
double mean(const double *xs, size_t n);

#endif
