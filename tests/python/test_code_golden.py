"""The Python goldens of tests/golden/python-methods/ (written by tests/rust/code_golden.rs) are
what `gen --py` writes, and they import; the headers with a guest (tests/headers/<case>.wat) are
also instantiated and called.

For each golden, `gen --py` generates the header's module (with its guest, or a stand-in guest
exporting what the bindings check at load, with stub functions), the part from the
`# Bindings for` marker on must equal the golden `.py`, the stub the golden `.pyi`; the module is
imported (which runs every class body, dataclass and annotation the bindings define) and its
class instantiated over the guest (which checks every export's core signature).
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable, Dict, List

import pytest

from conftest import ROOT, import_generated

HEADERS = ROOT / "tests" / "headers"
GOLDEN = ROOT / "tests" / "golden" / "python-methods"
MARKER = "# Bindings for "
BLESS = "BLESS=1 cargo test -p wasm-bind-tests --test code_golden"

CASES: List[str] = sorted(p.stem for p in GOLDEN.glob("*.py"))


def gen_flags(header: Path) -> List[str]:
    """The `gen` arguments of a header's `// gen-flags:` first line (paths made absolute)."""
    first = header.read_text().splitlines()[0]
    assert first.startswith("// gen-flags:"), f"{header}: no gen-flags line"
    words = first[len("// gen-flags:"):].split()
    out: List[str] = []
    for flag, value in zip(words[::2], words[1::2]):
        out += [flag, str(header.parent / value) if flag in ("--config", "--wasm") else value]
    return out


def tuple_items(golden: str, name: str) -> List[str]:
    """The string items of the module-level tuple `name = (...)` of a golden."""
    m = re.search(rf"^{name} = \((.*?)^\)", golden, re.S | re.M)
    return ast.literal_eval(f"[{m.group(1)}]") if m else []


def stand_in_wat(golden: str) -> str:
    """A guest with every export the golden's bindings check at load, with their core signatures
    (`_WB_FUNCTIONS` / `_WB_SIGNATURES`), the arena, the handle blocks, the function table and the globals; functions
    return 0. Enough for `gen --py` to validate it and for the class to load."""
    arena = re.search(r"_WB_FUNCTIONS, (\"\w+\"), (\"\w+\")", golden)
    alloc, reset = (ast.literal_eval(arena.group(1)), ast.literal_eval(arena.group(2))) if arena else ("bump_alloc", "bump_reset")
    lines = ['(module', '  (memory (export "memory") 2)', '  (global (export "__heap_base") i32 (i32.const 65536))',
             f'  (func (export "{alloc}") (param i32) (result i32) (i32.const 65536))', f'  (func (export "{reset}"))',
             '  (func (export "wb_persist_alloc") (param i32) (result i32) (i32.const 69632))',
             '  (func (export "wb_persist_free") (param i32 i32))',
             '  (table (export "__indirect_function_table") 1 funcref)']  # callbacks go in the function table
    for name, sig in zip(tuple_items(golden, "_WB_FUNCTIONS"), tuple_items(golden, "_WB_SIGNATURES")):
        if name.startswith("wb_persist_"):  # listed when the bindings take handles: exported above
            continue
        params, result = sig.split("->")
        decl = "".join(f" (param {t})" for t in params.split(",") if t)
        body = f" (result {result}) ({result}.const 0)" if result else ""
        lines.append(f'  (func (export "{name}"){decl}{body})')
    for g in sorted(set(re.findall(r'global_address\("(\w+)"\)', golden))):
        lines.append(f'  (global (export "{g}") i32 (i32.const 1024))')
    return "\n".join(lines) + ")\n"


def guest_wasm(case: str, build: Path) -> Path:
    """The header's own guest compiled from its .wat, or a stand-in ([`stand_in_wat`])."""
    wasmtime = pytest.importorskip("wasmtime")
    wat = HEADERS / f"{case}.wat"
    text = wat.read_text() if wat.is_file() else stand_in_wat((GOLDEN / f"{case}.py").read_text())
    wasm = build / f"{case}.wasm"
    wasm.write_bytes(wasmtime.wat2wasm(text))
    return wasm


