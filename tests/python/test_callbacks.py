"""Callback parameters (tests/headers/shape_callbacks.h, guest guests/callbacks/callbacks.c) through a freshly
generated module, on both runtime call paths: every callback shape with Python callables checked against Python
itself on seeded random inputs, and the hostile cases: a callable that raises, returns the wrong type or an
out-of-range value, calls back into its own object, never lets the guest finish (timeout), recursion through the
guest, a guest that keeps the pointer and calls it after the call.
"""

from __future__ import annotations

import array
import random
import subprocess
import time
from pathlib import Path
from typing import Any, Iterator, List

import pytest

from conftest import ROOT, Guest, generate, import_generated

WASM = ROOT / "target" / "guests" / "callbacks" / "callbacks.wasm"
HEADER = ROOT / "tests" / "headers" / "shape_callbacks.h"


@pytest.fixture(scope="module")
def cb_mod(tmp_path_factory: pytest.TempPathFactory) -> Any:
    if not WASM.is_file():
        subprocess.run(["bash", str(ROOT / "guests" / "build.sh")], cwd=ROOT, check=True, capture_output=True)
    out: Path = tmp_path_factory.mktemp("callbacks")
    generate(Guest("shape_callbacks", HEADER, WASM), out)
    return import_generated("shape_callbacks", out / "shape_callbacks.py")


@pytest.fixture(params=[True, False], ids=["fast", "public"])
def m(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, cb_mod: Any) -> Iterator[Any]:
    monkeypatch.setenv("WASM_BIND_NO_FAST", "0" if request.param else "1")
    obj = cb_mod.ShapeCallbacks()
    assert obj._wb_rt.fast is request.param
    yield obj


def test_sort_with_a_comparator_matches_sorted(m: Any) -> None:
    rng = random.Random(14)
    for n in (0, 1, 2, 17, 200):
        values = [rng.randint(-(2**31), 2**31 - 1) for _ in range(n)]
        calls: List[int] = []

        def cmp(a: int, b: int) -> int:
            calls.append(1)
            return (a > b) - (a < b)

        assert m.sort_i32(values, cmp) == sorted(values)
        assert len(calls) >= max(0, n - 1)
        assert m.sort_i32(values, lambda a, b: (b > a) - (b < a)) == sorted(values, reverse=True)
    buf = array.array("i", [3, 1, 2])
    m.sort_i32(buf, lambda a, b: a - b)
    assert list(buf) == [1, 2, 3]  # the in/out buffer is written back


def test_context_is_hidden_and_closures_keep_state(m: Any) -> None:
    seen: List[int] = []
    assert m.run_steps(5, seen.append) == 5
    assert seen == [1, 2, 3, 4, 5]
    assert m.run_steps(0, seen.append) == 0


def test_values_slices_outputs_and_floats(m: Any) -> None:
    rng = random.Random(7)
    xs = [rng.randint(-(2**31), 2**31 - 1) for _ in range(100)]
    assert m.map_sum(xs, lambda x: x * 1_000_000) == sum(x * 1_000_000 for x in xs)
    data = bytes(rng.randrange(256) for _ in range(1000))
    parts: List[bytes] = []
    assert m.chunks(data, 64, lambda p: parts.append(p) or len(p)) == 1000
    assert b"".join(parts) == data and all(type(p) is bytes for p in parts) and len(parts[-1]) == 1000 % 64
    assert m.chunks(b"", 8, lambda p: 1) == 0

    def fill(out: Any) -> None:
        assert isinstance(out, array.array) and out.typecode == "i" and list(out) == [0] * len(out)
        for i in range(len(out)):
            out[i] = -i * 1000
    assert m.fill_and_sum(64, fill) == sum(-i * 1000 for i in range(64))
    assert m.fill_and_sum(0, fill) == 0
    assert m.sum_scaled(10, lambda i: i / 8) == sum(int(i / 8 * 1000) for i in range(10))
    assert m.sum_scaled(3, lambda i: i) == 3000  # an int is accepted for a double result


