# Bindings for PlanAbi
# ----------------------------------------------------------------------------------------------

__all__ = [
    "PlanAbi",
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
    "PairTHandle",
    "WideT",
    "CfgT",
    "Al16T",
    "PairT",
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

# The struct dataclasses are made on first use (`module.Name`, `from module import Name`, or a method that takes or
# returns one): importing `dataclasses` and building them would cost ~10 ms of every import (see _WbStructs).
_wb_structs = _WbStructs(globals())
if TYPE_CHECKING:
    from dataclasses import dataclass as _wb_dataclass
else:
    _wb_dataclass = _wb_structs.dataclass


@_wb_dataclass(frozen=True)
class WideT:
    """The C struct `wide_t`, passed by value."""

    v: int


@_wb_dataclass(frozen=True)
class CfgT:
    """The C struct `cfg_t`, passed by value.

    `data_size` are derived from the slices' lengths.
    """

    data: Buffer


@_wb_dataclass(frozen=True)
class Al16T:
    """A struct aligned to 16 bytes, passed by value (as the address of a copy)."""

    a: int
    b: int


@_wb_dataclass(frozen=True)
class PairT:
    """The C struct `pair_t`, passed by value."""

    a: int
    b: int


_wb_structs.hide()


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
    """The names made on first use: the input type aliases (see _wb_aliases) and the struct dataclasses
    (see _WbStructs)."""
    if name in ("Buffer", "IntArray", "FloatArray"):
        return _wb_aliases()[name]
    return _wb_structs.getattr(name)


_WB_DEFAULT_WASM = os.path.join(os.path.dirname(os.path.abspath(__file__)), "plan_abi.wasm")
_WB_FUNCTIONS = (
    "wide_twice",
    "mix",
    "probe",
    "probe_offsets",
    "probe16",
    "probe16_offsets",
    "big",
    "pair_sum",
    "pair_set",
    "wb_persist_alloc",
    "wb_persist_free",
)
_WB_SIGNATURES = (
    "i64->i64",
    "i32,i32,i32->i32",
    "i32,i32,i32,i32,i32->",
    "i32->",
    "i32,i32,i32,i32,i32,i32->",
    "i32->",
    "i32->",
    "i32->i32",
    "i32,i32,i32->",
    "i32->i32",
    "i32,i32->",
)


class PlanAbi:
    """The `plan_abi.h` guest: one wasm instance; one method per bound C function."""

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

    def wide_twice(self, w: WideT) -> int:
        """Returns w.v * 2.

        C: `int64_t wide_twice(wide_t w)`
        """
        if not _wb_structs.made:
            _wb_structs.make()
        if not isinstance(w, WideT):
            raise TypeError(f"w: expected WideT, got {type(w).__name__}")
        _wb_s0_0 = _wb_int(w.v, "w.v", -9223372036854775808, 9223372036854775807)
        _wb_ret = self._wb_rt.invoke0(0, "wide_twice", (_wb_s0_0,))
        return _wb_ret

    def mix(self, cfg: CfgT, cfg_data: Buffer) -> int:
        """Returns the byte sum of cfg.data plus 1000 times the byte sum of cfg_data.

        C: `uint32_t mix(cfg_t cfg, const uint8_t *cfg_data, size_t cfg_data_size)`
        """
        if not _wb_structs.made:
            _wb_structs.make()
        if not isinstance(cfg, CfgT):
            raise TypeError(f"cfg: expected CfgT, got {type(cfg).__name__}")
        _wb_s0_0 = _wb_bytes(cfg.data, "cfg.data")
        _wb_s0_1 = _wb_int(len(_wb_s0_0), "cfg.data_size", 0, 0xffffffff)
        if type(cfg_data) is not bytes:
            cfg_data = _wb_bytes(cfg_data, "cfg_data")
        cfg_data_size = len(cfg_data)
        if cfg_data_size > 0xffffffff:
            cfg_data_size = _wb_int(cfg_data_size, "cfg_data_size", 0, 0xffffffff)
        _wb_img0 = _wb_pack(8, ((0, 4, False, 0), (4, 4, False, _wb_s0_1)))
        _wb_so0 = 8 + ((cfg_data_size + 7) & -8)
        _wb_block = _wb_so0 + ((len(_wb_s0_0) + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(1, "mix", _wb_block, ((_wb_so0, _wb_s0_0), (0, _wb_img0), (8, cfg_data)), (0, 8, cfg_data_size), (0, 1), (), ((0, _wb_so0),))
        return _wb_ret & 0xffffffff

    def probe(self, msg: Buffer, name: str) -> tuple[bytes, int]:
        """Records each pointer's offset from `tag`'s, in parameter order (tag, msg, count, name).

        C: `void probe(uint8_t tag[3], const uint8_t *msg, size_t msg_size, uint64_t *count, const char *name)`
        """
        if type(msg) is not bytes:
            msg = _wb_bytes(msg, "msg")
        _wb_t4 = _wb_str(name, "name")
        msg_size = len(msg)
        if msg_size > 0xffffffff:
            msg_size = _wb_int(msg_size, "msg_size", 0, 0xffffffff)
        _wb_o4 = 16 + ((msg_size + 7) & -8)
        _wb_block = _wb_o4 + ((len(_wb_t4) + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(2, "probe", _wb_block, ((16, msg), (_wb_o4, _wb_t4)), (0, 16, msg_size, 8, _wb_o4), (0, 1, 3, 4), ((0, 3), (8, 8)))
        return (_wb_out[0], int.from_bytes(_wb_out[1], "little", signed=False))

    def probe_offsets(self) -> list[int]:
        """The offsets `probe` recorded last.

        C: `void probe_offsets(uint32_t offsets[4])`
        """
        _wb_ret, _wb_out = self._wb_rt.invoke(3, "probe_offsets", 16, (), (0,), (0,), ((0, 16),))
        return _wb_unpack("I", _wb_out[0])

    def probe16(self, s: Al16T, msg: Buffer, n: int) -> bytes:
        """Records each pointer's offset from `tag`'s (tag, s, msg, work): `s` and the scratch memory `work`
         (config: scratch(n)) must be 16-aligned in every back end, `work` right after `msg`.

        C: `void probe16(uint8_t tag[3], al16_t s, const uint8_t *msg, size_t msg_size, void *work, uint32_t n)`
        """
        if not _wb_structs.made:
            _wb_structs.make()
        if not isinstance(s, Al16T):
            raise TypeError(f"s: expected Al16T, got {type(s).__name__}")
        _wb_s1_0 = _wb_int(s.a, "s.a", 0, 0xffffffff)
        _wb_s1_1 = _wb_int(s.b, "s.b", 0, 0xffffffff)
        if type(msg) is not bytes:
            msg = _wb_bytes(msg, "msg")
        if type(n) is not int or not 0 <= n <= 0xffffffff:
            n = _wb_int(n, "n", 0, 0xffffffff)
        msg_size = len(msg)
        if msg_size > 0xffffffff:
            msg_size = _wb_int(msg_size, "msg_size", 0, 0xffffffff)
        _wb_img1 = _wb_pack(16, ((0, 4, False, _wb_s1_0), (4, 4, False, _wb_s1_1)))
        _wb_n4 = _wb_int(n, "work", 0, 0xffffffff)
        _wb_o4 = ((32 + ((msg_size + 7) & -8)) + 15) & -16
        _wb_block = _wb_o4 + ((_wb_n4 + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(4, "probe16", _wb_block, ((16, _wb_img1), (32, msg)), (0, 16, 32, msg_size, _wb_o4, n), (0, 1, 2, 4), ((0, 3),))
        return _wb_out[0]

    def probe16_offsets(self) -> list[int]:
        """The offsets `probe16` recorded last.

        C: `void probe16_offsets(uint32_t offsets[4])`
        """
        _wb_ret, _wb_out = self._wb_rt.invoke(5, "probe16_offsets", 16, (), (0,), (0,), ((0, 16),))
        return _wb_unpack("I", _wb_out[0])

    def big(self) -> bytes:
        """Fills out with 0xab: a fixed-size output too large to return on a thread's stack.

        C: `void big(uint8_t out[1048576])`
        """
        _wb_ret, _wb_out = self._wb_rt.invoke(6, "big", 1048576, (), (0,), (0,), ((0, 1048576),))
        return _wb_out[0]

    def pair_sum(self, p: PairT) -> int:
        """Returns p.a + p.b: pair_t passed by value...

        C: `uint32_t pair_sum(pair_t p)`
        """
        if not _wb_structs.made:
            _wb_structs.make()
        if not isinstance(p, PairT):
            raise TypeError(f"p: expected PairT, got {type(p).__name__}")
        _wb_s0_0 = _wb_int(p.a, "p.a", 0, 0xffffffff)
        _wb_s0_1 = _wb_int(p.b, "p.b", 0, 0xffffffff)
        _wb_img0 = _wb_pack(8, ((0, 4, False, _wb_s0_0), (4, 4, False, _wb_s0_1)))
        _wb_ret, _wb_out = self._wb_rt.invoke(7, "pair_sum", 8, ((0, _wb_img0),), (0,), (0,), ())
        return _wb_ret & 0xffffffff

    def pair_set(self, p: PairTHandle, a: int, b: int) -> None:
        """...and by pointer (a handle): the two host types get different names.

        C: `void pair_set(pair_t *p, uint32_t a, uint32_t b)`
        """
        if type(a) is not int or not 0 <= a <= 0xffffffff:
            a = _wb_int(a, "a", 0, 0xffffffff)
        if type(b) is not int or not 0 <= b <= 0xffffffff:
            b = _wb_int(b, "b", 0, 0xffffffff)
        with self._wb_rt.lock:
            _wb_h0 = _wb_handle(p, PairTHandle, "p", self._wb_rt)
            _wb_ret = self._wb_rt.invoke0(8, "pair_set", (_wb_h0, a, b))


class PairTHandle:
    """The C struct `pair_t` (8 bytes), living in the memory of one `PlanAbi` instance: pass it to the
    methods that take a `pair_t *`. `close()`, leaving a `with` block, or garbage collection wipes
    and frees it. A trap in its instance invalidates it (using it then raises ValueError).
    """

    __slots__ = ("__weakref__", "_wb_free", "_wb_gen", "_wb_held", "_wb_owner", "_wb_ptr", "_wb_rt")

    def __init__(self, owner: PlanAbi) -> None:
        if not isinstance(owner, PlanAbi):
            raise TypeError(f"owner: expected PlanAbi, got {type(owner).__name__}")
        self._wb_owner = owner
        self._wb_rt = owner._wb_rt
        self._wb_held: Optional[List[Any]] = None  # guest buffers the library points into (`kept`)
        with self._wb_rt.lock:
            self._wb_ptr = self._wb_rt.persist_alloc(8)
            self._wb_gen = self._wb_rt.generation
        self._wb_free = weakref.finalize(self, self._wb_rt.persist_free, self._wb_ptr, 8, self._wb_gen)
        self._wb_free.atexit = False

    @property
    def closed(self) -> bool:
        """True once close() ran (or the object was finalized)."""
        return not self._wb_free.alive

    def close(self) -> None:
        """Wipes and frees the guest memory; later calls do nothing."""
        self._wb_free()
        self._wb_held = None

    def __enter__(self) -> PairTHandle:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def set_(self, a: int, b: int) -> None:
        """Same as `PlanAbi.pair_set(p, ...)` on the object that made this handle."""
        return self._wb_owner.pair_set(self, a, b)
