"""ABI checks for the LZ4 wasm32 guest built by guests/build.sh (target/guests/lz4/).

Uses wasmtime-py directly (no generated bindings). The guest's block API is checked against the
native LZ4 of the `lz4` PyPI package (`lz4.block`) in both directions, on this repository's
files, random and repetitive data; malformed input must make the safe decoders return a
negative value without trapping or writing outside the destination.
"""

from __future__ import annotations

import importlib
import random
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator

import pytest
import wasmtime

# python-lz4 (PyPI `lz4`, native LZ4) ships no type stubs; import dynamically so mypy sees Any.
lz4: Any = importlib.import_module("lz4")
importlib.import_module("lz4.block")

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "target" / "guests" / "lz4"
WASM = OUT / "lz4.wasm"
HEADER = OUT / "lz4.h"
ARENA_FNS = {"bump_alloc", "bump_reset", "wb_reset_wiped", "wb_persist_alloc", "wb_persist_free"}
# Declared in lz4.h but compiled only with an allocator (LZ4_FREESTANDING=1 leaves them out).
NEEDS_MALLOC = {"LZ4_createStream", "LZ4_freeStream", "LZ4_createStreamDecode", "LZ4_freeStreamDecode", "LZ4_create"}
GUARD = 4096  # bytes of canary on each side of a destination buffer
CANARY = 0xA5


def _header_text() -> str:
    assert HEADER.is_file(), f"{HEADER} missing: run `bash guests/build.sh`"
    return HEADER.read_text()


def header_define(name: str) -> int:
    m = re.search(rf"^#define\s+{name}\s+(0[xX][0-9a-fA-F]+|\d+)\b", _header_text(), flags=re.MULTILINE)
    assert m, f"#define {name} not found in {HEADER}"
    return int(m.group(1), 0)


def header_functions() -> set[str]:
    """Every LZ4LIB_API function name declared in lz4.h (comments stripped)."""
    text = re.sub(r"/\*.*?\*/|//[^\n]*", "", _header_text(), flags=re.DOTALL)
    # [^#]: never run from a `#define ... LZ4LIB_API` line into the next (static-only) declaration.
    return set(re.findall(r"LZ4LIB_API\b[^;{(#]*?\b(LZ4_\w+)\s*\(", text))


def header_functions_gated_by(macro: str) -> set[str]:
    """The LZ4LIB_API functions declared inside `#if !defined(<macro>) ... #endif` blocks of lz4.h."""
    text = re.sub(r"/\*.*?\*/|//[^\n]*", "", _header_text(), flags=re.DOTALL)
    blocks = re.findall(rf"^#if !defined\({macro}\)\s*$(.*?)^#endif", text, flags=re.MULTILINE | re.DOTALL)
    assert blocks, f"no `#if !defined({macro})` block in {HEADER}"
    return {n for b in blocks for n in re.findall(r"LZ4LIB_API\b[^;{(#]*?\b(LZ4_\w+)\s*\(", b)}


@pytest.fixture(scope="module")
def module() -> tuple[wasmtime.Engine, wasmtime.Module]:
    assert WASM.is_file(), f"{WASM} missing: run `bash guests/build.sh`"
    engine = wasmtime.Engine()
    return engine, wasmtime.Module.from_file(engine, str(WASM))


