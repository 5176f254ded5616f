// gen-flags: --config idioms.toml
/* SQLite's call idioms in miniature (issue #15), for the Python and Rust tests of
 * tests/python/test_idioms.py and tests/rust/rust_idioms.rs; bound with idioms.toml.
 * - a status rule with several success codes and a message read from another call (db_errmsg),
 * - fixed argument values (a destructor given -1 like SQLITE_TRANSIENT, NULL pointers),
 * - returned data whose length another call reports (column_blob / column_bytes, column_text),
 * - library-owned strings copied out at once (lib_version, column_name: NULL when out of range),
 * - capacity in, count out (pack: zlib's compress2 shape). */
#include <stddef.h>
#include <stdint.h>

/* A connection the caller owns (a handle). */
typedef struct {
    int32_t last_error;
    int32_t rows;
    int32_t stored;
} db_t;

#define ID_OK 0
#define ID_ERROR 1
#define ID_MISUSE 21
#define ID_ROW 100
#define ID_DONE 101
#define ID_BUF_ERROR (-5)

/* Status rule */
int db_open(db_t *db, int32_t rows);
int db_step(db_t *db);
int db_fail(db_t *db, int32_t code);
const char *db_errmsg(db_t *db);
int plain_fail(int32_t code);
/* A statement of a connection: its failures' messages come from the connection (stmt_db, like
 * sqlite3_db_handle, is the status rule's `via`). */
typedef struct {
    db_t *db;
    int32_t steps;
} stmt_t;
int stmt_init(stmt_t *st, db_t *db);
db_t *stmt_db(stmt_t *st);
int stmt_fail(stmt_t *st, int32_t code);

/* Fixed values */
typedef void (*destructor_fn)(void *);
int db_store(db_t *db, const char *text, int32_t nText, destructor_fn del);
int32_t db_stored(const db_t *db);
int32_t probe_nulls(const char **pzTail, const char *zVfs, int32_t mode);
int32_t probe_value(uint32_t bits, int8_t small);

/* Data whose length another call reports */
const void *column_blob(db_t *db, int32_t col);
int32_t column_bytes(db_t *db, int32_t col);
const unsigned char *column_text(db_t *db, int32_t col);

/* Library-owned strings */
const char *lib_version(void);
const unsigned char *column_name(db_t *db, int32_t col);

/* Capacity in, count out: dest gets source twice; *destLen is dest's capacity, then the count. */
int pack(uint8_t *dest, uint32_t *destLen, const uint8_t *source, uint32_t sourceLen);
uint32_t packBound(uint32_t sourceLen);
int pack_lie(uint8_t *dest, uint32_t *destLen, const uint8_t *source, uint32_t sourceLen);
