"""Tests of the Python runtime generated modules use (python/wasm_bind_runtime/_runtime.py).

Runs every behaviour on both call paths (fast C-API path and public wasmtime-py fallback) against the real
Monocypher guest, plus tiny .wat guests for ABI violations, memory growth and 64-bit values.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import wasmtime

ROOT = Path(__file__).resolve().parents[2]
RUNTIME = ROOT / "python" / "wasm_bind_runtime" / "_runtime.py"
MONO_WASM = ROOT / "target" / "guests" / "monocypher" / "monocypher.wasm"
TWOSUM_WASM = ROOT / "target" / "guests" / "twosum" / "twosum.wasm"

pymono: Any = importlib.import_module("monocypher")


def load_runtime() -> ModuleType:
    spec = importlib.util.spec_from_file_location("wb_runtime_under_test", RUNTIME)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


rt = load_runtime()
FUNCS = ("crypto_blake2b", "crypto_blake2b_keyed", "crypto_aead_lock", "crypto_aead_unlock")
BLAKE, KEYED, LOCK, UNLOCK = range(4)
KEY = bytes(range(0xA0, 0xC0))  # 32 recognisable bytes to scan guest memory for
NONCE = bytes(range(24))


class Mono:
    """Calls shaped exactly like the generated methods: one block, offsets relative to it."""

    def __init__(self, inst: Any) -> None:
        self.inst = inst

    def blake2b(self, msg: Any) -> bytes:
        m = rt._wb_bytes(msg, "message")
        n = len(m)
        _, (h,) = self.inst.invoke(BLAKE, "crypto_blake2b", 64 + n, [(64, m)], (0, 64, 64, n), (0, 2), [(0, 64)])
        return bytes(h)

    def keyed(self, key: bytes, msg: bytes) -> bytes:
        k = rt._wb_bytes(key, "key")
        kl, n = len(k), len(msg)
        _, (h,) = self.inst.invoke(KEYED, "crypto_blake2b_keyed", 64 + kl + n, [(64, k), (64 + kl, msg)],
                                   (0, 64, 64, kl, 64 + kl, n), (0, 2, 4), [(0, 64)])
        return bytes(h)

    def lock(self, key: Any, nonce: Any, plain: Any, ad: bytes = b"") -> tuple[bytes, bytes]:
        k = rt._wb_bytes(key, "key", 32)
        nn = rt._wb_bytes(nonce, "nonce", 24)
        p = rt._wb_bytes(plain, "plain_text")
        n, a = len(p), len(ad)
        # cipher[n] | mac[16] | key[32] | nonce[24] | ad[a] | plain[n]
        o_mac, o_key, o_nonce, o_ad = n, n + 16, n + 48, n + 72
        o_plain = o_ad + a
        _, (c, mac) = self.inst.invoke(
            LOCK, "crypto_aead_lock", o_plain + n, [(o_key, k), (o_nonce, nn), (o_ad, ad), (o_plain, p)],
            (0, o_mac, o_key, o_nonce, o_ad, a, o_plain, n), (0, 1, 2, 3, 4, 6), [(0, n), (o_mac, 16)])
        return c, mac

    def unlock(self, key: bytes, nonce: bytes, mac: bytes, cipher: bytes, ad: bytes = b"") -> bytes:
        n, a = len(cipher), len(ad)
        o_mac, o_key, o_nonce, o_ad = n, n + 16, n + 48, n + 72
        o_c = o_ad + a
        status, (p,) = self.inst.invoke(
            UNLOCK, "crypto_aead_unlock", o_c + n, [(o_mac, mac), (o_key, key), (o_nonce, nonce), (o_ad, ad),
                                                   (o_c, cipher)],
            (0, o_mac, o_key, o_nonce, o_ad, a, o_c, n), (0, 1, 2, 3, 4, 6), [(0, n)])
        if status != 0:
            raise rt.StatusError("crypto_aead_unlock", status)
        return bytes(p)


@pytest.fixture(params=[True, False], ids=["fast", "public"])
def mono(request: pytest.FixtureRequest) -> Mono:
    inst = rt._WbInstance(None, str(MONO_WASM), FUNCS, fast=request.param)
    assert inst.fast is request.param, rt._wb_capi_reason
    return Mono(inst)


def guest_memory(inst: Any) -> bytes:
    return bytes(inst.read(0, inst.memory_size()))


def guest_heap(inst: Any) -> bytes:
    """Guest memory from __heap_base up: where the arena lives (the C stack and data are below it)."""
    heap_base = inst._instance.exports(inst._store)["__heap_base"].value(inst._store)
    return bytes(inst.read(heap_base, inst.memory_size() - heap_base))


# -- results -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("size", [0, 1, 64, 1000, 70_000, 1 << 20])
def test_blake2b_matches_hashlib(mono: Mono, size: int) -> None:
    msg = os.urandom(size)
    assert mono.blake2b(msg) == hashlib.blake2b(msg).digest()
    assert mono.blake2b(bytearray(msg)) == hashlib.blake2b(msg).digest()
    assert mono.blake2b(memoryview(msg)) == hashlib.blake2b(msg).digest()


def test_memoryview_inputs_of_other_formats(mono: Mono) -> None:
    import array
    arr = array.array("I", range(100))
    raw = arr.tobytes()
    assert mono.blake2b(memoryview(arr)) == hashlib.blake2b(raw).digest()
    readonly_slice = memoryview(raw)[10:50]
    assert mono.blake2b(readonly_slice) == hashlib.blake2b(raw[10:50]).digest()


@pytest.mark.parametrize("size", [0, 64, 1024, 1 << 20])
def test_aead_lock_matches_pymonocypher(mono: Mono, size: int) -> None:
    plain = os.urandom(size)
    ad = b"header"
    cipher, mac = mono.lock(KEY, NONCE, plain, ad)
    ref_mac, ref_cipher = pymono.lock(KEY, NONCE, plain, ad)
    assert (cipher, mac) == (bytes(ref_cipher), bytes(ref_mac))
    assert mono.unlock(KEY, NONCE, mac, cipher, ad) == plain


def test_forged_box_is_status_minus_one(mono: Mono) -> None:
    cipher, mac = mono.lock(KEY, NONCE, b"attack at dawn")
    forged = bytes([cipher[0] ^ 1]) + cipher[1:]
    with pytest.raises(rt.StatusError) as info:
        mono.unlock(KEY, NONCE, mac, forged)
    assert info.value.status == -1 and info.value.function == "crypto_aead_unlock"
    assert str(info.value) == "crypto_aead_unlock failed with status -1"
    assert isinstance(info.value, rt.Error)


# -- the arena is wiped on success, error and trap -------------------------------------------------------------

def test_arena_wiped_after_success(mono: Mono) -> None:
    mono.lock(KEY, NONCE, b"secret" * 10)
    assert KEY not in guest_memory(mono.inst)
    # Monocypher's crypto_blake2b_keyed_init leaves the key in an unwiped stack buffer (key_block),
    # below __heap_base: outside the arena, so only the heap is scanned here.
    mono.keyed(KEY, b"m")
    assert KEY not in guest_heap(mono.inst)


def test_arena_wiped_after_host_error(mono: Mono) -> None:
    # The read region is rejected after the guest ran, i.e. after the key was written into the block.
    with pytest.raises(ValueError, match="outside the"):
        mono.inst.invoke(KEYED, "crypto_blake2b_keyed", 96, [(64, KEY)], (0, 64, 64, 32, 64, 0), (0, 2, 4),
                         [(0, 97)])
    assert KEY not in guest_heap(mono.inst)


def test_trap_is_reported_memory_wiped_and_object_still_works(mono: Mono) -> None:
    inst = mono.inst
    old_store, old_memory, gen = inst._store, inst._memory, inst.generation
    # message pointer 0xfffff000 is absolute (not in `rel`): the guest reads out of bounds and traps
    # after the key has been copied into the block.
    with pytest.raises(rt.TrapError) as info:
        inst.invoke(KEYED, "crypto_blake2b_keyed", 96, [(64, KEY)], (0, 64, 64, 32, 0xFFFFF000, 100), (0, 2),
                    [(0, 64)])
    assert info.value.function == "crypto_blake2b_keyed"
    assert str(info.value) == "crypto_blake2b_keyed trapped: out of bounds memory access"
    assert "wasm backtrace" in info.value.details
    assert isinstance(info.value, rt.Error)
    assert inst.generation == gen + 1
    assert KEY not in bytes(old_memory.read(old_store, 0, old_memory.data_len(old_store)))
    assert KEY not in guest_memory(inst)
    msg = b"still works"
    assert mono.blake2b(msg) == hashlib.blake2b(msg).digest()
    cipher, mac = mono.lock(KEY, NONCE, msg)
    assert mono.unlock(KEY, NONCE, mac, cipher) == msg


def test_exports_resolved_on_first_use_and_again_after_a_trap(mono: Mono) -> None:
    # A module of thousands of functions must construct without resolving each export (issue 16: wasmtime-py's
    # own export listing is quadratic); each bound function is resolved when first called, per instance.
    fresh = rt._WbInstance(None, str(MONO_WASM), FUNCS, fast=mono.inst.fast)
    assert len(fresh._funcs) == 0
    assert Mono(fresh).blake2b(b"abc") == hashlib.blake2b(b"abc").digest()
    assert list(fresh._funcs) == [FUNCS.index("crypto_blake2b")]
    with pytest.raises(rt.TrapError):  # a trap re-creates the instance: exports of the old one are dropped
        fresh.invoke(KEYED, "crypto_blake2b_keyed", 96, [(64, KEY)], (0, 64, 64, 32, 0xFFFFF000, 100), (0, 2),
                     [(0, 64)])
    assert len(fresh._funcs) == 0
    assert Mono(fresh).blake2b(b"abc") == hashlib.blake2b(b"abc").digest()


# -- argument checks -------------------------------------------------------------------------------------------

def test_wb_bytes_checks() -> None:
    data = b"x" * 32
    assert rt._wb_bytes(data, "key", 32) is data
    ba = bytearray(32)
    assert rt._wb_bytes(ba, "key", 32) is ba
    for bad in ["text", None, 3, [1, 2], 1.5]:
        with pytest.raises(TypeError, match=r"^key: expected a bytes-like object \(bytes, bytearray, memoryview or any buffer\), got "):
            rt._wb_bytes(bad, "key", 32)
    with pytest.raises(ValueError, match=r"^key: expected 32 bytes, got 31$"):
        rt._wb_bytes(b"x" * 31, "key", 32)
    with pytest.raises(ValueError, match="C-contiguous"):
        rt._wb_bytes(memoryview(b"abcdef")[::2], "msg")
    view = rt._wb_bytes(memoryview(bytearray(64)).cast("Q"), "msg", 64)
    assert isinstance(view, memoryview) and view.format == "B" and view.nbytes == 64


def test_wb_int_checks() -> None:
    u32 = (0, 0xFFFFFFFF)
    assert rt._wb_int(7, "ad_size", *u32) == 7
    with pytest.raises(TypeError, match="ad_size: expected int, got bool"):
        rt._wb_int(True, "ad_size", *u32)
    for bad in [1.0, "1", None]:
        with pytest.raises(TypeError, match="ad_size: expected int"):
            rt._wb_int(bad, "ad_size", *u32)
    with pytest.raises(OverflowError, match=r"^ad_size: 4294967296 does not fit uint32_t"):
        rt._wb_int(1 << 32, "ad_size", *u32)
    with pytest.raises(OverflowError, match=r"^n: -1 does not fit uint32_t"):
        rt._wb_int(-1, "n", *u32)
    with pytest.raises(OverflowError, match=r"size_t"):
        rt._wb_int(-1, "n", 0, 0xFFFFFFFF, "size_t")


def test_wrong_length_and_type_through_a_call(mono: Mono) -> None:
    with pytest.raises(ValueError, match="nonce: expected 24 bytes, got 23"):
        mono.lock(KEY, NONCE[:23], b"")
    with pytest.raises(TypeError, match="plain_text: expected a bytes-like object"):
        mono.lock(KEY, NONCE, "text")


# -- threads, compile-once, disk cache -------------------------------------------------------------------------

def test_many_threads_share_one_object(mono: Mono) -> None:
    failures: list[str] = []

    def work(t: int) -> None:
        for i in range(1000):
            msg = f"{t}:{i}".encode() * (1 + i % 7)
            if mono.blake2b(msg) != hashlib.blake2b(msg).digest():
                failures.append(f"thread {t} call {i}")

    threads = [threading.Thread(target=work, args=(t,)) for t in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert failures == []


def test_threads_on_two_objects_with_large_blocks() -> None:
    """Blocks of 1 MiB take the GIL-releasing call: calls on two objects overlap and stay correct."""
    objs = [Mono(rt._WbInstance(None, str(MONO_WASM), FUNCS, fast=True)) for _ in range(2)]
    msgs = [os.urandom(1 << 20) for _ in range(4)]
    want = [hashlib.blake2b(m).digest() for m in msgs]
    failures: list[int] = []

    def work(t: int) -> None:
        for i in range(12):
            k = (t + i) % len(msgs)
            if objs[t % 2].blake2b(msgs[k]) != want[k]:
                failures.append(t)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert failures == []


def test_merged_entry_adds_the_block_address_to_the_offsets_it_was_built_for() -> None:
    """After a few scratch-block calls the fast path's merged entry (function + reset in one guest call) adds the
    block's address to the offset arguments itself: the same `rel` (equal, not only identical) uses it, another
    `rel` (another order of the same positions) takes the general route; every result stays right."""
    inst = rt._WbInstance(None, str(MONO_WASM), ("crypto_blake2b",))
    msgs = [bytes([i]) * (i + 1) for i in range(12)]

    def blake(msg: bytes, hash_at: int, msg_at: int, rel: Any) -> bytes:
        _, (h,) = inst.invoke(0, "crypto_blake2b", 64 + 64, [(msg_at, msg)], (hash_at, 64, msg_at, len(msg)), rel,
                              [(hash_at, 64)])
        return h  # type: ignore[no-any-return]

    for msg in msgs[:4]:  # merged at the third call, for this rel
        assert blake(msg, 0, 64, (0, 2)) == hashlib.blake2b(msg).digest()
    if inst.fast:
        assert inst._fast[8][0][7] == (0, 2) and inst._fast[8][0][6], "merged, for rel (0, 2)"
    for msg in msgs:
        want = hashlib.blake2b(msg).digest()
        assert blake(msg, 0, 64, (0, 2)) == want
        assert blake(msg, 64, 0, [0, 2]) == want  # equal to the merged entry's rel: the entry is used
        assert blake(msg, 0, 64, (2, 0)) == want  # another order: not the entry's rel


def test_module_compiled_once_per_process() -> None:
    a = rt._WbInstance(None, str(MONO_WASM), FUNCS)
    compiled = dict(rt._wb_stats)
    b = rt._WbInstance(MONO_WASM.read_bytes(), "unused", FUNCS[:1], fast=False)
    assert a._module is b._module
    compiled["digested"] += 1  # bytes are always hashed (a file's stamps may stand for its digest)
    assert rt._wb_stats == compiled
    assert a._store is not b._store


CACHE_PROBE = textwrap.dedent("""
    import importlib.util, json, sys
    spec = importlib.util.spec_from_file_location("rt", sys.argv[1])
    rt = importlib.util.module_from_spec(spec); spec.loader.exec_module(rt)
    inst = rt._WbInstance(None, sys.argv[2], ("crypto_blake2b",))
    _, (h,) = inst.invoke(0, "crypto_blake2b", 67, [(64, b"abc")], (0, 64, 64, 3), (0, 2), [(0, 64)])
    print(json.dumps(dict(rt._wb_stats, hash=h.hex())))
