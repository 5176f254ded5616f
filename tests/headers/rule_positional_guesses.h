// gen-flags:
// A size taken by position is a guess that decides what C receives: it binds only under a name
// that reads like a size, and not as a one-letter integer after a `const char *`. The prototypes
// are sqlite3.h's (libsqlite3-sys 0.30.1), which were bound with an integer taken as a string's
// length; each is now left unbound with the one config line that settles it.
#include <stddef.h>
#include <stdint.h>

typedef long long sqlite3_int64;

int sqlite3_uri_boolean(const char *z, const char *zParam, int bDefault);
sqlite3_int64 sqlite3_uri_int64(const char*, const char*, sqlite3_int64);
const char *sqlite3_uri_key(const char *z, int N);
int sqlite3_keyword_check(const char*,int);
int sqlite3_strnicmp(const char *, const char *, int);
int sqlite3_strlike(const char *zGlob, const char *zStr, unsigned int cEsc);
int sqlite3_status(int op, int *pCurrent, int *pHighwater, int resetFlag);
// A size-like name after text still binds by position (sqlite3_prepare's nByte).
int prepare_like(const char *zSql, int nByte);
// A `size_t` after a pointer is its size whatever the name: the type says it.
int by_type(const uint8_t *data, size_t x);
// sqlite3.h's filename type: the very pointer SQLite handed out (data follows the text), never copied
// as a string unless the config says `str`; a plain `const char *` beside it is still text.
typedef const char *sqlite3_filename;
const char *sqlite3_filename_database(sqlite3_filename);
int sqlite3_uri_boolean_f(sqlite3_filename z, const char *zParam, int bDefault);
