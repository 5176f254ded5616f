/* Implementation of edge.h (test guest for the Python back end). Freestanding, no libc. */
#include "edge.h"

int64_t sum16(const int16_t *values, size_t n) {
    int64_t s = 0;
    for (size_t i = 0; i < n; i++) s += values[i];
    return s;
}

int64_t dot3(const int32_t a[3], const int32_t b[3]) {
    return (int64_t)a[0] * b[0] + (int64_t)a[1] * b[1] + (int64_t)a[2] * b[2];
}

void fill_iota(uint32_t *words, size_t count, uint32_t start, uint32_t step) {
    for (size_t i = 0; i < count; i++) words[i] = start + (uint32_t)i * step;
}

void edge_combine(uint8_t *out, const uint8_t *a, const uint8_t *b, size_t n, int32_t mode) {
    for (size_t i = 0; i < n; i++) out[i] = mode == EDGE_MODE_ADD ? (uint8_t)(a[i] + b[i]) : (uint8_t)(a[i] ^ b[i]);
}

int8_t reverse(uint8_t *buf, size_t len) {
    int8_t first = len ? (int8_t)buf[0] : 0;
    for (size_t i = 0; i < len / 2; i++) {
        uint8_t t = buf[i];
        buf[i] = buf[len - 1 - i];
        buf[len - 1 - i] = t;
    }
    return first;
}

void bump4(uint16_t v[4], uint16_t by) {
    for (int i = 0; i < 4; i++) v[i] = (uint16_t)(v[i] + by);
}

bool is_even(uint64_t lambda, int32_t type) { return ((lambda + (uint64_t)(int64_t)type) & 1) == 0; }

uint16_t low16(uint32_t x) { return (uint16_t)x; }

int16_t neg16(int16_t x) { return (int16_t)-x; }

uint64_t triple64(uint64_t x) { return x * 3; }

int check_positive(int32_t x) { return x > 0 ? 0 : -7; }

void acc_init(edge_acc *acc) {
    acc->total = 0;
    acc->count = 0;
}

void acc_add(edge_acc *acc, const uint32_t *xs, size_t n) {
    for (size_t i = 0; i < n; i++) acc->total += xs[i];
    acc->count += (uint32_t)n;
}

uint32_t acc_mean(edge_acc *acc) { return acc->count ? (uint32_t)(acc->total / acc->count) : 0; }

void edge_maybe_trap(int32_t really) {
    if (really) __builtin_trap();
}

size_t edge_strlen(const char *s) {
    size_t n = 0;
    while (s[n]) n++;
    return n;
}

static const char HELLO[] = "hello";
static const char HELLO_ACCENT[] = "h\xc3\xa9llo";
static const char NOT_UTF8[] = "\xff\xfe";

const char *edge_greeting(int32_t which) {
    switch (which) {
    case 0: return HELLO;
    case 1: return HELLO_ACCENT;
    case 2: return NOT_UTF8;
    default: return 0;
    }
}

void edge_divmod(uint32_t a, uint32_t b, uint32_t *quot, uint32_t *rem) {
    *quot = b ? a / b : 0;
    *rem = b ? a % b : 0;
}

void edge_counter_add(uint64_t by, uint64_t *counter) { *counter += by; }

int32_t edge_take(const uint8_t *src, uint8_t *dst, int32_t *src_len, int32_t dst_cap) {
    int32_t n = *src_len < dst_cap ? *src_len : dst_cap;
    for (int32_t i = 0; i < n; i++) dst[i] = src[i];
    *src_len = n;
    return n;
}

int32_t edge_bound(int32_t n) { return 2 * n + 8; }

int32_t edge_expand(const uint8_t *src, int32_t src_size, uint8_t *dst, int32_t dst_cap) {
    if (dst_cap < 2 * src_size) return 0;
    for (int32_t i = 0; i < src_size; i++) {
        dst[2 * i] = src[i];
        dst[2 * i + 1] = src[i];
    }
    return 2 * src_size;
}

int32_t edge_pack(const uint8_t *src, size_t src_size, uint8_t *out, size_t out_capacity, size_t *out_len) {
    if (src_size > 0 && src[0] == 0xEE) {
        *out_len = out_capacity + 1;
        return 0;
    }
    size_t w = 0;
    for (size_t i = 0; i < src_size;) {
        size_t run = 1;
        while (i + run < src_size && src[i + run] == src[i] && run < 255) run++;
        if (w + 2 > out_capacity) return 1;
        out[w++] = (uint8_t)run;
        out[w++] = src[i];
        i += run;
    }
    *out_len = w;
    return 0;
}

uint32_t edge_scratch_sum(const uint8_t *data, size_t n, uint32_t *work) {
    uint32_t s = 0;
    for (size_t i = 0; i < n; i++) work[i] = data[i];
    for (size_t i = 0; i < n; i++) s += work[i];
    return s;
}

int32_t edge_digit(int32_t c) { return c >= '0' && c <= '9' ? c - '0' : -1; }

double mean(const double *xs, size_t n) {
    double s = 0;
    for (size_t i = 0; i < n; i++) s += xs[i];
    return n ? s / (double)n : 0;
}
