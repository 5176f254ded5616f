"""wasm-bind Python runtime: loads a wasm32 guest and runs binding calls; included verbatim by every generated module.

Public surface used by generated code (private `_wb_`/`_Wb` names so user names never collide):

* exceptions `Error` > `StatusError`, `TrapError`, `GuestError`, `LoadError` (re-exported by generated modules);
* `_wb_bytes` / `_wb_int`: argument checks with messages that name the parameter;
* `_WbInstance`: one guest instance (own wasmtime Store) plus `invoke`, the one-call-per-binding primitive.

Compilation happens once per process (one shared Engine, modules cached by the sha256 of the wasm bytes)
and once per machine (the compiled module is serialized to a private cache directory, see `_wb_cache_dir`).

Two call paths, chosen at construction:

* fast: calls the C API of the libwasmtime that wasmtime-py bundles (`wasmtime._ffi.dll`) through our own
  ctypes prototypes (`_WbCApi`): `wasmtime_func_call_unchecked` with a prepared `wasmtime_val_raw_t` array,
  `memmove` into / `PyBytes_FromStringAndSize` out of `wasmtime_memory_data` + offset (each byte copied once),
  argument blocks up to `_WB_SCRATCH` bytes in one persistent scratch block (no bump_alloc call per call).
  Used only when wasmtime-py's version is inside `_WB_WASMTIME_FAST_VERSIONS` and every symbol we use exists.
* public: wasmtime-py's public API (`Func.__call__`, `Memory.read/write`, one bump_alloc per call); the
  fallback, forced by `WASM_BIND_NO_FAST=1` or `_WbInstance(..., fast=False)`.

Memory-safety rules followed by both paths: every guest pointer is masked to u32 and bounds-checked against the
memory size read after the pointer was obtained (wasm memories never shrink, so a checked range stays valid);
no negative offset ever reaches wasmtime-py (its Memory.read/write count negative offsets from the end); checks
raise exceptions, never `assert` (python -O strips asserts). Host addresses: the shared engine reserves 4 GiB
per memory and never moves memories (`_wb_new_engine`), so the fast path reads a memory's host address once per
instance; where that setting is unavailable it re-reads the address after every guest call (growth may move
memory). No memoryview of guest memory is kept across a guest call.

Wiping: after every call, on success, error and trap alike, the host zeroes the argument block itself and then
calls the guest's reset (which wipes the guest's own arena allocations); after a trap all of linear memory is
zeroed before the instance is replaced. Secrets the guest copies elsewhere (e.g. into unwiped C stack frames)
are the guest library's business.
"""

import ctypes
import hashlib
import os
import struct
import sys
import threading
import warnings
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import wasmtime

_WbBuffer = Union[bytes, bytearray, memoryview]
_WbPath = Union[str, "os.PathLike[str]"]

# wasmtime-py versions whose private C-API surface (`_ffi.dll`, `_bindings` struct layouts, `Store._context`,
# `Func._func`, `Memory._memory`, `Trap._from_ptr`, `WasmtimeError._from_ptr`) the fast path was written against:
# [low, high). Outside it the runtime warns once and uses the public API.
_WB_WASMTIME_FAST_VERSIONS = ((50, 0), (51, 0))
_WB_U32 = 0xFFFFFFFF
_WB_U64 = 0xFFFFFFFFFFFFFFFF
_WB_CACHE_MAGIC = b"wasm-bind cwasm\x01"
_WB_VALTYPES = ("i32", "i64", "f32", "f64")
# Guest calls whose argument block is at least this large release the GIL while they run.
_WB_GIL_BLOCK = 16 * 1024
# Fast path: argument blocks up to this size live in one persistent scratch block per instance (allocated once
# with wb_persist_alloc, wiped by the host after every call) instead of a bump_alloc call per binding call.
_WB_SCRATCH = 16 * 1024


class Error(Exception):
    """Base class of every error raised by a wasm-bind generated module."""


class StatusError(Error):
    """A C function reported failure through its status return value."""

    def __init__(self, function: str, status: int) -> None:
        super().__init__(f"{function} failed with status {status}")
        self.function = function
        self.status = status


class TrapError(Error):
    """The guest trapped (or wasmtime failed the call). The object stays usable: it was re-instantiated.

    `details` holds wasmtime's full report (with the wasm backtrace); the message keeps only the cause.
    """

    def __init__(self, function: str, message: str) -> None:
        cause = message.rsplit("Caused by:", 1)[-1].strip() or message
        cause = cause.splitlines()[-1].strip() if cause.splitlines() else cause
        number, sep, rest = cause.partition(": ")
        if sep and number.isdigit():
            cause = rest
        if cause.startswith("wasm trap: "):
            cause = cause[len("wasm trap: "):]
        super().__init__(f"{function} trapped: {cause}")
        self.function = function
        self.details = message


class GuestError(Error):
    """The guest broke the ABI: its allocator returned 0, or a pointer/length falls outside its memory."""


class LoadError(Error):
    """The wasm could not be loaded: unreadable/invalid module, missing export, or an export of the wrong type."""


