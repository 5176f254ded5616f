"""Threads: 8 threads x 10,000 calls on ONE generated Monocypher object, both call paths; every result is
checked against hashlib (plain and keyed BLAKE2b, scratch-block and arena-block sizes, streaming through handles
created and dropped concurrently). The instance lock serialises the calls; results must never mix."""

from __future__ import annotations

import hashlib
import os
import threading
import time
from typing import Any

import pytest

THREADS, CALLS = 8, 10_000


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "public"])
def test_eight_threads_share_one_object(mono_mod: Any, monkeypatch: pytest.MonkeyPatch, fast: bool) -> None:
    monkeypatch.setenv("WASM_BIND_NO_FAST", "0" if fast else "1")
    obj = mono_mod.Monocypher()
    assert obj._wb_rt.fast is fast
    big = os.urandom(20_000)  # larger than the scratch block: arena path
    failures: list[str] = []
    start = threading.Barrier(THREADS)

    def work(t: int) -> None:
        key = bytes([t]) * 32
        start.wait()
        try:
            for i in range(CALLS):
                msg = f"{t}:{i}".encode() * (1 + i % 5)
                size = 1 + (i * 7 + t) % 64
                if i % 1000 == 999:
                    msg = big[: 17_000 + t]
                if i % 2:
                    got = obj.crypto_blake2b_keyed(size, key, msg)
                    want = hashlib.blake2b(msg, key=key, digest_size=size).digest()
                elif i % 500 == 250:
                    with mono_mod.CryptoBlake2bCtx(obj) as ctx:
                        obj.crypto_blake2b_init(ctx, size)
                        obj.crypto_blake2b_update(ctx, msg)
                        obj.crypto_blake2b_update(ctx, key)
                        got = obj.crypto_blake2b_final(ctx)
                    want = hashlib.blake2b(msg + key, digest_size=size).digest()
                else:
                    got = obj.crypto_blake2b(size, msg)
                    want = hashlib.blake2b(msg, digest_size=size).digest()
                if got != want:
                    failures.append(f"thread {t} call {i}")
        except Exception as e:  # noqa: BLE001 - reported below
            failures.append(f"thread {t}: {e!r}")

    threads = [threading.Thread(target=work, args=(t,)) for t in range(THREADS)]
    t0 = time.monotonic()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert failures == []
    assert time.monotonic() - t0 < 60
    assert obj._wb_rt.generation == 0 and not obj._wb_rt._deferred
