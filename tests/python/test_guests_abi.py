"""ABI checks for the no-libc wasm32 guests built by guests/build.sh.

Uses wasmtime-py directly (no generated bindings): the arena ABI
(bump_alloc / bump_reset / wb_persist_alloc / wb_persist_free), Monocypher
results against hashlib / pymonocypher / RFC 8032, and the twosum guest.
"""

from __future__ import annotations

import hashlib
import importlib
import random
import re
import struct
from pathlib import Path
from typing import Any

import pytest
import wasmtime

# pymonocypher (PyPI) ships no type stubs; import dynamically so mypy sees Any.
pymono: Any = importlib.import_module("monocypher")

ROOT = Path(__file__).resolve().parents[2]
GUESTS = ROOT / "target" / "guests"
ARENA_FNS = {"bump_alloc", "bump_reset", "wb_reset_wiped", "wb_persist_alloc", "wb_persist_free"}
PAGE = 65536


class Guest:
    """One fresh instance of a guest module."""

    def __init__(self, name: str) -> None:
        path = GUESTS / name / f"{name}.wasm"
        assert path.is_file(), f"{path} missing: run `bash guests/build.sh`"
        self.engine = wasmtime.Engine()
        self.module = wasmtime.Module.from_file(self.engine, str(path))
        self.store = wasmtime.Store(self.engine)
        self.instance = wasmtime.Instance(self.store, self.module, [])
        self.exports = self.instance.exports(self.store)
        mem = self.exports["memory"]
        assert isinstance(mem, wasmtime.Memory)
        self.memory = mem

    def call(self, name: str, *args: Any) -> Any:
        fn = self.exports[name]
        assert isinstance(fn, wasmtime.Func)
        return fn(self.store, *args)

    def alloc(self, size: int) -> int:
        ptr = self.call("bump_alloc", size)
        assert ptr != 0, f"bump_alloc({size}) failed"
        return int(ptr)

    def put(self, data: bytes) -> int:
        ptr = self.alloc(len(data))
        self.memory.write(self.store, data, ptr)
        return ptr

    def read(self, ptr: int, n: int) -> bytes:
        return bytes(self.memory.read(self.store, ptr, ptr + n))

    def mem_bytes(self) -> int:
        return int(self.memory.data_len(self.store))


@pytest.fixture
def mono() -> Guest:
    return Guest("monocypher")


@pytest.fixture
def twosum() -> Guest:
    return Guest("twosum")


def header_functions(path: Path) -> set[str]:
    text = re.sub(r"/\*.*?\*/|//[^\n]*", "", path.read_text(), flags=re.DOTALL)
    return set(re.findall(r"^[A-Za-z_][\w \t\*]*?\b([A-Za-z_]\w*)\s*\(", text, flags=re.MULTILINE))


# --------------------------------------------------------------------------
# Layout and exports


@pytest.mark.parametrize(
    "guest,headers",
    [
        ("monocypher", ["monocypher.h", "monocypher-ed25519.h"]),
        ("twosum", ["twosum.h"]),
    ],
)
def test_output_layout_and_exports(guest: str, headers: list[str]) -> None:
    g = Guest(guest)
    exported = {e.name for e in g.module.exports}
    assert not list(g.module.imports), "guests must be self-contained (no imports)"
    declared: set[str] = set()
    for h in headers:
        hp = GUESTS / guest / h
        assert hp.is_file(), hp
        declared |= header_functions(hp)
    assert len(declared) >= 1
    assert declared <= exported, f"not exported: {sorted(declared - exported)}"
    assert ARENA_FNS | {"memory"} <= exported
    if guest == "monocypher":
        assert len(declared) == 59, sorted(declared)  # 51 core + 8 ed25519/sha512


# --------------------------------------------------------------------------
# Arena ABI


def test_bump_alloc_aligned_zeroed_distinct(mono: Guest) -> None:
    ptrs = [mono.alloc(n) for n in (1, 0, 15, 16, 17, 100, 4096, 3)]
    assert all(p % 16 == 0 for p in ptrs)
    assert len(set(ptrs)) == len(ptrs)
    heap_base = mono.exports["__heap_base"]
    assert isinstance(heap_base, wasmtime.Global)
    assert all(p >= int(heap_base.value(mono.store)) for p in ptrs)
    for p in ptrs:
        assert mono.read(p, 16) == bytes(16)


