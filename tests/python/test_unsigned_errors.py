"""Error rules on unsigned returns (`nonneg`, `positive`, `filled(dst)` on `size_t`): the value is tested as a signed
integer of the C type's width, as C libraries return errors through an unsigned type (zstd's and LZ4F's
`(size_t)-code`), so a library error is a StatusError carrying the C value (which can be passed back to the
library's error functions), never a GuestError; successful values come back as they are. The module status rule's
`message`, when it takes an integer (`ZSTD_getErrorName(size_t code)`), explains those errors and int statuses: it
is given the failed value. Both call paths.
"""

from __future__ import annotations

from typing import Any

import pytest
import wasmtime

from conftest import ROOT, Guest, generate, import_generated

# The header, config and hand-written guest are shared with tests/js/unsigned_errors.test.mjs.
SHARED = ROOT / "tests" / "wat_guests"


@pytest.fixture(scope="module")
def mod(tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = tmp_path_factory.mktemp("unsigned_errors")
    (out / "u.h").write_text((SHARED / "unsigned_errors.h").read_text())
    (out / "u.toml").write_text((SHARED / "unsigned_errors.toml").read_text())
    (out / "u.wasm").write_bytes(bytes(wasmtime.wat2wasm((SHARED / "unsigned_errors.wat").read_text())))
    generate(Guest("u", out / "u.h", out / "u.wasm", out / "u.toml"), out)
    return import_generated("unsigned_errors", out / "u.py")


@pytest.fixture(params=[True, False], ids=["fast", "public"])
def obj(request: pytest.FixtureRequest, mod: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("WASM_BIND_NO_FAST", "0" if request.param else "1")
    return mod.U()


def test_a_size_t_error_code_is_a_status_error(obj: Any, mod: Any) -> None:
    assert obj.squeeze(8, b"abc") == b"abc"
    with pytest.raises(mod.StatusError) as info:
        obj.squeeze(2, b"abc")
    assert info.value.status == 2**32 - 70, "the C value of the size_t"
    assert info.value.message == "destination too small", "err_name(code) explains it"
    assert str(info.value) == "squeeze failed with status 4294967226: destination too small"
    assert obj.squeeze(3, b"xyz") == b"xyz", "the object stays usable"


@pytest.mark.parametrize("value", [0, 1, 2**31 - 1])
def test_unsigned_values_below_the_top_bit_are_values(obj: Any, value: int) -> None:
    assert obj.count(value) == value


@pytest.mark.parametrize("value", [2**31, 2**32 - 1])
def test_unsigned_values_with_the_top_bit_are_errors(obj: Any, mod: Any, value: int) -> None:
    with pytest.raises(mod.StatusError) as info:
        obj.count(value)
    assert info.value.status == value


def test_other_widths(obj: Any, mod: Any) -> None:
    assert obj.big(2**63 - 1) == 2**63 - 1
    for bad in (0, 2**63, 2**64 - 1):  # positive: zero is an error too
        with pytest.raises(mod.StatusError) as info:
            obj.big(bad)
        assert info.value.status == bad
    assert obj.small(127) == 127
    with pytest.raises(mod.StatusError):
        obj.small(128)


def test_the_code_message_explains_int_statuses_and_is_none_when_the_library_has_none(obj: Any, mod: Any) -> None:
    assert obj.opcode(0) is None
    with pytest.raises(mod.StatusError) as info:
        obj.opcode(3)
    assert (info.value.status, info.value.message) == (3, "bad opcode")
    with pytest.raises(mod.StatusError) as info:
        obj.opcode(4)
    assert (info.value.status, info.value.message) == (4, None), "NULL: no message"
    with pytest.raises(mod.StatusError) as info:
        obj.count(2**31)
    assert info.value.message is None
    with pytest.raises(mod.StatusError) as info:
        obj.big(0)
    assert info.value.message is None, "a 64-bit value is not passed to a size_t parameter"