""")


def run_probe(env: dict[str, str]) -> dict[str, Any]:
    import json
    out = subprocess.run([sys.executable, "-c", CACHE_PROBE, str(RUNTIME), str(MONO_WASM)],
                         env={**os.environ, **env}, capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(out.stdout)
    assert result["hash"] == hashlib.blake2b(b"abc").digest().hex()
    return result


def test_serialized_module_cache_is_used_by_a_new_process(tmp_path: Path) -> None:
    env = {"WASM_BIND_CACHE_DIR": str(tmp_path / "cache"), "WASM_BIND_NO_CACHE": ""}
    first = run_probe(env)
    assert (first["compiled"], first["deserialized"], first["cache_written"]) == (1, 0, 1)
    files = list((tmp_path / "cache").glob("*.cwasm"))
    assert len(files) == 1 and (files[0].stat().st_mode & 0o077) == 0
    assert first["inspected"] == 1
    second = run_probe(env)
    assert (second["compiled"], second["deserialized"]) == (0, 1)
    assert second["inspected"] == 0, "a cache hit brings the section reader's findings with the module"
    # a corrupted (or tampered, re-checksummed-incorrectly) file is ignored and rewritten
    blob = bytearray(files[0].read_bytes())
    blob[-100] ^= 0xFF
    files[0].write_bytes(bytes(blob))
    third = run_probe(env)
    assert (third["compiled"], third["deserialized"], third["cache_written"]) == (1, 0, 1)
    assert run_probe(env)["deserialized"] == 1
    # a group-writable cache file is not trusted
    files[0].chmod(0o664)
    assert run_probe(env)["deserialized"] == 0


def test_cached_findings_are_checksummed_and_checked(tmp_path: Path) -> None:
    """The section reader's findings stored with the module are covered by the file's CRC-32 (a flipped bit in them:
    ignored, re-read and recompiled); findings of another shape under a valid CRC are not used either."""
    import marshal
    import struct
    import zlib

    env = {"WASM_BIND_CACHE_DIR": str(tmp_path / "cache"), "WASM_BIND_NO_CACHE": ""}
    run_probe(env)
    (path,) = (tmp_path / "cache").glob("*.cwasm")
    head = len(rt._WB_CACHE_MAGIC) + 32 + 4 + 8 + 4
    good = path.read_bytes()
    blob = bytearray(good)
    blob[head + 2] ^= 0x01  # inside the findings
    path.write_bytes(bytes(blob))
    flipped = run_probe(env)
    assert (flipped["compiled"], flipped["deserialized"], flipped["inspected"]) == (1, 0, 1)
    assert path.read_bytes() == good, "rewritten as before"
    # the same module with findings of the wrong shape, re-checksummed: refused as a whole
    at = len(rt._WB_CACHE_MAGIC) + 32
    _, length, info_length = struct.unpack_from("<IQI", good, at)
    payload = good[head + info_length:]
    found = marshal.dumps(("size", 1, {}, [], "big", None))  # six fields, none of the right type
    crc = zlib.crc32(payload, zlib.crc32(found))
    path.write_bytes(good[:at] + struct.pack("<IQI", crc, length, len(found)) + found + payload)
    odd = run_probe(env)
    assert (odd["compiled"], odd["deserialized"], odd["inspected"]) == (1, 0, 1)


STAMP_PROBE = textwrap.dedent("""
    import importlib.util, json, sys
    spec = importlib.util.spec_from_file_location("rt", sys.argv[1])
    rt = importlib.util.module_from_spec(spec); spec.loader.exec_module(rt)
    rt._WB_STAMP_SETTLE_NS = int(sys.argv[3])
    inst = rt._WbInstance(None, sys.argv[2], ("crypto_blake2b",))
    _, (h,) = inst.invoke(0, "crypto_blake2b", 67, [(64, b"abc")], (0, 64, 64, 3), (0, 2), [(0, 64)])
    print(json.dumps(dict(rt._wb_stats, hash=h.hex(), version=rt._wb_wasmtime_version())))
