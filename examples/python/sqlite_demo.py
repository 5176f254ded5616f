"""SQLite in a WebAssembly sandbox, through the binding wasm-bind generates from SQLite's unmodified sqlite3.h.

The guest is the amalgamation bundled by the libsqlite3-sys crate (SQLite 3.46.0), built as a libc guest by
guests/build.sh; guests/sqlite/sqlite.toml says what sqlite3.h cannot (library-owned handles and their destructors,
SQLITE_TRANSIENT, the OK/ROW/DONE status rule with sqlite3_errmsg, column lengths from sqlite3_column_bytes).
Generate the module into examples/python/sqlite/ first (not committed: 640 KB of generated Python and stub):

    bash guests/build.sh
    cargo run -p gen -- --py target/guests/sqlite/sqlite3.h --config guests/sqlite/sqlite.toml \\
        --wasm target/guests/sqlite/sqlite.wasm -o examples/python/sqlite

Run:  python3 examples/python/sqlite_demo.py
Shows: an in-memory database, a file database in a directory granted to the guest (read back by Python's own
sqlite3), bound parameters, typed columns (int64, real, text, blob, NULL), and errors carrying SQLite's message.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "sqlite"))

try:
    import sqlite_wasm as sq  # the generated module (Python's own is `sqlite3`)
except ImportError as e:  # pragma: no cover - a message for a first run
    raise SystemExit(f"{e}: generate examples/python/sqlite/ first (see this file's docstring)") from e

RWC = sq.SQLITE_OPEN_READWRITE | sq.SQLITE_OPEN_CREATE
Value = int | float | str | bytes | None


def open_db(api: sq.Sqlite, path: str) -> sq.Sqlite3:
    """Opens (creating) the database at `path`; StatusError if SQLite cannot."""
    db, _ = api.sqlite3_open_v2(path, RWC)
    assert db is not None  # SQLite hands out a connection whenever it returns SQLITE_OK
    return db


def execute(db: sq.Sqlite3, sql: str, *params: Value) -> list[tuple[Value, ...]]:
    """Prepares `sql`, binds `params` by position, steps to the end; the rows with typed columns."""
    stmt, _ = db.prepare_v2(sql)
    if stmt is None:  # only whitespace or a comment
        return []
    with stmt:  # finalized on exit
        for k, v in enumerate(params, start=1):
            if v is None:
                stmt.bind_null(k)
            elif isinstance(v, int):
                stmt.bind_int64(k, v)
            elif isinstance(v, float):
                stmt.bind_double(k, v)
            elif isinstance(v, str):
                stmt.bind_text(k, v.encode())
            else:
                stmt.bind_blob(k, v)
        rows = []
        while stmt.step() == sq.SQLITE_ROW:
            rows.append(tuple(column(stmt, i) for i in range(stmt.column_count())))
        return rows


def column(stmt: sq.Sqlite3Stmt, i: int) -> Value:
    kind = stmt.column_type(i)
    if kind == sq.SQLITE_INTEGER:
        return stmt.column_int64(i)
    if kind == sq.SQLITE_FLOAT:
        return stmt.column_double(i)
    if kind == sq.SQLITE_TEXT:
        return stmt.column_text(i)
    if kind == sq.SQLITE_BLOB:
        return stmt.column_blob(i) or b""
    return None


def in_memory(api: sq.Sqlite) -> None:
    with open_db(api, ":memory:") as db:
        execute(db, "CREATE TABLE t(i INTEGER, r REAL, s TEXT, b BLOB, n)")
        execute(db, "INSERT INTO t VALUES (?, ?, ?, ?, ?)", 2**63 - 1, 3.25, "héllo ✓", b"\x00\xff", None)
        execute(db, "INSERT INTO t VALUES (?, ?, ?, ?, ?)", -(2**63), -0.5, "", b"", 42)
        for row in execute(db, "SELECT * FROM t ORDER BY i"):
            print("  row:", row)
        print("  version:", execute(db, "SELECT sqlite_version()")[0][0], "| randomblob:",
              execute(db, "SELECT hex(randomblob(8))")[0][0])
        try:
            execute(db, "SELECT * FROM nosuch")
        except sq.StatusError as e:
            print(f"  error: {e.message} (status {e.status})")


def file_database(directory: str) -> None:
    api = sq.Sqlite(wasi=sq.Wasi().dir_rw(directory, "/data"))  # only this directory, as /data
    with open_db(api, "/data/demo.db") as db:
        execute(db, "CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT)")
        for body in ("first", "second", "ünïcödé"):
            execute(db, "INSERT INTO notes(body) VALUES (?)", body)
    native = sqlite3.connect(os.path.join(directory, "demo.db"))
    print("  read natively:", native.execute("SELECT id, body FROM notes").fetchall())
    native.close()
    try:
        api.sqlite3_open_v2("/etc/passwd.db", RWC)  # outside the grant
    except sq.StatusError as e:
        print(f"  outside the grant: status {e.status} ({api.sqlite3_errstr(e.status)})")


def main() -> None:
    print("in-memory database:")
    in_memory(sq.Sqlite())
    with tempfile.TemporaryDirectory() as d:
        print("file database in a granted directory:")
        file_database(d)


if __name__ == "__main__":
    main()
