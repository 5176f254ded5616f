/*
 * sqlite_probe.h: two small driver functions compiled into the SQLite guest (guests/build.sh
 * exports them with `wasm-bind guest --export`), bound from this header against the same
 * target/guests/sqlite/sqlite.wasm. The WASI tests (tests/python/test_sqlite_wasi.py,
 * tests/rust/rust_sqlite_wasi.rs) use them to drive whole SQL scripts against file databases
 * through the runtimes' WASI grants with one call each; sqlite3.h itself is bound separately.
 */
#include <stddef.h>
#include <stdint.h>
#include <wasm_bind.h>

/* Opens uri with sqlite3_open_v2(uri, &db, flags | SQLITE_OPEN_URI, NULL), runs every statement
 * of sql in order, and writes into out (NUL-terminated, cut to out_len - 1 bytes) the first column
 * of the last row a statement returned, as text, or SQLite's error message if a step failed; then
 * closes the connection. Returns SQLite's (extended) result code: 0 is SQLITE_OK. */
int32_t wbs_run(int32_t flags, WB_STR const char *uri, WB_STR const char *sql, WB_OUT_STR(out_len) char *out,
                size_t out_len);

/* The number of environment variables the guest sees (wasi-libc's environ). */
int32_t wbs_environ_count(void);
