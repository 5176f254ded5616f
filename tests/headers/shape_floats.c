// The guest (and native reference) of tests/headers/shape_floats.h: plain C, no libc.
#include "shape_floats.h"

double fl_add(double a, double b) { return a + b; }
float fl_addf(float a, float b) { return a + b; }
double fl_identity(double x) { return x; }
float fl_identityf(float x) { return x; }

uint64_t fl_bits(double x) {
    uint64_t b;
    __builtin_memcpy(&b, &x, sizeof b);
    return b;
}

uint32_t fl_bitsf(float x) {
    uint32_t b;
    __builtin_memcpy(&b, &x, sizeof b);
    return b;
}

double fl_from_bits(uint64_t bits) {
    double x;
    __builtin_memcpy(&x, &bits, sizeof x);
    return x;
}

float fl_from_bitsf(uint32_t bits) {
    float x;
    __builtin_memcpy(&x, &bits, sizeof x);
    return x;
}

double fl_mix(int32_t i, double d, float f, int64_t j) { return (double)i * d + (double)f - (double)j; }

double fl_sum(const double *x, size_t n) {
    double s = 0.0;
    for (size_t i = 0; i < n; i++) s += x[i];
    return s;
}

float fl_sumf(const float *x, size_t n) {
    float s = 0.0f;
    for (size_t i = 0; i < n; i++) s += x[i];
    return s;
}

void fl_scale(double *x, size_t n, double k) {
    for (size_t i = 0; i < n; i++) x[i] *= k;
}

void fl_cross(const double a[3], const double b[3], double out[3]) {
    out[0] = a[1] * b[2] - a[2] * b[1];
    out[1] = a[2] * b[0] - a[0] * b[2];
    out[2] = a[0] * b[1] - a[1] * b[0];
}

int fl_stats(const double *x, size_t n, double *mean, double *var) {
    if (n == 0) return 1;
    double s = 0.0;
    for (size_t i = 0; i < n; i++) s += x[i];
    double m = s / (double)n;
    double v = 0.0;
    for (size_t i = 0; i < n; i++) v += (x[i] - m) * (x[i] - m);
    *mean = m;
    *var = v / (double)n;
    return 0;
}

void fl_fill(float *out, size_t n, float v) {
    for (size_t i = 0; i < n; i++) out[i] = v * (float)i;
}

void fl_copy(const float *src, size_t src_len, float *dst, size_t dst_len) {
    for (size_t i = 0; i < src_len && i < dst_len; i++) dst[i] = src[i];
}

double fl_point_dot(fl_point p, fl_point q) {
    return ((double)p.x * (double)q.x + (double)p.y * (double)q.y) * p.weight * q.weight;
}

double fl_wrap_twice(fl_wrap w) { return w.value * 2.0; }

void fl_halve(double x, double *half) { *half = x / 2; }
