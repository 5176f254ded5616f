"""Hand-written wasmtime-py wrapper in the style of a typical blog article: the benchmark's baseline.

One bump_alloc per buffer through the public `Func.__call__`, `Memory.write`/`Memory.read`, exports looked
up by name on every call, bump_reset in `finally`. Correct, but every step pays wasmtime-py's public-API cost.
"""

from __future__ import annotations

import wasmtime


class HandwrittenMonocypher:
    def __init__(self, wasm_path: str, epochs: bool = False) -> None:
        """`epochs`: compile with epoch interruption, as wasm-bind's engine does for its timeouts (the checks in
        the guest's loops cost long computations up to ~15%): the same guest code, so that only the glue differs.
        The deadline is never reached (nothing advances this engine's epoch)."""
        config = wasmtime.Config()
        config.epoch_interruption = epochs
        self.engine = wasmtime.Engine(config)
        self.store = wasmtime.Store(self.engine)
        if epochs:
            self.store.set_epoch_deadline(1 << 62)
        module = wasmtime.Module.from_file(self.engine, wasm_path)
        self.instance = wasmtime.Instance(self.store, module, [])
        self.exports = self.instance.exports(self.store)
        memory = self.exports["memory"]
        if not isinstance(memory, wasmtime.Memory):
            raise TypeError("export 'memory' is not a memory")
        self.memory = memory

    def _call(self, name: str, *args: int) -> int:
        return self.exports[name](self.store, *args)  # type: ignore[operator,no-any-return]

    def _put(self, data: bytes) -> int:
        ptr = self._call("bump_alloc", max(len(data), 1))
        if ptr == 0:
            raise MemoryError("bump_alloc failed")
        if data:
            self.memory.write(self.store, data, ptr)
        return ptr

    def _out(self, size: int) -> int:
        ptr = self._call("bump_alloc", max(size, 1))
        if ptr == 0:
            raise MemoryError("bump_alloc failed")
        return ptr

    def _get(self, ptr: int, size: int) -> bytes:
        return bytes(self.memory.read(self.store, ptr, ptr + size))

    def aead_lock(self, key: bytes, nonce: bytes, plain: bytes, ad: bytes = b"") -> tuple[bytes, bytes]:
        try:
            k, n, a, p = self._put(key), self._put(nonce), self._put(ad), self._put(plain)
            c, mac = self._out(len(plain)), self._out(16)
            self._call("crypto_aead_lock", c, mac, k, n, a, len(ad), p, len(plain))
            return self._get(c, len(plain)), self._get(mac, 16)
        finally:
            self._call("bump_reset")

    def aead_unlock(self, key: bytes, nonce: bytes, mac: bytes, cipher: bytes, ad: bytes = b"") -> bytes:
        try:
            k, n, m, a, c = self._put(key), self._put(nonce), self._put(mac), self._put(ad), self._put(cipher)
            p = self._out(len(cipher))
            if self._call("crypto_aead_unlock", p, m, k, n, a, len(ad), c, len(cipher)) != 0:
                raise ValueError("forged message")
            return self._get(p, len(cipher))
        finally:
            self._call("bump_reset")

    def blake2b(self, message: bytes) -> bytes:
        try:
            m, h = self._put(message), self._out(64)
            self._call("crypto_blake2b", h, 64, m, len(message))
            return self._get(h, 64)
        finally:
            self._call("bump_reset")

    def two_sum(self, nums_le_i32: bytes, target: int) -> int:
        try:
            p = self._put(nums_le_i32)
            return self._call("two_sum", p, len(nums_le_i32) // 4, target)
        finally:
            self._call("bump_reset")