""")


def with_custom_section(wasm: bytes, payload: bytes) -> bytes:
    """`wasm` with a custom section "wb-test" appended (ignored by wasmtime: same code, other bytes)."""
    body = bytes((7,)) + b"wb-test" + payload
    assert len(body) < 128
    return wasm + bytes((0, len(body))) + body


def stamp_probe(wasm: Path, env: dict[str, str], settle_ns: int = 0) -> dict[str, Any]:
    import json
    out = subprocess.run([sys.executable, "-c", STAMP_PROBE, str(RUNTIME), str(wasm), str(settle_ns)],
                         env={**os.environ, **env}, capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(out.stdout)
    assert result["hash"] == hashlib.blake2b(b"abc").digest().hex()
    return result


def test_a_wasm_file_seen_before_is_known_by_its_stamps(tmp_path: Path) -> None:
    """A file constructed before (same device, inode, size, mtime and ctime) is neither read nor hashed again: its
    digest is recorded beside the compiled modules. Any write moves the ctime, even when the size and mtime are put
    back, and the file is hashed again; a record that is not ours, or is writable by others, is ignored."""
    cache = tmp_path / "cache"
    env = {"WASM_BIND_CACHE_DIR": str(cache), "WASM_BIND_NO_CACHE": ""}
    wasm = tmp_path / "m.wasm"
    wasm.write_bytes(with_custom_section(MONO_WASM.read_bytes(), b"A" * 16))
    first = stamp_probe(wasm, env)
    assert (first["digested"], first["compiled"]) == (1, 1)
    records = sorted(p.name[0] for p in (cache / "stamps").iterdir())
    assert records == ["v", "w"], "the wasm's digest and wasmtime-py's version are recorded"
    second = stamp_probe(wasm, env)
    assert (second["digested"], second["deserialized"], second["compiled"]) == (0, 1, 0)
    assert second["version"] == first["version"] != "unknown"
    # another content of the same size under the same mtime: the ctime moved, so it is hashed (and compiled) again
    st = wasm.stat()
    wasm.write_bytes(with_custom_section(MONO_WASM.read_bytes(), b"B" * 16))
    os.utime(wasm, ns=(st.st_atime_ns, st.st_mtime_ns))
    after = wasm.stat()
    assert (after.st_size, after.st_mtime_ns) == (st.st_size, st.st_mtime_ns) and after.st_ctime_ns != st.st_ctime_ns
    changed = stamp_probe(wasm, env)
    assert (changed["digested"], changed["compiled"]) == (1, 1)
    assert stamp_probe(wasm, env)["digested"] == 0
    # a record of another shape, or one others may write, is not trusted
    (record,) = [p for p in (cache / "stamps").iterdir() if p.name.startswith("w") and
                 p.name.endswith(f"-{after.st_ctime_ns:x}")]
    good = record.read_bytes()
    record.write_bytes(good[:-1])
    assert stamp_probe(wasm, env)["digested"] == 1
    record.write_bytes(good)
    record.chmod(0o666)
    assert stamp_probe(wasm, env)["digested"] == 1


def test_a_wasm_file_changed_just_now_is_not_recorded(tmp_path: Path) -> None:
    """Stamps are coarse: a file changed less than _WB_STAMP_SETTLE_NS ago could be rewritten with the same stamps,
    so its digest is not recorded (it is hashed every time until it settles)."""
    env = {"WASM_BIND_CACHE_DIR": str(tmp_path / "cache"), "WASM_BIND_NO_CACHE": ""}
    wasm = tmp_path / "m.wasm"
    wasm.write_bytes(MONO_WASM.read_bytes())
    settle = 3600 * 10**9  # an hour: the file was written just now
    assert stamp_probe(wasm, env, settle)["digested"] == 1
    assert stamp_probe(wasm, env, settle)["digested"] == 1
    assert not any(p.name.startswith("w") for p in (tmp_path / "cache" / "stamps").glob("*"))


def test_cache_can_be_disabled(tmp_path: Path) -> None:
    env = {"WASM_BIND_CACHE_DIR": str(tmp_path / "cache"), "WASM_BIND_NO_CACHE": "1"}
    assert run_probe(env)["compiled"] == 1
    assert run_probe(env)["compiled"] == 1
    assert not (tmp_path / "cache").exists()


# -- twosum: an i64 result -------------------------------------------------------------------------------------

@pytest.mark.parametrize("fast", [True, False], ids=["fast", "public"])
def test_twosum_i64_result(fast: bool) -> None:
    import struct
    inst = rt._WbInstance(None, str(TWOSUM_WASM), ("two_sum",), fast=fast)
    nums = list(range(0, 30000, 3)) + [7]
    data = struct.pack(f"<{len(nums)}i", *nums)
    r, _ = inst.invoke(0, "two_sum", len(data), [(0, data)], (0, len(nums), 7 + 29997), (0,), [])
    assert (r >> 32, r & 0xFFFFFFFF) == (len(nums) - 2, len(nums) - 1)
    r, _ = inst.invoke(0, "two_sum", len(data), [(0, data)], (0, len(nums), -5), (0,), [])
    assert r == -1


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "public"])
def test_guest_internal_arena_state_does_not_leak_between_calls(fast: bool) -> None:
    """two_sum's hash table comes from the guest's own bump_alloc: only the guest's bump_reset wipes it.

    A stale table (reset that does not zero) makes the second call see the first call's numbers: with
    [5, 6, 7] then [10, 20, 30] and target 15, the stale key 5 yields the bogus pair (0, 0).
    """
    import struct
    inst = rt._WbInstance(None, str(TWOSUM_WASM), ("two_sum",), fast=fast)
    marker = 0x5EC0DE11
    a = struct.pack("<3i", 5, 6, marker)
    assert inst.invoke(0, "two_sum", 12, [(0, a)], (0, 3, 1), (0,), [])[0] == -1
    assert struct.pack("<i", marker) not in guest_memory(inst), "guest arena (hash table) not wiped by reset"
    b = struct.pack("<3i", 10, 20, 30)
    assert inst.invoke(0, "two_sum", 12, [(0, b)], (0, 3, 15), (0,), [])[0] == -1


# -- ABI violations and edge cases with tiny hand-written guests -----------------------------------------------

def wat_guest(body: str) -> bytes:
    return bytes(wasmtime.wat2wasm(f"""
    (module
      (memory (export "memory") 1)
      (global $next (mut i32) (i32.const 1024))
      {body})"""))


GOOD_ARENA = """
  (func (export "bump_alloc") (param i32) (result i32)
    (local $p i32) (local.set $p (global.get $next))
    (global.set $next (i32.add (global.get $next) (local.get 0))) (local.get $p))
  (func (export "bump_reset") (global.set $next (i32.const 1024)))
