"""Static checks of freshly generated modules: `ruff check` (repo ruff.toml) passes on the .py,
`mypy --strict` passes on the .pyi stubs plus typed code using them, and mypy rejects misuse.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any, Dict

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUESTS = ROOT / "target" / "guests"


def run(cmd: list[str], env: Dict[str, str] | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env={**os.environ, **(env or {})})


def tool(name: str) -> list[str]:
    """`python -m <tool>` when importable, else the executable (ruff ships both)."""
    return [sys.executable, "-m", name]


def test_ruff_passes_on_generated_modules(generated: Dict[str, Any]) -> None:
    files = [str(g.py) for g in generated.values()]
    proc = run(tool("ruff") + ["check", "--no-cache", "--config", str(ROOT / "ruff.toml"), *files])
    assert proc.returncode == 0, proc.stdout + proc.stderr


TYPED_USE = '''
from monocypher import (CRYPTO_ARGON2_ID, Buffer, CryptoArgon2Config, CryptoArgon2Extras, CryptoArgon2Inputs,
                        CryptoBlake2bCtx, Error, Monocypher, StatusError)
from twosum import Twosum

mono = Monocypher()
cipher_text, mac = mono.crypto_aead_lock(bytes(32), bytes(24), b"", bytearray(b"text"))
plain_text: bytes = mono.crypto_aead_unlock(mac, bytes(32), bytes(24), memoryview(b""), cipher_text)
digest: bytes = mono.crypto_blake2b(64, plain_text)
secret_key, public_key, wiped_seed = mono.crypto_eddsa_key_pair(bytes(32))
counter: int = mono.crypto_chacha20_djb(b"", bytes(32), bytes(8), 0)[1]
algorithm: int = CRYPTO_ARGON2_ID
try:
    mono.crypto_verify16(bytes(16), bytes(16))
except StatusError as e:
    function: str = e.function
    status: int = e.status
except Error:
    pass
pair: int = Twosum(wasm="twosum.wasm").two_sum([1, 2, 3], 5)
config = CryptoArgon2Config(algorithm=CRYPTO_ARGON2_ID, nb_blocks=8, nb_passes=1, nb_lanes=1)
inputs = CryptoArgon2Inputs(pass_=b"password", salt=bytearray(b"somesalt"))
password: Buffer = inputs.pass_
hashed: bytes = mono.crypto_argon2(32, config, inputs, CryptoArgon2Extras(key=b"", ad=b""))
with CryptoBlake2bCtx(mono) as ctx:
    mono.crypto_blake2b_init(ctx, 64)
    mono.crypto_blake2b_update(ctx, b"data")
    streamed: bytes = mono.crypto_blake2b_final(ctx)
with CryptoBlake2bCtx(mono) as ctx:
    ctx.init(64)
    ctx.update(memoryview(b"data"))
    streamed = ctx.final()
limited = Monocypher(max_memory=1 << 24, timeout=None)
'''

MISUSE = '''
from monocypher import CryptoArgon2Inputs, CryptoBlake2bCtx, Monocypher
from twosum import Twosum

mono = Monocypher()
mono.crypto_blake2b("64", b"")
mono.crypto_aead_lock(bytes(32), bytes(24), b"")
text: str = mono.crypto_aead_unlock(bytes(16), bytes(32), bytes(24), b"", b"")
Twosum().two_sum(["1"], 2)
mono.crypto_no_such_function()
CryptoArgon2Inputs(pass_="text", salt=b"")
mono.crypto_blake2b_update(b"not a handle", b"")
CryptoBlake2bCtx(mono).update("text")
'''


def stubs_dir(generated: Dict[str, Any], tmp: Path) -> Path:
    """A directory holding only the generated stubs (so mypy reads them, not the .py)."""
    d = tmp / "stubs"
    d.mkdir()
    for g in generated.values():
        shutil.copy(g.pyi, d / g.pyi.name)
    return d


def test_mypy_strict_passes_on_stubs_and_typed_use(generated: Dict[str, Any], tmp_path: Path) -> None:
    stubs = stubs_dir(generated, tmp_path)
    use = tmp_path / "typed_use.py"
    use.write_text(textwrap.dedent(TYPED_USE))
    proc = run(tool("mypy") + ["--strict", "--no-incremental", *(str(p) for p in sorted(stubs.glob("*.pyi")))])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = run(tool("mypy") + ["--strict", "--no-incremental", str(use)], env={"MYPYPATH": str(stubs)})
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_rejects_misuse(generated: Dict[str, Any], tmp_path: Path) -> None:
    stubs = stubs_dir(generated, tmp_path)
    bad = tmp_path / "misuse.py"
    bad.write_text(textwrap.dedent(MISUSE))
    proc = run(tool("mypy") + ["--strict", "--no-incremental", str(bad)], env={"MYPYPATH": str(stubs)})
    assert proc.returncode == 1, proc.stdout + proc.stderr
    for line in (6, 7, 8, 9, 10, 11, 12, 13):
        assert f"misuse.py:{line}: error" in proc.stdout, (line, proc.stdout)


def test_example_type_checks_against_fresh_stubs(generated: Dict[str, Any], tmp_path: Path) -> None:
    stubs = stubs_dir(generated, tmp_path)
    example = ROOT / "examples" / "python" / "lock_and_hash.py"
    proc = run(tool("mypy") + ["--strict", "--no-incremental", str(example)], env={"MYPYPATH": str(stubs)})
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_examples_dir_passes_mypy_strict_and_ruff(tmp_path: Path) -> None:
    examples = ROOT / "examples" / "python"
    if not (examples / "monocypher" / "monocypher.pyi").is_file():
        pytest.fail("examples/python/monocypher/monocypher.pyi is missing: regenerate it (see lock_and_hash.py)")
    # sqlite_demo.py imports the SQLite module, which is generated, not committed (640 KB): generate it here.
    sqlite = GUESTS / "sqlite"
    proc = run(["cargo", "run", "-q", "-p", "gen", "--", "--py", str(sqlite / "sqlite3.h"), "--config",
                str(ROOT / "guests" / "sqlite" / "sqlite.toml"), "--wasm", str(sqlite / "sqlite.wasm"),
                "-o", str(tmp_path / "sqlite")])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # lz4_stream_demo.py imports the LZ4 streaming module, also generated: likewise.
    proc = run(["cargo", "run", "-q", "-p", "gen", "--", "--py", str(GUESTS / "lz4stream" / "lz4.h"), "--config",
                str(ROOT / "guests" / "lz4" / "lz4_stream.toml"), "--wasm", str(GUESTS / "lz4stream" / "lz4.wasm"),
                "-o", str(tmp_path / "lz4stream")])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = run(tool("mypy") + ["--strict", "--no-incremental", str(examples)],
               env={"MYPYPATH": os.pathsep.join([str(examples / "monocypher"), str(tmp_path / "sqlite"),
                                                 str(tmp_path / "lz4stream")])})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = run(tool("ruff") + ["check", "--no-cache", "--config", str(ROOT / "ruff.toml"), str(examples)])
    assert proc.returncode == 0, proc.stdout + proc.stderr
