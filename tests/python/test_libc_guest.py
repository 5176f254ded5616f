"""Libc guests (issue 15): `wasm-bind guest --wasi` builds tests/libc_guest/libc_check.c against Debian's wasi-libc,
`wasm-bind --py` binds it, and the Python runtime grants it WASI deny by default: no files, no environment, no
arguments, output discarded unless passed through or captured; clocks and randomness allowed; a directory only when
granted (read-only or read-write), never a path outside it; imports other than WASI preview 1 refused by name."""

from __future__ import annotations

import os
import random
import subprocess
import time
from pathlib import Path
from types import ModuleType

import pytest
import wasmtime

from conftest import ROOT, import_generated

SRC = ROOT / "tests" / "libc_guest"
GEN = ["cargo", "run", "-q", "-p", "gen", "--"]


def run(cmd: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """(wasm, what `wasm-bind guest --wasi` printed)."""
    out = tmp_path_factory.mktemp("libc_check")
    wasm = out / "libc_check.wasm"
    proc = run([*GEN, "guest", str(SRC / "libc_check.c"), "--header", str(SRC / "libc_check.h"), "--wasi",
                "-o", str(wasm)])
    if proc.returncode != 0:
        pytest.fail(f"wasm-bind guest --wasi failed:\n{proc.stderr}")
    return wasm, proc.stderr


@pytest.fixture(scope="module")
def mod(built: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    out = tmp_path_factory.mktemp("libc_py")
    proc = run([*GEN, "--py", str(SRC / "libc_check.h"), "--wasm", str(built[0]), "-o", str(out)])
    if proc.returncode != 0:
        pytest.fail(f"wasm-bind --py failed:\n{proc.stderr}")
    return import_generated("libc_check", out / "libc_check.py")


def wasm_imports(wasm: Path) -> list[str]:
    module = wasmtime.Module(wasmtime.Engine(), wasm.read_bytes())
    return [f"{i.module}.{i.name}" for i in module.imports]


def test_the_guest_imports_only_wasi_and_says_so(built: tuple[Path, str]) -> None:
    wasm, report = built
    imports = wasm_imports(wasm)
    assert imports and all(i.startswith("wasi_snapshot_preview1.") for i in imports), imports
    names = sorted(i.split(".", 1)[1] for i in imports)
    assert f"imports {len(names)} WASI functions:" in report, report
    assert {"fd_write", "clock_time_get", "random_get", "path_open", "environ_get"} <= set(names), names
    exports = [e.name for e in wasmtime.Module(wasmtime.Engine(), wasm.read_bytes()).exports]
    assert "_initialize" in exports and "bump_alloc" in exports and "malloc" not in exports, exports


def test_the_hosts_usr_include_does_not_leak_in(tmp_path: Path) -> None:
    """Debian's sysroot is multiarch: /usr/include (host headers) must not be on a --wasi guest's include path."""
    assert Path("/usr/include/linux/limits.h").is_file()
    src = tmp_path / "leak.c"
    src.write_text("#include <linux/limits.h>\nint leak(void) { return PATH_MAX; }\n")
    header = tmp_path / "leak.h"
    header.write_text("int leak(void);\n")
    proc = run([*GEN, "guest", str(src), "--header", str(header), "--wasi", "-o", str(tmp_path / "leak.wasm")])
    assert proc.returncode != 0 and "'linux/limits.h' file not found" in proc.stderr, proc.stderr


def test_a_freestanding_build_still_refuses_malloc(tmp_path: Path) -> None:
    src = tmp_path / "m.c"
    src.write_text("void *malloc(unsigned long);\nint m(void) { return malloc(4) != 0; }\n")
    header = tmp_path / "m.h"
    header.write_text("int m(void);\n")
    proc = run([*GEN, "guest", str(src), "--header", str(header), "-o", str(tmp_path / "m.wasm")])
    assert proc.returncode != 0 and "`malloc`" in proc.stderr and "--wasi" in proc.stderr, proc.stderr


def fnv(blocks: list[bytes]) -> int:
    h = 2166136261
    for b in blocks:
        for x in b:
            h = ((h ^ x) * 16777619) & 0xFFFFFFFF
    return h


def test_malloc_and_the_arena_coexist(mod: ModuleType) -> None:
    """Blocks the guest keeps with malloc survive heavy arena traffic (big inputs and outputs on every call)."""
    g = mod.LibcCheck()
    rng = random.Random(15)
    kept: list[bytes] = []
    for i in range(200):
        data = rng.randbytes(rng.choice([1, 100, 5000, 70000]))
        kept.append(data)
        assert g.lc_keep(data) == i + 1
        values = rng.randbytes(300000 if i % 50 == 7 else rng.randrange(1, 2000))  # some past an arena chunk
        assert g.lc_sort(values, len(values)) == bytes(sorted(values))
        text = "x" * rng.randrange(0, 200)
        out, n = g.lc_format(512, i, text)
        want = f"{i}|{text}|{i / 8:.3f}".encode()
        assert n == len(want) and out[:n] == want
    assert g.lc_kept_hash() == fnv(kept)
    assert g.lc_forget() == 200
    assert g.lc_kept_hash() == fnv([])


def test_clocks_and_randomness_are_real(mod: ModuleType) -> None:
    a, b = mod.LibcCheck(), mod.LibcCheck()
    assert abs(a.lc_time_ns() - time.time_ns()) < 5 * 10**9
    draws = {a.lc_random(), a.lc_random(), b.lc_random(), b.lc_random()}
    assert len(draws) == 4 and all(d >= 0 for d in draws), draws


def test_nothing_is_granted_by_default(mod: ModuleType, capfd: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert os.environ.get("PATH")
    g = mod.LibcCheck()
    assert g.lc_env_count() == 0 and g.lc_has_env("PATH") == 0 and g.lc_has_env("HOME") == 0
    assert g.lc_print("to stdout") > 0 and g.lc_eprint("to stderr") > 0
    out, err = capfd.readouterr()
    assert "to stdout" not in out and "to stderr" not in err
    (tmp_path / "f.txt").write_text("secret")
    for path in ("/etc/passwd", str(tmp_path / "f.txt"), "f.txt", "/", "../etc/passwd"):
        assert g.lc_file_size(path) < 0, path
    assert g.lc_write_file(str(tmp_path / "new.txt"), "x") != 0
    assert not (tmp_path / "new.txt").exists()


def test_output_is_captured_or_passed_through_when_asked(mod: ModuleType, capfd: pytest.CaptureFixture[str]) -> None:
    out, err = mod.Captured(), mod.Captured()
    g = mod.LibcCheck(wasi=mod.Wasi().stdout(out).stderr(err))
    g.lc_print("one")
    g.lc_eprint("two")
    g.lc_print("three")
    assert out.take() == b"one\nthree\n" and err.take() == b"two\n" and out.take() == b""
    h = mod.LibcCheck(wasi=mod.Wasi().stdout("inherit").stderr("inherit"))
    h.lc_print("passed through")
    h.lc_eprint("passed through too")
    seen_out, seen_err = capfd.readouterr()
    assert "passed through\n" in seen_out and "passed through too\n" in seen_err


def test_a_read_write_directory(mod: ModuleType, tmp_path: Path) -> None:
    g = mod.LibcCheck(wasi=mod.Wasi().dir_rw(tmp_path, "/data"))
    assert g.lc_write_file("/data/a.txt", "hello file") == 0
    assert (tmp_path / "a.txt").read_text() == "hello file"
    assert g.lc_file_size("/data/a.txt") == 10
    assert g.lc_read_file("/data/a.txt", 64)[0][:10] == b"hello file"


def test_a_read_only_directory(mod: ModuleType, tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text("read me")
    g = mod.LibcCheck(wasi=mod.Wasi().dir(tmp_path, "/ro"))
    assert g.lc_read_file("/ro/r.txt", 64)[0][:7] == b"read me"
    assert g.lc_write_file("/ro/w.txt", "no") != 0 and not (tmp_path / "w.txt").exists()
    assert g.lc_write_file("/ro/r.txt", "overwritten") != 0 and (tmp_path / "r.txt").read_text() == "read me"


def test_no_path_leads_outside_the_granted_directory(mod: ModuleType, tmp_path: Path) -> None:
    inside, outside = tmp_path / "in", tmp_path / "out"
    inside.mkdir()
    outside.mkdir()
    (outside / "secret.txt").write_text("secret")
    (inside / "sub").mkdir()
    os.symlink(outside / "secret.txt", inside / "link.txt")
    os.symlink(outside, inside / "dirlink")
    os.symlink("../../out/secret.txt", inside / "sub" / "rel.txt")
    g = mod.LibcCheck(wasi=mod.Wasi().dir_rw(inside, "/data"))
    for path in ("/data/../out/secret.txt", "/data/sub/../../out/secret.txt", str(outside / "secret.txt"),
                 "/data/link.txt", "/data/dirlink/secret.txt", "/data/sub/rel.txt", "../out/secret.txt"):
        assert g.lc_file_size(path) < 0, path
        assert g.lc_read_file(path, 16)[1] < 0, path
    assert g.lc_write_file("/data/dirlink/new.txt", "x") != 0 and not (outside / "new.txt").exists()
    assert g.lc_write_file("/data/../out/new.txt", "x") != 0 and not (outside / "new.txt").exists()
    assert g.lc_file_size("/data/sub/../sub/../link.txt") < 0
    (inside / "ok.txt").write_text("fine")
    assert g.lc_file_size("/data/sub/../ok.txt") == 4  # `..` that stays inside is fine


def test_grants_are_replayed_after_a_trap(mod: ModuleType, tmp_path: Path) -> None:
    out = mod.Captured()
    g = mod.LibcCheck(wasi=mod.Wasi().dir_rw(tmp_path, "/data").stdout(out))
    assert g.lc_keep(b"lost on trap") == 1
    with pytest.raises(mod.TrapError):
        g.lc_trap()
    assert g.lc_kept_hash() == fnv([])  # a fresh instance: the malloc'd state is gone
    assert g.lc_write_file("/data/after.txt", "still granted") == 0
    assert (tmp_path / "after.txt").read_text() == "still granted"
    g.lc_print("still captured")
    assert out.take() == b"still captured\n"
    assert g.lc_env_count() == 0


def test_wasi_options_are_checked(mod: ModuleType, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="is not a directory"):
        mod.Wasi().dir(tmp_path / "missing", "/data")
    with pytest.raises(TypeError, match="guest"):
        mod.Wasi().dir(tmp_path, "")
    with pytest.raises(ValueError, match="'discard', 'inherit' or a Captured"):
        mod.Wasi().stdout("file.txt")
    with pytest.raises(TypeError, match="wasi: expected a Wasi"):
        mod.LibcCheck(wasi={"dir": "/tmp"})
    base = mod.Wasi()
    assert base.dir(tmp_path, "/d") is not base and "dir(" not in repr(base)


@pytest.mark.parametrize("wat,named", [
    ('(module (import "env" "malloc" (func (param i32) (result i32))) (memory (export "memory") 1))', "env.malloc"),
    ('(module (import "wasi_snapshot_preview1" "sock_open" (func)) (memory (export "memory") 1))',
     "wasi_snapshot_preview1.sock_open"),
    ('(module (import "wasi_snapshot_preview1" "memory" (memory 1)))', "wasi_snapshot_preview1.memory"),
])
def test_unknown_imports_are_refused_by_name(mod: ModuleType, wat: str, named: str, tmp_path: Path) -> None:
    wasm = wasmtime.wat2wasm(wat)
    with pytest.raises(mod.LoadError, match=named.replace(".", r"\.")):
        mod.LibcCheck(wasm)
    path = tmp_path / "bad.wasm"
    path.write_bytes(wasm)
    proc = run([*GEN, "--py", str(SRC / "libc_check.h"), "--wasm", str(path), "-o", str(tmp_path / "py")])
    assert proc.returncode != 0, proc.stderr
    assert f"imports function `{named}`" in proc.stderr or f"imports non-function `{named}`" in proc.stderr, proc.stderr


def test_a_freestanding_guest_is_unchanged(tmp_path: Path) -> None:
    """No `wasi=` on the constructors of a guest that imports nothing (generated code and goldens unchanged)."""
    wasm = ROOT / "target" / "guests" / "twosum" / "twosum.wasm"
    proc = run([*GEN, "--py", str(wasm.with_suffix(".h")), "--wasm", str(wasm), "-o", str(tmp_path)])
    assert proc.returncode == 0, proc.stderr
    text = (tmp_path / "twosum.py").read_text()
    assert "wasi" not in text.lower() and "Captured" not in text


def test_a_libc_module_is_typed(mod: ModuleType) -> None:
    stub = Path(mod.__file__).with_suffix(".pyi").read_text()  # type: ignore[arg-type]
    assert "wasi: Wasi | None = ...) -> None: ..." in stub and "Wasi as Wasi" in stub


def test_instances_differ_in_randomness_started_together(mod: ModuleType) -> None:
    values = [mod.LibcCheck().lc_random() for _ in range(8)]
    assert len(set(values)) == 8


def test_the_javascript_back_end_refuses_a_libc_guest(built: tuple[Path, str], tmp_path: Path) -> None:
    proc = run([*GEN, "--ts", str(SRC / "libc_check.h"), "--wasm", str(built[0]), "-o", str(tmp_path)])
    assert proc.returncode != 0 and "the JavaScript runtime does not provide WASI yet" in proc.stderr, proc.stderr
    assert not list(tmp_path.iterdir())


def test_the_next_step_printed_parses_a_header_that_includes_libc(built: tuple[Path, str], tmp_path: Path) -> None:
    """`wasm-bind guest --wasi` prints the `--py` command to run next, with the wasi-libc `--clang-arg`s a header
    that includes a libc header needs: with them the header parses (`--explain`), without them it does not."""
    header = tmp_path / "uses_stdio.h"
    header.write_text("#include <stdio.h>\n#include <stdint.h>\nint32_t lc_add(int32_t a, int32_t b);\n")
    line = next(li for li in built[1].splitlines() if li.startswith("next: "))
    assert "--clang-arg=--target=wasm32-wasi" in line and "--clang-arg=-isystem" in line, line
    args = [a for a in line.split(" (")[0].split()[2:] if a.startswith("--clang-arg=")]
    plain = run([*GEN, "--explain", str(header)])
    assert plain.returncode != 0 and "stdio.h" in plain.stderr, plain.stderr  # the host's headers are not the guest's
    proc = run([*GEN, "--explain", str(header), *args])
    assert proc.returncode == 0 and "lc_add" in proc.stdout, proc.stderr
