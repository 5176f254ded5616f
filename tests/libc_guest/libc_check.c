/* libc_check.c: the test guest of libc_check.h (wasi-libc: malloc, stdio, time, getentropy). */
#include "libc_check.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

typedef struct kept {
    struct kept *next;
    size_t len;
    uint8_t data[];
} kept;

static kept *first, *last;
static int32_t count;

int32_t lc_keep(const uint8_t *data, size_t data_len) {
    kept *k = malloc(sizeof(kept) + data_len);
    if (!k) return -1;
    k->next = 0;
    k->len = data_len;
    memcpy(k->data, data, data_len);
    if (last) last->next = k; else first = k;
    last = k;
    return ++count;
}

uint32_t lc_kept_hash(void) {
    uint32_t h = 2166136261u;
    for (kept *k = first; k; k = k->next)
        for (size_t i = 0; i < k->len; i++) h = (h ^ k->data[i]) * 16777619u;
    return h;
}

int32_t lc_forget(void) {
    int32_t n = count;
    for (kept *k = first, *next; k; k = next) {
        next = k->next;
        free(k);
    }
    first = last = 0;
    count = 0;
    return n;
}

int32_t lc_format(uint8_t *out, size_t out_len, int32_t n, const char *text) {
    return snprintf((char *)out, out_len, "%d|%s|%.3f", (int)n, text, n / 8.0);
}

static int cmp(const void *a, const void *b) {
    uint8_t x = *(const uint8_t *)a, y = *(const uint8_t *)b;
    return (x > y) - (x < y);
}

void lc_sort(const uint8_t *values, size_t values_len, uint8_t *out, size_t out_len) {
    uint8_t *copy = malloc(values_len ? values_len : 1);
    if (!copy) return;
    memcpy(copy, values, values_len);
    qsort(copy, values_len, 1, cmp);
    memcpy(out, copy, values_len < out_len ? values_len : out_len);
    free(copy);
}

int64_t lc_time_ns(void) {
    struct timespec ts;
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0) return -errno;
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t lc_random(void) {
    int64_t v;
    if (getentropy(&v, sizeof v) != 0) return -1;
    return v & INT64_MAX;
}

int32_t lc_write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "wb");
    if (!f) return errno;
    size_t n = strlen(text);
    int bad = fwrite(text, 1, n, f) != n;
    bad |= fclose(f) != 0;
    return bad ? (errno ? errno : EIO) : 0;
}

int32_t lc_file_size(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return -errno;
    if (fseek(f, 0, SEEK_END) != 0) {
        int e = errno;
        fclose(f);
        return -e;
    }
    long size = ftell(f);
    fclose(f);
    return (int32_t)size;
}

int32_t lc_read_file(const char *path, uint8_t *out, size_t out_len) {
    FILE *f = fopen(path, "rb");
    if (!f) return -errno;
    size_t n = fread(out, 1, out_len, f);
    fclose(f);
    return (int32_t)n;
}

int32_t lc_env_count(void) {
    int32_t n = 0;
    for (char **e = environ; e && *e; e++) n++;
    return n;
}

int32_t lc_has_env(const char *name) { return getenv(name) != 0; }

int32_t lc_print(const char *text) {
    int n = printf("%s\n", text);
    return fflush(stdout) == 0 ? n : -1;
}

int32_t lc_eprint(const char *text) { return fprintf(stderr, "%s\n", text); }

void lc_trap(void) { __builtin_trap(); }
