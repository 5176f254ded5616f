//! SQLite as a libc guest (libsqlite3-sys =0.30.1's amalgamation, built by `wasm-bind guest --wasi`
//! in guests/build.sh) through `wasm_bind!` with wasm-bind-rt's `wasi` feature: real randomness (no
//! two instances share randomblob()), a file database in a read-write grant read by native SQLite
//! (libsqlite3-sys, same sources) and the other way round, no path outside the grant, no
//! environment, nothing on stdout/stderr, a read-only grant readable with `immutable=1` /
//! `mode=ro&nolock=1`; and the same SELECT results and error texts as native SQLite on 300 seeded
//! random rows (tests/python/test_sqlite_crosscheck.py does it against Python's sqlite3). The same
//! cases as tests/python/test_sqlite_wasi.py. Whole SQL scripts go
//! through guests/sqlite/sqlite_probe.h (`wbs_run`, helper exports of the same module); randomness
//! also through sqlite3.h's own `sqlite3_randomness`. Needs `bash guests/build.sh` first.

mod sqlite_native;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use bindgen_macro::wasm_bind;
use sqlite_native::Native;
use wasm_bind_rt::{Captured, Options, Output, Wasi};

mod probe {
    use super::wasm_bind;
    wasm_bind!(
        "../target/guests/sqlite/sqlite_probe.h",
        wasm = "../target/guests/sqlite/sqlite.wasm"
    );
}
mod api {
    use super::wasm_bind;
    wasm_bind!(
        "../target/guests/sqlite/sqlite3.h",
        config = "../guests/sqlite/sqlite.toml",
        wasm = "../target/guests/sqlite/sqlite.wasm"
    );
}
use probe::SqliteProbe;

const READONLY: i32 = 1;
const READWRITE: i32 = 2;
const RWC: i32 = 6;

/// Compiles the 887 KB module once before any test needs it: the runtime caches compiled modules
/// per process, but tests starting together would each compile it (tens of seconds in a debug build).
fn warm() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| drop(SqliteProbe::new().expect("instantiate the SQLite guest")));
}

fn with(wasi: Wasi) -> SqliteProbe {
    warm();
    SqliteProbe::with_options(&Options::default().wasi(wasi)).expect("instantiate the SQLite guest")
}

fn run(g: &mut SqliteProbe, flags: i32, uri: &str, sql: &str) -> (i32, String) {
    let (text, rc) = g.wbs_run(flags, uri, sql, 4096).unwrap();
    (rc, text)
}

/// A fresh empty directory under the system temp directory, for one test; removed when dropped.
struct Scratch(PathBuf);

