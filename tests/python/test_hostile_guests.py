"""Hostile guests (tests/hostile/*.wat) behind bindings generated from tests/hostile/hostile.h.

Each .wat is good.wat with one misbehaviour. Through the generated `Hostile` class, on both call paths,
every one must end in a documented exception (GuestError / TrapError / TimeoutError / LoadError), never touch
host memory, never crash the process, and leave the object usable (re-instantiated when the guest's state
cannot be trusted). Misbehaviours mostly fire only when key[0] == 0xEE (TRIGGER), so honest calls follow.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import time
from typing import Any, Callable

import pytest
import wasmtime

from conftest import ROOT, Guest, generate, import_generated

HOSTILE = ROOT / "tests" / "hostile"
TRIGGER = bytes([0xEE]) + b"hostile-secret-key-0123456789ab"  # 32 bytes; key[0] == 0xEE fires the misbehaviour
HONEST = b"H" + TRIGGER[1:]
assert len(TRIGGER) == 32


def runtime_of(module: Any) -> Any:
    """The runtime module a generated module uses (the shared wasm_bind_runtime._runtime, or the module itself when
    the runtime is pasted in): where the process-wide state (ticker, epoch) lives."""
    return sys.modules[module._WbInstance.__module__]


def wasm(name: str) -> bytes:
    return bytes(wasmtime.wat2wasm((HOSTILE / f"{name}.wat").read_text()))


@pytest.fixture(scope="session")
def hostile_mod(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The module `gen --py` writes for tests/hostile/hostile.h (validated against good.wat)."""
    out = tmp_path_factory.mktemp("hostile")
    good = out / "good.wasm"
    good.write_bytes(wasm("good"))
    generate(Guest("hostile", HOSTILE / "hostile.h", good), out)
    return import_generated("hostile", out / "hostile.py")


@pytest.fixture(params=[True, False], ids=["fast", "public"])
def make(request: pytest.FixtureRequest, hostile_mod: Any, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    """make(name, **limits) -> a Hostile object over tests/hostile/<name>.wat on the parametrized call path."""
    monkeypatch.setenv("WASM_BIND_NO_FAST", "0" if request.param else "1")

    def build(name: str, **limits: Any) -> Any:
        obj = hostile_mod.Hostile(wasm(name), **limits)
        assert obj._wb_rt.fast is request.param
        return obj

    return build


def mix(key: bytes, message: bytes) -> bytes:
    x = functools.reduce(lambda a, b: a ^ b, message, 0)
    return bytes(k ^ x for k in key)


def hash_(size: int, message: bytes) -> bytes:
    return bytes(((message[i % len(message)] if message else 0) ^ i) & 0xFF for i in range(size))


SMALL, LARGE = b"small message", os.urandom(40_000)  # LARGE does not fit the scratch block: arena path


def honest_calls_work(obj: Any) -> None:
    for msg in (SMALL, LARGE):
        assert obj.hostile_mix(HONEST, msg) == mix(HONEST, msg)
        assert obj.hostile_hash(70, msg) == hash_(70, msg)


def memory(obj: Any) -> bytes:
    rt = obj._wb_rt
    return rt.read(0, rt.memory_size())


def test_good_guest(make: Callable[..., Any]) -> None:
    obj = make("good")
    honest_calls_work(obj)
    assert obj.hostile_mix(TRIGGER, b"") == TRIGGER  # good.wat ignores the trigger
    assert TRIGGER[1:9] not in memory(obj)


# -- allocators ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name,message", [
    ("alloc_negative", "outside guest memory"),
    ("alloc_overflow", "outside guest memory"),
    ("alloc_past_end", "outside guest memory"),
    ("alloc_below_heap", "below the guest heap"),
    ("alloc_null_page", "below the guest heap"),
])
@pytest.mark.parametrize("msg", [SMALL, LARGE], ids=["small", "large"])
def test_bad_allocator_pointer_is_guest_error(make: Callable[..., Any], hostile_mod: Any, name: str, message: str,
                                              msg: bytes) -> None:
    obj = make(name)
    for attempt in range(3):  # the allocator stays broken: every call fails the same clean way
        gen = obj._wb_rt.generation
        with pytest.raises(hostile_mod.GuestError, match=message) as info:
            obj.hostile_mix(HONEST, msg)
        assert "re-created" in str(info.value)
        assert obj._wb_rt.generation == gen + 1


