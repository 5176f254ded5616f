"""SQLite benchmark (issue 15, reported, not asserted): 10,000 inserts in one transaction, then a full SELECT reading
every column, in the SQLite guest (target/guests/sqlite/sqlite.wasm) against Python's native sqlite3.

Contenders, each on the same rows (int64, real, ~24-char text, 16-byte blob):
  native       Python's sqlite3 (the system's SQLite, C): executemany of a prepared INSERT, fetchall of the SELECT.
  binding      the generated binding of sqlite3.h (module sqlite_wasm, guests/sqlite/sqlite.toml): prepare once, then
               per row bind_int64/double/text/blob + step + reset; the SELECT steps and reads each column with
               sqlite3_column_* (one guest call per value): the per-call cost of a chatty C API.
  engine       the whole job as one SQL script (10,000 INSERT statements with literals, then an aggregate over every
               value) run in one guest call through guests/sqlite/sqlite_probe.h, against native executescript of
               the same script: SQLite's own speed as wasm, without crossings.

Run: python3 bench/python/sqlite_bench.py [--rows N] [--rounds R] [--wasm FILE]. Prints µs totals, ratios to native, the median and
spread of R paired rounds (each round runs every contender once, interleaved, so load spikes hit all of them).
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Callable

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
GUEST = ROOT / "target" / "guests" / "sqlite"
sys.path.insert(0, str(ROOT / "python"))

Row = tuple[int, float, str, bytes]


def generate(tmp: Path, wasm: Path, header: str, *extra: str) -> ModuleType:
    out = tmp / Path(header).stem
    proc = subprocess.run(["cargo", "run", "-q", "-p", "gen", "--", "--py", str(GUEST / header), *extra,
                           "--wasm", str(wasm), "-o", str(out)], cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"wasm-bind --py {header} failed:\n{proc.stderr}")
    (py,) = [p for p in out.glob("*.py")]
    spec = importlib.util.spec_from_file_location(f"bench_{py.stem}", py)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


def rows(n: int) -> list[Row]:
    rng = random.Random(15)
    return [(rng.randrange(-(2**63), 2**63), rng.uniform(-1e9, 1e9), f"row {k} é✓ {rng.random():.6f}",
             rng.randbytes(16)) for k in range(n)]


def native_job(data: list[Row]) -> Callable[[], int]:
    def job() -> int:
        c = sqlite3.connect(":memory:", isolation_level=None)
        c.execute("CREATE TABLE t(i INTEGER, r REAL, s TEXT, b BLOB)")
        c.execute("BEGIN")
        c.executemany("INSERT INTO t VALUES (?, ?, ?, ?)", data)
        c.execute("COMMIT")
        got = c.execute("SELECT i, r, s, b FROM t").fetchall()
        c.close()
        return len(got)

    return job


def binding_job(m: ModuleType, data: list[Row]) -> Callable[[], int]:
    """The per-call path through the generated binding (shape per guests/sqlite/sqlite.toml)."""
    api = m.Sqlite()

    def run(db: object, sql: str) -> None:
        st, _ = db.prepare_v2(sql)  # type: ignore[attr-defined]
        st.step()
        st.close()

    def job() -> int:
        db, _ = api.sqlite3_open_v2(":memory:", 0x6)
        run(db, "CREATE TABLE t(i INTEGER, r REAL, s TEXT, b BLOB)")
        run(db, "BEGIN")
        ins, _ = db.prepare_v2("INSERT INTO t VALUES (?, ?, ?, ?)")
        for i, r, s, b in data:
            ins.bind_int64(1, i)
            ins.bind_double(2, r)
            ins.bind_text(3, s.encode())
            ins.bind_blob(4, b)
            ins.step()
            ins.reset()
        ins.close()
        run(db, "COMMIT")
        sel, _ = db.prepare_v2("SELECT i, r, s, b FROM t")
        got = []
        while sel.step() == 100:
            got.append((sel.column_int64(0), sel.column_double(1), sel.column_text(2), sel.column_blob(3)))
        sel.close()
        db.close()
        return len(got)

    return job


def script(data: list[Row]) -> str:
    inserts = "".join(f"INSERT INTO t VALUES ({i}, {r!r}, '{s}', x'{b.hex()}');\n" for i, r, s, b in data)
    return ("CREATE TABLE t(i INTEGER, r REAL, s TEXT, b BLOB);\nBEGIN;\n" + inserts + "COMMIT;\n"
            "SELECT count(*) + sum(i % 7) + sum(length(s)) + sum(length(b)) + total(r) FROM t;\n")


def engine_jobs(probe: ModuleType, data: list[Row]) -> tuple[Callable[[], object], Callable[[], object]]:
    text = script(data)
    g = probe.SqliteProbe()

    def guest() -> object:
        out, rc = g.wbs_run(0x6, ":memory:", text, 256)
        assert rc == 0, out
        return out

    def native() -> object:
        c = sqlite3.connect(":memory:", isolation_level=None)
        c.executescript(text.rsplit("SELECT", 1)[0])
        (v,) = c.execute("SELECT" + text.rsplit("SELECT", 1)[1]).fetchone()
        c.close()
        return v

    return guest, native


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--wasm", type=Path, default=GUEST / "sqlite.wasm",
                    help="the guest build to run (another build of the same sqlite3.h and config)")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run(Path(tmp), a.wasm.resolve(), a.rows, a.rounds)


def run(tmp: Path, wasm: Path, n: int, rounds: int) -> None:
    data = rows(n)
    probe = generate(tmp, wasm, "sqlite_probe.h")
    api = generate(tmp, wasm, "sqlite3.h", "--config", str(ROOT / "guests" / "sqlite" / "sqlite.toml"))
    jobs: dict[str, Callable[[], object]] = {"native": native_job(data)}
    if hasattr(api, "Sqlite") and hasattr(api.Sqlite, "sqlite3_open_v2"):
        jobs["binding"] = binding_job(api, data)
    else:
        print("binding: sqlite3_open_v2 is not bound by this generator (see --explain); column skipped")
    jobs["engine (guest script)"], jobs["engine (native script)"] = engine_jobs(probe, data)
    for fn in jobs.values():
        fn()  # warm up: module compile, first instance
    times: dict[str, list[float]] = {k: [] for k in jobs}
    for _ in range(rounds):
        for name, fn in jobs.items():
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    print(f"sqlite: {n} inserts in a transaction + full select, {rounds} paired rounds (ms: best / median)")
    for name, ts in times.items():
        print(f"  {name:24} {min(ts) * 1e3:9.1f} {statistics.median(ts) * 1e3:9.1f}")

    def ratio(x: str, y: str) -> None:
        r = [t / u for t, u in zip(times[x], times[y])]
        print(f"  {x} / {y}: median {statistics.median(r):.2f}x (paired rounds {min(r):.2f}-{max(r):.2f}x)")

    if "binding" in times:
        ratio("binding", "native")
    ratio("engine (guest script)", "engine (native script)")


if __name__ == "__main__":
    main()
