"""The edge-case guest (tests/golden/python/edge/edge.h, built by conftest.py): the roles and
conversions Monocypher and twosum do not reach, run through the generated module.
"""

from __future__ import annotations

import array
import inspect
import struct
from typing import Any

import pytest


@pytest.fixture(scope="module")
def edge(edge_mod: Any) -> Any:
    return edge_mod.Edge()


def test_int16_slice_in_value_out(edge: Any) -> None:
    values = [1, -2, 32767, -32768, 5]
    assert edge.sum16(values) == sum(values)
    assert edge.sum16(array.array("h", values)) == sum(values)
    assert edge.sum16(struct.pack("<5h", *values)) == sum(values)
    assert edge.sum16([]) == 0
    with pytest.raises(OverflowError, match="values"):
        edge.sum16([40000])
    with pytest.raises(ValueError, match="values"):
        edge.sum16(b"\x01\x02\x03")


def test_fixed_int32_arrays(edge: Any) -> None:
    assert edge.dot3([1, 2, 3], [4, 5, 6]) == 32
    a, b = [-(2**31), 2**31 - 1, 7], [2**31 - 1, -(2**31), -3]
    assert edge.dot3(a, b) == sum(x * y for x, y in zip(a, b))  # int32 extremes, exact int64 result
    with pytest.raises(ValueError, match="expected 3 elements"):
        edge.dot3([1, 2], [4, 5, 6])


def test_non_byte_output_with_caller_given_count(edge: Any) -> None:
    assert edge.fill_iota(5, 10, 3) == [10, 13, 16, 19, 22]
    assert edge.fill_iota(3, 0xFFFFFFFF, 1) == [0xFFFFFFFF, 0, 1]  # uint32 elements read unsigned
    assert edge.fill_iota(0, 1, 1) == []
    assert len(edge.fill_iota(100_000, 0, 1)) == 100_000
    with pytest.raises(OverflowError, match="step"):
        edge.fill_iota(1, 0, -1)


def test_one_length_for_three_buffers(edge: Any, edge_mod: Any) -> None:
    a, b = bytes([1, 2, 250]), bytes([3, 4, 10])
    assert edge.edge_combine(a, b, edge_mod.EDGE_MODE_ADD) == bytes([4, 6, 4])
    assert edge.edge_combine(a, b, edge_mod.EDGE_MODE_XOR) == bytes(x ^ y for x, y in zip(a, b))
    with pytest.raises(ValueError, match="b: expected 3 bytes"):
        edge.edge_combine(a, b[:2], edge_mod.EDGE_MODE_ADD)


def test_empty_buffers_still_get_real_pointers(edge: Any) -> None:
    # Every buffer empty: the wrapper still allocates a block, so no pointer is NULL.
    assert edge.reverse(b"") == (b"", 0)
    assert edge.fill_iota(0, 5, 5) == []
    assert edge.edge_combine(b"", b"", 1) == b""


def test_inout_slice_and_signed_narrow_return(edge: Any) -> None:
    assert edge.reverse(b"abc") == (b"cba", ord("a"))
    assert edge.reverse(bytearray(b"\xffxy")) == (b"yx\xff", -1)  # int8_t return arrives signed
    assert edge.reverse(b"") == (b"", 0)
    assert list(inspect.signature(edge.reverse).parameters) == ["buf"]


def test_inout_fixed_uint16_array(edge: Any) -> None:
    assert edge.bump4([1, 2, 3, 65535], 1) == [2, 3, 4, 0]
    with pytest.raises(OverflowError, match="by"):
        edge.bump4([0, 0, 0, 0], 65536)
    with pytest.raises(ValueError, match="v"):
        edge.bump4([0, 0, 0], 1)


