# Bindings for NameCollisions
# ----------------------------------------------------------------------------------------------

__all__ = [
    "NameCollisions",
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
    "WASM",
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

WASM = 7


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


_WB_DEFAULT_WASM = os.path.join(os.path.dirname(os.path.abspath(__file__)), "name_collisions.wasm")
_WB_FUNCTIONS = (
    "add",
    "options",
    "options_",
    "new",
    "with_options",
    "from_bytes",
    "from_file",
    "from_bytes_with",
    "from_file_with",
    "__wb_memory",
    "__wb_generation",
    "type",
    "self",
    "bytes",
    "str",
    "list",
    "tuple",
    "object",
    "property",
    "close",
    "Optional",
    "fill",
    "length",
    "fill_ints",
    "two",
)
_WB_SIGNATURES = (
    "i32,i32->i32",
    "->",
    "i32->i32",
    "i32->i32",
    "i32->i32",
    "i32->i32",
    "i32->i32",
    "i32->i32",
    "i32->i32",
    "i32->i32",
    "i32->i32",
    "i32->i32",
    "i32->i32",
    "i32->i32",
    "i32->i32",
    "i32->i32",
    "i32->i32",
    "i32->i32",
    "i32->i32",
    "i32->i32",
    "i32->i32",
    "i32,i32->",
    "i32->i32",
    "i32,i32->",
    "i32,i32->",
)


class NameCollisions:
    """The `name_collisions.h` guest: one wasm instance; one method per bound C function."""

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

    def add(self, a: int, b: int) -> int:
        """Calls the C function `add`.

        C: `int32_t add(int32_t a, int32_t b)`
        """
        if type(a) is not int or not -2147483648 <= a <= 2147483647:
            a = _wb_int(a, "a", -2147483648, 2147483647)
        if type(b) is not int or not -2147483648 <= b <= 2147483647:
            b = _wb_int(b, "b", -2147483648, 2147483647)
        _wb_ret = self._wb_rt.invoke0(0, "add", (a, b))
        return _wb_ret

    def options(self) -> None:
        """Calls the C function `options`.

        C: `void options()`
        """
        _wb_ret = self._wb_rt.invoke0(1, "options", ())

    def options_(self, x: int) -> int:
        """Calls the C function `options_`.

        C: `int32_t options_(int32_t x)`
        """
        if type(x) is not int or not -2147483648 <= x <= 2147483647:
            x = _wb_int(x, "x", -2147483648, 2147483647)
        _wb_ret = self._wb_rt.invoke0(2, "options_", (x,))
        return _wb_ret

    def new(self, x: int) -> int:
        """Calls the C function `new`.

        C: `int32_t new(int32_t x)`
        """
        if type(x) is not int or not -2147483648 <= x <= 2147483647:
            x = _wb_int(x, "x", -2147483648, 2147483647)
        _wb_ret = self._wb_rt.invoke0(3, "new", (x,))
        return _wb_ret

    def with_options(self, x: int) -> int:
        """Calls the C function `with_options`.

        C: `int32_t with_options(int32_t x)`
        """
        if type(x) is not int or not -2147483648 <= x <= 2147483647:
            x = _wb_int(x, "x", -2147483648, 2147483647)
        _wb_ret = self._wb_rt.invoke0(4, "with_options", (x,))
        return _wb_ret

    def from_bytes(self, x: int) -> int:
        """Calls the C function `from_bytes`.

        C: `int32_t from_bytes(int32_t x)`
        """
        if type(x) is not int or not -2147483648 <= x <= 2147483647:
            x = _wb_int(x, "x", -2147483648, 2147483647)
        _wb_ret = self._wb_rt.invoke0(5, "from_bytes", (x,))
        return _wb_ret

    def from_file(self, x: int) -> int:
        """Calls the C function `from_file`.

        C: `int32_t from_file(int32_t x)`
        """
        if type(x) is not int or not -2147483648 <= x <= 2147483647:
            x = _wb_int(x, "x", -2147483648, 2147483647)
        _wb_ret = self._wb_rt.invoke0(6, "from_file", (x,))
        return _wb_ret

    def from_bytes_with(self, x: int) -> int:
        """Calls the C function `from_bytes_with`.

        C: `int32_t from_bytes_with(int32_t x)`
        """
        if type(x) is not int or not -2147483648 <= x <= 2147483647:
            x = _wb_int(x, "x", -2147483648, 2147483647)
        _wb_ret = self._wb_rt.invoke0(7, "from_bytes_with", (x,))
        return _wb_ret

    def from_file_with(self, x: int) -> int:
        """Calls the C function `from_file_with`.

        C: `int32_t from_file_with(int32_t x)`
        """
        if type(x) is not int or not -2147483648 <= x <= 2147483647:
            x = _wb_int(x, "x", -2147483648, 2147483647)
        _wb_ret = self._wb_rt.invoke0(8, "from_file_with", (x,))
        return _wb_ret

    def __wb_memory__(self, x: int) -> int:
        """Calls the C function `__wb_memory`.

        C: `int32_t __wb_memory(int32_t x)`
        """
        if type(x) is not int or not -2147483648 <= x <= 2147483647:
            x = _wb_int(x, "x", -2147483648, 2147483647)
        _wb_ret = self._wb_rt.invoke0(9, "__wb_memory", (x,))
        return _wb_ret

    def __wb_generation__(self, x: int) -> int:
        """Calls the C function `__wb_generation`.

        C: `int32_t __wb_generation(int32_t x)`
        """
        if type(x) is not int or not -2147483648 <= x <= 2147483647:
            x = _wb_int(x, "x", -2147483648, 2147483647)
        _wb_ret = self._wb_rt.invoke0(10, "__wb_generation", (x,))
        return _wb_ret

    def type_(self, x: int) -> int:
        """Calls the C function `type`.

        C: `int32_t type(int32_t x)`
        """
        if type(x) is not int or not -2147483648 <= x <= 2147483647:
            x = _wb_int(x, "x", -2147483648, 2147483647)
        _wb_ret = self._wb_rt.invoke0(11, "type", (x,))
        return _wb_ret

    def self_(self, x: int) -> int:
        """Calls the C function `self`.

        C: `int32_t self(int32_t x)`
        """
        if type(x) is not int or not -2147483648 <= x <= 2147483647:
            x = _wb_int(x, "x", -2147483648, 2147483647)
        _wb_ret = self._wb_rt.invoke0(12, "self", (x,))
        return _wb_ret

    def bytes_(self, x: int) -> int:
        """Calls the C function `bytes`.

        C: `int32_t bytes(int32_t x)`
        """
        if type(x) is not int or not -2147483648 <= x <= 2147483647:
            x = _wb_int(x, "x", -2147483648, 2147483647)
        _wb_ret = self._wb_rt.invoke0(13, "bytes", (x,))
        return _wb_ret

    def str_(self, x: int) -> int:
        """Calls the C function `str`.

        C: `int32_t str(int32_t x)`
        """
        if type(x) is not int or not -2147483648 <= x <= 2147483647:
            x = _wb_int(x, "x", -2147483648, 2147483647)
        _wb_ret = self._wb_rt.invoke0(14, "str", (x,))
        return _wb_ret

    def list_(self, x: int) -> int:
        """Calls the C function `list`.

        C: `int32_t list(int32_t x)`
        """
        if type(x) is not int or not -2147483648 <= x <= 2147483647:
            x = _wb_int(x, "x", -2147483648, 2147483647)
        _wb_ret = self._wb_rt.invoke0(15, "list", (x,))
        return _wb_ret

    def tuple_(self, x: int) -> int:
        """Calls the C function `tuple`.

        C: `int32_t tuple(int32_t x)`
        """
        if type(x) is not int or not -2147483648 <= x <= 2147483647:
            x = _wb_int(x, "x", -2147483648, 2147483647)
        _wb_ret = self._wb_rt.invoke0(16, "tuple", (x,))
        return _wb_ret

    def object_(self, x: int) -> int:
        """Calls the C function `object`.

        C: `int32_t object(int32_t x)`
        """
        if type(x) is not int or not -2147483648 <= x <= 2147483647:
            x = _wb_int(x, "x", -2147483648, 2147483647)
        _wb_ret = self._wb_rt.invoke0(17, "object", (x,))
        return _wb_ret

    def property_(self, x: int) -> int:
        """Calls the C function `property`.

        C: `int32_t property(int32_t x)`
        """
        if type(x) is not int or not -2147483648 <= x <= 2147483647:
            x = _wb_int(x, "x", -2147483648, 2147483647)
        _wb_ret = self._wb_rt.invoke0(18, "property", (x,))
        return _wb_ret

    def close(self, x: int) -> int:
        """Calls the C function `close`.

        C: `int32_t close(int32_t x)`
        """
        if type(x) is not int or not -2147483648 <= x <= 2147483647:
            x = _wb_int(x, "x", -2147483648, 2147483647)
        _wb_ret = self._wb_rt.invoke0(19, "close", (x,))
        return _wb_ret

    def Optional_(self, x: int) -> int:
        """Calls the C function `Optional`.

        C: `int32_t Optional(int32_t x)`
        """
        if type(x) is not int or not -2147483648 <= x <= 2147483647:
            x = _wb_int(x, "x", -2147483648, 2147483647)
        _wb_ret = self._wb_rt.invoke0(20, "Optional", (x,))
        return _wb_ret

    def fill(self, out_size: int) -> bytes:
        """Declared after the methods named like builtins: their Python annotations use those builtins.

        C: `void fill(uint8_t *out, size_t out_size)`
        """
        if type(out_size) is not int or not 0 <= out_size <= 0xffffffff:
            out_size = _wb_int(out_size, "out_size", 0, 0xffffffff)
        _wb_block = ((out_size + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(21, "fill", _wb_block, (), (0, out_size), (0,), ((0, out_size),))
        return _wb_out[0]

    def length(self, text: str) -> int:
        """Calls the C function `length`.

        C: `int32_t length(const char *text)`
        """
        _wb_t0 = _wb_str(text, "text")
        _wb_block = ((len(_wb_t0) + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(22, "length", _wb_block, ((0, _wb_t0),), (0,), (0,), ())
        return _wb_ret

    def fill_ints(self, out_size: int) -> list[int]:
        """Calls the C function `fill_ints`.

        C: `void fill_ints(int32_t *out, size_t out_size)`
        """
        if type(out_size) is not int or not 0 <= out_size <= 0xffffffff:
            out_size = _wb_int(out_size, "out_size", 0, 0xffffffff)
        _wb_block = ((out_size * 4 + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(23, "fill_ints", _wb_block, (), (0, out_size), (0,), ((0, out_size * 4),))
        return _wb_unpack("i", _wb_out[0])

    def two(self) -> tuple[int, int]:
        """Calls the C function `two`.

        C: `void two(int32_t *first, int32_t *second)`
        """
        _wb_ret, _wb_out = self._wb_rt.invoke(24, "two", 16, (), (0, 8), (0, 1), ((0, 4), (8, 4)))
        return (int.from_bytes(_wb_out[0], "little", signed=True), int.from_bytes(_wb_out[1], "little", signed=True))
