"""Scaling benchmark of the generator and of generated Python modules (issue "glue to the floor").

For each size N (default 1000, 5000, 10000) it writes a synthetic header of N functions in four
shapes (input slice, fixed arrays + slice, scalars, fixed output), a matching wasm guest (every
export aliases one of four tiny functions, so compiling it costs little) and then measures:

- `wasm-bind --py` and `wasm-bind --rust`: wall time and peak RSS of the whole process
  (`os.wait4`'s rusage), best of `--runs`;
- the generated Python module, as an installed package runs it (its .pyc written by the first run):
  importing it, constructing the first instance (the compiled module
  comes from wasm-bind's cache after the first run), constructing a second instance, and the first call.

Not a test: it prints a table and, per row, the targets the issue names (PASS/MISS):
`--py` for 10,000 functions <= 1 s, `--rust` <= 300 MB peak, a 5,000-function module constructs in
<= 50 ms. Run `python3 bench/scale.py [--sizes 1000,5000,10000] [--runs 3] [--bin PATH]`; the default
binary is target/release/wasm-bind (build it with `cargo build --release -p gen`).
"""

from __future__ import annotations

import argparse
import importlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SHAPES = [
    ("int32_t {n}(const uint8_t *in, size_t in_len);", "(param i32 i32) (result i32)", "$s0"),
    ("void {n}(uint8_t out[32], const uint8_t key[32], const uint8_t *msg, size_t msg_size);",
     "(param i32 i32 i32 i32)", "$s1"),
    ("uint32_t {n}(uint32_t a, uint32_t b);", "(param i32 i32) (result i32)", "$s0"),
    ("void {n}(uint8_t digest[64]);", "(param i32)", "$s3"),
]


def header(n: int) -> str:
    lines = ["#include <stdint.h>", "#include <stddef.h>", ""]
    for i in range(n):
        lines.append(SHAPES[i % len(SHAPES)][0].format(n=f"fn_{i}"))
    return "\n".join(lines) + "\n"


def wat(n: int) -> str:
    out = [
        "(module",
        '  (memory (export "memory") 2)',
        '  (global (export "__heap_base") i32 (i32.const 1024))',
        "  (global $bump (mut i32) (i32.const 1024))",
        '  (func (export "bump_alloc") (param $n i32) (result i32) (local $p i32)',
        "    (local.set $p (global.get $bump))",
        "    (global.set $bump (i32.and (i32.add (i32.add (local.get $p) (local.get $n)) (i32.const 15))"
        " (i32.const -16)))",
        "    (local.get $p))",
        '  (func (export "bump_reset")',
        "    (memory.fill (i32.const 1024) (i32.const 0) (i32.sub (global.get $bump) (i32.const 1024)))",
        "    (global.set $bump (i32.const 1024)))",
        "  (func $s0 (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))",
        "  (func $s1 (param i32 i32 i32 i32))",
        "  (func $s3 (param i32))",
    ]
    for i in range(n):
        out.append(f'  (export "fn_{i}" (func {SHAPES[i % len(SHAPES)][2]}))')
    out.append(")")
    return "\n".join(out) + "\n"


def run(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    err = proc.stderr.read().decode() if proc.stderr else ""
    if status != 0:
        sys.exit(f"failed ({status}): {' '.join(cmd)}\n{err[-2000:]}")
    return wall, usage.ru_maxrss / 1024


def best(cmd: list[str], runs: int) -> tuple[float, float]:
    results = [run(cmd) for _ in range(runs)]
    return min(r[0] for r in results), max(r[1] for r in results)


def construct(mod_dir: Path, stem: str) -> tuple[float, float, float, float]:
    """import, first instance, second instance, first call: milliseconds, in a fresh interpreter."""
    code = f"""
import sys, time
sys.path.insert(0, {str(mod_dir)!r}); sys.path.insert(0, {str(ROOT / 'python')!r})
import wasmtime
t0 = time.perf_counter(); import {stem} as m; t1 = time.perf_counter()
a = m.{stem.capitalize()}(); t2 = time.perf_counter()
b = m.{stem.capitalize()}(); t3 = time.perf_counter()
a.fn_2(1, 2); t4 = time.perf_counter()
print((t1 - t0) * 1e3, (t2 - t1) * 1e3, (t3 - t2) * 1e3, (t4 - t3) * 1e3)
"""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}  # as an installed package: .pyc
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, env=env).stdout
    vals = [float(x) for x in out.split()]
    return vals[0], vals[1], vals[2], vals[3]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,5000,10000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--bin", default=str(ROOT / "target" / "release" / "wasm-bind"))
    args = ap.parse_args()
    import wasmtime  # noqa: PLC0415 - only needed here

    print(f"load: {os.getloadavg()[0]:.2f} (1-min average), {os.cpu_count()} cores; best of {args.runs} runs")
    print(f"{'N':>6} {'--py s':>8} {'--py MB':>8} {'--rust s':>9} {'--rust MB':>10} "
          f"{'import ms':>10} {'1st inst ms':>12} {'2nd inst ms':>12} {'call ms':>8}")
    verdicts = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(s) for s in args.sizes.split(",")):
            d = Path(tmp) / str(n)
            d.mkdir()
            stem = f"scale{n}"
            h = d / f"{stem}.h"
            h.write_text(header(n))
            (d / f"{stem}.wasm").write_bytes(wasmtime.wat2wasm(wat(n)))
            py_s, py_mb = best([args.bin, str(h), "--py", "-o", str(d / "py")], args.runs)
            rs_s, rs_mb = best([args.bin, str(h), "--rust", "-o", str(d / f"{stem}.rs")], args.runs)
            construct(d / "py", stem)  # warms wasm-bind's compiled-module cache and writes the .pyc
            timings = [construct(d / "py", stem) for _ in range(args.runs)]
            imp, first, second, call = (min(t[i] for t in timings) for i in range(4))
            print(f"{n:>6} {py_s:>8.2f} {py_mb:>8.0f} {rs_s:>9.2f} {rs_mb:>10.0f} "
                  f"{imp:>10.1f} {first:>12.1f} {second:>12.1f} {call:>8.2f}")
            if n == 10000:
                verdicts.append(f"--py 10k functions {py_s:.2f} s (target <= 1 s): {'PASS' if py_s <= 1 else 'MISS'}")
                verdicts.append(f"--rust 10k peak {rs_mb:.0f} MB (target <= 300 MB): "
                                f"{'PASS' if rs_mb <= 300 else 'MISS'}")
            if n == 5000:
                verdicts.append(f"5k-function module: first instance {first:.1f} ms (target <= 50 ms): "
                                f"{'PASS' if first <= 50 else 'MISS'}")
    for v in verdicts:
        print(v)
    importlib.invalidate_caches()


if __name__ == "__main__":
    main()