def _wb_bytes(value: object, name: str, size: Optional[int] = None) -> _WbBuffer:
    """Checks a bytes-like argument; returns it (or a flat 'B' view of it) without copying."""
    cls = type(value)
    if cls is bytes or cls is bytearray:
        n = len(value)  # type: ignore[arg-type]
    elif cls is memoryview or isinstance(value, memoryview):
        view: memoryview = value  # type: ignore[assignment]
        if not view.c_contiguous:
            raise ValueError(f"{name}: memoryview must be C-contiguous")
        if view.format != "B" or view.ndim != 1:
            view = view.cast("B")
        value = view
        n = view.nbytes
    elif isinstance(value, (bytes, bytearray)):
        n = len(value)
    else:
        raise TypeError(f"{name}: expected bytes, bytearray or memoryview, got {type(value).__name__}")
    if size is not None and n != size:
        raise ValueError(f"{name}: expected {size} bytes, got {n}")
    return value  # type: ignore[return-value]


_WB_CTYPE_NAMES = {
    (0, 0xFF): "uint8_t", (-0x80, 0x7F): "int8_t", (0, 0xFFFF): "uint16_t", (-0x8000, 0x7FFF): "int16_t",
    (0, _WB_U32): "uint32_t", (-0x80000000, 0x7FFFFFFF): "int32_t", (0, _WB_U64): "uint64_t",
    (-0x8000000000000000, 0x7FFFFFFFFFFFFFFF): "int64_t",
}


def _wb_int(value: object, name: str, lo: int, hi: int, ctype: Optional[str] = None) -> int:
    """Checks an integer argument (bool rejected) against the C type's range [lo, hi]."""
    if type(value) is not int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{name}: expected int, got {type(value).__name__}")
        value = int(value)
    if value < lo or value > hi:
        cname = ctype or _WB_CTYPE_NAMES.get((lo, hi), "the C parameter type")
        raise OverflowError(f"{name}: {value} does not fit {cname} (range {lo}..{hi})")
    return value


# ---------------------------------------------------------------------------------------------------------------
# Engine, per-process module cache, per-machine serialized-module cache
# ---------------------------------------------------------------------------------------------------------------

_wb_engine: Optional[wasmtime.Engine] = None
_wb_modules: Dict[str, wasmtime.Module] = {}
_wb_modules_lock = threading.Lock()
_wb_stats = {"compiled": 0, "deserialized": 0, "cache_written": 0}  # observable by tests


_wb_version: Optional[str] = None


def _wb_wasmtime_version() -> str:
    """wasmtime-py's version: its dist-info beside the package (fast), else importlib.metadata, else 'unknown'."""
    global _wb_version
    if _wb_version is None:
        _wb_version = "unknown"
        try:
            site = os.path.dirname(os.path.dirname(os.path.abspath(wasmtime.__file__)))
            found = [n[len("wasmtime-"):-len(".dist-info")] for n in os.listdir(site)
                     if n.startswith("wasmtime-") and n.endswith(".dist-info")]
            if len(found) == 1:
                _wb_version = found[0]
            else:
                from importlib.metadata import version
                _wb_version = version("wasmtime")
        except Exception:  # noqa: BLE001 - metadata missing (vendored copy): treat as unknown
            pass
    return _wb_version


def _wb_cache_dir() -> Optional[str]:
    """Directory of serialized modules, or None when disabled (WASM_BIND_NO_CACHE=1)."""
    if os.environ.get("WASM_BIND_NO_CACHE", "") not in ("", "0"):
        return None
    explicit = os.environ.get("WASM_BIND_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "wasm-bind")


def _wb_private(st: os.stat_result) -> bool:
    # A serialized module is native code: trust only files nobody else can write.
    if (st.st_mode & 0o022) != 0:
        return False
    getuid = getattr(os, "getuid", None)
    return getuid is None or st.st_uid == getuid()


def _wb_cache_path(directory: str, digest: str) -> str:
    uname = getattr(os, "uname", None)
    machine = uname().machine if uname is not None else os.environ.get("PROCESSOR_ARCHITECTURE", "unknown")
    layout = "fixed" if _wb_fixed_memory else "movable"  # engine settings the compiled code depends on
    tag = f"{_wb_wasmtime_version()}-{sys.platform}-{machine}-{layout}".replace(os.sep, "_")
    return os.path.join(directory, f"{digest}-{tag}.cwasm")


def _wb_cache_load(engine: wasmtime.Engine, path: str, digest: bytes) -> Optional[wasmtime.Module]:
    """Serialized module from `path`, or None if absent/unsafe/corrupt/incompatible (any error -> compile)."""
    try:
        if not _wb_private(os.stat(os.path.dirname(path))):
            return None
        with open(path, "rb") as f:
            if not _wb_private(os.fstat(f.fileno())):
                return None
            blob = f.read()
        head = len(_WB_CACHE_MAGIC) + 32 + 32 + 8
        if len(blob) < head or not blob.startswith(_WB_CACHE_MAGIC):
            return None
        at = len(_WB_CACHE_MAGIC)
        wasm_digest, payload_digest = blob[at:at + 32], blob[at + 32:at + 64]
        (length,) = struct.unpack_from("<Q", blob, at + 64)
        payload = blob[head:]
        if wasm_digest != digest or length != len(payload) or hashlib.sha256(payload).digest() != payload_digest:
            return None
        module = wasmtime.Module.deserialize(engine, payload)
        _wb_stats["deserialized"] += 1
        return module
    except Exception:  # noqa: BLE001 - the cache is an optimisation only
        return None


def _wb_cache_store(module: wasmtime.Module, path: str, digest: bytes) -> None:
    """Writes the serialized module atomically (temp file + rename) into a 0700 directory; errors ignored."""
    import tempfile  # only when writing the cache (importing it costs ~3 ms)

    tmp = None
    try:
        directory = os.path.dirname(path)
        os.makedirs(directory, mode=0o700, exist_ok=True)
        if not _wb_private(os.stat(directory)):
            return
        payload = bytes(module.serialize())
        header = _WB_CACHE_MAGIC + digest + hashlib.sha256(payload).digest() + struct.pack("<Q", len(payload))
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".cwasm", dir=directory)
        with os.fdopen(fd, "wb") as f:
            f.write(header)
            f.write(payload)
        os.replace(tmp, path)
        tmp = None
        _wb_stats["cache_written"] += 1
    except Exception:  # noqa: BLE001 - the cache is an optimisation only
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


