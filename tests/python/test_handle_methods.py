"""Handle methods and honest surfaces (issue #14) on tests/headers/handle_methods.h, whose guest
(handle_methods.c) `wasm-bind guest` builds: the naming rule's corner cases (a reserved member keeps the
full name, a keyword is escaped, a name set in the config, a `const T *` handle), handle methods
equal the module methods, and argument errors name the keyword the caller writes (`input_`, not `input`).
"""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from conftest import ROOT, import_generated

HEADER = ROOT / "tests" / "headers" / "handle_methods.h"


@pytest.fixture(scope="module")
def hm(tmp_path_factory: pytest.TempPathFactory) -> tuple[ModuleType, Any]:
    out = tmp_path_factory.mktemp("handle_methods")
    wasm = out / "handle_methods.wasm"
    for cmd in (["guest", str(HEADER.with_suffix(".c")), "--header", str(HEADER), "-o", str(wasm)],
                ["--py", str(HEADER), "--config", str(HEADER.with_suffix(".toml")), "--wasm", str(wasm),
                 "-o", str(out / "py")]):
        proc = subprocess.run(["cargo", "run", "-q", "-p", "gen", "--", *cmd], cwd=ROOT, capture_output=True, text=True)
        if proc.returncode != 0:
            pytest.fail(f"{cmd} failed:\n{proc.stderr}")
    module = import_generated("handle_methods", out / "py" / "handle_methods.py")
    return module, module.HandleMethods()


def test_the_rule_on_every_corner(hm: tuple[ModuleType, Any]) -> None:
    module, _ = hm
    own = {n for n, v in vars(module.TallyState).items() if inspect.isfunction(v) and not n.startswith("_")}
    # feed/reset/total: shared words dropped; tally_state_close: `close` is the handle's own member, so the
    # full name; type_: `type` escaped as for module methods; merge_into shares no word with `tally_state`, and
    # handle_methods.toml names it `absorb` (`[functions.merge_into] handle_method = "absorb"`).
    assert own == {"close", "reset", "feed", "total", "tally_state_close", "type_", "absorb"}
    assert not hasattr(module.TallyState, "mix")  # tally_mix takes no handle


def test_handle_methods_equal_the_module_methods(hm: tuple[ModuleType, Any]) -> None:
    module, lib = hm
    with module.TallyState(lib) as a, module.TallyState(lib) as b:
        a.reset()
        a.feed(b"abc")
        lib.tally_state_feed(a, data=bytearray(b"\x01"))
        assert a.total() == lib.tally_state_total(a) == 97 + 98 + 99 + 1
        assert a.type_() == lib.tally_state_type(a) == (97 + 98 + 99 + 1) % 7
        b.reset()
        b.feed(memoryview(b"\x05"))
        a.absorb(b)  # merge_into(dst=a, src=b), src a `const tally_state *`
        assert a.total() == 300 and b.total() == 5
        a.tally_state_close()  # the C function, not the handle's close()
        assert a.total() == 0xFFFFFFFF and not a.closed
    assert a.closed and b.closed


def test_errors_name_the_keyword(hm: tuple[ModuleType, Any]) -> None:
    _, lib = hm
    assert lib.tally_mix(input_=b"ab", type_=1, iter_=b"\x01\x02\x03\x04") == 1 + 97 + 2 * 98
    with pytest.raises(TypeError, match=r"^input_: expected a bytes-like object"):
        lib.tally_mix("ab", 1, b"1234")
    with pytest.raises(OverflowError, match=r"^type_: -1 does not fit uint32_t"):
        lib.tally_mix(b"ab", -1, b"1234")
    with pytest.raises(TypeError, match=r"^type_: expected int, got str$"):
        lib.tally_mix(b"ab", "1", b"1234")
    with pytest.raises(ValueError, match=r"^iter_: expected 4 bytes, got 3$"):
        lib.tally_mix(b"ab", 1, b"123")
    with pytest.raises(TypeError, match=r"^dst: expected TallyState, got bytes$"):
        lib.merge_into(b"", b"")


def test_module_passes_mypy_strict(hm: tuple[ModuleType, Any], tmp_path: Path) -> None:
    module, _ = hm
    src = Path(module.__file__ or "")
    (tmp_path / "handle_methods.py").write_text(src.read_text())
    proc = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", "handle_methods.py"],
                          cwd=tmp_path, capture_output=True, text=True,
                          env={**os.environ, "MYPYPATH": str(ROOT / "python")})
    assert proc.returncode == 0, proc.stdout + proc.stderr
