# Bindings for ReturnsConfig
# ----------------------------------------------------------------------------------------------

__all__ = [
    "ReturnsConfig",
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


_WB_DEFAULT_WASM = os.path.join(os.path.dirname(os.path.abspath(__file__)), "returns_config.wasm")
_WB_FUNCTIONS = (
    "verify",
    "count_zeros",
    "version",
    "sum_block",
    "check_block",
)
_WB_SIGNATURES = (
    "i32,i32->i32",
    "i32->i32",
    "->i32",
    "i32->i32",
    "i32->i32",
)


class ReturnsConfig:
    """The `returns_config.h` guest: one wasm instance; one method per bound C function."""

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

    def verify(self, a: Buffer, b: Buffer) -> None:
        """Calls the C function `verify`.

        C: `int verify(const uint8_t a[16], const uint8_t b[16])`

        Raises StatusError when the C function returns nonzero.
        """
        if type(a) is not bytes or len(a) != 16:
            a = _wb_bytes(a, "a", 16)
        if type(b) is not bytes or len(b) != 16:
            b = _wb_bytes(b, "b", 16)
        _wb_ret, _wb_out = self._wb_rt.invoke(0, "verify", 32, ((0, a), (16, b)), (0, 16), (0, 1), ())
        if _wb_ret != 0:
            raise StatusError("verify", _wb_ret)

    def count_zeros(self, block: Buffer) -> int:
        """Calls the C function `count_zeros`.

        C: `int32_t count_zeros(const uint8_t block[64])`
        """
        if type(block) is not bytes or len(block) != 64:
            block = _wb_bytes(block, "block", 64)
        _wb_ret, _wb_out = self._wb_rt.invoke(1, "count_zeros", 64, ((0, block),), (0,), (0,), ())
        return _wb_ret

    def version(self) -> int:
        """Calls the C function `version`.

        C: `uint32_t version()`
        """
        _wb_ret = self._wb_rt.invoke0(2, "version", ())
        return _wb_ret & 0xffffffff

    def sum_block(self, block: Buffer) -> int:
        """Calls the C function `sum_block`.

        C: `int32_t sum_block(const uint8_t block[64])`
        """
        if type(block) is not bytes or len(block) != 64:
            block = _wb_bytes(block, "block", 64)
        _wb_ret, _wb_out = self._wb_rt.invoke(3, "sum_block", 64, ((0, block),), (0,), (0,), ())
        return _wb_ret

    def check_block(self, block: Buffer) -> None:
        """Calls the C function `check_block`.

        C: `int check_block(const uint8_t block[64])`

        Raises StatusError when the C function returns nonzero.
        """
        if type(block) is not bytes or len(block) != 64:
            block = _wb_bytes(block, "block", 64)
        _wb_ret, _wb_out = self._wb_rt.invoke(4, "check_block", 64, ((0, block),), (0,), (0,), ())
        if _wb_ret != 0:
            raise StatusError("check_block", _wb_ret)
