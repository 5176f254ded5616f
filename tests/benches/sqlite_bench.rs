//! SQLite benchmark (issue 15, reported, not asserted): 10,000 inserts in one transaction, then a
//! full SELECT reading every column, in the SQLite guest (target/guests/sqlite/sqlite.wasm) against
//! native SQLite 3.46.0 built from the same sources by libsqlite3-sys (`bundled`).
//!
//! `cargo bench -p wasm-bind-tests --bench sqlite_bench [-- ROWS ROUNDS]` (after `bash guests/build.sh`).
//! Contenders (paired rounds: each round runs all of them once, so load spikes hit every one):
//! - `native`: libsqlite3-sys, prepared INSERT with bind_* + step + reset per row, SELECT with
//!   column_* per value (the C API called directly);
//! - `binding`: the generated binding of sqlite3.h (guests/sqlite/sqlite.toml), the same calls;
//! - `engine`: the same work as one SQL script (10,000 INSERT statements with literals, then an
//!   aggregate over every value) run in the guest in one call through guests/sqlite/sqlite_probe.h,
//!   against the native library running the same script: SQLite's own speed as wasm.

#[path = "../rust/sqlite_native.rs"]
mod sqlite_native;

use std::ffi::CString;
use std::time::Instant;

use bindgen_macro::wasm_bind;
use libsqlite3_sys as ffi;
use sqlite_native::Native;

mod api {
    use super::wasm_bind;
    wasm_bind!(
        "../target/guests/sqlite/sqlite3.h",
        config = "../guests/sqlite/sqlite.toml",
        wasm = "../target/guests/sqlite/sqlite.wasm"
    );
}

mod probe {
    use super::wasm_bind;
    wasm_bind!(
        "../target/guests/sqlite/sqlite_probe.h",
        wasm = "../target/guests/sqlite/sqlite.wasm"
    );
}

/// A named contender: runs the whole job once, returns something to keep it from being optimized away.
type Job<'a> = (&'static str, Box<dyn FnMut() -> String + 'a>);

/// One row: int64, real, text, 16-byte blob.
type Row = (i64, f64, String, Vec<u8>);

fn rows(n: usize) -> Vec<Row> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    (0..n)
        .map(|k| {
            let i = next() as i64;
            let r = (next() % 2_000_000_000) as f64 / 1.7 - 5e8;
            let b: Vec<u8> = (0..16).map(|_| next() as u8).collect();
            (i, r, format!("row {k} é✓ {:06}", next() % 1_000_000), b)
        })
        .collect()
}

/// The native C API, as the binding would drive it: prepare once, bind + step + reset per row.
fn native(data: &[Row]) -> usize {
    let db = Native::open(":memory:");
    db.query("CREATE TABLE t(i INTEGER, r REAL, s TEXT, b BLOB); BEGIN")
        .unwrap();
    let (raw, mut n) = (db.raw(), 0usize);
    // SAFETY: statements are prepared on the live connection, finalized before it closes; every
    // pointer passed is a live Rust buffer with its length (SQLITE_TRANSIENT copies it).
    unsafe {
        let mut ins = std::ptr::null_mut();
        let sql = CString::new("INSERT INTO t VALUES (?, ?, ?, ?)").unwrap();
        ffi::sqlite3_prepare_v2(raw, sql.as_ptr(), -1, &mut ins, std::ptr::null_mut());
        for (i, r, s, b) in data {
            ffi::sqlite3_bind_int64(ins, 1, *i);
            ffi::sqlite3_bind_double(ins, 2, *r);
            ffi::sqlite3_bind_text(
                ins,
                3,
                s.as_ptr().cast(),
                s.len() as i32,
                ffi::SQLITE_TRANSIENT(),
            );
            ffi::sqlite3_bind_blob(
                ins,
                4,
                b.as_ptr().cast(),
                b.len() as i32,
                ffi::SQLITE_TRANSIENT(),
            );
            assert_eq!(ffi::sqlite3_step(ins), ffi::SQLITE_DONE);
            ffi::sqlite3_reset(ins);
        }
        ffi::sqlite3_finalize(ins);
        db.query("COMMIT").unwrap();
        let mut sel = std::ptr::null_mut();
        let sql = CString::new("SELECT i, r, s, b FROM t").unwrap();
        ffi::sqlite3_prepare_v2(raw, sql.as_ptr(), -1, &mut sel, std::ptr::null_mut());
        while ffi::sqlite3_step(sel) == ffi::SQLITE_ROW {
            let i = ffi::sqlite3_column_int64(sel, 0);
            let r = ffi::sqlite3_column_double(sel, 1);
            let t = ffi::sqlite3_column_text(sel, 2);
            let s = std::slice::from_raw_parts(t, ffi::sqlite3_column_bytes(sel, 2) as usize);
            let s = String::from_utf8(s.to_vec()).unwrap();
            let p = ffi::sqlite3_column_blob(sel, 3).cast::<u8>();
            let b =
                std::slice::from_raw_parts(p, ffi::sqlite3_column_bytes(sel, 3) as usize).to_vec();
            std::hint::black_box((i, r, s, b));
            n += 1;
        }
        ffi::sqlite3_finalize(sel);
    }
    n
}

