# Bindings for HandleMethods
# ----------------------------------------------------------------------------------------------

__all__ = [
    "HandleMethods",
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
    "TallyState",
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


_WB_DEFAULT_WASM = os.path.join(os.path.dirname(os.path.abspath(__file__)), "handle_methods.wasm")
_WB_FUNCTIONS = (
    "tally_state_reset",
    "tally_state_feed",
    "tally_state_total",
    "tally_state_close",
    "tally_state_type",
    "merge_into",
    "tally_mix",
    "wb_persist_alloc",
    "wb_persist_free",
)
_WB_SIGNATURES = (
    "i32->",
    "i32,i32,i32->",
    "i32->i32",
    "i32->",
    "i32->i32",
    "i32,i32->",
    "i32,i32,i32,i32->i32",
    "i32->i32",
    "i32,i32->",
)


class HandleMethods:
    """The `handle_methods.h` guest: one wasm instance; one method per bound C function."""

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

    def tally_state_reset(self, st: TallyState) -> None:
        """Calls the C function `tally_state_reset`.

        C: `void tally_state_reset(tally_state *st)`
        """
        with self._wb_rt.lock:
            _wb_h0 = _wb_handle(st, TallyState, "st", self._wb_rt)
            _wb_ret = self._wb_rt.invoke0(0, "tally_state_reset", (_wb_h0,))

    def tally_state_feed(self, st: TallyState, data: Buffer) -> None:
        """Calls the C function `tally_state_feed`.

        C: `void tally_state_feed(tally_state *st, const uint8_t *data, size_t len)`
        """
        if type(data) is not bytes:
            data = _wb_bytes(data, "data")
        len_ = len(data)
        if len_ > 0xffffffff:
            len_ = _wb_int(len_, "len", 0, 0xffffffff)
        with self._wb_rt.lock:
            _wb_h0 = _wb_handle(st, TallyState, "st", self._wb_rt)
            _wb_block = ((len_ + 7) & -8) or 8
            _wb_ret, _wb_out = self._wb_rt.invoke(1, "tally_state_feed", _wb_block, ((0, data),), (_wb_h0, 0, len_), (1,), ())

    def tally_state_total(self, st: TallyState) -> int:
        """Calls the C function `tally_state_total`.

        C: `uint32_t tally_state_total(const tally_state *st)`
        """
        with self._wb_rt.lock:
            _wb_h0 = _wb_handle(st, TallyState, "st", self._wb_rt)
            _wb_ret = self._wb_rt.invoke0(2, "tally_state_total", (_wb_h0,))
        return _wb_ret & 0xffffffff

    def tally_state_close(self, st: TallyState) -> None:
        """Calls the C function `tally_state_close`.

        C: `void tally_state_close(tally_state *st)`
        """
        with self._wb_rt.lock:
            _wb_h0 = _wb_handle(st, TallyState, "st", self._wb_rt)
            _wb_ret = self._wb_rt.invoke0(3, "tally_state_close", (_wb_h0,))

    def tally_state_type(self, st: TallyState) -> int:
        """Calls the C function `tally_state_type`.

        C: `int32_t tally_state_type(const tally_state *st)`
        """
        with self._wb_rt.lock:
            _wb_h0 = _wb_handle(st, TallyState, "st", self._wb_rt)
            _wb_ret = self._wb_rt.invoke0(4, "tally_state_type", (_wb_h0,))
        return _wb_ret

    def merge_into(self, dst: TallyState, src: TallyState) -> None:
        """Calls the C function `merge_into`.

        C: `void merge_into(tally_state *dst, const tally_state *src)`
        """
        with self._wb_rt.lock:
            _wb_h0 = _wb_handle(dst, TallyState, "dst", self._wb_rt)
            _wb_h1 = _wb_handle(src, TallyState, "src", self._wb_rt)
            _wb_ret = self._wb_rt.invoke0(5, "merge_into", (_wb_h0, _wb_h1))

    def tally_mix(self, input_: Buffer, type_: int, iter_: Buffer) -> int:
        """Parameters named like Python builtins: the keywords are `input_`, `type_` and `iter_`, and the
        argument errors name those keywords.

        C: `int32_t tally_mix(const uint8_t *input, size_t input_size, uint32_t type, const uint8_t iter[4])`
        """
        if type(input_) is not bytes:
            input_ = _wb_bytes(input_, "input_")
        if type(type_) is not int or not 0 <= type_ <= 0xffffffff:
            type_ = _wb_int(type_, "type_", 0, 0xffffffff)
        if type(iter_) is not bytes or len(iter_) != 4:
            iter_ = _wb_bytes(iter_, "iter_", 4)
        input_size = len(input_)
        if input_size > 0xffffffff:
            input_size = _wb_int(input_size, "input_size", 0, 0xffffffff)
        _wb_block = 8 + ((input_size + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(6, "tally_mix", _wb_block, ((8, input_), (0, iter_)), (8, input_size, type_, 0), (0, 3), ())
        return _wb_ret


class TallyState:
    """The C struct `tally_state` (20 bytes), living in the memory of one `HandleMethods` instance: pass it to the
    methods that take a `tally_state *`. `close()`, leaving a `with` block, or garbage collection wipes
    and frees it. A trap in its instance invalidates it (using it then raises ValueError).
    """

    __slots__ = ("__weakref__", "_wb_free", "_wb_gen", "_wb_held", "_wb_owner", "_wb_ptr", "_wb_rt")

    def __init__(self, owner: HandleMethods) -> None:
        if not isinstance(owner, HandleMethods):
            raise TypeError(f"owner: expected HandleMethods, got {type(owner).__name__}")
        self._wb_owner = owner
        self._wb_rt = owner._wb_rt
        self._wb_held: Optional[List[Any]] = None  # guest buffers the library points into (`kept`)
        with self._wb_rt.lock:
            self._wb_ptr = self._wb_rt.persist_alloc(20)
            self._wb_gen = self._wb_rt.generation
        self._wb_free = weakref.finalize(self, self._wb_rt.persist_free, self._wb_ptr, 20, self._wb_gen)
        self._wb_free.atexit = False

    @property
    def closed(self) -> bool:
        """True once close() ran (or the object was finalized)."""
        return not self._wb_free.alive

    def close(self) -> None:
        """Wipes and frees the guest memory; later calls do nothing."""
        self._wb_free()
        self._wb_held = None

    def __enter__(self) -> TallyState:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def reset(self) -> None:
        """Same as `HandleMethods.tally_state_reset(st, ...)` on the object that made this handle."""
        return self._wb_owner.tally_state_reset(self)

    def feed(self, data: Buffer) -> None:
        """Same as `HandleMethods.tally_state_feed(st, ...)` on the object that made this handle."""
        return self._wb_owner.tally_state_feed(self, data)

    def total(self) -> int:
        """Same as `HandleMethods.tally_state_total(st, ...)` on the object that made this handle."""
        return self._wb_owner.tally_state_total(self)

    def tally_state_close(self) -> None:
        """Same as `HandleMethods.tally_state_close(st, ...)` on the object that made this handle."""
        return self._wb_owner.tally_state_close(self)

    def type_(self) -> int:
        """Same as `HandleMethods.tally_state_type(st, ...)` on the object that made this handle."""
        return self._wb_owner.tally_state_type(self)

    def absorb(self, src: TallyState) -> None:
        """Same as `HandleMethods.merge_into(dst, ...)` on the object that made this handle."""
        return self._wb_owner.merge_into(self, src)
