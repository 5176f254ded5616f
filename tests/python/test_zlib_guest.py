"""zlib as a libc guest (issue 15's stepping stone): the zlib bundled by libz-sys =1.1.33, built by `wasm-bind guest
--wasi` in guests/build.sh and bound from its unmodified zlib.h + guests/zlib/zlib.toml, cross-checked against
Python's zlib module on random data, including compress/compress2/uncompress, whose `uLongf *destLen` is capacity in,
count out (`capacity(dest)` in the config: computed as compressBound(sourceLen) for compression, given by the caller
for uncompress). The gz* file API runs on library-owned `gzFile` handles in a granted directory, cross-checked with
Python's gzip module."""

from __future__ import annotations

import random
import subprocess
import zlib as pyzlib
from pathlib import Path
from types import ModuleType

import pytest

from conftest import GUESTS, ROOT, import_generated

GEN = ["cargo", "run", "-q", "-p", "gen", "--"]
CONFIG = ROOT / "guests" / "zlib" / "zlib.toml"


@pytest.fixture(scope="module")
def z(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    out = tmp_path_factory.mktemp("zlib_py")
    header, wasm = GUESTS / "zlib" / "zlib.h", GUESTS / "zlib" / "zlib.wasm"
    proc = subprocess.run([*GEN, "--py", str(header), "--config", str(CONFIG), "--wasm", str(wasm), "-o", str(out)],
                          cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.fail(f"wasm-bind --py zlib failed:\n{proc.stderr}")
    return import_generated("zlib", out / "zlib.py")


def test_checksums_match_pythons_zlib_on_random_data(z: ModuleType) -> None:
    g = z.Zlib()
    rng = random.Random(1515)
    for _ in range(300):
        data = rng.randbytes(rng.choice([0, 1, 7, 64, 1000, 65537, 300000]))
        start_crc, start_adler = rng.getrandbits(32), rng.getrandbits(32)
        assert g.crc32(start_crc, data) == pyzlib.crc32(data, start_crc)
        assert g.crc32_z(start_crc, data) == pyzlib.crc32(data, start_crc)
        assert g.adler32(start_adler, data) == pyzlib.adler32(data, start_adler)
        assert g.adler32_z(start_adler, data) == pyzlib.adler32(data, start_adler)


def test_combine_matches_checksums_of_concatenations(z: ModuleType) -> None:
    g = z.Zlib()
    rng = random.Random(7)
    for _ in range(100):
        a, b = rng.randbytes(rng.randrange(0, 5000)), rng.randbytes(rng.randrange(0, 5000))
        assert g.crc32_combine(pyzlib.crc32(a), pyzlib.crc32(b), len(b)) == pyzlib.crc32(a + b)
        assert g.adler32_combine(pyzlib.adler32(a), pyzlib.adler32(b), len(b)) == pyzlib.adler32(a + b)


def test_version_bound_and_messages(z: ModuleType) -> None:
    g = z.Zlib()
    source = (GUESTS / "zlib" / "zlib.h").read_text()
    assert f'#define ZLIB_VERSION "{g.zlibVersion()}"' in source
    for n in (0, 1, 1000, 1 << 20):
        assert g.compressBound(n) >= len(pyzlib.compress(bytes(n), 9))
        assert g.compressBound(n) == n + (n >> 12) + (n >> 14) + (n >> 25) + 13
    assert g.zError(-3) == "data error" and g.zError(-2) == "stream error"


def test_the_guest_is_a_libc_guest(z: ModuleType) -> None:
    import wasmtime

    module = wasmtime.Module(wasmtime.Engine(), (GUESTS / "zlib" / "zlib.wasm").read_bytes())
    names = {e.name for e in module.exports}
    # Exactly what the config binds is exported: compress2 now, never a skipped function like deflate.
    assert "_initialize" in names and "compress2" in names and "crc32" in names and "deflate" not in names
    assert "gzopen" in names and "gzclose" in names  # the destructor is exported, not a method
    assert not hasattr(z.Zlib, "gzclose") and not hasattr(z.Zlib, "gzclose_r")
    assert all(i.module == "wasi_snapshot_preview1" for i in module.imports)


# ---------------------------------------------------------------- gz* file API (library-owned gzFile handles)
def test_gz_file_written_in_the_guest_reads_back_with_pythons_gzip(z: ModuleType, tmp_path: Path) -> None:
    import gzip

    g = z.Zlib(wasi=z.Wasi().dir_rw(tmp_path, "/data"))
    rng = random.Random(15)
    data = b"".join(rng.randbytes(rng.randrange(0, 300)) + b"text " * rng.randrange(0, 50) for _ in range(200))
    f = g.gzopen("/data/out.gz", "wb9")
    assert isinstance(f, z.GzFileS)
    assert g.gzwrite(f, data) == len(data)
    assert g.gzputs(f, "the end\n") == 8
    f.close()  # gzclose: flushes the trailer
    assert f.closed
    assert gzip.decompress((tmp_path / "out.gz").read_bytes()) == data + b"the end\n"
    with pytest.raises(ValueError, match="closed"):
        g.gzwrite(f, b"more")


def test_gz_file_written_by_python_reads_back_in_the_guest(z: ModuleType, tmp_path: Path) -> None:
    import gzip

    data = random.Random(16).randbytes(200_000) + b"abc" * 30_000
    (tmp_path / "in.gz").write_bytes(gzip.compress(data))
    g = z.Zlib(wasi=z.Wasi().dir(tmp_path, "/ro"))
    with g.gzopen("/ro/in.gz", "rb") as f:
        chunks = []
        while chunk := g.gzread(f, 65536):
            chunks.append(chunk)
        assert g.gzeof(f) == 1 and g.gzerror(f) == (0, "")
    assert b"".join(chunks) == data
    assert f.closed


def test_gz_open_failures_and_paths_outside_the_grant(z: ModuleType, tmp_path: Path) -> None:
    g = z.Zlib(wasi=z.Wasi().dir_rw(tmp_path, "/data"))
    for path in ["/data/missing.gz", "/etc/passwd", "/data/../../etc/passwd", str(tmp_path / "x.gz")]:
        with pytest.raises(z.StatusError) as e:
            g.gzopen(path, "rb")  # gzopen returned NULL
        assert e.value.status == 0
    none = z.Zlib()  # deny by default: no directory at all
    with pytest.raises(z.StatusError):
        none.gzopen("/data/x.gz", "wb")


def test_gz_handles_are_freed_by_the_collector_and_refused_after_a_trap(z: ModuleType, tmp_path: Path) -> None:
    import gc
    import gzip

    g = z.Zlib(wasi=z.Wasi().dir_rw(tmp_path, "/data"))
    for i in range(300):
        f = g.gzopen(f"/data/{i % 3}.gz", "wb")
        g.gzputs(f, f"file {i}\n")
        del f  # the collector closes it: gzclose flushes the data and the gzip trailer
    gc.collect()
    assert gzip.decompress((tmp_path / "0.gz").read_bytes()) == b"file 297\n"
    f = g.gzopen("/data/keep.gz", "wb")
    g._wb_rt._recover()  # what a trap does: the instance is re-created, its files and memory gone
    with pytest.raises(ValueError, match="re-created after a trap"):
        g.gzputs(f, "x")
    assert f.closed
def test_compress_round_trips_against_pythons_zlib(z: ModuleType) -> None:
    g = z.Zlib()
    rng = random.Random(1516)
    for _ in range(60):
        n = rng.choice([0, 1, 100, 4096, 70000])
        data = bytes(rng.choice(b"abc ") for _ in range(n)) if rng.random() < 0.5 else rng.randbytes(n)
        level = rng.choice([-1, 0, 1, 6, 9])
        packed = g.compress2(data, level)
        assert len(packed) <= g.compressBound(len(data))  # cut to the count zlib wrote back
        assert pyzlib.decompress(packed) == data
        assert pyzlib.decompress(g.compress(data)) == data
        # The guest inflates what Python's zlib deflated, into exactly the capacity asked for.
        assert g.uncompress(len(data), pyzlib.compress(data, level)) == data
        assert g.uncompress(len(data) + 100, packed) == data


def test_capacity_too_small_and_bad_data_are_status_errors(z: ModuleType) -> None:
    g = z.Zlib()
    data = b"hello, hello, hello" * 50
    with pytest.raises(z.StatusError) as e:
        g.uncompress(len(data) - 1, pyzlib.compress(data))
    assert e.value.status == -5  # Z_BUF_ERROR: the capacity is too small
    with pytest.raises(z.StatusError) as e:
        g.uncompress(100, b"not zlib data")
    assert e.value.status == -3  # Z_DATA_ERROR
    with pytest.raises(OverflowError):
        g.uncompress(-1, pyzlib.compress(data))
    assert g.uncompress(len(data), pyzlib.compress(data)) == data  # still usable
