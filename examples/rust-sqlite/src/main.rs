//! Example: SQLite in a WebAssembly sandbox, bound at compile time by `wasm_bind!` from SQLite's
//! unmodified `sqlite3.h` and guests/sqlite/sqlite.toml (library-owned connections and statements,
//! SQLITE_TRANSIENT, the OK/ROW/DONE status rule with sqlite3_errmsg, column lengths from
//! sqlite3_column_bytes). An in-memory database, a file database in a directory granted to the
//! guest, bound parameters, typed columns (int64, real, text, blob, NULL), errors with SQLite's
//! message.
//!
//! Run `bash guests/build.sh` once, then `cargo run -p rust-sqlite`.

use bindgen_macro::wasm_bind;
use wasm_bind_rt::{Error, Options, Wasi};

wasm_bind!(
    "../../target/guests/sqlite/sqlite3.h",
    config = "../../guests/sqlite/sqlite.toml",
    wasm = "../../target/guests/sqlite/sqlite.wasm"
);

/// A column value, typed as SQLite stored it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// INTEGER (int64).
    Int(i64),
    /// REAL.
    Real(f64),
    /// TEXT.
    Text(String),
    /// BLOB.
    Blob(Vec<u8>),
    /// NULL.
    Null,
}

/// Prepares `sql` on `db`, binds `params` by position, steps to the end: the rows.
pub fn execute(
    m: &mut Sqlite,
    db: &Sqlite3,
    sql: &str,
    params: &[Value],
) -> Result<Vec<Vec<Value>>, Error> {
    let (stmt, _) = db.prepare_v2(m, sql)?;
    let Some(stmt) = stmt else {
        return Ok(Vec::new()); // only whitespace or a comment
    };
    for (k, v) in (1..).zip(params) {
        match v {
            Value::Int(i) => stmt.bind_int64(m, k, *i)?,
            Value::Real(r) => stmt.bind_double(m, k, *r)?,
            Value::Text(s) => stmt.bind_text(m, k, s.as_bytes())?,
            Value::Blob(b) => stmt.bind_blob(m, k, b)?,
            Value::Null => stmt.bind_null(m, k)?,
        };
    }
    let mut rows = Vec::new();
    while stmt.step(m)? == Sqlite::SQLITE_ROW {
        let row = (0..stmt.column_count(m)?)
            .map(|i| column(m, &stmt, i))
            .collect::<Result<_, _>>()?;
        rows.push(row);
    }
    stmt.close(m)?;
    Ok(rows)
}

/// Column `i` of the current row, by its storage class.
pub fn column(m: &mut Sqlite, stmt: &Sqlite3Stmt, i: i32) -> Result<Value, Error> {
    Ok(match stmt.column_type(m, i)? {
        Sqlite::SQLITE_INTEGER => Value::Int(stmt.column_int64(m, i)?),
        Sqlite::SQLITE_FLOAT => Value::Real(stmt.column_double(m, i)?),
        Sqlite::SQLITE_TEXT => Value::Text(stmt.column_text(m, i)?.unwrap_or_default()),
        Sqlite::SQLITE_BLOB => Value::Blob(stmt.column_blob(m, i)?.unwrap_or_default()),
        _ => Value::Null,
    })
}

fn in_memory() -> Result<(), Error> {
    let mut m = Sqlite::new()?;
    let rwc = Sqlite::SQLITE_OPEN_READWRITE | Sqlite::SQLITE_OPEN_CREATE;
    let (db, _) = m.sqlite3_open_v2(":memory:", rwc)?;
    let db = db.expect("an open connection");
    execute(
        &mut m,
        &db,
        "CREATE TABLE t(i INTEGER, r REAL, s TEXT, b BLOB, n)",
        &[],
    )?;
    let insert = "INSERT INTO t VALUES (?, ?, ?, ?, ?)";
    let row = [
        Value::Int(i64::MAX),
        Value::Real(3.25),
        Value::Text("héllo ✓".into()),
        Value::Blob(vec![0, 255]),
        Value::Null,
    ];
    execute(&mut m, &db, insert, &row)?;
    for row in execute(&mut m, &db, "SELECT * FROM t", &[])? {
        println!("  row: {row:?}");
    }
    match execute(&mut m, &db, "SELECT * FROM nosuch", &[]) {
        Err(Error::Status {
            status, message, ..
        }) => println!("  error: {} (status {status})", message.unwrap_or_default()),
        other => println!("  unexpected: {other:?}"),
    }
    db.close(&mut m)
}

fn file_database(dir: &std::path::Path) -> Result<(), Error> {
    // Only `dir`, seen by the guest as /data; nothing else of the host's file system.
    let mut m =
        Sqlite::with_options(&Options::default().wasi(Wasi::default().dir_rw(dir, "/data")))?;
    let rwc = Sqlite::SQLITE_OPEN_READWRITE | Sqlite::SQLITE_OPEN_CREATE;
    let (db, _) = m.sqlite3_open_v2("/data/demo.db", rwc)?;
    let db = db.expect("an open connection");
    execute(
        &mut m,
        &db,
        "CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT)",
        &[],
    )?;
    for body in ["first", "second", "ünïcödé"] {
        let insert = "INSERT INTO notes(body) VALUES (?)";
        execute(&mut m, &db, insert, &[Value::Text(body.into())])?;
    }
    let rows = execute(&mut m, &db, "SELECT count(*) FROM notes", &[])?;
    println!(
        "  {:?} rows in {}",
        rows[0][0],
        dir.join("demo.db").display()
    );
    db.close(&mut m)?;
    if let Err(Error::Status { status, .. }) = m.sqlite3_open_v2("/etc/passwd.db", rwc) {
        println!(
            "  outside the grant: status {status} ({})",
            m.sqlite3_errstr(status)?
        );
    }
    Ok(())
}

fn main() -> Result<(), Error> {
    println!("in-memory database:");
    in_memory()?;
    println!("file database in a granted directory:");
    let dir = std::env::temp_dir().join(format!("wasm-bind-rust-sqlite-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    let result = file_database(&dir);
    let _ = std::fs::remove_dir_all(&dir);
    result
}
