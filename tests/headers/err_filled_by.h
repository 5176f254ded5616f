// gen-flags: --config err_filled_by.toml
// Misused `filled(p)`: on a non-pointer, on a const or void pointer, naming an input, an unknown
// parameter, or a buffer whose count the return already gives.
#include <stddef.h>
#include <stdint.h>

int on_integer(uint8_t *out, size_t out_capacity, size_t n);
int on_const(uint8_t *out, size_t out_capacity, const size_t *out_len);
int on_void(uint8_t *out, size_t out_capacity, void *out_len);
int names_input(const uint8_t *in, size_t in_size, size_t *in_len);
int names_nothing(uint8_t *out, size_t out_capacity, size_t *out_len);
int twice(uint8_t *out, size_t out_capacity, size_t *out_len);
