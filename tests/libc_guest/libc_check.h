/*
 * libc_check.h: a test guest that needs libc (built by `wasm-bind guest --wasi` against wasi-libc):
 * malloc'd state that outlives calls while the host's arena is used, stdio, clocks, randomness,
 * files and the environment through WASI. tests/python/test_libc_guest.py and
 * tests/rust/rust_libc.rs drive it to check the runtimes' deny-by-default WASI.
 */
#include <stddef.h>
#include <stdint.h>
#include <wasm_bind.h>

/* Keeps a malloc'd copy of data (kept until lc_forget); returns how many copies are kept. */
int32_t lc_keep(const uint8_t *data, size_t data_len);
/* FNV-1a over every kept copy in order: unchanged by arena traffic if malloc and the arena coexist. */
uint32_t lc_kept_hash(void);
/* Frees every kept copy; returns how many there were. */
int32_t lc_forget(void);
/* snprintf("%d|%s|%.3f", n, text, n / 8.0) into out; returns the length snprintf wanted. */
int32_t lc_format(uint8_t *out, size_t out_len, int32_t n, const char *text);
/* Sorts values with qsort (a copy on the heap) and writes them to out (same count). */
void lc_sort(const uint8_t *values, size_t values_len, uint8_t *out, size_t out_len);
/* CLOCK_REALTIME in nanoseconds (clock_gettime), or -errno. */
int64_t lc_time_ns(void);
/* 8 bytes from getentropy (random_get) as an integer; -1 on error. */
int64_t lc_random(void);
/* Writes text to the file at path (fopen "wb"); 0 or errno. */
int32_t lc_write_file(const char *path, const char *text);
/* The size of the file at path (fopen "rb", fseek, ftell), or -errno. */
int32_t lc_file_size(const char *path);
/* Reads the file at path into out; the count read, or -errno. */
int32_t lc_read_file(const char *path, uint8_t *out, size_t out_len);
/* The number of environment variables (environ). */
int32_t lc_env_count(void);
/* getenv(name) is set: 1, else 0. */
int32_t lc_has_env(const char *name);
/* printf("%s\n", text) to stdout (which is flushed); the count written, or -1. */
int32_t lc_print(const char *text);
/* fprintf(stderr, "%s\n", text); the count written, or -1. */
int32_t lc_eprint(const char *text);
/* Traps (__builtin_trap): the host re-creates the instance, replaying its WASI grants. */
void lc_trap(void);
