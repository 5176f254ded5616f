"""The Python runtime as a package (issue 11) and `gen --py --package` (issue 13).

One runtime per process: two generated modules share the runtime package `wasm_bind_runtime` (one Engine, one
epoch ticker, one Error hierarchy); a module generated for another runtime protocol, or without the package
installed, fails at import with one ImportError saying what to do; `--inline-runtime` stays self-contained.
Packaging: `gen --py --package` writes a project `pip wheel` turns into a pure py3-none-any wheel, installed into a
fresh venv and run from a directory where this repository is not on sys.path (bounded by subprocess timeouts;
marked `packaging`, part of the normal test command).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import subprocess
import sys
import _thread
import zipfile
from pathlib import Path
from typing import Any, Dict

import pytest

from conftest import BUNDLED, ROOT, import_generated

import wasm_bind_runtime

MONO = BUNDLED["monocypher"]


def gen(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(["cargo", "run", "-q", "-p", "gen", "--", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def mono_args() -> list[str]:
    return ["--py", str(MONO.header), "--config", str(MONO.config), "--wasm", str(MONO.wasm)]


def test_two_generated_modules_share_one_runtime(mono_mod: Any, twosum_mod: Any) -> None:
    for mod in (mono_mod, twosum_mod):
        assert issubclass(mod.StatusError, wasm_bind_runtime.Error)
        for name in ("Error", "StatusError", "TrapError", "TimeoutError", "GuestError", "LoadError"):
            assert getattr(mod, name) is getattr(wasm_bind_runtime, name) and name in mod.__all__
    assert mono_mod._WbInstance is twosum_mod._WbInstance
    runtime = sys.modules["wasm_bind_runtime._runtime"]
    a = mono_mod.Monocypher(timeout=5.0)
    a.crypto_blake2b(64, b"x")
    ticker, threads = runtime._wb_ticker, _thread._count()  # type: ignore[attr-defined]
    assert ticker is not None and ticker.is_alive()
    b = getattr(twosum_mod, twosum_mod.__all__[0])(timeout=5.0)
    b.two_sum([1, 2, 3], 5)
    assert runtime._wb_ticker is ticker and _thread._count() == threads, \
        "the second module started its own ticker"  # type: ignore[attr-defined]
    assert a._wb_rt._store.engine is b._wb_rt._store.engine is runtime._wb_engine


def test_store_engine_is_exposed() -> None:
    """wasmtime-py's Store keeps its engine (the test above compares them); fail loudly if that changes."""
    import wasmtime

    engine = wasmtime.Engine()
    assert wasmtime.Store(engine).engine is engine


