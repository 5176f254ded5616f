"""Stand-in for the generated module until the emitter lands: methods shaped like the generated ones.

Each method validates its arguments with `_wb_bytes`/`_wb_int` and makes exactly one `_WbInstance.invoke`
(one arena block, offsets relative to it), as templates/python/method.py.j2 does.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

RUNTIME = Path(__file__).resolve().parents[2] / "python" / "wasm_bind_runtime" / "_runtime.py"
U32 = (0, 0xFFFFFFFF)


def load_runtime() -> ModuleType:
    spec = importlib.util.spec_from_file_location("wb_bench_runtime", RUNTIME)
    if spec is None or spec.loader is None:
        raise ImportError(RUNTIME)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


rt = load_runtime()


class InvokeMonocypher:
    def __init__(self, wasm_path: str, fast: bool | None = None, **options: Any) -> None:
        self._wb_rt: Any = rt._WbInstance(None, wasm_path, ("crypto_aead_lock", "crypto_aead_unlock",
                                                            "crypto_blake2b"), fast=fast, **options)

    def crypto_aead_lock(self, key: Any, nonce: Any, ad: Any, plain_text: Any) -> tuple[bytes, bytes]:
        key = rt._wb_bytes(key, "key", 32)
        nonce = rt._wb_bytes(nonce, "nonce", 24)
        ad = rt._wb_bytes(ad, "ad")
        plain_text = rt._wb_bytes(plain_text, "plain_text")
        a, n = len(ad), len(plain_text)
        _wb_ret, _wb_out = self._wb_rt.invoke(
            0, "crypto_aead_lock", n + 72 + a + n,
            ((n + 16, key), (n + 48, nonce), (n + 72, ad), (n + 72 + a, plain_text)),
            (0, n, n + 16, n + 48, n + 72, a, n + 72 + a, n), (0, 1, 2, 3, 4, 6), ((0, n), (n, 16)))
        return _wb_out[0], _wb_out[1]

    def crypto_aead_unlock(self, mac: Any, key: Any, nonce: Any, ad: Any, cipher_text: Any) -> bytes:
        mac = rt._wb_bytes(mac, "mac", 16)
        key = rt._wb_bytes(key, "key", 32)
        nonce = rt._wb_bytes(nonce, "nonce", 24)
        ad = rt._wb_bytes(ad, "ad")
        cipher_text = rt._wb_bytes(cipher_text, "cipher_text")
        a, n = len(ad), len(cipher_text)
        _wb_ret, _wb_out = self._wb_rt.invoke(
            1, "crypto_aead_unlock", n + 72 + a + n,
            ((n, mac), (n + 16, key), (n + 48, nonce), (n + 72, ad), (n + 72 + a, cipher_text)),
            (0, n, n + 16, n + 48, n + 72, a, n + 72 + a, n), (0, 1, 2, 3, 4, 6), ((0, n),))
        if _wb_ret != 0:
            raise rt.StatusError("crypto_aead_unlock", _wb_ret)
        return _wb_out[0]  # type: ignore[no-any-return]

    def crypto_blake2b(self, message: Any, hash_size: int = 64) -> bytes:
        message = rt._wb_bytes(message, "message")
        hash_size = rt._wb_int(hash_size, "hash_size", *U32)
        m = len(message)
        _wb_ret, _wb_out = self._wb_rt.invoke(
            2, "crypto_blake2b", hash_size + m, ((hash_size, message),), (0, hash_size, hash_size, m), (0, 2),
            ((0, hash_size),))
        return _wb_out[0]  # type: ignore[no-any-return]


class InvokeTwoSum:
    def __init__(self, wasm_path: str, fast: bool | None = None) -> None:
        self._wb_rt: Any = rt._WbInstance(None, wasm_path, ("two_sum",), fast=fast)

    def two_sum(self, nums_le_i32: Any, target: int) -> int:
        nums = rt._wb_bytes(nums_le_i32, "nums")
        target = rt._wb_int(target, "target", -0x80000000, 0x7FFFFFFF)
        n = len(nums)
        _wb_ret, _ = self._wb_rt.invoke(0, "two_sum", n, ((0, nums),), (0, n // 4, target), (0,), ())
        return _wb_ret  # type: ignore[no-any-return]
