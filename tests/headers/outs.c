/* The guest of tests/headers/outs.h, also compiled natively by tests/python/test_outs.py. */
#include "outs.h"

int stats(stats_t *out, const char *text) {
    if (!text[0]) return -1;
    uint32_t words = 0, lines = 1;
    int32_t longest = 0, cur = 0;
    uint64_t sum = 1469598103934665603ull;
    for (const char *p = text; *p; p++) {
        unsigned char c = (unsigned char)*p;
        sum = (sum ^ c) * 1099511628211ull;
        if (c == '\n') lines++;
        if (c == ' ' || c == '\n' || c == '\t') {
            cur = 0;
        } else {
            if (cur == 0) words++;
            cur++;
            if (cur > longest) longest = cur;
        }
    }
    out->words = words;
    out->lines = lines;
    out->longest = longest;
    out->checksum = sum;
    return 0;
}

void counter_step(counter_t *state, int32_t by) {
    state->total += by;
    state->steps++;
}

void make_point(point_t *p, int32_t a, int32_t b) {
    p->x = (int32_t)((uint32_t)a + (uint32_t)b);
    p->y = (int32_t)((uint32_t)a - (uint32_t)b);
}

void minmax(const uint16_t *data, size_t n, uint16_t *min_out, uint16_t *max_out) {
    uint16_t lo = n ? data[0] : 0, hi = lo;
    for (size_t i = 1; i < n; i++) {
        if (data[i] < lo) lo = data[i];
        if (data[i] > hi) hi = data[i];
    }
    *min_out = lo;
    *max_out = hi;
}

void count_byte(const uint8_t *data, size_t data_size, uint8_t byte, int32_t *out_count) {
    int32_t c = 0;
    for (size_t i = 0; i < data_size; i++) c += data[i] == byte;
    *out_count = c;
}

void reverse(uint64_t *values, size_t count) {
    for (size_t i = 0, j = count; i + 1 < j; i++, j--) {
        uint64_t t = values[i];
        values[i] = values[j - 1];
        values[j - 1] = t;
    }
}

void summarize(const double *xs, size_t n, summary_t *result) {
    double sum = 0, lo = n ? xs[0] : 0, hi = lo;
    for (size_t i = 0; i < n; i++) {
        sum += xs[i];
        if (xs[i] < lo) lo = xs[i];
        if (xs[i] > hi) hi = xs[i];
    }
    result->mean = n ? sum / (double)n : 0;
    result->spread = (float)(hi - lo);
    result->n = (uint32_t)n;
}

void hex(char *out, const uint8_t *d, size_t n) {
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[d[i] >> 4];
        out[2 * i + 1] = digits[d[i] & 15];
    }
    out[2 * n] = 0;
}

void fill_text(char *out, uint8_t byte, uint32_t count, int32_t terminate) {
    if (count > 16) count = 16;
    for (uint32_t i = 0; i < count; i++) out[i] = (char)byte;
    if (terminate) out[count] = 0;
    else for (uint32_t i = count; i < 17; i++) out[i] = (char)byte;
}
