/* owned.h: a small library whose objects it allocates itself (opaque structs), for the
 * library-owned handle tests (tests/python/test_owned.py, tests/rust/rust_owned.rs).
 * Built as a libc guest (malloc) by guests/build.sh; bound with owned.toml. */
#ifndef OWNED_H
#define OWNED_H
#include <stddef.h>
#include <stdint.h>

/* A connection (opaque; freed by conn_close). */
typedef struct conn conn;
/* A statement of a connection (opaque; freed by stmt_finalize; needs its connection). */
typedef struct stmt stmt;
/* A token the connection keeps (opaque; no destructor: the library frees it with the connection). */
typedef struct token token;

/* A new connection holding `value`; NULL when `value` is negative. */
conn *conn_open(int32_t value);
/* Opens a connection into *out. Returns 0; for value -1 returns 1 and *out stays NULL; for
 * value -2 returns 2 and *out is still a connection the caller must close (like sqlite3_open). */
int conn_open_out(int32_t value, conn **out);
/* The value the connection holds. */
int32_t conn_value(const conn *c);
/* Frees a connection. Closing one with live statements counts an error (owned_errors). */
void conn_close(conn *c);
/* A new statement of `c` into *out: each stmt_next adds `step`. Returns 0. */
int stmt_prepare(conn *c, int32_t step, stmt **out);
/* The connection's value plus `step` times the number of calls so far. */
int32_t stmt_next(stmt *s);
/* Frees a statement; a statement whose connection is gone counts an error. Returns 0. */
int stmt_finalize(stmt *s);
/* The connection of a statement (the library keeps it). */
conn *stmt_conn(stmt *s);
/* The statement after `prev` (the first when NULL) among c's live statements, newest first. */
stmt *conn_next_stmt(conn *c, stmt *prev);
/* The connection's token (freed with the connection). */
token *conn_token(conn *c);
/* The token's id. */
int32_t token_id(const token *t);
/* Live connections. */
int32_t live_conns(void);
/* Live statements. */
int32_t live_stmts(void);
/* Misuses seen: a statement finalized after its connection, a connection closed under live
 * statements, or a pointer that is not a live object of its kind. */
int32_t owned_errors(void);
/* Traps (for the re-instantiation tests). */
void owned_trap(void);

/* A view of caller memory the library keeps (opaque; freed by view_close): view_sum reads the
 * `len` bytes at `data` on every call (`data` is `kept`: a guest buffer). */
typedef struct view view;
view *view_open(const uint8_t *data, size_t len);
void view_close(view *v);
uint32_t view_sum(const view *v);
/* A caller-owned cursor (its layout is declared: a handle) keeping a pointer to caller memory. */
typedef struct {
    const uint8_t *data;
    uint32_t len;
} cursor;
void cursor_set(cursor *c, const uint8_t *data, size_t len);
uint32_t cursor_sum(const cursor *c);
/* Keeps a pointer to caller memory in the library's own state (no handle): global_sum reads it. */
void global_set(const uint8_t *data, size_t len);
uint32_t global_sum(void);
#endif
