# Bindings for Outs
# ----------------------------------------------------------------------------------------------

__all__ = [
    "Outs",
    "Error",
    "StatusError",
    "TrapError",
    "TimeoutError",
    "GuestError",
    "LoadError",
    "Buffer",
    "IntArray",
    "FloatArray",
    "set_max_wasm_stack",
    "StatsT",
    "CounterT",
    "PointT",
    "SummaryT",
]

if TYPE_CHECKING:
    import array

    #: Input bytes: any C-contiguous buffer (bytes, bytearray, memoryview, mmap, array.array, ctypes or
    #: numpy arrays, PEP 688 buffers), read and never kept; in/out parameters want a writable one.
    if sys.version_info >= (3, 12):
        from collections.abc import Buffer
    else:
        from typing_extensions import Buffer  # the checker's own stubs: never imported at run time
    #: Input array of a non-byte integer C type: a sequence of ints, an `array.array` / memoryview of
    #: the same element type, or raw little-endian bytes.
    IntArray = Union[Sequence[int], bytes, bytearray, memoryview, "array.array[int]"]
    #: Input array of `float` / `double`: like IntArray, with floats.
    FloatArray = Union[Sequence[float], bytes, bytearray, memoryview, "array.array[float]"]

# The struct dataclasses are made on first use (`module.Name`, `from module import Name`, or a method that takes or
# returns one): importing `dataclasses` and building them would cost ~10 ms of every import (see _WbStructs).
_wb_structs = _WbStructs(globals())
if TYPE_CHECKING:
    from dataclasses import dataclass as _wb_dataclass
else:
    _wb_dataclass = _wb_structs.dataclass


@_wb_dataclass(frozen=True)
class StatsT:
    """Text statistics."""

    words: int
    lines: int
    longest: int
    checksum: int


@_wb_dataclass(frozen=True)
class CounterT:
    """A running counter, read and written by `counter_step`."""

    total: int
    steps: int


@_wb_dataclass(frozen=True)
class PointT:
    """A point the caller gets back (`out` by config: the name says nothing)."""

    x: int
    y: int


@_wb_dataclass(frozen=True)
class SummaryT:
    """Summary statistics of doubles."""

    mean: float
    spread: float
    n: int


_wb_structs.hide()


def _wb_aliases() -> Any:
    """Buffer, IntArray and FloatArray at run time, made on first use (module `__getattr__`, PEP 562): building
    these typing Unions would cost ~0.35 ms of every import. Annotations name them as strings."""
    import array  # noqa: F401 - IntArray's "array.array[int]" refers to it

    if sys.version_info >= (3, 12):
        from collections.abc import Buffer
    else:
        Buffer = Union[bytes, bytearray, memoryview]
    made = {"Buffer": Buffer, "IntArray": Union[Sequence[int], bytes, bytearray, memoryview, "array.array[int]"],
            "FloatArray": Union[Sequence[float], bytes, bytearray, memoryview, "array.array[float]"], "array": array}
    globals().update(made)
    return made


def __getattr__(name: str) -> Any:
    """The names made on first use: the input type aliases (see _wb_aliases) and the struct dataclasses
    (see _WbStructs)."""
    if name in ("Buffer", "IntArray", "FloatArray"):
        return _wb_aliases()[name]
    return _wb_structs.getattr(name)


_WB_DEFAULT_WASM = os.path.join(os.path.dirname(os.path.abspath(__file__)), "outs.wasm")
_WB_FUNCTIONS = (
    "stats",
    "counter_step",
    "make_point",
    "minmax",
    "count_byte",
    "reverse",
    "summarize",
    "hex",
    "fill_text",
)
_WB_SIGNATURES = (
    "i32,i32->i32",
    "i32,i32->",
    "i32,i32,i32->",
    "i32,i32,i32,i32->",
    "i32,i32,i32,i32->",
    "i32,i32->",
    "i32,i32,i32->",
    "i32,i32,i32->",
    "i32,i32,i32,i32->",
)