def call_plan_abi(mod: Any) -> None:
    g = mod.PlanAbi()
    assert g.wide_twice(mod.WideT(v=-21)) == -42
    assert g.mix(mod.CfgT(data=bytes([1] * 18)), bytes([2, 3, 4])) == 18 + 1000 * 9
    g.probe(b"hello", "xy")
    assert list(g.probe_offsets()) == [0, 16, 8, 24]
    assert g.pair_sum(mod.PairT(a=2, b=40)) == 42
    with mod.PairTHandle(g) as h:
        g.pair_set(h, 1, 2)


def call_name_collisions(mod: Any) -> None:
    g = mod.NameCollisions()
    assert g.add(2, 3) == 5
    assert g.type_(1) == 1 + 100 * 10
    assert g.Optional_(1) == 1 + 100 * 19
    assert g.fill(3) == b"\xab" * 3
    assert g.length("hello") == 5


#: The headers with a guest: what is called through their golden.
CALLS: Dict[str, Callable[[Any], None]] = {"plan_abi": call_plan_abi, "name_collisions": call_name_collisions}


def test_cases_found() -> None:
    assert len(CASES) >= 20, f"expected the goldens of tests/headers in {GOLDEN}; run {BLESS}"
    assert set(CALLS) <= set(CASES)


@pytest.mark.parametrize("case", CASES)
def test_golden_is_generated_and_imports(case: str, tmp_path: Path) -> None:
    header = HEADERS / f"{case}.h"
    assert header.is_file(), f"{GOLDEN / case}.py has no header {header}; run {BLESS}"
    out = tmp_path / "out"
    cmd = ["cargo", "run", "-q", "-p", "gen", "--", "--py", str(header), *gen_flags(header),
           "--wasm", str(guest_wasm(case, tmp_path)), "-o", str(out)]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    module = (out / f"{case}.py").read_text()
    start = module.find(MARKER)
    assert start >= 0, f"the generated module has no `{MARKER}` line"
    assert module[start:] == (GOLDEN / f"{case}.py").read_text(), f"gen --py differs from the golden; {BLESS}"
    assert (out / f"{case}.pyi").read_text() == (GOLDEN / f"{case}.pyi").read_text()
    mod = import_generated(f"code_golden_{case}", out / f"{case}.py")
    instance = getattr(mod, mod.__all__[0])()  # loads the guest: checks every export's signature
    if case in CALLS:
        CALLS[case](mod)
    else:
        del instance


def test_generated_modules_pass_mypy_strict(tmp_path: Path) -> None:
    """The generated `.py` itself, not only its stub, passes `mypy --strict` (issue #14), for every golden
    header (handles, structs, in/out buffers, escaped names, computed sizes, ...), against the runtime package's
    own annotations. Checked in one mypy run over a folder holding only the modules."""
    mods = tmp_path / "modules"
    mods.mkdir()
    for case in CASES:
        header = HEADERS / f"{case}.h"
        out = tmp_path / case
        cmd = ["cargo", "run", "-q", "-p", "gen", "--", "--py", str(header), *gen_flags(header),
               "--wasm", str(guest_wasm(case, tmp_path)), "-o", str(out)]
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        if proc.returncode == 0:  # a header that does not generate is test_golden_is_generated_and_imports' failure
            (mods / f"{case}.py").write_text((out / f"{case}.py").read_text())
    assert len(list(mods.glob("*.py"))) >= 20, "most golden headers must generate"
    proc = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", *sorted(str(p) for p in mods.glob("*.py"))],
                          cwd=tmp_path, capture_output=True, text=True, env={**os.environ, "MYPYPATH": str(ROOT / "python")})
    assert proc.returncode == 0, proc.stdout + proc.stderr
