"""The LZ4 guest (guests/lz4, config guests/lz4/lz4.toml) through Python bindings generated
afresh: the issue-5 roles on a real library - computed capacities (`LZ4_compressBound`), scratch
state sized by a guest call (`LZ4_sizeofState()`), filled-length returns, an in/out length
(`LZ4_compress_destSize`), a returned C string - against the `lz4` package (PyPI) as reference.
"""

from __future__ import annotations

import importlib
import random
from pathlib import Path
from typing import Any

import pytest

from conftest import GUESTS, ROOT, Guest, ensure_guests, generate, import_generated

lz4_block: Any = importlib.import_module("lz4.block")  # the lz4 package ships no type stubs

LZ4 = Guest("lz4", GUESTS / "lz4" / "lz4.h", GUESTS / "lz4" / "lz4.wasm", ROOT / "guests" / "lz4" / "lz4.toml")


@pytest.fixture(scope="module")
def lz4_mod(tmp_path_factory: pytest.TempPathFactory) -> Any:
    ensure_guests()
    if not LZ4.wasm.is_file():
        pytest.fail(f"{LZ4.wasm} is missing: run `bash guests/build.sh`")
    out: Path = tmp_path_factory.mktemp("lz4")
    generate(LZ4, out)
    return import_generated("lz4", out / "lz4.py")


def test_generated_files_pass_ruff_and_mypy(lz4_mod: Any) -> None:
    import subprocess
    import sys

    py = Path(lz4_mod.__file__)
    for cmd in ([sys.executable, "-m", "ruff", "check", "--no-cache", "--config", str(ROOT / "ruff.toml"), str(py)],
                [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(py.with_suffix(".pyi"))]):
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
        assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def lz4(lz4_mod: Any) -> Any:
    return lz4_mod.Lz4()


def sample(rng: random.Random, n: int) -> bytes:
    return bytes(rng.choice(b"abcde \n") for _ in range(n))


@pytest.mark.parametrize("n", [0, 1, 100, 65536, 300_000])
def test_round_trip_against_the_lz4_package(lz4: Any, n: int) -> None:
    data = sample(random.Random(n), n)
    compressed = lz4.LZ4_compress_default(data)
    assert len(compressed) <= lz4.LZ4_compressBound(n)
    assert lz4_block.decompress(compressed, uncompressed_size=n) == data
    assert lz4.LZ4_decompress_safe(compressed, n) == data
    assert lz4.LZ4_decompress_safe(lz4_block.compress(data, store_size=False), n) == data
    # Scratch state of LZ4_sizeofState() bytes, allocated by the wrapper.
    assert lz4_block.decompress(lz4.LZ4_compress_fast_extState(data, 1), uncompressed_size=n) == data


def test_filled_and_error_returns(lz4: Any, lz4_mod: Any) -> None:
    data = b"abc" * 1000
    compressed = lz4.LZ4_compress_default(data)
    assert lz4.LZ4_decompress_safe(compressed, 10_000) == data  # cut to the bytes written
    with pytest.raises(lz4_mod.StatusError) as info:
        lz4.LZ4_decompress_safe(b"\xff\xff\xff", 100)  # malformed: a negative return
    assert info.value.status < 0
    with pytest.raises(lz4_mod.StatusError):
        lz4.LZ4_decompress_safe(compressed, 10)  # too small a capacity
    with pytest.raises(OverflowError, match="dstCapacity"):
        lz4.LZ4_decompress_safe(compressed, -1)


def test_inout_length(lz4: Any) -> None:
    data = sample(random.Random(3), 20_000)
    out, consumed = lz4.LZ4_compress_destSize(data, 1000)
    assert 0 < len(out) <= 1000 and 0 < consumed <= len(data)
    assert lz4_block.decompress(out, uncompressed_size=consumed) == data[:consumed]


def test_version_string(lz4: Any) -> None:
    number = lz4.LZ4_versionNumber()
    assert lz4.LZ4_versionString() == f"{number // 10000}.{number // 100 % 100}.{number % 100}"
