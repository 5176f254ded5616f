# Bindings for Vault
# ----------------------------------------------------------------------------------------------

__all__ = [
    "Vault",
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


_WB_DEFAULT_WASM = os.path.join(os.path.dirname(os.path.abspath(__file__)), "config_roles.wasm")
_WB_FUNCTIONS = (
    "wipe",
    "key_pair",
    "ct_equal",
)
_WB_SIGNATURES = (
    "i32,i32->",
    "i32,i32,i32->",
    "i32,i32,i32->i32",
)


class Vault:
    """The `config_roles.h` guest: one wasm instance; one method per bound C function."""

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

    def wipe(self, secret: Buffer) -> bytes:
        """Calls the C function `wipe`.

        C: `void wipe(void *secret, size_t size)`

        `secret` is read and changed: the result is returned, and also written into the argument when it is writable (bytearray, writable memoryview).
        """
        if type(secret) is not bytes:
            secret = _wb_bytes(secret, "secret", None, True)
        size = len(secret)
        if size > 0xffffffff:
            size = _wb_int(size, "size", 0, 0xffffffff)
        _wb_block = ((size + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(0, "wipe", _wb_block, ((0, secret),), (0, size), (0,), ((0, size),))
        _wb_write_back(secret, _wb_out[0])
        return _wb_out[0]

    def key_pair(self, seed: Buffer) -> tuple[bytes, bytes, bytes]:
        """Calls the C function `key_pair`.

        C: `void key_pair(uint8_t secret_key[64], uint8_t public_key[32], uint8_t seed[32])`

        `seed` is read and changed: the result is returned, and also written into the argument when it is writable (bytearray, writable memoryview).
        """
        if type(seed) is not bytes or len(seed) != 32:
            seed = _wb_bytes(seed, "seed", 32, True)
        _wb_ret, _wb_out = self._wb_rt.invoke(1, "key_pair", 128, ((96, seed),), (0, 64, 96), (0, 1, 2), ((0, 64), (64, 32), (96, 32)))
        _wb_write_back(seed, _wb_out[2])
        return (_wb_out[0], _wb_out[1], _wb_out[2])

    def equal(self, a: Buffer, b: Buffer) -> None:
        """Calls the C function `ct_equal`.

        C: `int ct_equal(const uint8_t *a, const uint8_t *b, size_t n)`

        Raises StatusError when the C function returns nonzero.
        """
        if type(a) is not bytes:
            a = _wb_bytes(a, "a")
        if type(b) is not bytes:
            b = _wb_bytes(b, "b")
        n = len(a)
        if n > 0xffffffff:
            n = _wb_int(n, "n", 0, 0xffffffff)
        if len(b) != n:
            raise ValueError(f"b: expected {n} bytes (as many elements as a), got {len(b)}")
        _wb_o1 = ((n + 7) & -8)
        _wb_block = _wb_o1 + ((n + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(2, "ct_equal", _wb_block, ((0, a), (_wb_o1, b)), (0, _wb_o1, n), (0, 1), ())
        if _wb_ret != 0:
            raise StatusError("ct_equal", _wb_ret)
