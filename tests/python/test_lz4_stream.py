"""LZ4's malloc-based streaming API through library-owned handles (issue 15): lz4.c built as a libc guest by
`wasm-bind guest --wasi` (guests/build.sh: target/guests/lz4stream/), bound from the unmodified lz4.h with
guests/lz4/lz4_stream.toml. LZ4_stream_t / LZ4_streamDecode_t (unions LZ4 mallocs) are handle classes freed by
LZ4_freeStream / LZ4_freeStreamDecode; the functions that keep pointers into caller memory across calls
(LZ4_compress_fast_continue, LZ4_decompress_safe_continue, LZ4_loadDict, ...) take guest buffers (`kept`): memory
the caller allocates with `buffer(n)` and keeps, passed by address, never a per-call copy. Checked against the
native LZ4 (the same lz4.c, compiled with the host compiler, driven through ctypes) in both directions: a linked
multi-block stream the guest writes decodes natively and vice versa, with and without a dictionary."""

from __future__ import annotations

import ctypes
import gc
import random
import runpy
import subprocess
import sys
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
    lib.LZ4_decompress_safe_usingDict.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_int,
                                                  ctypes.c_char_p, ctypes.c_int]
    lib.LZ4_loadDict.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
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


def native_decode_linked(native: Any, blocks: list[bytes], compressed: list[bytes], dictionary: bytes = b"") -> None:
    """Decodes a linked stream natively, each block with the previous 64 KiB of output as its dictionary."""
    history = dictionary
    for raw, c in zip(blocks, compressed):
        dst = ctypes.create_string_buffer(len(raw))
        d = history[-BLOCK:]
        assert native.LZ4_decompress_safe_usingDict(c, dst, len(c), len(raw), d, len(d)) == len(raw)
        assert dst.raw == raw
        history += raw


def guest_linked_stream(m: Any, blocks: list[bytes], dictionary: bytes = b"") -> list[bytes]:
    """The guest's streaming compressor over `blocks`, written one after another into a double-size ring buffer
    (wrapping to its start; LZ4 keeps the previous 64 KiB at their addresses); `dictionary` loaded first."""
    ring = m.buffer(2 * BLOCK + len(dictionary))
    stream = m.LZ4_createStream()
    if dictionary:
        ring[: len(dictionary)] = dictionary
        assert m.LZ4_loadDict(stream, ring.span(0, len(dictionary))) == len(dictionary)
    off, out = len(dictionary), []
    for b in blocks:
        if off + len(b) > len(ring):
            off = 0
        ring[off : off + len(b)] = b
        out.append(m.LZ4_compress_fast_continue(stream, ring.span(off, len(b)), 1))
        off += len(b)
    return out


def test_a_guest_linked_stream_in_a_guest_buffer_decodes_natively(mod: ModuleType, native: Any) -> None:
    m = mod.Lz4Stream()
    blocks = blocks_of(6, 10)
    compressed = guest_linked_stream(m, blocks)
    native_decode_linked(native, blocks, compressed)
    # Linked for real: later blocks reference earlier ones (independent blocks would not be this small).
    independent = sum(len(m.LZ4_compress_default(b)) for b in blocks[1:])
    assert sum(map(len, compressed[1:])) < independent * 0.8


def test_a_dictionary_in_a_guest_buffer(mod: ModuleType, native: Any) -> None:
    m = mod.Lz4Stream()
    rng = random.Random(7)
    dictionary = rng.randbytes(30_000)
    blocks = [dictionary[rng.randrange(0, 20_000) :][:5_000] + rng.randbytes(50) for _ in range(4)]
    compressed = guest_linked_stream(m, blocks, dictionary)
    native_decode_linked(native, blocks, compressed, dictionary)
    assert compressed[0] != m.LZ4_compress_default(blocks[0])  # the dictionary was used
    # The guest decodes it too: the decoder reads the dictionary where it lies.
    d, store = m.LZ4_createStreamDecode(), m.buffer(len(dictionary) + sum(map(len, blocks)))
    store[: len(dictionary)] = dictionary
    m.LZ4_setStreamDecode(d, store.span(0, len(dictionary)))
    off = len(dictionary)
    for raw, c in zip(blocks, compressed):
        assert m.LZ4_decompress_safe_continue(d, c, store.span(off, len(raw))) == len(raw)
        assert store[off : off + len(raw)] == raw
        off += len(raw)