class Lz4Guest:
    """One fresh instance of the LZ4 guest, with the host side of the arena protocol."""

    def __init__(self, engine: wasmtime.Engine, mod: wasmtime.Module) -> None:
        self.store = wasmtime.Store(engine)
        self.instance = wasmtime.Instance(self.store, mod, [])
        self.exports = self.instance.exports(self.store)
        mem = self.exports["memory"]
        assert isinstance(mem, wasmtime.Memory)
        self.memory = mem

    def call(self, name: str, *args: Any) -> Any:
        fn = self.exports[name]
        assert isinstance(fn, wasmtime.Func)
        return fn(self.store, *args)

    def alloc(self, size: int) -> int:
        ptr = int(self.call("bump_alloc", size))
        assert ptr != 0, f"bump_alloc({size}) failed"
        return ptr

    def put(self, data: bytes) -> int:
        ptr = self.alloc(len(data))
        if data:
            self.memory.write(self.store, data, ptr)
        return ptr

    def read(self, ptr: int, n: int) -> bytes:
        return bytes(self.memory.read(self.store, ptr, ptr + n)) if n else b""

    def cstr(self, ptr: int, limit: int = 256) -> str:
        raw = self.read(ptr, limit)
        assert b"\0" in raw, "unterminated C string"
        return raw.split(b"\0", 1)[0].decode("ascii")

    def guarded(self, cap: int) -> tuple[int, int]:
        """A destination of `cap` bytes between two canary regions; returns (block, dst)."""
        block = self.alloc(cap + 2 * GUARD)
        self.memory.write(self.store, bytes([CANARY]) * (cap + 2 * GUARD), block)
        return block, block + GUARD

    def guards_intact(self, block: int, cap: int) -> bool:
        return (
            self.read(block, GUARD) == bytes([CANARY]) * GUARD
            and self.read(block + GUARD + cap, GUARD) == bytes([CANARY]) * GUARD
        )

    # -- the block API, one arena cycle per call ------------------------------------------
    def compress(self, data: bytes, fn: str = "LZ4_compress_default", *extra: int) -> bytes:
        cap = int(self.call("LZ4_compressBound", len(data)))
        assert cap >= len(data), (len(data), cap)
        src = self.put(data)
        block, dst = self.guarded(cap)
        if fn == "LZ4_compress_fast_extState":
            state = self.alloc(int(self.call("LZ4_sizeofState")))
            n = int(self.call(fn, state, src, dst, len(data), cap, *extra))
        else:
            n = int(self.call(fn, src, dst, len(data), cap, *extra))
        assert 0 < n <= cap, f"{fn} returned {n} (capacity {cap})"
        assert self.guards_intact(block, cap), f"{fn} wrote outside dst"
        assert self.read(src, len(data)) == data, f"{fn} modified src"
        out = self.read(dst, n)
        self.call("bump_reset")
        return out

    def decompress(
        self,
        blob: bytes,
        cap: int,
        *,
        target: int | None = None,
        dictionary: bytes | None = None,
    ) -> tuple[int, bytes]:
        """LZ4_decompress_safe (or _partial with `target`, or _usingDict with `dictionary`).

        Returns (the guest's return value, dst[:ret], or b"" when ret < 0)."""
        src = self.put(blob)
        block, dst = self.guarded(cap)
        if target is not None:
            fn = "LZ4_decompress_safe_partial"
            ret = int(self.call(fn, src, dst, len(blob), target, cap))
        elif dictionary is not None:
            fn = "LZ4_decompress_safe_usingDict"
            d = self.put(dictionary)
            ret = int(self.call(fn, src, dst, len(blob), cap, d, len(dictionary)))
        else:
            fn = "LZ4_decompress_safe"
            ret = int(self.call(fn, src, dst, len(blob), cap))
        assert ret <= cap, f"{fn} returned {ret} > capacity {cap}"
        assert self.guards_intact(block, cap), f"{fn} wrote outside dst (ret {ret})"
        assert self.read(src, len(blob)) == blob, f"{fn} modified src"
        out = self.read(dst, ret) if ret > 0 else b""
        self.call("bump_reset")
        return ret, out


@pytest.fixture
def guest(module: tuple[wasmtime.Engine, wasmtime.Module]) -> Lz4Guest:
    return Lz4Guest(*module)


# --------------------------------------------------------------------------------------------
# Test data


def repo_files() -> list[Path]:
    files: list[Path] = []
    for pattern in ("bindgen-core/src/**/*.rs", "guests/**/*", "templates/**/*", "tests/python/*.py", "*.toml"):
        files += [
            p
            for p in sorted(ROOT.glob(pattern))
            if p.is_file() and p.stat().st_size > 0 and "__pycache__" not in p.parts
        ]
    return files


