/* The guest of tests/headers/shape_callbacks.h: every callback shape, and hostile ones
   (a stashed pointer called later, a loop that never ends). */
#include "shape_callbacks.h"

void sort_i32(int32_t *values, size_t count, int (*cmp)(const int32_t *a, const int32_t *b)) {
    for (size_t i = 1; i < count; i++) {
        int32_t v = values[i];
        size_t j = i;
        while (j > 0 && cmp(&values[j - 1], &v) > 0) {
            values[j] = values[j - 1];
            j--;
        }
        values[j] = v;
    }
}

int32_t run_steps(int32_t steps, progress_fn progress, void *user) {
    for (int32_t i = 1; i <= steps; i++) progress(user, i);
    return steps;
}

int64_t map_sum(const int32_t *xs, size_t n, int64_t (*f)(int32_t x)) {
    int64_t s = 0;
    for (size_t i = 0; i < n; i++) s += f(xs[i]);
    return s;
}

int32_t descend(int32_t depth, int32_t (*visit)(int32_t d)) {
    int32_t here = visit(depth);
    if (depth <= 0) return here;
    return here + descend(depth - 1, visit);
}

uint32_t chunks(const uint8_t *data, size_t size, uint32_t chunk,
                uint32_t (*each)(const uint8_t *part, size_t len)) {
    uint32_t s = 0;
    if (chunk == 0) return 0;
    for (size_t at = 0; at < size; at += chunk) {
        size_t len = size - at < chunk ? size - at : chunk;
        s += each(data + at, len);
    }
    return s;
}

int64_t fill_and_sum(uint32_t count, void (*fill)(uint32_t n, int32_t *out)) {
    int32_t buf[64] = {0};
    if (count > 64) count = 64;
    fill(count, buf);
    int64_t s = 0;
    for (uint32_t i = 0; i < count; i++) s += buf[i];
    return s;
}

int64_t sum_scaled(uint32_t n, double (*f)(uint32_t i)) {
    int64_t s = 0;
    for (uint32_t i = 0; i < n; i++) s += (int64_t)(f(i) * 1000.0);
    return s;
}

static void (*stashed)(int32_t value);

void stash(void (*cb)(int32_t value)) { stashed = cb; }

int32_t fire_stashed(int32_t value) {
    if (!stashed) return 0;
    stashed(value);
    return 1;
}

void spin(void (*tick)(void)) {
    for (;;) tick();
}

int32_t add(int32_t a, int32_t b) { return a + b; }

void qsort_like(void *base, size_t n, size_t size, int (*cmp)(const void *a, const void *b)) {
    (void)base; (void)n; (void)size; (void)cmp;
}

void nested(void (*outer)(void (*inner)(int32_t))) { (void)outer; }
