"""LZ4 streaming in a WebAssembly sandbox: a linked block stream through guest buffers (README "Guest buffers").

LZ4's streaming compressor matches each block against the previous 64 KiB of input *where it lies*, and its decoder
copies matches from the previous output where it lies: those pointers outlive the call, so the bound functions take
spans of guest buffers (`kept` in guests/lz4/lz4_stream.toml), memory this script owns in the guest, instead of
per-call copies. The guest is lz4.c (from the lz4-sys crate) built as a libc guest by guests/build.sh. Generate the
module into examples/python/lz4stream/ first (not committed):

    bash guests/build.sh
    cargo run -p gen -- --py target/guests/lz4stream/lz4.h --config guests/lz4/lz4_stream.toml \\
        --wasm target/guests/lz4stream/lz4.wasm -o examples/python/lz4stream

Run:  python3 examples/python/lz4_stream_demo.py [FILE]
Shows: FILE (default: this script, ten times) cut into 16 KiB blocks, compressed as independent blocks and as one
linked stream (each block written into a double-size ring buffer), then the stream decoded block by block into a
decoder ring buffer and compared with the input.
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lz4stream"))

try:
    from lz4stream import GuestBuffer, Lz4Stream
except ImportError as e:  # pragma: no cover - a message for a first run
    raise SystemExit(f"{e}: generate examples/python/lz4stream/ first (see this file's docstring)") from e

BLOCK = 16 * 1024


def compress_linked(lz: Lz4Stream, blocks: list[bytes]) -> list[bytes]:
    """Each block written after the previous one in a ring buffer of two 64 KiB windows, then compressed against the
    history the stream keeps pointers into (wrapping to the start when the next block would not fit)."""
    ring: GuestBuffer = lz.buffer(2 * 64 * 1024)
    out, at = [], 0
    with lz.LZ4_createStream() as stream:
        for block in blocks:
            if at + len(block) > len(ring):
                at = 0
            ring[at : at + len(block)] = block
            out.append(lz.LZ4_compress_fast_continue(stream, ring.span(at, len(block)), 1))
            at += len(block)
    return out


def decompress_linked(lz: Lz4Stream, packed: list[bytes]) -> bytes:
    """Each block decoded right after the previous one in a decoder ring buffer, whose earlier output the next
    block's matches copy from."""
    ring = lz.buffer(lz.LZ4_decoderRingBufferSize(BLOCK))
    out, at = [], 0
    with lz.LZ4_createStreamDecode() as decoder:
        for block in packed:
            if at + BLOCK > len(ring):
                at = 0
            n = lz.LZ4_decompress_safe_continue(decoder, block, ring.span(at, BLOCK))
            out.append(ring[at : at + n])
            at += n
    return b"".join(out)


def main() -> None:
    path = sys.argv[1] if len(sys.argv) > 1 else None
    with open(path or os.path.abspath(__file__), "rb") as f:
        data = f.read() if path else f.read() * 10
    blocks = [data[i : i + BLOCK] for i in range(0, len(data), BLOCK)]
    lz = Lz4Stream()
    independent = sum(len(lz.LZ4_compress_default(b)) for b in blocks)
    packed = compress_linked(lz, blocks)
    print(f"{len(data)} bytes in {len(blocks)} blocks of {BLOCK // 1024} KiB")
    print(f"independent blocks: {independent} bytes; linked stream: {sum(map(len, packed))} bytes")
    assert decompress_linked(lz, packed) == data
    print("decoded block by block into a guest ring buffer: identical")


if __name__ == "__main__":
    main()