def corpus() -> Iterator[tuple[str, bytes]]:
    rng = random.Random(20261126)
    files = repo_files()
    assert len(files) >= 10, f"expected this repository's sources, found {files}"
    for p in files:
        yield str(p.relative_to(ROOT)), p.read_bytes()
    yield "all-sources", b"".join(p.read_bytes() for p in files)
    yield "lz4.h", HEADER.read_bytes()
    yield "lz4.wasm", WASM.read_bytes()
    yield "empty", b""
    yield "one-byte", b"x"
    yield "zeros-1MiB", bytes(1 << 20)
    yield "random-64KiB", rng.randbytes(65536)
    yield "random-1MiB+13", rng.randbytes((1 << 20) + 13)
    yield "repeat-abc", b"abc" * 100_000
    yield "random-period-70000", rng.randbytes(70_000) * 5  # repeats only beyond the 64 KiB window
    yield "runs", b"".join(bytes([rng.randrange(256)]) * rng.randrange(1, 300) for _ in range(5000))
    text = b" ".join(
        rng.choice([b"lorem", b"ipsum", b"dolor", b"sit", b"amet", b"wasm", b"lz4"]) for _ in range(200_000)
    )
    yield "words", text


CORPUS = list(corpus()) if WASM.is_file() else []


def corpus_ids() -> list[str]:
    return [name for name, _ in CORPUS] or ["guest-not-built"]


# --------------------------------------------------------------------------------------------
# Layout, exports, version


def test_module_is_self_contained_and_exports_the_block_api(
    module: tuple[wasmtime.Engine, wasmtime.Module],
) -> None:
    _, mod = module
    assert list(mod.imports) == [], f"imports: {[(i.module, i.name) for i in mod.imports]}"
    exports = {e.name: e.type for e in mod.exports}
    declared = header_functions()
    assert len(declared) == 44, sorted(declared)  # lz4.h of LZ4 1.10.0, LZ4_STATIC_LINKING_ONLY unset
    assert {"LZ4_compress_default", "LZ4_decompress_safe", "LZ4_initStream", "LZ4_compress_fast_continue"} <= declared
    assert NEEDS_MALLOC <= declared, sorted(NEEDS_MALLOC - declared)
    missing = declared - NEEDS_MALLOC - set(exports)
    assert not missing, f"declared in lz4.h but not exported: {sorted(missing)}"
    assert not (NEEDS_MALLOC & set(exports)), "the malloc-based API must not be compiled in"
    assert ARENA_FNS | {"memory", "__heap_base"} <= set(exports)
    wanted = {
        "LZ4_versionNumber": 0,
        "LZ4_versionString": 0,
        "LZ4_compressBound": 1,
        "LZ4_compress_default": 4,
        "LZ4_compress_fast": 5,
        "LZ4_decompress_safe": 4,
        "LZ4_decompress_safe_partial": 5,
        "LZ4_sizeofState": 0,
        "LZ4_compress_fast_extState": 6,
    }
    for name, arity in wanted.items():
        ty = exports[name]
        assert isinstance(ty, wasmtime.FuncType), name
        assert [str(p) for p in ty.params] == ["i32"] * arity, (name, ty.params)
        assert [str(r) for r in ty.results] == ["i32"], (name, ty.results)


