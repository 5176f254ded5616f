/* The guest of tests/headers/idioms.h (freestanding: static data only, never the arena). */
#include "idioms.h"

static const char *const messages[] = {"not an error", "the test error", "bad parameter or other API misuse"};

int db_open(db_t *db, int32_t rows) {
    if (rows < 0) {
        db->last_error = ID_ERROR;
        return ID_ERROR;
    }
    db->rows = rows;
    db->last_error = ID_OK;
    return ID_OK;
}

int db_step(db_t *db) {
    if (db->rows > 0) {
        db->rows--;
        return ID_ROW;
    }
    return ID_DONE;
}

int db_fail(db_t *db, int32_t code) {
    db->last_error = code;
    return code;
}

const char *db_errmsg(db_t *db) {
    switch (db->last_error) {
    case ID_OK: return messages[0];
    case ID_ERROR: return messages[1];
    case 2: return (const char *)"caf\xc3\xa9 \xff broken"; /* invalid UTF-8: replaced in the message */
    case ID_MISUSE: return messages[2];
    default: return NULL; /* no message */
    }
}

int plain_fail(int32_t code) { return code; }

int stmt_init(stmt_t *st, db_t *db) {
    st->db = db;
    st->steps = 0;
    return ID_OK;
}

db_t *stmt_db(stmt_t *st) { return st->db; }

int stmt_fail(stmt_t *st, int32_t code) {
    st->db->last_error = code;
    return code;
}

int db_store(db_t *db, const char *text, int32_t nText, destructor_fn del) {
    /* SQLITE_TRANSIENT is (destructor_fn)-1: anything else is refused. */
    if (del != (destructor_fn)-1) return ID_MISUSE;
    int32_t sum = 0;
    for (int32_t i = 0; i < nText; i++) sum += (unsigned char)text[i];
    db->stored = sum;
    return ID_OK;
}

int32_t db_stored(const db_t *db) { return db->stored; }

int32_t probe_nulls(const char **pzTail, const char *zVfs, int32_t mode) {
    return (pzTail == NULL && zVfs == NULL) ? mode : -1;
}

int32_t probe_value(uint32_t bits, int8_t small) { return (int32_t)(bits ^ 0xFFFFFFFFu) + small; }

static const unsigned char blob0[] = {0, 1, 2, 0xff};
static const unsigned char text2[] = "h\xc3\xa9llo\0tail"; /* 11 bytes before the final NUL */
static const unsigned char bad3[] = {0xff, 0xfe, 'a'};
static const unsigned char empty7[] = "";

/* col: 0 blob, 1 NULL, 2 text with an embedded NUL, 3 invalid UTF-8, 4 NULL that claims 5 bytes,
 * 5 a length past guest memory, 6 a negative length, 7 empty (not NULL). */
const void *column_blob(db_t *db, int32_t col) {
    (void)db;
    switch (col) {
    case 0: return blob0;
    case 2: return text2;
    case 3: return bad3;
    case 5: return blob0;
    case 6: return blob0;
    case 7: return empty7;
    default: return NULL;
    }
}

int32_t column_bytes(db_t *db, int32_t col) {
    (void)db;
    switch (col) {
    case 0: return 4;
    case 2: return 11;
    case 3: return 3;
    case 4: return 5;
    case 5: return 0x7ffffff0;
    case 6: return -1;
    default: return 0;
    }
}

const unsigned char *column_text(db_t *db, int32_t col) { return (const unsigned char *)column_blob(db, col); }

const char *lib_version(void) { return "3.46.0-idioms"; }

static const char *const names[] = {"id", "name", "caf\xc3\xa9"};

const unsigned char *column_name(db_t *db, int32_t col) {
    (void)db;
    if (col < 0 || col >= 3) return NULL;
    return (const unsigned char *)names[col];
}

uint32_t packBound(uint32_t sourceLen) { return 2 * sourceLen + 1; }

int pack(uint8_t *dest, uint32_t *destLen, const uint8_t *source, uint32_t sourceLen) {
    uint32_t need = 2 * sourceLen;
    if (*destLen < need) return ID_BUF_ERROR;
    for (uint32_t i = 0; i < sourceLen; i++) {
        dest[i] = source[i];
        dest[sourceLen + i] = source[i];
    }
    *destLen = need;
    return ID_OK;
}

int pack_lie(uint8_t *dest, uint32_t *destLen, const uint8_t *source, uint32_t sourceLen) {
    (void)dest;
    (void)source;
    (void)sourceLen;
    *destLen = *destLen + 1; /* claims one element more than dest holds */
    return ID_OK;
}
