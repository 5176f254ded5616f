"""cubature (issue 14's proof): Steven G. Johnson's adaptive multidimensional integration, from the PyPI sdist
cubature==0.18.8 (guests/locate_cubature.py), built as a libc guest by `wasm-bind guest --wasi` (guests/build.sh) and
bound from its unmodified cubature.h + guests/cubature/cubature.toml: doubles everywhere, the `integrand` callback as
a Python callable, the `error_norm` enum. Every integral is cross-checked against the same C compiled natively
(tests/python/native.py, a ctypes CFUNCTYPE integrand running the same Python function) and against its closed form
within the error estimate cubature reports. The vectorized variants (hcubature_v, pcubature_v*) are refused by the
generator with the reason (their integrand's `x` holds ndim * npt doubles)."""

from __future__ import annotations

import ctypes
import math
import subprocess
import sys
from types import ModuleType
from typing import Callable, List, Sequence, Tuple

import pytest

from conftest import GUESTS, ROOT, import_generated
from native import native_library

sys.path.insert(0, str(ROOT / "guests"))
import locate_cubature  # noqa: E402

GEN = ["cargo", "run", "-q", "-p", "gen", "--"]
CONFIG = ROOT / "guests" / "cubature" / "cubature.toml"
HEADER, WASM = GUESTS / "cubature" / "cubature.h", GUESTS / "cubature" / "cubature.wasm"

Fn = Callable[[Sequence[float]], List[float]]
INTEGRAND = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_uint, ctypes.POINTER(ctypes.c_double), ctypes.c_void_p,
                             ctypes.c_uint, ctypes.POINTER(ctypes.c_double))


