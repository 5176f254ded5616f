# Bindings for ShapeEnums
# ----------------------------------------------------------------------------------------------

__all__ = [
    "ShapeEnums",
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
    "COLOR_RED",
    "COLOR_GREEN",
    "COLOR_BLUE",
    "COLOR_DEFAULT",
    "LEVEL_LOW",
    "LEVEL_MAX",
    "FLAG_A",
    "FLAG_TOP",
    "EN_ANON",
    "Color",
    "Level",
    "Flags",
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

COLOR_RED = 0
COLOR_GREEN = 1
COLOR_BLUE = 7
COLOR_DEFAULT = 0
LEVEL_LOW = -1
LEVEL_MAX = 2147483647
FLAG_A = 1
FLAG_TOP = 2147483648
EN_ANON = 42


class Color(IntEnum):
    """A color; COLOR_DEFAULT is an alias of COLOR_RED."""
    COLOR_RED = 0
    COLOR_GREEN = 1
    COLOR_BLUE = 7
    COLOR_DEFAULT = 0


class Level(IntEnum):
    """The C enum `level`."""
    LEVEL_LOW = -1
    LEVEL_MAX = 2147483647


class Flags(IntEnum):
    """The C enum `flags`."""
    FLAG_A = 1
    FLAG_TOP = 2147483648


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


_WB_DEFAULT_WASM = os.path.join(os.path.dirname(os.path.abspath(__file__)), "shape_enums.wasm")
_WB_FUNCTIONS = (
    "en_next",
    "en_weight",
    "en_level",
    "en_flip",
)
_WB_SIGNATURES = (
    "i32->i32",
    "i32,i32->i32",
    "i32->i32",
    "i32->i32",
)


class ShapeEnums:
    """The `shape_enums.h` guest: one wasm instance; one method per bound C function."""

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

    def en_next(self, c: Color | int) -> Color | int:
        """Calls the C function `en_next`.

        C: `uint32_t en_next(color c)`
        """
        if type(c) is not int or not 0 <= c <= 0xffffffff:
            c = _wb_int(c, "c", 0, 0xffffffff)
        _wb_ret = self._wb_rt.invoke0(0, "en_next", (c,))
        return _wb_enum(Color, _wb_ret & 0xffffffff)

    def en_weight(self, c: Color | int, lvl: Level | int) -> int:
        """Calls the C function `en_weight`.

        C: `int32_t en_weight(color c, level lvl)`
        """
        if type(c) is not int or not 0 <= c <= 0xffffffff:
            c = _wb_int(c, "c", 0, 0xffffffff)
        if type(lvl) is not int or not -2147483648 <= lvl <= 2147483647:
            lvl = _wb_int(lvl, "lvl", -2147483648, 2147483647)
        _wb_ret = self._wb_rt.invoke0(1, "en_weight", (c, lvl))
        return _wb_ret

    def en_level(self, raw: int) -> Level | int:
        """Calls the C function `en_level`.

        C: `int32_t en_level(int32_t raw)`
        """
        if type(raw) is not int or not -2147483648 <= raw <= 2147483647:
            raw = _wb_int(raw, "raw", -2147483648, 2147483647)
        _wb_ret = self._wb_rt.invoke0(2, "en_level", (raw,))
        return _wb_enum(Level, _wb_ret)

    def en_flip(self, f: Flags | int) -> Flags | int:
        """Calls the C function `en_flip`.

        C: `uint32_t en_flip(flags f)`
        """
        if type(f) is not int or not 0 <= f <= 0xffffffff:
            f = _wb_int(f, "f", 0, 0xffffffff)
        _wb_ret = self._wb_rt.invoke0(3, "en_flip", (f,))
        return _wb_enum(Flags, _wb_ret & 0xffffffff)
