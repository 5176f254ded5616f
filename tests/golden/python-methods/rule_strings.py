# Bindings for RuleStrings
# ----------------------------------------------------------------------------------------------

__all__ = [
    "RuleStrings",
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


_WB_DEFAULT_WASM = os.path.join(os.path.dirname(os.path.abspath(__file__)), "rule_strings.wasm")
_WB_FUNCTIONS = (
    "greet",
    "hash_text",
    "version_string",
    "error_name",
    "copy_name",
)
_WB_SIGNATURES = (
    "i32->i32",
    "i32,i32,i32->i32",
    "->i32",
    "i32->i32",
    "i32,i32,i32->i32",
)


class RuleStrings:
    """The `rule_strings.h` guest: one wasm instance; one method per bound C function."""

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

    def greet(self, name: str) -> int:
        """Calls the C function `greet`.

        C: `int32_t greet(const char *name)`
        """
        _wb_t0 = _wb_str(name, "name")
        _wb_block = ((len(_wb_t0) + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(0, "greet", _wb_block, ((0, _wb_t0),), (0,), (0,), ())
        return _wb_ret

    def hash_text(self, text: Buffer) -> tuple[bytes, int]:
        """Calls the C function `hash_text`.

        C: `int32_t hash_text(const char *text, size_t text_size, uint8_t digest[32])`
        """
        if type(text) is not bytes:
            text = _wb_bytes(text, "text")
        text_size = len(text)
        if text_size > 0xffffffff:
            text_size = _wb_int(text_size, "text_size", 0, 0xffffffff)
        _wb_block = 32 + ((text_size + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(1, "hash_text", _wb_block, ((32, text),), (32, text_size, 0), (0, 2), ((0, 32),))
        return (_wb_out[0], _wb_ret)

    def version_string(self) -> str:
        """Calls the C function `version_string`.

        C: `const char * version_string()`
        """
        with self._wb_rt.lock:
            _wb_ret = self._wb_rt.invoke0(2, "version_string", ())
            _wb_str_ret = _wb_cstr(self._wb_rt, _wb_ret & 0xffffffff, 4096, "version_string")
        return _wb_str_ret

    def error_name(self, code: int) -> str:
        """Calls the C function `error_name`.

        C: `const char * error_name(int32_t code)`
        """
        if type(code) is not int or not -2147483648 <= code <= 2147483647:
            code = _wb_int(code, "code", -2147483648, 2147483647)
        with self._wb_rt.lock:
            _wb_ret = self._wb_rt.invoke0(3, "error_name", (code,))
            _wb_str_ret = _wb_cstr(self._wb_rt, _wb_ret & 0xffffffff, 64, "error_name")
        return _wb_str_ret

    def copy_name(self, out_size: int, name: str) -> tuple[bytes, int]:
        """Calls the C function `copy_name`.

        C: `uint32_t copy_name(char *out, size_t out_size, const char *name)`
        """
        if type(out_size) is not int or not 0 <= out_size <= 0xffffffff:
            out_size = _wb_int(out_size, "out_size", 0, 0xffffffff)
        _wb_t2 = _wb_str(name, "name")
        _wb_o2 = ((out_size + 7) & -8)
        _wb_block = _wb_o2 + ((len(_wb_t2) + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(4, "copy_name", _wb_block, ((_wb_o2, _wb_t2),), (0, out_size, _wb_o2), (0, 2), ((0, out_size),))
        return (_wb_out[0], _wb_ret & 0xffffffff)
