# Bindings for Annotations
# ----------------------------------------------------------------------------------------------

__all__ = [
    "Annotations",
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
    "Rng",
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


_WB_DEFAULT_WASM = os.path.join(os.path.dirname(os.path.abspath(__file__)), "annotations.wasm")
_WB_FUNCTIONS = (
    "key_pair",
    "ct_equal",
    "fill",
    "scramble",
    "mix",
    "popcount",
    "wb_persist_alloc",
    "wb_persist_free",
)
_WB_SIGNATURES = (
    "i32,i32,i32->",
    "i32,i32,i32->i32",
    "i32,i32,i32->",
    "i32,i32,i32->",
    "i32,i32,i32->",
    "i32,i32->i32",
    "i32->i32",
    "i32,i32->",
)


class Annotations:
    """The `annotations.h` guest: one wasm instance; one method per bound C function."""

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

    def key_pair(self, seed: Buffer) -> tuple[bytes, bytes, bytes]:
        """Calls the C function `key_pair`.

        C: `void key_pair(uint8_t secret_key[64], uint8_t public_key[32], uint8_t seed[32])`

        `seed` is read and changed: the result is returned, and also written into the argument when it is writable (bytearray, writable memoryview).
        """
        if type(seed) is not bytes or len(seed) != 32:
            seed = _wb_bytes(seed, "seed", 32, True)
        _wb_ret, _wb_out = self._wb_rt.invoke(0, "key_pair", 128, ((96, seed),), (0, 64, 96), (0, 1, 2), ((0, 64), (64, 32), (96, 32)))
        _wb_write_back(seed, _wb_out[2])
        return (_wb_out[0], _wb_out[1], _wb_out[2])

    def ct_equal(self, a: Buffer, b: Buffer) -> None:
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
        _wb_ret, _wb_out = self._wb_rt.invoke(1, "ct_equal", _wb_block, ((0, a), (_wb_o1, b)), (0, _wb_o1, n), (0, 1), ())
        if _wb_ret != 0:
            raise StatusError("ct_equal", _wb_ret)

    def fill(self, step: int, count: int) -> list[int]:
        """Calls the C function `fill`.

        C: `void fill(uint32_t *words, size_t step, size_t count)`
        """
        if type(step) is not int or not 0 <= step <= 0xffffffff:
            step = _wb_int(step, "step", 0, 0xffffffff)
        if type(count) is not int or not 0 <= count <= 0xffffffff:
            count = _wb_int(count, "count", 0, 0xffffffff)
        _wb_block = ((count * 4 + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(2, "fill", _wb_block, (), (0, step, count), (0,), ((0, count * 4),))
        return _wb_unpack("I", _wb_out[0])

    def scramble(self, buf: Buffer, r: Rng) -> bytes:
        """Calls the C function `scramble`.

        C: `void scramble(uint8_t *buf, size_t buf_size, rng *r)`

        `buf` is read and changed: the result is returned, and also written into the argument when it is writable (bytearray, writable memoryview).
        """
        if type(buf) is not bytes:
            buf = _wb_bytes(buf, "buf", None, True)
        buf_size = len(buf)
        if buf_size > 0xffffffff:
            buf_size = _wb_int(buf_size, "buf_size", 0, 0xffffffff)
        with self._wb_rt.lock:
            _wb_h2 = _wb_handle(r, Rng, "r", self._wb_rt)
            _wb_block = ((buf_size + 7) & -8) or 8
            _wb_ret, _wb_out = self._wb_rt.invoke(3, "scramble", _wb_block, ((0, buf),), (0, buf_size, _wb_h2), (0,), ((0, buf_size),))
        _wb_write_back(buf, _wb_out[0])
        return _wb_out[0]

    def mix(self, legacy_input: Buffer) -> bytes:
        """Calls the C function `mix`.

        C: `void mix(uint8_t *legacy_input, size_t legacy_input_size, uint8_t out[8])`
        """
        if type(legacy_input) is not bytes:
            legacy_input = _wb_bytes(legacy_input, "legacy_input")
        legacy_input_size = len(legacy_input)
        if legacy_input_size > 0xffffffff:
            legacy_input_size = _wb_int(legacy_input_size, "legacy_input_size", 0, 0xffffffff)
        _wb_block = 8 + ((legacy_input_size + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(4, "mix", _wb_block, ((8, legacy_input),), (8, legacy_input_size, 0), (0, 2), ((0, 8),))
        return _wb_out[0]

    def popcount(self, data: Buffer) -> int:
        """Calls the C function `popcount`.

        C: `int32_t popcount(const uint8_t *data, size_t data_size)`
        """
        if type(data) is not bytes:
            data = _wb_bytes(data, "data")
        data_size = len(data)
        if data_size > 0xffffffff:
            data_size = _wb_int(data_size, "data_size", 0, 0xffffffff)
        _wb_block = ((data_size + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(5, "popcount", _wb_block, ((0, data),), (0, data_size), (0,), ())
        return _wb_ret


class Rng:
    """The C struct `rng` (16 bytes), living in the memory of one `Annotations` instance: pass it to the
    methods that take a `rng *`. `close()`, leaving a `with` block, or garbage collection wipes
    and frees it. A trap in its instance invalidates it (using it then raises ValueError).
    """

    __slots__ = ("__weakref__", "_wb_free", "_wb_gen", "_wb_held", "_wb_owner", "_wb_ptr", "_wb_rt")

    def __init__(self, owner: Annotations) -> None:
        if not isinstance(owner, Annotations):
            raise TypeError(f"owner: expected Annotations, got {type(owner).__name__}")
        self._wb_owner = owner
        self._wb_rt = owner._wb_rt
        self._wb_held: Optional[List[Any]] = None  # guest buffers the library points into (`kept`)
        with self._wb_rt.lock:
            self._wb_ptr = self._wb_rt.persist_alloc(16)
            self._wb_gen = self._wb_rt.generation
        self._wb_free = weakref.finalize(self, self._wb_rt.persist_free, self._wb_ptr, 16, self._wb_gen)
        self._wb_free.atexit = False

    @property
    def closed(self) -> bool:
        """True once close() ran (or the object was finalized)."""
        return not self._wb_free.alive

    def close(self) -> None:
        """Wipes and frees the guest memory; later calls do nothing."""
        self._wb_free()
        self._wb_held = None

    def __enter__(self) -> Rng:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
