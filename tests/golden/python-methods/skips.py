# Bindings for Skips
# ----------------------------------------------------------------------------------------------

__all__ = [
    "Skips",
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
    "Opaque",
    "HandleError",
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


_WB_DEFAULT_WASM = os.path.join(os.path.dirname(os.path.abspath(__file__)), "skips.wasm")
_WB_FUNCTIONS = (
    "use_opaque",
    "callback",
    "ok",
)
_WB_SIGNATURES = (
    "i32->",
    "i32->",
    "i32,i32->",
)


class Skips:
    """The `skips.h` guest: one wasm instance; one method per bound C function."""

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

    def use_opaque(self, o: Opaque) -> None:
        """Calls the C function `use_opaque`.

        C: `void use_opaque(opaque *o)`
        """
        with self._wb_rt.lock:
            _wb_h0 = _wb_owned_ptr(o, Opaque, "o", self._wb_rt)
            _wb_ret = self._wb_rt.invoke0(0, "use_opaque", (_wb_h0,))

    def callback(self, cb: Callable[[int], None]) -> None:
        """Calls the C function `callback`.

        C: `void callback(void (*cb)(int))`
        """
        if not callable(cb):
            raise TypeError(f"cb: expected a callable, got {type(cb).__name__}")
        _wb_ret, _wb_out = self._wb_rt.invoke_cb(((0, (1, 0), "i32->", (("int", 32, True),), None, cb, "callback `cb`"),), 1, "callback", 0, (), (0,), (), ())

    def ok(self, in_: Buffer) -> bytes:
        """Calls the C function `ok`.

        C: `void ok(const uint8_t in[4], uint8_t out[4])`
        """
        if type(in_) is not bytes or len(in_) != 4:
            in_ = _wb_bytes(in_, "in_", 4)
        _wb_ret, _wb_out = self._wb_rt.invoke(2, "ok", 16, ((0, in_),), (0, 8), (0, 1), ((8, 4),))
        return _wb_out[0]


class Opaque(_WbOwned):
    """A `opaque *` handed out by the library of one `Skips` instance (only the pointer is held).
    The type has no destructor: the host never frees one.
    Closing it closes its children (handles made with it as their parent) first; a child keeps its
    parent alive. Using it after close, with another instance, or after its instance was re-created
    following a trap raises HandleError.
    """

    __slots__ = ()
    _wb_type = "opaque"
    _wb_destroy = None
    _wb_owner: Skips

    def use_opaque(self) -> None:
        """Same as `Skips.use_opaque(o, ...)` on the object that made this handle."""
        return self._wb_owner.use_opaque(self)
