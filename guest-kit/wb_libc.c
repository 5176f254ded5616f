/*
 * wb_libc.c: the freestanding libc subset of wasm-bind's guest kit (string.h, stdlib.h, ctype.h
 * in guest-kit/include/). Written for wasm-bind; C semantics, "C" locale, no errno, no heap.
 *
 * Every function is weak (a library's own definition wins) and hidden (never exported, even by
 * an --export-dynamic link): they serve the library's C code, not the host. Unused ones are
 * dropped by the linker. memcpy/memmove/memset are the bulk-memory instructions, so the kit
 * must be compiled with -mbulk-memory (the default of `wasm-bind guest`).
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifndef __wasm_bulk_memory__
#error "wasm-bind's guest kit needs -mbulk-memory (memcpy/memset are memory.copy/memory.fill)"
#endif

#define KIT __attribute__((weak, visibility("hidden")))

/* ---- memory ------------------------------------------------------------------------------ */

KIT void *memcpy(void *restrict dst, const void *restrict src, size_t n) {
    __builtin_memcpy(dst, src, n); /* memory.copy */
    return dst;
}

KIT void *memmove(void *dst, const void *src, size_t n) {
    __builtin_memmove(dst, src, n); /* memory.copy handles overlap */
    return dst;
}

KIT void *memset(void *dst, int c, size_t n) {
    __builtin_memset(dst, c, n); /* memory.fill */
    return dst;
}

KIT int memcmp(const void *a, const void *b, size_t n) {
    const unsigned char *x = a, *y = b;
    for (size_t i = 0; i < n; i++)
        if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
    return 0;
}

KIT void *memchr(const void *s, int c, size_t n) {
    const unsigned char *p = s;
    for (size_t i = 0; i < n; i++)
        if (p[i] == (unsigned char)c) return (void *)(p + i);
    return 0;
}

/* ---- NUL-terminated strings -------------------------------------------------------------- */

KIT size_t strlen(const char *s) {
    const char *p = s;
    while (*p) p++;
    return (size_t)(p - s);
}

KIT size_t strnlen(const char *s, size_t max) {
    size_t n = 0;
    while (n < max && s[n]) n++;
    return n;
}

KIT int strcmp(const char *a, const char *b) {
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    while (*x && *x == *y) x++, y++;
    return *x < *y ? -1 : *x > *y;
}

KIT int strncmp(const char *a, const char *b, size_t n) {
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    for (; n; n--, x++, y++) {
        if (*x != *y) return *x < *y ? -1 : 1;
        if (!*x) break;
    }
    return 0;
}

KIT char *strchr(const char *s, int c) {
    for (;; s++) {
        if (*s == (char)c) return (char *)s;
        if (!*s) return 0;
    }
}

KIT char *strrchr(const char *s, int c) {
    const char *last = 0;
    for (;; s++) {
        if (*s == (char)c) last = s;
        if (!*s) return (char *)last;
    }
}

KIT char *strcpy(char *restrict dst, const char *restrict src) {
    char *d = dst;
    while ((*d++ = *src++)) {}
    return dst;
}

KIT char *strncpy(char *restrict dst, const char *restrict src, size_t n) {
    size_t i = 0;
    for (; i < n && src[i]; i++) dst[i] = src[i];
    for (; i < n; i++) dst[i] = 0; /* C pads with NULs up to n */
    return dst;
}

KIT char *strcat(char *restrict dst, const char *restrict src) {
    strcpy(dst + strlen(dst), src);
    return dst;
}

KIT char *strncat(char *restrict dst, const char *restrict src, size_t n) {
    char *d = dst + strlen(dst);
    size_t i = 0;
    for (; i < n && src[i]; i++) d[i] = src[i];
    d[i] = 0;
    return dst;
}

KIT char *strstr(const char *haystack, const char *needle) {
    size_t n = strlen(needle);
    if (n == 0) return (char *)haystack;
    for (; *haystack; haystack++)
        if (*haystack == *needle && strncmp(haystack, needle, n) == 0) return (char *)haystack;
    return 0;
}

/* 256-bit membership set of the bytes of `set`. */
static void byte_set(uint32_t bits[8], const char *set) {
    for (int i = 0; i < 8; i++) bits[i] = 0;
    for (const unsigned char *p = (const unsigned char *)set; *p; p++) bits[*p >> 5] |= 1u << (*p & 31);
}

static int in_set(const uint32_t bits[8], unsigned char c) { return (bits[c >> 5] >> (c & 31)) & 1; }

KIT size_t strspn(const char *s, const char *accept) {
    uint32_t bits[8];
    byte_set(bits, accept);
    size_t n = 0;
    while (s[n] && in_set(bits, (unsigned char)s[n])) n++;
    return n;
}

KIT size_t strcspn(const char *s, const char *reject) {
    uint32_t bits[8];
    byte_set(bits, reject);
    size_t n = 0;
    while (s[n] && !in_set(bits, (unsigned char)s[n])) n++;
    return n;
}

KIT char *strpbrk(const char *s, const char *accept) {
    s += strcspn(s, accept);
    return *s ? (char *)s : 0;
}

/* ---- stdlib.h ---------------------------------------------------------------------------- */

/* abs(INT_MIN) is undefined in C; here it wraps to INT_MIN (no trap). */
KIT int abs(int x) { return x < 0 ? (int)(0u - (unsigned)x) : x; }
KIT long labs(long x) { return x < 0 ? (long)(0ul - (unsigned long)x) : x; }
KIT long long llabs(long long x) { return x < 0 ? (long long)(0ull - (unsigned long long)x) : x; }
KIT div_t div(int num, int den) { return (div_t){num / den, num % den}; }
KIT ldiv_t ldiv(long num, long den) { return (ldiv_t){num / den, num % den}; }
KIT lldiv_t lldiv(long long num, long long den) { return (lldiv_t){num / den, num % den}; }

/* ---- ctype.h ("C" locale) ---------------------------------------------------------------- */

KIT int isdigit(int c) { return (unsigned)c - '0' < 10; }
KIT int islower(int c) { return (unsigned)c - 'a' < 26; }
KIT int isupper(int c) { return (unsigned)c - 'A' < 26; }
KIT int isalpha(int c) { return islower(c) || isupper(c); }
KIT int isalnum(int c) { return isalpha(c) || isdigit(c); }
KIT int isxdigit(int c) { return isdigit(c) || (unsigned)(c | 32) - 'a' < 6; }
KIT int isblank(int c) { return c == ' ' || c == '\t'; }
KIT int isspace(int c) { return c == ' ' || (unsigned)c - '\t' < 5; }
KIT int iscntrl(int c) { return (unsigned)c < 32 || c == 127; }
KIT int isprint(int c) { return (unsigned)c - 32 < 95; }
KIT int isgraph(int c) { return (unsigned)c - 33 < 94; }
KIT int ispunct(int c) { return isgraph(c) && !isalnum(c); }
KIT int tolower(int c) { return isupper(c) ? c | 32 : c; }
KIT int toupper(int c) { return islower(c) ? c & ~32 : c; }
