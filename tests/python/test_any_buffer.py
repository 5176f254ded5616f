"""Byte parameters take any C-contiguous buffer (issue #14): bytes, bytearray, memoryview, mmap, array.array,
ctypes arrays, numpy arrays and PEP 688 `__buffer__` objects, on both call paths, with the same result as the
bytes; in/out parameters write back into every writable kind and refuse read-only ones (bytes, a value, only
gets the result); non-contiguous views and a 2 GiB mmap are ValueErrors naming the parameter.
"""

from __future__ import annotations

import array
import ctypes
import hashlib
import mmap
import struct
import sys
import tempfile
from typing import Any, Callable, Iterator, List, Tuple

import numpy as np
import pytest

DATA = bytes(range(256)) * 3 + b"tail"  # 772 bytes: a multiple of 4 (for the array('I') and int32 kinds)


@pytest.fixture(params=[True, False], ids=["fast", "public"])
def obj(request: pytest.FixtureRequest, mono_mod: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("WASM_BIND_NO_FAST", "0" if request.param else "1")
    o = mono_mod.Monocypher()
    assert o._wb_rt.fast is request.param
    return o


class Pep688:
    """A PEP 688 buffer written in Python (`__buffer__`): memoryview() calls it from 3.12 on; the runtime calls it
    itself before that."""

    def __init__(self, data: bytes, writable: bool = True) -> None:
        self.store = bytearray(data)
        self.writable = writable

    def __buffer__(self, flags: int) -> memoryview:
        view = memoryview(self.store)
        return view if self.writable else view.toreadonly()


@pytest.fixture
def mapped() -> Iterator[mmap.mmap]:
    with tempfile.TemporaryFile() as f:
        f.write(DATA)
        f.flush()
        m = mmap.mmap(f.fileno(), len(DATA))
        yield m
        m.close()


def kinds(data: bytes) -> List[Tuple[str, Callable[[], Any]]]:
    """Every buffer kind holding `data` (made on demand: each test gets fresh, writable ones)."""
    return [
        ("bytes", lambda: bytes(data)),
        ("bytearray", lambda: bytearray(data)),
        ("memoryview", lambda: memoryview(bytearray(data))),
        ("memoryview-slice", lambda: memoryview(bytearray(b"xx" + data + b"yy"))[2:-2]),
        ("array-B", lambda: array.array("B", data)),
        ("array-I", lambda: array.array("I", data)),  # wider elements: their raw bytes, in memory order
        ("ctypes", lambda: (ctypes.c_uint8 * len(data)).from_buffer_copy(data)),
        ("numpy-u8", lambda: np.frombuffer(bytearray(data), dtype=np.uint8)),
        ("numpy-i32", lambda: np.frombuffer(bytearray(data), dtype=np.int32)),
        ("numpy-2d", lambda: np.frombuffer(bytearray(data), dtype=np.uint8).reshape(4, -1)),  # C-contiguous
        ("pep688", lambda: Pep688(data)),
    ]


KINDS = [name for name, _ in kinds(b"")]


def make(name: str, data: bytes) -> Any:
    return dict(kinds(data))[name]()


@pytest.mark.parametrize("kind", KINDS)
def test_every_buffer_kind_is_an_input(obj: Any, kind: str) -> None:
    expected = hashlib.blake2b(DATA).digest()
    assert obj.crypto_blake2b(64, make(kind, DATA)) == expected
    key = bytes(range(32))
    assert obj.crypto_blake2b_keyed(64, make(kind, key), make(kind, DATA)) == \
        hashlib.blake2b(DATA, key=key).digest()


def test_mmap_input_and_inout(obj: Any, mapped: mmap.mmap) -> None:
    assert obj.crypto_blake2b(64, mapped) == hashlib.blake2b(DATA).digest()
    assert obj.crypto_wipe(mapped) == bytes(len(DATA))
    assert mapped[:] == bytes(len(DATA))  # written back into the mapping


@pytest.mark.parametrize("kind", [k for k in KINDS if k != "bytes"])
def test_every_writable_kind_receives_inout_output(obj: Any, kind: str) -> None:
    buf = make(kind, DATA)
    assert obj.crypto_wipe(buf) == bytes(len(DATA))
    assert bytes(memoryview(buf.store if kind == "pep688" else buf).cast("B")) == bytes(len(DATA))


def test_bytes_inout_is_a_value(obj: Any) -> None:
    frozen = bytes(DATA)
    assert obj.crypto_wipe(frozen) == bytes(len(DATA)) and frozen == DATA


@pytest.mark.parametrize("make_readonly", [
    lambda: memoryview(bytearray(b"secret")).toreadonly(),
    lambda: memoryview(b"secret"),
    lambda: np.frombuffer(b"secret", dtype=np.uint8),  # numpy over bytes: read-only
    lambda: Pep688(b"secret", writable=False),
], ids=["memoryview", "memoryview-of-bytes", "numpy", "pep688"])
def test_readonly_buffer_for_inout_is_refused(obj: Any, make_readonly: Callable[[], Any]) -> None:
    buf = make_readonly()
    with pytest.raises(TypeError, match=r"^secret: this in/out parameter's output is written back into the buffer, "
                                        r"and this \w+ is read-only"):
        obj.crypto_wipe(buf)


def test_readonly_mmap_for_inout_is_refused(obj: Any) -> None:
    with tempfile.TemporaryFile() as f:
        f.write(b"secret")
        f.flush()
        with mmap.mmap(f.fileno(), 6, access=mmap.ACCESS_READ) as m:
            with pytest.raises(TypeError, match=r"^secret: .* mmap is read-only"):
                obj.crypto_wipe(m)
            assert m[:] == b"secret"
            # As an input it is fine.
            assert obj.crypto_blake2b(64, m) == hashlib.blake2b(b"secret").digest()


@pytest.mark.parametrize("strided", [
    lambda: memoryview(bytearray(64))[::2],
    lambda: np.zeros(64, dtype=np.uint8)[::2],
    lambda: np.zeros((8, 8), dtype=np.uint8).T,  # Fortran order
], ids=["memoryview", "numpy", "numpy-transposed"])
def test_non_contiguous_is_a_clear_error(obj: Any, strided: Callable[[], Any]) -> None:
    with pytest.raises(ValueError, match=r"^message: the buffer must be C-contiguous"):
        obj.crypto_blake2b(64, strided())
    with pytest.raises(ValueError, match=r"^secret: the buffer must be C-contiguous"):
        obj.crypto_wipe(strided())


def test_fixed_size_checks_stay(obj: Any) -> None:
    nonce = bytes(24)
    with pytest.raises(ValueError, match=r"^key: expected 32 bytes, got 31$"):
        obj.crypto_aead_lock(np.zeros(31, dtype=np.uint8), nonce, b"", b"")
    with pytest.raises(ValueError, match=r"^key: expected 32 bytes, got 36$"):
        obj.crypto_aead_lock(array.array("I", [0] * 9), nonce, b"", b"")
    key = (ctypes.c_uint8 * 32)()
    ct, mac = obj.crypto_aead_lock(key, np.zeros(24, dtype=np.uint8), b"", b"abc")
    assert (ct, mac) == obj.crypto_aead_lock(bytes(32), bytes(24), b"", b"abc")


def test_two_gib_mmap_is_a_value_error(obj: Any) -> None:
    """A sparse 2**31-byte file: the size check refuses it before any copy (not a TypeError)."""
    with tempfile.TemporaryFile() as f:
        f.truncate(2**31)
        with mmap.mmap(f.fileno(), 2**31, access=mmap.ACCESS_READ) as m:
            with pytest.raises(ValueError, match=r"^crypto_blake2b: the arguments need 2147483\d+ bytes"):
                obj.crypto_blake2b(64, m)
        assert obj.crypto_blake2b(64, b"ok") == hashlib.blake2b(b"ok").digest()  # still usable


def test_not_a_buffer_names_the_parameter(obj: Any) -> None:
    for bad in ("text", 3, [1, 2], None, object()):
        with pytest.raises(TypeError, match=r"^message: expected a bytes-like object \(bytes, bytearray, "
                                            r"memoryview or any buffer\), got \w+$"):
            obj.crypto_blake2b(64, bad)


def test_struct_slices_take_any_buffer(obj: Any, mono_mod: Any) -> None:
    """A struct field that is a byte slice (argon2's password and salt) takes the same buffers."""
    cfg = mono_mod.CryptoArgon2Config(algorithm=mono_mod.CRYPTO_ARGON2_I, nb_blocks=8, nb_passes=1, nb_lanes=1)
    pw, salt = b"password", b"somesalt"
    expected = obj.crypto_argon2(32, cfg, mono_mod.CryptoArgon2Inputs(pw, salt), mono_mod.CryptoArgon2Extras(b"", b""))
    inputs = mono_mod.CryptoArgon2Inputs(np.frombuffer(pw, dtype=np.uint8), array.array("B", salt))
    extras = mono_mod.CryptoArgon2Extras(Pep688(b""), (ctypes.c_uint8 * 0)())
    assert obj.crypto_argon2(32, cfg, inputs, extras) == expected


def test_byte_parameters_take_raw_bytes_of_wider_elements(obj: Any) -> None:
    """The documented rule: a byte parameter takes a buffer's raw bytes in memory order, whatever its format."""
    words = array.array("I", [1, 2, 3])
    assert obj.crypto_blake2b(64, words) == hashlib.blake2b(words.tobytes()).digest()
    assert obj.crypto_blake2b(64, np.array([1.5, -0.0])) == hashlib.blake2b(struct.pack("=2d", 1.5, -0.0)).digest()


@pytest.mark.skipif(sys.version_info < (3, 12), reason="collections.abc.Buffer is Python 3.12+")
def test_collections_abc_buffer_is_the_annotation(mono_mod: Any) -> None:  # pragma: no cover - 3.12+
    import collections.abc
    assert mono_mod.Buffer is collections.abc.Buffer
