"""SQLite's C API bound from the unmodified sqlite3.h + guests/sqlite/sqlite.toml (issue 15's proof), checked against
Python's native sqlite3: library-owned handles (a connection, its statements), bound parameters, typed columns (int64,
real, text, blob, NULL), the OK/ROW/DONE status rule with SQLite's message, and the same results as native SQLite on a
few hundred seeded random rows. Also runs examples/python/sqlite_demo.py against the freshly generated module."""

from __future__ import annotations

import math
import random
import runpy
import sqlite3
import subprocess
import sys
from types import ModuleType

import pytest

from conftest import GUESTS, ROOT, import_generated

GEN = ["cargo", "run", "-q", "-p", "gen", "--"]
D = GUESTS / "sqlite"
CONFIG = ROOT / "guests" / "sqlite" / "sqlite.toml"
Value = int | float | str | bytes | None


@pytest.fixture(scope="module")
def sq(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    out = tmp_path_factory.mktemp("sqlite_binding_py")
    proc = subprocess.run([*GEN, "--py", str(D / "sqlite3.h"), "--config", str(CONFIG), "--wasm", str(D / "sqlite.wasm"),
                           "-o", str(out)], cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.fail(f"wasm-bind --py sqlite3.h failed:\n{proc.stderr}")
    return import_generated("sqlite_wasm", out / "sqlite_wasm.py")


def bind(sq: ModuleType, stmt: object, params: tuple[Value, ...]) -> None:
    for k, v in enumerate(params, start=1):
        if v is None:
            stmt.bind_null(k)  # type: ignore[attr-defined]
        elif isinstance(v, int):
            stmt.bind_int64(k, v)  # type: ignore[attr-defined]
        elif isinstance(v, float):
            stmt.bind_double(k, v)  # type: ignore[attr-defined]
        elif isinstance(v, str):
            stmt.bind_text(k, v.encode())  # type: ignore[attr-defined]
        else:
            stmt.bind_blob(k, v)  # type: ignore[attr-defined]


def column(sq: ModuleType, stmt: object, i: int) -> Value:
    kind = stmt.column_type(i)  # type: ignore[attr-defined]
    if kind == sq.SQLITE_INTEGER:
        return stmt.column_int64(i)  # type: ignore[attr-defined,no-any-return]
    if kind == sq.SQLITE_FLOAT:
        return stmt.column_double(i)  # type: ignore[attr-defined,no-any-return]
    if kind == sq.SQLITE_TEXT:
        return stmt.column_text(i)  # type: ignore[attr-defined,no-any-return]
    if kind == sq.SQLITE_BLOB:
        return stmt.column_blob(i) or b""  # type: ignore[attr-defined]
    assert stmt.column_text(i) is None and stmt.column_blob(i) is None  # type: ignore[attr-defined]
    return None


def execute(sq: ModuleType, db: object, sql: str, *params: Value) -> list[tuple[Value, ...]]:
    stmt, rc = db.prepare_v2(sql)  # type: ignore[attr-defined]
    assert rc == sq.SQLITE_OK
    with stmt:
        bind(sq, stmt, params)
        rows = []
        while stmt.step() == sq.SQLITE_ROW:
            rows.append(tuple(column(sq, stmt, i) for i in range(stmt.column_count())))
        return rows


def test_typed_columns_and_bound_parameters(sq: ModuleType) -> None:
    db, rc = sq.Sqlite().sqlite3_open_v2(":memory:", sq.SQLITE_OPEN_READWRITE | sq.SQLITE_OPEN_CREATE)
    assert rc == sq.SQLITE_OK and isinstance(db, sq.Sqlite3)
    execute(sq, db, "CREATE TABLE t(i INTEGER, r REAL, s TEXT, b BLOB, n)")
    row = (2**63 - 1, 3.25, "héllo ✓ 🙂", b"\x00\xff\x00", None)
    execute(sq, db, "INSERT INTO t VALUES (?, ?, ?, ?, ?)", *row)
    execute(sq, db, "INSERT INTO t VALUES (?, ?, ?, ?, ?)", -(2**63), -0.0, "", b"", 5e-324)
    assert execute(sq, db, "SELECT * FROM t ORDER BY i DESC") == [row, (-(2**63), -0.0, "", b"", 5e-324)]
    stmt, _ = db.prepare_v2("SELECT s AS label, n FROM t")
    assert (stmt.column_count(), stmt.column_name(0), stmt.column_name(1), stmt.column_name(2)) == (2, "label", "n",
                                                                                                    None)
    assert stmt.step() == sq.SQLITE_ROW and stmt.column_text(1) is None and stmt.column_bytes(0) == len(row[2].encode())
    assert stmt.step() == sq.SQLITE_ROW and stmt.step() == sq.SQLITE_DONE
    db.close()
    assert stmt.closed  # closing the connection finalized its statement first
    with pytest.raises(sq.HandleError):
        stmt.step()


def test_errors_carry_sqlites_message(sq: ModuleType) -> None:
    db, _ = sq.Sqlite().sqlite3_open_v2(":memory:", sq.SQLITE_OPEN_READWRITE)
    native = sqlite3.connect(":memory:")
    for bad in ("SELECT * FROM nosuch", "SELEC 1", "SELECT nosuch(1)", "SELECT 'unterminated"):
        with pytest.raises(sq.StatusError) as err:
            db.prepare_v2(bad)
        with pytest.raises(sqlite3.Error) as want:
            native.execute(bad)
        assert err.value.status == sq.SQLITE_ERROR and err.value.message == str(want.value), bad
    execute(sq, db, "CREATE TABLE u(k INTEGER PRIMARY KEY)")
    execute(sq, db, "INSERT INTO u VALUES (1)")
    stmt, _ = db.prepare_v2("INSERT INTO u VALUES (1)")
    with pytest.raises(sq.StatusError) as err:
        stmt.step()
    # sqlite3_step takes only the statement: the message comes from sqlite3_errmsg(sqlite3_db_handle(pStmt)).
    assert err.value.status == sq.SQLITE_CONSTRAINT and err.value.message == "UNIQUE constraint failed: u.k"
    assert db.errmsg() == "UNIQUE constraint failed: u.k"
    with pytest.raises(sq.StatusError) as err:
        sq.Sqlite().sqlite3_open_v2("/nowhere/x.db", sq.SQLITE_OPEN_READWRITE | sq.SQLITE_OPEN_CREATE)
    assert err.value.status == sq.SQLITE_CANTOPEN


def random_value(rng: random.Random) -> Value:
    kind = rng.randrange(5)
    if kind == 0:
        return rng.choice([2**63 - 1, -(2**63), 0, rng.randrange(-(2**63), 2**63)])
    if kind == 1:
        return rng.choice([0.1, -1e308, 5e-324, rng.uniform(-1e9, 1e9), rng.random() * 10 ** rng.randrange(-300, 300)])
    if kind == 2:
        return "".join(rng.choice("aZ9 '\"%é✓中🙂\n") for _ in range(rng.choice([0, 1, 9, 200])))
    if kind == 3:
        return rng.randbytes(rng.choice([0, 1, 16, 3000]))
    return None


def same(a: Value, b: Value) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    return type(a) is type(b) and a == b


def test_same_results_as_pythons_sqlite3_on_random_rows(sq: ModuleType) -> None:
    rng = random.Random(1515)
    data = [(k, *(random_value(rng) for _ in range(4))) for k in range(400)]
    db, _ = sq.Sqlite().sqlite3_open_v2(":memory:", sq.SQLITE_OPEN_READWRITE)
    native = sqlite3.connect(":memory:")
    for conn in (db, native):
        sql = "CREATE TABLE t(id INTEGER PRIMARY KEY, a, b, c, d)"
        execute(sq, conn, sql) if conn is db else conn.execute(sql)
    ins, _ = db.prepare_v2("INSERT INTO t VALUES (?, ?, ?, ?, ?)")
    execute(sq, db, "BEGIN")
    for row in data:
        bind(sq, ins, row)
        assert ins.step() == sq.SQLITE_DONE
        ins.reset()
    ins.close()
    execute(sq, db, "COMMIT")
    native.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?)", data)
    for query in ("SELECT * FROM t ORDER BY id", "SELECT typeof(a), length(b), CASE WHEN typeof(c) IN ('text', 'blob') THEN hex(c) ELSE c END, d IS NULL"
                  " FROM t ORDER BY id",
                  "SELECT count(*), count(a), max(id), min(length(c)) FROM t", "SELECT * FROM t WHERE id % 9 = 4"):
        got, want = execute(sq, db, query), native.execute(query).fetchall()
        assert len(got) == len(want), query
        for g, w in zip(got, want):
            assert all(same(x, y) for x, y in zip(g, w, strict=True)), (query, g, w)
    assert [r[1:] for r in execute(sq, db, "SELECT * FROM t ORDER BY id")] == [r[1:] for r in data]


def test_the_example_runs(sq: ModuleType, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sqlite_wasm", sq)
    runpy.run_path(str(ROOT / "examples" / "python" / "sqlite_demo.py"), run_name="__main__")
    out = capsys.readouterr().out
    assert "row: (9223372036854775807, 3.25, 'héllo ✓', b'\\x00\\xff', None)" in out
    assert "error: no such table: nosuch (status 1)" in out
    assert "read natively: [(1, 'first'), (2, 'second'), (3, 'ünïcödé')]" in out
    assert "outside the grant: status 14" in out