/// The same job through the generated binding of sqlite3.h: one guest call per bind, step, reset
/// and column (text and blob columns make a second one, sqlite3_column_bytes).
fn binding(m: &mut api::Sqlite, data: &[Row]) -> Result<usize, wasm_bind_rt::Error> {
    let run =
        |m: &mut api::Sqlite, db: &api::Sqlite3, sql: &str| -> Result<(), wasm_bind_rt::Error> {
            let stmt = db.prepare_v2(m, sql)?.0.expect("a statement");
            stmt.step(m)?;
            stmt.close(m)
        };
    let db = m.sqlite3_open_v2(":memory:", 6)?.0.expect("a connection");
    run(m, &db, "CREATE TABLE t(i INTEGER, r REAL, s TEXT, b BLOB)")?;
    run(m, &db, "BEGIN")?;
    let ins = db
        .prepare_v2(m, "INSERT INTO t VALUES (?, ?, ?, ?)")?
        .0
        .expect("a statement");
    for (i, r, s, b) in data {
        ins.bind_int64(m, 1, *i)?;
        ins.bind_double(m, 2, *r)?;
        ins.bind_text(m, 3, s.as_bytes())?;
        ins.bind_blob(m, 4, b)?;
        ins.step(m)?;
        ins.reset(m)?;
    }
    ins.close(m)?;
    run(m, &db, "COMMIT")?;
    let sel = db
        .prepare_v2(m, "SELECT i, r, s, b FROM t")?
        .0
        .expect("a statement");
    let mut n = 0;
    while sel.step(m)? == api::Sqlite::SQLITE_ROW {
        let row = (
            sel.column_int64(m, 0)?,
            sel.column_double(m, 1)?,
            sel.column_text(m, 2)?,
            sel.column_blob(m, 3)?,
        );
        std::hint::black_box(row);
        n += 1;
    }
    sel.close(m)?;
    db.close(m)?;
    Ok(n)
}

/// The whole job as one SQL script.
fn script(data: &[Row]) -> String {
    let mut sql = String::from("CREATE TABLE t(i INTEGER, r REAL, s TEXT, b BLOB);\nBEGIN;\n");
    for (i, r, s, b) in data {
        let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
        sql.push_str(&format!(
            "INSERT INTO t VALUES ({i}, {r:e}, '{s}', x'{hex}');\n"
        ));
    }
    sql + "COMMIT;\nSELECT count(*) + sum(i % 7) + sum(length(s)) + sum(length(b)) + total(r) FROM t;\n"
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let (n, rounds) = (
        args.first().copied().unwrap_or(10_000),
        args.get(1).copied().unwrap_or(7),
    );
    let data = rows(n);
    let text = script(&data);
    let mut g = probe::SqliteProbe::new().expect("the SQLite guest (bash guests/build.sh)");
    let mut m = api::Sqlite::new().expect("the SQLite guest (bash guests/build.sh)");
    let mut jobs: Vec<Job<'_>> = vec![
        ("native (C API)", Box::new(|| native(&data).to_string())),
        (
            "binding",
            Box::new(|| binding(&mut m, &data).unwrap().to_string()),
        ),
        (
            "engine (guest script)",
            Box::new(|| {
                let (out, rc) = g.wbs_run(6, ":memory:", &text, 256).unwrap();
                assert_eq!(rc, 0, "{out}");
                out
            }),
        ),
        (
            "engine (native script)",
            Box::new(|| {
                let db = Native::open(":memory:");
                db.query(&text).unwrap().remove(0).remove(0)
            }),
        ),
    ];
    let mut times: Vec<Vec<f64>> = jobs
        .iter_mut()
        .map(|(_, f)| {
            f();
            Vec::new()
        })
        .collect();
    for _ in 0..rounds {
        for (k, (_, f)) in jobs.iter_mut().enumerate() {
            let t0 = Instant::now();
            std::hint::black_box(f());
            times[k].push(t0.elapsed().as_secs_f64() * 1e3);
        }
    }
    println!("sqlite: {n} inserts in a transaction + full select, {rounds} paired rounds (ms: best / median)");
    for ((name, _), t) in jobs.iter().zip(&times) {
        let best = t.iter().copied().fold(f64::INFINITY, f64::min);
        println!("  {name:24} {best:9.1} {:9.1}", median(t.clone()));
    }
    let ratio = |a: usize, b: usize| {
        let r: Vec<f64> = times[a].iter().zip(&times[b]).map(|(x, y)| x / y).collect();
        let (lo, hi) = r
            .iter()
            .fold((f64::INFINITY, 0f64), |(l, h), &x| (l.min(x), h.max(x)));
        format!("median {:.2}x (paired rounds {lo:.2}-{hi:.2}x)", median(r))
    };
    println!("  binding / native (C API): {}", ratio(1, 0));
    println!(
        "  engine (guest script) / engine (native script): {}",
        ratio(2, 3)
    );
}
