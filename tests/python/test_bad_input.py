"""Bad input from the caller, through the generated Monocypher (and twosum) modules on both call paths.

Every bad argument is a TypeError / ValueError / OverflowError raised before any guest call: guest memory is
byte-for-byte unchanged afterwards and the instance was not re-created. Sizes are never wrapped into i32/u32.
"""

from __future__ import annotations

import hashlib
import mmap
import os
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

KEY, NONCE = bytes(range(32)), bytes(range(24))


@pytest.fixture(params=[True, False], ids=["fast", "public"])
def obj(request: pytest.FixtureRequest, mono_mod: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("WASM_BIND_NO_FAST", "0" if request.param else "1")
    o = mono_mod.Monocypher()
    assert o._wb_rt.fast is request.param
    o.crypto_blake2b(64, b"warm up")  # scratch block allocated: the snapshot below is the steady state
    return o


class GuestCalls:
    """Counts every call into the guest while active: `_call` (allocators, reset, persistent blocks, the public
    path's function calls) and, on the fast path, the two C entry points `_invoke_fast` calls functions with."""

    def __init__(self, rt: Any) -> None:
        self.rt, self.count, self.saved = rt, 0, rt._fast if rt.fast else None

    def __enter__(self) -> "GuestCalls":
        inner = self.rt._call

        def counted_call(*a: Any) -> Any:
            self.count += 1
            return inner(*a)

        self.rt._call = counted_call
        if self.saved is not None:
            def counting(fn: Any) -> Any:
                def call(*a: Any) -> Any:
                    self.count += 1
                    return fn(*a)
                return call
            patched = list(self.saved)
            patched[3], patched[4] = counting(patched[3]), counting(patched[4])  # call_small, call_nogil
            self.rt._fast = tuple(patched)
        return self

    def __exit__(self, *exc: Any) -> None:
        del self.rt._call
        if self.saved is not None:
            self.rt._fast = self.saved


def test_guest_call_counter_counts(obj: Any) -> None:
    with GuestCalls(obj._wb_rt) as calls:
        obj.crypto_blake2b(64, b"abc")
    assert calls.count >= 1  # the function (and the reset, merged into it or apart): `rejected` can see calls


def rejected(obj: Any, exc: type, match: str, call: Callable[[], Any]) -> None:
    """`call` raises `exc` (message matching) before any guest call: guest memory and the instance untouched."""
    rt = obj._wb_rt
    before, generation = rt.read(0, rt.memory_size()), rt.generation
    with GuestCalls(rt) as calls:
        with pytest.raises(exc, match=match):
            call()
    assert calls.count == 0, "the guest was called before the arguments were rejected"
    assert rt.generation == generation
    assert rt.read(0, rt.memory_size()) == before
    assert obj.crypto_blake2b(64, b"abc") == hashlib.blake2b(b"abc").digest()  # still fine


@pytest.mark.parametrize("bad,name", [
    (None, "NoneType"), ("k" * 32, "str"), (12345, "int"), (list(range(32)), "list"), (True, "bool"),
    (1.5, "float"), (tuple(range(32)), "tuple"),
])
def test_non_bytes_for_bytes(obj: Any, bad: Any, name: str) -> None:
    rejected(obj, TypeError, rf"^key: expected a bytes-like object \(bytes, bytearray, memoryview or any buffer\), got {name}$",
             lambda: obj.crypto_aead_lock(bad, NONCE, b"", b"text"))
    rejected(obj, TypeError, rf"^message: expected a bytes-like object \(bytes, bytearray, memoryview or any buffer\), got {name}$",
             lambda: obj.crypto_blake2b(64, bad))


@pytest.mark.parametrize("n", [0, 31, 33, 1000])
def test_wrong_fixed_lengths(obj: Any, n: int) -> None:
    rejected(obj, ValueError, rf"^key: expected 32 bytes, got {n}$",
             lambda: obj.crypto_aead_lock(bytes(n), NONCE, b"", b"text"))
    rejected(obj, ValueError, rf"^mac: expected 16 bytes, got {n}$",
             lambda: obj.crypto_aead_unlock(bytes(n), KEY, NONCE, b"", b"text"))


def test_strided_and_non_contiguous_buffers(obj: Any) -> None:
    strided = memoryview(bytearray(64))[::2]
    rejected(obj, ValueError, "C-contiguous", lambda: obj.crypto_aead_lock(strided, NONCE, b"", b""))
    grid = memoryview(bytearray(64)).cast("B", (8, 8))
    assert obj.crypto_blake2b(64, grid.toreadonly())  # 2-D C-contiguous: accepted as its 64 bytes
    assert obj.crypto_blake2b(64, grid.toreadonly()) == hashlib.blake2b(bytes(64)).digest()
    import array
    wide = memoryview(array.array("I", range(8)))  # 32 bytes of uint32: a flat byte view of them
    assert obj.crypto_x25519_public_key(wide) == obj.crypto_x25519_public_key(bytes(wide))


@pytest.mark.parametrize("bad,exc,match", [
    (-1, OverflowError, r"^hash_size: -1 does not fit"),
    (2**32 + 16, OverflowError, r"^hash_size: 4294967312 does not fit"),
    (2**64, OverflowError, "does not fit"),
    (True, TypeError, r"^hash_size: expected int, got bool$"),
    (64.0, TypeError, r"^hash_size: expected int, got float$"),
    ("64", TypeError, r"^hash_size: expected int, got str$"),
    (None, TypeError, r"^hash_size: expected int, got NoneType$"),
])
def test_bad_int_parameters(obj: Any, bad: Any, exc: type, match: str) -> None:
    rejected(obj, exc, match, lambda: obj.crypto_blake2b(bad, b"abc"))


@pytest.mark.parametrize("size", [2**31, 2**31 + 16, 2**32 - 1])
def test_sizes_over_the_memory_cap_are_rejected_before_the_guest(obj: Any, mono_mod: Any, size: int) -> None:
    # 2**31 would be negative as an i32: it must never be wrapped and handed to the guest (crypto_argon2's
    # hash_size is an unbounded caller-given output size; BLAKE2b's is bounded by its contract, below)
    inputs = mono_mod.CryptoArgon2Inputs(pass_=b"password", salt=b"saltsalt")
    extras = mono_mod.CryptoArgon2Extras(key=b"", ad=b"")
    config = mono_mod.CryptoArgon2Config(algorithm=2, nb_blocks=8, nb_passes=1, nb_lanes=1)
    rejected(obj, ValueError, r"more than max_memory \(268435456 bytes\)",
             lambda: obj.crypto_argon2(size, config, inputs, extras))
    rejected(obj, ValueError, rf"^hash_size: {size} is more than 64, the most crypto_blake2b accepts$",
             lambda: obj.crypto_blake2b(size, b"abc"))


def test_c_contract_bounds_are_checked_before_the_guest(obj: Any, mono_mod: Any) -> None:
    """BLAKE2b's hash_size <= 64 and key_size <= 64 (guests/monocypher/monocypher.toml, [functions.F.max]).
    Unchecked, a 4009-byte key overflowed crypto_blake2b_keyed_init's key block inside the guest and silently
    corrupted its constants: every later hash of that instance was wrong (`rejected` checks a hash after)."""
    for n in (65, 129, 4009):
        rejected(obj, ValueError,
                 rf"^key: {n} bytes is more than 64, the most crypto_blake2b_keyed accepts \(key_size <= 64\)$",
                 lambda: obj.crypto_blake2b_keyed(64, os.urandom(n), b"message"))
    rejected(obj, ValueError, r"^hash_size: 65 is more than 64, the most crypto_blake2b_keyed accepts$",
             lambda: obj.crypto_blake2b_keyed(65, b"key", b"message"))
    rejected(obj, ValueError, r"^hash_size: 4096 is more than 64, the most crypto_blake2b accepts$",
             lambda: obj.crypto_blake2b(4096, b""))
    with mono_mod.CryptoBlake2bCtx(obj) as ctx:
        rejected(obj, ValueError, r"^hash_size: 100 is more than 64, the most crypto_blake2b_init accepts$",
                 lambda: obj.crypto_blake2b_init(ctx, 100))
        rejected(obj, ValueError, r"^key: 4009 bytes is more than 64, the most crypto_blake2b_keyed_init",
                 lambda: obj.crypto_blake2b_keyed_init(ctx, 64, os.urandom(4009)))
    # The bounds themselves are accepted.
    key = os.urandom(64)
    assert obj.crypto_blake2b_keyed(64, key, b"m") == hashlib.blake2b(b"m", key=key).digest()


def test_computed_size_over_the_cap(obj: Any, mono_mod: Any) -> None:
    # crypto_argon2's struct payloads (password, salt) travel in the call's block: the work area's computed size
    # and the memory cap are checked before anything is allocated or written
    password = os.urandom(40)
    inputs = mono_mod.CryptoArgon2Inputs(pass_=password, salt=b"saltsalt")
    extras = mono_mod.CryptoArgon2Extras(key=b"", ad=b"")
    config = mono_mod.CryptoArgon2Config(algorithm=2, nb_blocks=2**20, nb_passes=1, nb_lanes=1)  # 1 GiB
    rejected(obj, ValueError, "more than max_memory", lambda: obj.crypto_argon2(32, config, inputs, extras))
    config = mono_mod.CryptoArgon2Config(algorithm=2, nb_blocks=2**31, nb_passes=1, nb_lanes=1)  # 2 TiB
    rejected(obj, OverflowError, "work_area: 2199023255552 does not fit",
             lambda: obj.crypto_argon2(32, config, inputs, extras))
    bad = mono_mod.CryptoArgon2Config(algorithm=2, nb_blocks=2**32, nb_passes=1, nb_lanes=1)
    rejected(obj, OverflowError, "nb_blocks", lambda: obj.crypto_argon2(32, bad, inputs, extras))


@pytest.fixture(scope="module")
def sparse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[int], memoryview]]:
    """Read-only memoryviews over sparse files: huge inputs that cost no RAM unless they are read."""
    maps: list[tuple[mmap.mmap, memoryview]] = []

    def view(size: int) -> memoryview:
        path = Path(tmp_path_factory.mktemp("sparse")) / f"{size}.bin"
        with open(path, "wb") as f:
            f.truncate(size)
        with open(path, "rb") as f:
            m = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        v = memoryview(m)
        maps.append((m, v))
        return v

    yield view
    for m, v in maps:
        v.release()
        m.close()