def test_bump_reset_zeroes_and_rewinds(mono: Guest) -> None:
    first = mono.alloc(32)
    spans = [(first, 32)]
    # Spread data over several arena chunks (chunks are 256 KiB).
    for n in (1000, 300_000, 50, 1 << 20, 70_000):
        spans.append((mono.alloc(n), n))
    rng = random.Random(1)
    for p, n in spans:
        mono.memory.write(mono.store, bytes(rng.randrange(1, 256) for _ in range(min(n, 4096))), p)
        mono.memory.write(mono.store, b"\xff" * 16, p + n - 16 if n >= 16 else p)
    # Guest-written output (crypto_blake2b writes into arena memory).
    out = mono.alloc(64)
    msg = mono.put(b"abc")
    mono.call("crypto_blake2b", out, 64, msg, 3)
    assert mono.read(out, 64) != bytes(64)
    spans += [(out, 64), (msg, 16)]

    mono.call("bump_reset")
    for p, n in spans:
        assert mono.read(p, n) == bytes(n), f"arena bytes at {p:#x} not wiped"
    # Rewound: the first allocation after a reset reuses the first slot.
    assert mono.alloc(8) == first
    mono.call("bump_reset")
    # Repeated cycles don't grow memory once the chunks exist.
    size = mono.mem_bytes()
    for _ in range(5):
        for _, n in spans:
            mono.alloc(n)
        mono.call("bump_reset")
    assert mono.mem_bytes() == size


def test_reset_wiped_skips_only_the_hosts_block(mono: Guest) -> None:
    """wb_reset_wiped(p, n) zeroes and rewinds the arena like bump_reset except the n bytes at p (the host zeroed
    them itself): a marker left there survives, every other arena byte (before, after, other chunks) is zeroed."""
    first = mono.alloc(32)
    spans = [(first, 32)]
    for n in (1000, 300_000, 4096, 70_000):
        spans.append((mono.alloc(n), n))
    for p, n in spans:
        mono.memory.write(mono.store, b"\xab" * n, p)
    host, n_host = spans[3]  # the 4 KiB block in the middle of the second chunk: "wiped by the host"
    mono.call("wb_reset_wiped", host, n_host)
    for p, n in spans:
        assert mono.read(p, n) == (b"\xab" * n if p == host else bytes(n)), f"arena bytes at {p:#x}"
    assert mono.alloc(8) == first  # rewound
    mono.memory.write(mono.store, bytes(n_host), host)
    mono.call("wb_reset_wiped", 0xFFFFFF00, 0x1000)  # a range past the end of memory (wraps): a plain reset
    assert mono.alloc(8) == first


def test_bump_alloc_grows_memory_and_fails_cleanly(mono: Guest) -> None:
    before = mono.mem_bytes()
    p = mono.alloc(8 << 20)
    assert mono.mem_bytes() >= before + (8 << 20)
    assert p + (8 << 20) <= mono.mem_bytes()
    assert mono.read(p + (8 << 20) - 64, 64) == bytes(64)
    # Size overflow returns NULL.
    assert mono.call("bump_alloc", 0xFFFFFFFF) == 0
    assert mono.call("bump_alloc", 0xFFFFFFF8) == 0
    mono.call("bump_reset")


def test_refused_grow_returns_null() -> None:
    g = Guest("monocypher")
    g.store.set_limits(memory_size=32 << 20)  # memory.grow fails beyond 32 MiB
    assert g.call("bump_alloc", 40 << 20) == 0
    assert g.call("wb_persist_alloc", 40 << 20) == 0
    # The failed requests left the allocators usable.
    p = g.alloc(16 << 20)
    assert p % 16 == 0 and g.mem_bytes() <= 32 << 20
    q = g.call("wb_persist_alloc", 64)
    assert q != 0 and q % 16 == 0
    g.call("bump_reset")
    assert g.alloc(16 << 20) == p


