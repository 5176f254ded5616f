// gen-flags: --config owned_handles.toml
// Library-owned handles (roles::owned): opaque structs and a configured union the library
// allocates and frees itself, returned, through `T **`, passed back, borrowed, with parents.
#include <stdint.h>

typedef struct db db;
typedef struct stmt stmt;
typedef union ustate ustate;
union ustate { int64_t words[4]; };

/* A database, NULL on failure. */
db *db_open(const char *name);
/* Opens into *out; *out may be set even when the status is not 0. */
int db_open_v2(const char *name, db **out, int32_t flags);
void db_close(db *d);
/* A statement of `d` into *out (NULL for an empty `sql`). */
int stmt_prepare(db *d, const char *sql, stmt **out);
int stmt_finalize(stmt *s);
/* The database of a statement (the library keeps it). */
db *stmt_db(stmt *s);
/* The statement after `prev` (the first when NULL); the types cannot tell it is borrowed. */
stmt *db_next_stmt(db *d, stmt *prev);
int32_t stmt_step(stmt *s);
ustate *ustate_new(void);
int ustate_free(ustate *u);
void ustate_reset(ustate *u);
