/*
 * wb_sqlite_init.c: real randomness for SQLite as a WASI guest (built into target/guests/sqlite/ by
 * guests/build.sh with -DSQLITE_EXTRA_INIT=wb_sqlite_init).
 *
 * SQLite seeds its PRNG (randomblob(), random(), temporary names) from the default VFS's
 * xRandomness. The unix VFS reads /dev/urandom, which a WASI guest cannot open (no directory is
 * granted by default, and a grant never includes /dev), so it falls back to time(NULL) and a
 * constant pid: two instances started in the same second produce the same randomblob(). This file
 * registers, as the default VFS, a copy of the unix VFS whose xRandomness draws from getentropy()
 * (WASI random_get: the host's CSPRNG), then reseeds the PRNG from it. Everything else is SQLite's
 * own VFS, unchanged.
 */
#include <string.h>
#include <unistd.h> /* getentropy */

#include "sqlite3.h"

/* The default VFS (unix-dotfile under WASI), copied with xRandomness replaced. */
static sqlite3_vfs wb_vfs;
/* The VFS it wraps, for the fallback below. */
static sqlite3_vfs *wb_base;

/* Fills zBuf with nBuf bytes from WASI random_get (getentropy serves at most 256 a call). */
static int wb_randomness(sqlite3_vfs *vfs, int nBuf, char *zBuf) {
    int done = 0;
    (void)vfs;
    while (done < nBuf) {
        int n = nBuf - done > 256 ? 256 : nBuf - done;
        if (getentropy(zBuf + done, (size_t)n) != 0) {
            /* random_get failed: SQLite's own seed (time-based) rather than none. */
            return wb_base->xRandomness(wb_base, nBuf, zBuf);
        }
        done += n;
    }
    return nBuf;
}

/* Called by sqlite3_initialize() (SQLITE_EXTRA_INIT) after the OS layer registered its VFSes. */
int wb_sqlite_init(const char *unused) {
    (void)unused;
    if (wb_base != NULL) {
        return SQLITE_OK; /* after sqlite3_shutdown() + sqlite3_initialize(): still registered */
    }
    wb_base = sqlite3_vfs_find(NULL);
    if (wb_base == NULL) {
        return SQLITE_ERROR;
    }
    memcpy(&wb_vfs, wb_base, sizeof wb_vfs);
    wb_vfs.pNext = NULL;
    wb_vfs.xRandomness = wb_randomness;
    /* Same name: found first by sqlite3_vfs_find() and "vfs=" URIs, and made the default. */
    int rc = sqlite3_vfs_register(&wb_vfs, 1);
    if (rc == SQLITE_OK) {
        sqlite3_randomness(0, NULL); /* reseed the PRNG from the new default VFS */
    }
    return rc;
}