"""


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "public"])
def test_reset_after_a_host_wipe(fast: bool) -> None:
    """An arena block's reset is the kit's wb_reset_wiped(block) when exported (the host zeroed the block itself),
    bump_reset otherwise; a reset named in the config (`reset=`) is never bypassed by the kit's."""
    body = """
      (global $log (mut i32) (i32.const 0))
      (func (export "bump_alloc") (param i32) (result i32)
        (local $p i32) (local.set $p (global.get $next))
        (global.set $next (i32.add (global.get $next) (local.get 0))) (local.get $p))
      (func (export "bump_reset") (global.set $next (i32.const 1024)) (global.set $log (i32.const 1)))
      (func (export "my_reset") (global.set $next (i32.const 1024)) (global.set $log (i32.const 2)))
      (func (export "wb_reset_wiped") (param i32 i32) (global.set $next (i32.const 1024))
        (global.set $log (i32.add (i32.const 3) (i32.eq (local.get 0) (i32.const 1024)))))
      (func (export "last") (result i32) (global.get $log))
      (func (export "sum") (param i32 i32) (result i32)
        (i32.add (i32.load8_u (local.get 0)) (i32.load8_u (i32.add (local.get 0) (local.get 1)))))"""
    data = b"\x05" + bytes(40_000) + b"\x07"  # over the scratch block: an arena block at 1024
    for reset, expected in [("bump_reset", 4), ("my_reset", 2)]:
        inst = rt._WbInstance(wat_guest(body), "unused", ("sum", "last"), reset=reset, fast=fast)
        assert inst.invoke(0, "sum", len(data), [(0, data)], (0, len(data) - 1), (0,), []) == (12, [])
        assert inst.call(1, "last", ()) == expected
        assert inst.read(1024, len(data)) == bytes(len(data))


