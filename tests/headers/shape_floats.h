// gen-flags:
// Floating point everywhere: `float` / `double` scalars and returns (rules `float`,
// `float-return`), input slices, fixed arrays, output and in/out buffers, out-scalars marked
// `out`, and structs with float fields by value (one `double` field goes directly, as clang's
// wasm32 ABI passes it); a constant written as an array length is a Rust `usize`. Implemented by tests/headers/shape_floats.c, compiled both to wasm32 and
// natively for the differential tests.
#include <stddef.h>
#include <stdint.h>
#include "wasm_bind.h"

/* The length of a 3-vector: written as an array length below, so Rust types it `usize`. */
#define FL_DIM 3

typedef struct {
    float x;
    float y;
    double weight;
} fl_point;

typedef struct {
    double value;
} fl_wrap;

double fl_add(double a, double b);
float fl_addf(float a, float b);
double fl_identity(double x);
float fl_identityf(float x);
uint64_t fl_bits(double x);
uint32_t fl_bitsf(float x);
double fl_from_bits(uint64_t bits);
float fl_from_bitsf(uint32_t bits);
double fl_mix(int32_t i, double d, float f, int64_t j);
double fl_sum(const double *x, size_t n);
float fl_sumf(const float *x, size_t n);
void fl_scale(WB_INOUT double *x, size_t n, double k);
void fl_cross(const double a[FL_DIM], const double b[FL_DIM], double out[FL_DIM]);
int fl_stats(const double *x, size_t n, WB_OUT double *mean, WB_OUT double *var);
void fl_halve(double x, WB_OUT double *half);
void fl_fill(float *out, size_t n, float v);
void fl_copy(const float *src, size_t src_len, float *dst, size_t dst_len);
double fl_point_dot(fl_point p, fl_point q);
double fl_wrap_twice(fl_wrap w);
