# Bindings for RuleNamedSize
# ----------------------------------------------------------------------------------------------

__all__ = [
    "RuleNamedSize",
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


_WB_DEFAULT_WASM = os.path.join(os.path.dirname(os.path.abspath(__file__)), "rule_named_size.wasm")
_WB_FUNCTIONS = (
    "compress",
    "decode",
    "scale",
)
_WB_SIGNATURES = (
    "i32,i32,i32,i32->i32",
    "i32,i32,i32,i32->i32",
    "i32,i32,i32,i32->",
)


class RuleNamedSize:
    """The `rule_named_size.h` guest: one wasm instance; one method per bound C function."""

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

    def compress(self, src: Buffer, dstCapacity: int) -> tuple[bytes, int]:
        """Calls the C function `compress`.

        C: `int32_t compress(const char *src, char *dst, int32_t srcSize, int32_t dstCapacity)`
        """
        if type(src) is not bytes:
            src = _wb_bytes(src, "src")
        if type(dstCapacity) is not int or not 0 <= dstCapacity <= 2147483647:
            dstCapacity = _wb_int(dstCapacity, "dstCapacity", 0, 2147483647)
        srcSize = len(src)
        if srcSize > 2147483647:
            srcSize = _wb_int(srcSize, "srcSize", -2147483648, 2147483647)
        _wb_o1 = ((srcSize + 7) & -8)
        _wb_block = _wb_o1 + ((dstCapacity + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(0, "compress", _wb_block, ((0, src),), (0, _wb_o1, srcSize, dstCapacity), (0, 1), ((_wb_o1, dstCapacity),))
        return (_wb_out[0], _wb_ret)

    def decode(self, in_: Buffer, out_capacity: int) -> tuple[bytes, int]:
        """Calls the C function `decode`.

        C: `int32_t decode(const uint8_t *in, uint8_t *out, size_t out_capacity, size_t in_len)`
        """
        if type(in_) is not bytes:
            in_ = _wb_bytes(in_, "in_")
        if type(out_capacity) is not int or not 0 <= out_capacity <= 0xffffffff:
            out_capacity = _wb_int(out_capacity, "out_capacity", 0, 0xffffffff)
        in_len = len(in_)
        if in_len > 0xffffffff:
            in_len = _wb_int(in_len, "in_len", 0, 0xffffffff)
        _wb_o1 = ((in_len + 7) & -8)
        _wb_block = _wb_o1 + ((out_capacity + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(1, "decode", _wb_block, ((0, in_),), (0, _wb_o1, out_capacity, in_len), (0, 1), ((_wb_o1, out_capacity),))
        return (_wb_out[0], _wb_ret)

    def scale(self, samples: IntArray, scaledCount: int) -> list[int]:
        """Calls the C function `scale`.

        C: `void scale(const uint16_t *samples, uint16_t *scaled, uint32_t samplesCount, uint32_t scaledCount)`
        """
        samples = _wb_elems(samples, "samples", "H", None)
        if type(scaledCount) is not int or not 0 <= scaledCount <= 0xffffffff:
            scaledCount = _wb_int(scaledCount, "scaledCount", 0, 0xffffffff)
        samplesCount = len(samples) // 2
        if samplesCount > 0xffffffff:
            samplesCount = _wb_int(samplesCount, "samplesCount", 0, 0xffffffff)
        _wb_o1 = ((samplesCount * 2 + 7) & -8)
        _wb_block = _wb_o1 + ((scaledCount * 2 + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(2, "scale", _wb_block, ((0, samples),), (0, _wb_o1, samplesCount, scaledCount), (0, 1), ((_wb_o1, scaledCount * 2),))
        return _wb_unpack("H", _wb_out[0])
