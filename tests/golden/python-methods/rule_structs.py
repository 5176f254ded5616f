# Bindings for RuleStructs
# ----------------------------------------------------------------------------------------------

__all__ = [
    "RuleStructs",
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
    "ParamsT",
    "InputsT",
    "PairT",
    "LevelT",
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
class ParamsT:
    """The C struct `params_t`, passed by value."""

    algorithm: int
    nb_blocks: int


@_wb_dataclass(frozen=True)
class InputsT:
    """The C struct `inputs_t`, passed by value.

    `pass_size`, `saltLen` are derived from the slices' lengths.
    """

    pass_: Buffer
    salt: Buffer


@_wb_dataclass(frozen=True)
class PairT:
    """The C struct `pair_t`, passed by value.

    `n` are derived from the slices' lengths.
    """

    words: IntArray
    tag: Buffer


@_wb_dataclass(frozen=True)
class LevelT:
    """The C struct `level_t`, passed by value."""

    level: int


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


_WB_DEFAULT_WASM = os.path.join(os.path.dirname(os.path.abspath(__file__)), "rule_structs.wasm")
_WB_FUNCTIONS = (
    "derive",
    "check_pair",
    "set_level",
)
_WB_SIGNATURES = (
    "i32,i32,i32,i32->",
    "i32->i32",
    "i32->i32",
)


class RuleStructs:
    """The `rule_structs.h` guest: one wasm instance; one method per bound C function."""

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

    @property
    def no_inputs(self) -> InputsT:
        """The C global `no_inputs` (`inputs_t`), read-only.

        Each access reads a copy of its current value from guest memory. GuestError if the guest's
        exported address (or a slice in it) lies outside its memory.
        """
        if not _wb_structs.made:
            _wb_structs.make()
        with self._wb_rt.lock:
            _wb_a = self._wb_rt.global_address("no_inputs")
            _wb_raw = self._wb_rt.read(_wb_a, 16)
            _wb_f2 = int.from_bytes(_wb_raw[8:12], "little")
            _wb_f3 = int.from_bytes(_wb_raw[12:16], "little")
            _wb_f0 = self._wb_rt.read(int.from_bytes(_wb_raw[0:4], "little"), _wb_f2)
            _wb_f1 = self._wb_rt.read(int.from_bytes(_wb_raw[4:8], "little"), _wb_f3)
        return InputsT(pass_=_wb_f0, salt=_wb_f1)

    @property
    def default_level(self) -> int:
        """The C global `default_level` (integer), read-only.

        Each access reads a copy of its current value from guest memory. GuestError if the guest's
        exported address (or a slice in it) lies outside its memory.
        """
        with self._wb_rt.lock:
            _wb_a = self._wb_rt.global_address("default_level")
            _wb_raw = self._wb_rt.read(_wb_a, 4)
        return int.from_bytes(_wb_raw[0:4], "little")

    def derive(self, hash_size: int, params: ParamsT, inputs: InputsT) -> bytes:
        """Calls the C function `derive`.

        C: `void derive(uint8_t *hash, uint32_t hash_size, params_t params, inputs_t inputs)`
        """
        if not _wb_structs.made:
            _wb_structs.make()
        if type(hash_size) is not int or not 0 <= hash_size <= 0xffffffff:
            hash_size = _wb_int(hash_size, "hash_size", 0, 0xffffffff)
        if not isinstance(params, ParamsT):
            raise TypeError(f"params: expected ParamsT, got {type(params).__name__}")
        _wb_s2_0 = _wb_int(params.algorithm, "params.algorithm", 0, 0xffffffff)
        _wb_s2_1 = _wb_int(params.nb_blocks, "params.nb_blocks", 0, 0xffffffff)
        if not isinstance(inputs, InputsT):
            raise TypeError(f"inputs: expected InputsT, got {type(inputs).__name__}")
        _wb_s3_0 = _wb_bytes(inputs.pass_, "inputs.pass_")
        _wb_s3_1 = _wb_bytes(inputs.salt, "inputs.salt")
        _wb_s3_2 = _wb_int(len(_wb_s3_0), "inputs.pass_size", 0, 0xffffffff)
        _wb_s3_3 = _wb_int(len(_wb_s3_1), "inputs.saltLen", 0, 0xffffffff)
        _wb_img2 = _wb_pack(8, ((0, 4, False, _wb_s2_0), (4, 4, False, _wb_s2_1)))
        _wb_img3 = _wb_pack(16, ((0, 4, False, 0), (4, 4, False, 0), (8, 4, False, _wb_s3_2), (12, 4, False, _wb_s3_3)))
        _wb_so0 = 24 + ((hash_size + 7) & -8)
        _wb_so1 = _wb_so0 + ((len(_wb_s3_0) + 7) & -8)
        _wb_block = _wb_so1 + ((len(_wb_s3_1) + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(0, "derive", _wb_block, ((_wb_so0, _wb_s3_0), (_wb_so1, _wb_s3_1), (0, _wb_img2), (8, _wb_img3)), (24, hash_size, 0, 8), (0, 2, 3), ((24, hash_size),), ((8, _wb_so0), (12, _wb_so1)))
        return _wb_out[0]

    def check_pair(self, pair: PairT) -> int:
        """Calls the C function `check_pair`.

        C: `int32_t check_pair(pair_t pair)`
        """
        if not _wb_structs.made:
            _wb_structs.make()
        if not isinstance(pair, PairT):
            raise TypeError(f"pair: expected PairT, got {type(pair).__name__}")
        _wb_s0_0 = _wb_elems(pair.words, "pair.words", "H", None)
        _wb_s0_1 = _wb_bytes(pair.tag, "pair.tag")
        _wb_s0_2 = _wb_int(len(_wb_s0_0) // 2, "pair.n", 0, 0xffffffff)
        if len(_wb_s0_1) != _wb_s0_2:
            raise ValueError("pair.tag: must have as many elements as pair.words")
        _wb_img0 = _wb_pack(12, ((0, 4, False, 0), (4, 4, False, 0), (8, 4, False, _wb_s0_2)))
        _wb_so1 = 16 + ((len(_wb_s0_0) + 7) & -8)
        _wb_block = _wb_so1 + ((len(_wb_s0_1) + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(1, "check_pair", _wb_block, ((16, _wb_s0_0), (_wb_so1, _wb_s0_1), (0, _wb_img0)), (0,), (0,), (), ((0, 16), (4, _wb_so1)))
        return _wb_ret

    def set_level(self, level: LevelT) -> int:
        """Calls the C function `set_level`.

        C: `int32_t set_level(level_t level)`
        """
        if not _wb_structs.made:
            _wb_structs.make()
        if not isinstance(level, LevelT):
            raise TypeError(f"level: expected LevelT, got {type(level).__name__}")
        _wb_s0_0 = _wb_int(level.level, "level.level", -2147483648, 2147483647)
        _wb_ret = self._wb_rt.invoke0(2, "set_level", (_wb_s0_0,))
        return _wb_ret