def test_scratch_block_falls_back_to_the_arena_when_persist_alloc_fails() -> None:
    wasm = wat_guest(GOOD_ARENA + """
      (func (export "wb_persist_alloc") (param i32) (result i32) (i32.const 0))
      (func (export "wb_persist_free") (param i32 i32))
      (func (export "sum") (param i32 i32) (result i32)
        (i32.add (i32.load8_u (local.get 0)) (i32.load8_u (i32.add (local.get 0) (local.get 1)))))""")
    inst = rt._WbInstance(wasm, "unused", ("sum",), fast=True)
    for _ in range(3):
        assert inst.invoke(0, "sum", 8, [(0, b"\x05\0\0\x07")], (0, 3), (0,), []) == (12, [])
    assert inst._scratch == 0 and inst._scratch_failed


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "public"])
@pytest.mark.parametrize("alloc_result", ["0", "-16", "65530"])
def test_bad_allocator_is_guest_error(fast: bool, alloc_result: str) -> None:
    wasm = wat_guest(f"""
      (func (export "bump_alloc") (param i32) (result i32) (i32.const {alloc_result}))
      (func (export "bump_reset"))
      (func (export "f") (param i32)) """)
    inst = rt._WbInstance(wasm, "unused", ("f",), fast=fast)
    with pytest.raises(rt.GuestError):
        inst.invoke(0, "f", 16, [(0, b"x" * 16)], (0,), (0,), [])
    inst.invoke(0, "f", 0, [], (5,), (), [])  # block 0 never allocates
    assert inst.invoke(0, "f", 0, [(0, b"")], (5,), (), [(0, 0), (0, 0)]) == (None, [b"", b""])  # empty outputs
    with pytest.raises(ValueError, match="outside the 0-byte block"):
        inst.invoke(0, "f", 0, [], (5,), (), [(0, 1)])


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "public"])
def test_memory_growth_during_call_and_i64_values(fast: bool) -> None:
    wasm = wat_guest(GOOD_ARENA + """
      ;; grows memory by 40 pages, then writes 0x5a at out[0..n) and returns x + 1 (i64)
      (func (export "grow_fill") (param $out i32) (param $n i32) (param $x i64) (result i64)
        (drop (memory.grow (i32.const 40)))
        (memory.fill (local.get $out) (i32.const 0x5a) (local.get $n))
        (i64.add (local.get $x) (i64.const 1)))
      (func (export "u32_echo") (param i32) (result i32) (local.get 0))""")
    inst = rt._WbInstance(wasm, "unused", ("grow_fill", "u32_echo"), fast=fast)
    before = inst.memory_size()
    r, (out,) = inst.invoke(0, "grow_fill", 5000, [], (0, 5000, (1 << 64) - 2), (0,), [(0, 5000)])
    assert out == b"\x5a" * 5000 and inst.memory_size() == before + 40 * 65536
    assert r == -1  # u64 max - 1 + 1 wraps to all ones: the raw signed i64
    r, _ = inst.invoke(1, "u32_echo", 0, [], (0xFFFFFFFF,), (), [])
    assert r == -1 and r & 0xFFFFFFFF == 0xFFFFFFFF
    with pytest.raises(OverflowError):
        inst.invoke(1, "u32_echo", 0, [], (1 << 32,), (), [])


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "public"])
def test_guest_trap_in_tiny_guest_and_persistent_blocks(fast: bool) -> None:
    wasm = wat_guest(GOOD_ARENA + """
      (func (export "boom") (param i32) unreachable)
      (func (export "wb_persist_alloc") (param i32) (result i32) (i32.const 32768))
      (func (export "wb_persist_free") (param i32 i32))
      (func (export "peek") (param i32) (result i32) (i32.load8_u (local.get 0)))""")
    inst = rt._WbInstance(wasm, "unused", ("boom", "peek"), fast=fast)
    with pytest.raises(rt.TrapError, match="^boom trapped: wasm `unreachable` instruction executed$"):
        inst.invoke(0, "boom", 8, [(0, b"abcdefgh")], (0,), (0,), [])
    assert inst.generation == 1
    ptr = inst.persist_alloc(64)
    assert ptr == 32768
    inst.write(ptr, b"\x07")
    assert inst.call(1, "peek", (ptr,)) == 7 and inst.read(ptr, 1) == b"\x07"
    with pytest.raises(rt.GuestError):
        inst.read(65536 - 4, 8)
    with pytest.raises(rt.GuestError):
        inst.read(-5, 1)
    inst.persist_free(ptr, 64)


