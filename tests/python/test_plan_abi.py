"""The call plan's decisions end to end in Python, over tests/headers/plan_abi.wat (the guest
tests/rust/rust_plan_abi.rs drives too): a struct with one int64_t member crosses as an i64, a
struct field's slice and a parameter named like it get separate regions, and the arena layout is
the plan's, with the same offsets the Rust test asserts for the same calls.
"""

from __future__ import annotations

import subprocess
from typing import Any

import pytest

from conftest import ROOT, import_generated

HEADER = ROOT / "tests" / "headers" / "plan_abi.h"


@pytest.fixture(scope="module")
def plan_abi(tmp_path_factory: pytest.TempPathFactory) -> Any:
    wasmtime = pytest.importorskip("wasmtime")
    build = tmp_path_factory.mktemp("plan-abi")
    wasm = build / "guest.wasm"
    wasm.write_bytes(wasmtime.wat2wasm(HEADER.with_suffix(".wat").read_text()))
    out = build / "out"
    cmd = ["cargo", "run", "-q", "-p", "gen", "--", "--py", str(HEADER), "--config", str(HEADER.with_suffix(".toml")),
           "--wasm", str(wasm), "-o", str(out)]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return import_generated("plan_abi", out / "plan_abi.py")


def test_int64_struct_by_value(plan_abi: Any) -> None:
    g = plan_abi.PlanAbi()
    assert g.wide_twice(plan_abi.WideT(v=-21)) == -42
    assert g.wide_twice(plan_abi.WideT(v=1 << 40)) == 1 << 41


def test_struct_field_slice_and_a_parameter_named_like_it(plan_abi: Any) -> None:
    g = plan_abi.PlanAbi()
    assert g.mix(plan_abi.CfgT(data=bytes([1] * 18)), bytes([2, 3, 4])) == 18 + 1000 * 9


@pytest.mark.parametrize(
    ("msg", "want"),
    [(b"hello", [0, 16, 8, 24]), (bytes([7] * 13), [0, 16, 8, 32]), (b"", [0, 16, 8, 16])],
)
def test_arena_layout_is_the_plans(plan_abi: Any, msg: bytes, want: list[int]) -> None:
    g = plan_abi.PlanAbi()
    g.probe(msg, "xy")
    assert list(g.probe_offsets()) == want


@pytest.mark.parametrize(
    ("msg", "n", "want"),
    [(b"hello", 20, [0, 16, 32, 48]), (bytes([9] * 17), 1, [0, 16, 32, 64]), (b"", 0, [0, 16, 32, 32])],
)
def test_sixteen_aligned_regions_are_the_plans(plan_abi: Any, msg: bytes, n: int, want: list[int]) -> None:
    """The same offsets as the Rust test: a 16-aligned struct and scratch memory after `msg`."""
    g = plan_abi.PlanAbi()
    g.probe16(plan_abi.Al16T(a=1, b=2), msg, n)
    assert list(g.probe16_offsets()) == want


def test_large_fixed_output(plan_abi: Any) -> None:
    assert plan_abi.PlanAbi().big() == b"\xab" * (1 << 20)


def test_struct_by_value_and_by_pointer_get_two_classes(plan_abi: Any) -> None:
    g = plan_abi.PlanAbi()
    assert g.pair_sum(plan_abi.PairT(a=2, b=40)) == 42
    with plan_abi.PairTHandle(g) as h:
        g.pair_set(h, 1, 2)


def test_more_parameters_than_typed_calls_take_is_not_bound(plan_abi: Any) -> None:
    assert not hasattr(plan_abi.PlanAbi, "eighteen")
    assert "eighteen" in (plan_abi.__doc__ or "")


def test_a_header_named_like_the_module_errors(tmp_path: Any) -> None:
    """`error.h` makes class `Error_`: the module's own `Error` stays the exception base."""
    wasmtime = pytest.importorskip("wasmtime")
    header = tmp_path / "error.h"
    header.write_text(HEADER.read_text())
    (tmp_path / "error.toml").write_text(HEADER.with_suffix(".toml").read_text())
    wasm = tmp_path / "error.wasm"
    wasm.write_bytes(wasmtime.wat2wasm(HEADER.with_suffix(".wat").read_text()))
    out = tmp_path / "out"
    cmd = ["cargo", "run", "-q", "-p", "gen", "--", "--py", str(header), "--config", str(tmp_path / "error.toml"),
           "-o", str(out)]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    mod = import_generated("error", out / "error.py")
    assert issubclass(mod.StatusError, mod.Error)
    g = mod.Error_()
    assert g.wide_twice(mod.WideT(v=4)) == 8
