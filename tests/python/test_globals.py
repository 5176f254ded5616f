"""Exported C globals as read-only properties of the generated class, on both call paths.

Monocypher's `crypto_argon2_no_extras`, and a small header (a struct with a slice, an int32) over hand-written
guests: honest ones read back exactly what the data segment holds; hostile ones (address or slice outside
memory, a length that wraps, a global that is not an i32, a missing export) raise GuestError / LoadError and
leave the object usable.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pytest
import wasmtime

from conftest import Guest, generate, import_generated

HEADER = """\
#include <stddef.h>
#include <stdint.h>
typedef struct { const uint8_t *data; uint32_t data_size; int32_t tag; } blob_t;
extern const blob_t default_blob;
extern const int32_t answer;
void touch(uint8_t *out, size_t out_size);
"""


def guest(blob_addr: str = "(i32.const 1024)", blob: str = r"\00\08\00\00\05\00\00\00\f9\ff\ff\ff",
          answer: str = "(global (export \"answer\") i32 (i32.const 3072))") -> bytes:
    """A guest whose `default_blob` is at `blob_addr` holding `blob` (data ptr, data_size, tag) at 1024."""
    return bytes(wasmtime.wat2wasm(f"""
(module
  (memory (export "memory") 2)
  (global (export "__heap_base") i32 (i32.const 65536))
  (func (export "bump_alloc") (param i32) (result i32) (i32.const 65536))
  (func (export "bump_reset"))
  (func (export "touch") (param i32 i32))
  (data (i32.const 1024) "{blob}")
  (data (i32.const 2048) "hello")
  (data (i32.const 3072) "\\d6\\ff\\ff\\ff")
  (global (export "default_blob") i32 {blob_addr})
  {answer})"""))


@pytest.fixture(scope="module")
def globals_mod(tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = tmp_path_factory.mktemp("globals")
    (out / "g.h").write_text(HEADER)
    (out / "globals_guest.wasm").write_bytes(guest())
    generate(Guest("g", out / "g.h", out / "globals_guest.wasm"), out)
    return import_generated("g", out / "g.py")


@pytest.fixture(params=[True, False], ids=["fast", "public"])
def make(request: pytest.FixtureRequest, globals_mod: Any, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    monkeypatch.setenv("WASM_BIND_NO_FAST", "0" if request.param else "1")

    def build(wasm: bytes) -> Any:
        obj = globals_mod.G(wasm)
        assert obj._wb_rt.fast is request.param
        return obj

    return build


def test_monocypher_no_extras(mono_mod: Any) -> None:
    m = mono_mod.Monocypher()
    extras = m.crypto_argon2_no_extras
    assert type(extras) is mono_mod.CryptoArgon2Extras
    assert extras == mono_mod.CryptoArgon2Extras(key=b"", ad=b"")
    config = mono_mod.CryptoArgon2Config(algorithm=mono_mod.CRYPTO_ARGON2_ID, nb_blocks=8, nb_passes=1, nb_lanes=1)
    inputs = mono_mod.CryptoArgon2Inputs(pass_=b"correct horse", salt=b"saltsalt")
    with_global = m.crypto_argon2(32, config, inputs, extras)
    assert with_global == m.crypto_argon2(32, config, inputs, mono_mod.CryptoArgon2Extras(key=b"", ad=b""))
    assert with_global != m.crypto_argon2(32, config, inputs, mono_mod.CryptoArgon2Extras(key=b"k", ad=b""))
    with pytest.raises(AttributeError):
        m.crypto_argon2_no_extras = extras  # read-only


def test_stub_types_the_property(globals_mod: Any) -> None:
    stub = Path(globals_mod.__file__).with_suffix(".pyi").read_text()
    assert "    @property\n    def default_blob(self) -> BlobT: ..." in stub
    assert "    @property\n    def answer(self) -> int: ..." in stub


def test_honest_guest(make: Callable[..., Any], globals_mod: Any) -> None:
    obj = make(guest())
    assert obj.default_blob == globals_mod.BlobT(data=b"hello", tag=-7)
    assert obj.answer == -42
    # read afresh at each access: a guest write shows up
    obj._wb_rt.write(2048, b"HELLO")
    assert obj.default_blob.data == b"HELLO"
    empty = make(guest(blob=r"\00\00\00\00\00\00\00\00\00\00\00\00"))  # NULL pointer, count 0
    assert empty.default_blob == globals_mod.BlobT(data=b"", tag=0)


@pytest.mark.parametrize("kwargs,match", [
    ({"blob_addr": "(i32.const 131068)"}, "outside guest memory"),  # struct runs past the end
    ({"blob_addr": "(i32.const -16)"}, "outside guest memory"),  # 0xFFFFFFF0
    ({"blob": r"\fe\ff\01\00\05\00\00\00\00\00\00\00"}, "outside guest memory"),  # slice at 0x1FFFE, 5 bytes
    ({"blob": r"\00\08\00\00\ff\ff\ff\ff\00\00\00\00"}, "outside guest memory"),  # count 0xFFFFFFFF
])
def test_hostile_struct_global(make: Callable[..., Any], globals_mod: Any, kwargs: dict[str, str], match: str) -> None:
    obj = make(guest(**kwargs))
    with pytest.raises(globals_mod.GuestError, match=match):
        obj.default_blob
    assert obj.answer == -42  # still usable
    obj.touch(8)


def test_hostile_scalar_globals(make: Callable[..., Any], globals_mod: Any) -> None:
    obj = make(guest(answer='(global (export "answer") i32 (i32.const 131070))'))
    with pytest.raises(globals_mod.GuestError, match="outside guest memory"):
        obj.answer
    obj = make(guest(answer='(global (export "answer") i64 (i64.const 3072))'))
    with pytest.raises(globals_mod.GuestError, match="'answer' is not an i32 address"):
        obj.answer
    obj = make(guest(answer='(func (export "answer"))'))
    with pytest.raises(globals_mod.LoadError, match="'answer' is a func, expected a global"):
        obj.answer
    obj = make(guest(answer=""))
    with pytest.raises(globals_mod.LoadError, match="does not export global 'answer'"):
        obj.answer
    assert obj.default_blob.data == b"hello"