@pytest.mark.parametrize("wat,message", [
    ('(func (export "bump_reset")) (func (export "f"))', "does not export function 'bump_alloc'"),
    ('(func (export "bump_alloc") (param i32) (result i32) (i32.const 0)) (func (export "bump_reset"))',
     "does not export function 'f'"),
    ('(func (export "bump_alloc") (param i64) (result i32) (i32.const 0)) (func (export "bump_reset"))'
     ' (func (export "f"))', "'bump_alloc' has type (i64) -> (i32), expected (i32) -> (i32)"),
    (GOOD_ARENA + '(global (export "f") i32 (i32.const 0))', "export 'f' is a global, expected a function"),
])
def test_load_errors(wat: str, message: str) -> None:
    with pytest.raises(rt.LoadError) as info:
        rt._WbInstance(wat_guest(wat), "unused", ("f",))
    assert message in str(info.value)


def test_load_error_for_bad_bytes_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(rt.LoadError, match="invalid wasm"):
        rt._WbInstance(b"\0asm garbage", "unused", ())
    with pytest.raises(rt.LoadError, match="cannot read"):
        rt._WbInstance(None, str(tmp_path / "missing.wasm"), ())
    with pytest.raises(rt.LoadError, match=r"expected \(i32\) -> \(\)"):
        rt._WbInstance(MONO_WASM.read_bytes(), "unused", ("crypto_wipe",), signatures=("i32->",))


