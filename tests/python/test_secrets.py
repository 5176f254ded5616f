"""Secrets: after every call through the generated Monocypher module (success, status error, trap/timeout),
no 8-byte window of the key, the plaintext or the outputs remains anywhere in guest memory (arena, scratch
block, C stack: guest-kit/wb_arena.c's bump_reset wipes the dead stack), and handle blocks are wiped on
close() and on garbage collection. Both call paths. What cannot be wiped is listed in docs/safety.md.
"""

from __future__ import annotations

import gc
import os
import re
from typing import Any, Iterable

import pytest

CASES = 5  # the first calls of a function and the later ones (merged with the reset on the fast path)


def windows(*secrets: bytes) -> set[bytes]:
    return {s[i:i + 8] for s in secrets for i in range(len(s) - 7)}


def memory_windows(mem: bytes) -> set[bytes]:
    """Every 8-byte window of `mem` that is not all zero (found from the runs of nonzero bytes: fast)."""
    found: set[bytes] = set()
    for run in re.finditer(rb"[^\x00]+", mem):
        lo, hi = max(0, run.start() - 7), min(len(mem), run.end() + 7)
        found.update(mem[i:i + 8] for i in range(lo, hi - 7))
    return found


def leftovers(rt: Any, *secrets: bytes) -> list[bytes]:
    """The 8-byte windows of `secrets` found anywhere in the guest's linear memory."""
    return sorted(windows(*secrets) & memory_windows(rt.read(0, rt.memory_size())))


@pytest.fixture(params=[True, False], ids=["fast", "public"])
def obj(request: pytest.FixtureRequest, mono_mod: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("WASM_BIND_NO_FAST", "0" if request.param else "1")
    o = mono_mod.Monocypher()
    assert o._wb_rt.fast is request.param
    return o


def secret(n: int) -> bytes:
    return os.urandom(n)


@pytest.mark.parametrize("size", [1, 100, 5000, 100_000])  # scratch block and arena blocks
def test_aead_leaves_nothing(obj: Any, size: int) -> None:
    for _ in range(CASES):
        key, nonce, plain = secret(32), secret(24), secret(size + 8)
        cipher, mac = obj.crypto_aead_lock(key, nonce, b"ad", plain)
        assert leftovers(obj._wb_rt, key, plain, cipher, mac) == []
        assert obj.crypto_aead_unlock(mac, key, nonce, b"ad", cipher) == plain
        assert leftovers(obj._wb_rt, key, plain, cipher, mac) == []


@pytest.mark.parametrize("size", [100, 100_000])
def test_repeated_hashing_leaves_nothing(obj: Any, size: int) -> None:
    """Keyed BLAKE2b leaves its key on the C stack: wiped by the reset on every call, first or merged."""
    for _ in range(CASES):
        key, msg = secret(32), secret(size)
        out = obj.crypto_blake2b_keyed(64, key, msg)
        assert leftovers(obj._wb_rt, key, msg, out) == []
        assert leftovers(obj._wb_rt, msg, obj.crypto_blake2b(64, msg)) == []


def test_status_error_leaves_nothing(obj: Any, mono_mod: Any) -> None:
    key, nonce, plain = secret(32), secret(24), secret(300)
    cipher, mac = obj.crypto_aead_lock(key, nonce, b"", plain)
    forged = bytes([mac[0] ^ 1]) + mac[1:]
    with pytest.raises(mono_mod.StatusError):
        obj.crypto_aead_unlock(forged, key, nonce, b"", cipher)
    assert leftovers(obj._wb_rt, key, plain, cipher) == []


@pytest.mark.parametrize("call", ["blake2b_keyed", "x25519", "eddsa_sign", "chacha20_x"])
def test_other_functions_leave_nothing(obj: Any, call: str) -> None:
    key, msg = secret(32), secret(777)
    if call == "blake2b_keyed":  # crypto_blake2b_keyed_init leaves the key on the C stack: the shim wipes it
        outs: Iterable[bytes] = [obj.crypto_blake2b_keyed(64, key, msg)]
    elif call == "x25519":
        outs = [obj.crypto_x25519(key, obj.crypto_x25519_public_key(secret(32)))]
    elif call == "eddsa_sign":
        sk, pk, _ = obj.crypto_eddsa_key_pair(bytearray(key))
        outs = [sk, obj.crypto_eddsa_sign(sk, msg)]
    else:
        outs = [obj.crypto_chacha20_x(msg, key, secret(24), 0)[0]]
    assert leftovers(obj._wb_rt, key, msg, *outs) == []


def test_timeout_mid_computation_wipes_everything(mono_mod: Any) -> None:
    """A call interrupted by its timeout while the password and the work area are in guest memory."""
    o = mono_mod.Monocypher(timeout=0.05)
    rt = o._wb_rt
    password, salt = secret(64), secret(16)
    config = mono_mod.CryptoArgon2Config(algorithm=2, nb_blocks=64 * 1024, nb_passes=50, nb_lanes=1)
    old_store, old_memory = rt._store, rt._memory
    with pytest.raises(mono_mod.TrapError) as info:
        o.crypto_argon2(32, config, mono_mod.CryptoArgon2Inputs(pass_=password, salt=salt),
                        mono_mod.CryptoArgon2Extras(key=b"", ad=b""))
    assert type(info.value).__name__ == "TimeoutError"
    old = bytes(old_memory.read(old_store, 0, old_memory.data_len(old_store)))
    assert old.count(0) == len(old)  # the interrupted instance's memory: all zero
    assert leftovers(rt, password, salt) == []
    assert o.crypto_blake2b(64, b"abc") == __import__("hashlib").blake2b(b"abc").digest()


def handle_block(h: Any) -> bytes:
    return h._wb_rt.read(h._wb_ptr, 216)


@pytest.mark.parametrize("drop", ["close", "with", "gc"])
def test_handles_are_wiped_on_close_and_gc(obj: Any, mono_mod: Any, drop: str) -> None:
    key, msg = secret(64), secret(500)
    rt = obj._wb_rt
    ctx = mono_mod.CryptoBlake2bCtx(obj)
    ptr = ctx._wb_ptr
    obj.crypto_blake2b_keyed_init(ctx, 64, key)
    obj.crypto_blake2b_update(ctx, msg)
    assert handle_block(ctx) != bytes(216)  # the state is in the block while the handle lives
    if drop == "close":
        ctx.close()
    elif drop == "with":
        with ctx:
            pass
    else:
        del ctx
        gc.collect()
    assert rt.read(ptr, 216) == bytes(216)
    assert leftovers(rt, key, msg) == []


def test_process_exit_and_object_gc_wipe_the_instance(mono_mod: Any) -> None:
    o = mono_mod.Monocypher()
    rt = o._wb_rt
    store, memory = rt._store, rt._memory
    ctx = mono_mod.CryptoBlake2bCtx(o)
    key = secret(64)
    o.crypto_blake2b_keyed_init(ctx, 64, key)
    assert windows(key) & {bytes(memory.read(store, ctx._wb_ptr + i, ctx._wb_ptr + i + 8)) for i in range(216)}
    del o, ctx, rt
    gc.collect()
    mem = bytes(memory.read(store, 0, memory.data_len(store)))
    assert mem.count(0) == len(mem)  # the object's finalizer zeroed all of linear memory

