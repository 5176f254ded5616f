"""README's "Bind your own library (five minutes)", executed: the ```sh block under that heading is read from
README.md and run line by line with bash in a temporary directory outside the repository, for a small C library
written here (mylib: a checksum over a byte slice, a fixed-size digest, a string in) and for BLAKE3 from the
crates.io crate's bundled C sources (guests/locate_blake3.py): `wasm-bind guest` -> `wasm-bind --py --package` ->
`pip wheel` -> a fresh venv -> `pip install` -> the README's last line. Then the installed package, run by the venv's
Python from a third directory (the repository not on sys.path), is checked against zlib / Python (mylib) and the
native `blake3` package of this environment (BLAKE3).

The only changes to the README's lines are file names (`mylib.c` -> the library's sources, `mylib`/`Mylib` -> its
stem and class) and `.venv` -> one venv shared by the module; `cargo install --path .../gen` is replaced by putting
the freshly built target/debug/wasm-bind first on PATH. Each command's wall time is printed (`pytest -s`).
Part of the normal run (marked `packaging`); bounded by subprocess timeouts.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Tuple

import blake3 as blake3_native  # the native package (requirements.txt): the reference
import pytest

from conftest import ROOT

pytestmark = pytest.mark.packaging

HEADING = "### Bind your own library (five minutes)"
INSTALL = re.compile(r"^cargo install --path \S*/gen\b")

MYLIB_H = """\
#include <stddef.h>
#include <stdint.h>

/* Adler-32 of a byte slice (zlib.adler32). */
uint32_t mylib_checksum(const uint8_t *data, size_t len);
/* FNV-1a 64 of a byte slice, big-endian, into a fixed 8-byte output. */
void mylib_digest(const uint8_t *data, size_t len, uint8_t out[8]);
/* How many times the character c occurs in a NUL-terminated string. */
int32_t mylib_count_char(int32_t c, const char *text);
"""

MYLIB_C = """\
#include <string.h>
#include "mylib.h"

uint32_t mylib_checksum(const uint8_t *data, size_t len) {
    uint32_t a = 1, b = 0;
    for (size_t i = 0; i < len; i++) {
        a = (a + data[i]) % 65521;
        b = (b + a) % 65521;
    }
    return (b << 16) | a;
}

void mylib_digest(const uint8_t *data, size_t len, uint8_t out[8]) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < len; i++) {
        h ^= data[i];
        h *= 0x100000001b3ull;
    }
    for (int i = 0; i < 8; i++) out[i] = (uint8_t)(h >> (56 - 8 * i));
}

int32_t mylib_count_char(int32_t c, const char *text) {
    int32_t n = 0;
    for (const char *p = strchr(text, c); c != 0 && p != NULL; p = strchr(p + 1, c)) n++;
    return n;
}
"""

BLAKE3_SOURCES = ("blake3.c", "blake3_dispatch.c", "blake3_portable.c")


@dataclass(frozen=True)
class Flow:
    """What one library's run of the README commands left behind."""

    work: Path  # the folder the commands ran in
    wheel: Path
    timings: List[Tuple[str, float]]  # (command, seconds)
    help_text: str  # stdout of the README's last line


def readme_commands() -> List[str]:
    """The lines of the first ```sh block under README's "Bind your own library" heading (comments dropped)."""
    text = (ROOT / "README.md").read_text()
    start = text.index(HEADING)
    section = text[start:text.index("\n### ", start + len(HEADING))]
    match = re.search(r"```sh\n(.*?)```", section, re.S)
    assert match, f"README section {HEADING!r} has no ```sh block"
    lines = [re.sub(r"\s+#.*$", "", line).strip() for line in match.group(1).splitlines()]
    return [line for line in lines if line]