_wb_fixed_memory = False  # True once the shared engine is configured so that linear memories never move


def _wb_new_engine() -> wasmtime.Engine:
    """The shared engine: linear memories reserved up front (4 GiB, all a wasm32 memory can use) and never moved
    on growth, so a memory's host address is constant for the life of its instance (see _invoke_fast)."""
    global _wb_fixed_memory
    try:
        config = wasmtime.Config()
        config.memory_reservation = 1 << 32
        config.memory_may_move = False
        engine = wasmtime.Engine(config)
        _wb_fixed_memory = True
        return engine
    except Exception:  # noqa: BLE001 - older wasmtime-py without these settings: memories may move
        _wb_fixed_memory = False
        return wasmtime.Engine()


def _wb_module(wasm: bytes) -> wasmtime.Module:
    """The compiled module for these bytes: per-process cache, then disk cache, then compile (+ store)."""
    global _wb_engine
    raw = hashlib.sha256(wasm).digest()
    digest = raw.hex()
    with _wb_modules_lock:
        module = _wb_modules.get(digest)
        if module is not None:
            return module
        if _wb_engine is None:
            _wb_engine = _wb_new_engine()
        directory = _wb_cache_dir()
        path = _wb_cache_path(directory, digest) if directory else None
        module = _wb_cache_load(_wb_engine, path, raw) if path else None
        if module is None:
            try:
                module = wasmtime.Module(_wb_engine, wasm)
            except Exception as e:  # wasmtime raises WasmtimeError for invalid wasm
                raise LoadError(f"invalid wasm module: {e}") from e
            _wb_stats["compiled"] += 1
            if path:
                _wb_cache_store(module, path, raw)
        _wb_modules[digest] = module
        return module


# ---------------------------------------------------------------------------------------------------------------
# Fast path: our own ctypes prototypes over the libwasmtime bundled with wasmtime-py
# ---------------------------------------------------------------------------------------------------------------

class _WbCApi:
    """Prototypes for the few C functions the fast path calls; built once, None if unavailable.

    The prototypes declare no argument types and are always called with prepared ctypes objects
    (c_void_p / c_size_t / c_ssize_t / c_int, or bytes for a source buffer): that skips ctypes' per-argument
    conversion, which costs as much as the wasm call itself. Never pass a bare Python int to them
    (ctypes would pass it as a 32-bit C int).
    """

    def __init__(self) -> None:
        from wasmtime import _ffi as ffi  # private module: guarded by the version range + feature check
        vp, sz = ctypes.c_void_p, ctypes.c_size_t
        dll = ffi.dll

        def addr(fn: Any) -> int:
            value = ctypes.cast(fn, ctypes.c_void_p).value
            if not value:
                raise RuntimeError(f"null function pointer for {fn!r}")
            return value

        call = addr(dll.wasmtime_func_call_unchecked)
        # Short guest calls keep the GIL (PYFUNCTYPE: cheaper); calls on large blocks release it (CFUNCTYPE) so
        # other Python threads run meanwhile.
        self.call_gil = ctypes.PYFUNCTYPE(vp)(call)
        self.call_nogil = ctypes.CFUNCTYPE(vp)(call)
        self.memory_data = ctypes.PYFUNCTYPE(vp)(addr(dll.wasmtime_memory_data))
        self.memory_data_size = ctypes.PYFUNCTYPE(sz)(addr(dll.wasmtime_memory_data_size))
        self.memmove = ctypes.PYFUNCTYPE(None)(addr(ctypes.memmove))
        self.memset = ctypes.PYFUNCTYPE(None)(addr(ctypes.memset))
        self.bytes_at = ctypes.PYFUNCTYPE(ctypes.py_object)(addr(ctypes.pythonapi.PyBytes_FromStringAndSize))
        self.trap_ptr = ctypes.POINTER(ffi.wasm_trap_t)
        self.error_ptr = ctypes.POINTER(ffi.wasmtime_error_t)
        if ctypes.sizeof(ffi.wasmtime_val_raw_t) != 16 or ctypes.sizeof(ffi.wasmtime_func_t) != 16:
            raise RuntimeError("unexpected wasmtime C struct layout")
        if ctypes.sizeof(ctypes.c_void_p) != 8:
            raise RuntimeError("64-bit host required")
        for cls in (wasmtime.Trap, wasmtime.WasmtimeError):
            getattr(cls, "_from_ptr")
        for attr in ("_context",):
            getattr(wasmtime.Store, attr)

    def failure(self, err: Optional[int], trap: Optional[int]) -> str:
        """Message of a failed call (takes ownership of the error/trap objects)."""
        if trap:
            return wasmtime.Trap._from_ptr(ctypes.cast(trap, self.trap_ptr)).message
        return str(wasmtime.WasmtimeError._from_ptr(ctypes.cast(err or 0, self.error_ptr)))


