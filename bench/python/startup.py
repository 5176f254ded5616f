"""Start-up cost of a generated module: import + construct + first call, beyond `import wasmtime` (issue 16).

Each sample is a fresh interpreter (subprocess). Two kinds run interleaved, sample by sample:

* `base`: `import wasmtime` and nothing else;
* `full`: `import wasmtime`, then import the generated module, construct its class (the compiled module comes from
  the disk cache: a first, untimed run fills it) and make one call (BLAKE2b of 64 bytes).

Reported per kind: the median and minimum of the process wall time, and for `full` the in-process time from after
`import wasmtime` to the end of the first call, split into import / construct / first call. The headline is
"beyond `import wasmtime`": the in-process time (which excludes interpreter start and `import wasmtime` itself),
cross-checked by the difference of the two kinds' median wall times.

Bytecode: this machine sets PYTHONDONTWRITEBYTECODE=1, so a module run from a checkout is compiled from source at
every start. `pip install` writes `.pyc` files (compileall) for the runtime package and the generated module, so
both are measured: `--pyc no` (source only), `--pyc yes` (compiled beforehand, as installed), default both.

    python3 bench/python/startup.py --module-dir <dir with the generated monocypher.py + .wasm> [--runs 40]

The runtime package is taken from this checkout's `python/` (or `--runtime-dir`), copied with the module into a
temporary directory;
the disk cache lives in a temporary directory too (WASM_BIND_CACHE_DIR), so nothing outside is touched.
"""

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

BASE = "import wasmtime\n"

# The in-process timings of one `full` sample, printed as one line of integers (ns).
FULL = """\
import time
import wasmtime
t0 = time.perf_counter_ns()
import {module} as m
t1 = time.perf_counter_ns()
obj = m.{cls}()
t2 = time.perf_counter_ns()
digest = obj.crypto_blake2b(64, bytes(64))
t3 = time.perf_counter_ns()
assert len(digest) == 64
print(t1 - t0, t2 - t1, t3 - t2, t3 - t0)
"""


def run(code: str, env: "dict[str, str]") -> "tuple[float, str]":
    """Wall time (s) of a fresh interpreter running `code`, and its stdout."""
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True)
    return time.perf_counter() - start, out.stdout


def stage(runtime_dir: str, module_dir: str, module: str, into: str, pyc: bool) -> str:
    """Copies the runtime package and the generated module (+ wasm) into `into`; compiles them when `pyc`."""
    shutil.copytree(os.path.join(runtime_dir, "wasm_bind_runtime"), os.path.join(into, "wasm_bind_runtime"),
                    ignore=shutil.ignore_patterns("__pycache__"))
    for ext in (".py", ".wasm"):
        shutil.copy(os.path.join(module_dir, module + ext), into)
    if pyc:
        # What pip does at install time (compileall, default optimization level).
        if not compileall.compile_dir(into, quiet=1):
            raise SystemExit("compileall failed")
    # As installed, the files are older than the runtime's settle time for file stamps (2 s, _WB_STAMP_SETTLE_NS):
    # only then does the first, untimed run record the wasm's digest by its stamps, as it would for an installed
    # package (a file changed just now is hashed at every start).
    time.sleep(2.1)
    return into


def measure(label: str, path: str, cache: str, runs: int, module: str, cls: str) -> None:
    env = dict(os.environ, PYTHONPATH=path, WASM_BIND_CACHE_DIR=cache)
    code = FULL.format(module=module, cls=cls)
    run(code, env)  # fills the disk cache (compiles once); untimed
    base, full, parts = [], [], []
    for _ in range(runs):
        base.append(run(BASE, env)[0])
        wall, out = run(code, env)
        full.append(wall)
        parts.append([int(x) / 1e6 for x in out.split()])

    def ms(xs: "list[float]") -> str:
        return f"median {statistics.median(xs) * 1e3:6.1f} ms  min {min(xs) * 1e3:6.1f} ms"

    print(f"\n[{label}] {runs} interleaved samples of each kind")
    print(f"  process `import wasmtime` only            : {ms(base)}")
    print(f"  process `import wasmtime` + module + call : {ms(full)}")
    names = ("import module", "construct (cache hit)", "first call", "total beyond `import wasmtime`")
    for i, name in enumerate(names):
        xs = [p[i] for p in parts]
        q = statistics.quantiles(xs, n=4)
        print(f"  {name:31}: median {statistics.median(xs):6.2f} ms  min {min(xs):6.2f} ms  "
              f"quartiles {q[0]:.2f}..{q[2]:.2f} ms")
    delta = (statistics.median(full) - statistics.median(base)) * 1e3
    print(f"  difference of the median wall times       : {delta:6.1f} ms")
    total = statistics.median(p[3] for p in parts)
    print(f"  target <= 5 ms beyond `import wasmtime`   : {'met' if total <= 5 else 'MISSED'} "
          f"(in-process median {total:.2f} ms)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--module-dir", required=True, help="directory holding the generated <module>.py and .wasm")
    ap.add_argument("--module", default="monocypher")
    ap.add_argument("--class-name", default="Monocypher")
    ap.add_argument("--runs", type=int, default=40)
    ap.add_argument("--pyc", choices=("yes", "no", "both"), default="both")
    ap.add_argument("--runtime-dir", default=os.path.join(ROOT, "python"),
                    help="directory holding the wasm_bind_runtime package (default: this checkout's python/)")
    args = ap.parse_args()
    with open("/proc/loadavg") if os.path.exists("/proc/loadavg") else open(os.devnull) as f:
        print(f"load average at start: {f.read().strip() or 'unknown'}")
    print(f"python {sys.version.split()[0]}, PYTHONDONTWRITEBYTECODE={os.environ.get('PYTHONDONTWRITEBYTECODE', '')}")
    kinds = {"yes": [True], "no": [False], "both": [False, True]}[args.pyc]
    with tempfile.TemporaryDirectory(prefix="wb-startup-") as tmp:
        cache = os.path.join(tmp, "cache")
        for pyc in kinds:
            path = stage(args.runtime_dir, args.module_dir, args.module, tempfile.mkdtemp(dir=tmp), pyc)
            label = ".pyc compiled (as pip installs it)" if pyc else "source only, no .pyc"
            measure(label, path, cache, args.runs, args.module, args.class_name)
    if os.path.exists("/proc/loadavg"):
        with open("/proc/loadavg") as f:
            print(f"\nload average at end: {f.read().strip()}")


if __name__ == "__main__":
    main()
