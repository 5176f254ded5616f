"""The checked-in generated files run, and agree with what the generator writes today:
tests/golden/python/* and the committed example bindings in examples/python/monocypher/, which are
Monocypher's golden files (both also compared byte for byte by tests/rust/python_golden.rs).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Dict

import pytest

from conftest import BUNDLED, import_generated

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "python"
EXAMPLE = ROOT / "examples" / "python" / "monocypher"


def golden_dir(stem: str) -> Path:
    """Where a stem's checked-in generated files live (Monocypher's are the committed example)."""
    return EXAMPLE if stem == "monocypher" else GOLDEN


@pytest.mark.parametrize("stem", sorted([*BUNDLED, "edge"]))
def test_golden_files_match_fresh_generation(generated: Dict[str, Any], stem: str) -> None:
    for ext in ("py", "pyi"):
        path = golden_dir(stem) / f"{stem}.{ext}"
        golden = path.read_text()
        fresh = (generated[stem].py if ext == "py" else generated[stem].pyi).read_text()
        same = golden == fresh  # not `assert a == b`: pytest would print both 70 kB files
        assert same, (
            f"{path.relative_to(ROOT)} is stale: BLESS=1 cargo test -p wasm-bind-tests --test python_golden"
        )


def test_golden_modules_import_and_run(generated: Dict[str, Any]) -> None:
    mono_mod = import_generated("golden_monocypher", EXAMPLE / "monocypher.py")
    mono = mono_mod.Monocypher(wasm=BUNDLED["monocypher"].wasm)
    assert mono.crypto_blake2b(64, b"golden") == hashlib.blake2b(b"golden").digest()
    cipher_text, mac = mono.crypto_aead_lock(bytes(32), bytes(24), b"", b"golden")
    assert mono.crypto_aead_unlock(mac, bytes(32), bytes(24), b"", cipher_text) == b"golden"

    twosum_mod = import_generated("golden_twosum", GOLDEN / "twosum.py")
    twosum = getattr(twosum_mod, twosum_mod.__all__[0])(wasm=BUNDLED["twosum"].wasm)
    assert twosum.two_sum([1, 5, 9], 14) == (1 << 32) | 2

    edge_mod = import_generated("golden_edge", GOLDEN / "edge.py")
    edge = edge_mod.Edge(wasm=generated["edge"].wasm)
    assert edge.fill_iota(3, 7, 2) == [7, 9, 11]
