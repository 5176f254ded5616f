# Bindings for OddNames
# ----------------------------------------------------------------------------------------------

__all__ = [
    "OddNames",
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
    "Sequence_",
    "os_",
    "_WB_TIMEOUT_",
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

#: Names the Python module imports are not rebound: `os_`, `Sequence_`.
os_ = 3
#: The generated module's private namespace, whatever the case: `_WB_TIMEOUT_`, not the constructor's default.
_WB_TIMEOUT_ = 5

# The struct dataclasses are made on first use (`module.Name`, `from module import Name`, or a method that takes or
# returns one): importing `dataclasses` and building them would cost ~10 ms of every import (see _WbStructs).
_wb_structs = _WbStructs(globals())
if TYPE_CHECKING:
    from dataclasses import dataclass as _wb_dataclass
else:
    _wb_dataclass = _wb_structs.dataclass


@_wb_dataclass(frozen=True)
class Sequence_:
    """The C struct `Sequence`, passed by value."""

    a: int
    b: int


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


_WB_DEFAULT_WASM = os.path.join(os.path.dirname(os.path.abspath(__file__)), "odd_names.wasm")
_WB_FUNCTIONS = (
    "seq_sum",
    "ok",
)
_WB_SIGNATURES = (
    "i32->i32",
    "i32->i32",
)


class OddNames:
    """The `odd_names.h` guest: one wasm instance; one method per bound C function."""

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

    def seq_sum(self, s: Sequence_) -> int:
        """Calls the C function `seq_sum`.

        C: `uint32_t seq_sum(Sequence s)`
        """
        if not _wb_structs.made:
            _wb_structs.make()
        if not isinstance(s, Sequence_):
            raise TypeError(f"s: expected Sequence_, got {type(s).__name__}")
        _wb_s0_0 = _wb_int(s.a, "s.a", 0, 0xffffffff)
        _wb_s0_1 = _wb_int(s.b, "s.b", 0, 0xffffffff)
        _wb_img0 = _wb_pack(8, ((0, 4, False, _wb_s0_0), (4, 4, False, _wb_s0_1)))
        _wb_ret, _wb_out = self._wb_rt.invoke(0, "seq_sum", 8, ((0, _wb_img0),), (0,), (0,), ())
        return _wb_ret & 0xffffffff

    def ok(self, x: int) -> int:
        """Calls the C function `ok`.

        C: `int32_t ok(int32_t x)`
        """
        if type(x) is not int or not -2147483648 <= x <= 2147483647:
            x = _wb_int(x, "x", -2147483648, 2147483647)
        _wb_ret = self._wb_rt.invoke0(1, "ok", (x,))
        return _wb_ret
