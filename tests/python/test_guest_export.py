"""`wasm-bind guest --export NAME`: a function the header does not bind is exported only when asked, and a name the
sources do not define is an error naming it (the SQLite guest exports its sqlite_probe.h helpers this way)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import wasmtime

from conftest import ROOT

GEN = ["cargo", "run", "-q", "-p", "gen", "--"]
SRC = "int bound(int x) { return x + 1; }\nint helper(int x) { return x * 2; }\nstatic int hidden(void) { return 0; }\n"


def build(tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "lib.c").write_text(SRC)
    (tmp_path / "lib.h").write_text("int bound(int x);\n")
    return subprocess.run([*GEN, "guest", str(tmp_path / "lib.c"), "--header", str(tmp_path / "lib.h"), *extra,
                           "-o", str(tmp_path / "lib.wasm")], cwd=ROOT, capture_output=True, text=True)


def exports(wasm: Path) -> set[str]:
    return {e.name for e in wasmtime.Module(wasmtime.Engine(), wasm.read_bytes()).exports}


def test_only_what_the_header_binds_unless_asked(tmp_path: Path) -> None:
    proc = build(tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "bound" in exports(tmp_path / "lib.wasm") and "helper" not in exports(tmp_path / "lib.wasm")
    proc = build(tmp_path, "--export", "helper")
    assert proc.returncode == 0, proc.stderr
    assert {"bound", "helper"} <= exports(tmp_path / "lib.wasm")
    store = wasmtime.Store()
    inst = wasmtime.Instance(store, wasmtime.Module(store.engine, (tmp_path / "lib.wasm").read_bytes()), [])
    assert inst.exports(store)["helper"](store, 21) == 42


def test_an_undefined_export_is_an_error_naming_it(tmp_path: Path) -> None:
    for name in ("nosuch", "hidden"):
        proc = build(tmp_path, "--export", "helper", "--export", name)
        assert proc.returncode != 0, proc.stderr
        assert f"--export `{name}`: the sources define no function or global of that name" in proc.stderr