def test_persistent_blocks_survive_reset(mono: Guest) -> None:
    """crypto_blake2b_ctx lives in a persistent block across arena resets."""
    ctx = mono.call("wb_persist_alloc", 216)  # sizeof(crypto_blake2b_ctx) on wasm32
    assert ctx != 0 and ctx % 16 == 0
    assert mono.read(ctx, 256) == bytes(256)
    mono.call("crypto_blake2b_init", ctx, 64)
    chunks = [bytes(range(256)) * 7, b"hello", b"", b"x" * 300_000, b"tail"]
    for c in chunks:
        p = mono.put(c)
        mono.call("crypto_blake2b_update", ctx, p, len(c))
        other = mono.call("wb_persist_alloc", 100)  # interleaved persistent allocs
        assert other != 0
        mono.call("bump_reset")
    out = mono.alloc(64)
    mono.call("crypto_blake2b_final", ctx, out)
    assert mono.read(out, 64) == hashlib.blake2b(b"".join(chunks), digest_size=64).digest()

    # Free wipes the whole block and makes it reusable (zeroed again).
    mono.call("crypto_blake2b_init", ctx, 32)
    assert mono.read(ctx, 216) != bytes(216)
    mono.call("wb_persist_free", ctx, 216)
    assert mono.read(ctx, 256) == bytes(256)
    again = mono.call("wb_persist_alloc", 200)  # same size class (256)
    assert again == ctx
    assert mono.read(again, 256) == bytes(256)
    mono.call("wb_persist_free", 0, 10)  # NULL is a no-op
    assert mono.call("wb_persist_alloc", 0xFFFFFFFF) == 0


# --------------------------------------------------------------------------
# Monocypher results


@pytest.mark.parametrize("n", [0, 1, 3, 127, 128, 129, 1000, 65_536, 1_000_003])
@pytest.mark.parametrize("hash_size", [64, 32, 1])
def test_blake2b_matches_hashlib(mono: Guest, n: int, hash_size: int) -> None:
    msg = random.Random(n).randbytes(n)
    out = mono.alloc(hash_size)
    p = mono.put(msg)
    mono.call("crypto_blake2b", out, hash_size, p, n)
    assert mono.read(out, hash_size) == hashlib.blake2b(msg, digest_size=hash_size).digest()
    mono.call("bump_reset")


def test_blake2b_keyed_matches_hashlib(mono: Guest) -> None:
    key, msg = b"k" * 32, b"keyed message"
    out, k, m = mono.alloc(64), mono.put(key), mono.put(msg)
    mono.call("crypto_blake2b_keyed", out, 64, k, len(key), m, len(msg))
    assert mono.read(out, 64) == hashlib.blake2b(msg, key=key, digest_size=64).digest()


@pytest.mark.parametrize("n", [0, 1, 64, 1000, 100_000])
def test_aead_lock_matches_pymonocypher(mono: Guest, n: int) -> None:
    rng = random.Random(n + 7)
    key, nonce = rng.randbytes(32), rng.randbytes(24)
    msg, ad = rng.randbytes(n), rng.randbytes(n % 37)
    want_mac, want_ct = pymono.lock(key, nonce, msg, associated_data=ad)

    ct, mac = mono.alloc(n), mono.alloc(16)
    k, nn, a, m = mono.put(key), mono.put(nonce), mono.put(ad), mono.put(msg)
    mono.call("crypto_aead_lock", ct, mac, k, nn, a, len(ad), m, n)
    assert mono.read(mac, 16) == bytes(want_mac)
    assert mono.read(ct, n) == bytes(want_ct)

    pt = mono.alloc(n)
    assert mono.call("crypto_aead_unlock", pt, mac, k, nn, a, len(ad), ct, n) == 0
    assert mono.read(pt, n) == msg
    mono.memory.write(mono.store, bytes([mono.read(mac, 1)[0] ^ 1]), mac)
    assert mono.call("crypto_aead_unlock", pt, mac, k, nn, a, len(ad), ct, n) == -1
    mono.call("bump_reset")


def test_eddsa_matches_pymonocypher(mono: Guest) -> None:
    seed = bytes(range(32))
    sk, pk, s = mono.alloc(64), mono.alloc(32), mono.put(seed)
    mono.call("crypto_eddsa_key_pair", sk, pk, s)
    assert mono.read(s, 32) == bytes(32), "Monocypher wipes the seed"
    msg = b"sign me"
    sig, m = mono.alloc(64), mono.put(msg)
    mono.call("crypto_eddsa_sign", sig, sk, m, len(msg))
    want = pymono.signature_sign(mono.read(sk, 64), msg)
    assert mono.read(sig, 64) == bytes(want)
    assert mono.call("crypto_eddsa_check", sig, pk, m, len(msg)) == 0
    assert pymono.signature_check(bytes(want), mono.read(pk, 32), msg)