def test_same_pointer_twice_is_guest_error(make: Callable[..., Any], hostile_mod: Any) -> None:
    obj = make("alloc_same_twice")
    rt = obj._wb_rt
    assert rt.persist_alloc(64) == 65536  # a handle's block
    with pytest.raises(hostile_mod.GuestError, match="overlapping the block"):
        obj.hostile_mix(HONEST, LARGE)  # the arena block (or scratch block) lands on the handle
    assert rt.generation == 1
    assert rt.persist_alloc(64) == 65536
    with pytest.raises(hostile_mod.GuestError, match="overlapping"):
        rt.persist_alloc(64)  # a second handle on the same block
    assert rt.generation == 2


def test_growth_refused_is_guest_error_and_object_stays(make: Callable[..., Any], hostile_mod: Any) -> None:
    obj = make("good", max_memory=4 * 65536)  # 3 pages initially: one more page at most
    with pytest.raises(hostile_mod.GuestError, match=r"bump_alloc\(\d+\) returned 0 \(guest out of memory\)"):
        obj.hostile_mix(HONEST, bytes(200_000))
    assert obj._wb_rt.generation == 0  # an honest "out of memory": nothing to distrust
    assert obj.hostile_mix(HONEST, SMALL) == mix(HONEST, SMALL)
    with pytest.raises(ValueError, match="more than max_memory"):  # rejected before any guest call
        obj.hostile_mix(HONEST, bytes(300_000))
    assert obj._wb_rt.memory_size() <= 4 * 65536


# -- memory growth ---------------------------------------------------------------------------------------------

def test_memory_growth_during_the_call(make: Callable[..., Any]) -> None:
    obj = make("grow_during_call")
    for msg in (SMALL, LARGE):
        before = obj._wb_rt.memory_size()
        assert obj.hostile_mix(TRIGGER, msg) == mix(TRIGGER, msg)
        assert obj._wb_rt.memory_size() == before + 100 * 65536
    honest_calls_work(obj)


def test_growth_toward_4_gib_stops_at_the_cap(make: Callable[..., Any]) -> None:
    cap = 64 * 1024 * 1024
    obj = make("grow_unbounded", max_memory=cap)
    t0 = time.monotonic()
    assert obj.hostile_mix(TRIGGER, SMALL) == mix(TRIGGER, SMALL)
    assert time.monotonic() - t0 < 10
    assert cap - 64 * 1024 * 1024 < obj._wb_rt.memory_size() <= cap
    honest_calls_work(obj)


def test_default_memory_cap(make: Callable[..., Any], hostile_mod: Any) -> None:
    obj = make("grow_unbounded")
    assert obj._wb_rt.max_memory == 256 * 1024 * 1024
    obj.hostile_mix(TRIGGER, SMALL)
    assert obj._wb_rt.memory_size() <= 256 * 1024 * 1024


def test_huge_initial_memory_is_load_error(make: Callable[..., Any], hostile_mod: Any) -> None:
    with pytest.raises(hostile_mod.LoadError, match=r"initial memory is 536870912 bytes \(8192 pages\), more than "
                                                    r"max_memory \(268435456 bytes\)"):
        make("huge_initial")
    obj = make("huge_initial", max_memory=1 << 30)
    honest_calls_work(obj)