def test_recursion_through_the_guest(m: Any) -> None:
    depths: List[int] = []
    assert m.descend(300, lambda d: depths.append(d) or d) == sum(range(301))
    assert depths == list(range(300, -1, -1))


class Boom(Exception):
    pass


def test_a_raising_callable_stops_the_call_and_is_re_raised(m: Any) -> None:
    gen = m._wb_rt.generation
    calls: List[int] = []

    def cmp(a: int, b: int) -> int:
        calls.append(1)
        raise Boom("comparator gave up")
    with pytest.raises(Boom, match="comparator gave up"):
        m.sort_i32([3, 2, 1], cmp)
    assert len(calls) == 1  # the guest did not go on after the exception
    assert m._wb_rt.generation == gen + 1  # the abandoned guest frame: instance re-created
    assert m.add(2, 3) == 5
    assert m.sort_i32([2, 1], lambda a, b: a - b) == [1, 2]
    with pytest.raises(KeyboardInterrupt):  # BaseException too
        m.run_steps(3, lambda d: (_ for _ in ()).throw(KeyboardInterrupt()))
    assert m.add(1, 1) == 2


@pytest.mark.parametrize("bad, error", [
    ("no", TypeError), (1.5, TypeError), (True, TypeError), (None, TypeError),
    (2**63, OverflowError), (-(2**63) - 1, OverflowError),
])
def test_wrong_result_types_are_errors(m: Any, bad: object, error: type) -> None:
    with pytest.raises(error, match="callback `f`"):
        m.map_sum([1, 2], lambda x: bad)
    assert m.map_sum([1, 2], lambda x: x) == 3


def test_void_callback_returning_a_value_and_float_callback_returning_str(m: Any) -> None:
    with pytest.raises(TypeError, match="returns void"):
        m.run_steps(1, lambda d: 42)
    with pytest.raises(TypeError, match="float"):
        m.sum_scaled(1, lambda i: "1.0")


def test_not_callable_is_refused_before_the_call(m: Any) -> None:
    gen = m._wb_rt.generation
    with pytest.raises(TypeError, match="progress: expected a callable, got int"):
        m.run_steps(1, 5)
    assert m._wb_rt.generation == gen


def test_calling_back_into_the_same_object_is_a_clear_error(m: Any, cb_mod: Any) -> None:
    with pytest.raises(RuntimeError, match="called from inside a callback"):
        m.run_steps(2, lambda d: m.add(d, 1))
    assert m.add(1, 2) == 3
    other = cb_mod.ShapeCallbacks()  # another object is fine
    got: List[int] = []
    assert m.run_steps(3, lambda d: got.append(other.add(d, 100))) == 3
    assert got == [101, 102, 103]


def test_a_pointer_kept_by_the_guest_traps_when_called_later(m: Any, cb_mod: Any) -> None:
    called: List[int] = []
    m.stash(called.append)
    with pytest.raises(cb_mod.TrapError, match="after the call that passed it returned"):
        m.fire_stashed(7)
    assert called == []
    assert m.add(4, 4) == 8
    # during another call with its own callbacks, the stale slot is still refused
    m.stash(called.append)
    with pytest.raises(cb_mod.TrapError):
        m.fire_stashed(1)
    assert called == []


def test_a_callback_loop_that_never_ends_times_out(cb_mod: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    for fast in ("0", "1"):
        monkeypatch.setenv("WASM_BIND_NO_FAST", fast)
        obj = cb_mod.ShapeCallbacks(timeout=0.3)
        ticks: List[int] = []
        with pytest.raises(cb_mod.TimeoutError):
            obj.spin(lambda: ticks.append(1))
        assert ticks
        assert obj.add(20, 22) == 42
        # a slow callable counts against the timeout too (checked when the guest resumes)
        with pytest.raises(cb_mod.TimeoutError):
            obj.run_steps(3, lambda d: time.sleep(0.25))
        assert obj.add(1, 2) == 3
