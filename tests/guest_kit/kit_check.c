/* kit_check.c: see kit_check.h. Uses only the guest kit's headers. */
#include <assert.h>
#include <ctype.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "kit_check.h"
#include "wb_arena.h"

/* A NUL-terminated copy of s[0..n) in the arena (NULL when out of memory). */
static char *cstr(const uint8_t *s, size_t n) {
    char *z = bump_alloc(n + 1);
    if (z) memcpy(z, s, n); /* bump_alloc memory is zero: z[n] == 0 */
    return z;
}

static int32_t sign(int v) { return (v > 0) - (v < 0); }
static int32_t offset(const void *base, const void *p) { return p ? (int32_t)((const char *)p - (const char *)base) : -1; }

int32_t kc_memcmp(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len, uint32_t n) {
    if (n > a_len || n > b_len) return 99;
    return sign(memcmp(a, b, n));
}
int32_t kc_memchr(const uint8_t *s, size_t s_len, int32_t c) { return offset(s, memchr(s, c, s_len)); }
uint32_t kc_strlen(const uint8_t *s, size_t s_len) { return (uint32_t)strlen(cstr(s, s_len)); }
uint32_t kc_strnlen(const uint8_t *s, size_t s_len, uint32_t max) { return (uint32_t)strnlen(cstr(s, s_len), max); }
int32_t kc_strcmp(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len) {
    return sign(strcmp(cstr(a, a_len), cstr(b, b_len)));
}
int32_t kc_strncmp(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len, uint32_t n) {
    return sign(strncmp(cstr(a, a_len), cstr(b, b_len), n));
}
int32_t kc_strchr(const uint8_t *s, size_t s_len, int32_t c) {
    char *z = cstr(s, s_len);
    return offset(z, strchr(z, c));
}
int32_t kc_strrchr(const uint8_t *s, size_t s_len, int32_t c) {
    char *z = cstr(s, s_len);
    return offset(z, strrchr(z, c));
}
int32_t kc_strstr(const uint8_t *h, size_t h_len, const uint8_t *n, size_t n_len) {
    char *z = cstr(h, h_len);
    return offset(z, strstr(z, cstr(n, n_len)));
}
uint32_t kc_strspn(const uint8_t *s, size_t s_len, const uint8_t *set, size_t set_len) {
    return (uint32_t)strspn(cstr(s, s_len), cstr(set, set_len));
}
uint32_t kc_strcspn(const uint8_t *s, size_t s_len, const uint8_t *set, size_t set_len) {
    return (uint32_t)strcspn(cstr(s, s_len), cstr(set, set_len));
}
int32_t kc_strpbrk(const uint8_t *s, size_t s_len, const uint8_t *set, size_t set_len) {
    char *z = cstr(s, s_len);
    return offset(z, strpbrk(z, cstr(set, set_len)));
}
void kc_strncpy(uint8_t *out, size_t out_len, const uint8_t *src, size_t src_len) {
    memset(out, 0xAA, out_len);
    strncpy((char *)out, cstr(src, src_len), out_len);
}
int32_t kc_strcat(uint8_t *out, size_t out_len, const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len) {
    char *x = cstr(a, a_len), *y = cstr(b, b_len);
    if (strlen(x) + strlen(y) + 1 > out_len) return -1;
    memset(out, 0xAA, out_len);
    return offset(out, strcat(strcpy((char *)out, x), y));
}
int32_t kc_strncat(uint8_t *out, size_t out_len, const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len, uint32_t n) {
    char *x = cstr(a, a_len), *y = cstr(b, b_len);
    if (strlen(x) + strnlen(y, n) + 1 > out_len) return -1;
    memset(out, 0xAA, out_len);
    return offset(out, strncat(strcpy((char *)out, x), y, n));
}
int32_t kc_memmove(uint8_t *buf, size_t buf_len, uint32_t dst, uint32_t src, uint32_t n) {
    if (dst > buf_len || src > buf_len || n > buf_len - dst || n > buf_len - src) return -1;
    return offset(buf, memmove(buf + dst, buf + src, n));
}
void kc_memset(uint8_t *out, size_t out_len, int32_t c) { memset(out, c, out_len); }
uint32_t kc_ctype(int32_t c) {
    bool bits[] = {isalnum(c), isalpha(c), isblank(c), iscntrl(c), isdigit(c), isgraph(c),
                   islower(c), isprint(c), ispunct(c), isspace(c), isupper(c), isxdigit(c)};
    uint32_t mask = 0;
    for (unsigned i = 0; i < sizeof bits / sizeof bits[0]; i++) mask |= (uint32_t)bits[i] << i;
    return mask;
}
int32_t kc_toupper(int32_t c) { return toupper(c); }
int32_t kc_tolower(int32_t c) { return tolower(c); }
int32_t kc_abs(int32_t x) { return abs(x); }
int32_t kc_labs(int32_t x) { return (int32_t)labs(x); }
int64_t kc_llabs(int64_t x) { return llabs(x); }
int64_t kc_div(int32_t num, int32_t den) {
    div_t d = div(num, den);
    return (int64_t)((uint64_t)(uint32_t)d.quot << 32 | (uint32_t)d.rem);
}
int64_t kc_lldiv_quot(int64_t num, int64_t den) { return lldiv(num, den).quot; }
int64_t kc_lldiv_rem(int64_t num, int64_t den) { return lldiv(num, den).rem; }
int32_t kc_assert(int32_t x) {
    static_assert(CHAR_BIT == 8, "static_assert comes from assert.h");
    assert(x != 0);
    return 1;
}
