"""Output shapes written through pointers (tests/headers/outs.h, issue #14): output structs (by name,
by config, in/out), out-scalars named like one output, an in/out buffer, checked against the same C
(tests/headers/outs.c) compiled natively and called through ctypes, on seeded random inputs.

The guest is built with `wasm-bind guest` (the command a user runs), the bindings with `--py`, both by
the shared harness tests/python/native.py.
"""

from __future__ import annotations

import array
import ctypes
import random
import struct
from typing import Any, Tuple

import pytest

from native import generated_module, native_library, wasm_guest

SEED = 1414


class Stats(ctypes.Structure):
    _fields_ = [("words", ctypes.c_uint32), ("lines", ctypes.c_uint32), ("longest", ctypes.c_int32),
                ("checksum", ctypes.c_uint64)]


class Counter(ctypes.Structure):
    _fields_ = [("total", ctypes.c_int64), ("steps", ctypes.c_uint16)]


class Summary(ctypes.Structure):
    _fields_ = [("mean", ctypes.c_double), ("spread", ctypes.c_float), ("n", ctypes.c_uint32)]


class Point(ctypes.Structure):
    _fields_ = [("x", ctypes.c_int32), ("y", ctypes.c_int32)]


@pytest.fixture(scope="module")
def built() -> Tuple[Any, Any, Any]:
    """(the generated module, an instance over the guest, the native library), from the shared
    native differential harness (tests/python/native.py)."""
    mod = generated_module("outs.h", "outs.c", config="outs.toml")
    native = native_library("outs.c")
    native.stats.argtypes = [ctypes.POINTER(Stats), ctypes.c_char_p]
    native.counter_step.argtypes = [ctypes.POINTER(Counter), ctypes.c_int32]
    native.make_point.argtypes = [ctypes.POINTER(Point), ctypes.c_int32, ctypes.c_int32]
    native.minmax.argtypes = [ctypes.POINTER(ctypes.c_uint16), ctypes.c_size_t,
                              ctypes.POINTER(ctypes.c_uint16), ctypes.POINTER(ctypes.c_uint16)]
    native.count_byte.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint8, ctypes.POINTER(ctypes.c_int32)]
    native.reverse.argtypes = [ctypes.POINTER(ctypes.c_uint64), ctypes.c_size_t]
    native.hex.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_size_t]
    native.summarize.argtypes = [ctypes.POINTER(ctypes.c_double), ctypes.c_size_t, ctypes.POINTER(Summary)]
    return mod, mod.Outs(wasm=wasm_guest("outs.h", "outs.c", config="outs.toml")), native


def test_output_struct_by_name_matches_native(built: Tuple[Any, Any, Any]) -> None:
    mod, m, native = built
    rng = random.Random(SEED)
    for _ in range(200):
        text = "".join(rng.choice("ab c\n\txyz") for _ in range(rng.randrange(0, 60)))
        s = Stats()
        status = native.stats(ctypes.byref(s), text.encode())
        got, got_status = m.stats(text)
        assert got_status == status
        assert isinstance(got, mod.StatsT)
        # On failure the C function leaves *out alone: the binding returns the zeroed struct.
        want = (s.words, s.lines, s.longest, s.checksum) if status == 0 else (0, 0, 0, 0)
        assert (got.words, got.lines, got.longest, got.checksum) == want


def test_inout_struct_is_read_and_written(built: Tuple[Any, Any, Any]) -> None:
    mod, m, native = built
    rng = random.Random(SEED + 1)
    for _ in range(200):
        total, steps, by = rng.randrange(-2**62, 2**62), rng.randrange(0, 65535), rng.randrange(-2**31, 2**31)
        c = Counter(total, steps)
        native.counter_step(ctypes.byref(c), by)
        got = m.counter_step(mod.CounterT(total=total, steps=steps), by)
        assert (got.total, got.steps) == (c.total, c.steps)
    with pytest.raises(TypeError, match="state"):
        m.counter_step((1, 2), 3)
    with pytest.raises(OverflowError):
        m.counter_step(mod.CounterT(total=0, steps=65536), 1)