impl std::ops::Deref for Scratch {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for Scratch {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn scratch(name: &str) -> Scratch {
    let dir = std::env::temp_dir().join(format!(
        "wasm-bind-rust-sqlite-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    Scratch(dir)
}

#[test]
fn two_instances_never_share_randomness() {
    warm();
    let blobs: BTreeSet<String> = (0..8)
        .map(|_| {
            let mut g = SqliteProbe::new().unwrap();
            let (rc, hex) = run(&mut g, RWC, ":memory:", "SELECT hex(randomblob(16))");
            assert_eq!((rc, hex.len()), (0, 32), "{hex}");
            hex
        })
        .collect();
    assert_eq!(blobs.len(), 8, "{blobs:?}");
    let raw: BTreeSet<Vec<u8>> = (0..8)
        .map(|_| api::Sqlite::new().unwrap().sqlite3_randomness(16).unwrap())
        .collect();
    assert_eq!(raw.len(), 8, "{raw:?}");
    assert!(raw.iter().all(|r| r.len() == 16));
    let mut api = api::Sqlite::new().unwrap();
    assert_eq!(api.sqlite3_libversion().unwrap(), "3.46.0");
    assert_eq!(
        api.sqlite3_compileoption_used("EXTRA_INIT=wb_sqlite_init")
            .unwrap(),
        1
    );
}

#[test]
fn a_file_database_in_a_read_write_grant() {
    let dir = scratch("rw");
    let mut g = with(Wasi::default().dir_rw(&dir, "/data"));
    let made = "CREATE TABLE t(i INTEGER, r REAL, s TEXT, b BLOB, n);
        INSERT INTO t VALUES (9223372036854775807, 1.5, 'héllo ✓', x'00ff10', NULL);
        INSERT INTO t VALUES (-9223372036854775808, -0.25, '', x'', 7);
        SELECT count(*) FROM t";
    assert_eq!(run(&mut g, RWC, "/data/guest.db", made), (0, "2".into()));
    let native = Native::open(dir.join("guest.db"));
    let rows = native
        .query("SELECT i, r, s, hex(b), n FROM t ORDER BY i")
        .unwrap();
    assert_eq!(
        rows,
        [
            ["-9223372036854775808", "-0.25", "", "", "7"],
            ["9223372036854775807", "1.5", "héllo ✓", "00FF10", "NULL"]
        ]
    );
    native
        .query("INSERT INTO t VALUES (1, 2.0, 'from native', x'aa', NULL)")
        .unwrap();
    drop(native);
    let q = "SELECT s FROM t WHERE i = 1";
    assert_eq!(
        run(&mut g, READONLY, "file:/data/guest.db", q),
        (0, "from native".into())
    );
    assert_eq!(
        run(&mut g, READWRITE, "/data/guest.db", "SELECT nope FROM t"),
        (1, "no such column: nope".into())
    );
}

#[test]
fn no_path_leads_outside_the_granted_directory() {
    let root = scratch("escape");
    let (inside, outside) = (root.join("in"), root.join("out"));
    std::fs::create_dir_all(inside.join("sub")).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    Native::open(outside.join("secret.db"))
        .query("CREATE TABLE s(v); INSERT INTO s VALUES ('secret')")
        .unwrap();
    std::os::unix::fs::symlink(outside.join("secret.db"), inside.join("link.db")).unwrap();
    std::os::unix::fs::symlink(&outside, inside.join("dirlink")).unwrap();
    std::os::unix::fs::symlink("../../out/secret.db", inside.join("sub/rel.db")).unwrap();
    let mut g = with(Wasi::default().dir_rw(&inside, "/data"));
    let absolute = outside.join("secret.db").to_str().unwrap().to_string();
    for uri in [
        "/data/../out/secret.db",
        "/data/sub/../../out/secret.db",
        absolute.as_str(),
        "/data/link.db",
        "/data/dirlink/secret.db",
        "/data/sub/rel.db",
        "../out/secret.db",
        "file:/data/link.db?immutable=1",
    ] {
        for flags in [READONLY, READWRITE, RWC] {
            let (rc, text) = run(&mut g, flags, uri, "SELECT v FROM s");
            assert!(
                rc != 0 && !text.contains("secret"),
                "{uri} {flags}: {rc} {text}"
            );
        }
    }
    for uri in [
        "/data/../out/new.db",
        "/data/dirlink/new.db",
        "new.db",
        "/new.db",
    ] {
        assert_eq!(run(&mut g, RWC, uri, "CREATE TABLE x(y)").0, 14, "{uri}");
    }
    let names: Vec<_> = std::fs::read_dir(&outside)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["secret.db"]);
}

#[test]
fn no_environment_and_no_output() {
    warm();
    assert!(std::env::var_os("PATH").is_some());
    let dir = scratch("quiet");
    std::fs::write(
        dir.join("garbage.db"),
        b"this is not a database".repeat(200),
    )
    .unwrap();
    let (out, err) = (Captured::new(), Captured::new());
    let mut g = with(
        Wasi::default()
            .dir_rw(&dir, "/d")
            .stdout(Output::Capture(out.clone()))
            .stderr(Output::Capture(err.clone())),
    );
    assert_eq!(g.wbs_environ_count().unwrap(), 0);
    assert_eq!(
        run(&mut g, RWC, ":memory:", "SELECT nosuch()"),
        (1, "no such function: nosuch".into())
    );
    assert_eq!(
        run(
            &mut g,
            READWRITE,
            "/d/garbage.db",
            "SELECT 1 FROM sqlite_master"
        ),
        (26, "file is not a database".into())
    );
    assert!(out.take().is_empty() && err.take().is_empty());
    assert_eq!(SqliteProbe::new().unwrap().wbs_environ_count().unwrap(), 0);
}

#[test]
fn a_read_only_grant() {
    let dir = scratch("ro");
    Native::open(dir.join("ro.db"))
        .query("CREATE TABLE t(v); INSERT INTO t VALUES (42)")
        .unwrap();
    let before = std::fs::read(dir.join("ro.db")).unwrap();
    let mut g = with(Wasi::default().dir(&dir, "/ro"));
    // The default unix-dotfile VFS must create `ro.db.lock` even to read: SQLITE_PERM.
    assert_eq!(
        run(&mut g, READONLY, "/ro/ro.db", "SELECT v FROM t"),
        (3, "access permission denied".into())
    );
    for uri in [
        "file:/ro/ro.db?immutable=1",
        "file:/ro/ro.db?mode=ro&nolock=1",
    ] {
        assert_eq!(
            run(&mut g, READONLY, uri, "SELECT v FROM t"),
            (0, "42".into()),
            "{uri}"
        );
        assert_eq!(
            run(&mut g, READWRITE, uri, "INSERT INTO t VALUES (1)"),
            (8, "attempt to write a readonly database".into()),
            "{uri}"
        );
    }
    assert_eq!(run(&mut g, RWC, "/ro/new.db", "CREATE TABLE x(y)").0, 14);
    assert_eq!(std::fs::read(dir.join("ro.db")).unwrap(), before);
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
}

/// A deterministic xorshift generator for the cross-check's rows.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// One random value of `kind` (0 integer, 1 real, 2 text, 3 blob, else NULL) as an SQL literal.
fn literal(rng: &mut Rng, kind: u64) -> String {
    match kind {
        0 => match rng.below(5) {
            0 => i64::MAX.to_string(),
            1 => i64::MIN.to_string(),
            2 => (rng.below(2000) as i64 - 1000).to_string(),
            _ => (rng.next() as i64).to_string(),
        },
        1 => {
            let r = f64::from_bits(rng.next());
            if r.is_finite() {
                format!("{r:e}")
            } else {
                format!("{:?}", rng.below(1 << 53) as f64 / 7.0)
            }
        }
        2 => {
            let alphabet: Vec<char> = "abcXYZ 019'\"%_\\\n\téüßñ€✓中文日本語🙂".chars().collect();
            let n = [0, 1, 5, 40, 300][rng.below(5) as usize];
            let s: String = (0..n)
                .map(|_| alphabet[rng.below(alphabet.len() as u64) as usize])
                .collect();
            format!("'{}'", s.replace('\'', "''"))
        }
        3 => {
            let n = [0, 1, 16, 257, 3000][rng.below(5) as usize];
            let hex: String = (0..n).map(|_| format!("{:02x}", rng.below(256))).collect();
            format!("x'{hex}'")
        }
        _ => "NULL".into(),
    }
}

/// A script creating `t` with `n` random rows (integer, real, text, blob and a column of any type).
fn script(seed: u64, n: usize) -> String {
    let mut rng = Rng(seed | 1);
    let mut sql = String::from(
        "BEGIN; CREATE TABLE t(id INTEGER PRIMARY KEY, i INTEGER, r REAL, s TEXT, b BLOB, v);\n",
    );
    for id in 0..n {
        let any = rng.below(5);
        let row = [0, 1, 2, 3, any].map(|k| literal(&mut rng, k)).join(", ");
        sql.push_str(&format!("INSERT INTO t VALUES ({id}, {row});\n"));
    }
    sql + "COMMIT;"
}

/// `text` with every number that has a `.` (a real as SQLite prints it) reprinted as Rust's shortest
/// round-trip form: the guest and native x86-64 SQLite print the same double with other digits past
/// the 17th (quote() prints up to 20; measured: `-2.841436082763946295e+199` in the guest,
/// `...296e+199` natively, whose exact value is ...2955786e+199): wasm32's `long double` is not
/// x86-64's 80-bit one.
fn canon(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        match run.parse::<f64>() {
            Ok(v) if run.contains('.') => out.push_str(&format!("{v:e}")),
            _ => out.push_str(run),
        }
        run.clear();
    };
    for c in text.chars() {
        if c.is_ascii_digit() || ".eE+-".contains(c) {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

#[test]
fn same_results_and_errors_as_native_sqlite_on_random_rows() {
    // Native is libsqlite3-sys's build of the same SQLite 3.46.0 sources: every value is compared
    // exactly (reals as doubles, see `canon`), aggregates too (the same summation algorithm).
    let queries = [
        "SELECT json_group_array(json_array(id, quote(i), quote(r), quote(s), quote(b), quote(v), \
         typeof(v), length(s), length(b))) FROM (SELECT * FROM t ORDER BY id)",
        "SELECT json_array(count(*), sum(i % 1000), total(r), avg(r), max(i), min(i), count(v), \
         group_concat(typeof(v), '')) FROM t",
        "SELECT json_array(sum(length(s)), max(length(b)), hex(min(b)), max(s)) FROM t",
        "SELECT json_group_array(printf('%.6e|%d|%s', r, i, instr(s, 'é'))) FROM t WHERE id % 7 = 0",
    ];
    let bad = [
        "SELECT * FROM nosuch",
        "INSERT INTO t VALUES (1)",
        "SELEC 1",
        "CREATE TABLE t(x)",
        "SELECT abs(-9223372036854775808)",
        "SELECT json('{bad')",
        "INSERT INTO t(id) VALUES (0)",
        "SELECT 'unterminated",
    ];
    let dir = scratch("cross");
    for seed in [1515u64, 7, 2024] {
        let sql = script(seed, 300);
        let native = Native::open(":memory:");
        native.query(&sql).unwrap();
        let mut g = with(Wasi::default().dir_rw(&dir, "/d"));
        let uri = format!("/d/{seed}.db");
        assert_eq!(
            run(&mut g, RWC, &uri, &(sql + "SELECT count(*) FROM t")),
            (0, "300".into())
        );
        for q in queries {
            let want = native.query(q).unwrap().remove(0).remove(0);
            let (rc, got) = g
                .wbs_run(RWC, &uri, q, 1 << 22)
                .map(|(t, rc)| (rc, t))
                .unwrap();
            assert_eq!((rc, canon(&got)), (0, canon(&want)), "{q}");
        }
        for q in bad {
            let (code, message) = native.query(q).unwrap_err();
            let (rc, text) = run(&mut g, RWC, &uri, q);
            // wbs_run turns extended result codes on; the native wrapper reports primary ones.
            assert_eq!((rc & 0xff, text), (code, message), "{q}");
        }
        // The guest's file read natively gives the same dump.
        let file = Native::open(dir.join(format!("{seed}.db")));
        assert_eq!(
            file.query(queries[0]).unwrap(),
            native.query(queries[0]).unwrap()
        );
    }
}

/// One column value as text, through the generated binding's typed column functions (reals as
/// their shortest round-trip form, blobs as hex), the way `Native::query` renders native ones
/// after `canon`.
fn column_text(m: &mut api::Sqlite, stmt: &api::Sqlite3Stmt, i: i32) -> String {
    match stmt.column_type(m, i).unwrap() {
        api::Sqlite::SQLITE_INTEGER => stmt.column_int64(m, i).unwrap().to_string(),
        api::Sqlite::SQLITE_FLOAT => format!("{:e}", stmt.column_double(m, i).unwrap()),
        api::Sqlite::SQLITE_TEXT => stmt.column_text(m, i).unwrap().expect("TEXT is not NULL"),
        api::Sqlite::SQLITE_BLOB => {
            let b = stmt.column_blob(m, i).unwrap().unwrap_or_default();
            b.iter().map(|x| format!("{x:02X}")).collect()
        }
        _ => {
            assert_eq!(stmt.column_text(m, i).unwrap(), None);
            "NULL".into()
        }
    }
}

#[test]
fn the_binding_reads_what_native_sqlite_reads() {
    warm();
    // Rows written by a script in the guest; read back column by column through the binding
    // (bound parameters, typed columns) and natively from the same script.
    let sql = script(99, 300);
    let native = Native::open(":memory:");
    native.query(&sql).unwrap();
    let mut m = api::Sqlite::new().unwrap();
    let rwc = api::Sqlite::SQLITE_OPEN_READWRITE | api::Sqlite::SQLITE_OPEN_CREATE;
    let (db, rc) = m.sqlite3_open_v2(":memory:", rwc).unwrap();
    let db = db.expect("a connection");
    assert_eq!(rc, 0);
    for part in sql.replace("BEGIN; ", "BEGIN;\n").split_inclusive(";\n") {
        let (stmt, _) = db.prepare_v2(&mut m, part).unwrap();
        if let Some(stmt) = stmt {
            assert_eq!(stmt.step(&mut m).unwrap(), api::Sqlite::SQLITE_DONE);
        }
    }
    let q = "SELECT i, r, s, CASE WHEN typeof(b) = 'blob' THEN b ELSE NULL END, v FROM t \
             WHERE id % ?1 = ?2 ORDER BY id";
    let (stmt, _) = db.prepare_v2(&mut m, q).unwrap();
    let stmt = stmt.unwrap();
    stmt.bind_int64(&mut m, 1, 3).unwrap();
    stmt.bind_int(&mut m, 2, 1).unwrap();
    let mut got = Vec::new();
    while stmt.step(&mut m).unwrap() == api::Sqlite::SQLITE_ROW {
        let n = stmt.column_count(&mut m).unwrap();
        got.push(
            (0..n)
                .map(|i| column_text(&mut m, &stmt, i))
                .collect::<Vec<_>>(),
        );
    }
    let want: Vec<Vec<String>> = native
        .query(
            // Natively as text: reals through quote() (exact), blobs as hex.
            &q.replace("?1", "3")
                .replace("?2", "1")
                .replace("SELECT i, r,", "SELECT i, quote(r),")
                .replace("THEN b ELSE", "THEN hex(b) ELSE")
                .replace(
                    ", v FROM",
                    ", CASE typeof(v) WHEN 'real' THEN quote(v) WHEN 'blob' THEN hex(v) ELSE v END FROM",
                ),
        )
        .unwrap()
        .into_iter()
        .map(|row| row.into_iter().map(|v| canon(&v)).collect())
        .collect();
    let got: Vec<Vec<String>> = got
        .into_iter()
        .map(|row| row.into_iter().map(|v| canon(&v)).collect())
        .collect();
    assert_eq!((got.len(), want.len()), (100, 100));
    for (r, (g, w)) in got.iter().zip(&want).enumerate() {
        for (c, (a, b)) in g.iter().zip(w).enumerate() {
            assert_eq!(a, b, "row {r} column {c}");
        }
    }
    // An error at prepare carries sqlite3_errmsg(db); closing the connection finalizes `stmt`.
    match db.prepare_v2(&mut m, "SELECT * FROM nosuch") {
        Err(wasm_bind_rt::Error::Status {
            status: 1,
            message: Some(msg),
            ..
        }) => assert_eq!(msg, "no such table: nosuch"),
        other => panic!("{other:?}"),
    }
    // A statement's failure carries sqlite3_errmsg(sqlite3_db_handle(pStmt)) (the rule's `via`).
    for sql in [
        "CREATE TABLE u(k INTEGER PRIMARY KEY)",
        "INSERT INTO u VALUES (1)",
    ] {
        let s = db.prepare_v2(&mut m, sql).unwrap().0.unwrap();
        assert_eq!(s.step(&mut m).unwrap(), api::Sqlite::SQLITE_DONE);
        s.close(&mut m).unwrap();
    }
    let dup = db
        .prepare_v2(&mut m, "INSERT INTO u VALUES (1)")
        .unwrap()
        .0
        .unwrap();
    match dup.step(&mut m) {
        Err(wasm_bind_rt::Error::Status {
            status: 19,
            message: Some(msg),
            ..
        }) => assert_eq!(msg, "UNIQUE constraint failed: u.k"),
        other => panic!("{other:?}"),
    }
    db.close(&mut m).unwrap();
    for closed in [&stmt, &dup] {
        let err = closed.step(&mut m);
        assert!(
            matches!(err, Err(wasm_bind_rt::Error::Handle { .. })),
            "{err:?}"
        );
    }
}
