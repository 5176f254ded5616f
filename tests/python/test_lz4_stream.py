"""LZ4's malloc-based streaming API through library-owned handles (issue 15): lz4.c built as a libc guest by
`wasm-bind guest --wasi` (guests/build.sh: target/guests/lz4stream/), bound from the unmodified lz4.h with
guests/lz4/lz4_stream.toml. LZ4_stream_t / LZ4_streamDecode_t (unions LZ4 mallocs) are handle classes freed by
LZ4_freeStream / LZ4_freeStreamDecode; the functions that keep pointers into caller memory across calls
(LZ4_compress_fast_continue, LZ4_decompress_safe_continue, LZ4_loadDict, ...) are refused with the reason, since bound
buffers live in the per-call arena. A linked multi-block stream written by the native LZ4 (the same lz4.c, compiled
with the host compiler, driven through ctypes) decodes in the guest block by block with
LZ4_decompress_safe_usingDict and the previous 64 KiB of output."""

from __future__ import annotations

import ctypes
import gc
import random
import subprocess
from types import ModuleType
from typing import Any

import pytest

from conftest import GUESTS, ROOT, import_generated
from native import native_library

GEN = ["cargo", "run", "-q", "-p", "gen", "--"]
CONFIG = ROOT / "guests" / "lz4" / "lz4_stream.toml"
BLOCK = 64 * 1024


@pytest.fixture(scope="module")
def mod(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    out = tmp_path_factory.mktemp("lz4stream")
    header, wasm = GUESTS / "lz4stream" / "lz4.h", GUESTS / "lz4stream" / "lz4.wasm"
    proc = subprocess.run([*GEN, "--py", str(header), "--config", str(CONFIG), "--wasm", str(wasm), "-o", str(out)],
                          cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.fail(f"wasm-bind --py lz4stream failed:\n{proc.stderr}")
    return import_generated("lz4stream", out / "lz4stream.py")


@pytest.fixture(scope="module")
def native() -> Any:
    src = subprocess.run(["python3", str(ROOT / "guests" / "locate_lz4.py"), str(ROOT)], capture_output=True,
                         text=True, check=True).stdout.strip()
    lib = native_library(f"{src}/lz4.c")
    lib.LZ4_createStream.restype = ctypes.c_void_p
    lib.LZ4_freeStream.argtypes = [ctypes.c_void_p]
    lib.LZ4_compress_fast_continue.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int,
                                               ctypes.c_int, ctypes.c_int]
    lib.LZ4_decompress_safe.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_int]
    return lib


def blocks_of(seed: int, n: int) -> list[bytes]:
    """Blocks that repeat each other (so a linked stream references earlier blocks) plus fresh noise."""
    rng = random.Random(seed)
    base = rng.randbytes(20_000)
    out = []
    for i in range(n):
        cut = rng.randrange(0, len(base))
        out.append((base[cut:] + base[:cut])[: rng.randrange(1000, BLOCK)] + rng.randbytes(rng.randrange(0, 500)))
    return out


def native_linked_stream(native: Any, blocks: list[bytes]) -> list[bytes]:
    """The native LZ4 streaming compressor over `blocks` (each kept alive at its address, as LZ4 requires)."""
    stream = native.LZ4_createStream()
    kept, out = [], []
    try:
        for b in blocks:
            src = ctypes.create_string_buffer(b, len(b))
            kept.append(src)
            cap = native.LZ4_compressBound(len(b))
            dst = ctypes.create_string_buffer(cap)
            n = native.LZ4_compress_fast_continue(stream, src, dst, len(b), cap, 1)
            assert n > 0
            out.append(dst.raw[:n])
    finally:
        native.LZ4_freeStream(stream)
    return out


def test_a_native_linked_multi_block_stream_decodes_in_the_guest(mod: ModuleType, native: Any) -> None:
    m = mod.Lz4Stream()
    blocks = blocks_of(4, 12)
    compressed = native_linked_stream(native, blocks)
    history = b""
    for raw, c in zip(blocks, compressed):
        out = m.LZ4_decompress_safe_usingDict(c, len(raw), history[-BLOCK:])
        assert out == raw
        history += out
    # The blocks are linked: without the previous output, a later block does not decode to its bytes.
    unlinked = 0
    for raw, c in zip(blocks[1:], compressed[1:]):
        try:
            unlinked += m.LZ4_decompress_safe(c, len(raw)) != raw
        except mod.StatusError:
            unlinked += 1
    assert unlinked > 0


def test_guest_blocks_decode_natively(mod: ModuleType, native: Any) -> None:
    m = mod.Lz4Stream()
    for raw in blocks_of(5, 8):
        c = m.LZ4_compress_default(raw)
        dst = ctypes.create_string_buffer(len(raw))
        assert native.LZ4_decompress_safe(c, dst, len(c), len(raw)) == len(raw)
        assert dst.raw == raw


def test_streams_are_library_owned_handles(mod: ModuleType) -> None:
    m = mod.Lz4Stream()
    s = m.LZ4_createStream()
    assert isinstance(s, mod.LZ4StreamT) and not s.borrowed
    m.LZ4_resetStream_fast(s)
    s.close()
    with pytest.raises(ValueError, match="streamPtr: this LZ4StreamT is closed"):
        m.LZ4_resetStream_fast(s)
    d = m.LZ4_createStreamDecode()
    assert isinstance(d, mod.LZ4StreamDecodeT)
    before = m._wb_rt.memory_size()
    for _ in range(2000):  # 16 KiB each: freed by the collector, else memory would grow by ~32 MiB
        m.LZ4_createStream()
    gc.collect()
    assert m._wb_rt.memory_size() - before < 4 * 1024 * 1024


def test_the_functions_that_keep_caller_pointers_are_refused(mod: ModuleType) -> None:
    doc = mod.__doc__ or ""
    for name in ["LZ4_compress_fast_continue", "LZ4_decompress_safe_continue", "LZ4_loadDict", "LZ4_saveDict",
                 "LZ4_setStreamDecode"]:
        assert not hasattr(mod.Lz4Stream, name)
        assert f"- {name} — " in doc, name
    assert "previous input blocks" in doc
    assert not hasattr(mod.Lz4Stream, "LZ4_freeStream")  # the destructor: close() calls it
