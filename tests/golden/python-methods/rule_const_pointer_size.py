# Bindings for RuleConstPointerSize
# ----------------------------------------------------------------------------------------------

__all__ = [
    "RuleConstPointerSize",
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


_WB_DEFAULT_WASM = os.path.join(os.path.dirname(os.path.abspath(__file__)), "rule_const_pointer_size.wasm")
_WB_FUNCTIONS = (
    "sum_words",
    "digest",
)
_WB_SIGNATURES = (
    "i32,i32->i64",
    "i32,i32,i32->",
)


class RuleConstPointerSize:
    """The `rule_const_pointer_size.h` guest: one wasm instance; one method per bound C function."""

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

    def sum_words(self, words: IntArray) -> int:
        """Sums 32-bit words.

        C: `uint64_t sum_words(const uint32_t *words, size_t words_len)`
        """
        words = _wb_elems(words, "words", "I", None)
        words_len = len(words) // 4
        if words_len > 0xffffffff:
            words_len = _wb_int(words_len, "words_len", 0, 0xffffffff)
        _wb_block = ((words_len * 4 + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(0, "sum_words", _wb_block, ((0, words),), (0, words_len), (0,), ())
        return _wb_ret & 0xffffffffffffffff

    def digest(self, data: Buffer) -> bytes:
        """Hashes bytes (void pointers are bytes).

        C: `void digest(const void *data, uint32_t data_size, uint8_t out[32])`
        """
        if type(data) is not bytes:
            data = _wb_bytes(data, "data")
        data_size = len(data)
        if data_size > 0xffffffff:
            data_size = _wb_int(data_size, "data_size", 0, 0xffffffff)
        _wb_block = 32 + ((data_size + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(1, "digest", _wb_block, ((32, data),), (32, data_size, 0), (0, 2), ((0, 32),))
        return _wb_out[0]