def test_readme_commands_are_the_package_flow() -> None:
    """The README lines the flow tests run: install, guest, --package, venv, wheel, install, use; the wasmtime pin
    is requirements.txt's (so README and requirements cannot drift either)."""
    cmds = readme_commands()
    assert INSTALL.match(cmds[0]), cmds[0]
    assert [c.split()[:2] for c in cmds[1:3]] == [["wasm-bind", "guest"], ["wasm-bind", "--py"]], cmds
    assert "--package" in cmds[2] and any(c.startswith("pip wheel") for c in cmds) and "venv" in cmds[3], cmds
    pin = next(line.strip() for line in (ROOT / "requirements.txt").read_text().splitlines()
               if line.startswith("wasmtime=="))
    install = next(c for c in cmds if c.startswith("pip install"))
    assert pin in install.split(), (pin, install)


def substitute(line: str, stem: str, sources: List[str], venv: Path) -> str:
    """The README line for another library: file names and the shared venv, nothing else."""
    names = {"mylib.c": " ".join(sources), "mylib": stem, "Mylib": stem[:1].upper() + stem[1:], ".venv": str(venv)}
    return re.sub(r"mylib\.c|Mylib|mylib|\.venv\b", lambda m: names[m.group(0)], line)


def clean_env() -> Dict[str, str]:
    """This environment without the test session's PYTHONPATH (the repository's python/) or an active venv."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}


def run_readme(work: Path, stem: str, sources: List[str], venv: Path, wasm_bind_dir: Path) -> Flow:
    """Runs the README's commands (after the install line) in `work` with one bash, timing each."""
    cmds = readme_commands()[1:]
    script = ["set -euo pipefail", "TIMEFORMAT='@@wb-time %R'"]
    for cmd in cmds:
        script.append(f"time {{ {substitute(cmd, stem, sources, venv)} ; }}")
    env = clean_env()
    env["PATH"] = os.pathsep.join([str(wasm_bind_dir), str(Path(sys.executable).parent), env.get("PATH", "")])
    proc = subprocess.run(["bash", "-c", "\n".join(script)], cwd=work, env=env, capture_output=True, text=True,
                          timeout=900)
    assert proc.returncode == 0, f"README commands failed for {stem}:\n{proc.stdout}\n{proc.stderr}"
    seconds = [float(s) for s in re.findall(r"^@@wb-time ([0-9.]+)$", proc.stderr, re.M)]
    assert len(seconds) == len(cmds), proc.stderr
    wheel = work / "wheels" / f"{stem}-0.1.0-py3-none-any.whl"
    assert wheel.is_file(), sorted(p.name for p in (work / "wheels").iterdir())
    return Flow(work, wheel, [(substitute(c, stem, sources, venv), s) for c, s in zip(cmds, seconds)], proc.stdout)


def report(flow: Flow) -> None:
    print(f"\n{flow.wheel.name}: {flow.wheel.stat().st_size} bytes")
    for cmd, s in flow.timings:
        print(f"  {s:6.2f} s  {cmd}")


def venv_python(flow_venv: Path, script: str, stdin: str, elsewhere: Path) -> str:
    """Runs `script` with the venv's Python in `elsewhere` (not the repository, no PYTHONPATH); its stdout."""
    proc = subprocess.run([str(flow_venv / "bin" / "python"), "-c", script, str(ROOT)], input=stdin,
                          capture_output=True, text=True, timeout=120, env=clean_env(), cwd=elsewhere)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