_wb_capi: Optional[_WbCApi] = None
_wb_capi_checked = False
_wb_capi_reason = ""


def _wb_fast_api() -> Optional[_WbCApi]:
    """The fast-path C API, or None (with `_wb_capi_reason` saying why) when it must not be used."""
    global _wb_capi, _wb_capi_checked, _wb_capi_reason
    if _wb_capi_checked:
        return _wb_capi
    _wb_capi_checked = True
    version = _wb_wasmtime_version()
    try:
        parsed = tuple(int(p) for p in version.split(".")[:2])
    except ValueError:
        parsed = ()
    low, high = _WB_WASMTIME_FAST_VERSIONS
    if not parsed or not (low <= parsed < high):
        _wb_capi_reason = (f"wasmtime-py {version} is outside the range the wasm-bind fast path supports "
                           f"({'.'.join(map(str, low))} <= v < {'.'.join(map(str, high))}); "
                           "using the slower public API")
        warnings.warn(_wb_capi_reason, RuntimeWarning, stacklevel=3)
        return None
    try:
        _wb_capi = _WbCApi()
    except Exception as e:  # noqa: BLE001 - any missing symbol/attribute -> public API
        _wb_capi_reason = f"wasmtime-py C API unavailable ({e}); using the slower public API"
        warnings.warn(_wb_capi_reason, RuntimeWarning, stacklevel=3)
        _wb_capi = None
    return _wb_capi


# ---------------------------------------------------------------------------------------------------------------
# One guest instance
# ---------------------------------------------------------------------------------------------------------------

class _WbTrapped(Exception):
    """Internal: a guest call failed inside wasmtime (trap or error); carries the export and the message."""

    def __init__(self, export: str, message: str) -> None:
        super().__init__(message)
        self.export = export
        self.message = message


_WB_SLOT = {"i32": "i12x", "i64": "q8x", "f32": "f12x", "f64": "d8x"}
_WB_RESULT = {"i32": "<i", "i64": "<q", "f32": "<f", "f64": "<d"}


class _WbExport:
    """A resolved function export: its signature plus the prepared fast-path call buffers."""

    __slots__ = ("name", "func", "params", "results", "packer", "buf", "unpack", "slots", "addr_o", "buf_o",
                 "slots_o", "fast")

    def __init__(self, name: str, func: wasmtime.Func, params: Tuple[str, ...], results: Tuple[str, ...],
                 fast: bool) -> None:
        self.name, self.func, self.params, self.results = name, func, params, results
        self.packer = struct.Struct("<" + "".join(_WB_SLOT[p] for p in params))
        self.unpack = struct.Struct(_WB_RESULT[results[0]]).unpack_from if results else None
        self.slots = max(len(params), len(results), 1)
        # wasmtime_val_raw_t[slots]: arguments in, result out (16 bytes per slot)
        self.buf = (ctypes.c_uint8 * (16 * self.slots))()
        self.buf_o = ctypes.c_void_p(ctypes.addressof(self.buf))
        self.slots_o = ctypes.c_size_t(self.slots)
        self.addr_o = ctypes.c_void_p(ctypes.addressof(func._func) if fast else 0)
        # everything the fast invoke needs, in one tuple (one unpack instead of seven attribute loads)
        self.fast = (self.packer.pack_into, self.buf, self.addr_o, self.buf_o, self.slots_o, self.unpack)

    def normalize(self, args: Sequence[Any]) -> List[Any]:
        """Arguments as wasm values (u32/u64 wrapped to the signed encoding); OverflowError if out of range."""
        if len(args) != len(self.params):
            raise TypeError(f"{self.name}: expected {len(self.params)} wasm arguments, got {len(args)}")
        out: List[Any] = []
        for i, (ty, v) in enumerate(zip(self.params, args)):
            if ty in ("f32", "f64"):
                out.append(float(v))
                continue
            bits = 32 if ty == "i32" else 64
            if type(v) is not int and not isinstance(v, int):
                raise TypeError(f"{self.name}: argument {i} must be int, got {type(v).__name__}")
            if not -(1 << (bits - 1)) <= v < (1 << bits):
                raise OverflowError(f"{self.name}: argument {i} = {v} does not fit {ty}")
            out.append(v - (1 << bits) if v >= (1 << (bits - 1)) else v)
        return out


def _wb_signature(text: str) -> Tuple[Tuple[str, ...], Tuple[str, ...]]:
    """Parses 'i32,i32->i32' (either side may be empty)."""
    params, _, results = text.partition("->")
    def split(side: str) -> Tuple[str, ...]:
        return tuple(t.strip() for t in side.split(",") if t.strip())
    return split(params), split(results)