@pytest.mark.parametrize("size,exc,match", [
    (256 * 1024 * 1024 + 1, ValueError, "more than max_memory"),
    (2**31, ValueError, "more than max_memory"),
    (2**32 + 16, OverflowError, r"message_size: 4294967312 does not fit"),
])
def test_huge_inputs_never_reach_the_guest(obj: Any, sparse: Callable[[int], memoryview], size: int, exc: type,
                                           match: str) -> None:
    rejected(obj, exc, match, lambda: obj.crypto_blake2b(64, sparse(size)))


def test_input_just_under_a_small_cap_is_guest_out_of_memory(mono_mod: Any) -> None:
    o = mono_mod.Monocypher(max_memory=4 << 20)  # monocypher.wasm starts at 17 pages (1.06 MiB)
    with pytest.raises(mono_mod.GuestError, match="out of memory"):
        o.crypto_blake2b(64, bytes(3 << 20))
    assert o._wb_rt.generation == 0
    assert o.crypto_blake2b(64, bytes(1 << 20)) == hashlib.blake2b(bytes(1 << 20)).digest()


@pytest.mark.parametrize("bad,exc", [
    (["1", 2], TypeError), ([2**31, 1], OverflowError), ([1.5, 2], TypeError), (None, TypeError), ("12", TypeError),
    (b"\x01\x02\x03", ValueError),  # raw bytes must be a whole number of int32 elements
])
def test_bad_int_arrays(twosum: Any, bad: Any, exc: type) -> None:
    rt = twosum._wb_rt
    before = rt.read(0, rt.memory_size())
    with pytest.raises(exc):
        twosum.two_sum(bad, 3)
    assert rt.read(0, rt.memory_size()) == before
    assert twosum.two_sum([5, 1, 2], 3) is not None  # still answers


def test_constructor_arguments(mono_mod: Any, tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="wasm: expected bytes, a path or None, got int"):
        mono_mod.Monocypher(3)
    with pytest.raises(mono_mod.LoadError, match="cannot read"):
        mono_mod.Monocypher(tmp_path / "missing.wasm")
    with pytest.raises(mono_mod.LoadError, match="invalid wasm"):
        mono_mod.Monocypher(b"\0asm\x01\0\0\0garbage")
    with pytest.raises(mono_mod.LoadError, match="more than max_memory"):
        mono_mod.Monocypher(max_memory=1 << 20)  # monocypher.wasm needs 17 pages initially
    with pytest.raises(ValueError, match="max_memory"):
        mono_mod.Monocypher(max_memory=2**32 + 16)
    with pytest.raises(TypeError, match="timeout"):
        mono_mod.Monocypher(timeout="10")