def test_protocol_mismatch_is_one_clear_import_error(generated: Dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(wasm_bind_runtime, "PROTOCOL_3")
    monkeypatch.setattr(wasm_bind_runtime, "PROTOCOL", 4)
    with pytest.raises(ImportError) as info:
        import_generated("twosum_protocol_check", generated["twosum"].py)
    text = str(info.value)
    assert "needs runtime protocol 3" in text and "speaks protocol 4" in text and "regenerate the module" in text
    assert "--inline-runtime" in text


def test_missing_runtime_package_says_how_to_install_it(generated: Dict[str, Any],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "wasm_bind_runtime", None)  # type: ignore[arg-type]
    with pytest.raises(ImportError, match=r"twosum: this generated module needs the wasm-bind Python runtime.*"
                                          r"pip install <wasm-bind checkout>/python.*--inline-runtime"):
        import_generated("twosum_no_runtime", generated["twosum"].py)


def test_runtime_version_matches_its_pyproject() -> None:
    text = (ROOT / "python" / "pyproject.toml").read_text()
    assert f'\nversion = "{wasm_bind_runtime.__version__}"\n' in text


def test_inline_runtime_module_is_self_contained(tmp_path: Path) -> None:
    twosum = BUNDLED["twosum"]
    gen("--py", str(twosum.header), "--wasm", str(twosum.wasm), "--inline-runtime", "-o", str(tmp_path))
    text = (tmp_path / "twosum.py").read_text()
    assert "import wasm_bind_runtime" not in text and "from wasm_bind_runtime" not in text and "class _WbInstance" in text
    script = ("import sys; sys.modules['wasm_bind_runtime'] = None; sys.path.insert(0, sys.argv[1]); import twosum; "
              "print(twosum.Twosum().two_sum([1, 2, 3], 5))")
    proc = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, timeout=60,
                          cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout.strip(), proc.stderr


def test_module_name_flag_and_check_follow_it(tmp_path: Path) -> None:
    gen(*mono_args(), "--module-name", "wb_mono", "-o", str(tmp_path))
    assert (tmp_path / "wb_mono.py").is_file() and (tmp_path / "wb_mono.pyi").is_file()
    assert not (tmp_path / "monocypher.py").exists()
    ok = gen(*mono_args(), "--module-name", "wb_mono", "-o", str(tmp_path), "--check")
    assert "up to date" in ok.stderr
    stale = gen(*mono_args(), "-o", str(tmp_path), "--check", check=False)
    assert stale.returncode == 1 and "monocypher.py" in stale.stderr
    bad = gen(*mono_args(), "--module-name", "my-mono", "-o", str(tmp_path / "x"), check=False)
    assert bad.returncode == 2 and "not a valid one" in bad.stderr and not (tmp_path / "x").exists()


def test_package_refuses_a_foreign_dir_and_bad_names(tmp_path: Path) -> None:
    target = tmp_path / "proj"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    refused = gen(*mono_args(), "--package", str(target), check=False)
    assert refused.returncode == 2 and "holds files wasm-bind did not write (notes.txt)" in refused.stderr
    assert sorted(p.name for p in target.iterdir()) == ["notes.txt"]
    gen(*mono_args(), "--package", str(target), "--force")
    assert (target / "notes.txt").read_text() == "mine" and (target / "monocypher" / "__init__.py").is_file()
    gen(*mono_args(), "--package", str(target))  # a project gen wrote: regenerated in place
    config = tmp_path / "bad.toml"
    config.write_text(MONO.config.read_text() + '\n[package]\nname = "mono cypher"\n')  # type: ignore[union-attr]
    bad = gen("--py", str(MONO.header), "--config", str(config), "--wasm", str(MONO.wasm), "--package",
              str(tmp_path / "never"), check=False)
    assert bad.returncode == 2 and "not a valid Python distribution name" in bad.stderr
    assert not (tmp_path / "never").exists()


@pytest.mark.parametrize("in_the_way", ["file where the package folder goes", "folder where a file goes"])
def test_package_write_failure_leaves_nothing_half_written(tmp_path: Path, in_the_way: str) -> None:
    """With --force, a user's entry blocking one output: one error naming it, and nothing of the package written
    (no pyproject.toml renamed into place before the failing file, no staged temporaries), the user's entry kept."""
    target = tmp_path / "proj"
    target.mkdir()
    if in_the_way.startswith("file"):
        (target / "monocypher").write_text("mine")
        blocked = target / "monocypher"
    else:
        blocked = target / "monocypher" / "__init__.py"
        blocked.mkdir(parents=True)
    before = sorted(str(p.relative_to(target)) for p in target.rglob("*"))
    failed = gen(*mono_args(), "--package", str(target), "--force", check=False)
    assert failed.returncode == 2 and f"cannot write `{blocked}`" in failed.stderr, failed.stderr
    assert sorted(str(p.relative_to(target)) for p in target.rglob("*")) == before


def package_project(tmp_path: Path) -> Path:
    config = tmp_path / "mono.toml"
    config.write_text(MONO.config.read_text() +  # type: ignore[union-attr]
                      '\n[package]\nname = "wb-monocypher-test"\nversion = "1.2.3"\nmodule = "wb_monocypher"\n')
    project = tmp_path / "project"
    gen("--py", str(MONO.header), "--config", str(config), "--wasm", str(MONO.wasm), "--package", str(project))
    ok = gen("--py", str(MONO.header), "--config", str(config), "--wasm", str(MONO.wasm), "--package", str(project),
             "--check")
    assert "up to date" in ok.stderr
    return project


VECTORS = """
import hashlib, sys, wb_monocypher
assert 'site-packages' in wb_monocypher.__file__, wb_monocypher.__file__
assert not any('{root}' in p for p in sys.path), sys.path
m = wb_monocypher.Monocypher()
for msg in (b'', b'abc', bytes(range(256)) * 5):
    assert m.crypto_blake2b(64, msg) == hashlib.blake2b(msg).digest()
key, nonce = bytes(range(32)), bytes(range(24))
cipher, mac = m.crypto_aead_lock(key, nonce, b'ad', b'attack at dawn')
assert m.crypto_aead_unlock(mac, key, nonce, b'ad', cipher) == b'attack at dawn'
try:
    m.crypto_aead_unlock(bytes(16), key, nonce, b'ad', cipher)
except wb_monocypher.StatusError:
    pass
else:
    raise SystemExit('forgery accepted')
print(cipher.hex(), mac.hex())
"""


@pytest.mark.packaging
def test_package_builds_a_pure_wheel_that_installs_into_a_fresh_venv(tmp_path: Path, mono: Any) -> None:
    project = package_project(tmp_path)
    wheels = tmp_path / "wheels"
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(project), "-w", str(wheels)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (wheel,) = wheels.glob("*.whl")
    assert wheel.name == "wb_monocypher_test-1.2.3-py3-none-any.whl"
    names = set(zipfile.ZipFile(wheel).namelist())
    for member in ("__init__.py", "__init__.pyi", "py.typed", "_wasm_bind_runtime.py", "monocypher.wasm"):
        assert f"wb_monocypher/{member}" in names, names
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    wasmtime_pin = next(line.strip() for line in (ROOT / "requirements.txt").read_text().splitlines()
                        if line.startswith("wasmtime=="))
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    proc = subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel), wasmtime_pin], capture_output=True,
                          text=True, timeout=600, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    proc = subprocess.run([str(python), "-c", VECTORS.replace("{root}", str(ROOT))], capture_output=True, text=True,
                          timeout=120, env=env, cwd=elsewhere)
    assert proc.returncode == 0, proc.stderr
    cipher, mac = proc.stdout.split()
    want = mono.crypto_aead_lock(bytes(range(32)), bytes(range(24)), b"ad", b"attack at dawn")
    assert (bytes.fromhex(cipher), bytes.fromhex(mac)) == want


def test_package_imports_from_a_zip(tmp_path: Path) -> None:
    """The .wasm is package data read with importlib.resources: the package works from a zip (zipimport)."""
    project = package_project(tmp_path)
    archive = tmp_path / "pkg.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for path in (project / "wb_monocypher").iterdir():
            z.write(path, f"wb_monocypher/{path.name}")
    script = ("import hashlib, sys; sys.path.insert(0, sys.argv[1]); import wb_monocypher; "
              "assert '.zip' in wb_monocypher.__file__; "
              "assert wb_monocypher.Monocypher().crypto_blake2b(64, b'z') == hashlib.blake2b(b'z').digest(); print('ok')")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run([sys.executable, "-c", script, str(archive)], capture_output=True, text=True, timeout=60,
                          env=env, cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr
    hashlib.sha256(archive.read_bytes())  # keep the archive readable (nothing left open)
    assert importlib.util.find_spec("wb_monocypher") is None  # the test process never imported it
