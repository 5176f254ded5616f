# Bindings for RuleHandleScalar
# ----------------------------------------------------------------------------------------------

__all__ = [
    "RuleHandleScalar",
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
    "HasherCtx",
    "Counter",
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


_WB_DEFAULT_WASM = os.path.join(os.path.dirname(os.path.abspath(__file__)), "rule_handle_scalar.wasm")
_WB_FUNCTIONS = (
    "hasher_init",
    "hasher_update",
    "hasher_final",
    "counter_add",
    "wb_persist_alloc",
    "wb_persist_free",
)
_WB_SIGNATURES = (
    "i32,i32->",
    "i32,i32,i32->",
    "i32,i32->",
    "i32,i32,i32->i32",
    "i32->i32",
    "i32,i32->",
)


class RuleHandleScalar:
    """The `rule_handle_scalar.h` guest: one wasm instance; one method per bound C function."""

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

    def hasher_init(self, ctx: HasherCtx, out_size: int) -> None:
        """Calls the C function `hasher_init`.

        C: `void hasher_init(hasher_ctx *ctx, size_t out_size)`
        """
        if type(out_size) is not int or not 0 <= out_size <= 0xffffffff:
            out_size = _wb_int(out_size, "out_size", 0, 0xffffffff)
        with self._wb_rt.lock:
            _wb_h0 = _wb_handle(ctx, HasherCtx, "ctx", self._wb_rt)
            _wb_ret = self._wb_rt.invoke0(0, "hasher_init", (_wb_h0, out_size))

    def hasher_update(self, ctx: HasherCtx, message: Buffer) -> None:
        """Calls the C function `hasher_update`.

        C: `void hasher_update(hasher_ctx *ctx, const uint8_t *message, size_t message_size)`
        """
        if type(message) is not bytes:
            message = _wb_bytes(message, "message")
        message_size = len(message)
        if message_size > 0xffffffff:
            message_size = _wb_int(message_size, "message_size", 0, 0xffffffff)
        with self._wb_rt.lock:
            _wb_h0 = _wb_handle(ctx, HasherCtx, "ctx", self._wb_rt)
            _wb_block = ((message_size + 7) & -8) or 8
            _wb_ret, _wb_out = self._wb_rt.invoke(1, "hasher_update", _wb_block, ((0, message),), (_wb_h0, 0, message_size), (1,), ())

    def hasher_final(self, ctx: HasherCtx) -> bytes:
        """Calls the C function `hasher_final`.

        C: `void hasher_final(hasher_ctx *ctx, uint8_t out[64])`
        """
        with self._wb_rt.lock:
            _wb_h0 = _wb_handle(ctx, HasherCtx, "ctx", self._wb_rt)
            _wb_ret, _wb_out = self._wb_rt.invoke(2, "hasher_final", 64, (), (_wb_h0, 0), (1,), ((0, 64),))
        return _wb_out[0]

    def counter_add(self, c: Counter, delta: int, flags: int) -> int:
        """Calls the C function `counter_add`.

        C: `int32_t counter_add(counter *c, int16_t delta, uint8_t flags)`
        """
        if type(delta) is not int or not -32768 <= delta <= 32767:
            delta = _wb_int(delta, "delta", -32768, 32767)
        if type(flags) is not int or not 0 <= flags <= 0xff:
            flags = _wb_int(flags, "flags", 0, 0xff)
        with self._wb_rt.lock:
            _wb_h0 = _wb_handle(c, Counter, "c", self._wb_rt)
            _wb_ret = self._wb_rt.invoke0(3, "counter_add", (_wb_h0, delta, flags))
        return _wb_ret


class HasherCtx:
    """The C struct `hasher_ctx` (72 bytes), living in the memory of one `RuleHandleScalar` instance: pass it to the
    methods that take a `hasher_ctx *`. `close()`, leaving a `with` block, or garbage collection wipes
    and frees it. A trap in its instance invalidates it (using it then raises ValueError).
    """

    __slots__ = ("__weakref__", "_wb_free", "_wb_gen", "_wb_held", "_wb_owner", "_wb_ptr", "_wb_rt")

    def __init__(self, owner: RuleHandleScalar) -> None:
        if not isinstance(owner, RuleHandleScalar):
            raise TypeError(f"owner: expected RuleHandleScalar, got {type(owner).__name__}")
        self._wb_owner = owner
        self._wb_rt = owner._wb_rt
        self._wb_held: Optional[List[Any]] = None  # guest buffers the library points into (`kept`)
        with self._wb_rt.lock:
            self._wb_ptr = self._wb_rt.persist_alloc(72)
            self._wb_gen = self._wb_rt.generation
        self._wb_free = weakref.finalize(self, self._wb_rt.persist_free, self._wb_ptr, 72, self._wb_gen)
        self._wb_free.atexit = False

    @property
    def closed(self) -> bool:
        """True once close() ran (or the object was finalized)."""
        return not self._wb_free.alive

    def close(self) -> None:
        """Wipes and frees the guest memory; later calls do nothing."""
        self._wb_free()
        self._wb_held = None

    def __enter__(self) -> HasherCtx:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def init(self, out_size: int) -> None:
        """Same as `RuleHandleScalar.hasher_init(ctx, ...)` on the object that made this handle."""
        return self._wb_owner.hasher_init(self, out_size)

    def update(self, message: Buffer) -> None:
        """Same as `RuleHandleScalar.hasher_update(ctx, ...)` on the object that made this handle."""
        return self._wb_owner.hasher_update(self, message)

    def final(self) -> bytes:
        """Same as `RuleHandleScalar.hasher_final(ctx, ...)` on the object that made this handle."""
        return self._wb_owner.hasher_final(self)


class Counter:
    """The C struct `counter` (4 bytes), living in the memory of one `RuleHandleScalar` instance: pass it to the
    methods that take a `counter *`. `close()`, leaving a `with` block, or garbage collection wipes
    and frees it. A trap in its instance invalidates it (using it then raises ValueError).
    """

    __slots__ = ("__weakref__", "_wb_free", "_wb_gen", "_wb_held", "_wb_owner", "_wb_ptr", "_wb_rt")

    def __init__(self, owner: RuleHandleScalar) -> None:
        if not isinstance(owner, RuleHandleScalar):
            raise TypeError(f"owner: expected RuleHandleScalar, got {type(owner).__name__}")
        self._wb_owner = owner
        self._wb_rt = owner._wb_rt
        self._wb_held: Optional[List[Any]] = None  # guest buffers the library points into (`kept`)
        with self._wb_rt.lock:
            self._wb_ptr = self._wb_rt.persist_alloc(4)
            self._wb_gen = self._wb_rt.generation
        self._wb_free = weakref.finalize(self, self._wb_rt.persist_free, self._wb_ptr, 4, self._wb_gen)
        self._wb_free.atexit = False

    @property
    def closed(self) -> bool:
        """True once close() ran (or the object was finalized)."""
        return not self._wb_free.alive

    def close(self) -> None:
        """Wipes and frees the guest memory; later calls do nothing."""
        self._wb_free()
        self._wb_held = None

    def __enter__(self) -> Counter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def add(self, delta: int, flags: int) -> int:
        """Same as `RuleHandleScalar.counter_add(c, ...)` on the object that made this handle."""
        return self._wb_owner.counter_add(self, delta, flags)