@pytest.mark.parametrize("bad", [0, 1000, (1 << 32) + 1, -5])
def test_max_memory_is_checked(make: Callable[..., Any], bad: int) -> None:
    with pytest.raises(ValueError, match="max_memory"):
        make("good", max_memory=bad)
    with pytest.raises(TypeError, match="max_memory"):
        make("good", max_memory=1.5)


# -- broken exports --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name,message", [
    ("wrong_signature", "export 'hostile_mix' has type (i32, i32, i32) -> (), expected (i32, i32, i32, i32) -> ()"),
    ("no_memory", "does not export a linear memory named 'memory'"),
    ("no_reset", "does not export function 'bump_reset'"),
])
def test_broken_exports_are_load_errors(make: Callable[..., Any], hostile_mod: Any, name: str, message: str) -> None:
    for _ in range(2):  # the second instance of the same compiled module is refused too (no check is cached)
        with pytest.raises(hostile_mod.LoadError) as info:
            make(name)
        assert message in str(info.value)


# -- traps, loops, recursion -----------------------------------------------------------------------------------

@pytest.mark.parametrize("msg", [SMALL, LARGE], ids=["small", "large"])
def test_trap_halfway_through_the_output(make: Callable[..., Any], hostile_mod: Any, msg: bytes) -> None:
    obj = make("trap_midway")
    with pytest.raises(hostile_mod.TrapError, match="^hostile_mix trapped: wasm `unreachable` instruction executed$"):
        obj.hostile_mix(TRIGGER, msg)
    assert obj._wb_rt.generation == 1
    assert TRIGGER[1:9] not in memory(obj)
    honest_calls_work(obj)


def test_infinite_loop_times_out(make: Callable[..., Any], hostile_mod: Any) -> None:
    obj = make("infinite_loop", timeout=0.3)
    honest_calls_work(obj)
    for msg in (SMALL, LARGE):
        t0 = time.monotonic()
        with pytest.raises(hostile_mod.TrapError) as info:
            obj.hostile_mix(TRIGGER, msg)
        elapsed = time.monotonic() - t0
        assert type(info.value) is hostile_mod.TimeoutError and "TimeoutError" in hostile_mod.__all__
        assert info.value.timeout == 0.3 and "timed out" in str(info.value)
        assert 0.25 < elapsed < 3, elapsed
        honest_calls_work(obj)
    assert TRIGGER[1:9] not in memory(obj)


def test_ticker_idles_between_calls_and_wakes_for_the_next(make: Callable[..., Any], hostile_mod: Any) -> None:
    """No wake-ups while no call with a deadline runs; the next such call restarts the ticks (and times out)."""
    obj = make("infinite_loop", timeout=0.3)
    honest_calls_work(obj)
    deadline = time.monotonic() + 2
    while runtime_of(hostile_mod)._wb_ticking and time.monotonic() < deadline:  # idles within a tick or two
        time.sleep(runtime_of(hostile_mod)._WB_TICK)
    assert not runtime_of(hostile_mod)._wb_ticking, "the ticker never went idle"
    ticker = runtime_of(hostile_mod)._wb_ticker
    assert ticker is not None and ticker.is_alive()
    before = runtime_of(hostile_mod)._wb_epoch
    time.sleep(0.3)  # 15 ticks if it were ticking
    assert runtime_of(hostile_mod)._wb_epoch == before, "the idle ticker still advanced the epoch"
    t0 = time.monotonic()
    with pytest.raises(hostile_mod.TimeoutError):
        obj.hostile_mix(TRIGGER, SMALL)
    assert 0.25 < time.monotonic() - t0 < 3
    assert runtime_of(hostile_mod)._wb_epoch > before
    honest_calls_work(obj)