@pytest.fixture(scope="module")
def cub(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    if not WASM.is_file():
        subprocess.run(["bash", str(ROOT / "guests" / "build.sh")], cwd=ROOT, check=True, capture_output=True)
    out = tmp_path_factory.mktemp("cubature_py")
    proc = subprocess.run([*GEN, "--py", str(HEADER), "--config", str(CONFIG), "--wasm", str(WASM), "-o", str(out)],
                          cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.fail(f"wasm-bind --py cubature failed:\n{proc.stderr}")
    return import_generated("cubature", out / "cubature.py")


@pytest.fixture(scope="module")
def native() -> ctypes.CDLL:
    src = locate_cubature.locate(str(ROOT))
    lib = native_library(f"{src}/hcubature.c", f"{src}/pcubature.c", flags=("-I", src))
    for name in ("hcubature", "pcubature"):
        fn = getattr(lib, name)
        fn.restype = ctypes.c_int
        fn.argtypes = [ctypes.c_uint, INTEGRAND, ctypes.c_void_p, ctypes.c_uint, ctypes.POINTER(ctypes.c_double),
                       ctypes.POINTER(ctypes.c_double), ctypes.c_size_t, ctypes.c_double, ctypes.c_double,
                       ctypes.c_int, ctypes.POINTER(ctypes.c_double), ctypes.POINTER(ctypes.c_double)]
    return lib


def run_wasm(m: object, algo: str, fn: Fn, fdim: int, lo: List[float], hi: List[float], tol: float,
             norm: int = 0) -> Tuple[List[float], List[float], int]:
    """`algo` through the bindings; returns (val, err, integrand calls)."""
    calls = [0]

    def f(x: List[float], fval: object) -> int:
        calls[0] += 1
        assert len(x) == len(lo) and len(fval) == fdim  # type: ignore[arg-type]
        for k, v in enumerate(fn(x)):
            fval[k] = v  # type: ignore[index]
        return 0

    val, err = getattr(m, algo)(fdim, f, lo, hi, 0, 0.0, tol, norm)
    return val, err, calls[0]


def run_native(lib: ctypes.CDLL, algo: str, fn: Fn, fdim: int, lo: List[float], hi: List[float], tol: float,
               norm: int = 0) -> Tuple[List[float], List[float], int]:
    """`algo` compiled natively, the same `fn` behind a ctypes integrand."""
    calls = [0]

    def f(ndim: int, x: object, _data: object, fd: int, fval: object) -> int:
        calls[0] += 1
        for k, v in enumerate(fn([x[i] for i in range(ndim)])):  # type: ignore[index]
            fval[k] = v  # type: ignore[index]
        return 0

    dims = len(lo)
    val, err = (ctypes.c_double * fdim)(), (ctypes.c_double * fdim)()
    rc = getattr(lib, algo)(fdim, INTEGRAND(f), None, dims, (ctypes.c_double * dims)(*lo),
                            (ctypes.c_double * dims)(*hi), 0, 0.0, tol, norm, val, err)
    assert rc == 0
    return list(val), list(err), calls[0]


def gauss_1d(a: float, b: float) -> float:
    return math.sqrt(math.pi) / 2 * (math.erf(b) - math.erf(a))


# (name, integrand, fdim, lower corner, upper corner, closed form per component)
CASES = [
    ("gaussian-3d", lambda x: [math.exp(-(x[0] ** 2 + x[1] ** 2 + x[2] ** 2))], 1,
     [-1.0, 0.0, -0.5], [2.0, 1.0, 0.5], [gauss_1d(-1, 2) * gauss_1d(0, 1) * gauss_1d(-0.5, 0.5)]),
    ("cosines-2d", lambda x: [math.cos(x[0]) * math.cos(2 * x[1])], 1,
     [0.0, 0.0], [1.0, 2.0], [math.sin(1.0) * math.sin(4.0) / 2]),
    ("vector-2d", lambda x: [x[0] * x[1], math.exp(x[0] + x[1])], 2,
     [0.0, 0.0], [1.0, 1.0], [0.25, (math.e - 1) ** 2]),
    ("cosines-4d", lambda x: [math.prod(math.cos(t) for t in x)], 1,
     [0.0] * 4, [1.0] * 4, [math.sin(1.0) ** 4]),
]


@pytest.mark.parametrize("algo", ["hcubature", "pcubature"])
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_integrals_match_native_cubature_and_closed_forms(cub: ModuleType, native: ctypes.CDLL, algo: str,
                                                          case: tuple,  # type: ignore[type-arg]
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    _, fn, fdim, lo, hi, exact = case
    monkeypatch.setenv("WASM_BIND_NO_FAST", "0")
    m = cub.Cubature()
    assert m._wb_rt.fast is True
    val, err, calls = run_wasm(m, algo, fn, fdim, lo, hi, 1e-9)
    nval, nerr, ncalls = run_native(native, algo, fn, fdim, lo, hi, 1e-9)
    # The same algorithm on the same integrand values: the same evaluations, bit for bit.
    assert calls == ncalls and calls > 0
    assert val == nval and err == nerr
    for k in range(fdim):
        assert abs(val[k] - exact[k]) <= max(err[k], 1e-15 * abs(exact[k])), (k, val[k], exact[k], err[k])
        assert err[k] <= 1e-9 * abs(val[k]) * 1.0001


@pytest.mark.parametrize("norm", ["ERROR_INDIVIDUAL", "ERROR_PAIRED", "ERROR_L2", "ERROR_L1", "ERROR_LINF"])
def test_every_error_norm_matches_native(cub: ModuleType, native: ctypes.CDLL, norm: str) -> None:
    m = cub.Cubature()
    member = cub.ErrorNorm[norm]
    assert int(member) == getattr(cub, norm)
    fn: Fn = lambda x: [math.sin(x[0] * x[1]), math.exp(-x[0]) * x[1], math.cos(x[0] + x[1]), x[0] ** 3]
    val, err, calls = run_wasm(m, "hcubature", fn, 4, [0.0, 0.0], [1.0, 2.0], 1e-7, member)
    assert (val, err, calls) == run_native(native, "hcubature", fn, 4, [0.0, 0.0], [1.0, 2.0], 1e-7, int(member))
    assert abs(val[3] - 0.5) <= err[3] + 1e-15 and abs(val[2] - (math.cos(1) + math.cos(2) - math.cos(3) - 1)) <= err[2] + 1e-15


def test_an_integrand_that_raises_propagates_and_the_object_stays_usable(cub: ModuleType) -> None:
    m = cub.Cubature()
    seen = [0]

    def bad(x: List[float], fval: object) -> int:
        seen[0] += 1
        if seen[0] == 50:
            raise ZeroDivisionError("integrand blew up")
        fval[0] = math.exp(-50 * (x[0] ** 2 + x[1] ** 2))  # type: ignore[index]
        return 0

    with pytest.raises(ZeroDivisionError, match="integrand blew up"):
        m.hcubature(1, bad, [0.0, 0.0], [1.0, 1.0], 0, 0.0, 1e-12, cub.ErrorNorm.ERROR_INDIVIDUAL)
    assert seen[0] == 50
    val, err, _ = run_wasm(m, "hcubature", lambda x: [x[0] * x[1]], 1, [0.0, 0.0], [1.0, 1.0], 1e-10)
    assert abs(val[0] - 0.25) <= err[0] + 1e-15


def test_a_nonzero_integrand_return_is_a_status_error(cub: ModuleType) -> None:
    m = cub.Cubature()
    with pytest.raises(cub.StatusError):
        m.pcubature(1, lambda x, fval: 1, [0.0], [1.0], 0, 0.0, 1e-6, 0)
    val, _, _ = run_wasm(m, "pcubature", lambda x: [2.0], 1, [0.0], [3.0], 1e-6)
    assert val == [6.0]


def test_wrong_lengths_are_refused_before_the_call(cub: ModuleType) -> None:
    m = cub.Cubature()
    with pytest.raises((ValueError, TypeError)):
        m.hcubature(1, lambda x, fval: 0, [0.0, 0.0], [1.0], 0, 0.0, 1e-6, 0)


def test_vectorized_variants_are_refused_with_the_reason() -> None:
    proc = subprocess.run([*GEN, "--explain", str(HEADER), "--config", str(CONFIG), "--wasm", str(WASM)],
                          cwd=ROOT, capture_output=True, text=True, check=True)
    report = proc.stdout
    assert "2 bound, 3 not bound" in report
    for name in ("hcubature_v", "pcubature_v", "pcubature_v_buf"):
        line = next(ln for ln in report.splitlines() if ln.strip().startswith(name + " ("))
        assert "could be either one or their product" in line, line


def test_the_public_call_path_matches_native_too(cub: ModuleType, native: ctypes.CDLL,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests above run the runtime's fast path; the same integrals on its public (wasmtime-py API) path."""
    monkeypatch.setenv("WASM_BIND_NO_FAST", "1")
    m = cub.Cubature()
    assert m._wb_rt.fast is False
    for _, fn, fdim, lo, hi, exact in CASES[1:3]:
        for algo in ("hcubature", "pcubature"):
            val, err, calls = run_wasm(m, algo, fn, fdim, lo, hi, 1e-9)
            assert (val, err, calls) == run_native(native, algo, fn, fdim, lo, hi, 1e-9)
            assert all(abs(v - e) <= max(d, 1e-15) for v, e, d in zip(val, exact, err))