def test_output_struct_by_config_matches_native(built: Tuple[Any, Any, Any]) -> None:
    mod, m, native = built
    rng = random.Random(SEED + 2)
    for _ in range(200):
        a, b = rng.randrange(-2**31, 2**31), rng.randrange(-2**31, 2**31)
        p = Point()
        native.make_point(ctypes.byref(p), a, b)
        assert m.make_point(a, b) == mod.PointT(x=p.x, y=p.y)


def test_out_scalars_by_name_match_native(built: Tuple[Any, Any, Any]) -> None:
    _, m, native = built
    rng = random.Random(SEED + 3)
    for _ in range(200):
        data = [rng.randrange(0, 65536) for _ in range(rng.randrange(0, 40))]
        lo, hi = ctypes.c_uint16(), ctypes.c_uint16()
        arr = (ctypes.c_uint16 * max(len(data), 1))(*data)
        native.minmax(arr, len(data), ctypes.byref(lo), ctypes.byref(hi))
        assert m.minmax(data) == (lo.value, hi.value)
        raw = bytes(rng.randrange(0, 4) for _ in range(rng.randrange(0, 50)))
        n = ctypes.c_int32()
        native.count_byte(raw, len(raw), 2, ctypes.byref(n))
        assert m.count_byte(raw, 2) == n.value


def test_inout_buffer_matches_native_and_is_written_back(built: Tuple[Any, Any, Any]) -> None:
    _, m, native = built
    rng = random.Random(SEED + 4)
    for _ in range(100):
        values = [rng.randrange(0, 2**64) for _ in range(rng.randrange(0, 30))]
        arr = (ctypes.c_uint64 * max(len(values), 1))(*values)
        native.reverse(arr, len(values))
        want = list(arr)[:len(values)]
        assert m.reverse(values) == want
        buf = array.array("Q", values)
        m.reverse(buf)
        assert list(buf) == want


def test_output_struct_with_float_fields_is_bit_exact(built: Tuple[Any, Any, Any]) -> None:
    mod, m, native = built
    rng = random.Random(SEED + 5)
    for _ in range(200):
        xs = [rng.uniform(-1e6, 1e6) for _ in range(rng.randrange(0, 30))]
        r = Summary()
        native.summarize((ctypes.c_double * max(len(xs), 1))(*xs), len(xs), ctypes.byref(r))
        got = m.summarize(xs)
        assert isinstance(got, mod.SummaryT)
        assert struct.pack("<dfI", got.mean, got.spread, got.n) == struct.pack("<dfI", r.mean, r.spread, r.n)


def test_string_outputs_are_text_cut_at_the_nul(built: Tuple[Any, Any, Any]) -> None:
    mod, m, native = built
    rng = random.Random(SEED + 6)
    for _ in range(100):
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 40)))
        buf = ctypes.create_string_buffer(2 * len(data) + 1)
        native.hex(buf, data, len(data))
        got = m.hex_(data)
        assert type(got) is str
        assert got == buf.value.decode() == data.hex()
    assert m.fill_text(ord("a"), 3, 1) == "aaa"
    assert m.fill_text(ord("a"), 0, 1) == ""


def test_string_outputs_without_nul_or_utf8_are_guest_errors(built: Tuple[Any, Any, Any]) -> None:
    mod, m, _ = built
    with pytest.raises(mod.GuestError, match="out.*no NUL within its 17 bytes"):
        m.fill_text(ord("a"), 3, 0)
    with pytest.raises(mod.GuestError, match="not UTF-8"):
        m.fill_text(0xFF, 2, 1)
    assert m.fill_text(ord("z"), 1, 1) == "z"  # usable after


def test_integer_arrays_refuse_bool_elements(built: Tuple[Any, Any, Any]) -> None:
    """Issue #14: `sum_i32([True])` returned 1; elements are ints (or __index__ types), never bool."""
    _, m, _ = built
    for bad in ([True, 2], (1, False), iter([2, True])):
        with pytest.raises(TypeError, match="data: expected a sequence of uint16_t values, got a bool element"):
            m.minmax(bad)
    with pytest.raises(TypeError, match="values: .*bool element"):
        m.reverse([1, True])
    assert m.minmax(iter([3, 1])) == (1, 3)  # iterables still work
    assert m.minmax([1, 2]) == (1, 2)
