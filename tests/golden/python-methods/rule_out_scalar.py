# Bindings for RuleOutScalar
# ----------------------------------------------------------------------------------------------

__all__ = [
    "RuleOutScalar",
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
    """The names made on first use: the input type aliases (see _wb_aliases)."""
    if name in ("Buffer", "IntArray", "FloatArray"):
        return _wb_aliases()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_WB_DEFAULT_WASM = os.path.join(os.path.dirname(os.path.abspath(__file__)), "rule_out_scalar.wasm")
_WB_FUNCTIONS = (
    "get_len",
    "sum_all",
    "parse",
    "next_counter",
    "fill_bytes",
    "mean",
    "advance",
    "scale_all",
)
_WB_SIGNATURES = (
    "i32->",
    "i32,i32,i32->i32",
    "i32,i32,i32->i32",
    "i32,i32->",
    "i32,i32,i32->",
    "i32,i32,i32->",
    "i32,i32->",
    "i32,i32->",
)


class RuleOutScalar:
    """The `rule_out_scalar.h` guest: one wasm instance; one method per bound C function."""

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

    def get_len(self) -> int:
        """Calls the C function `get_len`.

        C: `void get_len(size_t *len)`
        """
        _wb_ret, _wb_out = self._wb_rt.invoke(0, "get_len", 8, (), (0,), (0,), ((0, 4),))
        return int.from_bytes(_wb_out[0], "little", signed=False)

    def sum_all(self, xs: IntArray) -> tuple[int, int]:
        """Calls the C function `sum_all`.

        C: `int32_t sum_all(const int32_t *xs, size_t xs_count, int64_t *total)`
        """
        xs = _wb_elems(xs, "xs", "i", None)
        xs_count = len(xs) // 4
        if xs_count > 0xffffffff:
            xs_count = _wb_int(xs_count, "xs_count", 0, 0xffffffff)
        _wb_block = 8 + ((xs_count * 4 + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(1, "sum_all", _wb_block, ((8, xs),), (8, xs_count, 0), (0, 2), ((0, 8),))
        return (int.from_bytes(_wb_out[0], "little", signed=True), _wb_ret)

    def parse(self, text: Buffer) -> tuple[int, int]:
        """Calls the C function `parse`.

        C: `int32_t parse(const uint8_t *text, size_t text_size, int32_t *err)`
        """
        if type(text) is not bytes:
            text = _wb_bytes(text, "text")
        text_size = len(text)
        if text_size > 0xffffffff:
            text_size = _wb_int(text_size, "text_size", 0, 0xffffffff)
        _wb_block = 8 + ((text_size + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(2, "parse", _wb_block, ((8, text),), (8, text_size, 0), (0, 2), ((0, 4),))
        return (int.from_bytes(_wb_out[0], "little", signed=True), _wb_ret)

    def next_counter(self, step: int, counter: int) -> int:
        """Calls the C function `next_counter`.

        C: `void next_counter(uint32_t step, uint64_t *counter)`
        """
        if type(step) is not int or not 0 <= step <= 0xffffffff:
            step = _wb_int(step, "step", 0, 0xffffffff)
        if type(counter) is not int or not 0 <= counter <= 0xffffffffffffffff:
            counter = _wb_int(counter, "counter", 0, 0xffffffffffffffff)
        _wb_ret, _wb_out = self._wb_rt.invoke(3, "next_counter", 8, ((0, counter.to_bytes(8, "little", signed=False)),), (step, 0), (1,), ((0, 8),))
        return int.from_bytes(_wb_out[0], "little", signed=False)

    def fill_bytes(self, out_size: int) -> tuple[bytes, int]:
        """Calls the C function `fill_bytes`.

        C: `void fill_bytes(uint8_t *out, size_t out_size, uint32_t *written)`
        """
        if type(out_size) is not int or not 0 <= out_size <= 0xffffffff:
            out_size = _wb_int(out_size, "out_size", 0, 0xffffffff)
        _wb_block = 8 + ((out_size + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(4, "fill_bytes", _wb_block, (), (8, out_size, 0), (0, 2), ((8, out_size), (0, 4)))
        return (_wb_out[0], int.from_bytes(_wb_out[1], "little", signed=False))

    def mean(self, xs: IntArray) -> int:
        """Calls the C function `mean`.

        C: `void mean(const int32_t *xs, size_t xs_count, int32_t *result)`
        """
        xs = _wb_elems(xs, "xs", "i", None)
        xs_count = len(xs) // 4
        if xs_count > 0xffffffff:
            xs_count = _wb_int(xs_count, "xs_count", 0, 0xffffffff)
        _wb_block = 8 + ((xs_count * 4 + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(5, "mean", _wb_block, ((8, xs),), (8, xs_count, 0), (0, 2), ((0, 4),))
        return int.from_bytes(_wb_out[0], "little", signed=True)

    def advance(self, counter: int, step: int) -> int:
        """Calls the C function `advance`.

        C: `void advance(uint64_t *counter, uint32_t step)`
        """
        if type(counter) is not int or not 0 <= counter <= 0xffffffffffffffff:
            counter = _wb_int(counter, "counter", 0, 0xffffffffffffffff)
        if type(step) is not int or not 0 <= step <= 0xffffffff:
            step = _wb_int(step, "step", 0, 0xffffffff)
        _wb_ret, _wb_out = self._wb_rt.invoke(6, "advance", 8, ((0, counter.to_bytes(8, "little", signed=False)),), (0, step), (0,), ((0, 8),))
        return int.from_bytes(_wb_out[0], "little", signed=False)

    def scale_all(self, words: IntArray) -> list[int]:
        """Calls the C function `scale_all`.

        C: `void scale_all(uint64_t *words, size_t n)`

        `words` is read and changed: the result is returned, and also written into the argument when it is writable (array.array, bytearray, writable memoryview; not a list).
        """
        _wb_arg0 = words
        words = _wb_elems(words, "words", "Q", None, True)
        n = len(words) // 8
        if n > 0xffffffff:
            n = _wb_int(n, "n", 0, 0xffffffff)
        _wb_block = ((n * 8 + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(7, "scale_all", _wb_block, ((0, words),), (0, n), (0,), ((0, n * 8),))
        _wb_write_back(_wb_arg0, _wb_out[0], "Q")
        return _wb_unpack("Q", _wb_out[0])
