"""SQLite's call idioms in miniature (issue #15) through freshly generated Python bindings of
tests/headers/idioms.h + idioms.toml (guest tests/headers/idioms.c, built by `wasm-bind guest`):
a status rule with several success codes and a message read from another call, fixed argument
values, data whose length another call reports, nullable library-owned strings, capacity in /
count out. The Rust side is tests/rust/rust_idioms.rs.
"""

from __future__ import annotations

from typing import Any, Tuple

import pytest

from native import generated_module, wasm_guest


@pytest.fixture(scope="module")
def built() -> Tuple[Any, Any]:
    mod = generated_module("idioms.h", "idioms.c", config="idioms.toml")
    return mod, mod.Idioms(wasm=wasm_guest("idioms.h", "idioms.c", config="idioms.toml"))


def test_several_success_codes_are_returned(built: Tuple[Any, Any]) -> None:
    mod, m = built
    db = mod.DbT(m)
    assert m.db_open(db, 2) == mod.ID_OK
    assert [m.db_step(db), db.step(), m.db_step(db), m.db_step(db)] == [mod.ID_ROW, mod.ID_ROW, mod.ID_DONE,
                                                                        mod.ID_DONE]


def test_failed_status_carries_the_message_of_the_same_handle(built: Tuple[Any, Any]) -> None:
    mod, m = built
    db = mod.DbT(m)
    with pytest.raises(mod.StatusError) as e:
        m.db_open(db, -1)
    assert (e.value.function, e.value.status, e.value.message) == ("db_open", 1, "the test error")
    assert str(e.value) == "db_open failed with status 1: the test error"
    with pytest.raises(mod.StatusError) as e:
        m.db_fail(db, mod.ID_MISUSE)
    assert (e.value.status, e.value.message) == (21, "bad parameter or other API misuse")
    # The message function returning NULL: no message; invalid UTF-8 in it is replaced, never raised.
    with pytest.raises(mod.StatusError) as e:
        m.db_fail(db, 7)
    assert (e.value.status, e.value.message, str(e.value)) == (7, None, "db_fail failed with status 7")
    with pytest.raises(mod.StatusError) as e:
        m.db_fail(db, 2)
    assert e.value.message == "caf\u00e9 \ufffd broken"
    # A function without a handle parameter reports only its code.
    with pytest.raises(mod.StatusError) as e:
        m.plain_fail(3)
    assert (e.value.status, e.value.message) == (3, None)
    assert m.plain_fail(mod.ID_ROW) == mod.ID_ROW
    assert m.db_open(db, 0) == 0  # the object stays usable
    # No parameter of the message function's type: the message comes through `via` (stmt_db(st)).
    st = mod.StmtT(m)
    assert m.stmt_init(st, db) == mod.ID_OK
    with pytest.raises(mod.StatusError) as e:
        m.stmt_fail(st, mod.ID_MISUSE)
    assert (e.value.function, e.value.status, e.value.message) == ("stmt_fail", 21,
                                                                   "bad parameter or other API misuse")
    with pytest.raises(mod.StatusError) as e:
        st.fail(1)
    assert e.value.message == "the test error"


def test_fixed_values_leave_the_signature_and_reach_c(built: Tuple[Any, Any]) -> None:
    mod, m = built
    db = mod.DbT(m)
    # del = value(-1): the guest refuses anything but (destructor_fn)-1 with ID_MISUSE.
    assert m.db_store(db, b"\x01\x02\xff") == mod.ID_OK
    assert m.db_stored(db) == 1 + 2 + 255
    assert m.probe_nulls(7) == 7  # both pointers NULL
    assert m.probe_value() == (2 ^ 0xFFFFFFFF) - (1 << 32) - 128  # bits = ID_ERROR + 1, small = -128
    with pytest.raises(TypeError):
        m.probe_nulls(1, 2)  # type: ignore[call-arg]


def test_data_whose_length_another_call_reports(built: Tuple[Any, Any]) -> None:
    mod, m = built
    db = mod.DbT(m)
    assert m.column_blob(db, 0) == b"\x00\x01\x02\xff"
    assert m.column_blob(db, 1) is None  # NULL with length 0, nullable
    assert m.column_blob(db, 2) == "h\u00e9llo".encode() + b"\x00tail"  # embedded NUL kept
    assert m.column_blob(db, 7) == b""  # empty, not NULL
    assert m.column_text(db, 2) == "h\u00e9llo\x00tail"
    assert m.column_text(db, 1) == ""  # NULL with length 0, not nullable: empty
    assert db.column_text(7) == ""


def test_bad_data_is_an_error_never_an_over_read(built: Tuple[Any, Any]) -> None:
    mod, m = built
    db = mod.DbT(m)
    with pytest.raises(UnicodeDecodeError) as u:
        m.column_text(db, 3)
    assert u.value.object == b"\xff\xfea" and "column_text" in str(u.value)
    with pytest.raises(mod.GuestError, match="NULL with a length of 5"):
        m.column_blob(db, 4)
    with pytest.raises(mod.GuestError, match="outside guest memory"):
        m.column_blob(db, 5)
    with pytest.raises(mod.GuestError, match="negative length"):
        m.column_blob(db, 6)
    assert m.column_blob(db, 0) == b"\x00\x01\x02\xff"  # still usable


def test_library_owned_strings(built: Tuple[Any, Any]) -> None:
    mod, m = built
    db = mod.DbT(m)
    assert m.lib_version() == "3.46.0-idioms"
    assert [m.column_name(db, i) for i in range(4)] == ["id", "name", "caf\u00e9", None]
    assert m.column_name(db, -1) is None
    assert m.db_errmsg(db) == "not an error"
    m.db_fail(db, ID_OK := 0)
    assert ID_OK == 0
    with pytest.raises(mod.StatusError):
        m.db_fail(db, 9)
    assert m.db_errmsg(db) is None  # db_errmsg returns NULL for 9: `str, nullable`


def test_capacity_in_count_out(built: Tuple[Any, Any]) -> None:
    mod, m = built
    out, code = m.pack(10, b"abc")
    assert (out, code) == (b"abcabc", 0)  # truncated to the count written back
    assert m.pack(6, b"abc") == (b"abcabc", 0)
    with pytest.raises(mod.StatusError) as e:
        m.pack(5, b"abc")  # too small: the guest's ID_BUF_ERROR
    assert e.value.status == mod.ID_BUF_ERROR
    with pytest.raises(OverflowError):
        m.pack(-1, b"abc")
    assert m.pack(0, b"") == (b"", 0)
    # A count above the capacity is an error, never an over-read.
    with pytest.raises(mod.GuestError, match="more elements than `dest` holds"):
        m.pack_lie(b"xy")
    assert m.pack(4, b"xy") == (b"xyxy", 0)
