"""SQLite as a libc guest (issue 15): the amalgamation bundled by libsqlite3-sys =0.30.1 (SQLite 3.46.0), built by
`wasm-bind guest --wasi` in guests/build.sh into target/guests/sqlite/sqlite.wasm. Checked here through generated
bindings: real randomness (two instances never share randomblob(), the PRNG is seeded from WASI random_get by
guests/sqlite/wb_sqlite_init.c), and deny-by-default WASI with file databases: a database written in a read-write
grant is read by Python's native sqlite3 (and the other way round), no path leads outside the grant (absolute paths,
`..`, symlinks), no environment, nothing on the host's stdout/stderr, a read-only grant readable with `immutable=1`
or `mode=ro&nolock=1` (the default dotfile-lock VFS cannot lock there), unknown imports refused.

Whole SQL scripts are driven through guests/sqlite/sqlite_probe.h (`wbs_run`: open, run every statement, close; two
helper exports of the same module), the randomness also through sqlite3.h's own `sqlite3_randomness`."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import time
from pathlib import Path
from types import ModuleType

import pytest
import wasmtime

from conftest import GUESTS, ROOT, import_generated

GEN = ["cargo", "run", "-q", "-p", "gen", "--"]
D = GUESTS / "sqlite"
WASM = D / "sqlite.wasm"
CONFIG = ROOT / "guests" / "sqlite" / "sqlite.toml"

# sqlite3_open_v2 flags (sqlite3.h)
READONLY, READWRITE, CREATE = 0x1, 0x2, 0x4
RWC = READWRITE | CREATE
SQLITE_OK, SQLITE_ERROR, SQLITE_PERM, SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_NOTADB = 0, 1, 3, 8, 14, 26


def gen_py(header: Path, out: Path, *extra: str) -> None:
    proc = subprocess.run([*GEN, "--py", str(header), *extra, "--wasm", str(WASM), "-o", str(out)],
                          cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.fail(f"wasm-bind --py {header.name} failed:\n{proc.stderr}")


@pytest.fixture(scope="module")
def probe(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    out = tmp_path_factory.mktemp("sqlite_probe_py")
    gen_py(D / "sqlite_probe.h", out)
    return import_generated("sqlite_probe", out / "sqlite_probe.py")


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    """The binding of the unmodified sqlite3.h (module `sqlite_wasm`: Python's own is `sqlite3`)."""
    out = tmp_path_factory.mktemp("sqlite_api_py")
    gen_py(D / "sqlite3.h", out, "--config", str(CONFIG))
    return import_generated("sqlite_wasm", out / "sqlite_wasm.py")


def run(g: object, flags: int, uri: str, sql: str) -> tuple[int, str]:
    text, rc = g.wbs_run(flags, uri, sql, 4096)  # type: ignore[attr-defined]
    return rc, text


def test_the_guest_imports_only_wasi() -> None:
    module = wasmtime.Module(wasmtime.Engine(), WASM.read_bytes())
    imports = [f"{i.module}.{i.name}" for i in module.imports]
    assert imports and all(i.startswith("wasi_snapshot_preview1.") for i in imports), imports
    names = {e.name for e in module.exports}
    assert {"_initialize", "sqlite3_libversion", "sqlite3_randomness", "wbs_run", "bump_alloc"} <= names, names
    assert "malloc" not in names and "sqlite3_vfs_register" not in names, names


def test_the_header_is_libsqlite3_sys_s_unmodified(api: ModuleType) -> None:
    proc = subprocess.run(["python3", str(ROOT / "guests" / "locate_sqlite.py"), str(ROOT)], capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stderr
    assert (Path(proc.stdout.strip()) / "sqlite3.h").read_bytes() == (D / "sqlite3.h").read_bytes()
    g = api.Sqlite()
    assert g.sqlite3_libversion() == "3.46.0"
    assert g.sqlite3_libversion_number() == 3046000
    assert g.sqlite3_compileoption_used("THREADSAFE=0") == 1
    assert g.sqlite3_compileoption_used("OMIT_WAL") == 1
    assert g.sqlite3_compileoption_used("EXTRA_INIT=wb_sqlite_init") == 1


def test_two_instances_never_share_randomness(probe: ModuleType, api: ModuleType) -> None:
    """Without wb_sqlite_init.c SQLite seeds from time(NULL) and a constant pid (no /dev/urandom under WASI): every
    instance created in the same second returns the same randomblob(). Eight instances, created back to back."""
    started = time.monotonic()
    blobs = [run(probe.SqliteProbe(), RWC, ":memory:", "SELECT hex(randomblob(16))") for _ in range(8)]
    raw = [api.Sqlite().sqlite3_randomness(16) for _ in range(8)]
    assert all(rc == SQLITE_OK and len(h) == 32 for rc, h in blobs), blobs
    assert len({h for _, h in blobs}) == 8, (blobs, time.monotonic() - started)
    assert all(len(r) == 16 for r in raw) and len(set(raw)) == 8, raw
    g = probe.SqliteProbe()  # the PRNG goes on within an instance too
    assert len({run(g, RWC, ":memory:", "SELECT hex(randomblob(16))")[1] for _ in range(4)}) == 4


def test_a_file_database_in_a_read_write_grant(probe: ModuleType, tmp_path: Path) -> None:
    g = probe.SqliteProbe(wasi=probe.Wasi().dir_rw(tmp_path, "/data"))
    rc, text = run(g, RWC, "/data/made_by_guest.db", """
        CREATE TABLE t(i INTEGER, r REAL, s TEXT, b BLOB, n);
        INSERT INTO t VALUES (9223372036854775807, 1.5, 'héllo ✓', x'00ff10', NULL);
        INSERT INTO t VALUES (-9223372036854775808, -0.25, '', x'', 7);
        SELECT count(*) FROM t""")
    assert (rc, text) == (SQLITE_OK, "2")
    native = sqlite3.connect(tmp_path / "made_by_guest.db")
    assert native.execute("SELECT * FROM t ORDER BY i").fetchall() == [
        (-9223372036854775808, -0.25, "", b"", 7),
        (9223372036854775807, 1.5, "héllo ✓", b"\x00\xff\x10", None),
    ]
    native.execute("INSERT INTO t VALUES (1, 2.0, 'from native', x'aa', NULL)")
    native.commit()
    native.close()
    assert run(g, READONLY, "file:/data/made_by_guest.db", "SELECT group_concat(s, '|') FROM t WHERE i = 1") == (
        SQLITE_OK, "from native")
    with sqlite3.connect(tmp_path / "made_natively.db") as c:
        c.execute("CREATE TABLE k(v)")
        c.executemany("INSERT INTO k VALUES (?)", [(i,) for i in range(100)])
    assert run(g, READWRITE, "/data/made_natively.db", "SELECT sum(v) FROM k") == (SQLITE_OK, "4950")
    assert run(g, READWRITE, "/data/made_natively.db", "SELECT nope FROM k") == (SQLITE_ERROR, "no such column: nope")


def test_no_path_leads_outside_the_granted_directory(probe: ModuleType, tmp_path: Path) -> None:
    inside, outside = tmp_path / "in", tmp_path / "out"
    inside.mkdir()
    outside.mkdir()
    with sqlite3.connect(outside / "secret.db") as c:
        c.execute("CREATE TABLE s(v)")
        c.execute("INSERT INTO s VALUES ('secret')")
    (inside / "sub").mkdir()
    os.symlink(outside / "secret.db", inside / "link.db")
    os.symlink(outside, inside / "dirlink")
    os.symlink("../../out/secret.db", inside / "sub" / "rel.db")
    g = probe.SqliteProbe(wasi=probe.Wasi().dir_rw(inside, "/data"))
    reads = ["/data/../out/secret.db", "/data/sub/../../out/secret.db", str(outside / "secret.db"), "/data/link.db",
             "/data/dirlink/secret.db", "/data/sub/rel.db", "../out/secret.db", "secret.db",
             "file:/data/../out/secret.db", f"file:{outside / 'secret.db'}", "file:/data/link.db?immutable=1"]
    for uri in reads:
        for flags in (READONLY, READWRITE, RWC):
            rc, text = run(g, flags, uri, "SELECT v FROM s")
            assert rc != SQLITE_OK and "secret" not in text, (uri, flags, rc, text)
    before = sorted(p.name for p in outside.iterdir())
    for uri in ["/data/../out/new.db", str(outside / "new.db"), "/data/dirlink/new.db", "file:/data/../out/new.db",
                "../out/new.db", "new.db", "/new.db"]:
        rc, _ = run(g, RWC, uri, "CREATE TABLE x(y)")
        assert rc == SQLITE_CANTOPEN, (uri, rc)
    assert sorted(p.name for p in outside.iterdir()) == before
    with sqlite3.connect(inside / "ok.db") as c:
        c.execute("CREATE TABLE s(v)")
        c.execute("INSERT INTO s VALUES ('fine')")
    assert run(g, READONLY, "/data/sub/../ok.db", "SELECT v FROM s") == (SQLITE_OK, "fine")  # `..` staying inside


def test_no_environment_and_no_output_unless_asked(probe: ModuleType, tmp_path: Path,
                                                    capfd: pytest.CaptureFixture[str]) -> None:
    assert os.environ.get("PATH")
    (tmp_path / "garbage.db").write_bytes(b"this is not a database" * 200)
    scripts = [("SELECT nosuch()", "no such function: nosuch"), ("CREATE TABLE", 'incomplete input'),
               ("SELECT * FROM missing", "no such table: missing")]
    out, err = probe.Captured(), probe.Captured()
    for wasi in (None, probe.Wasi().dir_rw(tmp_path, "/d").stdout(out).stderr(err),
                 probe.Wasi().dir_rw(tmp_path, "/d").stdout("inherit").stderr("inherit")):
        g = probe.SqliteProbe() if wasi is None else probe.SqliteProbe(wasi=wasi)
        assert g.wbs_environ_count() == 0
        for sql, message in scripts:
            assert run(g, RWC, ":memory:", sql) == (SQLITE_ERROR, message)
        assert run(g, READWRITE, "/d/absent.db", "SELECT 1")[0] == SQLITE_CANTOPEN
        if wasi is not None:
            assert run(g, READWRITE, "/d/garbage.db", "SELECT 1 FROM sqlite_master") == (
                SQLITE_NOTADB, "file is not a database")
    assert out.take() == b"" and err.take() == b""
    seen_out, seen_err = capfd.readouterr()
    assert seen_out == "" and seen_err == ""


def test_a_read_only_grant(probe: ModuleType, tmp_path: Path) -> None:
    """The default VFS under WASI is unix-dotfile (no POSIX locks in WASI): even a read takes its lock by creating
    `<db>.lock`, which a read-only grant refuses, so every statement fails with SQLITE_PERM. `immutable=1` (no locks,
    no change detection: the file does not change while open) or `mode=ro&nolock=1` (no locks; changes seen at the
    next transaction) read it; writes stay refused."""
    with sqlite3.connect(tmp_path / "ro.db") as c:
        c.execute("CREATE TABLE t(v)")
        c.execute("INSERT INTO t VALUES (42)")
    data = (tmp_path / "ro.db").read_bytes()
    g = probe.SqliteProbe(wasi=probe.Wasi().dir(tmp_path, "/ro"))
    for flags in (READONLY, READWRITE):
        assert run(g, flags, "/ro/ro.db", "SELECT v FROM t") == (SQLITE_PERM, "access permission denied")
        assert run(g, flags, "file:/ro/ro.db?mode=ro", "SELECT v FROM t")[0] == SQLITE_PERM
    for uri in ("file:/ro/ro.db?immutable=1", "file:/ro/ro.db?mode=ro&nolock=1"):
        assert run(g, READONLY, uri, "SELECT v FROM t") == (SQLITE_OK, "42"), uri
        assert run(g, READWRITE, uri, "INSERT INTO t VALUES (1)") == (
            SQLITE_READONLY, "attempt to write a readonly database"), uri
    assert run(g, RWC, "/ro/new.db", "CREATE TABLE x(y)") == (SQLITE_CANTOPEN, "unable to open database file")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ro.db"] and (tmp_path / "ro.db").read_bytes() == data


def test_an_unknown_import_is_refused(probe: ModuleType) -> None:
    wat = '(module (import "env" "system" (func (param i32) (result i32))) (memory (export "memory") 1))'
    with pytest.raises(probe.LoadError, match=r"env\.system"):
        probe.SqliteProbe(wasmtime.wat2wasm(wat))