def test_inout_arrays_change_mutable_arguments_as_c_does(edge: Any) -> None:
    """The C function changes the caller's memory: an array.array, a writable buffer of the element type or of
    raw bytes get the result too; a list (a value), a tuple and bytes only return it; a read-only view is refused."""
    values = [1, 2, 3, 65535]
    assert edge.bump4(values, 1) == [2, 3, 4, 0] and values == [1, 2, 3, 65535]
    arr = array.array("H", [10, 20, 30, 40])
    assert edge.bump4(arr, 5) == [15, 25, 35, 45] and arr.tolist() == [15, 25, 35, 45]
    raw = bytearray(struct.pack("<4H", 1, 1, 1, 1))
    assert edge.bump4(raw, 2) == [3, 3, 3, 3] and raw == struct.pack("<4H", 3, 3, 3, 3)
    view = memoryview(array.array("H", [7, 7, 7, 7]))
    edge.bump4(view, 1)
    assert view.tolist() == [8, 8, 8, 8]
    frozen = (1, 2, 3, 4)
    assert edge.bump4(frozen, 1) == [2, 3, 4, 5] and frozen == (1, 2, 3, 4)
    assert edge.bump4(struct.pack("<4H", 1, 2, 3, 4), 1) == [2, 3, 4, 5]  # bytes: a value, result returned
    readonly = memoryview(struct.pack("<4H", 1, 2, 3, 4))
    with pytest.raises(TypeError, match=r"^v: this in/out parameter's output is written back .* is read-only"):
        edge.bump4(readonly, 1)
    buf = bytearray(b"abc")
    assert edge.reverse(buf) == (b"cba", ord("a")) and buf == b"cba"  # in/out bytes: written back too
    with pytest.raises(OverflowError):
        edge.bump4(arr, 65536)  # refused before the call: the array is untouched
    assert arr.tolist() == [15, 25, 35, 45]


def test_keyword_and_builtin_parameter_names(edge: Any) -> None:
    assert list(inspect.signature(edge.is_even).parameters) == ["lambda_", "type_"]
    assert edge.is_even(lambda_=2**64 - 1, type_=1) is True  # uint64 argument above 2**63
    assert edge.is_even(3, 0) is False
    with pytest.raises(OverflowError, match="lambda"):
        edge.is_even(2**64, 0)


def test_return_conversions(edge: Any) -> None:
    assert edge.low16(0x12345) == 0x2345
    assert edge.low16(0xFFFFFFFF) == 0xFFFF  # uint16_t masked, never negative
    assert edge.neg16(5) == -5
    assert edge.neg16(-32768) == -32768
    assert edge.triple64(2**63) == 2**63
    assert edge.triple64(2**64 - 1) == 2**64 - 3  # uint64_t masked, never negative


def test_status(edge: Any, edge_mod: Any) -> None:
    assert edge.check_positive(1) is None
    with pytest.raises(edge_mod.StatusError) as info:
        edge.check_positive(0)
    assert (info.value.function, info.value.status) == ("check_positive", -7)


def test_handle(edge: Any, edge_mod: Any) -> None:
    with edge_mod.EdgeAcc(edge) as acc:
        edge.acc_init(acc)
        assert edge.acc_mean(acc) == 0
        edge.acc_add(acc, [1, 2, 3])
        edge.acc_add(acc, array.array("I", [10]))
        assert edge.acc_mean(acc) == 4


def test_constants_docs_and_not_bound(edge_mod: Any, generated: Any) -> None:
    assert (edge_mod.EDGE_MAX_WORDS, edge_mod.EDGE_NEGATIVE) == (1024, -3)
    assert (edge_mod.EDGE_MODE_ADD, edge_mod.EDGE_MODE_XOR) == (1, 2)
    assert "Not bound" not in edge_mod.__doc__  # `mean` (a `const double *` slice) was, before floats
    assert edge_mod.Edge().mean([1.0, 2.0, 4.5]) == 2.5
    assert edge_mod.Edge.sum16.__doc__ == "Sum of `n` int16 values.\n\n        C: `int64_t sum16(const int16_t *values, size_t n)`\n        "
    stub = generated["edge"].pyi.read_text()
    assert "def fill_iota(self, count: int, start: int, step: int) -> list[int]:" in stub
    assert "def reverse(self, buf: Buffer) -> tuple[bytes, int]:" in stub
    assert "def is_even(self, lambda_: int, type_: int) -> bool:" in stub
    assert "def acc_add(self, acc: EdgeAcc, xs: IntArray) -> None:" in stub


def test_trap_raises_and_the_object_recovers(edge_mod: Any) -> None:
    edge = edge_mod.Edge()
    acc = edge_mod.EdgeAcc(edge)
    edge.acc_init(acc)
    edge.acc_add(acc, [4, 6])
    edge.edge_maybe_trap(0)
    with pytest.raises(edge_mod.TrapError) as info:
        edge.edge_maybe_trap(1)
    assert info.value.function == "edge_maybe_trap"
    assert isinstance(info.value, edge_mod.Error)
    # The instance was re-created: plain calls work, handles from before the trap are refused.
    assert edge.reverse(b"ab") == (b"ba", ord("a"))
    with pytest.raises(ValueError, match="trap"):
        edge.acc_mean(acc)
    acc.close()
    with edge_mod.EdgeAcc(edge) as fresh:
        edge.acc_init(fresh)
        edge.acc_add(fresh, [4, 6])
        assert edge.acc_mean(fresh) == 5


