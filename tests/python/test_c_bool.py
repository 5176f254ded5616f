"""A C `bool` parameter takes a Python bool (or the int 0 / 1), as a `bool` return gives one; anything else is a
TypeError / OverflowError naming the parameter (a fresh-user walkthrough: `True` was refused as a bool). Both call
paths."""

from __future__ import annotations

from typing import Any

import pytest
import wasmtime

from conftest import ROOT, Guest, generate, import_generated

# The header and hand-written guest are shared with tests/js/c_bool.test.mjs.
SHARED = ROOT / "tests" / "wat_guests"


@pytest.fixture(scope="module")
def mod(tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = tmp_path_factory.mktemp("c_bool")
    (out / "b.h").write_text((SHARED / "c_bool.h").read_text())
    (out / "b.wasm").write_bytes(bytes(wasmtime.wat2wasm((SHARED / "c_bool.wat").read_text())))
    generate(Guest("b", out / "b.h", out / "b.wasm"), out)
    assert "def flip(self, b: bool | int) -> bool:" in (out / "b.pyi").read_text()
    return import_generated("c_bool", out / "b.py")


@pytest.fixture(params=[True, False], ids=["fast", "public"])
def obj(request: pytest.FixtureRequest, mod: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("WASM_BIND_NO_FAST", "0" if request.param else "1")
    return mod.B()


def test_a_bool_parameter_takes_a_bool_and_0_or_1(obj: Any) -> None:
    assert obj.flip(True) is False and obj.flip(False) is True
    assert obj.flip(1) is False and obj.flip(0) is True
    assert obj.pick(True, 5) == -5 and obj.pick(False, 5) == 5


@pytest.mark.parametrize("bad, error", [(2, OverflowError), (-1, OverflowError), ("yes", TypeError), (None, TypeError),
                                        (1.0, TypeError)])
def test_anything_else_is_an_error_naming_the_parameter(obj: Any, bad: object, error: type) -> None:
    with pytest.raises(error, match="^b: "):
        obj.flip(bad)
    assert obj.flip(True) is False