def test_a_native_linked_stream_decodes_into_a_guest_ring_buffer(mod: ModuleType, native: Any) -> None:
    m = mod.Lz4Stream()
    blocks = blocks_of(8, 12)
    compressed = native_linked_stream(native, blocks)
    d = m.LZ4_createStreamDecode()
    ring = m.buffer(m.LZ4_decoderRingBufferSize(BLOCK))
    off = 0
    for raw, c in zip(blocks, compressed):
        if off + BLOCK > len(ring):
            off = 0
        n = m.LZ4_decompress_safe_continue(d, c, ring.span(off, BLOCK))
        assert ring[off : off + n] == raw
        off += n


def test_save_dict_points_the_stream_at_a_guest_buffer(mod: ModuleType, native: Any) -> None:
    m = mod.Lz4Stream()
    blocks = blocks_of(9, 6)
    s, src, saved = m.LZ4_createStream(), m.buffer(BLOCK), m.buffer(BLOCK)
    out, history = [], b""
    for b in blocks:
        src[: len(b)] = b  # the same input buffer every time: the history must live elsewhere
        out.append(m.LZ4_compress_fast_continue(s, src.span(0, len(b)), 1))
        kept = m.LZ4_saveDict(s, saved)
        history += b
        assert saved[:kept] == history[-BLOCK:][-kept:]
    native_decode_linked(native, blocks, out)


def test_guest_buffers_are_checked_and_wiped(mod: ModuleType) -> None:
    m, other = mod.Lz4Stream(), mod.Lz4Stream()
    s = m.LZ4_createStream()
    buf = m.buffer(64)
    with pytest.raises(TypeError, match="src: expected a GuestBuffer or GuestSpan"):
        m.LZ4_compress_fast_continue(s, b"per-call bytes", 1)
    with pytest.raises(mod.HandleError, match="src: this GuestBuffer belongs to another instance"):
        m.LZ4_compress_fast_continue(s, other.buffer(8), 1)
    with pytest.raises(ValueError, match="offset 60, length 5 is outside the buffer's 64 bytes"):
        buf.span(60, 5)
    with pytest.raises(ValueError, match="outside"):
        buf.span(65)
    with pytest.raises(ValueError, match="never resizes"):
        buf[0:4] = b"too long"
    with pytest.raises(IndexError):
        buf[64]
    marker = b"kept-secret-" + bytes(range(20))
    buf[: len(marker)] = marker
    assert buf[: len(marker)] == marker and buf[3] == marker[3]
    memory = m._wb_rt.read(0, m._wb_rt.memory_size())
    assert marker in memory
    buf.close()
    assert buf.closed
    assert marker not in m._wb_rt.read(0, m._wb_rt.memory_size())  # wiped when freed
    with pytest.raises(mod.HandleError, match="src: this GuestBuffer is closed"):
        m.LZ4_compress_fast_continue(s, buf, 1)
    with pytest.raises(mod.HandleError, match="closed"):
        buf[0]


def test_a_stream_keeps_its_buffer_alive(mod: ModuleType) -> None:
    m = mod.Lz4Stream()
    block = blocks_of(10, 1)[0]
    s = m.LZ4_createStream()
    ring = m.buffer(2 * BLOCK)
    ring[: len(block)] = block
    m.LZ4_compress_fast_continue(s, ring.span(0, len(block)), 1)
    address = ring._wb_ptr
    del ring
    gc.collect()
    # The stream still points into the ring: it was neither freed nor wiped.
    assert m._wb_rt.read(address, len(block)) == block
    s.close()  # the stream lets go of it: now it is collected, wiped and freed
    gc.collect()
    assert m._wb_rt.read(address, len(block)) != block


def test_the_streaming_functions_are_bound(mod: ModuleType) -> None:
    for name in ["LZ4_compress_fast_continue", "LZ4_decompress_safe_continue", "LZ4_loadDict", "LZ4_saveDict",
                 "LZ4_setStreamDecode", "LZ4_attach_dictionary"]:
        assert hasattr(mod.Lz4Stream, name), name
    assert "LZ4_initStream" in (mod.__doc__ or "")  # still refused: a stream inside a caller buffer
    assert not hasattr(mod.Lz4Stream, "LZ4_freeStream")  # the destructor: close() calls it


def test_the_example_runs(mod: ModuleType, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "lz4stream", mod)
    monkeypatch.setattr(sys, "argv", ["lz4_stream_demo.py"])
    runpy.run_path(str(ROOT / "examples" / "python" / "lz4_stream_demo.py"), run_name="__main__")
    out = capsys.readouterr().out
    assert "decoded block by block into a guest ring buffer: identical" in out
    sizes = [int(w) for w in out.split("independent blocks: ")[1].replace(";", "").split() if w.isdigit()]
    assert sizes[1] < sizes[0], out  # the linked stream is smaller than independent blocks