def test_random_inputs_against_python_references(edge: Any, edge_mod: Any) -> None:
    import random

    rng = random.Random(2024)
    for _ in range(300):
        values = [rng.randint(-(2**15), 2**15 - 1) for _ in range(rng.randrange(50))]
        assert edge.sum16(values) == sum(values)
        count, start, step = rng.randrange(40), rng.randrange(2**32), rng.randrange(2**32)
        assert edge.fill_iota(count, start, step) == [(start + i * step) % 2**32 for i in range(count)]
        n = rng.randrange(70)
        a, b = rng.randbytes(n), rng.randbytes(n)
        assert edge.edge_combine(a, b, edge_mod.EDGE_MODE_ADD) == bytes((x + y) % 256 for x, y in zip(a, b))
        assert edge.edge_combine(a, b, edge_mod.EDGE_MODE_XOR) == bytes(x ^ y for x, y in zip(a, b))
        first = a[0] - 256 * (a[0] >= 128) if a else 0
        assert edge.reverse(a) == (a[::-1], first)
        v, by = [rng.randrange(2**16) for _ in range(4)], rng.randrange(2**16)
        assert edge.bump4(v, by) == [(x + by) % 2**16 for x in v]
        x64, t = rng.randrange(2**64), rng.randint(-(2**31), 2**31 - 1)
        assert edge.is_even(x64, t) is ((x64 + t) % 2 == 0)
        assert edge.triple64(x64) == (3 * x64) % 2**64
        x32, x16 = rng.randrange(2**32), rng.randint(-(2**15), 2**15 - 1)
        assert edge.low16(x32) == x32 & 0xFFFF
        assert edge.neg16(x16) == ((-x16 + 2**15) % 2**16) - 2**15


def test_string_argument(edge: Any) -> None:
    assert edge.edge_strlen("hello") == 5
    assert edge.edge_strlen("") == 0
    assert edge.edge_strlen("h\u00e9llo") == 6  # UTF-8 bytes
    with pytest.raises(ValueError, match="s: contains a NUL"):
        edge.edge_strlen("a\0b")
    with pytest.raises(TypeError, match="s: expected str"):
        edge.edge_strlen(b"bytes")
    with pytest.raises(ValueError, match=r"^s: cannot be encoded as UTF-8 \(surrogates not allowed at index 1\)$"):
        edge.edge_strlen("a\udc80")  # a lone surrogate: no UTF-8 form
    assert edge.edge_strlen("ok") == 2


def test_typed_buffers_must_have_the_element_type(edge: Any) -> None:
    """An array.array holds typed elements whatever its typecode: int8 / uint8 arrays are not raw bytes for an
    int16_t parameter (they were read as pairs of bytes); raw little-endian bytes are bytes, bytearray or a 'B'
    memoryview."""
    for code in ("b", "B", "i", "H"):
        with pytest.raises(TypeError, match=rf"^values: expected int16_t elements, got a buffer of format '{code}'$"):
            edge.sum16(array.array(code, [1, 2, 3, 4]))
    assert edge.sum16(array.array("h", [1, 2, 3, 4])) == 10
    assert edge.sum16(memoryview(struct.pack("<2h", 1, 2))) == 3  # raw little-endian bytes
    assert edge.sum16(bytearray(struct.pack("<2h", 1, 2))) == 3


def test_integer_arguments_accept_index_types_but_not_bool(edge: Any) -> None:
    """Scalars take any integer type with __index__ (numpy's, for one), as element arrays do; bool is refused."""

    class Idx:
        def __init__(self, v: int) -> None:
            self.v = v

        def __index__(self) -> int:
            return self.v

    assert edge.low16(Idx(0x12345)) == 0x2345
    assert edge.sum16([Idx(3), 4]) == 7
    with pytest.raises(OverflowError, match="x"):
        edge.low16(Idx(2**32))
    with pytest.raises(TypeError, match=r"^x: expected int, got bool$"):
        edge.low16(True)
    with pytest.raises(TypeError, match=r"^x: expected int, got float$"):
        edge.low16(1.0)

    class Broken:
        def __index__(self) -> int:
            raise ValueError("no value yet")

    with pytest.raises(TypeError, match=r"^x: expected int, got Broken \(ValueError: no value yet\)$"):
        edge.low16(Broken())


