# Bindings for ConfigExprs
# ----------------------------------------------------------------------------------------------

__all__ = [
    "ConfigExprs",
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
    "HashCtx",
    "CostT",
    "BLOCK_SIZE",
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

BLOCK_SIZE = 1024

# The struct dataclasses are made on first use (`module.Name`, `from module import Name`, or a method that takes or
# returns one): importing `dataclasses` and building them would cost ~10 ms of every import (see _WbStructs).
_wb_structs = _WbStructs(globals())
if TYPE_CHECKING:
    from dataclasses import dataclass as _wb_dataclass
else:
    _wb_dataclass = _wb_structs.dataclass


@_wb_dataclass(frozen=True)
class CostT:
    """The C struct `cost_t`, passed by value."""

    nb_blocks: int
    nb_passes: int


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


_WB_DEFAULT_WASM = os.path.join(os.path.dirname(os.path.abspath(__file__)), "config_exprs.wasm")
_WB_FUNCTIONS = (
    "bound",
    "state_size",
    "hash_init",
    "hash_final",
    "stretch",
    "pack",
    "pack_some",
    "unpack",
    "checked_len",
    "nonzero",
    "wb_persist_alloc",
    "wb_persist_free",
)
_WB_SIGNATURES = (
    "i32->i32",
    "->i32",
    "i32,i32->",
    "i32,i32->",
    "i32,i32,i32,i32->",
    "i32,i32,i32,i32,i32->i32",
    "i32,i32,i32,i32->i32",
    "i32,i32,i32,i32->i32",
    "i32,i32->i32",
    "i32,i32->i32",
    "i32->i32",
    "i32,i32->",
)


class ConfigExprs:
    """The `config_exprs.h` guest: one wasm instance; one method per bound C function."""

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

    def state_size(self) -> int:
        """Calls the C function `state_size`.

        C: `int32_t state_size()`
        """
        _wb_ret = self._wb_rt.invoke0(1, "state_size", ())
        return _wb_ret

    def hash_init(self, ctx: HashCtx, hash_size: int) -> None:
        """Calls the C function `hash_init`.

        C: `void hash_init(hash_ctx *ctx, size_t hash_size)`
        """
        if type(hash_size) is not int or not 0 <= hash_size <= 0xffffffff:
            hash_size = _wb_int(hash_size, "hash_size", 0, 0xffffffff)
        with self._wb_rt.lock:
            _wb_h0 = _wb_handle(ctx, HashCtx, "ctx", self._wb_rt)
            _wb_ret = self._wb_rt.invoke0(2, "hash_init", (_wb_h0, hash_size))

    def hash_final(self, ctx: HashCtx) -> bytes:
        """Calls the C function `hash_final`.

        C: `void hash_final(hash_ctx *ctx, uint8_t *hash)`
        """
        with self._wb_rt.lock:
            _wb_h0 = _wb_handle(ctx, HashCtx, "ctx", self._wb_rt)
            _wb_n1 = _wb_int(_wb_load(self._wb_rt, _wb_h0 + 64, 4, False), "hash", 0, 64)
            _wb_block = ((_wb_n1 + 7) & -8) or 8
            _wb_ret, _wb_out = self._wb_rt.invoke(3, "hash_final", _wb_block, (), (_wb_h0, 0), (1,), ((0, _wb_n1),))
        return _wb_out[0]

    def stretch(self, out_size: int, cost: CostT) -> bytes:
        """Calls the C function `stretch`.

        C: `void stretch(uint8_t *out, uint32_t out_size, void *work, cost_t cost)`
        """
        if not _wb_structs.made:
            _wb_structs.make()
        if type(out_size) is not int or not 0 <= out_size <= 0xffffffff:
            out_size = _wb_int(out_size, "out_size", 0, 0xffffffff)
        if not isinstance(cost, CostT):
            raise TypeError(f"cost: expected CostT, got {type(cost).__name__}")
        _wb_s3_0 = _wb_int(cost.nb_blocks, "cost.nb_blocks", 0, 0xffffffff)
        _wb_s3_1 = _wb_int(cost.nb_passes, "cost.nb_passes", 0, 0xffffffff)
        _wb_img3 = _wb_pack(8, ((0, 4, False, _wb_s3_0), (4, 4, False, _wb_s3_1)))
        _wb_n2 = _wb_int(((cost.nb_blocks * 1024) + ((cost.nb_passes - 1) * 8)), "work", 0, 0xffffffff)
        _wb_o2 = ((8 + ((out_size + 7) & -8)) + 15) & -16
        _wb_block = _wb_o2 + ((_wb_n2 + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(4, "stretch", _wb_block, ((0, _wb_img3),), (8, out_size, _wb_o2, 0), (0, 2, 3), ((8, out_size),))
        return _wb_out[0]

    def pack(self, src: Buffer) -> bytes:
        """Calls the C function `pack`.

        C: `int32_t pack(void *state, const char *src, char *dst, int32_t srcSize, int32_t dstCapacity)`

        Raises StatusError when the C function returns zero or a negative value.
        """
        if type(src) is not bytes:
            src = _wb_bytes(src, "src")
        srcSize = len(src)
        if srcSize > 2147483647:
            srcSize = _wb_int(srcSize, "srcSize", -2147483648, 2147483647)
        _wb_n0 = _wb_int(self._wb_rt.call(1, "state_size", ()), "state", 0, 0xffffffff)
        dstCapacity = _wb_int(self._wb_rt.call(0, "bound", (_wb_int(srcSize, "argument 1 of bound", -2147483648, 2147483647),)), "dstCapacity", 0, 2147483647)
        _wb_o1 = ((_wb_n0 + 7) & -8)
        _wb_o2 = _wb_o1 + ((srcSize + 7) & -8)
        _wb_block = _wb_o2 + ((dstCapacity + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(5, "pack", _wb_block, ((_wb_o1, src),), (0, _wb_o1, _wb_o2, srcSize, dstCapacity), (0, 1, 2), ((_wb_o2, dstCapacity),))
        _wb_filled = _wb_ret
        if _wb_filled <= 0:
            raise StatusError("pack", _wb_filled)
        if _wb_filled > dstCapacity:
            raise GuestError(f"pack: returned {_wb_filled} elements written, more than dst holds")
        return _wb_out[0][:_wb_filled]

    def pack_some(self, src: Buffer, targetDstSize: int) -> tuple[bytes, int]:
        """Calls the C function `pack_some`.

        C: `int32_t pack_some(const char *src, char *dst, int32_t *srcSizePtr, int32_t targetDstSize)`

        Raises StatusError when the C function returns zero or a negative value.
        """
        if type(src) is not bytes:
            src = _wb_bytes(src, "src")
        if type(targetDstSize) is not int or not 0 <= targetDstSize <= 2147483647:
            targetDstSize = _wb_int(targetDstSize, "targetDstSize", 0, 2147483647)
        srcSizePtr = len(src)
        if srcSizePtr > 2147483647:
            srcSizePtr = _wb_int(srcSizePtr, "srcSizePtr", -2147483648, 2147483647)
        _wb_o1 = 8 + ((srcSizePtr + 7) & -8)
        _wb_block = _wb_o1 + ((targetDstSize + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(6, "pack_some", _wb_block, ((8, src), (0, srcSizePtr.to_bytes(4, "little", signed=True))), (8, _wb_o1, 0, targetDstSize), (0, 1, 2), ((_wb_o1, targetDstSize), (0, 4)))
        _wb_filled = _wb_ret
        if _wb_filled <= 0:
            raise StatusError("pack_some", _wb_filled)
        if _wb_filled > targetDstSize:
            raise GuestError(f"pack_some: returned {_wb_filled} elements written, more than dst holds")
        return (_wb_out[0][:_wb_filled], int.from_bytes(_wb_out[1], "little", signed=True))

    def unpack(self, src: Buffer, dstCapacity: int) -> bytes:
        """Calls the C function `unpack`.

        C: `int32_t unpack(const char *src, char *dst, int32_t compressedSize, int32_t dstCapacity)`

        Raises StatusError when the C function returns a negative value.
        """
        if type(src) is not bytes:
            src = _wb_bytes(src, "src")
        if type(dstCapacity) is not int or not 0 <= dstCapacity <= 2147483647:
            dstCapacity = _wb_int(dstCapacity, "dstCapacity", 0, 2147483647)
        compressedSize = len(src)
        if compressedSize > 2147483647:
            compressedSize = _wb_int(compressedSize, "compressedSize", -2147483648, 2147483647)
        _wb_o1 = ((compressedSize + 7) & -8)
        _wb_block = _wb_o1 + ((dstCapacity + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(7, "unpack", _wb_block, ((0, src),), (0, _wb_o1, compressedSize, dstCapacity), (0, 1), ((_wb_o1, dstCapacity),))
        _wb_filled = _wb_ret
        if _wb_filled < 0:
            raise StatusError("unpack", _wb_filled)
        if _wb_filled > dstCapacity:
            raise GuestError(f"unpack: returned {_wb_filled} elements written, more than dst holds")
        return _wb_out[0][:_wb_filled]

    def checked_len(self, data: Buffer) -> int:
        """Calls the C function `checked_len`.

        C: `int32_t checked_len(const uint8_t *data, size_t data_size)`

        Raises StatusError when the C function returns a negative value.
        """
        if type(data) is not bytes:
            data = _wb_bytes(data, "data")
        data_size = len(data)
        if data_size > 0xffffffff:
            data_size = _wb_int(data_size, "data_size", 0, 0xffffffff)
        _wb_block = ((data_size + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(8, "checked_len", _wb_block, ((0, data),), (0, data_size), (0,), ())
        _wb_value = _wb_ret
        if _wb_value < 0:
            raise StatusError("checked_len", _wb_value)
        return _wb_value

    def nonzero(self, data: Buffer) -> int:
        """Calls the C function `nonzero`.

        C: `int32_t nonzero(const uint8_t *data, size_t data_size)`

        Raises StatusError when the C function returns zero or a negative value.
        """
        if type(data) is not bytes:
            data = _wb_bytes(data, "data")
        data_size = len(data)
        if data_size > 0xffffffff:
            data_size = _wb_int(data_size, "data_size", 0, 0xffffffff)
        _wb_block = ((data_size + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(9, "nonzero", _wb_block, ((0, data),), (0, data_size), (0,), ())
        _wb_value = _wb_ret
        if _wb_value <= 0:
            raise StatusError("nonzero", _wb_value)
        return _wb_value


class HashCtx:
    """The C struct `hash_ctx` (68 bytes), living in the memory of one `ConfigExprs` instance: pass it to the
    methods that take a `hash_ctx *`. `close()`, leaving a `with` block, or garbage collection wipes
    and frees it. A trap in its instance invalidates it (using it then raises ValueError).
    """

    __slots__ = ("__weakref__", "_wb_free", "_wb_gen", "_wb_held", "_wb_owner", "_wb_ptr", "_wb_rt")

    def __init__(self, owner: ConfigExprs) -> None:
        if not isinstance(owner, ConfigExprs):
            raise TypeError(f"owner: expected ConfigExprs, got {type(owner).__name__}")
        self._wb_owner = owner
        self._wb_rt = owner._wb_rt
        self._wb_held: Optional[List[Any]] = None  # guest buffers the library points into (`kept`)
        with self._wb_rt.lock:
            self._wb_ptr = self._wb_rt.persist_alloc(68)
            self._wb_gen = self._wb_rt.generation
        self._wb_free = weakref.finalize(self, self._wb_rt.persist_free, self._wb_ptr, 68, self._wb_gen)
        self._wb_free.atexit = False

    @property
    def closed(self) -> bool:
        """True once close() ran (or the object was finalized)."""
        return not self._wb_free.alive

    def close(self) -> None:
        """Wipes and frees the guest memory; later calls do nothing."""
        self._wb_free()
        self._wb_held = None

    def __enter__(self) -> HashCtx:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def init(self, hash_size: int) -> None:
        """Same as `ConfigExprs.hash_init(ctx, ...)` on the object that made this handle."""
        return self._wb_owner.hash_init(self, hash_size)

    def final(self) -> bytes:
        """Same as `ConfigExprs.hash_final(ctx, ...)` on the object that made this handle."""
        return self._wb_owner.hash_final(self)