def test_runtime_has_no_asserts_and_only_allowed_imports() -> None:
    import ast
    tree = ast.parse(RUNTIME.read_text())
    assert not [n for n in ast.walk(tree) if isinstance(n, ast.Assert)]
    imported = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert imported - set(sys.stdlib_module_names) <= {"wasmtime"}
    # `from __future__` only right after the docstring (`gen --inline-runtime` hoists it to the module's first line;
    # test_inline_runtime_module_is_self_contained imports such a module)
    futures = [n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module == "__future__"]
    assert all(n is tree.body[1] for n in futures) and [a.name for n in futures for a in n.names] == ["annotations"]


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "public"])
def test_float_parameters_and_results(fast: bool) -> None:
    wasm = wat_guest(GOOD_ARENA + """
      (func (export "mix") (param f64 f32 i64) (result f64)
        (f64.add (f64.add (local.get 0) (f64.promote_f32 (local.get 1))) (f64.convert_i64_s (local.get 2))))
      (func (export "half") (param f32) (result f32) (f32.mul (local.get 0) (f32.const 0.5)))""")
    inst = rt._WbInstance(wasm, "unused", ("mix", "half"), fast=fast)
    assert inst.invoke(0, "mix", 0, [], (1.25, 0.5, -3), (), [])[0] == -1.25
    assert inst.invoke(1, "half", 0, [], (3.0,), (), [])[0] == 1.5


def test_fast_path_disabled_outside_supported_wasmtime_versions(monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = load_runtime()
    monkeypatch.setattr(fresh, "_wb_wasmtime_version", lambda: "44.0.0")
    with pytest.warns(RuntimeWarning, match="outside the range"):
        inst = fresh._WbInstance(None, str(MONO_WASM), FUNCS)
    assert not inst.fast and "44.0.0" in fresh._wb_capi_reason
    assert Mono(inst).blake2b(b"abc") == hashlib.blake2b(b"abc").digest()


def test_env_var_forces_public_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WASM_BIND_NO_FAST", "1")
    assert not rt._WbInstance(None, str(MONO_WASM), FUNCS).fast
    monkeypatch.setenv("WASM_BIND_NO_FAST", "0")
    assert rt._WbInstance(None, str(MONO_WASM), FUNCS).fast


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "public"])
def test_persist_free_inside_invoke_is_deferred_to_its_end(fast: bool) -> None:
    """A handle finalized by the GC while invoke runs (same thread) must not call into the guest mid-call."""
    wasm = wat_guest(GOOD_ARENA + """
      (func (export "wb_persist_alloc") (param i32) (result i32) (i32.const 32768))
      (func (export "wb_persist_free") (param i32 i32) (i32.store (i32.const 256) (local.get 0)))
      (func (export "freed") (result i32) (i32.load (i32.const 256)))""")
    inst = rt._WbInstance(wasm, "unused", ("freed",), fast=fast)
    assert inst.persist_alloc(64) == 32768
    inst._busy = True  # as if a finalizer ran inside invoke
    inst.persist_free(32768, 64, inst.generation)
    inst._busy = False
    assert inst.call(0, "freed", ()) == 0 and inst._deferred == [(inst.persist_free, (32768, 64, 0))]
    inst.invoke(0, "freed", 0, [], (), (), [])  # drains at its end
    assert inst.call(0, "freed", ()) == 32768 and inst._deferred == []
    inst.persist_free(32768, 64, inst.generation - 1)  # an older generation's block: ignored


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "public"])
def test_destructor_inside_invoke_is_deferred_and_never_runs_into_a_new_instance(fast: bool) -> None:
    """A library-owned handle's destructor (roles::owned) run by the GC inside invoke waits for its end; one of an
    older generation is never called (the object died with its instance)."""
    wasm = wat_guest(GOOD_ARENA + """
      (func (export "destroy") (param i32) (i32.store (i32.const 256) (local.get 0)))
      (func (export "freed") (result i32) (i32.load (i32.const 256)))""")
    inst = rt._WbInstance(wasm, "unused", ("freed", "destroy"), fast=fast)
    inst._busy = True  # as if a finalizer ran inside invoke
    inst.destroy(1, "destroy", 4096, inst.generation)
    inst._busy = False
    assert inst.call(0, "freed", ()) == 0 and len(inst._deferred) == 1
    inst.invoke(0, "freed", 0, [], (), (), [])  # drains at its end
    assert inst.call(0, "freed", ()) == 4096 and inst._deferred == []
    inst._recover()
    inst.destroy(1, "destroy", 8192, inst.generation - 1)
    assert inst.call(0, "freed", ()) == 0


