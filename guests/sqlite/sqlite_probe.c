/* sqlite_probe.c: the driver functions of sqlite_probe.h (see there), linked into the SQLite guest. */
#include <string.h>

#include "sqlite3.h"
#include "sqlite_probe.h"

extern char **environ;

/* Copies text into out as a NUL-terminated string cut to at most out_len - 1 bytes. */
static void wbs_copy(const char *text, char *out, size_t out_len) {
    size_t n;
    if (out_len == 0) {
        return;
    }
    n = text ? strlen(text) : 0;
    if (n > out_len - 1) {
        n = out_len - 1;
        while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80) {
            n--; /* never cut a UTF-8 sequence in two */
        }
    }
    if (n) {
        memcpy(out, text, n);
    }
    out[n] = 0;
}

/* Runs one prepared statement to completion, copying the first column of each row into out. */
static int wbs_step_all(sqlite3_stmt *stmt, char *out, size_t out_len) {
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        if (sqlite3_column_count(stmt) > 0) {
            wbs_copy((const char *)sqlite3_column_text(stmt, 0), out, out_len);
        }
    }
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int32_t wbs_run(int32_t flags, const char *uri, const char *sql, char *out, size_t out_len) {
    sqlite3 *db = NULL;
    const char *tail = sql;
    int rc;
    wbs_copy("", out, out_len);
    rc = sqlite3_open_v2(uri, &db, flags | SQLITE_OPEN_URI, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_extended_result_codes(db, 1);
    }
    while (rc == SQLITE_OK && tail && *tail) {
        sqlite3_stmt *stmt = NULL;
        rc = sqlite3_prepare_v2(db, tail, -1, &stmt, &tail);
        if (rc == SQLITE_OK && stmt) {
            rc = wbs_step_all(stmt, out, out_len);
        }
        sqlite3_finalize(stmt);
    }
    if (rc != SQLITE_OK) {
        wbs_copy(db ? sqlite3_errmsg(db) : sqlite3_errstr(rc), out, out_len);
    }
    sqlite3_close_v2(db);
    return rc;
}

int32_t wbs_environ_count(void) {
    int32_t n = 0;
    while (environ && environ[n]) {
        n++;
    }
    return n;
}
