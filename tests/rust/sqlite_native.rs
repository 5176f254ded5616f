//! Native SQLite for the SQLite guest's Rust tests and benchmark: the amalgamation libsqlite3-sys
//! =0.30.1 bundles (the same sources as target/guests/sqlite/sqlite.wasm), compiled natively by the
//! crate, behind a minimal safe wrapper: run a script, collect the rows as text.
//! Included with `mod sqlite_native;`.

#![allow(dead_code)]

use std::ffi::{CStr, CString};
use std::path::Path;

use libsqlite3_sys as ffi;

/// An open native connection, closed on drop.
pub struct Native(*mut ffi::sqlite3);

impl Drop for Native {
    fn drop(&mut self) {
        // SAFETY: self.0 came from sqlite3_open_v2 and is closed exactly once.
        unsafe { ffi::sqlite3_close(self.0) };
    }
}

impl Native {
    /// Opens (creating) the database file at `path`, or `:memory:`.
    pub fn open(path: impl AsRef<Path>) -> Native {
        let name = CString::new(path.as_ref().to_str().expect("utf-8 path")).unwrap();
        let mut db = std::ptr::null_mut();
        let flags = ffi::SQLITE_OPEN_READWRITE | ffi::SQLITE_OPEN_CREATE;
        // SAFETY: name is NUL-terminated; db receives a handle (closed by Drop even on error).
        let rc = unsafe { ffi::sqlite3_open_v2(name.as_ptr(), &mut db, flags, std::ptr::null()) };
        let native = Native(db);
        assert_eq!(rc, ffi::SQLITE_OK, "open {}", path.as_ref().display());
        native
    }

    /// The raw connection, for callers driving the C API themselves (the benchmark).
    pub fn raw(&self) -> *mut ffi::sqlite3 {
        self.0
    }

    /// The last error message of the connection.
    pub fn errmsg(&self) -> String {
        // SAFETY: sqlite3_errmsg returns a NUL-terminated string owned by the connection.
        unsafe { CStr::from_ptr(ffi::sqlite3_errmsg(self.0)) }
            .to_string_lossy()
            .into_owned()
    }

    /// Runs every statement of `sql`; the rows of all of them, each column as text ("NULL" for
    /// NULL), or SQLite's result code and message.
    pub fn query(&self, sql: &str) -> Result<Vec<Vec<String>>, (i32, String)> {
        let sql = CString::new(sql).unwrap();
        let mut tail = sql.as_ptr();
        let mut rows = Vec::new();
        // SAFETY: tail points into `sql` (NUL-terminated) for the whole loop; each statement is
        // finalized before the next is prepared; column text is copied before the next step.
        unsafe {
            while *tail != 0 {
                let mut stmt = std::ptr::null_mut();
                let rc = ffi::sqlite3_prepare_v2(self.0, tail, -1, &mut stmt, &mut tail);
                if rc != ffi::SQLITE_OK {
                    return Err((rc, self.errmsg()));
                }
                if stmt.is_null() {
                    continue;
                }
                let rc = loop {
                    match ffi::sqlite3_step(stmt) {
                        ffi::SQLITE_ROW => rows.push(
                            (0..ffi::sqlite3_column_count(stmt))
                                .map(|i| {
                                    let t = ffi::sqlite3_column_text(stmt, i);
                                    if t.is_null() {
                                        "NULL".to_string()
                                    } else {
                                        CStr::from_ptr(t.cast()).to_string_lossy().into_owned()
                                    }
                                })
                                .collect(),
                        ),
                        rc => break rc,
                    }
                };
                ffi::sqlite3_finalize(stmt);
                if rc != ffi::SQLITE_DONE {
                    return Err((rc, self.errmsg()));
                }
            }
        }
        Ok(rows)
    }
}
