# Bindings for ShapeFloats
# ----------------------------------------------------------------------------------------------

__all__ = [
    "ShapeFloats",
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
    "FlPoint",
    "FlWrap",
    "FL_DIM",
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

#: The length of a 3-vector: written as an array length below, so Rust types it `usize`.
FL_DIM = 3

# The struct dataclasses are made on first use (`module.Name`, `from module import Name`, or a method that takes or
# returns one): importing `dataclasses` and building them would cost ~10 ms of every import (see _WbStructs).
_wb_structs = _WbStructs(globals())
if TYPE_CHECKING:
    from dataclasses import dataclass as _wb_dataclass
else:
    _wb_dataclass = _wb_structs.dataclass


@_wb_dataclass(frozen=True)
class FlPoint:
    """The C struct `fl_point`, passed by value."""

    x: float
    y: float
    weight: float


@_wb_dataclass(frozen=True)
class FlWrap:
    """The C struct `fl_wrap`, passed by value."""

    value: float


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


_WB_DEFAULT_WASM = os.path.join(os.path.dirname(os.path.abspath(__file__)), "shape_floats.wasm")
_WB_FUNCTIONS = (
    "fl_add",
    "fl_addf",
    "fl_identity",
    "fl_identityf",
    "fl_bits",
    "fl_bitsf",
    "fl_from_bits",
    "fl_from_bitsf",
    "fl_mix",
    "fl_sum",
    "fl_sumf",
    "fl_scale",
    "fl_cross",
    "fl_stats",
    "fl_halve",
    "fl_fill",
    "fl_copy",
    "fl_point_dot",
    "fl_wrap_twice",
)
_WB_SIGNATURES = (
    "f64,f64->f64",
    "f32,f32->f32",
    "f64->f64",
    "f32->f32",
    "f64->i64",
    "f32->i32",
    "i64->f64",
    "i32->f32",
    "i32,f64,f32,i64->f64",
    "i32,i32->f64",
    "i32,i32->f32",
    "i32,i32,f64->",
    "i32,i32,i32->",
    "i32,i32,i32,i32->i32",
    "f64,i32->",
    "i32,i32,f32->",
    "i32,i32,i32,i32->",
    "i32,i32->f64",
    "f64->f64",
)


class ShapeFloats:
    """The `shape_floats.h` guest: one wasm instance; one method per bound C function."""

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

    def fl_add(self, a: float, b: float) -> float:
        """Calls the C function `fl_add`.

        C: `double fl_add(double a, double b)`
        """
        if type(a) is not float:
            a = _wb_float(a, "a", "d")
        if type(b) is not float:
            b = _wb_float(b, "b", "d")
        _wb_ret = self._wb_rt.invoke0(0, "fl_add", (a, b))
        return _wb_ret

    def fl_addf(self, a: float, b: float) -> float:
        """Calls the C function `fl_addf`.

        C: `float fl_addf(float a, float b)`
        """
        if type(a) is not float or not -3.4028235677973366e+38 < a < 3.4028235677973366e+38:
            a = _wb_float(a, "a", "f")
        if type(b) is not float or not -3.4028235677973366e+38 < b < 3.4028235677973366e+38:
            b = _wb_float(b, "b", "f")
        _wb_ret = self._wb_rt.invoke0(1, "fl_addf", (a, b))
        return _wb_ret

    def fl_identity(self, x: float) -> float:
        """Calls the C function `fl_identity`.

        C: `double fl_identity(double x)`
        """
        if type(x) is not float:
            x = _wb_float(x, "x", "d")
        _wb_ret = self._wb_rt.invoke0(2, "fl_identity", (x,))
        return _wb_ret

    def fl_identityf(self, x: float) -> float:
        """Calls the C function `fl_identityf`.

        C: `float fl_identityf(float x)`
        """
        if type(x) is not float or not -3.4028235677973366e+38 < x < 3.4028235677973366e+38:
            x = _wb_float(x, "x", "f")
        _wb_ret = self._wb_rt.invoke0(3, "fl_identityf", (x,))
        return _wb_ret

    def fl_bits(self, x: float) -> int:
        """Calls the C function `fl_bits`.

        C: `uint64_t fl_bits(double x)`
        """
        if type(x) is not float:
            x = _wb_float(x, "x", "d")
        _wb_ret = self._wb_rt.invoke0(4, "fl_bits", (x,))
        return _wb_ret & 0xffffffffffffffff

    def fl_bitsf(self, x: float) -> int:
        """Calls the C function `fl_bitsf`.

        C: `uint32_t fl_bitsf(float x)`
        """
        if type(x) is not float or not -3.4028235677973366e+38 < x < 3.4028235677973366e+38:
            x = _wb_float(x, "x", "f")
        _wb_ret = self._wb_rt.invoke0(5, "fl_bitsf", (x,))
        return _wb_ret & 0xffffffff

    def fl_from_bits(self, bits: int) -> float:
        """Calls the C function `fl_from_bits`.

        C: `double fl_from_bits(uint64_t bits)`
        """
        if type(bits) is not int or not 0 <= bits <= 0xffffffffffffffff:
            bits = _wb_int(bits, "bits", 0, 0xffffffffffffffff)
        _wb_ret = self._wb_rt.invoke0(6, "fl_from_bits", (bits,))
        return _wb_ret

    def fl_from_bitsf(self, bits: int) -> float:
        """Calls the C function `fl_from_bitsf`.

        C: `float fl_from_bitsf(uint32_t bits)`
        """
        if type(bits) is not int or not 0 <= bits <= 0xffffffff:
            bits = _wb_int(bits, "bits", 0, 0xffffffff)
        _wb_ret = self._wb_rt.invoke0(7, "fl_from_bitsf", (bits,))
        return _wb_ret

    def fl_mix(self, i: int, d: float, f: float, j: int) -> float:
        """Calls the C function `fl_mix`.

        C: `double fl_mix(int32_t i, double d, float f, int64_t j)`
        """
        if type(i) is not int or not -2147483648 <= i <= 2147483647:
            i = _wb_int(i, "i", -2147483648, 2147483647)
        if type(d) is not float:
            d = _wb_float(d, "d", "d")
        if type(f) is not float or not -3.4028235677973366e+38 < f < 3.4028235677973366e+38:
            f = _wb_float(f, "f", "f")
        if type(j) is not int or not -9223372036854775808 <= j <= 9223372036854775807:
            j = _wb_int(j, "j", -9223372036854775808, 9223372036854775807)
        _wb_ret = self._wb_rt.invoke0(8, "fl_mix", (i, d, f, j))
        return _wb_ret

    def fl_sum(self, x: FloatArray) -> float:
        """Calls the C function `fl_sum`.

        C: `double fl_sum(const double *x, size_t n)`
        """
        x = _wb_elems(x, "x", "d", None)
        n = len(x) // 8
        if n > 0xffffffff:
            n = _wb_int(n, "n", 0, 0xffffffff)
        _wb_block = ((n * 8 + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(9, "fl_sum", _wb_block, ((0, x),), (0, n), (0,), ())
        return _wb_ret

    def fl_sumf(self, x: FloatArray) -> float:
        """Calls the C function `fl_sumf`.

        C: `float fl_sumf(const float *x, size_t n)`
        """
        x = _wb_elems(x, "x", "f", None)
        n = len(x) // 4
        if n > 0xffffffff:
            n = _wb_int(n, "n", 0, 0xffffffff)
        _wb_block = ((n * 4 + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(10, "fl_sumf", _wb_block, ((0, x),), (0, n), (0,), ())
        return _wb_ret

    def fl_scale(self, x: FloatArray, k: float) -> list[float]:
        """Calls the C function `fl_scale`.

        C: `void fl_scale(double *x, size_t n, double k)`

        `x` is read and changed: the result is returned, and also written into the argument when it is writable (array.array, bytearray, writable memoryview; not a list).
        """
        _wb_arg0 = x
        x = _wb_elems(x, "x", "d", None, True)
        if type(k) is not float:
            k = _wb_float(k, "k", "d")
        n = len(x) // 8
        if n > 0xffffffff:
            n = _wb_int(n, "n", 0, 0xffffffff)
        _wb_block = ((n * 8 + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(11, "fl_scale", _wb_block, ((0, x),), (0, n, k), (0,), ((0, n * 8),))
        _wb_write_back(_wb_arg0, _wb_out[0], "d")
        return _wb_unpack("d", _wb_out[0])

    def fl_cross(self, a: FloatArray, b: FloatArray) -> list[float]:
        """Calls the C function `fl_cross`.

        C: `void fl_cross(const double a[3], const double b[3], double out[3])`
        """
        a = _wb_elems(a, "a", "d", 3)
        b = _wb_elems(b, "b", "d", 3)
        _wb_ret, _wb_out = self._wb_rt.invoke(12, "fl_cross", 72, ((0, a), (24, b)), (0, 24, 48), (0, 1, 2), ((48, 24),))
        return _wb_unpack("d", _wb_out[0])

    def fl_stats(self, x: FloatArray) -> tuple[float, float, int]:
        """Calls the C function `fl_stats`.

        C: `int32_t fl_stats(const double *x, size_t n, double *mean, double *var)`
        """
        x = _wb_elems(x, "x", "d", None)
        n = len(x) // 8
        if n > 0xffffffff:
            n = _wb_int(n, "n", 0, 0xffffffff)
        _wb_block = 16 + ((n * 8 + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(13, "fl_stats", _wb_block, ((16, x),), (16, n, 0, 8), (0, 2, 3), ((0, 8), (8, 8)))
        return (float(_wb_unpack("d", _wb_out[0])[0]), float(_wb_unpack("d", _wb_out[1])[0]), _wb_ret)

    def fl_halve(self, x: float) -> float:
        """Calls the C function `fl_halve`.

        C: `void fl_halve(double x, double *half)`
        """
        if type(x) is not float:
            x = _wb_float(x, "x", "d")
        _wb_ret, _wb_out = self._wb_rt.invoke(14, "fl_halve", 8, (), (x, 0), (1,), ((0, 8),))
        return float(_wb_unpack("d", _wb_out[0])[0])

    def fl_fill(self, n: int, v: float) -> list[float]:
        """Calls the C function `fl_fill`.

        C: `void fl_fill(float *out, size_t n, float v)`
        """
        if type(n) is not int or not 0 <= n <= 0xffffffff:
            n = _wb_int(n, "n", 0, 0xffffffff)
        if type(v) is not float or not -3.4028235677973366e+38 < v < 3.4028235677973366e+38:
            v = _wb_float(v, "v", "f")
        _wb_block = ((n * 4 + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(15, "fl_fill", _wb_block, (), (0, n, v), (0,), ((0, n * 4),))
        return _wb_unpack("f", _wb_out[0])

    def fl_copy(self, src: FloatArray, dst_len: int) -> list[float]:
        """Calls the C function `fl_copy`.

        C: `void fl_copy(const float *src, size_t src_len, float *dst, size_t dst_len)`
        """
        src = _wb_elems(src, "src", "f", None)
        if type(dst_len) is not int or not 0 <= dst_len <= 0xffffffff:
            dst_len = _wb_int(dst_len, "dst_len", 0, 0xffffffff)
        src_len = len(src) // 4
        if src_len > 0xffffffff:
            src_len = _wb_int(src_len, "src_len", 0, 0xffffffff)
        _wb_o2 = ((src_len * 4 + 7) & -8)
        _wb_block = _wb_o2 + ((dst_len * 4 + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(16, "fl_copy", _wb_block, ((0, src),), (0, src_len, _wb_o2, dst_len), (0, 2), ((_wb_o2, dst_len * 4),))
        return _wb_unpack("f", _wb_out[0])

    def fl_point_dot(self, p: FlPoint, q: FlPoint) -> float:
        """Calls the C function `fl_point_dot`.

        C: `double fl_point_dot(fl_point p, fl_point q)`
        """
        if not _wb_structs.made:
            _wb_structs.make()
        if not isinstance(p, FlPoint):
            raise TypeError(f"p: expected FlPoint, got {type(p).__name__}")
        _wb_s0_0 = _wb_float(p.x, "p.x", "f")
        _wb_s0_1 = _wb_float(p.y, "p.y", "f")
        _wb_s0_2 = _wb_float(p.weight, "p.weight", "d")
        if not isinstance(q, FlPoint):
            raise TypeError(f"q: expected FlPoint, got {type(q).__name__}")
        _wb_s1_0 = _wb_float(q.x, "q.x", "f")
        _wb_s1_1 = _wb_float(q.y, "q.y", "f")
        _wb_s1_2 = _wb_float(q.weight, "q.weight", "d")
        _wb_img0 = _wb_pack(16, ((0, 4, "f", _wb_s0_0), (4, 4, "f", _wb_s0_1), (8, 8, "d", _wb_s0_2)))
        _wb_img1 = _wb_pack(16, ((0, 4, "f", _wb_s1_0), (4, 4, "f", _wb_s1_1), (8, 8, "d", _wb_s1_2)))
        _wb_ret, _wb_out = self._wb_rt.invoke(17, "fl_point_dot", 32, ((0, _wb_img0), (16, _wb_img1)), (0, 16), (0, 1), ())
        return _wb_ret

    def fl_wrap_twice(self, w: FlWrap) -> float:
        """Calls the C function `fl_wrap_twice`.

        C: `double fl_wrap_twice(fl_wrap w)`
        """
        if not _wb_structs.made:
            _wb_structs.make()
        if not isinstance(w, FlWrap):
            raise TypeError(f"w: expected FlWrap, got {type(w).__name__}")
        _wb_s0_0 = _wb_float(w.value, "w.value", "d")
        _wb_ret = self._wb_rt.invoke0(18, "fl_wrap_twice", (_wb_s0_0,))
        return _wb_ret