def test_header_is_upstream_unmodified() -> None:
    located = subprocess.run(
        [sys.executable, str(ROOT / "guests" / "locate_lz4.py"), str(ROOT)],
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout.strip()
    upstream = Path(located) / "lz4.h"
    assert upstream.is_file(), upstream
    assert HEADER.read_bytes() == upstream.read_bytes()
    assert "lz4-sys-" in located, located  # it comes from the crates.io crate, not the repository
    assert not list((ROOT / "guests").rglob("lz4.c")), "LZ4 sources must not be copied into the repo"


def test_version(guest: Lz4Guest) -> None:
    major, minor, release = (header_define(f"LZ4_VERSION_{k}") for k in ("MAJOR", "MINOR", "RELEASE"))
    assert (major, minor) >= (1, 9), "LZ4_FREESTANDING needs LZ4 >= 1.9.4"
    number = int(guest.call("LZ4_versionNumber"))
    assert number == major * 10000 + minor * 100 + release
    text = guest.cstr(int(guest.call("LZ4_versionString")))
    assert text == f"{major}.{minor}.{release}"
    native = lz4.library_version_string()
    assert re.fullmatch(r"\d+\.\d+\.\d+", native), native
    if lz4.library_version_number() == number:
        assert text == native
    else:
        # The PyPI wheel bundles its own LZ4; the block format is the same across 1.x.
        assert native.split(".")[0] == text.split(".")[0] == "1"


def test_compress_bound_matches_header_formula(guest: Lz4Guest) -> None:
    max_input = header_define("LZ4_MAX_INPUT_SIZE")
    for n in (0, 1, 15, 16, 255, 256, 65536, 10**6, max_input):
        assert guest.call("LZ4_compressBound", n) == n + n // 255 + 16, n
    assert guest.call("LZ4_compressBound", max_input + 1) == 0
    assert guest.call("LZ4_compressBound", -1) == 0


# --------------------------------------------------------------------------------------------
# guest -> native and native -> guest


@pytest.mark.parametrize("name,data", CORPUS, ids=corpus_ids())
def test_guest_compress_native_decompress(guest: Lz4Guest, name: str, data: bytes) -> None:
    blobs = {
        "default": guest.compress(data),
        "fast-1": guest.compress(data, "LZ4_compress_fast", 1),
        "fast-17": guest.compress(data, "LZ4_compress_fast", 17),
        "fast-max": guest.compress(data, "LZ4_compress_fast", 65537),
        "extState-3": guest.compress(data, "LZ4_compress_fast_extState", 3),
    }
    # acceleration 1 is the default.
    assert blobs["fast-1"] == blobs["default"]
    for how, blob in blobs.items():
        assert lz4.block.decompress(blob, uncompressed_size=len(data)) == data, how
        # and back through the guest's own decoder, with the exact capacity
        assert guest.decompress(blob, len(data)) == (len(data), data), how
    # Same algorithm as native LZ4, but not the same bytes: on wasm32 (4-byte size_t) LZ4 hashes
    # 4-byte sequences where 64-bit builds hash 5, and this LZ4 (1.10) differs from the wheel's.
    # The ratio must still be close to native's (a guest that stored literals only would fail).
    native = lz4.block.compress(data, store_size=False)
    assert len(blobs["default"]) <= len(native) * 5 // 4 + 32, (name, len(blobs["default"]), len(native))


@pytest.mark.parametrize("name,data", CORPUS, ids=corpus_ids())
def test_native_compress_guest_decompress(guest: Lz4Guest, name: str, data: bytes) -> None:
    for kw in (
        {},
        {"mode": "fast", "acceleration": 8},
        {"mode": "high_compression", "compression": 9},
        {"mode": "high_compression", "compression": 12},
    ):
        blob = lz4.block.compress(data, store_size=False, **kw)
        assert guest.decompress(blob, len(data)) == (len(data), data), kw
        # More room than needed is fine: the return value says how much was written.
        assert guest.decompress(blob, len(data) + 100) == (len(data), data), kw
        if data:
            # One byte too little: an error, and nothing written outside dst.
            ret, _ = guest.decompress(blob, len(data) - 1)
            assert ret < 0, (kw, ret)


@pytest.mark.parametrize("target", [0, 1, 100, 5000, 65536, 200_000])
def test_decompress_safe_partial(guest: Lz4Guest, target: int) -> None:
    data = b"".join(p.read_bytes() for p in repo_files())[:150_000]
    blob = lz4.block.compress(data, store_size=False)
    for cap in (len(data), min(target + 64, len(data)), target):
        ret, out = guest.decompress(blob, cap, target=target)
        assert ret >= 0, (target, cap, ret)
        assert ret >= min(target, cap, len(data)), (target, cap, ret)
        assert out == data[:ret]


def test_decompress_using_dict_matches_native(guest: Lz4Guest) -> None:
    rng = random.Random(7)
    dictionary = b"".join(p.read_bytes() for p in repo_files()[:8])[-65536:]
    data = dictionary[1000:9000] + rng.randbytes(300) + dictionary[20000:30000]
    blob = lz4.block.compress(data, store_size=False, dict=dictionary)
    assert len(blob) < len(data) // 4  # the matches really point into the dictionary
    assert guest.decompress(blob, len(data), dictionary=dictionary) == (len(data), data)
    # Without the dictionary the same block is invalid (offsets reach before dst).
    assert guest.decompress(blob, len(data))[0] < 0


# --------------------------------------------------------------------------------------------
# Malformed input: a negative return, never a trap, never a write outside dst


def native_accepts(blob: bytes, cap: int) -> bool:
    """Whether the native LZ4_decompress_safe (through lz4.block) decodes `blob` into `cap` bytes."""
    try:
        lz4.block.decompress(blob, uncompressed_size=cap)
    except lz4.block.LZ4BlockError:
        return False
    return True


TAIL = b"\xf0\x05" + b"x" * 20  # a valid last sequence of 20 literals, so the bad part is parsed fully


@pytest.mark.parametrize(
    "blob,cap,partial",
    [
        (b"", 100, None),  # no token at all
        (b"\x50hello\xff\xff" + TAIL, 100, None),  # match offset 65535 reaches before dst
        (b"\x50hello\x06\x00" + TAIL, 100, None),  # offset 6 > the 5 bytes decoded so far
        (b"\x1fA\x01\x00" + b"\xff" * 30, 10**6, None),  # match length runs past the input
        (b"\xf0" + b"\xff" * 40, 10**6, None),  # literal length runs past the input
        (b"\x80hello", 100, b"hello"),  # 8 literals announced, 5 present
        (b"\x40abcd\x04\x00", 100, b"abcd"),  # a match as the last sequence (must end with literals)
        (b"\x50hello\x01\x00" + TAIL, 12, b"hellooooo" + b"xxx"),  # valid, 29 bytes, into 12 bytes
    ],
    ids=[
        "empty",
        "offset-before-start",
        "offset-past-output",
        "match-length-past-input",
        "literal-length-past-input",
        "short-literals",
        "ends-with-match",
        "dst-too-small",
    ],
)
def test_malformed_block_is_rejected(guest: Lz4Guest, blob: bytes, cap: int, partial: bytes | None) -> None:
    assert not native_accepts(blob, cap), "the native decoder must reject it too"
    ret, _ = guest.decompress(blob, cap)
    assert ret < 0, ret
    # The partial decoder may stop inside a literal run cut short by the end of the input, or
    # at the end of dst (that is its contract: `partial` is what it must then return);
    # invalid offsets and lengths it must reject like the full decoder.
    ret, out = guest.decompress(blob, cap, target=cap)
    if partial is None:
        assert ret < 0, (ret, out)
    else:
        assert (ret, out) == (len(partial), partial)


def test_offset_zero_follows_native(guest: Lz4Guest) -> None:
    # Offset 0 is invalid in the format, but LZ4's safe decoder does not check it (the match
    # copies bytes of dst itself, still inside dst): the guest must behave like native LZ4.
    blob = b"\x50hello\x00\x00" + TAIL
    ret, out = guest.decompress(blob, 100)
    assert native_accepts(blob, 100) == (ret >= 0)
    if ret >= 0:
        assert ret == 29 and out[:5] == b"hello" and out[9:] == b"x" * 20


def test_truncated_blocks_are_rejected(guest: Lz4Guest) -> None:
    data = (ROOT / "guests" / "build.sh").read_bytes() * 3
    blob = lz4.block.compress(data, store_size=False)
    rejected = 0
    cuts = range(1, len(blob), max(1, len(blob) // 197))
    for cut in cuts:
        ret, out = guest.decompress(blob[:cut], len(data))
        assert (ret < 0) == (not native_accepts(blob[:cut], len(data))), cut
        # A cut right after a literal run reads as a shorter valid block: a prefix of the data.
        assert ret < 0 or (ret < len(data) and out == data[:ret]), (cut, ret)
        rejected += ret < 0
    assert rejected > len(cuts) * 9 // 10, f"{rejected}/{len(cuts)}"


def test_random_corruption_never_traps_or_overflows(guest: Lz4Guest) -> None:
    rng = random.Random(1234)
    data = b"".join(p.read_bytes() for p in repo_files())[:40_000]
    blob = lz4.block.compress(data, store_size=False)
    negatives = 0
    trials = 400
    for _ in range(trials):
        bad = bytearray(blob)
        for _ in range(rng.randrange(1, 6)):
            bad[rng.randrange(len(bad))] = rng.randrange(256)
        if rng.random() < 0.3:
            bad = bad[: rng.randrange(1, len(bad))]
        cap = rng.choice([len(data), len(data) // 2, len(data) + 1000])
        # guest.decompress asserts ret <= cap, the canaries around dst and an untouched src;
        # a trap would raise wasmtime.Trap and fail the test.
        ret, out = guest.decompress(bytes(bad), cap)
        assert (ret < 0) == (not native_accepts(bytes(bad), cap)), "guest and native LZ4 disagree"
        negatives += ret < 0
        ret_p, _ = guest.decompress(bytes(bad), cap, target=rng.randrange(cap + 1))
        assert ret_p <= cap
    assert negatives > trials // 4, f"only {negatives}/{trials} corrupted blocks were rejected"
    for _ in range(100):  # pure garbage
        junk = rng.randbytes(rng.randrange(1, 2000))
        ret, _ = guest.decompress(junk, 4096)
        assert (ret < 0) == (not native_accepts(junk, 4096))
    # The instance is still healthy afterwards.
    assert guest.decompress(blob, len(data)) == (len(data), data)


# --------------------------------------------------------------------------------------------
# The draft config stays valid against the header and the module


def test_draft_config_explains_cleanly() -> None:
    proc = subprocess.run(
        ["cargo", "run", "-q", "-p", "gen", "--", "--explain", str(HEADER)]
        + ["--config", str(ROOT / "guests" / "lz4" / "lz4.toml"), "--wasm", str(WASM)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    bound, _, not_bound = proc.stdout.partition("\nnot bound:\n")
    for name in ("LZ4_compress_default", "LZ4_compress_fast", "LZ4_decompress_safe", "LZ4_decompress_safe_partial"):
        assert re.search(rf"^{name} \(", bound, flags=re.MULTILINE), f"{name} is not bound:\n{proc.stdout}"
    # LZ4_FREESTANDING=1 (the config's clang args) defines LZ4_STATIC_LINKING_ONLY_DISABLE_MEMORY_ALLOCATION,
    # which compiles the malloc-based stream constructors out of the header: clang never sees them.
    gated = header_functions_gated_by("LZ4_STATIC_LINKING_ONLY_DISABLE_MEMORY_ALLOCATION")
    assert gated == NEEDS_MALLOC - {"LZ4_create"}, sorted(gated)
    for name in gated:
        assert not re.search(rf"^(  )?{name} \(", proc.stdout, flags=re.MULTILINE), f"{name} is compiled out"
    # Every other declared function is either bound or listed with a reason, never dropped.
    for name in header_functions() - gated:
        assert re.search(rf"^(  )?{name} \(", proc.stdout, flags=re.MULTILINE), name
