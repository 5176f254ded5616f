// gen-flags: --config err_new_specs.toml
// The new roles must fit the C type; a computed length cannot size an input; `str` and a size
// contradict each other; filled() must name an output; return meanings must fit the return type.
#include <stddef.h>
#include <stdint.h>

int str_on_bytes(uint8_t *text);
void scratch_on_const(const void *work);
void out_expr_on_array(uint8_t out[16], uint32_t n);
int inout_len_on_bytes(const uint8_t *src, uint8_t *n);
int computed_input(const uint8_t *src, uint32_t srcSize);
int str_with_size(const char *name, size_t name_size);
int filled_input(const uint8_t *src, size_t src_size);
int filled_unknown(uint8_t *dst, size_t dst_size);
uint32_t nonneg_unsigned(void);
int str_on_int(void);
const char *int_on_str(void);
int unknown_return(void);