def test_a_looping_guest_does_not_block_other_threads(make: Callable[..., Any], hostile_mod: Any) -> None:
    """The looping call releases the GIL: another object keeps answering from another thread meanwhile."""
    import threading
    looping = make("infinite_loop", timeout=1.0)
    other = make("good")
    done: list[int] = []
    failures: list[BaseException] = []

    def spin() -> None:
        try:
            looping.hostile_mix(TRIGGER, SMALL)
        except hostile_mod.TimeoutError:
            pass
        except BaseException as e:  # noqa: BLE001
            failures.append(e)

    t = threading.Thread(target=spin)
    t0 = time.monotonic()
    t.start()
    while t.is_alive():
        assert other.hostile_mix(HONEST, SMALL) == mix(HONEST, SMALL)
        done.append(1)
    t.join()
    assert failures == [] and 0.9 < time.monotonic() - t0 < 4
    assert len(done) > 100  # the main thread ran all along


def test_reset_that_never_returns_times_out(make: Callable[..., Any], hostile_mod: Any) -> None:
    obj = make("reset_loops", timeout=0.2)
    with pytest.raises(hostile_mod.TimeoutError, match=r"^hostile_mix \(in bump_reset while wiping the arena\) "
                                                       r"timed out") as info:
        obj.hostile_mix(TRIGGER, SMALL)
    assert info.value.function == "hostile_mix" and obj._wb_rt.generation == 1
    assert TRIGGER[1:9] not in memory(obj)
    honest_calls_work(obj)


def test_timeout_none_disables_it_and_bad_values_are_rejected(make: Callable[..., Any]) -> None:
    obj = make("good", timeout=None)
    honest_calls_work(obj)
    for bad, exc in [(0, ValueError), (-1.0, ValueError), (float("nan"), ValueError), ("1", TypeError),
                     (True, TypeError)]:
        with pytest.raises(exc, match="timeout"):
            make("good", timeout=bad)


def test_unbounded_recursion_traps(make: Callable[..., Any], hostile_mod: Any) -> None:
    obj = make("recursion")
    t0 = time.monotonic()
    with pytest.raises(hostile_mod.TrapError, match="call stack exhausted"):
        obj.hostile_mix(TRIGGER, SMALL)
    assert time.monotonic() - t0 < 5
    honest_calls_work(obj)


STACK_PROBE = """
import sys, importlib.util, wasmtime
spec = importlib.util.spec_from_file_location("h", sys.argv[1]); h = importlib.util.module_from_spec(spec)
sys.modules["h"] = h; spec.loader.exec_module(h)
if sys.argv[3] != "-":
    h.set_max_wasm_stack(int(sys.argv[3]))
wat = open(sys.argv[2]).read().rstrip()
assert wat.endswith(")")
wat = wat[:-1] + ('(func $deep (export "deep") (param $n i32) (result i32)'
                  '  (if (result i32) (local.get $n)'
                  '    (then (i32.add (call $deep (i32.sub (local.get $n) (i32.const 1))) (i32.const 1)))'
                  '    (else (i32.const 0)))))')
try:
    rt = h._WbInstance(bytes(wasmtime.wat2wasm(wat)), "unused", ["deep"], signatures=["i32->i32"])
except h.LoadError as e:
    print("LoadError:", e)
    sys.exit(0)
for n in (1000, 4000, 10000):
    try:
        print(n, rt.call(0, "deep", (n,)))
    except h.TrapError as e:
        print(n, "trap" if "call stack exhausted" in str(e) else e)
try:
    h.set_max_wasm_stack(65536)
except RuntimeError as e:
    print("late:", type(e).__name__)
"""