def test_fast_path_with_a_movable_memory_rereads_the_address(monkeypatch: pytest.MonkeyPatch,
                                                             tmp_path: Path) -> None:
    """If the engine cannot pin memories (older wasmtime-py), the fast path re-reads the host address."""
    monkeypatch.setenv("WASM_BIND_CACHE_DIR", str(tmp_path))
    fresh = load_runtime()
    monkeypatch.setattr(fresh, "_wb_new_engine", lambda: wasmtime.Engine())  # default config: memories may move
    inst = fresh._WbInstance(None, str(MONO_WASM), FUNCS, fast=True)
    assert inst.fast and not fresh._wb_fixed_memory and inst._fixed_addr == 0
    mono = Mono(inst)
    msg = os.urandom(3000)
    assert mono.blake2b(msg) == hashlib.blake2b(msg).digest()
    cipher, mac = mono.lock(KEY, NONCE, msg)
    assert mono.unlock(KEY, NONCE, mac, cipher) == msg
    assert list(tmp_path.glob("*-movable.cwasm"))  # cached apart from modules compiled for pinned memories
    wasm = wat_guest(GOOD_ARENA + """
      (func (export "grow_fill") (param $out i32) (param $n i32) (result i32)
        (drop (memory.grow (i32.const 40)))
        (memory.fill (local.get $out) (i32.const 0x5a) (local.get $n)) (i32.const 0))""")
    grower = fresh._WbInstance(wasm, "unused", ("grow_fill",), fast=True)
    for _ in range(3):
        assert grower.invoke(0, "grow_fill", 5000, [], (0, 5000), (0,), [(0, 5000)]) == (0, [b"\x5a" * 5000])


def test_pinned_memory_keeps_its_address_while_growing() -> None:
    inst = rt._WbInstance(None, str(TWOSUM_WASM), ("two_sum",), fast=True)
    assert rt._wb_fixed_memory and inst._fixed_addr != 0
    before = (inst._fixed_addr, inst.memory_size())
    nums = list(range(0, 3_000_000, 3)) + [1]  # a 4 MiB input and an 8 MiB table: memory grows
    import array
    data = memoryview(array.array("i", nums)).cast("B")
    r, _ = inst.invoke(0, "two_sum", len(data), [(0, data)], (0, len(nums), 1 + 2_999_997), (0,), [])
    assert (r >> 32, r & 0xFFFFFFFF) == (len(nums) - 2, len(nums) - 1)
    assert inst.memory_size() > before[1]
    addr = inst._capi.memory_data(inst._ctx_o, inst._mem_o)
    assert addr == before[0]


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "public"])
def test_invoke0_resets_after_every_call_and_reports_traps(fast: bool) -> None:
    """invoke0 (a call with no argument block: scalars and handle pointers) still runs the arena reset after every
    call (merged with the function into one guest call after a few calls on the fast path), names a trap in the
    function or in its reset, and re-creates the instance after either."""
    wasm = wat_guest(GOOD_ARENA.replace('(func (export "bump_reset") (global.set $next (i32.const 1024)))', "") + """
      (global $resets (mut i32) (i32.const 0))
      (global $boom (mut i32) (i32.const 0))
      (func (export "bump_reset")
        (if (global.get $boom) (then unreachable))
        (global.set $next (i32.const 1024)) (global.set $resets (i32.add (global.get $resets) (i32.const 1))))
      (func (export "resets") (result i32) (global.get $resets))
      (func (export "f") (param i32) (result i32)
        (if (i32.eq (local.get 0) (i32.const 238)) (then unreachable))
        (if (i32.eq (local.get 0) (i32.const 239)) (then (global.set $boom (i32.const 1))))
        (i32.add (local.get 0) (i32.const 1)))""")
    inst = rt._WbInstance(wasm, "unused", ("f", "resets"), fast=fast)
    for k in range(6):
        assert inst.invoke0(0, "f", (k,)) == k + 1
        assert inst.call(1, "resets", ()) == k + 1  # one reset per call (`call` itself runs none)
    assert bool(inst._merged) is fast  # the fast path merged f with the reset
    with pytest.raises(rt.TrapError, match=r"^f trapped: wasm `unreachable`") as info:
        inst.invoke0(0, "f", (238,))
    assert info.value.function == "f" and inst.generation == 1
    assert inst.invoke0(0, "f", (1,)) == 2
    for _ in range(4):  # merged again in the new instance
        assert inst.invoke0(0, "f", (2,)) == 3
    with pytest.raises(rt.TrapError, match=r"^f \(in bump_reset while wiping the arena\)"):
        inst.invoke0(0, "f", (239,))
    assert inst.generation == 2 and inst.invoke0(0, "f", (5,)) == 6
