// gen-flags: --config outs.toml
/* Output shapes written through pointers (issue #14): output structs (by name, by config, in/out),
 * out-scalars named like one output beside a sized input, and a pure output that might be in/out.
 * The guest is outs.c; tests/python/test_outs.py runs it against the same C compiled natively. */
#include <stdint.h>
#include <stddef.h>
#include "wasm_bind.h"

/** Text statistics. */
typedef struct {
    uint32_t words;
    uint32_t lines;
    int32_t longest;
    uint64_t checksum;
} stats_t;

/** A running counter, read and written by `counter_step`. */
typedef struct {
    int64_t total;
    uint16_t steps;
} counter_t;

/** A point the caller gets back (`out` by config: the name says nothing). */
typedef struct {
    int32_t x;
    int32_t y;
} point_t;

/** Summary statistics of doubles. */
typedef struct {
    double mean;
    float spread;
    uint32_t n;
} summary_t;

/** Counts words and lines of `text`; 0 on success, -1 for an empty text.
 * *out is filled only on success. */
int stats(stats_t *out, const char *text);

/** Adds `by` to the counter (read, then written). */
void counter_step(counter_t *state, int32_t by);

/** The point `(a + b, a - b)`. */
void make_point(point_t *p, int32_t a, int32_t b);

/** The smallest and largest of `n` values; both 0 when `n` is 0. */
void minmax(const uint16_t *data, size_t n, uint16_t *min_out, uint16_t *max_out);

/** Counts the bytes of `data` equal to `byte`. */
void count_byte(const uint8_t *data, size_t data_size, uint8_t byte, int32_t *out_count);

/** Reverses `values` in place: read and written (a `check:` says so until the config does). */
void reverse(uint64_t *values, size_t count);

/** Mean and spread (max - min, as a float) of `n` doubles into *result (all 0 when `n` is 0). */
void summarize(const double *xs, size_t n, summary_t *result);

/** Lower-case hex of the `n` bytes of `d` into `out`, NUL-terminated (`2 * n + 1` bytes: config
 * `out = "out_str(2 * n + 1)"`). */
void hex(char *out, const uint8_t *d, size_t n);

/** `count` copies of `byte` into `out` (at most 16), then a NUL unless `terminate` is 0. */
void fill_text(WB_OUT_STR(17) char *out, uint8_t byte, uint32_t count, int32_t terminate);
