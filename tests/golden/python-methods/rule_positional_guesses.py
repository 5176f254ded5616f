# Bindings for RulePositionalGuesses
# ----------------------------------------------------------------------------------------------

__all__ = [
    "RulePositionalGuesses",
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


_WB_DEFAULT_WASM = os.path.join(os.path.dirname(os.path.abspath(__file__)), "rule_positional_guesses.wasm")
_WB_FUNCTIONS = (
    "prepare_like",
    "by_type",
)
_WB_SIGNATURES = (
    "i32,i32->i32",
    "i32,i32->i32",
)


class RulePositionalGuesses:
    """The `rule_positional_guesses.h` guest: one wasm instance; one method per bound C function."""

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

    def prepare_like(self, zSql: Buffer) -> int:
        """A size-like name after text still binds by position (sqlite3_prepare's nByte).

        C: `int32_t prepare_like(const char *zSql, int32_t nByte)`
        """
        if type(zSql) is not bytes:
            zSql = _wb_bytes(zSql, "zSql")
        nByte = len(zSql)
        if nByte > 2147483647:
            nByte = _wb_int(nByte, "nByte", -2147483648, 2147483647)
        _wb_block = ((nByte + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(0, "prepare_like", _wb_block, ((0, zSql),), (0, nByte), (0,), ())
        return _wb_ret

    def by_type(self, data: Buffer) -> int:
        """A `size_t` after a pointer is its size whatever the name: the type says it.

        C: `int32_t by_type(const uint8_t *data, size_t x)`
        """
        if type(data) is not bytes:
            data = _wb_bytes(data, "data")
        x = len(data)
        if x > 0xffffffff:
            x = _wb_int(x, "x", 0, 0xffffffff)
        _wb_block = ((x + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(1, "by_type", _wb_block, ((0, data),), (0, x), (0,), ())
        return _wb_ret
