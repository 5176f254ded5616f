# Bindings for RuleSharedSize
# ----------------------------------------------------------------------------------------------

__all__ = [
    "RuleSharedSize",
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


_WB_DEFAULT_WASM = os.path.join(os.path.dirname(os.path.abspath(__file__)), "rule_shared_size.wasm")
_WB_FUNCTIONS = (
    "aead_lock",
    "stream_xor",
)
_WB_SIGNATURES = (
    "i32,i32,i32,i32,i32,i32,i32->",
    "i32,i32,i32,i32,i64->i64",
)


class RuleSharedSize:
    """The `rule_shared_size.h` guest: one wasm instance; one method per bound C function."""

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

    def aead_lock(self, key: Buffer, ad: Buffer, plain_text: Buffer) -> tuple[bytes, bytes]:
        """Calls the C function `aead_lock`.

        C: `void aead_lock(uint8_t *cipher_text, uint8_t mac[16], const uint8_t key[32], const uint8_t *ad, size_t ad_size, const uint8_t *plain_text, size_t text_size)`
        """
        if type(key) is not bytes or len(key) != 32:
            key = _wb_bytes(key, "key", 32)
        if type(ad) is not bytes:
            ad = _wb_bytes(ad, "ad")
        if type(plain_text) is not bytes:
            plain_text = _wb_bytes(plain_text, "plain_text")
        ad_size = len(ad)
        if ad_size > 0xffffffff:
            ad_size = _wb_int(ad_size, "ad_size", 0, 0xffffffff)
        text_size = len(plain_text)
        if text_size > 0xffffffff:
            text_size = _wb_int(text_size, "text_size", 0, 0xffffffff)
        _wb_o3 = 48 + ((text_size + 7) & -8)
        _wb_o5 = _wb_o3 + ((ad_size + 7) & -8)
        _wb_block = _wb_o5 + ((text_size + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(0, "aead_lock", _wb_block, ((16, key), (_wb_o3, ad), (_wb_o5, plain_text)), (48, 0, 16, _wb_o3, ad_size, _wb_o5, text_size), (0, 1, 2, 3, 5), ((48, text_size), (0, 16)))
        return (_wb_out[0], _wb_out[1])

    def stream_xor(self, plain_text: Buffer, key: Buffer, ctr: int) -> tuple[bytes, int]:
        """Calls the C function `stream_xor`.

        C: `uint64_t stream_xor(uint8_t *cipher_text, const uint8_t *plain_text, size_t text_size, const uint8_t key[32], uint64_t ctr)`
        """
        if type(plain_text) is not bytes:
            plain_text = _wb_bytes(plain_text, "plain_text")
        if type(key) is not bytes or len(key) != 32:
            key = _wb_bytes(key, "key", 32)
        if type(ctr) is not int or not 0 <= ctr <= 0xffffffffffffffff:
            ctr = _wb_int(ctr, "ctr", 0, 0xffffffffffffffff)
        text_size = len(plain_text)
        if text_size > 0xffffffff:
            text_size = _wb_int(text_size, "text_size", 0, 0xffffffff)
        _wb_o1 = 32 + ((text_size + 7) & -8)
        _wb_block = _wb_o1 + ((text_size + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(1, "stream_xor", _wb_block, ((_wb_o1, plain_text), (0, key)), (32, _wb_o1, text_size, 0, ctr), (0, 1, 3), ((32, text_size),))
        return (_wb_out[0], _wb_ret & 0xffffffffffffffff)
