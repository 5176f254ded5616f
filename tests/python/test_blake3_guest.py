"""BLAKE3, a third-party C library the repository does not otherwise bind, from its registry sources to
Python bindings with no hand-written glue and no config: `wasm-bind guest` compiles the portable C files
bundled in the crates.io crate blake3 =1.8.2 (guests/locate_blake3.py) with the guest kit, `wasm-bind
--py` binds blake3.h, and every digest is cross-checked with the native `blake3` PyPI package.

The pip-installable package path (`wasm-bind --py --package`, wheel, fresh venv) is added by the
Python packaging work of issue 13 on top of the same `guest` fixture.
"""

from __future__ import annotations

import inspect
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import blake3 as blake3_native  # the native package (requirements.txt): the reference
import pytest

from conftest import ROOT, import_generated

SOURCES = ("blake3.c", "blake3_dispatch.c", "blake3_portable.c")


@pytest.fixture(scope="module")
def guest(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(header, wasm): blake3.wasm built by `wasm-bind guest` from the crate's unmodified C files."""
    proc = subprocess.run([sys.executable, str(ROOT / "guests" / "locate_blake3.py"), str(ROOT)], capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.fail(f"locate_blake3.py failed:\n{proc.stderr}")
    src = Path(proc.stdout.strip())
    wasm = tmp_path_factory.mktemp("blake3") / "blake3.wasm"
    cmd = ["cargo", "run", "-q", "-p", "gen", "--", "guest", *(str(src / s) for s in SOURCES),
           "--header", str(src / "blake3.h"), "-o", str(wasm)]
    subprocess.run(["cargo", "build", "-q", "-p", "gen"], cwd=ROOT, check=True)
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.fail(f"`{' '.join(cmd)}` failed:\n{proc.stderr}")
    print(f"wasm-bind guest blake3: {time.perf_counter() - started:.2f} s, {wasm.stat().st_size} bytes\n{proc.stderr}")
    assert "imports nothing" in proc.stderr
    return src / "blake3.h", wasm


@pytest.fixture(scope="module")
def b3(guest: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> tuple[ModuleType, Any]:
    header, wasm = guest
    out = tmp_path_factory.mktemp("blake3_py")
    cmd = ["cargo", "run", "-q", "-p", "gen", "--", "--py", str(header), "--wasm", str(wasm), "-o", str(out)]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.fail(f"`{' '.join(cmd)}` failed:\n{proc.stderr}")
    assert "warning" not in proc.stderr, proc.stderr  # bound whole, no config
    module = import_generated("blake3", out / "blake3.py")
    return module, module.Blake3()


def digest(b3: tuple[ModuleType, Any], data: bytes, n: int = 32, key: bytes | None = None, context: str | None = None) -> bytes:
    module, lib = b3
    with module.Blake3Hasher(lib) as h:
        if key is not None:
            lib.blake3_hasher_init_keyed(h, key)
        elif context is not None:
            lib.blake3_hasher_init_derive_key(h, context)
        else:
            lib.blake3_hasher_init(h)
        for i in range(0, len(data), 4000):  # several updates, across chunk boundaries
            lib.blake3_hasher_update(h, data[i:i + 4000])
        return bytes(lib.blake3_hasher_finalize(h, n))


def test_version_is_the_crates(b3: tuple[ModuleType, Any]) -> None:
    assert b3[1].blake3_version() == "1.8.2"


def test_hash_keyed_and_derive_key_match_the_native_package(b3: tuple[ModuleType, Any]) -> None:
    rng = random.Random(13)
    for length in [0, 1, 63, 64, 65, 1023, 1024, 1025, 2048, 3 * 1024 + 1, 65536, 100_003]:
        data = rng.randbytes(length)
        n = rng.choice([1, 32, 64, 131])
        assert digest(b3, data, n) == blake3_native.blake3(data).digest(length=n), length
        key = rng.randbytes(32)
        assert digest(b3, data, key=key) == blake3_native.blake3(data, key=key).digest(), length
        assert digest(b3, data, context="wasm-bind 2024 test context") == blake3_native.blake3(
            data, derive_key_context="wasm-bind 2024 test context").digest(), length


def test_finalize_seek_reads_the_extended_output(b3: tuple[ModuleType, Any]) -> None:
    module, lib = b3
    data = os.urandom(5000)
    with module.Blake3Hasher(lib) as h:
        lib.blake3_hasher_init(h)
        lib.blake3_hasher_update(h, data)
        assert bytes(lib.blake3_hasher_finalize_seek(h, 1000, 77)) == blake3_native.blake3(data).digest(length=1077)[1000:]


def test_handle_methods_on_an_unseen_header(b3: tuple[ModuleType, Any]) -> None:
    """Handle methods (issue #14) on a header the naming rule was not written for: `blake3_hasher_*` on
    `blake3_hasher` become `init`, `init_keyed`, `update`, `finalize`, `reset`, ...; the C parameter is named
    `self`, so the module method's keyword is `self_`, and the handle method passes it as the handle."""
    module, lib = b3
    own = {n for n, v in vars(module.Blake3Hasher).items() if callable(v) and not n.startswith("_")}
    assert {"init", "init_keyed", "init_derive_key", "update", "finalize", "finalize_seek", "reset"} <= own
    assert "self_" in inspect.signature(lib.blake3_hasher_update).parameters
    rng = random.Random(3)
    key = rng.randbytes(32)
    for size in (0, 1, 1024, 1025, 9000):
        data = rng.randbytes(size)
        with module.Blake3Hasher(lib) as h:
            h.init()
            for i in range(0, len(data), 1000):
                h.update(data[i:i + 1000])
            assert bytes(h.finalize(40)) == blake3_native.blake3(data).digest(length=40) == digest(b3, data, 40)
            h.reset()
            h.update(data)
            assert bytes(h.finalize_seek(7, 9)) == blake3_native.blake3(data).digest(length=16)[7:]
        with module.Blake3Hasher(lib) as h:
            h.init_keyed(key)
            h.update(data)
            assert bytes(h.finalize(32)) == blake3_native.blake3(data, key=key).digest()
