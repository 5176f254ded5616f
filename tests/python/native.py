"""Shared native differential harness: the same C test file as a native shared object (ctypes) and as a wasm guest
behind freshly generated bindings, so a test can call one C function both ways on the same inputs and compare.

    from native import native_library, generated_module
    lib = native_library("shape_floats.c")                  # tests/headers/shape_floats.c, gcc/clang -O2 -shared
    mod = generated_module("shape_floats.h", "shape_floats.c")   # wasm-bind guest + wasm-bind --py, imported
    lib.fl_add.restype = ctypes.c_double; ...

Both builds are cached per test session (per process) under one temporary directory, keyed by the sources' contents
and the flags, so several tests of a session share them; the directory is removed at exit. Relative paths are
resolved against tests/headers. The native compiler is `$WB_NATIVE_CC`, else `cc`, `gcc` or `clang` (the first
on PATH), run with `-O2 -fPIC -shared -ffp-contract=off` (no fused multiply-add: wasm has none, so both builds
round every operation the same way) and `-I tests/headers -I bindgen-core/include` (for `wasm_bind.h`).
"""

from __future__ import annotations

import atexit
import ctypes
import hashlib
import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path
from types import ModuleType
from typing import Dict, Optional, Sequence

from conftest import ROOT, import_generated

HEADERS = ROOT / "tests" / "headers"
NATIVE_FLAGS = ("-O2", "-fPIC", "-shared", "-ffp-contract=off", "-fno-fast-math")

_lock = threading.Lock()
_cache: Dict[str, object] = {}
_tmp: Optional[Path] = None


def _session_dir() -> Path:
    """One temporary directory per process, removed at exit."""
    global _tmp
    if _tmp is None:
        _tmp = Path(tempfile.mkdtemp(prefix="wb-native-"))
        atexit.register(shutil.rmtree, _tmp, True)
    return _tmp


def _resolve(paths: Sequence[str | Path]) -> list[Path]:
    out = []
    for p in paths:
        p = Path(p)
        out.append(p if p.is_absolute() else HEADERS / p)
    return out


def _key(kind: str, files: Sequence[Path], extra: Sequence[str]) -> str:
    h = hashlib.sha256(kind.encode())
    for f in files:
        h.update(str(f).encode() + b"\0" + f.read_bytes() + b"\0")
    for e in extra:
        h.update(e.encode() + b"\0")
    return h.hexdigest()[:16]


def native_compiler() -> str:
    """The native C compiler: `$WB_NATIVE_CC`, else the first of cc, gcc, clang on PATH."""
    env = os.environ.get("WB_NATIVE_CC")
    if env:
        return env
    for cc in ("cc", "gcc", "clang"):
        if shutil.which(cc):
            return cc
    raise RuntimeError("native.py: no C compiler (cc, gcc, clang) on PATH; set WB_NATIVE_CC")


def native_library(*sources: str | Path, flags: Sequence[str] = ()) -> ctypes.CDLL:
    """`sources` compiled natively into one shared object (cached for the session) and loaded with ctypes.
    A compiler error raises RuntimeError with its output."""
    files = _resolve(sources)
    key = _key("native", files, flags)
    with _lock:
        lib = _cache.get(key)
        if lib is None:
            out = _session_dir() / f"native-{key}.so"
            cmd = [native_compiler(), *NATIVE_FLAGS, "-I", str(HEADERS), "-I", str(ROOT / "bindgen-core" / "include"),
                   *flags, *map(str, files), "-o", str(out)]
            proc = subprocess.run(cmd, capture_output=True, text=True)
            if proc.returncode != 0:
                raise RuntimeError(f"`{' '.join(cmd)}` failed ({proc.returncode}):\n{proc.stderr}")
            lib = _cache[key] = ctypes.CDLL(str(out))
        return lib  # type: ignore[return-value]


def wasm_guest(header: str | Path, *sources: str | Path, config: str | Path | None = None) -> Path:
    """`sources` built into a wasm32 guest for `header` with `wasm-bind guest` (cached for the session)."""
    (h,), files = _resolve([header]), _resolve(sources)
    cfg = _resolve([config]) if config is not None else []
    key = _key("wasm", [h, *files, *cfg], ())
    with _lock:
        cached = _cache.get(key)
        if cached is None:
            out = _session_dir() / f"guest-{key}.wasm"
            cmd = ["cargo", "run", "-q", "-p", "gen", "--", "guest", *map(str, files), "--header", str(h), "-o", str(out)]
            if cfg:
                cmd += ["--config", str(cfg[0])]
            _run(cmd)
            cached = _cache[key] = out
        return cached  # type: ignore[return-value]


def generated_module(header: str | Path, *sources: str | Path, config: str | Path | None = None) -> ModuleType:
    """The Python bindings of `header` (`wasm-bind --py`) over the guest `sources` build to, imported (cached)."""
    wasm = wasm_guest(header, *sources, config=config)
    (h,) = _resolve([header])
    cfg = _resolve([config]) if config is not None else []
    key = _key("py", [h, wasm, *cfg], ())
    with _lock:
        mod = _cache.get(key)
        if mod is None:
            out = _session_dir() / f"py-{key}"
            cmd = ["cargo", "run", "-q", "-p", "gen", "--", "--py", str(h), "--wasm", str(wasm), "-o", str(out)]
            if cfg:
                cmd += ["--config", str(cfg[0])]
            _run(cmd)
            mod = _cache[key] = import_generated(f"{h.stem}_{key}", out / f"{h.stem}.py")
        return mod  # type: ignore[return-value]


def _run(cmd: list[str]) -> None:
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"`{' '.join(cmd)}` failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