# The start of every check run in the venv: the module comes from the installed wheel, the repository is not
# importable (its runtime package neither).
INSTALLED = """
import importlib.util, json, sys
root = sys.argv[1]
import {stem}
assert 'site-packages' in {stem}.__file__, {stem}.__file__
assert not any(p and root in p for p in sys.path), sys.path
assert importlib.util.find_spec('wasm_bind_runtime') is None, 'the repository runtime is importable'
"""


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Tuple[Path, Path, Path]:
    """(folder holding the built wasm-bind, the module's venv path, a folder to run checks from)."""
    proc = subprocess.run(["cargo", "build", "-q", "-p", "gen"], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr
    binary = ROOT / "target" / "debug" / "wasm-bind"
    assert binary.is_file()
    base = tmp_path_factory.mktemp("bind_your_own")
    assert ROOT not in base.parents
    elsewhere = base / "elsewhere"
    elsewhere.mkdir()
    return binary.parent, base / "venv", elsewhere


@pytest.fixture(scope="module")
def mylib(setup: Tuple[Path, Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Flow:
    work = tmp_path_factory.mktemp("mylib")
    (work / "mylib.h").write_text(MYLIB_H)
    (work / "mylib.c").write_text(MYLIB_C)
    flow = run_readme(work, "mylib", ["mylib.c"], setup[1], setup[0])
    report(flow)
    return flow


@pytest.fixture(scope="module")
def blake3(setup: Tuple[Path, Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Flow:
    proc = subprocess.run([sys.executable, str(ROOT / "guests" / "locate_blake3.py"), str(ROOT)], capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    src = Path(proc.stdout.strip())
    work = tmp_path_factory.mktemp("blake3")
    for path in [*(src / s for s in BLAKE3_SOURCES), *src.glob("*.h")]:
        shutil.copy(path, work / path.name)
    flow = run_readme(work, "blake3", list(BLAKE3_SOURCES), setup[1], setup[0])
    report(flow)
    return flow


def fnv1a64(data: bytes) -> bytes:
    h = 0xcbf29ce484222325
    for b in data:
        h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h.to_bytes(8, "big")


MYLIB_CHECK = INSTALLED.format(stem="mylib") + """
m = mylib.Mylib()
out = [[m.mylib_checksum(bytes.fromhex(d)), m.mylib_digest(bytes.fromhex(d)).hex(), m.mylib_count_char(ord(c), t)]
       for d, c, t in json.load(sys.stdin)]
print(json.dumps(out))
"""


def test_mylib_from_the_readme_matches_zlib_and_python(mylib: Flow, setup: Tuple[Path, Path, Path]) -> None:
    for name in ("mylib/__init__.py", "mylib/__init__.pyi", "mylib/py.typed", "mylib/mylib.wasm"):
        assert name in zipfile.ZipFile(mylib.wheel).namelist(), name
    for method in ("mylib_checksum", "mylib_digest", "mylib_count_char"):
        assert method in mylib.help_text, mylib.help_text
    rng = random.Random(13)
    cases = [(rng.randbytes(n), rng.choice("ab\u00e9 "), "".join(rng.choice("ab\u00e9 x") for _ in range(n % 50)))
             for n in (0, 1, 7, 100, 5552, 5553, 70_000)]
    got = json.loads(venv_python(setup[1], MYLIB_CHECK, json.dumps([[d.hex(), c, t] for d, c, t in cases]), setup[2]))
    want = [[zlib.adler32(d), fnv1a64(d).hex(), t.encode().count(c.encode()) if len(c.encode()) == 1 else None]
            for d, c, t in cases]
    for (checksum, digest, count), (w_checksum, w_digest, w_count) in zip(got, want):
        assert (checksum, digest) == (w_checksum, w_digest)
        if w_count is not None:  # a one-byte character: strchr counts it
            assert count == w_count


BLAKE3_CHECK = INSTALLED.format(stem="blake3") + """
lib = blake3.Blake3()
assert lib.blake3_version() == '1.8.2'
out = []
for data, n, key, context in json.load(sys.stdin):
    with blake3.Blake3Hasher(lib) as h:
        if key is not None:
            lib.blake3_hasher_init_keyed(h, bytes.fromhex(key))
        elif context is not None:
            lib.blake3_hasher_init_derive_key(h, context)
        else:
            lib.blake3_hasher_init(h)
        data = bytes.fromhex(data)
        for i in range(0, len(data), 4000):
            lib.blake3_hasher_update(h, data[i:i + 4000])
        out.append(bytes(lib.blake3_hasher_finalize(h, n)).hex())
print(json.dumps(out))
"""


def test_blake3_from_the_readme_matches_the_native_package(blake3: Flow, setup: Tuple[Path, Path, Path]) -> None:
    assert "blake3_hasher_update" in blake3.help_text and "Blake3Hasher" in (
        blake3.work / "blake3-py" / "blake3" / "__init__.pyi").read_text()
    rng = random.Random(3)
    cases = []
    for length in (0, 1, 64, 1025, 3 * 1024 + 1, 100_003):
        data, n = rng.randbytes(length), rng.choice([1, 32, 64, 131])
        cases += [(data, n, None, None), (data, 32, rng.randbytes(32), None), (data, 32, None, "wasm-bind e2e 13")]
    stdin = json.dumps([[d.hex(), n, k.hex() if k else None, c] for d, n, k, c in cases])
    got = json.loads(venv_python(setup[1], BLAKE3_CHECK, stdin, setup[2]))
    assert len(got) == len(cases)
    for (data, n, key, context), digest in zip(cases, got):
        if key is not None:
            want = blake3_native.blake3(data, key=key).digest(length=n)
        elif context is not None:
            want = blake3_native.blake3(data, derive_key_context=context).digest(length=n)
        else:
            want = blake3_native.blake3(data).digest(length=n)
        assert bytes.fromhex(digest) == want, (len(data), n, key, context)


LOAD_ERROR = INSTALLED.format(stem="mylib") + """
try:
    mylib.Mylib(wasm=sys.argv[2])
except mylib.LoadError as e:
    print(e)
else:
    raise SystemExit('a guest without the bound functions loaded')
"""


def test_installed_load_error_names_the_wasm_and_the_fix(mylib: Flow, blake3: Flow,
                                                         setup: Tuple[Path, Path, Path]) -> None:
    """From the installed wheel (its bundled runtime), a guest lacking a bound function: the LoadError names the
    .wasm path and how to export the function or skip it."""
    wasm = blake3.work / "blake3.wasm"
    proc = subprocess.run([str(setup[1] / "bin" / "python"), "-c", LOAD_ERROR, str(ROOT), str(wasm)],
                          capture_output=True, text=True, timeout=120, env=clean_env(), cwd=setup[2])
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout
    assert str(wasm) in text and "does not export function 'mylib_checksum'" in text, text
    assert "-Wl,--export=mylib_checksum" in text and "[functions.mylib_checksum] skip" in text, text


NO_PERSIST = INSTALLED.format(stem="blake3") + """
try:
    blake3.Blake3(wasm=sys.argv[2])  # the bindings take handles: the load checks the persistent-block exports
except blake3.LoadError as e:
    print(e)
else:
    raise SystemExit('a guest without wb_persist_alloc loaded')
"""


def test_installed_load_error_for_a_missing_handle_export(blake3: Flow, setup: Tuple[Path, Path, Path],
                                                          tmp_path: Path) -> None:
    """A guest without the kit's persistent-block export (handles need it): the load fails (before compiling, not
    when the first handle is made) with a LoadError naming the .wasm and the fix."""
    wasm = tmp_path / "no_persist.wasm"
    data = (blake3.work / "blake3.wasm").read_bytes()
    assert b"wb_persist_alloc" in data
    wasm.write_bytes(data.replace(b"wb_persist_alloc", b"wb_persist_allox"))  # same length: the export is renamed
    proc = subprocess.run([str(setup[1] / "bin" / "python"), "-c", NO_PERSIST, str(ROOT), str(wasm)],
                          capture_output=True, text=True, timeout=120, env=clean_env(), cwd=setup[2])
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout
    assert str(wasm) in text and "does not export function 'wb_persist_alloc'" in text, text
    assert "wasm-bind guest" in text and "guest-kit/wb_arena.c" in text, text
