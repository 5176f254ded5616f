"""twosum through the generated module: `two_sum(nums, target) -> int` against a pure-Python dict
solution, and the int32 element-array conversions (sequence, array.array, raw bytes) and errors.
"""

from __future__ import annotations

import array
import random
import struct
import sys
from typing import Any, Optional, Sequence

import pytest

I32_MIN, I32_MAX = -(2**31), 2**31 - 1


def reference(nums: Sequence[int], target: int) -> int:
    """Smallest j with some i < j and nums[i] + nums[j] == target, and for it the smallest i,
    encoded as twosum.h documents: (i << 32) | j, or -1."""
    first: dict[int, int] = {}
    for j, v in enumerate(nums):
        i: Optional[int] = first.get(target - v)
        if i is not None:
            return (i << 32) | j
        first.setdefault(v, j)
    return -1


@pytest.mark.parametrize("n", [10, 1_000, 100_000])
def test_matches_dict_solution(twosum: Any, n: int) -> None:
    rng = random.Random(n)
    for trial in range(6):
        spread = [10, n, 2**31 - 1][trial % 3]
        nums = [rng.randint(max(-spread, I32_MIN), min(spread, I32_MAX)) for _ in range(n)]
        if trial % 2:
            target = rng.randint(I32_MIN, I32_MAX)  # usually no pair for wide spreads
        else:
            i, j = sorted(rng.sample(range(n), 2))
            target = nums[i] + nums[j]
            if not I32_MIN <= target <= I32_MAX:
                target = nums[i]
        want = reference(nums, target)
        assert twosum.two_sum(nums, target) == want, (n, trial)
    assert twosum.two_sum(list(range(n)), -5) == -1


def test_known_answers(twosum: Any) -> None:
    assert twosum.two_sum([2, 7, 11, 15], 9) == (0 << 32) | 1
    assert twosum.two_sum([3, 2, 4], 6) == (1 << 32) | 2
    assert twosum.two_sum([3, 3], 6) == 1
    assert twosum.two_sum([], 0) == -1
    assert twosum.two_sum([5], 10) == -1
    # Exact sums at the int32 edges (no overflow in the guest).
    assert twosum.two_sum([I32_MAX, 0, I32_MIN], -1) == (0 << 32) | 2
    assert twosum.two_sum([I32_MIN, I32_MIN], I32_MIN) == -1


def test_element_array_forms_agree(twosum: Any) -> None:
    nums = [4, -1, 9, 12, -8, 3]
    want = reference(nums, 4)
    assert want != -1
    assert twosum.two_sum(nums, 4) == want
    assert twosum.two_sum(tuple(nums), 4) == want
    assert twosum.two_sum(array.array("i", nums), 4) == want
    assert twosum.two_sum(memoryview(array.array("i", nums)), 4) == want
    assert twosum.two_sum(struct.pack(f"<{len(nums)}i", *nums), 4) == want  # raw little-endian bytes
    assert twosum.two_sum(bytearray(struct.pack(f"<{len(nums)}i", *nums)), 4) == want
    assert twosum.two_sum(iter(nums), 4) == want
    # Non-contiguous and multi-dimensional buffers of int32 elements.
    spread = array.array("i", [v for x in nums for v in (x, 99999)])
    assert twosum.two_sum(memoryview(spread)[::2], 4) == want
    assert twosum.two_sum(memoryview(array.array("i", nums)).cast("B").cast("i", (2, 3)), 4) == want


@pytest.mark.skipif(sys.byteorder == "big", reason="a big-endian host byte-swaps into a copy")
def test_element_arrays_copy_once_and_leave_caller_buffers_free(twosum_mod: Any) -> None:
    """A large list is packed once, into an array of our own that goes to guest memory through a view (no
    second copy; a small one goes as bytes); `bytes` is used as is; the caller's mutable buffers are copied, and no view of them outlives the
    conversion, so the caller can still resize them, even while an exception from the call is kept."""
    small = twosum_mod._wb_elems([5, -7, 9], "nums", "i")
    assert type(small) is bytes and small == struct.pack("<3i", 5, -7, 9)  # one memmove call: cheapest
    values = list(range(-10_000, 10_000))  # 80,000 bytes: more than the 64 KiB threshold
    packed = twosum_mod._wb_elems(values, "nums", "i")
    assert isinstance(packed, memoryview) and isinstance(packed.obj, array.array) and packed.nbytes == 80_000
    assert bytes(packed) == struct.pack(f"<{len(values)}i", *values)
    raw = struct.pack("<3i", 5, -7, 9)
    assert twosum_mod._wb_elems(raw, "nums", "i") is raw
    for buf in (array.array("i", [5, -7, 9]), bytearray(raw)):
        data = twosum_mod._wb_elems(buf, "nums", "i")
        assert type(data) is bytes and data == raw
        buf.extend(buf[:4])  # not pinned by a view
    strided = twosum_mod._wb_elems(memoryview(array.array("i", [5, 0, -7, 0, 9]))[::2], "nums", "i")
    assert bytes(strided) == raw


def test_caller_buffers_stay_resizable_after_errors(twosum_mod: Any) -> None:
    small = getattr(twosum_mod, twosum_mod.__all__[0])(max_memory=2 << 20)
    big = bytearray(3 << 20)
    with pytest.raises(ValueError) as too_big:
        small.two_sum(big, 5)  # more than max_memory
    arr = array.array("i", [1, 2, 3])
    with pytest.raises(TypeError) as bad_target:
        small.two_sum(arr, "x")
    with pytest.raises(TypeError) as bad_format:
        small.two_sum(array.array("h", [1, 2]), 3)
    big.extend(b"\0" * 4)  # the exceptions (and their frames) are still alive here
    arr.append(4)
    assert too_big.value and bad_target.value and bad_format.value
    assert small.two_sum(arr, 7) == (2 << 32) | 3


def test_element_array_errors(twosum: Any) -> None:
    with pytest.raises(OverflowError, match="nums"):
        twosum.two_sum([1, 2**31], 3)
    with pytest.raises(OverflowError, match="nums"):
        twosum.two_sum([I32_MIN - 1], 3)
    with pytest.raises(TypeError, match="nums"):
        twosum.two_sum([1.5, 2], 3)
    with pytest.raises(TypeError, match="nums"):
        twosum.two_sum("12", 3)
    with pytest.raises(TypeError, match="nums"):
        twosum.two_sum(array.array("d", [1.0, 2.0]), 3)  # float elements are not int32_t
    with pytest.raises(TypeError, match="nums"):
        twosum.two_sum(array.array("h", [1, 2]), 3)  # int16 elements are not int32_t
    with pytest.raises(ValueError, match="nums"):
        twosum.two_sum(b"\x01\x00\x00", 3)  # not a whole number of int32 elements
    with pytest.raises(OverflowError, match="target"):
        twosum.two_sum([1, 2], 2**31)
    with pytest.raises(TypeError, match="target"):
        twosum.two_sum([1, 2], "3")
    assert twosum.two_sum([1, 2], 3) == 1  # still usable


def test_signature_and_stub(twosum_mod: Any, generated: Any) -> None:
    import inspect

    cls = type(twosum_mod.__dict__[twosum_mod.__all__[0]]())
    assert list(inspect.signature(cls.two_sum).parameters) == ["self", "nums", "target"]
    stub = generated["twosum"].pyi.read_text()
    assert "def two_sum(self, nums: IntArray, target: int) -> int:" in stub
