//! SQLite benchmark (issue 15, reported, not asserted): 10,000 inserts in one transaction, then a
//! full SELECT reading every column, in the SQLite guest (target/guests/sqlite/sqlite.wasm) against
//! native SQLite 3.46.0 built from the same sources by libsqlite3-sys (`bundled`).
//!
//! `cargo bench -p wasm-bind-tests --bench sqlite_bench [-- ROWS ROUNDS]` (after `bash guests/build.sh`;
//! `SQLITE_BENCH_CLOCK=cpu` times each job by this thread's CPU time instead of wall time).
//! Contenders (paired rounds: each round runs all of them once, so load spikes hit every one):
//! - `native`: libsqlite3-sys, prepared INSERT with bind_* + step + reset per row, SELECT with
//!   column_* per value (the C API called directly);
//! - `binding`: the generated binding of sqlite3.h (guests/sqlite/sqlite.toml), the same calls;
//! - `engine`: the same work as one SQL script (10,000 INSERT statements with literals, then an
//!   aggregate over every value) run in the guest in one call through guests/sqlite/sqlite_probe.h,
//!   against the native library running the same script: SQLite's own speed as wasm.
//!
//! `SQLITE_BENCH_WASM=a.wasm,b.wasm` adds a `binding` and an `engine` contender for each other
//! build of the guest (built from the same sqlite3.h and config, say with other compiler flags),
//! in the same paired rounds: how a build option changes both, measured side by side.

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
type Job<'a> = (String, Box<dyn FnMut() -> String + 'a>);

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

/// The guest builds to compare: the one compiled in, then each file of `SQLITE_BENCH_WASM`.
fn guests() -> Vec<(String, api::Sqlite, probe::SqliteProbe)> {
    let mut out = vec![(
        String::new(),
        api::Sqlite::new().expect("the SQLite guest (bash guests/build.sh)"),
        probe::SqliteProbe::new().expect("the SQLite guest (bash guests/build.sh)"),
    )];
    let alt = std::env::var("SQLITE_BENCH_WASM").unwrap_or_default();
    for path in alt.split(',').filter(|p| !p.is_empty()) {
        let name = std::path::Path::new(path)
            .file_stem()
            .map_or(path.to_string(), |s| s.to_string_lossy().into_owned());
        let m = api::Sqlite::from_file(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let g = probe::SqliteProbe::from_file(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        out.push((format!(" {name}"), m, g));
    }
    out
}

/// Milliseconds on a clock: wall time, or with `SQLITE_BENCH_CLOCK=cpu` (Linux) the CPU time of
/// this thread, which waiting for a core on a loaded machine does not inflate (the cache and
/// frequency effects of the load remain).
fn now_ms() -> f64 {
    static CPU: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    if *CPU.get_or_init(|| std::env::var("SQLITE_BENCH_CLOCK").as_deref() == Ok("cpu")) {
        return thread_cpu_ms();
    }
    static T0: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    T0.get_or_init(Instant::now).elapsed().as_secs_f64() * 1e3
}

#[cfg(target_os = "linux")]
fn thread_cpu_ms() -> f64 {
    #[repr(C)]
    struct Timespec {
        sec: i64,
        nsec: std::ffi::c_long,
    }
    extern "C" {
        fn clock_gettime(clock: std::ffi::c_int, ts: *mut Timespec) -> std::ffi::c_int;
    }
    const CLOCK_THREAD_CPUTIME_ID: std::ffi::c_int = 3;
    let mut ts = Timespec { sec: 0, nsec: 0 };
    // SAFETY: clock_gettime writes one timespec into the struct it is given.
    let rc = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
    ts.sec as f64 * 1e3 + ts.nsec as f64 / 1e6
}

#[cfg(not(target_os = "linux"))]
fn thread_cpu_ms() -> f64 {
    panic!("SQLITE_BENCH_CLOCK=cpu needs Linux");
}

/// Runs every job once (warm-up), then `rounds` paired rounds; the times in ms, per job.
fn measure(jobs: &mut [Job<'_>], rounds: usize) -> Vec<Vec<f64>> {
    let mut times: Vec<Vec<f64>> = jobs
        .iter_mut()
        .map(|(_, f)| {
            f();
            Vec::new()
        })
        .collect();
    for _ in 0..rounds {
        for (k, (_, f)) in jobs.iter_mut().enumerate() {
            let t0 = now_ms();
            std::hint::black_box(f());
            times[k].push(now_ms() - t0);
        }
    }
    times
}

/// `a / b` over the paired rounds: the median and the range.
fn ratio(times: &[Vec<f64>], a: usize, b: usize) -> String {
    let r: Vec<f64> = times[a].iter().zip(&times[b]).map(|(x, y)| x / y).collect();
    let (lo, hi) = r
        .iter()
        .fold((f64::INFINITY, 0f64), |(l, h), &x| (l.min(x), h.max(x)));
    format!("median {:.2}x (paired rounds {lo:.2}-{hi:.2}x)", median(r))
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
    let mut guests = guests();
    // Job order: native, native script, then per guest build its binding and its engine.
    let mut jobs: Vec<Job<'_>> = vec![
        (
            "native (C API)".into(),
            Box::new(|| native(&data).to_string()),
        ),
        (
            "engine (native script)".into(),
            Box::new(|| {
                let db = Native::open(":memory:");
                db.query(&text).unwrap().remove(0).remove(0)
            }),
        ),
    ];
    for (name, m, g) in guests.iter_mut() {
        let (data, text) = (&data, &text);
        jobs.push((
            format!("binding{name}"),
            Box::new(move || binding(m, data).unwrap().to_string()),
        ));
        jobs.push((
            format!("engine (guest script){name}"),
            Box::new(move || {
                let (out, rc) = g.wbs_run(6, ":memory:", text, 256).unwrap();
                assert_eq!(rc, 0, "{out}");
                out
            }),
        ));
    }
    // For profiling one contender: `SQLITE_BENCH_ONLY=binding` runs only the jobs so named.
    if let Ok(only) = std::env::var("SQLITE_BENCH_ONLY") {
        jobs.retain(|(name, _)| *name == only);
        measure(&mut jobs, rounds);
        return println!("ran {rounds} rounds of {only}");
    }
    let times = measure(&mut jobs, rounds);
    println!("sqlite: {n} inserts in a transaction + full select, {rounds} paired rounds (ms: best / median)");
    for ((name, _), t) in jobs.iter().zip(&times) {
        let best = t.iter().copied().fold(f64::INFINITY, f64::min);
        println!("  {name:32} {best:9.1} {:9.1}", median(t.clone()));
    }
    for k in (2..jobs.len()).step_by(2) {
        println!("  {} / native (C API): {}", jobs[k].0, ratio(&times, k, 0));
        println!(
            "  {} / engine (native script): {}",
            jobs[k + 1].0,
            ratio(&times, k + 1, 1)
        );
    }
    // Each other build against the one compiled in, round by round.
    for k in (4..jobs.len()).step_by(2) {
        println!("  {} / binding: {}", jobs[k].0, ratio(&times, k, 2));
        println!(
            "  {} / engine (guest script): {}",
            jobs[k + 1].0,
            ratio(&times, k + 1, 3)
        );
    }
}
