"""Library-owned handles (issue 15): tests/owned_guest/owned.h + owned.toml, built with `wasm-bind guest --wasi` and
bound with `wasm-bind --py`. Handles returned and through `T **`, the very pointer passed back and checked, destructors
called exactly once (close, `with`, garbage collection), children keeping their parent alive and closed before it,
borrowed returns (the same object when the pointer is a live handle), handles of another object or of an instance
re-created after a trap refused with HandleError. The guest counts live objects and every misuse it sees
(`owned_errors`: a double free, a statement freed after its connection, a stale pointer)."""

from __future__ import annotations

import gc
import subprocess
from types import ModuleType
from typing import Any

import pytest

from conftest import ROOT, import_generated

SRC = ROOT / "tests" / "owned_guest"
GEN = ["cargo", "run", "-q", "-p", "gen", "--"]


def run(cmd: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)


@pytest.fixture(scope="module")
def mod(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    out = tmp_path_factory.mktemp("owned")
    wasm = out / "owned.wasm"
    proc = run([*GEN, "guest", str(SRC / "owned.c"), "--header", str(SRC / "owned.h"), "--config",
                str(SRC / "owned.toml"), "--wasi", "-o", str(wasm)])
    if proc.returncode != 0:
        pytest.fail(f"wasm-bind guest --wasi failed:\n{proc.stderr}")
    proc = run([*GEN, "--py", str(SRC / "owned.h"), "--config", str(SRC / "owned.toml"), "--wasm", str(wasm),
                "-o", str(out)])
    if proc.returncode != 0:
        pytest.fail(f"wasm-bind --py failed:\n{proc.stderr}")
    return import_generated("owned", out / "owned.py")


@pytest.fixture()
def m(mod: ModuleType) -> Any:
    obj = mod.Owned()
    yield obj
    gc.collect()
    assert obj.owned_errors() == 0


def test_returned_handle_is_used_then_closed_once(mod: ModuleType, m: Any) -> None:
    c = m.conn_open(7)
    assert isinstance(c, mod.Conn) and not c.closed and not c.borrowed
    assert m.conn_value(c) == 7 and c.value() == 7
    assert m.live_conns() == 1
    c.close()
    assert c.closed and m.live_conns() == 0
    c.close()  # double close is harmless
    with pytest.raises(ValueError, match="c: this Conn is closed") as e:
        m.conn_value(c)
    assert type(e.value) is mod.HandleError and isinstance(e.value, mod.Error)
    with pytest.raises(TypeError, match="c: expected Conn"):
        m.conn_value(m.conn_open(1).value())


def test_owned_null_return_is_a_status_error(mod: ModuleType, m: Any) -> None:
    with pytest.raises(mod.StatusError) as e:
        m.conn_open(-1)
    assert e.value.status == 0 and e.value.message == "returned NULL"


def test_handles_cannot_be_made_by_the_caller(mod: ModuleType) -> None:
    with pytest.raises(TypeError, match="made by the functions that return them"):
        mod.Conn()


def test_with_block_and_garbage_collection_free(m: Any) -> None:
    with m.conn_open(1) as c:
        assert m.live_conns() == 1
    assert c.closed and m.live_conns() == 0
    for i in range(50):
        m.conn_open(i)  # dropped at once: the finalizer frees it
    gc.collect()
    assert m.live_conns() == 0


def test_out_parameter_and_failed_status_do_not_leak(mod: ModuleType, m: Any) -> None:
    c = m.conn_open_out(5)
    assert isinstance(c, mod.Conn) and c.value() == 5
    with pytest.raises(mod.StatusError) as e:
        m.conn_open_out(-1)  # no connection
    assert e.value.status == 1
    with pytest.raises(mod.StatusError) as e:
        m.conn_open_out(-2)  # a connection handed out with a failed status: still freed
    assert e.value.status == 2
    del e
    gc.collect()
    assert m.live_conns() == 1
    del c
    assert m.live_conns() == 0


def test_children_keep_their_parent_and_close_first(m: Any) -> None:
    c = m.conn_open(10)
    s1 = m.stmt_prepare(c, 1)
    s2 = c.stmt_prepare(2)
    del c  # the statements keep the connection alive
    gc.collect()
    assert m.live_conns() == 1
    assert (s1.next_(), s2.next_(), s1.next_()) == (11, 12, 12)
    parent = m.stmt_conn(s1)
    assert parent is m.stmt_conn(s2)  # a borrowed return of a live handle is that handle
    parent.close()
    assert s1.closed and s2.closed
    assert (m.live_conns(), m.live_stmts()) == (0, 0)
    assert m.owned_errors() == 0  # the statements were finalized before the connection


def test_collecting_a_cycle_frees_children_before_parents(m: Any) -> None:
    gc.disable()
    try:
        c = m.conn_open(1)
        s = m.stmt_prepare(c, 1)
        box: list[Any] = [c, s]
        box.append(box)  # a reference cycle: the collector picks the finalizer order
        del c, s, box
        gc.collect()
    finally:
        gc.enable()
    assert (m.live_conns(), m.live_stmts()) == (0, 0)
    assert m.owned_errors() == 0


def test_borrowed_returns_never_free(m: Any) -> None:
    c = m.conn_open(3)
    s = m.stmt_prepare(c, 1)
    first = m.conn_next_stmt(c, None)
    assert first is s
    assert m.conn_next_stmt(c, s) is None
    t = m.conn_token(c)
    assert t.borrowed and m.token_id(t) == t.id_()
    t.close()  # only forgets it
    assert m.live_conns() == 1
    t2 = m.conn_token(c)
    c.close()  # its token (a child) is closed with it
    assert t2.closed
    with pytest.raises(ValueError, match="t: this Token is closed"):
        m.token_id(t2)


def test_handles_of_another_object_are_refused(mod: ModuleType) -> None:
    a, b = mod.Owned(), mod.Owned()
    c = a.conn_open(1)
    with pytest.raises(ValueError, match="c: this Conn belongs to another object"):
        b.conn_value(c)
    assert b.owned_errors() == 0


def test_after_a_trap_old_handles_are_refused_and_not_freed_into_the_new_instance(mod: ModuleType, m: Any) -> None:
    c = m.conn_open(1)
    s = m.stmt_prepare(c, 1)
    with pytest.raises(mod.TrapError):
        m.owned_trap()
    assert c.closed and s.closed
    with pytest.raises(ValueError, match="re-created after a trap"):
        m.conn_value(c)
    fresh = m.conn_open(2)
    s.close()
    del c, s
    gc.collect()
    assert m.live_conns() == 1  # only the new connection; nothing was freed into the new instance
    assert fresh.value() == 2


def test_handle_error_is_in_the_runtime_hierarchy() -> None:
    import wasm_bind_runtime

    assert issubclass(wasm_bind_runtime.HandleError, wasm_bind_runtime.Error)
    assert issubclass(wasm_bind_runtime.HandleError, ValueError)


# -- guest buffers held by the handles the library keeps them in (`kept`) ---------------------------------------------

def test_a_returned_handle_holds_the_buffer_it_points_into(mod: ModuleType) -> None:
    m = mod.Owned()
    data = bytes(range(1, 41))
    buf = m.buffer(64)
    buf[: len(data)] = data
    v = m.view_open(buf.span(0, len(data)))
    del buf
    gc.collect()
    decoy = m.buffer(64)  # would take the freed block's place
    decoy[:] = b"\xff" * 64
    assert m.view_sum(v) == sum(data)  # still the caller's bytes
    v.close()


def test_a_caller_owned_handle_holds_the_buffer_it_points_into(mod: ModuleType) -> None:
    m = mod.Owned()
    data = bytes(range(7, 27))
    c = mod.Cursor(m)
    buf = m.buffer(32)
    buf[: len(data)] = data
    m.cursor_set(c, buf.span(0, len(data)))
    del buf
    gc.collect()
    decoy = m.buffer(32)
    decoy[:] = b"\xee" * 32
    assert m.cursor_sum(c) == sum(data)


def test_spans_are_read_only_and_checked_when_passed(mod: ModuleType) -> None:
    m = mod.Owned()
    buf, secret = m.buffer(16), m.buffer(16)
    secret[:] = b"S" * 16
    span = buf.span(0, 4)
    with pytest.raises(AttributeError):
        span.length = 64  # type: ignore[misc]
    with pytest.raises(ValueError, match="outside the buffer's 16 bytes"):
        mod.GuestSpan(buf, 0, 64)
    with pytest.raises(OverflowError, match="offset"):
        mod.GuestSpan(buf, -16, 4)
    object.__setattr__(span, "_wb_length", 64)  # deliberate tampering: still refused at the call
    with pytest.raises(ValueError, match="span offset 0, length 64 is outside its buffer's 16 bytes"):
        m.view_open(span)
    with pytest.raises(IndexError, match=r"\[12:20\] is outside the buffer's 16 bytes"):
        buf[12:20]
    with pytest.raises(IndexError):
        buf[12:20] = b"12345678"
    assert buf[-4:] == bytes(4) and buf[15] == 0


def test_without_a_handle_the_object_holds_the_buffer_passed_last(mod: ModuleType) -> None:
    """global_set keeps the pointer in the library's own state: the object holds the buffer passed there last (so the
    library never reads a buffer made later in its place), and lets the one before go."""
    m = mod.Owned()
    first, second = m.buffer(8), m.buffer(8)
    first[:] = b"\x01" * 8
    second[:] = b"\x02" * 8
    m.global_set(first)
    del first
    gc.collect()
    decoy = m.buffer(8)
    decoy[:] = b"\x64" * 8
    assert m.global_sum() == 8  # still the first buffer's bytes
    m.global_set(second)  # the first is let go now
    assert m.global_sum() == 16