class Outs:
    """The `outs.h` guest: one wasm instance; one method per bound C function."""

    __slots__ = ("_wb_rt",)

    def __init__(self, wasm: Union[str, os.PathLike[str], bytes, bytearray, None] = None, *,
                 max_memory: int = _WB_MAX_MEMORY, timeout: Optional[float] = _WB_TIMEOUT,
                 max_module_size: int = _WB_MAX_MODULE_SIZE, max_function_size: int = _WB_MAX_FUNCTION_SIZE) -> None:
        """Loads and instantiates the guest: `wasm` is a path or the module's bytes (default: the
        `.wasm` beside this file). Raises LoadError when it is unreadable, invalid, imports anything,
        lacks an export or is over a size bound (checked before compiling it).

        `max_memory` caps the guest's linear memory (bytes); `timeout` bounds each call (seconds,
        None: no limit); a call over it raises TimeoutError and the instance is re-created.
        `max_module_size` / `max_function_size` bound the module and its largest function body (bytes)."""
        self._wb_rt = _WbInstance(wasm, _WB_DEFAULT_WASM, _WB_FUNCTIONS, "bump_alloc", "bump_reset",
                                  signatures=_WB_SIGNATURES, max_memory=max_memory, timeout=timeout,
                                  max_module_size=max_module_size, max_function_size=max_function_size)

    def stats(self, text: str) -> tuple[StatsT, int]:
        """Counts words and lines of `text`; 0 on success, -1 for an empty text.
        *out is filled only on success.

        C: `int32_t stats(stats_t *out, const char *text)`
        """
        if not _wb_structs.made:
            _wb_structs.make()
        _wb_t1 = _wb_str(text, "text")
        _wb_block = 24 + ((len(_wb_t1) + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(0, "stats", _wb_block, ((24, _wb_t1),), (0, 24), (0, 1), ((0, 24),))
        return (StatsT(words=int.from_bytes(_wb_out[0][0:4], "little", signed=False), lines=int.from_bytes(_wb_out[0][4:8], "little", signed=False), longest=int.from_bytes(_wb_out[0][8:12], "little", signed=True), checksum=int.from_bytes(_wb_out[0][16:24], "little", signed=False)), _wb_ret)

    def counter_step(self, state: CounterT, by: int) -> CounterT:
        """Adds `by` to the counter (read, then written).

        C: `void counter_step(counter_t *state, int32_t by)`
        """
        if not _wb_structs.made:
            _wb_structs.make()
        if not isinstance(state, CounterT):
            raise TypeError(f"state: expected CounterT, got {type(state).__name__}")
        _wb_s0_0 = _wb_int(state.total, "state.total", -9223372036854775808, 9223372036854775807)
        _wb_s0_1 = _wb_int(state.steps, "state.steps", 0, 0xffff)
        if type(by) is not int or not -2147483648 <= by <= 2147483647:
            by = _wb_int(by, "by", -2147483648, 2147483647)
        _wb_img0 = _wb_pack(16, ((0, 8, True, _wb_s0_0), (8, 2, False, _wb_s0_1)))
        _wb_ret, _wb_out = self._wb_rt.invoke(1, "counter_step", 16, ((0, _wb_img0),), (0, by), (0,), ((0, 16),))
        return CounterT(total=int.from_bytes(_wb_out[0][0:8], "little", signed=True), steps=int.from_bytes(_wb_out[0][8:10], "little", signed=False))

    def make_point(self, a: int, b: int) -> PointT:
        """The point `(a + b, a - b)`.

        C: `void make_point(point_t *p, int32_t a, int32_t b)`
        """
        if not _wb_structs.made:
            _wb_structs.make()
        if type(a) is not int or not -2147483648 <= a <= 2147483647:
            a = _wb_int(a, "a", -2147483648, 2147483647)
        if type(b) is not int or not -2147483648 <= b <= 2147483647:
            b = _wb_int(b, "b", -2147483648, 2147483647)
        _wb_ret, _wb_out = self._wb_rt.invoke(2, "make_point", 8, (), (0, a, b), (0,), ((0, 8),))
        return PointT(x=int.from_bytes(_wb_out[0][0:4], "little", signed=True), y=int.from_bytes(_wb_out[0][4:8], "little", signed=True))

    def minmax(self, data: IntArray) -> tuple[int, int]:
        """The smallest and largest of `n` values; both 0 when `n` is 0.

        C: `void minmax(const uint16_t *data, size_t n, uint16_t *min_out, uint16_t *max_out)`
        """
        data = _wb_elems(data, "data", "H", None)
        n = len(data) // 2
        if n > 0xffffffff:
            n = _wb_int(n, "n", 0, 0xffffffff)
        _wb_block = 16 + ((n * 2 + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(3, "minmax", _wb_block, ((16, data),), (16, n, 0, 8), (0, 2, 3), ((0, 2), (8, 2)))
        return (int.from_bytes(_wb_out[0], "little", signed=False), int.from_bytes(_wb_out[1], "little", signed=False))

    def count_byte(self, data: Buffer, byte: int) -> int:
        """Counts the bytes of `data` equal to `byte`.

        C: `void count_byte(const uint8_t *data, size_t data_size, uint8_t byte, int32_t *out_count)`
        """
        if type(data) is not bytes:
            data = _wb_bytes(data, "data")
        if type(byte) is not int or not 0 <= byte <= 0xff:
            byte = _wb_int(byte, "byte", 0, 0xff)
        data_size = len(data)
        if data_size > 0xffffffff:
            data_size = _wb_int(data_size, "data_size", 0, 0xffffffff)
        _wb_block = 8 + ((data_size + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(4, "count_byte", _wb_block, ((8, data),), (8, data_size, byte, 0), (0, 3), ((0, 4),))
        return int.from_bytes(_wb_out[0], "little", signed=True)

    def reverse(self, values: IntArray) -> list[int]:
        """Reverses `values` in place: read and written (a `check:` says so until the config does).

        C: `void reverse(uint64_t *values, size_t count)`

        `values` is read and changed: the result is returned, and also written into the argument when it is writable (array.array, bytearray, writable memoryview; not a list).
        """
        _wb_arg0 = values
        values = _wb_elems(values, "values", "Q", None, True)
        count = len(values) // 8
        if count > 0xffffffff:
            count = _wb_int(count, "count", 0, 0xffffffff)
        _wb_block = ((count * 8 + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(5, "reverse", _wb_block, ((0, values),), (0, count), (0,), ((0, count * 8),))
        _wb_write_back(_wb_arg0, _wb_out[0], "Q")
        return _wb_unpack("Q", _wb_out[0])

    def summarize(self, xs: FloatArray) -> SummaryT:
        """Mean and spread (max - min, as a float) of `n` doubles into *result (all 0 when `n` is 0).

        C: `void summarize(const double *xs, size_t n, summary_t *result)`
        """
        if not _wb_structs.made:
            _wb_structs.make()
        xs = _wb_elems(xs, "xs", "d", None)
        n = len(xs) // 8
        if n > 0xffffffff:
            n = _wb_int(n, "n", 0, 0xffffffff)
        _wb_block = 16 + ((n * 8 + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(6, "summarize", _wb_block, ((16, xs),), (16, n, 0), (0, 2), ((0, 16),))
        return SummaryT(mean=_wb_unpack("d", _wb_out[0][0:8])[0], spread=_wb_unpack("f", _wb_out[0][8:12])[0], n=int.from_bytes(_wb_out[0][12:16], "little", signed=False))

    def hex_(self, d: Buffer) -> str:
        """Lower-case hex of the `n` bytes of `d` into `out`, NUL-terminated (`2 * n + 1` bytes: config
        `out = "out_str(2 * n + 1)"`).

        C: `void hex(char *out, const uint8_t *d, size_t n)`
        """
        if type(d) is not bytes:
            d = _wb_bytes(d, "d")
        n = len(d)
        if n > 0xffffffff:
            n = _wb_int(n, "n", 0, 0xffffffff)
        _wb_n0 = _wb_int(((2 * n) + 1), "out", 0, 4294967295)
        _wb_o1 = ((_wb_n0 + 7) & -8)
        _wb_block = _wb_o1 + ((n + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(7, "hex", _wb_block, ((_wb_o1, d),), (0, _wb_o1, n), (0, 1), ((0, _wb_n0),))
        _wb_end = _wb_out[0].find(b"\0")
        if _wb_end < 0:
            raise GuestError(f"hex: `out`: no NUL within its {len(_wb_out[0])} bytes")
        try:
            _wb_text0 = bytes(_wb_out[0][:_wb_end]).decode("utf-8")
        except UnicodeDecodeError as _wb_e:
            raise GuestError(f"hex: `out`: the string written is not UTF-8 ({_wb_e})") from None
        return _wb_text0

    def fill_text(self, byte: int, count: int, terminate: int) -> str:
        """`count` copies of `byte` into `out` (at most 16), then a NUL unless `terminate` is 0.

        C: `void fill_text(char *out, uint8_t byte, uint32_t count, int32_t terminate)`
        """
        if type(byte) is not int or not 0 <= byte <= 0xff:
            byte = _wb_int(byte, "byte", 0, 0xff)
        if type(count) is not int or not 0 <= count <= 0xffffffff:
            count = _wb_int(count, "count", 0, 0xffffffff)
        if type(terminate) is not int or not -2147483648 <= terminate <= 2147483647:
            terminate = _wb_int(terminate, "terminate", -2147483648, 2147483647)
        _wb_n0 = _wb_int(17, "out", 0, 4294967295)
        _wb_block = ((_wb_n0 + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(8, "fill_text", _wb_block, (), (0, byte, count, terminate), (0,), ((0, _wb_n0),))
        _wb_end = _wb_out[0].find(b"\0")
        if _wb_end < 0:
            raise GuestError(f"fill_text: `out`: no NUL within its {len(_wb_out[0])} bytes")
        try:
            _wb_text0 = bytes(_wb_out[0][:_wb_end]).decode("utf-8")
        except UnicodeDecodeError as _wb_e:
            raise GuestError(f"fill_text: `out`: the string written is not UTF-8 ({_wb_e})") from None
        return _wb_text0