def test_returned_string(edge: Any, edge_mod: Any) -> None:
    assert edge.edge_greeting(0) == "hello"
    assert edge.edge_greeting(1) == "h\u00e9llo"
    with pytest.raises(edge_mod.GuestError, match="not UTF-8"):
        edge.edge_greeting(2)
    with pytest.raises(edge_mod.GuestError, match="NULL"):
        edge.edge_greeting(3)


def test_out_scalars(edge: Any) -> None:
    assert edge.edge_divmod(17, 5) == (3, 2)
    assert edge.edge_divmod(0xFFFFFFFF, 1) == (0xFFFFFFFF, 0)  # uint32_t read unsigned
    assert edge.edge_divmod(1, 0) == (0, 0)
    assert list(inspect.signature(edge.edge_divmod).parameters) == ["a", "b"]


def test_inout_scalar_from_the_caller(edge: Any) -> None:
    assert edge.edge_counter_add(5, 10) == 15
    assert edge.edge_counter_add(1, 2**64 - 1) == 0  # uint64_t wraps in C
    with pytest.raises(OverflowError, match="counter"):
        edge.edge_counter_add(1, -1)


def test_inout_scalar_length_and_filled_output(edge: Any) -> None:
    # src_len starts as len(src) and comes back as the bytes consumed; dst is cut to the return.
    assert edge.edge_take(b"abcdef", 4) == (b"abcd", 4)
    assert edge.edge_take(b"ab", 10) == (b"ab", 2)
    assert edge.edge_take(b"", 3) == (b"", 0)
    with pytest.raises(OverflowError, match="dst_cap"):
        edge.edge_take(b"ab", -1)  # a length is never negative, even in an int
    assert list(inspect.signature(edge.edge_take).parameters) == ["src", "dst_cap"]


def test_computed_capacity_and_positive_filled_return(edge: Any) -> None:
    # dst_cap = edge_bound(src_size), computed by calling the guest before the call.
    assert edge.edge_expand(b"ab") == b"aabb"
    with pytest.raises(edge_mod_error(edge)):
        edge.edge_expand(b"")  # returns 0 for an empty input: `positive` makes 0 an error
    data = bytes(range(256)) * 4
    assert edge.edge_expand(data) == bytes(b for x in data for b in (x, x))
    assert list(inspect.signature(edge.edge_expand).parameters) == ["src"]


def edge_mod_error(edge: Any) -> Any:
    import sys

    return sys.modules[type(edge).__module__].StatusError


def test_scratch_memory(edge: Any) -> None:
    data = bytes(range(256)) * 40
    assert edge.edge_scratch_sum(data) == sum(data)
    assert edge.edge_scratch_sum(b"") == 0
    assert list(inspect.signature(edge.edge_scratch_sum).parameters) == ["data"]


def test_checked_return(edge: Any, edge_mod: Any) -> None:
    assert edge.edge_digit(ord("7")) == 7
    with pytest.raises(edge_mod.StatusError) as info:
        edge.edge_digit(ord("x"))
    assert info.value.status == -1


def test_filled_count_through_a_pointer(edge: Any, edge_mod: Any) -> None:
    # out_len = "filled(out)": out comes back cut to *out_len; out_len is neither passed nor returned.
    assert list(inspect.signature(edge.edge_pack).parameters) == ["src", "out_capacity"]
    data = b"aaabccddddd"
    packed = edge.edge_pack(data, 64)
    assert packed == bytes([3, ord("a"), 1, ord("b"), 2, ord("c"), 5, ord("d")])
    assert isinstance(packed, bytes)
    assert len(edge.edge_pack(b"xyz", 6)) == 6  # exactly the capacity
    assert edge.edge_pack(b"", 4) == b""  # nothing written: the zeroed count
    with pytest.raises(edge_mod.StatusError):
        edge.edge_pack(b"xyz", 5)  # the status return still raises
    with pytest.raises(edge_mod.GuestError, match="out_len"):
        edge.edge_pack(b"\xee", 8)  # the guest reports 9 bytes written into 8
    assert edge.edge_pack(b"zz", 2) == bytes([2, ord("z")])  # the object is usable after
