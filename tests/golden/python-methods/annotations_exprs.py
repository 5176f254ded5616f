# Bindings for AnnotationsExprs
# ----------------------------------------------------------------------------------------------

__all__ = [
    "AnnotationsExprs",
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
    "CtxT",
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


_WB_DEFAULT_WASM = os.path.join(os.path.dirname(os.path.abspath(__file__)), "annotations_exprs.wasm")
_WB_FUNCTIONS = (
    "bound",
    "finish",
    "work",
    "squeeze",
    "take",
    "wb_persist_alloc",
    "wb_persist_free",
)
_WB_SIGNATURES = (
    "i32->i32",
    "i32,i32->",
    "i32,i32->",
    "i32,i32,i32,i32->i32",
    "i32,i32,i32,i32->i32",
    "i32->i32",
    "i32,i32->",
)


class AnnotationsExprs:
    """The `annotations_exprs.h` guest: one wasm instance; one method per bound C function."""

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

    def bound(self, n: int) -> int:
        """Calls the C function `bound`.

        C: `int32_t bound(int32_t n)`
        """
        if type(n) is not int or not -2147483648 <= n <= 2147483647:
            n = _wb_int(n, "n", -2147483648, 2147483647)
        _wb_ret = self._wb_rt.invoke0(0, "bound", (n,))
        return _wb_ret

    def finish(self, ctx: CtxT) -> bytes:
        """Calls the C function `finish`.

        C: `void finish(ctx_t *ctx, uint8_t *out)`
        """
        with self._wb_rt.lock:
            _wb_h0 = _wb_handle(ctx, CtxT, "ctx", self._wb_rt)
            _wb_n1 = _wb_int(_wb_load(self._wb_rt, _wb_h0 + 32, 4, False), "out", 0, 32)
            _wb_block = ((_wb_n1 + 7) & -8) or 8
            _wb_ret, _wb_out = self._wb_rt.invoke(1, "finish", _wb_block, (), (_wb_h0, 0), (1,), ((0, _wb_n1),))
        return _wb_out[0]

    def work(self, n: int) -> None:
        """Calls the C function `work`.

        C: `void work(void *scratch, uint32_t n)`
        """
        if type(n) is not int or not 0 <= n <= 0xffffffff:
            n = _wb_int(n, "n", 0, 0xffffffff)
        _wb_n0 = _wb_int((n * 64), "scratch", 0, 0xffffffff)
        _wb_block = ((_wb_n0 + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(2, "work", _wb_block, (), (0, n), (0,), ())

    def squeeze(self, src: Buffer) -> bytes:
        """Calls the C function `squeeze`.

        C: `int32_t squeeze(const char *src, char *dst, int32_t srcSize, int32_t dstCapacity)`

        Raises StatusError when the C function returns zero or a negative value.
        """
        if type(src) is not bytes:
            src = _wb_bytes(src, "src")
        srcSize = len(src)
        if srcSize > 2147483647:
            srcSize = _wb_int(srcSize, "srcSize", -2147483648, 2147483647)
        dstCapacity = _wb_int(self._wb_rt.call(0, "bound", (_wb_int(srcSize, "argument 1 of bound", -2147483648, 2147483647),)), "dstCapacity", 0, 2147483647)
        _wb_o1 = ((srcSize + 7) & -8)
        _wb_block = _wb_o1 + ((dstCapacity + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(3, "squeeze", _wb_block, ((0, src),), (0, _wb_o1, srcSize, dstCapacity), (0, 1), ((_wb_o1, dstCapacity),))
        _wb_filled = _wb_ret
        if _wb_filled <= 0:
            raise StatusError("squeeze", _wb_filled)
        if _wb_filled > dstCapacity:
            raise GuestError(f"squeeze: returned {_wb_filled} elements written, more than dst holds")
        return _wb_out[0][:_wb_filled]

    def take(self, src: Buffer, dstCapacity: int) -> tuple[bytes, int]:
        """Calls the C function `take`.

        C: `int32_t take(const char *src, char *dst, int32_t *srcSizePtr, int32_t dstCapacity)`

        Raises StatusError when the C function returns a negative value.
        """
        if type(src) is not bytes:
            src = _wb_bytes(src, "src")
        if type(dstCapacity) is not int or not 0 <= dstCapacity <= 2147483647:
            dstCapacity = _wb_int(dstCapacity, "dstCapacity", 0, 2147483647)
        srcSizePtr = len(src)
        if srcSizePtr > 2147483647:
            srcSizePtr = _wb_int(srcSizePtr, "srcSizePtr", -2147483648, 2147483647)
        _wb_o1 = 8 + ((srcSizePtr + 7) & -8)
        _wb_block = _wb_o1 + ((dstCapacity + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(4, "take", _wb_block, ((8, src), (0, srcSizePtr.to_bytes(4, "little", signed=True))), (8, _wb_o1, 0, dstCapacity), (0, 1, 2), ((_wb_o1, dstCapacity), (0, 4)))
        _wb_filled = _wb_ret
        if _wb_filled < 0:
            raise StatusError("take", _wb_filled)
        if _wb_filled > dstCapacity:
            raise GuestError(f"take: returned {_wb_filled} elements written, more than dst holds")
        return (_wb_out[0][:_wb_filled], int.from_bytes(_wb_out[1], "little", signed=True))


class CtxT:
    """The C struct `ctx_t` (36 bytes), living in the memory of one `AnnotationsExprs` instance: pass it to the
    methods that take a `ctx_t *`. `close()`, leaving a `with` block, or garbage collection wipes
    and frees it. A trap in its instance invalidates it (using it then raises ValueError).
    """

    __slots__ = ("__weakref__", "_wb_free", "_wb_gen", "_wb_held", "_wb_owner", "_wb_ptr", "_wb_rt")

    def __init__(self, owner: AnnotationsExprs) -> None:
        if not isinstance(owner, AnnotationsExprs):
            raise TypeError(f"owner: expected AnnotationsExprs, got {type(owner).__name__}")
        self._wb_owner = owner
        self._wb_rt = owner._wb_rt
        self._wb_held: Optional[List[Any]] = None  # guest buffers the library points into (`kept`)
        with self._wb_rt.lock:
            self._wb_ptr = self._wb_rt.persist_alloc(36)
            self._wb_gen = self._wb_rt.generation
        self._wb_free = weakref.finalize(self, self._wb_rt.persist_free, self._wb_ptr, 36, self._wb_gen)
        self._wb_free.atexit = False

    @property
    def closed(self) -> bool:
        """True once close() ran (or the object was finalized)."""
        return not self._wb_free.alive

    def close(self) -> None:
        """Wipes and frees the guest memory; later calls do nothing."""
        self._wb_free()
        self._wb_held = None

    def __enter__(self) -> CtxT:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def finish(self) -> bytes:
        """Same as `AnnotationsExprs.finish(ctx, ...)` on the object that made this handle."""
        return self._wb_owner.finish(self)