def test_ed25519_rfc8032_test1(mono: Guest) -> None:
    seed = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
    pub = bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
    sig_hex = (
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
        "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
    )
    sk, pk, s = mono.alloc(64), mono.alloc(32), mono.put(seed)
    mono.call("crypto_ed25519_key_pair", sk, pk, s)
    assert mono.read(pk, 32) == pub
    sig = mono.alloc(64)
    mono.call("crypto_ed25519_sign", sig, sk, 0, 0)
    assert mono.read(sig, 64).hex() == sig_hex
    assert mono.call("crypto_ed25519_check", sig, pk, 0, 0) == 0


def test_sha512_matches_hashlib(mono: Guest) -> None:
    msg = b"The quick brown fox" * 100
    out, m = mono.alloc(64), mono.put(msg)
    mono.call("crypto_sha512", out, m, len(msg))
    assert mono.read(out, 64) == hashlib.sha512(msg).digest()


# --------------------------------------------------------------------------
# twosum


def two_sum_ref(nums: list[int], target: int) -> int:
    first: dict[int, int] = {}
    for j, v in enumerate(nums):
        i = first.get(target - v)
        if i is not None:
            return (i << 32) | j
        first.setdefault(v, j)
    return -1


def run_two_sum(g: Guest, nums: list[int], target: int) -> int:
    p = g.put(struct.pack(f"<{len(nums)}i", *nums))
    r = int(g.call("two_sum", p, len(nums), target))
    g.call("bump_reset")
    return r


def test_two_sum_examples(twosum: Guest) -> None:
    assert run_two_sum(twosum, [2, 7, 11, 15], 9) == (0 << 32) | 1
    assert run_two_sum(twosum, [3, 2, 4], 6) == (1 << 32) | 2
    assert run_two_sum(twosum, [3, 3], 6) == (0 << 32) | 1
    assert run_two_sum(twosum, [3], 6) == -1
    assert run_two_sum(twosum, [], 0) == -1
    assert run_two_sum(twosum, [1, 2, 3], 100) == -1
    imax, imin = 2**31 - 1, -(2**31)
    # No int32 wrap-around: imax + 1 must not "equal" imin.
    assert run_two_sum(twosum, [imax, 1], imin) == -1
    assert run_two_sum(twosum, [imin, imax], -1) == (0 << 32) | 1
    assert run_two_sum(twosum, [5, -5, 0, 0], 0) == (0 << 32) | 1


def test_two_sum_random_against_reference(twosum: Guest) -> None:
    rng = random.Random(42)
    for trial in range(200):
        n = rng.randrange(0, 300)
        span = rng.choice([5, 1000, 2**31 - 1])
        nums = [rng.randrange(-span, span) for _ in range(n)]
        target = rng.randrange(-span, span) if trial % 3 else (nums[-1] + nums[0] if nums else 0)
        target = max(-(2**31), min(2**31 - 1, target))
        assert run_two_sum(twosum, nums, target) == two_sum_ref(nums, target), (
            nums,
            target,
        )


def test_two_sum_large_and_arena_wiped(twosum: Guest) -> None:
    n = 200_000
    nums = list(range(0, 2 * n, 2))  # even numbers; pair only at the very end
    p = twosum.put(struct.pack(f"<{n}i", *nums))
    target = nums[-1] + nums[-2]
    r = int(twosum.call("two_sum", p, n, target))
    assert (r >> 32, r & 0xFFFFFFFF) == (n - 2, n - 1)
    # The hash table (524288 slots * 8 bytes) came from the arena, right after
    # the input (plus at most one 16-byte chunk header); reset wipes it.
    table_span = 16 + 8 * 524288
    assert twosum.read(p + 4 * n, table_span) != bytes(table_span)
    twosum.call("bump_reset")
    assert twosum.read(p, 4 * n) == bytes(4 * n)
    # (skip the possible chunk header: it is arena metadata, not handed-out bytes)
    assert twosum.read(p + 4 * n + 16, table_span - 16) == bytes(table_span - 16)