@pytest.mark.parametrize("how", ["default", "env", "call", "call-over-env", "bad-env", "huge-env"])
def test_wasm_stack_limit_is_a_process_setting(hostile_mod: Any, how: str) -> None:
    """A recursing guest (good.wat + `deep(n)`, n frames) traps at a shallower depth under a smaller limit, set by
    WASM_BIND_MAX_WASM_STACK or set_max_wasm_stack before the first instance (RuntimeError after it)."""
    env = {k: v for k, v in os.environ.items() if k != "WASM_BIND_MAX_WASM_STACK"}
    arg = "-"
    if how in ("env", "call-over-env"):
        env["WASM_BIND_MAX_WASM_STACK"] = "65536" if how == "env" else str(4 * 1024 * 1024)
    if how.startswith("call"):
        arg = "65536"
    if how == "bad-env":
        env["WASM_BIND_MAX_WASM_STACK"] = "lots"
    if how == "huge-env":
        env["WASM_BIND_MAX_WASM_STACK"] = str(1 << 30)
    proc = subprocess.run(["python3", "-c", STACK_PROBE, hostile_mod.__file__, str(HOSTILE / "good.wat"), arg],
                          capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.splitlines()
    if how == "default":
        assert out == ["1000 1000", "4000 4000", "10000 10000", "late: RuntimeError"], proc.stdout
    elif how == "bad-env":
        assert out == ["LoadError: WASM_BIND_MAX_WASM_STACK='lots' is not a number of bytes"], proc.stdout
    elif how == "huge-env":
        assert out == [f"LoadError: WASM_BIND_MAX_WASM_STACK: {1 << 30} is outside 16384..2097152 bytes"], proc.stdout
    else:
        assert out == ["1000 1000", "4000 trap", "10000 trap", "late: RuntimeError"], proc.stdout


def test_set_max_wasm_stack_checks_its_argument(hostile_mod: Any) -> None:
    for bad, exc in [("1", TypeError), (True, TypeError), (1.5, TypeError), (1024, ValueError), (1 << 30, ValueError)]:
        with pytest.raises(exc, match="max_wasm_stack"):
            hostile_mod.set_max_wasm_stack(bad)
    assert "set_max_wasm_stack" in hostile_mod.__all__


# -- guests that scribble or skip --------------------------------------------------------------------------------

@pytest.mark.parametrize("msg", [SMALL + bytes(40), LARGE], ids=["small", "large"])
def test_writes_outside_the_output_into_other_arena_data(make: Callable[..., Any], msg: bytes) -> None:
    obj = make("writes_outside")
    assert obj.hostile_mix(TRIGGER, msg) == mix(TRIGGER, msg)
    assert TRIGGER[1:9] not in memory(obj)  # the copies landed in our block: wiped with it
    honest_calls_work(obj)


def test_clobbered_bump_pointer(make: Callable[..., Any], hostile_mod: Any) -> None:
    obj = make("clobber_bump")
    with pytest.raises(hostile_mod.TrapError, match=r"^hostile_mix \(in bump_reset while wiping the arena\) trapped: out of bounds"):
        obj.hostile_mix(TRIGGER, SMALL)
    assert obj._wb_rt.generation == 1
    assert TRIGGER[1:9] not in memory(obj)
    honest_calls_work(obj)


def test_trap_in_a_merged_reset_names_the_reset(make: Callable[..., Any], hostile_mod: Any) -> None:
    """After a few calls the fast path runs the function and the arena reset as one guest call (merged): a trap
    or timeout in the reset is still reported as the reset's, and everything is wiped."""
    for name, error, message in [("clobber_bump", hostile_mod.TrapError, "trapped: out of bounds"),
                                 ("reset_loops", hostile_mod.TimeoutError, "timed out")]:
        obj = make(name, timeout=0.2)
        for _ in range(5):
            assert obj.hostile_mix(HONEST, SMALL) == mix(HONEST, SMALL)
        assert bool(obj._wb_rt._merged) is obj._wb_rt.fast  # the fast path merged hostile_mix's calls
        with pytest.raises(error, match=rf"^hostile_mix \(in bump_reset while wiping the arena\) {message}"):
            obj.hostile_mix(TRIGGER, SMALL)
        assert obj._wb_rt.generation == 1
        assert TRIGGER[1:9] not in memory(obj)
        honest_calls_work(obj)


@pytest.mark.parametrize("msg", [SMALL + bytes(40), LARGE], ids=["small", "large"])
def test_reset_that_does_not_wipe_leaves_nothing(make: Callable[..., Any], msg: bytes) -> None:
    """reset_no_wipe.wat rewinds its arena without zeroing it: the host's own wipe of the call's block is what
    cleans up (scratch and arena blocks alike), as in the Rust and JS runtimes."""
    obj = make("reset_no_wipe")
    secret = os.urandom(len(msg))
    for _ in range(5):  # the first calls and the merged ones
        out = obj.hostile_mix(HONEST, secret)
        assert out == mix(HONEST, secret)
        mem = memory(obj)
        for needle in (secret[:16], secret[-16:], HONEST[1:17], out[:16]):
            assert needle not in mem


@pytest.mark.parametrize("name", ["no_output", "dirty_alloc"])
@pytest.mark.parametrize("msg", [SMALL, LARGE], ids=["small", "large"])
def test_unwritten_output_is_zeros_never_stale(make: Callable[..., Any], name: str, msg: bytes) -> None:
    obj = make(name)
    assert obj.hostile_mix(HONEST, msg) == mix(HONEST, msg)  # leaves a result behind, then the guest skips
    assert obj.hostile_mix(TRIGGER, msg) == bytes(32)
    if name == "no_output":
        assert obj.hostile_hash(64, msg) == bytes(64)


def test_hostile_guest_cannot_crash_the_process(hostile_mod: Any) -> None:
    """Every hostile module, in a child process: whatever happens, the interpreter exits normally."""
    script = (
        "import sys, importlib.util, wasmtime\n"
        "spec = importlib.util.spec_from_file_location('h', sys.argv[1]); h = importlib.util.module_from_spec(spec)\n"
        "spec.loader.exec_module(h)\n"
        "key = bytes([0xEE]) + bytes(31)\n"
        "for path in sys.argv[2:]:\n"
        "    try:\n"
        "        obj = h.Hostile(wasmtime.wat2wasm(open(path).read()), timeout=0.2)\n"
        ""
        "        for msg in (b'x', bytes(40000)):\n"
        "            try: obj.hostile_mix(key, msg); obj.hostile_hash(100, msg)\n"
        "            except h.Error: pass\n"
        "    except h.Error: pass\n"
        "print('survived')\n")
    files = sorted(str(p) for p in HOSTILE.glob("*.wat"))
    proc = subprocess.run(["python3", "-c", script, hostile_mod.__file__, *files], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0 and proc.stdout.strip() == "survived", proc.stderr


def test_timeouts_still_fire_in_a_forked_child(make: Callable[..., Any], hostile_mod: Any) -> None:
    obj = make("infinite_loop", timeout=0.2)
    honest_calls_work(obj)  # the ticker thread is running in this process
    pid = os.fork()
    if pid == 0:  # child: the ticker thread was not copied; the runtime must start a new one
        code = 1
        try:
            obj.hostile_mix(TRIGGER, SMALL)
        except hostile_mod.TimeoutError:
            code = 0
        except BaseException:  # noqa: BLE001
            code = 2
        os._exit(code)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            assert os.waitstatus_to_exitcode(status) == 0
            return
        time.sleep(0.05)
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    pytest.fail("the forked child's looping call never timed out")


def test_no_timeouts_env_builds_an_engine_without_epoch_checks(hostile_mod: Any) -> None:
    script = (
        "import sys, importlib.util, wasmtime\n"
        "spec = importlib.util.spec_from_file_location('h', sys.argv[1]); h = importlib.util.module_from_spec(spec)\n"
        "sys.modules['h'] = h; spec.loader.exec_module(h)\n"
        "obj = h.Hostile(wasmtime.wat2wasm(open(sys.argv[2]).read()), timeout=0.5)\n"
        "assert obj.hostile_mix(b'k' * 32, b'') == b'k' * 32\n"
        "rt = sys.modules[h._WbInstance.__module__]\n"
        "print(rt._wb_epochs, obj._wb_rt._ticks, rt._wb_ticker is None)\n")
    for value, want in [("1", "False 0 True"), ("0", "True 26 False")]:
        proc = subprocess.run(["python3", "-c", script, hostile_mod.__file__, str(HOSTILE / "good.wat")],
                              capture_output=True, text=True, timeout=60,
                              env={**os.environ, "WASM_BIND_NO_TIMEOUTS": value})
        assert proc.stdout.strip() == want, proc.stderr


# -- issue 12: the runtime edges ---------------------------------------------------------------------------------

def test_allocator_stuck_at_zero_is_recreated_and_the_next_call_works(make: Callable[..., Any],
                                                                      hostile_mod: Any) -> None:
    """One large request makes alloc_stuck_zero.wat's bump_alloc return 0 forever: the call fails with GuestError,
    the probe after the reset finds the allocator stuck and the instance is re-created, so the next call (20 KB:
    over the scratch block, through bump_alloc on both paths) works."""
    obj = make("alloc_stuck_zero")
    with pytest.raises(hostile_mod.GuestError, match=r"returned 0 .*still returned 0 after the arena reset"):
        obj.hostile_mix(HONEST, bytes(100_000))
    assert obj._wb_rt.generation == 1
    for _ in range(2):
        msg = bytes(range(256)) * 80
        assert obj.hostile_mix(HONEST, msg) == mix(HONEST, msg)
    assert obj._wb_rt.generation == 1


def heap_base_variant(text: str) -> bytes:
    good = (HOSTILE / "good.wat").read_text()
    line = '(global (export "__heap_base") i32 (i32.const 65536))'
    assert line in good
    return bytes(wasmtime.wat2wasm(good.replace(line, text)))


@pytest.mark.parametrize("guest", ["i64-file", "f32", "mutable-i64", "function"])
def test_heap_base_of_the_wrong_type_is_load_error(hostile_mod: Any, guest: str) -> None:
    """An exported __heap_base that is not an i32 global would turn the below-heap check off: LoadError."""
    data = {
        "i64-file": wasm("heap_base_i64"),
        "f32": heap_base_variant('(global (export "__heap_base") f32 (f32.const 65536))'),
        "mutable-i64": heap_base_variant('(global (export "__heap_base") (mut i64) (i64.const 65536))'),
        "function": heap_base_variant('(func (export "__heap_base"))'),
    }[guest]
    with pytest.raises(hostile_mod.LoadError, match=r"export '__heap_base' is a .*expected an i32 global"):
        hostile_mod.Hostile(data)


def good_with(extra: str = "", drop_export: str = "") -> bytes:
    text = (HOSTILE / "good.wat").read_text().rstrip()
    if drop_export:
        text = text.replace(f'(export "{drop_export}")', "")
    return bytes(wasmtime.wat2wasm(text[:-1] + extra + ")"))


def test_module_is_checked_before_compiling(hostile_mod: Any, tmp_path: Any) -> None:
    """Imports, a missing export, a huge function body and an oversized module are LoadErrors raised by the section
    reader before wasmtime compiles anything; the message names the .wasm path and, for an export, the fix."""
    rt = runtime_of(hostile_mod)
    compiled = rt._wb_stats["compiled"]
    path = tmp_path / "missing.wasm"
    path.write_bytes(good_with(drop_export="hostile_hash"))
    with pytest.raises(hostile_mod.LoadError) as info:
        hostile_mod.Hostile(str(path))
    text = str(info.value)
    assert str(path) in text and "does not export function 'hostile_hash'" in text
    assert "-Wl,--export=hostile_hash" in text and "[functions.hostile_hash] skip" in text
    imports = bytes(wasmtime.wat2wasm('(module (import "env" "host_puts" (func (param i32))) (memory (export "memory") 1))'))
    with pytest.raises(hostile_mod.LoadError, match=r"imports env\.host_puts \(function\), which no wasm-bind runtime provides"):
        hostile_mod.Hostile(imports)
    body = "(i32.const 1) (drop) " * 30_000  # ~90 KB of code in one function
    huge = good_with(f'(func (export "huge") {body})')
    with pytest.raises(hostile_mod.LoadError, match=r"body, more than max_function_size \(50000 bytes"):
        hostile_mod.Hostile(huge, max_function_size=50_000)
    with pytest.raises(hostile_mod.LoadError, match=r"more than max_module_size \(1000 bytes"):
        hostile_mod.Hostile(huge, max_module_size=1000)
    assert rt._wb_stats["compiled"] == compiled, "wasmtime compiled a module the reader should have refused"
    for bad, exc in [("big", TypeError), (0, ValueError), (-1, ValueError)]:
        with pytest.raises(exc, match="max_function_size"):
            hostile_mod.Hostile(huge, max_function_size=bad)
    assert hostile_mod.Hostile(huge).hostile_mix(HONEST, b"ab") == mix(HONEST, b"ab")  # within the defaults


def test_malformed_sections_are_load_errors_not_crashes(hostile_mod: Any) -> None:
    good = good_with()
    for cut in (9, 20, len(good) // 2, len(good) - 3):
        with pytest.raises(hostile_mod.LoadError, match="invalid wasm module|does not export"):
            hostile_mod.Hostile(good[:cut])
    with pytest.raises(hostile_mod.LoadError, match="not a wasm module"):
        hostile_mod.Hostile(b"\0asm\x0d\0\x01\0")  # a component, not a core module


STACK_ON_THREADS = """
import sys, importlib.util, threading, wasmtime
spec = importlib.util.spec_from_file_location("h", sys.argv[1]); h = importlib.util.module_from_spec(spec)
sys.modules["h"] = h; spec.loader.exec_module(h)
wat = open(sys.argv[2]).read().rstrip()
wat = wat[:-1] + ('(func $deep (export "deep") (param $n i32) (result i32)'
                  '  (if (result i32) (local.get $n)'
                  '    (then (i32.add (call $deep (i32.sub (local.get $n) (i32.const 1))) (i32.const 1)))'
                  '    (else (i32.const 0)))))')
rt = h._WbInstance(bytes(wasmtime.wat2wasm(wat)), "unused", ["deep"], signatures=["i32->i32"])
def run():
    try:
        print(rt.call(0, "deep", (10_000_000,)))
    except h.TrapError as e:
        print("trap" if "call stack exhausted" in str(e) else e)
run()
t = threading.Thread(target=run); t.start(); t.join()
"""


@pytest.mark.parametrize("limit", [2 * 1024 * 1024, 4 * 1024 * 1024], ids=["2MiB", "4MiB"])
def test_the_largest_documented_wasm_stack_traps_cleanly_on_threads(hostile_mod: Any, limit: int) -> None:
    """max_wasm_stack is documented up to 2 MiB: unbounded recursion then traps (no crash) on the main thread and on
    a thread of Python's default stack size. 4 MiB (documented before) made wasmtime abort the process while creating
    the engine (over its async_stack_size): now a LoadError naming the accepted range."""
    env = {**os.environ, "WASM_BIND_MAX_WASM_STACK": str(limit)}
    proc = subprocess.run(["python3", "-c", STACK_ON_THREADS, hostile_mod.__file__, str(HOSTILE / "good.wat")],
                          capture_output=True, text=True, timeout=120, env=env)
    if limit > 2 * 1024 * 1024:
        assert proc.returncode == 1 and "is outside 16384..2097152 bytes" in proc.stderr, proc.stderr[-2000:]
        assert "panicked" not in proc.stderr
        return
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split() == ["trap", "trap"], proc.stdout + proc.stderr
