# Bindings for ShapeCallbacks
# ----------------------------------------------------------------------------------------------

__all__ = [
    "ShapeCallbacks",
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


_WB_DEFAULT_WASM = os.path.join(os.path.dirname(os.path.abspath(__file__)), "shape_callbacks.wasm")
_WB_FUNCTIONS = (
    "sort_i32",
    "run_steps",
    "map_sum",
    "descend",
    "chunks",
    "fill_and_sum",
    "sum_scaled",
    "stash",
    "fire_stashed",
    "spin",
    "add",
)
_WB_SIGNATURES = (
    "i32,i32,i32->",
    "i32,i32,i32->i32",
    "i32,i32,i32->i64",
    "i32,i32->i32",
    "i32,i32,i32,i32->i32",
    "i32,i32->i64",
    "i32,i32->i64",
    "i32->",
    "i32->i32",
    "i32->",
    "i32,i32->i32",
)


class ShapeCallbacks:
    """The `shape_callbacks.h` guest: one wasm instance; one method per bound C function."""

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

    def sort_i32(self, values: IntArray, cmp: Callable[[int, int], int]) -> list[int]:
        """Sorts `values` in place (insertion sort), ordering with `cmp` (negative: a before b).

        C: `void sort_i32(int32_t *values, size_t count, int (*cmp)(const int32_t *, const int32_t *))`

        `values` is read and changed: the result is returned, and also written into the argument when it is writable (array.array, bytearray, writable memoryview; not a list).
        """
        _wb_arg0 = values
        values = _wb_elems(values, "values", "i", None, True)
        if not callable(cmp):
            raise TypeError(f"cmp: expected a callable, got {type(cmp).__name__}")
        count = len(values) // 4
        if count > 0xffffffff:
            count = _wb_int(count, "count", 0, 0xffffffff)
        _wb_block = ((count * 4 + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke_cb(((2, (0, 2), "i32,i32->i32", (("value", "i", 4), ("value", "i", 4)), ("int", 32, True), cmp, "callback `cmp`"),), 0, "sort_i32", _wb_block, ((0, values),), (0, count, 0), (0,), ((0, count * 4),))
        _wb_write_back(_wb_arg0, _wb_out[0], "i")
        return _wb_unpack("i", _wb_out[0])

    def run_steps(self, steps: int, progress: Callable[[int], None]) -> int:
        """Calls `progress(user, i)` for i = 1..steps; returns steps.

        C: `int32_t run_steps(int32_t steps, progress_fn progress, void *user)`
        """
        if type(steps) is not int or not -2147483648 <= steps <= 2147483647:
            steps = _wb_int(steps, "steps", -2147483648, 2147483647)
        if not callable(progress):
            raise TypeError(f"progress: expected a callable, got {type(progress).__name__}")
        _wb_ret, _wb_out = self._wb_rt.invoke_cb(((1, (1, 1), "i32,i32->", (("user",), ("int", 32, True)), None, progress, "callback `progress`"),), 1, "run_steps", 0, (), (steps, 0, 0), (), ())
        return _wb_ret

    def map_sum(self, xs: IntArray, f: Callable[[int], int]) -> int:
        """Returns the sum of `f(x)` over `xs` (64-bit results).

        C: `int64_t map_sum(const int32_t *xs, size_t n, int64_t (*f)(int32_t))`
        """
        xs = _wb_elems(xs, "xs", "i", None)
        if not callable(f):
            raise TypeError(f"f: expected a callable, got {type(f).__name__}")
        n = len(xs) // 4
        if n > 0xffffffff:
            n = _wb_int(n, "n", 0, 0xffffffff)
        _wb_block = ((n * 4 + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke_cb(((2, (2, 2), "i32->i64", (("int", 32, True),), ("int", 64, True), f, "callback `f`"),), 2, "map_sum", _wb_block, ((0, xs),), (0, n, 0), (0,), ())
        return _wb_ret

    def descend(self, depth: int, visit: Callable[[int], int]) -> int:
        """Calls `visit(d)` for d = depth..0, recursing in the guest between calls; returns their sum.

        C: `int32_t descend(int32_t depth, int32_t (*visit)(int32_t))`
        """
        if type(depth) is not int or not -2147483648 <= depth <= 2147483647:
            depth = _wb_int(depth, "depth", -2147483648, 2147483647)
        if not callable(visit):
            raise TypeError(f"visit: expected a callable, got {type(visit).__name__}")
        _wb_ret, _wb_out = self._wb_rt.invoke_cb(((1, (3, 1), "i32->i32", (("int", 32, True),), ("int", 32, True), visit, "callback `visit`"),), 3, "descend", 0, (), (depth, 0), (), ())
        return _wb_ret

    def chunks(self, data: Buffer, chunk: int, each: Callable[[bytes], int]) -> int:
        """Calls `each(part, len)` on consecutive parts of `data` of `chunk` bytes (the last may be
        shorter) and returns the sum of what it returned.

        C: `uint32_t chunks(const uint8_t *data, size_t size, uint32_t chunk, uint32_t (*each)(const uint8_t *, size_t))`
        """
        if type(data) is not bytes:
            data = _wb_bytes(data, "data")
        if type(chunk) is not int or not 0 <= chunk <= 0xffffffff:
            chunk = _wb_int(chunk, "chunk", 0, 0xffffffff)
        if not callable(each):
            raise TypeError(f"each: expected a callable, got {type(each).__name__}")
        size = len(data)
        if size > 0xffffffff:
            size = _wb_int(size, "size", 0, 0xffffffff)
        _wb_block = ((size + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke_cb(((3, (4, 3), "i32,i32->i32", (("in", "B", 1, 1), ("len",)), ("int", 32, False), each, "callback `each`"),), 4, "chunks", _wb_block, ((0, data),), (0, size, chunk, 0), (0,), ())
        return _wb_ret & 0xffffffff

    def fill_and_sum(self, count: int, fill: Callable[[array.array[int] | None], None]) -> int:
        """Asks `fill(count, out)` to fill `count` int32 values (count <= 64) and returns their sum.

        C: `int64_t fill_and_sum(uint32_t count, void (*fill)(uint32_t, int32_t *))`
        """
        if type(count) is not int or not 0 <= count <= 0xffffffff:
            count = _wb_int(count, "count", 0, 0xffffffff)
        if not callable(fill):
            raise TypeError(f"fill: expected a callable, got {type(fill).__name__}")
        _wb_ret, _wb_out = self._wb_rt.invoke_cb(((1, (5, 1), "i32,i32->", (("len",), ("out", "i", 4, 0)), None, fill, "callback `fill`"),), 5, "fill_and_sum", 0, (), (count, 0), (), ())
        return _wb_ret

    def sum_scaled(self, n: int, f: Callable[[int], float]) -> int:
        """Returns the sum of `f(i)` for i in 0..n, each scaled by 1000 and truncated.

        C: `int64_t sum_scaled(uint32_t n, double (*f)(uint32_t))`
        """
        if type(n) is not int or not 0 <= n <= 0xffffffff:
            n = _wb_int(n, "n", 0, 0xffffffff)
        if not callable(f):
            raise TypeError(f"f: expected a callable, got {type(f).__name__}")
        _wb_ret, _wb_out = self._wb_rt.invoke_cb(((1, (6, 1), "i32->f64", (("int", 32, False),), ("float",), f, "callback `f`"),), 6, "sum_scaled", 0, (), (n, 0), (), ())
        return _wb_ret

    def stash(self, cb: Callable[[int], None]) -> None:
        """Keeps `cb` in a static variable (a guest that stashes a callback beyond the call).

        C: `void stash(void (*cb)(int32_t))`
        """
        if not callable(cb):
            raise TypeError(f"cb: expected a callable, got {type(cb).__name__}")
        _wb_ret, _wb_out = self._wb_rt.invoke_cb(((0, (7, 0), "i32->", (("int", 32, True),), None, cb, "callback `cb`"),), 7, "stash", 0, (), (0,), (), ())

    def fire_stashed(self, value: int) -> int:
        """Calls the stashed callback, if any, with `value`; returns 1 when it called one.

        C: `int32_t fire_stashed(int32_t value)`
        """
        if type(value) is not int or not -2147483648 <= value <= 2147483647:
            value = _wb_int(value, "value", -2147483648, 2147483647)
        _wb_ret = self._wb_rt.invoke0(8, "fire_stashed", (value,))
        return _wb_ret

    def spin(self, tick: Callable[[], None]) -> None:
        """Calls `tick()` forever.

        C: `void spin(void (*tick)(void))`
        """
        if not callable(tick):
            raise TypeError(f"tick: expected a callable, got {type(tick).__name__}")
        _wb_ret, _wb_out = self._wb_rt.invoke_cb(((0, (9, 0), "->", (), None, tick, "callback `tick`"),), 9, "spin", 0, (), (0,), (), ())

    def add(self, a: int, b: int) -> int:
        """A plain function, for re-entrancy checks.

        C: `int32_t add(int32_t a, int32_t b)`
        """
        if type(a) is not int or not -2147483648 <= a <= 2147483647:
            a = _wb_int(a, "a", -2147483648, 2147483647)
        if type(b) is not int or not -2147483648 <= b <= 2147483647:
            b = _wb_int(b, "b", -2147483648, 2147483647)
        _wb_ret = self._wb_rt.invoke0(10, "add", (a, b))
        return _wb_ret
