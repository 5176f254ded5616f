# Bindings for FilledBy
# ----------------------------------------------------------------------------------------------

__all__ = [
    "FilledBy",
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


_WB_DEFAULT_WASM = os.path.join(os.path.dirname(os.path.abspath(__file__)), "filled_by.wasm")
_WB_FUNCTIONS = (
    "pack",
    "unpack",
)
_WB_SIGNATURES = (
    "i32,i32,i32,i32,i32->i32",
    "i32,i32,i32,i32,i32,i32->i32",
)


class FilledBy:
    """The `filled_by.h` guest: one wasm instance; one method per bound C function."""

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

    def pack(self, in_: Buffer, out_capacity: int) -> bytes:
        """Calls the C function `pack`.

        C: `int pack(const uint8_t *in, size_t in_size, uint8_t *out, size_t out_capacity, size_t *out_len)`

        Raises StatusError when the C function returns nonzero.

        `out` is returned cut to the count the C function stores in `*out_len`; raises GuestError when that count exceeds its capacity.
        """
        if type(in_) is not bytes:
            in_ = _wb_bytes(in_, "in_")
        if type(out_capacity) is not int or not 0 <= out_capacity <= 0xffffffff:
            out_capacity = _wb_int(out_capacity, "out_capacity", 0, 0xffffffff)
        in_size = len(in_)
        if in_size > 0xffffffff:
            in_size = _wb_int(in_size, "in_size", 0, 0xffffffff)
        _wb_o2 = 8 + ((in_size + 7) & -8)
        _wb_block = _wb_o2 + ((out_capacity + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(0, "pack", _wb_block, ((8, in_),), (8, in_size, _wb_o2, out_capacity, 0), (0, 2, 4), ((_wb_o2, out_capacity), (0, 4)))
        if _wb_ret != 0:
            raise StatusError("pack", _wb_ret)
        _wb_filled4 = int.from_bytes(_wb_out[1], "little", signed=False)
        if _wb_filled4 > out_capacity:
            raise GuestError(f"pack: wrote {_wb_filled4} into `out_len`, more elements than `out` holds")
        return _wb_out[0][:_wb_filled4]

    def unpack(self, src: Buffer, dst_capacity: int) -> tuple[list[int], int, int]:
        """Calls the C function `unpack`.

        C: `int32_t unpack(const uint8_t *src, size_t src_size, uint16_t *dst, size_t dst_capacity, uint32_t *dst_len, uint32_t *crc)`

        `dst` is returned cut to the count the C function stores in `*dst_len`; raises GuestError when that count exceeds its capacity.
        """
        if type(src) is not bytes:
            src = _wb_bytes(src, "src")
        if type(dst_capacity) is not int or not 0 <= dst_capacity <= 0xffffffff:
            dst_capacity = _wb_int(dst_capacity, "dst_capacity", 0, 0xffffffff)
        src_size = len(src)
        if src_size > 0xffffffff:
            src_size = _wb_int(src_size, "src_size", 0, 0xffffffff)
        _wb_o2 = 16 + ((src_size + 7) & -8)
        _wb_block = _wb_o2 + ((dst_capacity * 2 + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(1, "unpack", _wb_block, ((16, src),), (16, src_size, _wb_o2, dst_capacity, 0, 8), (0, 2, 4, 5), ((_wb_o2, dst_capacity * 2), (8, 4), (0, 4)))
        _wb_filled4 = int.from_bytes(_wb_out[2], "little", signed=False)
        if _wb_filled4 * 2 > dst_capacity * 2:
            raise GuestError(f"unpack: wrote {_wb_filled4} into `dst_len`, more elements than `dst` holds")
        return (_wb_unpack("H", _wb_out[0][:_wb_filled4 * 2]), int.from_bytes(_wb_out[1], "little", signed=False), _wb_ret)