class _WbInstance:
    """One instance of a guest module (its own Store and linear memory) and the binding-call primitive.

    Thread safety: one re-entrant lock per object (`lock`); `invoke` and the helpers take it, and generated code
    may hold it around a sequence of calls that must not interleave. Different objects run in parallel.

    After a trap the guest's state (stack pointer, arena) may be inconsistent, so the instance is wiped and
    re-created from the same compiled module (`generation` increases): the object stays usable, but every
    persistent block (issue-5 handles) of the old generation is gone.
    """

    def __init__(self, wasm: Union[bytes, bytearray, _WbPath, None], default_path: _WbPath,
                 functions: Sequence[str], alloc: str = "bump_alloc", reset: str = "bump_reset",
                 *, fast: Optional[bool] = None, signatures: Optional[Sequence[Optional[str]]] = None,
                 persist_alloc: str = "wb_persist_alloc", persist_free: str = "wb_persist_free") -> None:
        if wasm is None:
            wasm = default_path
        if isinstance(wasm, (bytes, bytearray)):
            data = bytes(wasm)
        elif isinstance(wasm, (str, os.PathLike)):
            try:
                with open(wasm, "rb") as f:
                    data = f.read()
            except OSError as e:
                raise LoadError(f"cannot read wasm module {os.fspath(wasm)!r}: {e}") from e
        else:
            raise TypeError(f"wasm: expected bytes, a path or None, got {type(wasm).__name__}")
        self._module = _wb_module(data)
        self._names = tuple(functions)
        self._alloc_name, self._reset_name = alloc, reset
        self._persist_names = (persist_alloc, persist_free)
        if signatures is not None and len(signatures) != len(self._names):
            raise ValueError("signatures: need one entry (or None) per function")
        self._expected = tuple(signatures) if signatures is not None else (None,) * len(self._names)
        if fast is None:
            fast = os.environ.get("WASM_BIND_NO_FAST", "") in ("", "0")
        self._capi = _wb_fast_api() if fast else None
        self.fast = self._capi is not None
        self.lock = threading.RLock()
        self.generation = 0
        # True while invoke runs: a persist_free arriving then (a handle finalized by the GC inside invoke, on
        # this thread) is deferred to the end of invoke instead of calling into the guest mid-call.
        self._busy = False
        self._deferred: List[Tuple[int, int, Optional[int]]] = []
        # Fast-path scratch ctypes objects (see _WbCApi): the trap out-slot, a pointer and sizes set per use.
        self._trap = ctypes.c_void_p()
        self._trap_o = ctypes.c_void_p(ctypes.addressof(self._trap))
        self._ptr_o, self._size_o, self._ssize_o = ctypes.c_void_p(), ctypes.c_size_t(), ctypes.c_ssize_t()
        self._zero_o = ctypes.c_int(0)
        self._instantiate()
        self.invoke = self._invoke_fast if self.fast else self._invoke_public  # type: ignore[method-assign]

    # -- loading ---------------------------------------------------------------------------------------------

    def _instantiate(self) -> None:
        store = wasmtime.Store(_wb_engine)
        try:
            instance = wasmtime.Instance(store, self._module, [])
        except Exception as e:  # noqa: BLE001 - imports required, start function trapped, ...
            raise LoadError(f"cannot instantiate the wasm module: {e}") from e
        exports = instance.exports(store)
        memory = exports.get("memory")
        if not isinstance(memory, wasmtime.Memory):
            raise LoadError("the wasm module does not export a linear memory named 'memory'"
                            if memory is None else "export 'memory' is not a memory")
        if memory.type(store).is_64:
            raise LoadError("export 'memory' is a 64-bit memory; wasm-bind supports wasm32 guests")
        fast = self._capi is not None

        def resolve(name: str, expected: Optional[str]) -> _WbExport:
            item = exports.get(name)
            if item is None:
                raise LoadError(f"the wasm module does not export function {name!r}")
            if not isinstance(item, wasmtime.Func):
                raise LoadError(f"export {name!r} is a {type(item).__name__.lower()}, expected a function")
            ty = item.type(store)
            params = tuple(str(p) for p in ty.params)
            results = tuple(str(r) for r in ty.results)
            shown = f"({', '.join(params)}) -> ({', '.join(results)})"
            if any(t not in _WB_VALTYPES for t in params + results) or len(results) > 1:
                raise LoadError(f"export {name!r} has unsupported type {shown}")
            if expected is not None and (params, results) != _wb_signature(expected):
                want = _wb_signature(expected)
                raise LoadError(f"export {name!r} has type {shown}, expected "
                                f"({', '.join(want[0])}) -> ({', '.join(want[1])})")
            return _WbExport(name, item, params, results, fast)

        self._alloc = resolve(self._alloc_name, "i32->i32")
        self._reset = resolve(self._reset_name, "->")
        has = {name for name in exports}
        self._palloc: Optional[_WbExport] = (resolve(self._persist_names[0], "i32->i32")
                                             if self._persist_names[0] in has else None)
        self._pfree: Optional[_WbExport] = (resolve(self._persist_names[1], "i32,i32->")
                                            if self._persist_names[1] in has else None)
        self._funcs = [resolve(n, e) for n, e in zip(self._names, self._expected)]
        self._store, self._instance, self._memory = store, instance, memory
        self._scratch = 0  # fast path's persistent argument block (0: not allocated yet)
        self._scratch_failed = False
        if self._capi is not None:
            capi = self._capi
            self._ctx_o = ctypes.c_void_p(ctypes.cast(store._context(), ctypes.c_void_p).value)
            self._mem_o = ctypes.c_void_p(ctypes.addressof(memory._memory))
            # With a never-moving memory (see _wb_new_engine) its host address is read once here; otherwise 0 and
            # _invoke_fast re-reads it after every guest call.
            fixed = (capi.memory_data(self._ctx_o, self._mem_o) or 0) if _wb_fixed_memory and \
                memory.data_len(store) > 0 else 0
            self._fast = (fixed, self._ctx_o, self._mem_o, self._trap, self._trap_o, self._ptr_o, self._size_o,
                          self._ssize_o, self._zero_o, capi.call_gil, capi.call_nogil,
                          capi.memory_data_size, capi.memory_data, capi.memmove,
                          capi.memset, capi.bytes_at, self._reset.addr_o, self._reset.buf_o,
                          self._reset.slots_o, [ex.fast for ex in self._funcs])

    # -- primitive operations shared by both paths (not the hot loop) ----------------------------------------

    def _call(self, ex: _WbExport, args: Sequence[Any]) -> Any:
        """Calls one export; raises _WbTrapped on trap/error."""
        if self._capi is None:
            try:
                return ex.func(self._store, *ex.normalize(args))
            except (wasmtime.Trap, wasmtime.WasmtimeError) as e:
                raise _WbTrapped(ex.name, str(e)) from None
        try:
            ex.packer.pack_into(ex.buf, 0, *args)
        except struct.error:
            ex.packer.pack_into(ex.buf, 0, *ex.normalize(args))
        err = self._capi.call_nogil(self._ctx_o, ex.addr_o, ex.buf_o, ex.slots_o, self._trap_o)
        trap = self._trap.value
        if err or trap:
            self._trap.value = None
            raise _WbTrapped(ex.name, self._capi.failure(err, trap))
        return ex.unpack(ex.buf)[0] if ex.unpack else None

    def _mem_span(self) -> Tuple[int, int]:
        """(host address of linear memory or 0, its current size); re-read after every guest call."""
        if self._capi is None:
            return 0, self._memory.data_len(self._store)
        return (self._capi.memory_data(self._ctx_o, self._mem_o) or 0,
                self._capi.memory_data_size(self._ctx_o, self._mem_o))

    def _check(self, ptr: int, n: int, what: str) -> int:
        """Host address of guest range [ptr, ptr+n) after bounds checking (0 on the public path)."""
        if ptr < 0 or n < 0 or ptr > _WB_U32:
            raise GuestError(f"{what}: invalid guest pointer/length {ptr}/{n}")
        addr, size = self._mem_span()
        if ptr + n > size:
            raise GuestError(f"{what}: range [{ptr:#x}, {ptr + n:#x}) is outside guest memory ({size} bytes)")
        return addr + ptr

    def _write(self, ptr: int, data: _WbBuffer, what: str) -> None:
        n = len(data) if type(data) is not memoryview else data.nbytes
        addr = self._check(ptr, n, what)
        if n == 0:
            return
        if self._capi is None:
            self._memory.write(self._store, data if isinstance(data, bytearray) else bytearray(data), ptr)
        elif type(data) is bytes:
            ctypes.memmove(addr, data, n)
        else:
            memoryview((ctypes.c_uint8 * n).from_address(addr)).cast("B")[:] = data

    def _read(self, ptr: int, n: int, what: str) -> bytes:
        addr = self._check(ptr, n, what)
        if n == 0:
            return b""
        if self._capi is None:
            return bytes(self._memory.read(self._store, ptr, ptr + n))
        return ctypes.string_at(addr, n)

    def _recover(self) -> None:
        """After a trap: best-effort reset, wipe all of linear memory, then a fresh instance (new Store)."""
        try:
            self._call(self._reset, ())
        except Exception:  # noqa: BLE001 - the guest may be too broken to reset; the wipe below still runs
            pass
        try:
            addr, size = self._mem_span()
            if self._capi is not None and addr:
                ctypes.memset(addr, 0, size)
            elif self._capi is None and size:
                self._memory.write(self._store, bytearray(size), 0)
        finally:
            self._instantiate()
            self.generation += 1

    def _wipe_block(self, base: int, block: int) -> None:
        """Zeroes our argument block from the host side (defence in depth: does not trust the guest's reset)."""
        if not base or not block:
            return
        addr, size = self._mem_span()
        if base + block > size:
            return
        if self._capi is not None:
            ctypes.memset(addr + base, 0, block)
        else:
            self._memory.write(self._store, bytearray(block), base)

    def _finish(self, failed: Optional[_WbTrapped], name: str, base: int = 0, block: int = 0) -> None:
        """The `finally` of every call: wipe our block, reset (wipe) the arena, or recover from a trap."""
        if failed is not None:
            self._recover()
            return
        try:
            self._wipe_block(base, block)
            self._call(self._reset, ())
        except _WbTrapped as t:
            self._recover()
            raise TrapError(name, f"{t.export} trapped while wiping the arena: {t.message}") from None

    @staticmethod
    def _trap_error(name: str, t: _WbTrapped) -> TrapError:
        return TrapError(name, t.message if t.export == name else f"in {t.export}: {t.message}")

    # -- the binding call --------------------------------------------------------------------------------------

    def invoke(self, fn: int, name: str, block: int, writes: Sequence[Tuple[int, _WbBuffer]],
               args: Sequence[int], rel: Sequence[int], reads: Sequence[Tuple[int, int]]
               ) -> Tuple[Any, List[bytes]]:
        """One binding call (replaced per instance by the fast or public implementation).

        Allocates one arena block of `block` bytes (none when 0), copies each `(offset, data)` of `writes` to
        base+offset, calls function number `fn` of `functions` with `args` (positions listed in `rel` are
        block offsets: base is added; the others are passed as they are, e.g. absolute handle pointers), reads
        each `(offset, size)` of `reads` from base+offset, and returns (raw result or None, [bytes, ...]).
        The result of an i32/i64 export is the signed wasm value: the caller interprets it.
        Out regions are not zeroed here: bump_alloc returns zeroed memory by contract, and a guest that
        breaks that contract could write anything into its outputs anyway, so zeroing would protect nothing.
        `finally`, on success, error and trap alike, the arena is reset (which wipes it).
        """
        return self._invoke_fast(fn, name, block, writes, args, rel, reads) if self.fast else \
            self._invoke_public(fn, name, block, writes, args, rel, reads)

    def _invoke_public(self, fn: int, name: str, block: int, writes: Sequence[Tuple[int, _WbBuffer]],
                       args: Sequence[int], rel: Sequence[int], reads: Sequence[Tuple[int, int]]
                       ) -> Tuple[Any, List[bytes]]:
        with self.lock:
            failed: Optional[_WbTrapped] = None
            base = 0
            self._busy = True
            try:
                if block:
                    base = self._call(self._alloc, (block,)) & _WB_U32
                    if base == 0:
                        raise GuestError(f"{name}: {self._alloc_name}({block}) returned 0 (guest out of memory)")
                    self._check(base, block, f"{name}: {self._alloc_name}({block}) block")
                    for off, data in writes:
                        if off < 0 or off + len(data) > block:
                            raise ValueError(f"{name}: write at {off}+{len(data)} is outside the {block}-byte block")
                        self._write(base + off, data, name)
                if rel:
                    args = list(args)
                    for i in rel:
                        args[i] += base
                result = self._call(self._funcs[fn], args)
                outs = []
                for off, n in reads:
                    if off < 0 or off + n > block:
                        raise ValueError(f"{name}: read at {off}+{n} is outside the {block}-byte block")
                    outs.append(self._read(base + off, n, name))
                return result, outs
            except _WbTrapped as t:
                failed = t
                raise self._trap_error(name, t) from None
            finally:
                try:
                    self._finish(failed, name, base, block)
                finally:
                    self._busy = False
                    if self._deferred:
                        self._drain_deferred()

    def _block_base(self, block: int, name: str) -> int:
        """Guest address for a `block`-byte argument block: the scratch block (allocated on first use) when
        it fits and the guest exports wb_persist_alloc, else a fresh bump_alloc. Not bounds-checked here."""
        if block <= _WB_SCRATCH and self._palloc is not None and self._capi is not None and not self._scratch_failed:
            if not self._scratch:
                base = self._call(self._palloc, (_WB_SCRATCH,)) & _WB_U32
                if base == 0:
                    self._scratch_failed = True  # out of guest memory: use the arena from now on
                else:
                    self._check(base, _WB_SCRATCH, self._persist_names[0])
                    self._scratch = base
            if self._scratch:
                return self._scratch
        base = self._call(self._alloc, (block,)) & _WB_U32
        if base == 0:
            raise GuestError(f"{name}: {self._alloc_name}({block}) returned 0 (guest out of memory)")
        return base  # type: ignore[no-any-return]

    def _invoke_fast(self, fn: int, name: str, block: int, writes: Sequence[Tuple[int, _WbBuffer]],
                     args: Sequence[int], rel: Sequence[int], reads: Sequence[Tuple[int, int]]
                     ) -> Tuple[Any, List[bytes]]:
        # Same steps as _invoke_public, inlined over the C API (see _WbCApi): every ctypes call gets prepared
        # objects. The memory's host address is re-read after every guest call (growing may move it); a guest
        # range is bounds-checked once against the size read after it was obtained, which stays valid because
        # wasm memories never shrink.
        with self.lock:
            (fixed, ctx, mem, trap, trap_o, ptr_o, size_o, ssize_o, zero_o, call_gil, call_nogil, data_size, data_addr,
             memmove, memset, bytes_at, reset_addr, reset_buf, reset_slots, funcs) = self._fast
            failed: Optional[_WbTrapped] = None
            base = 0
            maddr = 0  # host address of memory read after the function call (0: not read)
            self._busy = True
            try:
                if block:
                    if block <= _WB_SCRATCH and self._scratch:
                        base = self._scratch  # bounds-checked when allocated; memory never shrinks
                    else:
                        base = self._block_base(block, name)
                        if base + block > data_size(ctx, mem):
                            raise GuestError(f"{name}: argument block {base:#x}+{block} is outside guest memory")
                    dst = (fixed or data_addr(ctx, mem)) + base
                    for off, data in writes:
                        n = len(data)
                        if off < 0 or off + n > block:
                            raise ValueError(f"{name}: write at {off}+{n} is outside the {block}-byte block")
                        if type(data) is bytes:
                            ptr_o.value = dst + off
                            size_o.value = n
                            memmove(ptr_o, data, size_o)
                        elif n:
                            memoryview((ctypes.c_uint8 * n).from_address(dst + off)).cast("B")[:] = data
                pack_into, buf, addr_o, buf_o, slots_o, unpack = funcs[fn]
                if rel:
                    args = list(args)
                    for i in rel:
                        args[i] += base
                try:
                    pack_into(buf, 0, *args)
                except struct.error:
                    pack_into(buf, 0, *self._funcs[fn].normalize(args))
                err = (call_gil if block < _WB_GIL_BLOCK else call_nogil)(ctx, addr_o, buf_o, slots_o, trap_o)
                if err or trap.value:
                    failed = _WbTrapped(self._funcs[fn].name, self._capi.failure(err, trap.value))  # type: ignore
                    trap.value = None
                    raise failed
                outs = []
                if block:
                    maddr = fixed or data_addr(ctx, mem)  # a movable memory may have moved while growing
                    src = maddr + base
                    for off, n in reads:
                        if off < 0 or n < 0 or off + n > block:
                            raise ValueError(f"{name}: read at {off}+{n} is outside the {block}-byte block")
                        ptr_o.value = src + off
                        ssize_o.value = n
                        outs.append(bytes_at(ptr_o, ssize_o))
                else:
                    for off, n in reads:  # an empty block can only hold empty outputs
                        if off < 0 or n != 0 or off > 0:
                            raise ValueError(f"{name}: read at {off}+{n} is outside the 0-byte block")
                        outs.append(b"")
                return (unpack(buf)[0] if unpack is not None else None), outs
            except _WbTrapped as t:
                failed = t
                raise self._trap_error(name, t) from None
            finally:
                try:
                    if failed is None and (maddr or not block):
                        if block:
                            # wipe our block with the address read after the last guest call (none since)
                            ptr_o.value = maddr + base
                            size_o.value = block
                            memset(ptr_o, zero_o, size_o)
                        err = call_gil(ctx, reset_addr, reset_buf, reset_slots, trap_o)
                        if err or trap.value:
                            message = self._capi.failure(err, trap.value)  # type: ignore[union-attr]
                            trap.value = None
                            self._recover()
                            raise TrapError(name, f"{self._reset_name} trapped while wiping the arena: "
                                                  f"{message}")
                    else:
                        self._finish(failed, name, base, block)
                finally:
                    self._busy = False
                    if self._deferred:
                        self._drain_deferred()

    # -- helpers for persistent blocks (issue-5 handles) ------------------------------------------------------

    def call(self, fn: int, name: str, args: Sequence[int]) -> Any:
        """Calls function `fn` with absolute arguments only (no arena block); TrapError on trap. No reset."""
        with self.lock:
            try:
                return self._call(self._funcs[fn], args)
            except _WbTrapped as t:
                self._recover()
                raise self._trap_error(name, t) from None

    def persist_alloc(self, size: int) -> int:
        """A zeroed block that survives arena resets (for handles); GuestError if the guest returns 0."""
        with self.lock:
            if self._palloc is None:
                raise LoadError(f"the wasm module does not export {self._persist_names[0]!r}")
            try:
                ptr = self._call(self._palloc, (size,)) & _WB_U32
            except _WbTrapped as t:
                self._recover()
                raise self._trap_error(t.export, t) from None
            if ptr == 0:
                raise GuestError(f"{self._persist_names[0]}({size}) returned 0 (guest out of memory)")
            self._check(ptr, size, self._persist_names[0])
            return int(ptr)

    def persist_free(self, ptr: int, size: int, generation: Optional[int] = None) -> None:
        """Wipes and frees a persistent block; a no-op if the block belongs to an older generation."""
        with self.lock:
            if self._pfree is None:
                raise LoadError(f"the wasm module does not export {self._persist_names[1]!r}")
            if generation is not None and generation != self.generation:
                return
            if self._busy:
                self._deferred.append((ptr, size, generation))
                return
            try:
                self._call(self._pfree, (ptr, size))
            except _WbTrapped as t:
                self._recover()
                raise self._trap_error(t.export, t) from None

    def _drain_deferred(self) -> None:
        """Runs the persist_free calls deferred while invoke was running."""
        while self._deferred:
            ptr, size, generation = self._deferred.pop()
            self.persist_free(ptr, size, generation)

    def read(self, ptr: int, n: int) -> bytes:
        """Copies n bytes at absolute guest address ptr (bounds-checked; mask a pointer the guest returned as a
        signed i32 with `& 0xFFFFFFFF` first: negative addresses are rejected)."""
        with self.lock:
            return self._read(ptr, n, "read")

    def write(self, ptr: int, data: _WbBuffer) -> None:
        """Copies data to absolute guest address ptr (bounds-checked)."""
        with self.lock:
            self._write(ptr, data, "write")

    def memory_size(self) -> int:
        """Current size of the guest's linear memory in bytes."""
        with self.lock:
            return self._mem_span()[1]
