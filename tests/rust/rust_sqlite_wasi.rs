//! SQLite as a libc guest (libsqlite3-sys =0.30.1's amalgamation, built by `wasm-bind guest --wasi`
//! in guests/build.sh) through `wasm_bind!` with wasm-bind-rt's `wasi` feature: real randomness (no
//! two instances share randomblob()), a file database in a read-write grant read by native SQLite
//! (libsqlite3-sys, same sources) and the other way round, no path outside the grant, no
//! environment, nothing on stdout/stderr, a read-only grant readable with `immutable=1` /
//! `mode=ro&nolock=1`. The same cases as tests/python/test_sqlite_wasi.py. Whole SQL scripts go
//! through guests/sqlite/sqlite_probe.h (`wbs_run`, helper exports of the same module); randomness
//! also through sqlite3.h's own `sqlite3_randomness`. Needs `bash guests/build.sh` first.

mod sqlite_native;

use std::collections::BTreeSet;
use std::path::PathBuf;

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

/// A fresh empty directory under the system temp directory, for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "wasm-bind-rust-sqlite-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
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
