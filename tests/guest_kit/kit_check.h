/*
 * kit_check.h: a test guest exercising the guest kit's libc subset (guest-kit/wb_libc.c) through
 * `wasm-bind guest` and `wasm-bind --py`; tests/python/test_guest_kit.py compares every function
 * with the host's C library. Strings are passed as byte slices and NUL-terminated inside (so
 * embedded NULs end them as in C); pointer results are offsets, -1 for NULL.
 */
#include <stddef.h>
#include <stdint.h>
#include <wasm_bind.h>

int32_t kc_memcmp(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len, WB_SCALAR uint32_t n);
int32_t kc_memchr(const uint8_t *s, size_t s_len, int32_t c);
uint32_t kc_strlen(const uint8_t *s, size_t s_len);
uint32_t kc_strnlen(const uint8_t *s, size_t s_len, WB_SCALAR uint32_t max);
int32_t kc_strcmp(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len);
int32_t kc_strncmp(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len, WB_SCALAR uint32_t n);
int32_t kc_strchr(const uint8_t *s, size_t s_len, int32_t c);
int32_t kc_strrchr(const uint8_t *s, size_t s_len, int32_t c);
int32_t kc_strstr(const uint8_t *h, size_t h_len, const uint8_t *n, size_t n_len);
uint32_t kc_strspn(const uint8_t *s, size_t s_len, const uint8_t *set, size_t set_len);
uint32_t kc_strcspn(const uint8_t *s, size_t s_len, const uint8_t *set, size_t set_len);
int32_t kc_strpbrk(const uint8_t *s, size_t s_len, const uint8_t *set, size_t set_len);
/* strncpy(out, src, out_len) into `out` prefilled with 0xAA (so the NUL padding shows). */
void kc_strncpy(uint8_t *out, size_t out_len, const uint8_t *src, size_t src_len);
/* strcpy(out, a) then strcat(out, b) (out_len >= strlen(a) + strlen(b) + 1), rest 0xAA. */
int32_t kc_strcat(uint8_t *out, size_t out_len, const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len);
/* strcpy(out, a) then strncat(out, b, n), rest 0xAA. */
int32_t kc_strncat(uint8_t *out, size_t out_len, const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len, WB_SCALAR uint32_t n);
/* memmove(buf + dst, buf + src, n) (ranges inside buf; returns -1 and leaves buf otherwise). */
int32_t kc_memmove(WB_INOUT uint8_t *buf, size_t buf_len, WB_SCALAR uint32_t dst, WB_SCALAR uint32_t src, WB_SCALAR uint32_t n);
/* memset(out, c, out_len). */
void kc_memset(uint8_t *out, size_t out_len, int32_t c);
/* Bit i set when the i-th of isalnum isalpha isblank iscntrl isdigit isgraph islower isprint
 * ispunct isspace isupper isxdigit holds for c. */
uint32_t kc_ctype(int32_t c);
int32_t kc_toupper(int32_t c);
int32_t kc_tolower(int32_t c);
int32_t kc_abs(int32_t x);
int32_t kc_labs(int32_t x);
int64_t kc_llabs(int64_t x);
/* div(num, den): quot in the high 32 bits, rem in the low 32 bits. */
int64_t kc_div(int32_t num, int32_t den);
int64_t kc_lldiv_quot(int64_t num, int64_t den);
int64_t kc_lldiv_rem(int64_t num, int64_t den);
/* assert(x != 0) then 1 (traps when x == 0). */
int32_t kc_assert(int32_t x);
/* The same in a file that defines NDEBUG: 1 whatever x is, without evaluating the condition. */
int32_t kc_assert_ndebug(int32_t x);
