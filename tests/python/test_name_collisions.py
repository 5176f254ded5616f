"""C functions named like Python builtins the generated class body uses in annotations (`bytes`,
`str`, `list`, `tuple`, `object`, `property`, `type`), like typing names (`Optional`), like the
class's own members (`__wb_memory`, `self`) or like names the Rust struct reserves (`new`,
`options`, `from_file`): tests/headers/name_collisions.h, over a tiny .wat guest compiled here.

Each function is bound and reaches its own export; the renamed ones follow the rule of
templates/README.md (a trailing `_`), the same in the .py and the .pyi; `mypy --strict` accepts
the stub and typed code calling every method; `gen --explain` names the Python method.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any, Dict, List

import pytest

from conftest import ROOT, import_generated

HEADER = ROOT / "tests" / "headers" / "name_collisions.h"

#: The one-argument functions of the header in order, with their Python method names: each C
#: function `(x) -> x + 100 * (position + 1)`.
ONE_ARG: List[tuple[str, str]] = [
    ("options_", "options_"),
    ("new", "new"),
    ("with_options", "with_options"),
    ("from_bytes", "from_bytes"),
    ("from_file", "from_file"),
    ("from_bytes_with", "from_bytes_with"),
    ("from_file_with", "from_file_with"),
    ("__wb_memory", "__wb_memory__"),
    ("__wb_generation", "__wb_generation__"),
    ("type", "type_"),
    ("self", "self_"),
    ("bytes", "bytes_"),
    ("str", "str_"),
    ("list", "list_"),
    ("tuple", "tuple_"),
    ("object", "object_"),
    ("property", "property_"),
    ("close", "close"),
    ("Optional", "Optional_"),
]


def guest_wat() -> str:
    """The guest (shared with the Rust test): every export returns a different value."""
    return HEADER.with_suffix(".wat").read_text()


def run(cmd: List[str], **kw: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, **kw)


@pytest.fixture(scope="module")
def collisions(tmp_path_factory: pytest.TempPathFactory) -> Dict[str, Any]:
    wasmtime = pytest.importorskip("wasmtime")
    build = tmp_path_factory.mktemp("name-collisions")
    wasm = build / "guest.wasm"
    wasm.write_bytes(wasmtime.wat2wasm(guest_wat()))
    out = build / "out"
    cmd = ["cargo", "run", "-q", "-p", "gen", "--", "--py", str(HEADER), "--wasm", str(wasm), "-o", str(out)]
    proc = run(cmd)
    assert proc.returncode == 0, proc.stderr
    py, pyi = out / "name_collisions.py", out / "name_collisions.pyi"
    return {"py": py, "pyi": pyi, "module": import_generated("name_collisions", py)}


def test_every_function_reaches_its_own_export(collisions: Dict[str, Any]) -> None:
    mod = collisions["module"]
    g = mod.NameCollisions()
    assert g.add(2, 3) == 5
    assert g.options() is None
    for i, (c_name, py_name) in enumerate(ONE_ARG):
        method = getattr(g, py_name)
        assert method(1) == 1 + 100 * (i + 1), c_name
    # The class's own instance state is untouched by a method named like a member.
    assert g._wb_rt is not None
    assert mod.WASM == 7
    # Functions declared after those: their annotations name the builtins the methods shadowed.
    assert g.fill(3) == b"\xab\xab\xab"
    assert g.length("hello") == 5
    assert list(g.fill_ints(4)) == [0, 3, 6, 9]
    assert tuple(g.two()) == (1, 2)


def test_py_and_pyi_define_the_same_method_names(collisions: Dict[str, Any]) -> None:
    def methods(path: Path) -> List[str]:
        text = path.read_text()
        body = text[text.index("class NameCollisions:"):]
        return [line.split("(")[0].strip()[4:] for line in body.splitlines() if line.startswith("    def ")]

    py, pyi = methods(collisions["py"]), methods(collisions["pyi"])
    want = ["__init__", "add", "options", *(p for _, p in ONE_ARG), "fill", "length", "fill_ints", "two"]
    assert py == want
    assert pyi == want


def test_mypy_strict_accepts_the_stub_and_typed_use(collisions: Dict[str, Any], tmp_path: Path) -> None:
    pytest.importorskip("mypy")
    stubs = tmp_path / "stubs"
    stubs.mkdir()
    shutil.copy(collisions["pyi"], stubs / "name_collisions.pyi")
    calls = "\n".join(f"r{i}: int = g.{p}(1)" for i, (_, p) in enumerate(ONE_ARG))
    use = tmp_path / "typed_use.py"
    use.write_text(textwrap.dedent("""\
        from name_collisions import WASM, NameCollisions

        g = NameCollisions(b"")
        total: int = g.add(1, 2) + WASM
        g.options()
        data: bytes = b"x"
        text: str = "y"
        filled: bytes = g.fill(2)
        n: int = g.length(text)
        f, s = g.two()
        both: int = f + s
        """) + calls + "\n")
    for target in (str(stubs / "name_collisions.pyi"), str(use)):
        proc = run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", target], env={**os.environ, "MYPYPATH": str(stubs)})
        assert proc.returncode == 0, proc.stdout + proc.stderr


def test_ruff_accepts_the_module(collisions: Dict[str, Any]) -> None:
    pytest.importorskip("ruff")
    proc = run([sys.executable, "-m", "ruff", "check", "--no-cache", "--config", str(ROOT / "ruff.toml"), str(collisions["py"])])
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_explain_names_the_python_and_rust_methods() -> None:
    proc = run(["cargo", "run", "-q", "-p", "gen", "--", "--explain", str(HEADER)])
    assert proc.returncode == 0, proc.stderr
    assert "bytes (" in proc.stdout
    lines = {line.split(" (")[0]: line for line in proc.stdout.splitlines() if " (" in line and not line.startswith(" ")}
    assert lines["bytes"].endswith(" -> method bytes_ in Python, bytes in Rust")
    assert lines["options"].endswith(" -> method options in Python, options_ in Rust")
    assert lines["type"].endswith(" -> method type_ in Python, r#type in Rust")
    assert lines["self"].endswith(" -> method self_")
    assert lines["close"].endswith(")")  # not renamed
