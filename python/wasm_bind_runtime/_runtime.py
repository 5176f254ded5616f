"""wasm-bind Python runtime: loads a wasm32 guest and runs binding calls. Imported by every generated module from the
shared package `wasm_bind_runtime` (one Engine, ticker and Error hierarchy per process), bundled into a package by
`gen --py --package`, or pasted verbatim into a module by `gen --py --inline-runtime`.

Public surface used by generated code (private `_wb_`/`_Wb` names so user names never collide):

* exceptions `Error` > `StatusError`, `TrapError`, `GuestError`, `LoadError` (re-exported by generated modules);
* `set_max_wasm_stack(nbytes)`: the process-wide wasm stack limit, before the first instance (re-exported);
* `_wb_bytes` / `_wb_int`: argument checks with messages that name the parameter;
* `_WbInstance`: one guest instance (own wasmtime Store) plus `invoke`, the one-call-per-binding primitive.

Compilation happens once per process (one shared Engine, modules cached by the BLAKE2b-256 digest of the wasm bytes)
and once per machine (the compiled module is serialized to a private cache directory, see `_wb_cache_dir`).

Two call paths, chosen at construction:

* fast: calls the C API of the libwasmtime that wasmtime-py bundles (`wasmtime._ffi.dll`) through our own
  ctypes prototypes (`_WbCApi`): `wasmtime_func_call_unchecked` with a prepared `wasmtime_val_raw_t` array.
  Used only when wasmtime-py's version is inside `_WB_WASMTIME_FAST_VERSIONS` and every symbol we use exists.
  After a function's first calls on the scratch block, the function and the guest's arena reset run as one
  guest call (a host-built module that calls both: `_wb_merge_wasm`).
* public: wasmtime-py's public API (`Func.__call__`, `Memory.data_ptr`); the fallback, forced by
  `WASM_BIND_NO_FAST=1` or `_WbInstance(..., fast=False)`.

Both paths put a call's arguments in one block (`_place`): calls up to `_WB_SCRATCH` bytes in the persistent
scratch block (no allocator call), larger ones (or when the guest has no wb_persist_alloc or refuses) in one
bump_alloc block. Inputs are copied in and outputs out through a memoryview of the block (each byte copied once,
no ctypes call per buffer).

Memory-safety rules followed by both paths: every guest pointer is masked to u32 and bounds-checked against the
memory size read after the pointer was obtained (wasm memories never shrink, so a checked range stays valid);
no negative offset ever reaches wasmtime-py (its Memory.read/write count negative offsets from the end); checks
raise exceptions, never `assert` (python -O strips asserts). Host addresses: the shared engine reserves 4 GiB
per memory and never moves memories (`_wb_new_engine`), so both paths read a memory's host address once per
instance and keep a view of the scratch block for the instance's life (dropped with its Store on recovery); where
that setting is unavailable the address is re-read, and views made again, after every guest call (growth may move
memory).

Wiping: after every call, on success, error and trap alike, the host zeroes the bytes of the argument block the
call used itself (defence in depth against a reset that does not wipe), then the guest's reset wipes the guest's
own arena allocations and dead C stack: the kit's wb_reset_wiped(block) when exported, which leaves the block the
host just zeroed alone (each byte wiped once), else bump_reset; after a trap all of linear memory is zeroed before the
instance is replaced. Secrets the guest copies elsewhere (e.g. into unwiped C stack frames) are the guest
library's business.

Hostile guests (see docs/safety.md): every pointer an allocator returns must lie in [__heap_base, memory size)
and must not overlap a live persistent block, else GuestError and the instance is replaced (its state cannot be
trusted); out regions are zero before the guest runs (the scratch block is all zero between calls, the out regions
of arena blocks are zeroed by the host); linear memory is capped at `max_memory` bytes (growth beyond
it is refused, a larger initial memory is a LoadError); a call running longer than `timeout` seconds is interrupted (epoch deadline,
one background ticker thread per process, idle between such calls) and raises TimeoutError; unbounded recursion
traps (wasm stack limit: `set_max_wasm_stack` or WASM_BIND_MAX_WASM_STACK, fixed when the engine is created).
"""

from __future__ import annotations

import _thread
import bisect
import ctypes
import enum
import functools
import marshal
import math
import operator
import os
import struct
import sys
import threading
import time
import warnings
import weakref
import zlib
from typing import (TYPE_CHECKING, Any, Callable, Dict, List, Optional, Sequence, Tuple, Type, TypeVar, Union,
                    overload)

import wasmtime
import wasmtime._func as _wb_func_module

if TYPE_CHECKING:  # names for annotations only (strings at run time): typing constructs cost start-up time
    import array

    _WbBuffer = Union[bytes, bytearray, memoryview]
    _WbPath = Union[str, "os.PathLike[str]"]


def _wb_array() -> Any:
    """The `array` module, imported on first use: importing it costs ~0.25 ms of start-up, and most modules never
    pass a typed array."""
    import array as module

    return module

# wasmtime-py versions whose private C-API surface (`_ffi.dll`, `_bindings` struct layouts, `Store._context`,
# `Func._func`, `Memory._memory`, `Trap._from_ptr`, `WasmtimeError._from_ptr`) the fast path was written against:
# [low, high). Outside it the runtime warns once and uses the public API.
_WB_WASMTIME_FAST_VERSIONS = ((45, 0), (52, 0))
_WB_U32 = 0xFFFFFFFF
_WB_U64 = 0xFFFFFFFFFFFFFFFF
# \x04: the section reader's findings (_WbModuleInfo) stored before the serialized module, both checked by one
# CRC-32 (\x03: the module alone; \x02: checked by its BLAKE2b-256 digest, ~5x slower; \x01: SHA-256 digests)
_WB_CACHE_MAGIC = b"wasm-bind cwasm\x04"
_WB_VALTYPES = ("i32", "i64", "f32", "f64")
# Guest calls whose argument block is at least this large release the GIL while they run.
_WB_GIL_BLOCK = 16 * 1024
# Argument blocks up to this size live in one persistent scratch block per instance (allocated once with
# wb_persist_alloc, the bytes each call used wiped by the host after it) instead of a bump_alloc call per binding call.
_WB_SCRATCH = 16 * 1024
# After the allocator returned 0 and the arena was reset, a request of this size must succeed (else re-instantiate).
_WB_PROBE = 16
# Default cap on a guest's linear memory (bytes); `max_memory=` per instance. wasm32 cannot exceed 4 GiB.
_WB_MAX_MEMORY = 256 * 1024 * 1024
_WB_MEMORY_LIMIT = 1 << 32
# Default wall-clock limit of one guest call (seconds); `timeout=None` per instance disables it.
_WB_TIMEOUT = 30.0
# Period of the epoch ticker thread (seconds): a timeout fires between `timeout` and `timeout + 2 ticks`.
_WB_TICK = 0.02


class Error(Exception):
    """Base class of every error raised by a wasm-bind generated module."""


class StatusError(Error):
    """A C function reported failure through its status return value.

    `message` is the library's own explanation when the bindings know where to read it (a module
    status rule with a message function, e.g. SQLite's `sqlite3_errmsg(db)`), else None.
    """

    def __init__(self, function: str, status: int, message: Optional[str] = None) -> None:
        text = f"{function} failed with status {status}"
        super().__init__(text if message is None else f"{text}: {message}")
        self.function = function
        self.status = status
        self.message = message


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


class TimeoutError(TrapError):  # noqa: A001 - the documented name; builtins.TimeoutError is an OSError
    """The guest call ran longer than the instance's `timeout` and was interrupted (wasmtime epoch deadline).

    Like every TrapError the object stays usable: it was re-instantiated. `timeout` holds the limit in seconds.
    """

    def __init__(self, function: str, timeout: Optional[float], message: str) -> None:
        Error.__init__(self, f"{function} timed out: still running after {timeout:g} s "
                             "(raise the timeout= argument of the constructor, or None for no limit)")
        self.function = function
        self.details = message
        self.timeout = timeout


class GuestError(Error):
    """The guest broke the ABI or ran out of memory: its allocator returned 0 (out of memory, e.g. the
    `max_memory` cap refused growth), or a pointer it returned falls outside its heap, past the end of its memory,
    or onto a block still in use. For a broken pointer the object is re-instantiated (its state cannot be trusted)
    and stays usable; persistent blocks (handles) of the old instance are lost."""


class HandleError(Error, ValueError):
    """A library-owned handle cannot be used: it was closed (or its parent was), it belongs to another object, or
    its instance was re-created after a trap (the library's memory, and the object the handle stood for, are gone).
    Raised before any guest call; the message names the parameter."""


class LoadError(Error):
    """The wasm could not be loaded: unreadable/invalid module, missing export, or an export of the wrong type."""


# ---------------------------------------------------------------------------------------------------------------
# WASI for libc guests (`wasm-bind guest --wasi`): deny by default
# ---------------------------------------------------------------------------------------------------------------

# Every function of WASI preview 1: the only imports a guest may have (bindgen-core/src/wasi.rs has the same list).
_WB_WASI_MODULE = "wasi_snapshot_preview1"
_WB_WASI_FUNCTIONS = frozenset((
    "args_get", "args_sizes_get", "clock_res_get", "clock_time_get", "environ_get", "environ_sizes_get",
    "fd_advise", "fd_allocate", "fd_close", "fd_datasync", "fd_fdstat_get", "fd_fdstat_set_flags",
    "fd_fdstat_set_rights", "fd_filestat_get", "fd_filestat_set_size", "fd_filestat_set_times", "fd_pread",
    "fd_prestat_dir_name", "fd_prestat_get", "fd_pwrite", "fd_read", "fd_readdir", "fd_renumber", "fd_seek",
    "fd_sync", "fd_tell", "fd_write", "path_create_directory", "path_filestat_get", "path_filestat_set_times",
    "path_link", "path_open", "path_readlink", "path_remove_directory", "path_rename", "path_symlink",
    "path_unlink_file", "poll_oneoff", "proc_exit", "proc_raise", "random_get", "sched_yield", "sock_accept",
    "sock_recv", "sock_send", "sock_shutdown",
))


class Captured:
    """What a libc guest writes to stdout or stderr, kept in memory: `Wasi().stdout(c)` with `c = Captured()`, then
    `c.take()` returns the bytes written so far and clears them. Thread-safe; one Captured may serve many objects."""

    __slots__ = ("_chunks", "_lock")

    def __init__(self) -> None:
        self._chunks: List[bytes] = []
        self._lock = threading.Lock()

    def _write(self, data: bytes) -> None:
        with self._lock:
            self._chunks.append(bytes(data))

    def take(self) -> bytes:
        """The bytes written since the last take(), in order (b"" when none)."""
        with self._lock:
            out, self._chunks = b"".join(self._chunks), []
        return out


if TYPE_CHECKING:
    _WbOutput = Union[str, Captured]


class Wasi:
    """What a libc guest (built by `wasm-bind guest --wasi`) may reach through WASI preview 1; deny by default.

    `Wasi()` grants nothing: no files (no directory is preopened), no environment variables, no arguments, no stdin;
    stdout and stderr are discarded. Clocks and `random_get` (the host's CSPRNG) are always available. Each method
    returns a new Wasi (the object itself never changes, so the same grants are replayed whenever the instance is
    re-created after a trap):

    * `dir(host, guest)`: the host directory `host`, read-only, at guest path `guest` (e.g. "/data");
    * `dir_rw(host, guest)`: the same, read-write (files may be created, written, renamed and removed in it);
    * `stdout(output)` / `stderr(output)`: "discard" (default), "inherit" (the host process's own stream) or a
      `Captured()` to read the output from.

    Paths outside a granted directory (absolute paths elsewhere, `..`, symlinks leading out) are refused by wasmtime's
    WASI (the guest sees an error such as ENOENT or EPERM). Pass it as `wasi=` to a libc guest's constructor."""

    __slots__ = ("_dirs", "_stdout", "_stderr")

    def __init__(self) -> None:
        self._dirs: Tuple[Tuple[str, str, bool], ...] = ()
        self._stdout: _WbOutput = "discard"
        self._stderr: _WbOutput = "discard"

    def _copy(self) -> "Wasi":
        new = Wasi()
        new._dirs, new._stdout, new._stderr = self._dirs, self._stdout, self._stderr
        return new

    def _grant(self, host: Union[str, "os.PathLike[str]"], guest: str, writable: bool) -> "Wasi":
        what = "dir_rw" if writable else "dir"
        if not isinstance(host, (str, os.PathLike)):
            raise TypeError(f"{what}: host: expected a path, got {type(host).__name__}")
        if not isinstance(guest, str) or not guest:
            raise TypeError(f"{what}: guest: expected the directory's path in the guest (a non-empty str, e.g. "
                            f"'/data'), got {guest!r}")
        path = os.path.realpath(os.fspath(host))
        if not os.path.isdir(path):
            raise ValueError(f"{what}: host: {os.fspath(host)!r} is not a directory")
        new = self._copy()
        new._dirs = self._dirs + ((path, guest, writable),)
        return new

    def dir(self, host: Union[str, "os.PathLike[str]"], guest: str) -> "Wasi":
        """Grants the host directory `host` read-only at guest path `guest`."""
        return self._grant(host, guest, False)

    def dir_rw(self, host: Union[str, "os.PathLike[str]"], guest: str) -> "Wasi":
        """Grants the host directory `host` read-write at guest path `guest`."""
        return self._grant(host, guest, True)

    @staticmethod
    def _output(output: object, what: str) -> _WbOutput:
        if isinstance(output, Captured):
            return output
        if output == "discard" or output == "inherit":
            return str(output)
        raise ValueError(f"{what}: expected 'discard', 'inherit' or a Captured(), got {output!r}")

    def stdout(self, output: _WbOutput) -> "Wasi":
        """Where the guest's stdout goes: 'discard' (default), 'inherit' or a Captured()."""
        new = self._copy()
        new._stdout = self._output(output, "stdout")
        return new

    def stderr(self, output: _WbOutput) -> "Wasi":
        """Where the guest's stderr goes: 'discard' (default), 'inherit' or a Captured()."""
        new = self._copy()
        new._stderr = self._output(output, "stderr")
        return new

    def __repr__(self) -> str:
        dirs = "".join(f".{'dir_rw' if w else 'dir'}({h!r}, {g!r})" for h, g, w in self._dirs)
        return f"Wasi(){dirs}.stdout({self._stdout!r}).stderr({self._stderr!r})"

    def _config(self) -> wasmtime.WasiConfig:
        """A fresh wasmtime WasiConfig with exactly these grants (a store consumes its config)."""
        config = wasmtime.WasiConfig()  # empty: no args, no env, no preopens, stdin empty, output discarded
        for host, guest, writable in self._dirs:
            config.preopen_dir(host, guest, writable)
        if self._stdout == "inherit":
            config.inherit_stdout()
        elif isinstance(self._stdout, Captured):
            config.stdout_custom = self._stdout._write  # a setter property in wasmtime-py
        if self._stderr == "inherit":
            config.inherit_stderr()
        elif isinstance(self._stderr, Captured):
            config.stderr_custom = self._stderr._write
        return config


_wb_wasi_linker: Optional[wasmtime.Linker] = None


def _wb_linker() -> wasmtime.Linker:
    """The process's linker defining WASI preview 1 on the shared engine (created on first use)."""
    global _wb_wasi_linker
    if _wb_wasi_linker is None:
        engine = _wb_engine
        if engine is None:  # modules are compiled (creating the engine) before any instance links
            raise LoadError("internal error: WASI linker requested before the engine exists")
        linker = wasmtime.Linker(engine)
        linker.define_wasi()
        _wb_wasi_linker = linker
    return _wb_wasi_linker



def _wb_view(value: object, writable: bool = False) -> memoryview:
    """A memoryview of any buffer-protocol object (bytes, bytearray, memoryview, mmap, array.array, ctypes
    arrays, numpy arrays, ...). A class implementing PEP 688's `__buffer__` in Python is also taken on
    Pythons before 3.12, whose memoryview() does not call it. TypeError when `value` exposes no buffer."""
    try:
        return memoryview(value)  # type: ignore[arg-type]
    except TypeError:
        get = getattr(type(value), "__buffer__", None)
        if get is None:
            raise
        view = get(value, 1 if writable else 0)  # PyBUF_WRITABLE / PyBUF_SIMPLE
        if not isinstance(view, memoryview):
            raise TypeError(f"__buffer__ returned {type(view).__name__}, not memoryview") from None
        return view


def _wb_bytes(value: object, name: str, size: Optional[int] = None, writable: bool = False) -> _WbBuffer:
    """Checks a bytes argument; returns it (or a flat 'B' view of it) without copying.

    Accepts every C-contiguous buffer: bytes, bytearray, memoryview, mmap, array.array, ctypes arrays, numpy
    arrays, PEP 688 buffers. A buffer of wider elements (array('I'), a float64 numpy array) passes its raw bytes
    in memory order (the parameter is bytes). `writable`: an in/out parameter, whose result is also written into
    the caller's buffer: `bytes` is a value (accepted, the result is only returned), any other read-only buffer
    is a TypeError, as the output could not reach it. `name`: the keyword the caller writes."""
    cls = type(value)
    if cls is bytes or cls is bytearray:
        n = len(value)  # type: ignore[arg-type]
    else:
        try:
            view = _wb_view(value, writable)
        except TypeError:
            raise TypeError(f"{name}: expected a bytes-like object (bytes, bytearray, memoryview or any buffer), "
                            f"got {cls.__name__}") from None
        if not view.c_contiguous:
            raise ValueError(f"{name}: the buffer must be C-contiguous (got a strided view of {cls.__name__}; "
                             "pass a contiguous copy, e.g. bytes(view))")
        if writable and view.readonly and not isinstance(value, bytes):
            raise TypeError(f"{name}: this in/out parameter's output is written back into the buffer, and this "
                            f"{cls.__name__} is read-only (pass a writable buffer, or bytes to get the result "
                            "only as the return value)")
        if view.format != "B" or view.ndim != 1:
            view = view.cast("B")
        value = view
        n = view.nbytes
    if size is not None and n != size:
        raise ValueError(f"{name}: expected {size} bytes, got {n}")
    return value  # type: ignore[return-value]


def _wb_write_back(target: object, data: bytes, code: str = "B") -> None:
    """An in/out argument passed as a writable buffer (bytearray, writable memoryview, array.array, mmap, numpy
    array, any writable buffer) also receives
    the output, as the C function changes the caller's memory (crypto_wipe wipes it). `code`: the `array`
    typecode of the C elements (their little-endian bytes are swapped to host order for a typed buffer on a
    big-endian host). Sequences (a list included: a value, not memory), bytes and read-only buffers stay as they
    are, as does a buffer whose size changed meanwhile (another thread): the result is returned either way."""
    if isinstance(target, (bytes, str, list, tuple)):
        return
    try:
        view = _wb_view(target, True)
    except TypeError:
        return
    with view:
        if view.readonly or view.nbytes != len(data) or not view.c_contiguous:
            return
        if code != "B" and sys.byteorder == "big" and view.format.lstrip("@=<") not in ("B", "c"):
            swapped = _wb_array().array(code, data)
            swapped.byteswap()
            data = swapped.tobytes()
        with view.cast("B") as flat:
            flat[:] = data


_WB_CTYPE_NAMES = {
    (0, 0xFF): "uint8_t", (-0x80, 0x7F): "int8_t", (0, 0xFFFF): "uint16_t", (-0x8000, 0x7FFF): "int16_t",
    (0, _WB_U32): "uint32_t", (-0x80000000, 0x7FFFFFFF): "int32_t", (0, _WB_U64): "uint64_t",
    (-0x8000000000000000, 0x7FFFFFFFFFFFFFFF): "int64_t",
}


def _wb_int(value: object, name: str, lo: int, hi: int, ctype: Optional[str] = None) -> int:
    """Checks an integer argument against the C type's range [lo, hi]: an int, or any integer type with
    `__index__` (numpy's, for one, as element arrays accept them too); bool is refused."""
    if type(value) is not int:
        if isinstance(value, bool):
            raise TypeError(f"{name}: expected int, got bool")
        try:
            value = int(operator.index(value))  # type: ignore[arg-type]  # int(): an __index__ may return a bool
        except TypeError:
            raise TypeError(f"{name}: expected int, got {type(value).__name__}") from None
        except Exception as e:  # noqa: BLE001 - an __index__ that fails otherwise: still named
            raise TypeError(f"{name}: expected int, got {type(value).__name__} ({type(e).__name__}: {e})") from e
    if value < lo or value > hi:
        cname = ctype or _WB_CTYPE_NAMES.get((lo, hi), "the C parameter type")
        raise OverflowError(f"{name}: {value} does not fit {cname} (range {lo}..{hi})")
    return value


_WB_F32 = struct.Struct("<f")


def _wb_float(value: object, name: str, code: str = "d") -> float:
    """A `float` (typecode 'f') or `double` ('d') argument as a Python float: a float, an int or any other real
    number (`numbers.Real`: numpy's floats, Fraction); bool is refused, as for integers. NaN (with its payload),
    infinities and -0.0 pass unchanged. For `float`, a finite value that rounds past the largest finite float
    (3.4028234663852886e+38) is an OverflowError rather than a silent infinity."""
    if type(value) is not float:
        import numbers  # here, not at the top: importing it costs ~0.4 ms of every module import

        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"{name}: expected float, got {type(value).__name__}")
        try:
            value = float(value)
        except OverflowError:
            raise OverflowError(f"{name}: {value} does not fit {'float' if code == 'f' else 'double'}") from None
    if code == "f":
        try:
            _WB_F32.pack(value)
        except OverflowError:
            raise OverflowError(f"{name}: {value!r} does not fit float (largest finite 3.4028234663852886e+38)") from None
    return value


if TYPE_CHECKING:
    _WbEnum = TypeVar("_WbEnum", bound=enum.IntEnum)


def _wb_enum(cls: Type[_WbEnum], value: int) -> Union[_WbEnum, int]:
    """A return typed with a C enum: the IntEnum member `cls(value)` when the value is one, else the plain int (a C
    enum variable may hold any value of its type)."""
    try:
        member: _WbEnum = cls(value)
    except ValueError:
        return value
    return member


def _wb_fpack(code: str, value: float) -> bytes:
    """The little-endian bytes of a checked float (`code` 'f') or double ('d')."""
    return struct.pack("<" + code, value)


# ---------------------------------------------------------------------------------------------------------------
# Engine, per-process module cache, per-machine serialized-module cache
# ---------------------------------------------------------------------------------------------------------------

_wb_engine: Optional[wasmtime.Engine] = None
_wb_modules: Dict[str, wasmtime.Module] = {}
# Export signatures already checked, per compiled module: {(name, expected signature): (params, results)}
if TYPE_CHECKING:
    _WbSig = Tuple[Tuple[str, ...], Tuple[str, ...]]
_wb_checked_sigs: "weakref.WeakKeyDictionary[wasmtime.Module, Dict[Tuple[str, Optional[str]], _WbSig]]" = \
    weakref.WeakKeyDictionary()
_wb_modules_lock = threading.Lock()
# What the section reader found in each module (by digest): read once per process.
_wb_infos: "Dict[bytes, _WbModuleInfo]" = {}
# (digest, allocator names, functions, signatures, size bounds) whose _wb_check_info passed: checked once per process.
_wb_checked_infos: "set[Tuple[Any, ...]]" = set()
_wb_stats = {"compiled": 0, "deserialized": 0, "cache_written": 0, "inspected": 0, "digested": 0}  # observable by tests


_wb_version: Optional[str] = None


def _wb_wasmtime_version() -> str:
    """wasmtime-py's version: its dist-info beside the package (fast), else importlib.metadata, else 'unknown'."""
    global _wb_version
    if _wb_version is None:
        _wb_version = "unknown"
        key = None
        try:  # known by the stamps of the library it loaded (see _wb_stamp_get)?
            key = _wb_stat_key(os.stat(wasmtime._ffi.filename))
            known = _wb_stamp_get("v", key) if key is not None else None
            if known is not None:
                _wb_version = known.decode("ascii")
                return _wb_version
        except Exception:  # noqa: BLE001 - another layout of wasmtime-py's internals: find it as below
            key = None
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
            return _wb_version
        if key is not None and _wb_version.isascii():
            _wb_stamp_put("v", key, _wb_version.encode("ascii"))
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
    layout = ("fixed" if _wb_fixed_memory else "movable") + ("-epoch" if _wb_epochs else "")  # engine settings
    tag = f"{_wb_wasmtime_version()}-{sys.platform}-{machine}-{layout}".replace(os.sep, "_")
    return os.path.join(directory, f"{digest}-{tag}.cwasm")


def _wb_cache_load(engine: wasmtime.Engine, path: str,
                   digest: bytes) -> Tuple[Optional[wasmtime.Module], Optional[_WbModuleInfo]]:
    """Serialized module from `path` with the section reader's findings stored beside it (the module's _WbModuleInfo:
    a cache hit skips reading the wasm's sections), or (None, None) if absent/unsafe/corrupt/incompatible (any error
    -> inspect and compile). Trust: the file is the same one whose native code is run, in a directory only this user
    can write, and its CRC-32 covers the findings too."""
    try:
        if not _wb_private(os.stat(os.path.dirname(path))):
            return None, None
        with open(path, "rb") as f:
            st = os.fstat(f.fileno())
            if not _wb_private(st):
                return None, None
            blob = bytearray(st.st_size)  # read in place: the code is then passed to wasmtime without a copy
            if f.readinto(blob) != st.st_size:
                return None, None
        head = len(_WB_CACHE_MAGIC) + 32 + 4 + 8 + 4
        if len(blob) < head or not blob.startswith(_WB_CACHE_MAGIC):
            return None, None
        at = len(_WB_CACHE_MAGIC)
        wasm_digest = blob[at:at + 32]
        crc, length, info_length = struct.unpack_from("<IQI", blob, at + 32)
        if wasm_digest != digest or info_length + length != len(blob) - head:
            return None, None
        view = memoryview(blob)
        if zlib.crc32(view[head:]) != crc:
            return None, None
        info = _WbModuleInfo.from_bytes(view[head:head + info_length])
        view.release()  # (the bytearray cannot be exported while a view of it lives)
        module = _wb_deserialize(engine, blob, head + info_length)
        _wb_stats["deserialized"] += 1
        return module, info
    except Exception:  # noqa: BLE001 - the cache is an optimisation only
        return None, None


def _wb_deserialize(engine: wasmtime.Engine, blob: bytearray, at: int) -> wasmtime.Module:
    """`wasmtime.Module.deserialize(engine, blob[at:])` without its two copies of the code (the slice, then a ctypes
    copy; ~0.25 ms for Monocypher): wasmtime reads the bytes in place (it copies them into its own executable
    mapping). Through wasmtime-py's internals where they are the ones the fast path knows, else its public route."""
    if _wb_known_internals():
        ffi = wasmtime._ffi
        n = len(blob) - at
        ptr = ctypes.POINTER(ffi.wasmtime_module_t)()
        code = (ctypes.c_uint8 * n).from_buffer(blob, at)
        error = ffi.wasmtime_module_deserialize(engine.ptr(), code, n, ctypes.byref(ptr))
        del code
        if error:
            raise wasmtime.WasmtimeError._from_ptr(error)
        module: wasmtime.Module = wasmtime.Module._from_ptr(ptr)
        return module
    return wasmtime.Module.deserialize(engine, bytes(blob[at:]))


def _wb_cache_store(module: wasmtime.Module, path: str, digest: bytes, info: _WbModuleInfo) -> None:
    """Writes the module's findings and the serialized module atomically (temp file + rename) into a 0700 directory;
    errors ignored."""
    import tempfile  # only when writing the cache (importing it costs ~3 ms)

    tmp = None
    try:
        directory = os.path.dirname(path)
        os.makedirs(directory, mode=0o700, exist_ok=True)
        if not _wb_private(os.stat(directory)):
            return
        payload = bytes(module.serialize())
        found = info.to_bytes()
        crc = zlib.crc32(payload, zlib.crc32(found))
        header = _WB_CACHE_MAGIC + digest + struct.pack("<IQI", crc, len(payload), len(found))
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".cwasm", dir=directory)
        with os.fdopen(fd, "wb") as f:
            f.write(header)
            f.write(found)
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
_wb_epochs = False  # True once the shared engine interrupts guest code at epoch deadlines (timeouts)
_wb_epoch = 0  # ticks counted by the ticker thread (read by invoke: re-arm a store's deadline when it changed)
_wb_ticker: "Optional[_WbTicker]" = None


# wasm stack limit of the shared engine in bytes (None: wasmtime's default), fixed when the engine is created.
# The upper bound is wasmtime's async_stack_size (2 MiB, which wasmtime-py cannot change): a larger max_wasm_stack
# makes wasmtime's C API panic while creating the engine, aborting the process.
_WB_STACK_RANGE = (16 * 1024, 2 * 1024 * 1024)
_wb_max_wasm_stack: Optional[int] = None


def _wb_check_stack(value: object, what: str) -> int:
    lo, hi = _WB_STACK_RANGE
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what}: expected int (bytes), got {type(value).__name__}")
    if not lo <= value <= hi:
        # above hi the OS stack of a Python thread could overflow before wasmtime's limit: a crash, not a trap
        raise ValueError(f"{what}: {value} is outside {lo}..{hi} bytes")
    return int(value)


def set_max_wasm_stack(nbytes: int) -> None:
    """Sets the wasm stack limit (bytes, 16 KiB .. 2 MiB) of every instance of this module in this process; a
    guest that recurses deeper traps with TrapError ('call stack exhausted'). The compiled-code engine is shared
    by the whole process, so call it before the first instance is created (RuntimeError afterwards). The
    environment variable WASM_BIND_MAX_WASM_STACK (bytes) sets the same limit; this call takes precedence."""
    global _wb_max_wasm_stack
    value = _wb_check_stack(nbytes, "max_wasm_stack")
    with _wb_modules_lock:
        if _wb_engine is not None:
            raise RuntimeError("set_max_wasm_stack: the engine already exists (an instance was created); "
                               "call it before the first instance, or set WASM_BIND_MAX_WASM_STACK")
        _wb_max_wasm_stack = value


def _wb_stack_setting() -> Optional[int]:
    """The stack limit for a new engine: set_max_wasm_stack, else WASM_BIND_MAX_WASM_STACK, else None."""
    if _wb_max_wasm_stack is not None:
        return _wb_max_wasm_stack
    text = os.environ.get("WASM_BIND_MAX_WASM_STACK", "").strip()
    if not text:
        return None
    try:
        value = int(text, 0)
    except ValueError:
        raise LoadError(f"WASM_BIND_MAX_WASM_STACK={text!r} is not a number of bytes") from None
    try:
        return _wb_check_stack(value, "WASM_BIND_MAX_WASM_STACK")
    except ValueError as e:
        raise LoadError(str(e)) from None


def _wb_new_engine() -> wasmtime.Engine:
    """The shared engine: linear memories reserved up front (4 GiB, all a wasm32 memory can use) and never moved
    on growth, so a memory's host address is constant for the life of its instance (see _invoke_fast); epoch
    interruption on, so that a per-store deadline bounds every guest call (timeouts, see _wb_start_ticker).
    A Module cannot cross Engines, so these settings are fixed for the process."""
    global _wb_fixed_memory, _wb_epochs
    stack = _wb_stack_setting()

    def new_config() -> wasmtime.Config:
        config = wasmtime.Config()
        if stack is not None:
            config.max_wasm_stack = stack
        return config

    config = new_config()
    # WASM_BIND_NO_TIMEOUTS=1: compiled code without epoch checks (~15% faster on long computations);
    # every instance then runs without a time limit.
    epochs = os.environ.get("WASM_BIND_NO_TIMEOUTS", "") in ("", "0")
    try:
        if epochs:
            config.epoch_interruption = True
    except Exception:  # noqa: BLE001 - older wasmtime-py: no timeouts
        epochs = False
    try:
        config.memory_reservation = 1 << 32
        config.memory_may_move = False
        engine = wasmtime.Engine(config)
        _wb_fixed_memory, _wb_epochs = True, epochs
        return engine
    except Exception:  # noqa: BLE001 - older wasmtime-py without these settings: memories may move
        _wb_fixed_memory = False
        config = new_config()
        try:
            if epochs:
                config.epoch_interruption = True
        except Exception:  # noqa: BLE001
            epochs = False
        _wb_epochs = epochs
        return wasmtime.Engine(config)


# Instances with a timeout (the ticker looks at their `_busy` / `_in_guest` flags to decide whether to idle).
_wb_timed: "weakref.WeakSet[_WbInstance]" = weakref.WeakSet()
# False while the ticker is idle (blocked on _wb_wake): a call with a deadline then wakes it (_wb_resume).
_wb_ticking = False
_wb_wake = threading.Event()


def _wb_running() -> bool:
    """Whether guest code with a deadline may be running (an instance inside a call or instantiation)."""
    try:
        return any(i._busy or i._in_guest for i in list(_wb_timed))
    except RuntimeError:  # the set changed while being copied: assume a call runs (tick again)
        return True


def _wb_resume() -> None:
    """Wakes the idle ticker; called by a guest call with a deadline after it marked itself running. The first such
    call of the process (or of a forked child) starts the ticker thread: constructing an instance starts nothing."""
    global _wb_ticking
    _wb_ticking = True
    _wb_wake.set()
    if _wb_ticker is None:
        _wb_start_ticker()


def _wb_tick(engine: wasmtime.Engine) -> None:
    """The ticker thread (daemon): advances the shared engine's epoch every _WB_TICK seconds while a guest call
    with a deadline runs, and sleeps on _wb_wake (no wake-ups at all) while none does.

    Idle handshake: the ticker clears `_wb_ticking` / the event, then looks for running calls once more; a call
    marks itself running first and then wakes the ticker if `_wb_ticking` is False. Either the ticker sees the
    call or the call sees the cleared flag, so a running call never waits on an idle ticker. Deadlines stay
    exact: the epoch only counts ticks during which some call ran."""
    global _wb_epoch, _wb_ticking
    while True:
        _wb_wake.wait()
        time.sleep(_WB_TICK)
        _wb_epoch += 1  # before the engine's: a store re-armed in between gets at most one tick less
        engine.increment_epoch()
        if not _wb_running():
            _wb_ticking = False
            _wb_wake.clear()
            if _wb_running():
                _wb_resume()


class _WbTicker:
    """The ticker thread (see _wb_tick), started with `_thread.start_new_thread`, which returns at once: a
    `threading.Thread` waits until the new thread runs, ~0.15 ms (milliseconds under load) of the first timed call.
    Like a daemon thread it does not keep the process alive; it is not listed by `threading.enumerate()`."""

    def __init__(self, engine: wasmtime.Engine) -> None:
        self.alive = True  # until _wb_tick returns (never, unless it fails)
        self.ident = _thread.start_new_thread(self._run, (engine,))

    def _run(self, engine: wasmtime.Engine) -> None:
        try:
            _wb_tick(engine)
        finally:
            self.alive = False

    def is_alive(self) -> bool:
        return self.alive


def _wb_start_ticker() -> None:
    """Starts the ticker thread once per process (from _wb_resume: the first guest call with a deadline)."""
    global _wb_ticker
    with _wb_modules_lock:
        if _wb_ticker is None and _wb_engine is not None:
            _wb_ticker = _WbTicker(_wb_engine)


def _wb_after_fork() -> None:
    """A forked child has no ticker thread: the child's first call with a deadline starts a new one (_wb_resume)."""
    global _wb_ticker, _wb_modules_lock, _wb_wake, _wb_ticking
    _wb_modules_lock = threading.Lock()  # may have been held by another thread of the parent
    _wb_wake, _wb_ticking = threading.Event(), False  # its condition's lock may have been held too
    _wb_ticker = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_wb_after_fork)


def _wb_digest(data: bytes) -> bytes:
    """BLAKE2b-256 of `data`: the key of the module caches and the checksum of a serialized module; SHA-256
    where BLAKE2 is missing or refused (FIPS-mode builds). Either way 32 bytes; a cache file is named by the
    digest of its wasm, so one written under the other algorithm is simply not found (and would fail its
    checksum if it were). Imported on first use (a file seen before is known by its stamps: _wb_stamp_get)."""
    _wb_stats["digested"] += 1
    try:  # CPython's built-in BLAKE2 (what hashlib.blake2b is): importing hashlib loads OpenSSL, ~2 ms
        from _blake2 import blake2b

        digest: bytes = blake2b(data, digest_size=32, usedforsecurity=False).digest()
        return digest
    except (ImportError, ValueError):  # pragma: no cover - other implementations, builds without it, FIPS mode
        pass
    import hashlib

    return hashlib.sha256(data).digest()


def _wb_cached_info(raw: bytes) -> Optional[_WbModuleInfo]:
    """The section reader's findings for the wasm whose _wb_digest is `raw`, from the disk cache, whose module is then
    kept in the per-process cache (_wb_module finds it there); None on a miss, or when the engine cannot be made (its
    error is raised by _wb_module, after the module's checks, as before)."""
    global _wb_engine
    digest = raw.hex()
    with _wb_modules_lock:
        if digest in _wb_modules:
            return None
        try:
            if _wb_engine is None:
                _wb_engine = _wb_new_engine()
        except LoadError:
            return None
        directory = _wb_cache_dir()
        if not directory:
            return None
        module, info = _wb_cache_load(_wb_engine, _wb_cache_path(directory, digest), raw)
        if module is None:
            return None
        _wb_modules[digest] = module
        return info


# What is known of a file by its identity and stamps (device, inode, size, mtime, ctime in ns), as Python's .pyc files
# are checked by their source's stamps: a wasm file's digest (kind "w": a construction from a file seen before finds
# its compiled module without reading or hashing the file) and the version of wasmtime-py's library (kind "v": listing
# site-packages to find it costs ~0.2 ms of start-up). The ctime is set by the kernel on every write, rename or utime,
# and cannot be set back by a program; but stamps are coarse (a few ms), so a file changed within the last
# _WB_STAMP_SETTLE_NS is not recorded (two writes of one size in one tick would look alike: git's "racy" files). Kept
# per process and, beside the compiled modules, on disk.
_WB_STAMP_MAGIC = b"wasm-bind stamp\x01"
_WB_STAMP_SETTLE_NS = 2_000_000_000
_wb_stamps: Dict[Tuple[Any, ...], bytes] = {}


def _wb_stat_key(st: os.stat_result) -> Optional[Tuple[int, ...]]:
    """The identity and stamps of a regular file; None when they cannot identify its content (not a regular file,
    or a file system without inode numbers)."""
    if (st.st_mode & 0o170000) != 0o100000 or not st.st_ino:
        return None
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


def _wb_stamp_path(directory: str, kind: str, key: Tuple[int, ...]) -> str:
    return os.path.join(directory, "stamps", kind + "-".join(f"{v:x}" for v in key))


def _wb_stamp_get(kind: str, key: Tuple[int, ...]) -> Optional[bytes]:
    """What was recorded of kind `kind` for a file with these stamps (this process, then the disk cache), or None."""
    value = _wb_stamps.get((kind, key))
    if value is not None:
        return value
    directory = _wb_cache_dir()
    if not directory:
        return None
    path = _wb_stamp_path(directory, kind, key)
    try:
        if not _wb_private(os.stat(os.path.dirname(path))):
            return None
        with open(path, "rb") as f:
            if not _wb_private(os.fstat(f.fileno())):
                return None
            blob = f.read(len(_WB_STAMP_MAGIC) + 257)
    except OSError:
        return None
    if not blob.startswith(_WB_STAMP_MAGIC) or len(blob) != len(_WB_STAMP_MAGIC) + 1 + blob[len(_WB_STAMP_MAGIC)]:
        return None  # not ours, truncated or too long
    value = blob[len(_WB_STAMP_MAGIC) + 1:]
    _wb_stamps[(kind, key)] = value
    return value


def _wb_stamp_put(kind: str, key: Tuple[int, ...], value: bytes) -> None:
    """Records `value` (at most 255 bytes) of kind `kind` for the file with these stamps, in this process and on disk
    (atomically: a temporary file renamed into place; errors ignored, the record is an optimisation only). Nothing
    for a file changed (or stamped in the future) less than _WB_STAMP_SETTLE_NS ago."""
    if time.time_ns() - max(key[3], key[4]) < _WB_STAMP_SETTLE_NS:  # (negative: stamped in the future)
        return
    _wb_stamps[(kind, key)] = value
    directory = _wb_cache_dir()
    if not directory or len(value) > 255:
        return
    path = _wb_stamp_path(directory, kind, key)
    tmp = f"{path}.{os.getpid()}.{threading.get_ident()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        if not _wb_private(os.stat(os.path.dirname(path))):
            return
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(_WB_STAMP_MAGIC + bytes((len(value),)) + value)
        os.replace(tmp, path)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def _wb_module(wasm: Optional[bytes], raw: bytes, info: _WbModuleInfo) -> wasmtime.Module:
    """The compiled module for these bytes (`raw`: their _wb_digest; `info`: what the section reader found, stored
    with it): per-process cache, then disk cache, then compile (+ store). `wasm` None: the bytes were not read (their
    digest came from the file's stamps), and the module is in the per-process cache."""
    global _wb_engine
    digest = raw.hex()
    with _wb_modules_lock:
        module = _wb_modules.get(digest)
        if module is not None:
            return module
        if wasm is None:  # pragma: no cover - the caller read the bytes unless the module was found here
            raise LoadError("internal error: the wasm module's bytes were not read")
        if _wb_engine is None:
            _wb_engine = _wb_new_engine()
        directory = _wb_cache_dir()
        path = _wb_cache_path(directory, digest) if directory else None
        module = _wb_cache_load(_wb_engine, path, raw)[0] if path else None
        if module is None:
            try:
                module = wasmtime.Module(_wb_engine, wasm)
            except Exception as e:  # wasmtime raises WasmtimeError for invalid wasm
                raise LoadError(f"invalid wasm module: {e}") from e
            _wb_stats["compiled"] += 1
            if path:
                _wb_cache_store(module, path, raw, info)
        _wb_modules[digest] = module
        return module


# ---------------------------------------------------------------------------------------------------------------
# Inspecting an untrusted module before compiling it (a small reader of the wasm binary's sections)
# ---------------------------------------------------------------------------------------------------------------

# Bounds checked before compiling (bytes); constructor keywords max_module_size= / max_function_size=. Compiling is
# the expensive step an untrusted module controls (Cranelift time and memory grow with a function's size): Monocypher's
# largest body is ~26 KiB, SQLite's ~250 KiB.
_WB_MAX_MODULE_SIZE = 64 * 1024 * 1024
_WB_MAX_FUNCTION_SIZE = 1024 * 1024  # the Rust runtime's default too
_WB_VALTYPE_CODES = {0x7F: "i32", 0x7E: "i64", 0x7D: "f32", 0x7C: "f64", 0x7B: "v128", 0x70: "funcref",
                     0x6F: "externref"}
_WB_EXTERN_KINDS = ("function", "table", "memory", "global", "tag")
# Opcodes a constant expression may hold, with the size of their immediate: -1 LEB128, 1/4/8 fixed bytes.
_WB_CONST_OPS = {0x41: -1, 0x42: -1, 0x43: 4, 0x44: 8, 0x23: -1, 0xD0: 1, 0xD2: -1, 0x6A: 0, 0x6B: 0, 0x6C: 0,
                 0x7C: 0, 0x7D: 0, 0x7E: 0}


class _WbMalformed(Exception):
    """Internal: the module's bytes do not parse (the message says where)."""


class _WbReader:
    """A cursor over wasm bytes: LEB128 integers, names, vectors; _WbMalformed past the end."""

    __slots__ = ("data", "pos", "end")

    def __init__(self, data: memoryview, pos: int = 0, end: Optional[int] = None) -> None:
        self.data, self.pos, self.end = data, pos, len(data) if end is None else end

    def byte(self) -> int:
        if self.pos >= self.end:
            raise _WbMalformed(f"unexpected end at byte {self.pos}")
        b = self.data[self.pos]
        self.pos += 1
        return b

    def uleb(self, bits: int = 32) -> int:
        result = shift = 0
        while True:
            b = self.byte()
            result |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                break
            if shift >= bits + 7:
                raise _WbMalformed(f"LEB128 integer too long at byte {self.pos}")
        if result >> bits:
            raise _WbMalformed(f"LEB128 integer over {bits} bits at byte {self.pos}")
        return result

    def skip(self, n: int) -> None:
        if n < 0 or self.pos + n > self.end:
            raise _WbMalformed(f"{n} bytes at byte {self.pos} run past the end")
        self.pos += n

    def name(self) -> str:
        n = self.uleb()
        start = self.pos
        self.skip(n)
        return bytes(self.data[start:self.pos]).decode("utf-8", "replace")

    def valtype(self) -> str:
        code = self.byte()
        name = _WB_VALTYPE_CODES.get(code)
        if name is None:
            raise _WbMalformed(f"unsupported value type 0x{code:02x} at byte {self.pos - 1}")
        return name

    def limits(self) -> None:
        flags = self.byte()
        self.uleb(64)
        if flags & 1:
            self.uleb(64)

    def const_expr(self) -> None:
        while True:
            op = self.byte()
            if op == 0x0B:
                return
            size = _WB_CONST_OPS.get(op)
            if size is None:
                raise _WbMalformed(f"unsupported opcode 0x{op:02x} in a constant expression at byte {self.pos - 1}")
            if op in (0x41, 0x42):
                self.sleb()
            elif size < 0:
                self.uleb()
            else:
                self.skip(size)

    def sleb(self) -> None:
        while self.byte() & 0x80:
            pass


class _WbModuleInfo:
    """What the section reader learnt about a module: its imports, exports (name -> (kind, type)), the size and
    index of its largest function body, and whether it has a start function. Types: a function's
    `(params, results)`, a global's `(valtype, mutable)`."""

    __slots__ = ("size", "imports", "exports", "largest_body", "largest_index", "start")

    def __init__(self, size: int) -> None:
        self.size = size
        self.start = False
        self.imports: List[Tuple[str, str, str]] = []
        self.exports: Dict[str, Tuple[str, Any]] = {}
        self.largest_body = 0
        self.largest_index = -1

    def to_bytes(self) -> bytes:
        """The findings as stored in the disk cache (marshal: built in, plain tuples, lists, dicts, str, int)."""
        return marshal.dumps((self.size, self.start, self.imports, self.exports, self.largest_body,
                              self.largest_index))

    @classmethod
    def from_bytes(cls, data: memoryview) -> "_WbModuleInfo":
        """The findings `to_bytes` stored; ValueError when they are not in that shape."""
        size, start, imports, exports, largest_body, largest_index = marshal.loads(data)
        if not (type(size) is int and type(start) is bool and type(imports) is list and type(exports) is dict
                and type(largest_body) is int and type(largest_index) is int
                and all(type(i) is tuple and len(i) == 3 for i in imports)
                and all(type(e) is tuple and len(e) == 2 for e in exports.values())):
            raise ValueError("cached module findings are malformed")
        info = cls(size)
        info.start, info.imports, info.exports = start, imports, exports
        info.largest_body, info.largest_index = largest_body, largest_index
        return info


def _wb_inspect(data: bytes) -> _WbModuleInfo:
    """Reads the type, import, function, global, export and code sections; _WbMalformed if they do not parse."""
    view = memoryview(data)
    if bytes(view[:8]) != b"\0asm\x01\0\0\0":
        raise _WbMalformed("not a wasm module (no '\\0asm' version 1 header)")
    info = _WbModuleInfo(len(data))
    types: List[Tuple[Tuple[str, ...], Tuple[str, ...]]] = []
    funcs: List[int] = []  # type index of every function, imported ones first
    globals_: List[Tuple[str, bool]] = []
    exports: List[Tuple[str, int, int]] = []
    r = _WbReader(view, 8)
    while r.pos < r.end:
        section, size = r.byte(), r.uleb()
        body_end = r.pos + size
        if body_end > r.end:
            raise _WbMalformed(f"section {section} at byte {r.pos} runs past the end")
        s = _WbReader(view, r.pos, body_end)
        if section == 1:
            for _ in range(s.uleb()):
                form = s.byte()
                if form != 0x60:
                    raise _WbMalformed(f"unsupported type form 0x{form:02x} at byte {s.pos - 1}")
                params = tuple(s.valtype() for _ in range(s.uleb()))
                types.append((params, tuple(s.valtype() for _ in range(s.uleb()))))
        elif section == 2:
            for _ in range(s.uleb()):
                module, field, kind = s.name(), s.name(), s.byte()
                info.imports.append((module, field, _WB_EXTERN_KINDS[kind] if kind < 5 else f"kind {kind}"))
                if kind == 0:
                    funcs.append(s.uleb())
                elif kind == 1:
                    s.byte()
                    s.limits()
                elif kind == 2:
                    s.limits()
                elif kind == 3:
                    globals_.append((s.valtype(), bool(s.byte())))
                elif kind == 4:
                    s.byte()
                    s.uleb()
                else:
                    raise _WbMalformed(f"unknown import kind {kind} at byte {s.pos - 1}")
        elif section == 3:
            funcs.extend(s.uleb() for _ in range(s.uleb()))
        elif section == 6:
            for _ in range(s.uleb()):
                globals_.append((s.valtype(), bool(s.byte())))
                s.const_expr()
        elif section == 7:
            for _ in range(s.uleb()):
                exports.append((s.name(), s.byte(), s.uleb()))
        elif section == 8:
            info.start = True
        elif section == 10:
            imported = sum(1 for _, _, kind in info.imports if kind == "function")
            for i in range(s.uleb()):
                n = s.uleb()
                if n > info.largest_body:
                    info.largest_body, info.largest_index = n, imported + i
                s.skip(n)
        r.pos = body_end
    for name, kind, index in exports:
        ty: Any = None
        if kind == 0 and index < len(funcs) and funcs[index] < len(types):
            ty = types[funcs[index]]
        elif kind == 3 and index < len(globals_):
            ty = globals_[index]
        info.exports[name] = (_WB_EXTERN_KINDS[kind] if kind < 5 else f"kind {kind}", ty)
    return info


def _wb_export_hint(source: str, name: str, what: str) -> str:
    """The LoadError text for a function export the bindings need and the module lacks, with how to fix it."""
    return (f"{source}: the wasm module does not export {what} {name!r}, which the bindings call. Fix: rebuild the "
            f"guest so that it exports it (link with `-Wl,--export={name}`, or mark the C function "
            f"`__attribute__((export_name(\"{name}\")))`), or leave it out of the bindings (config "
            f"`[functions.{name}] skip = \"...\"`, then regenerate)")


def _wb_persist_hint(source: str, name: str) -> str:
    """The LoadError text for a missing persistent-block export (handles need it), with how to fix it."""
    return (f"{source}: the wasm module does not export function {name!r}, which the bindings' handle types "
            "(C structs passed by pointer) need. Fix: rebuild the guest with `wasm-bind guest`, or link the guest "
            "kit's guest-kit/wb_arena.c into it and export wb_persist_alloc and wb_persist_free")


def _wb_check_info(info: _WbModuleInfo, source: str, wanted: Sequence[Tuple[str, Optional[str]]],
                   max_module_size: int, max_function_size: int) -> None:
    """LoadError before compiling when the module is over a bound, imports anything, or lacks (or mistypes) an export
    the bindings need: `wanted` lists (function name, expected 'i32,i32->i32' signature or None)."""
    if info.size > max_module_size:
        raise LoadError(f"{source}: the wasm module is {info.size} bytes, more than max_module_size "
                        f"({max_module_size} bytes; raise it with the max_module_size= constructor argument)")
    if info.largest_body > max_function_size:
        raise LoadError(f"{source}: function #{info.largest_index} of the wasm module has a {info.largest_body}-byte "
                        f"body, more than max_function_size ({max_function_size} bytes; raise it with the "
                        "max_function_size= constructor argument)")
    refused = [(m, f, k) for m, f, k in info.imports
               if not (m == _WB_WASI_MODULE and k == "function" and f in _WB_WASI_FUNCTIONS)]
    if refused:
        shown = ", ".join(f"{m}.{f} ({k})" for m, f, k in refused[:5])
        more = f" and {len(refused) - 5} more" if len(refused) > 5 else ""
        raise LoadError(f"{source}: the wasm module imports {shown}{more}, which no wasm-bind runtime provides: a guest "
                        "imports nothing (freestanding) or only WASI preview 1 functions (a libc guest, `wasm-bind guest "
                        "--wasi`); define what it calls in the guest's sources")
    memory = info.exports.get("memory")
    if memory is None or memory[0] != "memory":
        raise LoadError(f"{source}: the wasm module does not export a linear memory named 'memory'" if memory is None
                        else f"{source}: export 'memory' is a {memory[0]}, expected a memory")
    heap = info.exports.get("__heap_base")
    if heap is not None and (heap[0] != "global" or heap[1] is None or heap[1][0] != "i32"):
        kind = heap[0] if heap[0] != "global" or heap[1] is None else f"{'mutable ' if heap[1][1] else ''}" \
            f"{heap[1][0]} global"
        raise LoadError(f"{source}: export '__heap_base' is a {kind}, expected an i32 global (the start of the heap: "
                        "allocator results are checked against it); rebuild the guest with a standard linker (wasm-ld "
                        "exports it with --export=__heap_base) or do not export that name")
    for name, expected in wanted:
        found = info.exports.get(name)
        if found is None:  # the persistent-block exports are listed by modules whose bindings take handles
            raise LoadError(_wb_persist_hint(source, name) if name in ("wb_persist_alloc", "wb_persist_free")
                            else _wb_export_hint(source, name, "function"))
        if found[0] != "function":
            raise LoadError(f"{source}: export {name!r} is a {found[0]}, expected a function")
        if expected is not None and found[1] is not None and found[1] != _wb_signature(expected):
            want = _wb_signature(expected)
            raise LoadError(f"{source}: export {name!r} has type ({', '.join(found[1][0])}) -> "
                            f"({', '.join(found[1][1])}), expected ({', '.join(want[0])}) -> ({', '.join(want[1])}); "
                            "the bindings and the wasm come from different versions of the C header: regenerate or "
                            "rebuild one of them")


# ---------------------------------------------------------------------------------------------------------------
# Fast path: our own ctypes prototypes over the libwasmtime bundled with wasmtime-py
# ---------------------------------------------------------------------------------------------------------------

class _WbCApi:
    """Prototypes for the few C functions the fast path calls; built once, None if unavailable.

    The prototypes declare no argument types and are always called with prepared ctypes objects
    (c_void_p / c_size_t / c_uint64): that skips ctypes' per-argument
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
        self.set_deadline = ctypes.PYFUNCTYPE(None)(addr(dll.wasmtime_context_set_epoch_deadline))
        self.memory_data = ctypes.PYFUNCTYPE(vp)(addr(dll.wasmtime_memory_data))
        self.memory_data_size = ctypes.PYFUNCTYPE(sz)(addr(dll.wasmtime_memory_data_size))
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
        from wasmtime._extern import wrap_extern  # private: one export by name, without listing them all
        self._export_get = ffi.wasmtime_instance_export_get
        self._extern_t = ffi.wasmtime_extern_t
        self._wrap_extern = wrap_extern

    def export(self, store: wasmtime.Store, instance: wasmtime.Instance, name: str) -> Optional[Any]:
        """One export of `instance` by name (None when absent). wasmtime-py's `Instance.exports` lists every
        export, one C call each whose cost grows with the export's index: quadratic in a large module."""
        item = self._extern_t()
        raw = name.encode("utf-8")
        if not self._export_get(store._context(), ctypes.byref(instance._instance), ctypes.c_char_p(raw), len(raw),
                                ctypes.byref(item)):
            return None
        return self._wrap_extern(item)

    def failure(self, export: str, err: Optional[int], trap: Optional[int]) -> "_WbTrapped":
        """The failure of a call (takes ownership of the error/trap objects)."""
        if trap:
            t = wasmtime.Trap._from_ptr(ctypes.cast(trap, self.trap_ptr))
            return _WbTrapped(export, t.message, _wb_is_timeout(t))
        return _WbTrapped(export, str(wasmtime.WasmtimeError._from_ptr(ctypes.cast(err or 0, self.error_ptr))))


_wb_capi: Optional[_WbCApi] = None
_wb_capi_checked = False
_wb_capi_reason = ""


def _wb_known_internals() -> bool:
    """Whether wasmtime-py's version is in the range whose internals the fast path knows (_WB_WASMTIME_FAST_VERSIONS)."""
    try:
        parsed = tuple(int(p) for p in _wb_wasmtime_version().split(".")[:2])
    except ValueError:
        return False
    low, high = _WB_WASMTIME_FAST_VERSIONS
    return low <= parsed < high


def _wb_fast_api() -> Optional[_WbCApi]:
    """The fast-path C API, or None (with `_wb_capi_reason` saying why) when it must not be used."""
    global _wb_capi, _wb_capi_checked, _wb_capi_reason
    if _wb_capi_checked:
        return _wb_capi
    _wb_capi_checked = True
    version = _wb_wasmtime_version()
    low, high = _WB_WASMTIME_FAST_VERSIONS
    if not _wb_known_internals():
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
    """Internal: a guest call failed inside wasmtime (trap or error); carries the export and the message;
    `timeout`: the trap was the epoch deadline (the call ran too long); `when`: appended to the export in the
    error's message (" while wiping the arena": the reset of a merged call trapped)."""

    def __init__(self, export: str, message: str, timeout: bool = False) -> None:
        super().__init__(message)
        self.export = export
        self.message = message
        self.timeout = timeout
        self.when = ""


def _wb_is_timeout(trap: Any) -> bool:
    try:
        return trap.trap_code == wasmtime.TrapCode.INTERRUPT  # type: ignore[no-any-return]
    except Exception:  # noqa: BLE001 - no trap code: an ordinary failure
        return False


_WB_SLOT = {"i32": "i12x", "i64": "q8x", "f32": "f12x", "f64": "d8x"}
_WB_RESULT = {"i32": "<i", "i64": "<q", "f32": "<f", "f64": "<d"}
_WB_UNPACK = {ty: struct.Struct(fmt).unpack_from for ty, fmt in _WB_RESULT.items()}
_wb_packers: Dict[Tuple[str, ...], struct.Struct] = {}


_T = TypeVar("_T")


class _WbLazy(dict[int, _T]):  # dict[...]: typing.Dict[...] costs start-up time
    """Index -> value, each made by `make(index)` on first access and kept (a dict lookup, as cheap as a list's)."""

    __slots__ = ("_make",)

    def __init__(self, make: Callable[[int], _T]) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, index: int) -> _T:
        value = self[index] = self._make(index)
        return value


# Merged calls (fast path): a function whose argument block is the scratch block (persistent: the arena reset never
# touches it) is called through a tiny host-built module that calls it and then the guest's arena
# reset, in one guest call instead of two. Built per (instance, function) at its _WB_MERGE_AFTER-th such call (a
# one-off call costs no compile), compiled once per signature and process.
_WB_MERGE_AFTER = 3
_WB_VALTYPE_BYTE = {"i32": 0x7F, "i64": 0x7E, "f32": 0x7D, "f64": 0x7C}
_wb_merge_modules: Dict[Tuple[Tuple[str, ...], Tuple[str, ...], Tuple[int, ...]], wasmtime.Module] = {}


def _wb_leb(n: int) -> bytes:
    out = bytearray()
    while True:
        low, n = n & 0x7F, n >> 7
        out.append(low | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _wb_merge_wasm(params: Tuple[str, ...], results: Tuple[str, ...], rel: Tuple[int, ...] = ()) -> bytes:
    """The merged-call module for one signature: imports the function ("wb" "f") and the reset ("wb" "r", [] -> []),
    exports "c" (same signature): global "s" := 0, f(arguments...), "s" := 1, r(), f's result. After a trap, "s"
    tells which of the two trapped. With `rel` (argument positions that are offsets into the scratch block), it also
    imports the block's guest address as an immutable i32 global ("wb" "b") and adds it to those arguments, so that
    the host packs the offsets as they are."""
    def vec(items: Sequence[bytes]) -> bytes:
        return _wb_leb(len(items)) + b"".join(items)

    def section(code: int, body: bytes) -> bytes:
        return bytes([code]) + _wb_leb(len(body)) + body

    def functype(ps: Tuple[str, ...], rs: Tuple[str, ...]) -> bytes:
        return b"\x60" + vec([bytes([_WB_VALTYPE_BYTE[t]]) for t in ps]) + vec([bytes([_WB_VALTYPE_BYTE[t]]) for t in rs])

    stage = _wb_leb(1 if rel else 0)  # imported globals come first in the global index space
    get = b"".join(b"\x20" + _wb_leb(i) + (b"\x23\x00\x6a" if i in rel else b"") for i in range(len(params)))
    body = b"\x00\x41\x00\x24" + stage + get + b"\x10\x00\x41\x01\x24" + stage + b"\x10\x01\x0b"
    imports = [b"\x02wb\x01f\x00\x00", b"\x02wb\x01r\x00\x01"] + ([b"\x02wb\x01b\x03\x7f\x00"] if rel else [])
    return (b"\0asm\x01\0\0\0" + section(1, vec([functype(params, results), functype((), ())]))
            + section(2, vec(imports)) + section(3, vec([b"\x00"]))
            + section(6, vec([b"\x7f\x01\x41\x00\x0b"])) + section(7, vec([b"\x01c\x00\x02", b"\x01s\x03" + stage]))
            + section(10, vec([_wb_leb(len(body)) + body])))


class _WbExport:
    """A resolved function export: its signature plus the prepared fast-path call buffers."""

    __slots__ = ("name", "func", "params", "results", "packer", "buf", "unpack", "slots", "addr_o", "buf_o",
                 "slots_o", "fast")

    def __init__(self, name: str, func: wasmtime.Func, params: Tuple[str, ...], results: Tuple[str, ...],
                 fast: bool) -> None:
        self.name, self.func, self.params, self.results = name, func, params, results
        packer = _wb_packers.get(params)
        if packer is None:  # shared by every export with these parameter types (Struct objects are immutable)
            packer = _wb_packers.setdefault(params, struct.Struct("<" + "".join(_WB_SLOT[p] for p in params)))
        self.packer = packer
        self.unpack = _WB_UNPACK[results[0]] if results else None
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


@functools.lru_cache(maxsize=None)  # a module's functions share a few signatures; the checks parse each once
def _wb_signature(text: str) -> Tuple[Tuple[str, ...], Tuple[str, ...]]:
    """Parses 'i32,i32->i32' (either side may be empty)."""
    params, _, results = text.partition("->")
    def split(side: str) -> Tuple[str, ...]:
        return tuple(t.strip() for t in side.split(",") if t.strip())
    return split(params), split(results)


def _wb_check_fixup(name: str, at: int, target: int, block: int) -> None:
    """A fixup's pointer slot [at, at+4) and its target (at most one past the end) lie inside the block."""
    if at < 0 or at + 4 > block or target < 0 or target > block:
        raise ValueError(f"{name}: fixup {at} -> {target} is outside the {block}-byte block")


_WB_EMPTY = memoryview(bytearray())  # the view of an empty argument block
_WB_RESET_WIPED = "wb_reset_wiped"  # the guest kit's reset after a host wipe (guest-kit/wb_arena.h)
_WB_ZEROS = memoryview(bytes(_WB_SCRATCH))  # the source of the scratch block's wipes


def _wb_fill(view: memoryview, name: str, block: int, base: int, writes: Sequence[Tuple[int, _WbBuffer]],
             fixups: Sequence[Tuple[int, int]]) -> None:
    """Copies each `(offset, data)` into the argument block's view, then stores each fixup's guest address."""
    for off, data in writes:
        end = off + len(data)
        if off < 0 or end > block:
            raise ValueError(f"{name}: write at {off}+{len(data)} is outside the {block}-byte block")
        view[off:end] = data
    for at, target in fixups:
        _wb_check_fixup(name, at, target, block)
        view[at:at + 4] = ((base + target) & _WB_U32).to_bytes(4, "little")


def _wb_outs(view: memoryview, name: str, block: int, reads: Sequence[Tuple[int, int]]) -> List[bytes]:
    """The bytes of each `(offset, size)` of the argument block's view."""
    outs = []
    for off, n in reads:
        end = off + n
        if off < 0 or n < 0 or end > block:
            raise ValueError(f"{name}: read at {off}+{n} is outside the {block}-byte block")
        outs.append(view[off:end].tobytes())
    return outs


def _wb_wipe_memory(store: wasmtime.Store, memory: wasmtime.Memory) -> None:
    """Zeroes all of a linear memory from the host (public API; also the finalizer of every instance)."""
    try:
        size = memory.data_len(store)
        addr = ctypes.cast(memory.data_ptr(store), ctypes.c_void_p).value
        if addr and size:
            ctypes.memset(addr, 0, size)
    except Exception:  # noqa: BLE001 - a finalizer must not raise (e.g. at interpreter exit)
        pass


class _WbInstance:
    """One instance of a guest module (its own Store and linear memory) and the binding-call primitive.

    Thread safety: one re-entrant lock per object (`lock`); `invoke` and the helpers take it, and generated code
    may hold it around a sequence of calls that must not interleave. Different objects run in parallel.

    After a trap, a timeout or a broken allocator pointer the guest's state (stack pointer, arena) cannot be
    trusted, so the instance is wiped and re-created from the same compiled module (`generation` increases): the
    object stays usable, but every persistent block (issue-5 handles) of the old generation is gone.

    Limits: `max_memory` (bytes, 64 KiB .. 4 GiB, default _WB_MAX_MEMORY) caps linear memory; `timeout` (seconds,
    default _WB_TIMEOUT, None: no limit) bounds each guest call. When the object is garbage collected its linear
    memory is zeroed before wasmtime releases it.
    """

    def __init__(self, wasm: Union[bytes, bytearray, _WbPath, None], default_path: _WbPath,
                 functions: Sequence[str], alloc: str = "bump_alloc", reset: str = "bump_reset",
                 *, fast: Optional[bool] = None, signatures: Optional[Sequence[Optional[str]]] = None,
                 persist_alloc: str = "wb_persist_alloc", persist_free: str = "wb_persist_free",
                 max_memory: int = _WB_MAX_MEMORY, timeout: Optional[float] = _WB_TIMEOUT,
                 max_module_size: int = _WB_MAX_MODULE_SIZE, max_function_size: int = _WB_MAX_FUNCTION_SIZE,
                 wasi: Optional[Wasi] = None) -> None:
        if wasi is not None and not isinstance(wasi, Wasi):
            raise TypeError(f"wasi: expected a Wasi() (wasm_bind_runtime.Wasi) or None, got {type(wasi).__name__}")
        for what, bound in (("max_module_size", max_module_size), ("max_function_size", max_function_size)):
            if type(bound) is not int:
                raise TypeError(f"{what}: expected int (bytes), got {type(bound).__name__}")
            if bound <= 0:
                raise ValueError(f"{what}: {bound} is not a positive number of bytes")
        if type(max_memory) is not int:
            raise TypeError(f"max_memory: expected int (bytes), got {type(max_memory).__name__}")
        if not 65536 <= max_memory <= _WB_MEMORY_LIMIT:
            raise ValueError(f"max_memory: {max_memory} is outside 65536..{_WB_MEMORY_LIMIT} bytes")
        if timeout is not None:
            if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
                raise TypeError(f"timeout: expected seconds (int or float) or None, got {type(timeout).__name__}")
            if not 0 < timeout < 1e9:  # also rejects NaN
                raise ValueError(f"timeout: {timeout} is not a positive number of seconds (None: no limit)")
        if wasm is None:
            wasm = default_path
        data: Optional[bytes] = None
        raw: Optional[bytes] = None  # the bytes' _wb_digest
        info: Optional[_WbModuleInfo] = None
        stamps: Optional[Tuple[int, ...]] = None  # the file's identity and stamps (see _wb_stat_key)
        if isinstance(wasm, (bytes, bytearray)):
            data = bytes(wasm)
            self.source = "the wasm bytes passed as wasm="
        elif isinstance(wasm, (str, os.PathLike)):
            self.source = os.fspath(wasm)
            try:
                with open(wasm, "rb") as f:
                    stamps = _wb_stat_key(os.fstat(f.fileno()))
                    raw = _wb_stamp_get("w", stamps) if stamps is not None else None
                    if raw is not None:  # seen before: its findings and compiled module, without reading it
                        info = _wb_infos.get(raw) or _wb_cached_info(raw)
                        if info is None or raw.hex() not in _wb_modules:
                            raw, info = None, None
                    if raw is None:
                        data = f.read()
            except OSError as e:
                raise LoadError(f"cannot read wasm module {self.source!r}: {e}") from e
        elif callable(getattr(wasm, "read_bytes", None)):  # importlib.resources: a package's data (wheel, zip...)
            self.source = str(wasm)
            try:
                data = bytes(wasm.read_bytes())
            except OSError as e:
                raise LoadError(f"cannot read wasm module {self.source!r} (package data): {e}") from e
        else:
            raise TypeError(f"wasm: expected bytes, a path or None, got {type(wasm).__name__}")
        if data is not None and len(data) > max_module_size:  # before hashing or parsing it
            raise LoadError(f"{self.source}: the wasm module is {len(data)} bytes, more than max_module_size "
                            f"({max_module_size} bytes; raise it with the max_module_size= constructor argument)")
        if signatures is not None and len(signatures) != len(functions):
            raise ValueError("signatures: need one entry (or None) per function")
        if data is not None:
            raw = _wb_digest(data)
            info = _wb_infos.get(raw)
            if info is None:
                # A disk-cache hit brings the findings stored with the compiled module (checked below all the same)
                info = _wb_cached_info(raw)
            if info is None:
                try:
                    info = _wb_inspect(data)
                except _WbMalformed as e:
                    raise LoadError(f"{self.source}: invalid wasm module: {e}") from None
                _wb_stats["inspected"] += 1
        if raw is None or info is None:  # pragma: no cover - set on both branches above (for the type checker)
            raise LoadError(f"{self.source}: internal error: the wasm module was not read")
        _wb_infos[raw] = info
        sigs = tuple(signatures) if signatures is not None else (None,) * len(functions)
        checked_key = (raw, alloc, reset, tuple(functions), sigs, max_module_size, max_function_size)
        if checked_key not in _wb_checked_infos:  # a module's checks pass or fail the same way every time
            _wb_check_info(info, self.source, [(alloc, "i32->i32"), (reset, "->"), *zip(functions, sigs)],
                           max_module_size, max_function_size)
            _wb_checked_infos.add(checked_key)
        self._module = _wb_module(data, raw, info)
        if data is not None and stamps is not None:
            _wb_stamp_put("w", stamps, raw)  # its next construction needs neither to read nor to hash it
        # A libc guest (it imports WASI): linked with WASI, replaying `wasi` (deny by default) at every instantiation.
        self.wasi: Optional[Wasi] = (wasi if wasi is not None else Wasi()) if info.imports else None
        # Instantiating runs guest code only with a start function or a reactor's `_initialize`: only then does the
        # deadline need the ticker (started by the first guest call with a deadline otherwise).
        self._init_runs_guest = info.start or "_initialize" in info.exports
        self.max_memory = max_memory
        self.timeout = timeout
        # epoch deadline in ticks (0: no timeout); re-armed when _wb_epoch moved since `_armed_at`
        self._ticks = int(-(-float(timeout) // _WB_TICK)) + 1 if timeout is not None and _wb_epochs else 0
        self._armed_at = -1
        self._busy = False
        self._in_guest = False  # guest code runs outside invoke (instantiation, call, persist_*): ticker stays up
        if self._ticks:
            _wb_timed.add(self)  # the ticker thread starts with the first guest call that has a deadline
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
        # `_busy`: True while invoke runs: a persist_free arriving then (a handle finalized by the GC inside
        # invoke, on this thread) is deferred to the end of invoke instead of calling into the guest mid-call.
        # Each entry: a function of the runtime and its arguments (persist_free, destroy), run by _drain_deferred.
        self._deferred: List[Tuple[Callable[..., None], Tuple[Any, ...]]] = []
        # Library-owned handles of this instance by guest pointer (see _WbOwned): a borrowed pointer equal to a
        # live handle's is returned as that handle.
        self._owned: "weakref.WeakValueDictionary[int, _WbOwned]" = weakref.WeakValueDictionary()
        # Fast-path ctypes objects (see _WbCApi): the trap out-slot and the epoch deadline.
        self._trap = ctypes.c_void_p()
        self._trap_o = ctypes.c_void_p(ctypes.addressof(self._trap))
        self._deadline_o = ctypes.c_uint64(self._ticks)
        self._wiper: "Optional[weakref.finalize[Any, Any]]" = None
        self._instantiate()
        self.invoke = self._invoke_fast if self.fast else self._invoke_public  # type: ignore[method-assign]

    # -- loading ---------------------------------------------------------------------------------------------

    def _check_module_memory(self) -> None:
        """After a failed instantiation: LoadError naming the cause when the module has no 'memory' export or
        its initial size is over max_memory (wasmtime's own message is less helpful). Listing the module's
        exports costs ~1 ms, so it is not done on the successful path."""
        for ex in self._module.exports:
            if ex.name != "memory":
                continue
            ty = ex.type
            if isinstance(ty, wasmtime.MemoryType):
                initial = ty.limits.min * 65536
                if initial > self.max_memory:
                    raise LoadError(f"the guest's initial memory is {initial} bytes ({ty.limits.min} pages), "
                                    f"more than max_memory ({self.max_memory} bytes)")
            return
        raise LoadError("the wasm module does not export a linear memory named 'memory'")

    def _instantiate(self) -> None:
        store = wasmtime.Store(_wb_engine)
        store.set_limits(memory_size=self.max_memory)
        if _wb_epochs:
            # also bounds a start function; with no timeout the deadline is never reached
            store.set_epoch_deadline(self._ticks or (1 << 62))
            self._armed_at = _wb_epoch
        in_guest, self._in_guest = self._in_guest, True  # a start function runs guest code
        if self._ticks and not _wb_ticking and self._init_runs_guest:
            _wb_resume()
        try:
            if self.wasi is not None:
                store.set_wasi(self.wasi._config())
                instance = _wb_linker().instantiate(store, self._module)
            else:
                instance = wasmtime.Instance(store, self._module, [])
        except Exception as e:  # noqa: BLE001 - imports required, start function trapped, memory over the cap...
            self._in_guest = in_guest
            self._check_module_memory()
            raise LoadError(f"{self.source}: cannot instantiate the wasm module: {e}") from e
        lookup: Callable[[str], Optional[Any]]
        if self._capi is not None:
            lookup = functools.partial(self._capi.export, store, instance)
        else:
            lookup = instance.exports(store).get
        try:  # a reactor's constructors (wasi-libc: environment, preopens, stdio), once per instance
            init = lookup("_initialize")  # exported by reactors (libc guests), even one that imports nothing
            if isinstance(init, wasmtime.Func):
                init(store)
        except Exception as e:  # noqa: BLE001 - the guest trapped or exited in its constructors
            raise LoadError(f"{self.source}: the guest's _initialize failed: {e}") from e
        finally:
            self._in_guest = in_guest
        memory = lookup("memory")
        if not isinstance(memory, wasmtime.Memory):
            raise LoadError("the wasm module does not export a linear memory named 'memory'"
                            if memory is None else "export 'memory' is not a memory")
        if memory.type(store).is_64:
            raise LoadError("export 'memory' is a 64-bit memory; wasm-bind supports wasm32 guests")
        fast = self._capi is not None
        checked = _wb_checked_sigs.setdefault(self._module, {})  # every instance of a module has its export types

        def resolve(name: str, expected: Optional[str]) -> _WbExport:
            item = lookup(name)
            if item is None:
                raise LoadError(_wb_export_hint(self.source, name, "function"))
            if not isinstance(item, wasmtime.Func):
                raise LoadError(f"{self.source}: export {name!r} is a {type(item).__name__.lower()}, expected a "
                                "function")
            known = checked.get((name, expected))
            if known is not None:
                return _WbExport(name, item, known[0], known[1], fast)
            ty = item.type(store)
            params = tuple(str(p) for p in ty.params)
            results = tuple(str(r) for r in ty.results)
            shown = f"({', '.join(params)}) -> ({', '.join(results)})"
            if any(t not in _WB_VALTYPES for t in params + results) or len(results) > 1:
                raise LoadError(f"{self.source}: export {name!r} has unsupported type {shown}")
            if expected is not None and (params, results) != _wb_signature(expected):
                want = _wb_signature(expected)
                raise LoadError(f"{self.source}: export {name!r} has type {shown}, expected "
                                f"({', '.join(want[0])}) -> ({', '.join(want[1])})")
            checked[(name, expected)] = (params, results)
            return _WbExport(name, item, params, results, fast)

        self._alloc = resolve(self._alloc_name, "i32->i32")
        self._reset = resolve(self._reset_name, "->")
        self._palloc: Optional[_WbExport] = (resolve(self._persist_names[0], "i32->i32")
                                             if lookup(self._persist_names[0]) is not None else None)
        self._pfree: Optional[_WbExport] = (resolve(self._persist_names[1], "i32,i32->")
                                            if lookup(self._persist_names[1]) is not None else None)
        # The guest kit's bump_reset for a block the host has just wiped itself (optional: older kits lack it; not
        # with a reset of the guest's own, named in the config, which it would bypass).
        self._rwiped: Optional[_WbExport] = None
        if self._reset_name == "bump_reset" and isinstance(lookup(_WB_RESET_WIPED), wasmtime.Func):
            try:
                self._rwiped = resolve(_WB_RESET_WIPED, "i32,i32->")
            except LoadError:  # another signature: not the kit's, use bump_reset
                pass
        # Bound functions are resolved on first use (a module of 5,000 functions constructs in milliseconds);
        # their presence and types were checked against the module before compiling it (_wb_check_info).
        names, expected = self._names, self._expected
        self._funcs: _WbLazy[_WbExport] = _WbLazy(lambda i: resolve(names[i], expected[i]))
        # Allocator results must lie at or above __heap_base (data and C stack are below it) when exported.
        heap = lookup("__heap_base")
        if heap is None:
            self._heap_base = 1
        else:  # also checked before compiling (_wb_check_info): a wrongly typed one would turn the check off
            value = heap.value(store) if isinstance(heap, wasmtime.Global) else None
            if not isinstance(heap, wasmtime.Global) or isinstance(value, bool) or not isinstance(value, int) or \
                    str(heap.type(store).content) != "i32":
                raise LoadError(f"{self.source}: export '__heap_base' is not an i32 global")
            self._heap_base = max(1, value & _WB_U32)
        self._store, self._instance, self._memory = store, instance, memory
        self._lookup = lookup
        if self._wiper is not None:
            self._wiper.detach()
        self._wiper = weakref.finalize(self, _wb_wipe_memory, store, memory)
        self._untrusted = False  # set with a GuestError that leaves the guest's state unusable
        self._oom: Optional[GuestError] = None  # the allocator returned 0 in this call: probe it after the reset
        # The scratch block (see _place) for calls up to _WB_SCRATCH bytes (all zero between calls; 0: not allocated
        # yet) with its view `_sview` (pinned memory only).
        self._scratch = 0
        self._scratch_failed = False
        self._sview: Optional[memoryview] = None
        # live persistent blocks (handles and the scratch block): sorted starts and start -> size
        self._live_starts: List[int] = []
        self._live: Dict[int, int] = {}
        # Guest buffers held for `kept` parameters of functions without a handle to hold them ("function.param" ->
        # the buffer last passed there: the library keeps that pointer in its own state, the previous one is let go).
        self.kept_slots: Dict[str, Any] = {}
        self._fixed_addr = 0
        self._fast: Any = None
        if self._capi is not None:
            capi = self._capi
            self._ctx_o = ctypes.c_void_p(ctypes.cast(store._context(), ctypes.c_void_p).value)
            self._mem_o = ctypes.c_void_p(ctypes.addressof(memory._memory))
            # With a timeout every guest call releases the GIL, so the ticker thread can run while it executes.
            call_small = capi.call_nogil if self._ticks else capi.call_gil
            # per function: its _WbExport.fast + its merged entry (None: not yet, False: never; see _merge)
            self._fast = (self._ctx_o, self._trap, self._trap_o, call_small, capi.call_nogil, self._reset.addr_o,
                          self._reset.buf_o, self._reset.slots_o, _WbLazy(lambda i: self._funcs[i].fast + (None, ())))
        self._merge_calls: Dict[int, int] = {}
        self._merged: Dict[int, Tuple[Any, Any, Any]] = {}
        # With a never-moving memory (see _wb_new_engine) its host address is read once here; otherwise 0 and every
        # view of guest memory is made again after each guest call (growth may move memory).
        if _wb_fixed_memory and memory.data_len(store) > 0:
            self._fixed_addr = self._maddr()

    # -- primitive operations shared by both paths (not the hot loop) ----------------------------------------

    def _arm(self) -> None:
        """Sets the store's epoch deadline to `timeout` from now (called when the ticker moved since last time)."""
        self._armed_at = _wb_epoch
        if self._capi is not None:
            self._capi.set_deadline(self._ctx_o, self._deadline_o)
        else:
            self._store.set_epoch_deadline(self._ticks)

    def _call(self, ex: _WbExport, args: Sequence[Any]) -> Any:
        """Calls one export; raises _WbTrapped on trap/error. Outside invoke it marks the instance as running
        guest code (`_in_guest`) so that the epoch ticker keeps ticking."""
        if self._ticks and not self._busy and not self._in_guest:
            self._in_guest = True
            try:
                if not _wb_ticking:
                    _wb_resume()
                return self._call_now(ex, args)
            finally:
                self._in_guest = False
        return self._call_now(ex, args)

    def _call_now(self, ex: _WbExport, args: Sequence[Any]) -> Any:
        if self._capi is None:
            try:
                return ex.func(self._store, *ex.normalize(args))
            except (wasmtime.Trap, wasmtime.WasmtimeError) as e:
                raise _WbTrapped(ex.name, str(e), _wb_is_timeout(e)) from None
        try:
            ex.packer.pack_into(ex.buf, 0, *args)
        except struct.error:
            ex.packer.pack_into(ex.buf, 0, *ex.normalize(args))
        err = self._capi.call_nogil(self._ctx_o, ex.addr_o, ex.buf_o, ex.slots_o, self._trap_o)
        trap = self._trap.value
        if err or trap:
            self._trap.value = None
            raise self._capi.failure(ex.name, err, trap)
        return ex.unpack(ex.buf)[0] if ex.unpack else None

    def _maddr(self) -> int:
        """Host address of linear memory (0 if unavailable): pinned, or read now (valid until the next guest call).
        The public path reads it with `Memory.data_ptr`, part of wasmtime-py's public API."""
        if self._fixed_addr:
            return self._fixed_addr
        if self._capi is not None:
            return self._capi.memory_data(self._ctx_o, self._mem_o) or 0
        return ctypes.cast(self._memory.data_ptr(self._store), ctypes.c_void_p).value or 0

    def _mem_span(self) -> Tuple[int, int]:
        """(host address of linear memory or 0, its current size); re-read after every guest call."""
        if self._capi is None:
            return self._maddr(), self._memory.data_len(self._store)
        return self._maddr(), self._capi.memory_data_size(self._ctx_o, self._mem_o)

    def _view(self, ptr: int, n: int) -> memoryview:
        """A writable byte view of guest range [ptr, ptr+n) (the caller checked the range). Valid for the life of
        the instance when memory is pinned (`_fixed_addr`), else only until the next guest call."""
        if n <= 0:
            return memoryview(bytearray())
        return memoryview((ctypes.c_uint8 * n).from_address(self._maddr() + ptr)).cast("B")

    def _check(self, ptr: int, n: int, what: str) -> int:
        """Host address of guest range [ptr, ptr+n) after bounds checking (valid until the next guest call)."""
        if ptr < 0 or n < 0 or ptr > _WB_U32:
            raise GuestError(f"{what}: invalid guest pointer/length {ptr}/{n}")
        addr, size = self._mem_span()
        if ptr + n > size:
            raise GuestError(f"{what}: range [{ptr:#x}, {ptr + n:#x}) is outside guest memory ({size} bytes)")
        return addr + ptr

    def _broken(self, message: str) -> GuestError:
        """A GuestError after which the guest cannot be trusted: the call's cleanup re-instantiates it."""
        self._untrusted = True
        return GuestError(message + " (the instance was re-created)")

    def _claim(self, ptr: int, n: int, what: str) -> None:
        """Checks a block [ptr, ptr+n) the guest's allocator returned (ptr masked to u32, nonzero): above
        __heap_base, inside memory, not overlapping a live persistent block; else a GuestError via _broken."""
        if ptr < self._heap_base:
            raise self._broken(f"{what} returned {ptr:#x}, below the guest heap (__heap_base {self._heap_base:#x})")
        size = self._mem_span()[1]
        if ptr + n > size:
            raise self._broken(f"{what} returned [{ptr:#x}, {ptr + n:#x}), outside guest memory ({size} bytes)")
        i = bisect.bisect_right(self._live_starts, ptr + max(n, 1) - 1)
        if i:
            start = self._live_starts[i - 1]
            if start + self._live[start] > ptr:
                raise self._broken(f"{what} returned [{ptr:#x}, {ptr + n:#x}), overlapping the block "
                                   f"[{start:#x}, {start + self._live[start]:#x}) still in use")

    def _live_add(self, ptr: int, n: int) -> None:
        bisect.insort(self._live_starts, ptr)
        self._live[ptr] = max(n, 1)

    def _live_remove(self, ptr: int) -> bool:
        if self._live.pop(ptr, None) is None:
            return False
        del self._live_starts[bisect.bisect_left(self._live_starts, ptr)]
        return True

    def _zero(self, ptr: int, n: int) -> None:
        """Zeroes guest range [ptr, ptr+n) from the host (the caller checked the range)."""
        if n > 0:
            ctypes.memset(self._maddr() + ptr, 0, n)

    def _write(self, ptr: int, data: _WbBuffer, what: str) -> None:
        n = len(data) if type(data) is not memoryview else data.nbytes
        addr = self._check(ptr, n, what)
        if n == 0:
            return
        if type(data) is bytes:
            ctypes.memmove(addr, data, n)
        else:
            memoryview((ctypes.c_uint8 * n).from_address(addr)).cast("B")[:] = data

    def _read(self, ptr: int, n: int, what: str) -> bytes:
        addr = self._check(ptr, n, what)
        if n == 0:
            return b""
        return ctypes.string_at(addr, n)

    def _recover(self) -> None:
        """After a trap, timeout or broken pointer: wipe all of linear memory, then a fresh instance (new Store).
        The guest is not called again (its reset could loop or trap too)."""
        try:
            _wb_wipe_memory(self._store, self._memory)
        finally:
            self._instantiate()
            self.generation += 1
            self.kept_slots.clear()  # buffers of the old instance: lost with it

    def _wipe_block(self, base: int, block: int) -> bool:
        """Zeroes our argument block from the host (defence in depth: does not trust the guest's reset); all of
        the scratch block, so that it is entirely zero before the next call (outputs never stale). False when
        there was nothing to wipe."""
        if not base or not block:
            return False
        if base == self._scratch:
            block = _WB_SCRATCH
        addr, size = self._mem_span()
        if base + block > size:
            return False
        self._zero(base, block)
        return True

    def _reset_after(self, base: int, block: int) -> None:
        """The guest's arena reset after the host wiped [base, base+block): the kit's wb_reset_wiped (which does not
        zero those bytes a second time) when the guest exports it, else bump_reset. Raises _WbTrapped."""
        if base and self._rwiped is not None:
            self._call(self._rwiped, (base, block))
        else:
            self._call(self._reset, ())

    def _wipe_scratch(self) -> None:
        """After guest code ran outside invoke (persistent blocks, `call`): keep the scratch block all zero."""
        if self._scratch:
            self._zero(self._scratch, _WB_SCRATCH)

    def _finish(self, failed: Optional[_WbTrapped], name: str, base: int = 0, block: int = 0) -> None:
        """The `finally` of every call: wipe our block, reset (wipe) the arena, or recover from a trap."""
        if failed is not None or self._untrusted:
            self._recover()
            return
        try:
            self._reset_after(base if self._wipe_block(base, block) else 0, block)
            if self._oom is not None:
                self._probe_allocator(name)
        except _WbTrapped as t:
            self._recover()
            raise self._trap_error(name, t, " while wiping the arena") from None

    def _reset_failed(self, name: str, err: Any, trap: Any) -> Exception:
        """The error for a reset that failed in the fast path's C call (`err`, or the trap left in `trap`): clears the
        trap, re-creates the instance and names the reset as the cause."""
        cause = self._capi.failure(self._reset_name, err, trap.value)  # type: ignore[union-attr]
        trap.value = None
        self._recover()
        return self._trap_error(name, cause, " while wiping the arena")

    def _trap_error(self, name: str, t: _WbTrapped, when: str = "") -> TrapError:
        where = name if t.export == name and not when else f"{name} (in {t.export}{when})"
        stale = getattr(self, "_cb_state", {}).pop("stale", None)  # a callback called after its call (see invoke_cb)
        _wb_func_module.LAST_EXCEPTION = None  # else wasmtime-py would raise a host function's stale one later
        message = stale if stale is not None else t.message
        error = TimeoutError(where, self.timeout, message) if t.timeout else TrapError(where, message)
        error.function = name
        return error

    def _out_of_memory(self, name: str, block: int) -> GuestError:
        """The allocator returned 0: an honest "out of memory" that the arena reset ends, or an allocator stuck at 0.
        The call's cleanup (_finish) resets the arena and then probes the allocator once; if it still returns 0, the
        instance is re-created (and the message says so), so that the next call works either way."""
        error = GuestError(f"{name}: {self._alloc_name}({block}) returned 0 (guest out of memory)")
        self._oom = error
        return error

    def _probe_allocator(self, name: str) -> None:
        """After a reset that followed an allocation failure: one small allocation (then a reset) must succeed, else
        the allocator is stuck and the instance is re-created (see _out_of_memory)."""
        error, self._oom = self._oom, None
        ptr = self._call(self._alloc, (_WB_PROBE,)) & _WB_U32
        self._call(self._reset, ())
        if ptr == 0 and error is not None:
            self._recover()
            error.args = (f"{error.args[0]}; it still returned 0 after the arena reset, so the instance was "
                          "re-created",)

    def _reentered(self, name: str) -> RuntimeError:
        return RuntimeError(f"{name}: called from inside a callback while a call on the same object is running; "
                            "callbacks cannot call back into their own object (use another object, or return a "
                            "value and call after the outer call)")

    def invoke_cb(self, callbacks: Sequence[Tuple[Any, ...]], fn: int, name: str, block: int,
                  writes: Sequence[Tuple[int, _WbBuffer]], args: Sequence[Union[int, float]], rel: Sequence[int],
                  reads: Sequence[Tuple[int, int]], fixups: Sequence[Tuple[int, int]] = ()) -> Tuple[int, List[bytes]]:
        """`invoke` for a function with callback parameters. Each entry of `callbacks` is `(argument position, slot
        key, core type "i32,i32->i32", parameter specs, result spec, callable, what)`: the callable is placed in the
        slot's table entry for the duration of the call and its table index passed at that position. When the
        callable raised, its exception is re-raised after the call recovered (see the section on callbacks)."""
        with self.lock:
            if self._busy:
                raise self._reentered(name)
            slots = _wb_cb_slots(self, [(c[1], c[2]) for c in callbacks])
            args = list(args)
            for c, slot in zip(callbacks, slots):
                args[c[0]] = slot.index
                slot.current, slot.error = (c[5], c[3], c[4], c[6]), None
            try:
                return self.invoke(fn, name, block, writes, args, rel, reads, fixups)
            except TrapError:
                raised = next((slot.error for slot in slots if slot.error is not None), None)
                if raised is None:
                    raise
                raise raised from None
            finally:
                for slot in slots:
                    slot.current = slot.error = None
                _wb_func_module.LAST_EXCEPTION = None  # wasmtime-py keeps the last exception of a host function

    def _oversize(self, name: str, block: int) -> ValueError:
        return ValueError(f"{name}: the arguments need {block} bytes of guest memory, more than max_memory "
                          f"({self.max_memory} bytes)")

    # -- the binding call --------------------------------------------------------------------------------------

    def invoke(self, fn: int, name: str, block: int, writes: Sequence[Tuple[int, _WbBuffer]],
               args: Sequence[Union[int, float]], rel: Sequence[int], reads: Sequence[Tuple[int, int]],
               fixups: Sequence[Tuple[int, int]] = ()) -> Tuple[int, List[bytes]]:
        """One binding call (replaced per instance by the fast or public implementation).

        Allocates one arena block of `block` bytes (none when 0), copies each `(offset, data)` of `writes` to
        base+offset, calls function number `fn` of `functions` with `args` (positions listed in `rel` are
        block offsets: base is added; the others are passed as they are, e.g. absolute handle pointers), reads
        each `(offset, size)` of `reads` from base+offset, and returns (raw result or None, [bytes, ...]).
        The result of an i32/i64 export is the signed wasm value: the caller interprets it. Typed `int` for the
        type checker (the generated methods pass `mypy --strict`): an f32/f64 export's result is a float (mypy
        accepts an int where a float is declared) and a void export's None, which generated code never reads.
        Out regions are zero when the guest runs (the scratch block is all zero between calls; an arena block's
        out regions are zeroed by the host: the allocator is not trusted), so an output the guest does not
        write is zeros, never stale data. `finally`, on success, error and trap alike, the arena is reset
        (which wipes it).

        `fixups`: `(at, target)` pairs, applied after `writes`: the u32 guest address base+target is stored
        little-endian at base+at (a pointer field of a struct image written into the block, pointing to a
        slice in the same block), so that everything a call needs lives in its one block.
        """
        return self._invoke_fast(fn, name, block, writes, args, rel, reads, fixups) if self.fast else \
            self._invoke_public(fn, name, block, writes, args, rel, reads, fixups)

    def invoke0(self, fn: int, name: str, args: Sequence[Union[int, float]]) -> int:
        """`invoke(fn, name, 0, (), args, (), ())[0]` for a call that copies nothing in or out (scalars and handle
        pointers only: the generated code uses it when the plan gives the call no argument block): the same checks,
        trap handling and arena reset (which wipes the arena and the dead C stack), without the block's steps. On
        the fast path the function and the reset run as one guest call once merged (see _merge), as on the scratch
        block. Returns the raw result (see invoke)."""
        if not self.fast:
            return self._invoke_public(fn, name, 0, (), args, (), ())[0]
        lock = self.lock
        lock.acquire()  # (see _invoke_fast)
        try:
            if self._busy:
                raise self._reentered(name)
            if self._armed_at != _wb_epoch and self._ticks:
                self._arm()
            ctx, trap, trap_o, call_small, _, reset_addr, reset_buf, reset_slots, funcs = self._fast
            pack_into, buf, addr_o, buf_o, slots_o, unpack, merged, _ = funcs[fn]
            failed: Optional[_WbTrapped] = None
            reset = True  # the arena reset is still to be called
            self._busy = True
            if self._ticks and not _wb_ticking:
                _wb_resume()
            try:
                try:
                    pack_into(buf, 0, *args)
                except struct.error:
                    pack_into(buf, 0, *self._funcs[fn].normalize(args))
                if merged:
                    addr_o, reset = merged, False
                elif merged is None:
                    self._merge(fn)
                err = call_small(ctx, addr_o, buf_o, slots_o, trap_o)
                if err or trap.value:
                    failed = self._capi.failure(self._funcs[fn].name, err, trap.value)  # type: ignore[union-attr]
                    trap.value = None
                    if not reset and self._merged_stage(fn) == 1:  # the function returned, its reset trapped
                        failed.export, failed.when = self._reset_name, " while wiping the arena"
                    raise failed
                return unpack(buf)[0] if unpack is not None else None  # type: ignore[return-value]  # see invoke
            except _WbTrapped as t:
                failed = t
                raise self._trap_error(name, t, t.when) from None
            finally:
                try:
                    if failed is not None or self._untrusted or self._oom is not None:
                        self._finish(failed, name)
                    elif reset:
                        err = call_small(ctx, reset_addr, reset_buf, reset_slots, trap_o)
                        if err or trap.value:
                            raise self._reset_failed(name, err, trap)
                finally:
                    self._busy = False
                    if self._deferred:
                        self._drain_deferred()
        finally:
            lock.release()

    def _persist_block(self, size: int, name: str) -> int:
        """A persistent argument block of `size` bytes from the guest's wb_persist_alloc, checked (_claim), zeroed
        from the host (the allocator's zeroing is not trusted) and recorded as live; 0 when the guest returns 0."""
        ptr = self._call(self._palloc, (size,)) & _WB_U32  # type: ignore[arg-type]
        if ptr:
            self._claim(ptr, size, f"{name}: {self._persist_names[0]}({size})")
            self._zero(ptr, size)
            self._live_add(ptr, size)
        return ptr  # type: ignore[no-any-return]

    def _place(self, block: int, name: str, reads: Sequence[Tuple[int, int]]) -> Tuple[int, memoryview, int]:
        """Where a call's `block`-byte argument block goes: (guest address, writable view of it, kind): kind 1 the
        scratch block, 0 an arena block.

        Up to _WB_SCRATCH bytes: the scratch block (a persistent block allocated on first use, all zero between
        calls: the host wipes the bytes each call used). Larger, or when wb_persist_alloc is missing or refused the
        scratch block: a bump_alloc block per call, whose out regions are zeroed here (the allocator's zeroing is
        not trusted). Larger calls do not get a persistent block of their own: a guest allocator that cannot grow
        memory would trap on the request, and a trap there would cost the instance (and its handles)."""
        if self._palloc is not None and block <= _WB_SCRATCH and not self._scratch_failed:
            if not self._scratch:
                self._scratch = self._persist_block(_WB_SCRATCH, name)
                self._scratch_failed = not self._scratch  # out of guest memory: the arena from now on
                if self._scratch and self._fixed_addr:
                    self._sview = self._view(self._scratch, _WB_SCRATCH)
            if self._scratch:
                return self._scratch, self._sview or self._view(self._scratch, _WB_SCRATCH), 1
        base = self._call(self._alloc, (block,)) & _WB_U32
        if base == 0:
            raise self._out_of_memory(name, block)
        self._claim(base, block, f"{name}: {self._alloc_name}({block})")
        for off, n in reads:
            if off < 0 or n < 0 or off + n > block:
                raise ValueError(f"{name}: read at {off}+{n} is outside the {block}-byte block")
            self._zero(base + off, n)
        return base, self._view(base, block), 0

    def _invoke_public(self, fn: int, name: str, block: int, writes: Sequence[Tuple[int, _WbBuffer]],
                       args: Sequence[Union[int, float]], rel: Sequence[int], reads: Sequence[Tuple[int, int]],
                       fixups: Sequence[Tuple[int, int]] = ()) -> Tuple[int, List[bytes]]:
        # The steps of _invoke_fast, with guest calls through wasmtime-py's public `Func.__call__`.
        with self.lock:
            if self._busy:
                raise self._reentered(name)
            if self._armed_at != _wb_epoch and self._ticks:
                self._arm()
            if block > self.max_memory:  # before the try: no guest call at all (not even the reset)
                raise self._oversize(name, block)
            failed: Optional[_WbTrapped] = None
            base, view, kind = 0, _WB_EMPTY, 0
            self._busy = True
            if self._ticks and not _wb_ticking:
                _wb_resume()
            try:
                if block:
                    base, view, kind = self._place(block, name, reads)
                    _wb_fill(view, name, block, base, writes, fixups)
                if rel:
                    args = list(args)
                    for i in rel:
                        args[i] += base
                result = self._call(self._funcs[fn], args)
                if block and not self._fixed_addr:
                    view = self._view(base, block)  # the memory may have moved while growing
                return result, _wb_outs(view, name, block, reads)
            except _WbTrapped as t:
                failed = t
                raise self._trap_error(name, t) from None
            finally:
                try:
                    if kind == 1 and failed is None and not self._untrusted and self._oom is None:
                        view[:block] = _WB_ZEROS[:block]  # the bytes this call used
                        base = 0
                    self._finish(failed, name, base, block)
                finally:
                    self._busy = False
                    if self._deferred:
                        self._drain_deferred()

    def _invoke_fast(self, fn: int, name: str, block: int, writes: Sequence[Tuple[int, _WbBuffer]],
                     args: Sequence[Union[int, float]], rel: Sequence[int], reads: Sequence[Tuple[int, int]],
                     fixups: Sequence[Tuple[int, int]] = ()) -> Tuple[int, List[bytes]]:
        # invoke over the C API (see _WbCApi): every ctypes call gets prepared objects. Inputs are copied into, and
        # outputs out of, a view of the argument block (memoryview slices: no ctypes call per buffer). A guest range
        # is bounds-checked once against the size read after it was obtained, which stays valid because wasm
        # memories never shrink; views of a memory that may move are made again after the function call. With the
        # scratch block the function and the arena reset run as one guest call once merged (see _merge).
        lock = self.lock
        lock.acquire()  # (not `with`: its __enter__/__exit__ calls cost ~0.25 µs per call here)
        try:
            if self._busy:
                raise self._reentered(name)
            if self._armed_at != _wb_epoch and self._ticks:
                self._arm()
            if block > _WB_SCRATCH and block > self.max_memory:  # before the try: no guest call (not even the reset)
                raise self._oversize(name, block)
            ctx, trap, trap_o, call_small, call_nogil, reset_addr, reset_buf, reset_slots, funcs = self._fast
            failed: Optional[_WbTrapped] = None
            view: Any = self._sview
            reset = True  # the arena reset is still to be called
            self._busy = True
            if self._ticks and not _wb_ticking:
                _wb_resume()
            try:
                if view is not None and 0 < block <= _WB_SCRATCH:  # the common case: the scratch block, pinned memory
                    base, kind = self._scratch, 1
                    for off, data in writes:
                        end = off + len(data)
                        if off < 0 or end > block:
                            raise ValueError(f"{name}: write at {off}+{len(data)} is outside the {block}-byte block")
                        view[off:end] = data
                    if fixups:
                        _wb_fill(view, name, block, base, (), fixups)
                else:
                    base, view, kind = 0, _WB_EMPTY, 0  # for the cleanup if _place fails
                    if block:
                        base, view, kind = self._place(block, name, reads)
                        _wb_fill(view, name, block, base, writes, fixups)
                pack_into, buf, addr_o, buf_o, slots_o, unpack, merged, merged_rel = funcs[fn]
                if kind and merged and (rel is merged_rel or rel == merged_rel):
                    # function + reset in one guest call (the reset leaves the scratch block alone); the entry adds
                    # the block's address to the `rel` arguments
                    addr_o, reset = merged, False
                else:
                    if kind and merged is None:
                        self._merge(fn, rel)
                    if rel:
                        args = list(args)
                        for i in rel:
                            args[i] += base
                try:
                    pack_into(buf, 0, *args)
                except struct.error:
                    pack_into(buf, 0, *self._funcs[fn].normalize(args))
                err = (call_small if block < _WB_GIL_BLOCK else call_nogil)(ctx, addr_o, buf_o, slots_o, trap_o)
                if err or trap.value:
                    failed = self._capi.failure(self._funcs[fn].name, err, trap.value)  # type: ignore[union-attr]
                    trap.value = None
                    if not reset and self._merged_stage(fn) == 1:  # the function returned, its reset trapped
                        failed.export, failed.when = self._reset_name, " while wiping the arena"
                    raise failed
                if block and not self._fixed_addr:
                    view = self._view(base, block)  # the memory may have moved while growing
                outs = []
                for off, n in reads:
                    end = off + n
                    if off < 0 or n < 0 or end > block:
                        raise ValueError(f"{name}: read at {off}+{n} is outside the {block}-byte block")
                    outs.append(view[off:end].tobytes())
                return (unpack(buf)[0] if unpack is not None else None), outs  # type: ignore[return-value]  # see invoke
            except _WbTrapped as t:
                failed = t
                raise self._trap_error(name, t, t.when) from None
            finally:
                try:
                    if failed is None and not self._untrusted and self._oom is None:
                        if kind == 1:
                            view[:block] = _WB_ZEROS[:block]  # the bytes this call used
                        elif block and self._rwiped is not None and self._wipe_block(base, block):
                            reset = False
                            try:
                                self._reset_after(base, block)
                            except _WbTrapped as t:
                                self._recover()
                                raise self._trap_error(name, t, " while wiping the arena") from None
                        elif block:
                            self._wipe_block(base, block)
                        if reset:
                            err = call_small(ctx, reset_addr, reset_buf, reset_slots, trap_o)
                            if err or trap.value:
                                raise self._reset_failed(name, err, trap)
                    else:
                        self._finish(failed, name, base, block)
                finally:
                    self._busy = False
                    if self._deferred:
                        self._drain_deferred()
        finally:
            lock.release()

    def _merge(self, fn: int, rel: Sequence[int] = ()) -> None:
        """Counts a call of function `fn` on the scratch block or with no block (invoke0); at the _WB_MERGE_AFTER-th,
        builds its merged entry (see _wb_merge_wasm; `rel`: the arguments that are offsets into the scratch block, to
        which the entry adds its address) in this instance's store, or marks it as never merged if wasmtime refuses."""
        calls = self._merge_calls.get(fn, 0) + 1
        self._merge_calls[fn] = calls
        if calls < _WB_MERGE_AFTER:
            return
        ex, capi = self._funcs[fn], self._capi
        entry: Any = False
        rel = tuple(rel)
        try:
            if any(type(i) is not int or not 0 <= i < len(ex.params) or ex.params[i] != "i32" for i in rel) or \
                    len(set(rel)) != len(rel) or (rel and not self._scratch):
                raise ValueError("not an i32 argument")
            key = (ex.params, ex.results, tuple(sorted(set(rel))))
            module = _wb_merge_modules.get(key)
            if module is None:
                if _wb_engine is None:
                    raise RuntimeError("no engine")
                module = _wb_merge_modules.setdefault(key, wasmtime.Module(_wb_engine, _wb_merge_wasm(*key)))
            imports: List[Any] = [ex.func, self._reset.func]
            if rel:  # the scratch block's address (constant for the life of the instance)
                imports.append(wasmtime.Global(self._store, wasmtime.GlobalType(wasmtime.ValType.i32(), False),
                                               wasmtime.Val.i32(self._scratch - (1 << 32) if self._scratch >= 1 << 31
                                                                else self._scratch)))
            merged = wasmtime.Instance(self._store, module, imports)
            func = capi.export(self._store, merged, "c")  # type: ignore[union-attr]
            stage = capi.export(self._store, merged, "s")  # type: ignore[union-attr]
            if isinstance(func, wasmtime.Func) and isinstance(stage, wasmtime.Global):
                self._merged[fn] = (merged, func, stage)  # keeps the Func (its C struct is called by address)
                entry = ctypes.c_void_p(ctypes.addressof(func._func))
        except Exception:  # noqa: BLE001 - any refusal: keep calling the function and the reset apart
            entry = False
        self._fast[8][fn] = ex.fast + (entry, rel)

    def _merged_stage(self, fn: int) -> int:
        """After a merged call of `fn` failed: 1 if the function had returned (its reset trapped), else 0."""
        try:
            value = self._merged[fn][2].value(self._store)
        except Exception:  # noqa: BLE001 - unreadable: blame the function
            return 0
        return value if type(value) is int else 0

    # -- helpers for persistent blocks (issue-5 handles) ------------------------------------------------------

    def call(self, fn: int, name: str, args: Sequence[int]) -> Any:
        """Calls function `fn` with absolute arguments only (no arena block); TrapError on trap. No reset."""
        with self.lock:
            if self._busy:
                raise self._reentered(name)
            if self._armed_at != _wb_epoch and self._ticks:
                self._arm()
            try:
                return self._call(self._funcs[fn], args)
            except _WbTrapped as t:
                self._recover()
                raise self._trap_error(name, t) from None
            finally:
                self._wipe_scratch()

    def persist_alloc(self, size: int) -> int:
        """A zeroed block that survives arena resets (for handles); GuestError if the guest returns 0 or a bad
        pointer (then the instance is re-created)."""
        with self.lock:
            if self._busy:
                raise self._reentered(self._persist_names[0])
            if self._palloc is None:
                raise LoadError(_wb_persist_hint(self.source, self._persist_names[0]))
            if self._armed_at != _wb_epoch and self._ticks:
                self._arm()
            name = self._persist_names[0]
            try:
                ptr = self._call(self._palloc, (size,)) & _WB_U32
            except _WbTrapped as t:
                self._recover()
                raise self._trap_error(t.export, t) from None
            if ptr == 0:
                self._wipe_scratch()
                raise GuestError(f"{name}({size}) returned 0 (guest out of memory)")
            try:
                self._claim(ptr, size, f"{name}({size})")
            except GuestError:
                self._recover()
                raise
            self._wipe_scratch()
            self._zero(ptr, size)  # handles start zeroed: never trust the allocator
            self._live_add(ptr, size)
            return int(ptr)

    def persist_free(self, ptr: int, size: int, generation: Optional[int] = None) -> None:
        """Wipes (from the host, then the guest) and frees a persistent block; a no-op if the block belongs to an
        older generation or is not live."""
        with self.lock:
            if self._pfree is None:
                raise LoadError(_wb_persist_hint(self.source, self._persist_names[1]))
            if generation is not None and generation != self.generation:
                return
            if self._busy:
                self._deferred.append((self.persist_free, (ptr, size, generation)))
                return
            if self._live.get(ptr) == max(size, 1) and ptr != self._scratch:
                self._zero(ptr, size)
                self._live_remove(ptr)
            elif generation is not None:
                return  # not a live block of ours (already freed): never hand it to the guest twice
            if self._armed_at != _wb_epoch and self._ticks:
                self._arm()
            try:
                self._call(self._pfree, (ptr, size))
            except _WbTrapped as t:
                self._recover()
                raise self._trap_error(t.export, t) from None
            self._wipe_scratch()

    def _drain_deferred(self) -> None:
        """Runs the persist_free calls deferred while invoke was running."""
        while self._deferred:
            function, args = self._deferred.pop(0)
            function(*args)

    def destroy(self, fn: int, name: str, ptr: int, generation: int) -> None:
        """Calls the destructor export `fn` (`name`) on the library-owned pointer `ptr`, once: a no-op when the
        instance was re-created since the handle was made (its memory is gone; never called into the new one), and
        deferred to the end of a call in flight (a handle collected by the GC inside invoke, on this thread). A trap
        re-creates the instance and raises TrapError."""
        with self.lock:
            if generation != self.generation:
                return
            if self._busy:
                self._deferred.append((self.destroy, (fn, name, ptr, generation)))
                return
            self.call(fn, name, (ptr,))

    def destroy_quietly(self, fn: int, name: str, ptr: int, generation: int) -> None:
        """`destroy` for garbage collection: a trap is not raised into the collector (the instance recovered)."""
        try:
            self.destroy(fn, name, ptr, generation)
        except Error:
            pass

    def read(self, ptr: int, n: int) -> bytes:
        """Copies n bytes at absolute guest address ptr (bounds-checked; mask a pointer the guest returned as a
        signed i32 with `& 0xFFFFFFFF` first: negative addresses are rejected)."""
        with self.lock:
            return self._read(ptr, n, "read")

    def write(self, ptr: int, data: _WbBuffer) -> None:
        """Copies data to absolute guest address ptr (bounds-checked)."""
        with self.lock:
            self._write(ptr, data, "write")

    def global_address(self, name: str) -> int:
        """The guest address a data symbol's exported wasm global holds (an i32, masked to u32); LoadError when
        the export is missing or not a global, GuestError when it is not an i32. Callers read the value with
        `read` (bounds-checked: an address outside guest memory is a GuestError)."""
        with self.lock:
            item = self._lookup(name)
            if not isinstance(item, wasmtime.Global):
                raise LoadError(f"the wasm module does not export global {name!r}" if item is None else
                                f"export {name!r} is a {type(item).__name__.lower()}, expected a global holding "
                                "its address")
            value = item.value(self._store)
            if isinstance(value, bool) or not isinstance(value, int) or str(item.type(self._store).content) != "i32":
                raise GuestError(f"global {name!r} is not an i32 address")
            return value & _WB_U32

    def memory_size(self) -> int:
        """Current size of the guest's linear memory in bytes."""
        with self.lock:
            return self._mem_span()[1]


# ----------------------------------------------------------------------------------------------
# Argument and result helpers the generated methods call (element arrays, handles, strings,
# computed sizes, struct images). Imported by name by every generated module that uses them.
# ----------------------------------------------------------------------------------------------
# Non-byte C element types travel as `array` typecodes (b h i q B H I Q f d): little-endian in the
# guest, swapped on big-endian hosts. Byte elements use _wb_bytes from the runtime instead.
_WB_SWAP = sys.byteorder == "big"
_WB_ELEMS_VIEW_FROM = 64 * 1024  # packed sequences larger than this travel as a view (see _wb_elems)
_WB_KIND = {"b": "i", "h": "i", "i": "i", "l": "i", "q": "i", "n": "i",
            "B": "u", "H": "u", "I": "u", "L": "u", "Q": "u", "N": "u", "f": "f", "d": "f"}
_WB_ELEM_NAME = {"b": "int8_t", "h": "int16_t", "i": "int32_t", "q": "int64_t", "B": "uint8_t",
                 "H": "uint16_t", "I": "uint32_t", "Q": "uint64_t", "f": "float", "d": "double"}


def _wb_elems(value: object, name: str, code: str, count: Optional[int] = None,
              writable: bool = False) -> _WbBuffer:
    """An input array of C elements (`array` typecode `code`) as little-endian bytes.

    Accepts a sequence of numbers, any buffer (array.array, memoryview, numpy array, ...) of the same element
    type, or raw little-endian bytes. `count`: required element count. `writable`: an in/out parameter (see
    _wb_bytes: a read-only buffer other than bytes is a TypeError).
    Raw bytes are bytes, bytearray or a memoryview (or other buffer, e.g. a ctypes c_uint8 array) of
    format 'B'/'c'; an array.array always holds typed elements, whatever its typecode, and must have
    this element type: an _wb_array().array('b') or ('B') is 8-bit elements, refused for an int32_t
    parameter (wrap it in memoryview(...) to pass its bytes as raw little-endian data).
    A sequence is packed into a new array, returned as its bytes when small, else as a view of it (its
    bytes are then copied into guest memory once, by the call); `bytes` is returned as is; any other
    buffer is copied (a snapshot: no view of the caller's buffer outlives this function, which would
    stop the caller from resizing it).
    """
    itemsize = _wb_array().array(code).itemsize
    ctype = _WB_ELEM_NAME.get(code, code)
    given: Optional[memoryview] = None
    if not isinstance(value, (list, tuple, str)):
        try:
            given = _wb_view(value, writable)
        except TypeError:
            given = None
    if given is not None:
        if writable and given.readonly and not isinstance(value, bytes):
            given.release()
            raise TypeError(f"{name}: this in/out parameter's output is written back into the buffer, and this "
                            f"{type(value).__name__} is read-only (pass a writable buffer, or a list or bytes to get "
                            "the result only as the return value)")
        with given as view:
            fmt = view.format.lstrip("@=<")
            if view.nbytes > _WB_U32:  # before any copy: no wasm32 guest holds it
                raise ValueError(f"{name}: {view.nbytes} bytes of {ctype} elements, more than a wasm32 guest can hold "
                                 "(4 GiB)")
            if fmt in ("B", "c") and not isinstance(value, _wb_array().array):
                data: _WbBuffer = value if type(value) is bytes else view.tobytes()
                if len(data) % itemsize:
                    raise ValueError(f"{name}: {len(data)} bytes is not a whole number of {ctype} elements")
            elif view.itemsize == itemsize and _WB_KIND.get(fmt) == _WB_KIND[code]:
                data = view.tobytes()
                if _WB_SWAP and view.format[:1] != "<":  # native order on a big-endian host: to little-endian
                    swapped = _wb_array().array(code, data)
                    swapped.byteswap()
                    data = swapped.tobytes()
            else:
                raise TypeError(f"{name}: expected {ctype} elements, got a buffer of format {view.format!r}")
    elif isinstance(value, str):
        raise TypeError(f"{name}: expected a sequence of {ctype} values, got str")
    else:
        if type(value) not in (list, tuple):
            value = list(value)  # type: ignore[call-overload]  # checked element by element below
        try:
            if type(value) is list:  # fromlist: ~10% faster than the constructor on a list
                packed = _wb_array().array(code)
                packed.fromlist(value)
            else:
                packed = _wb_array().array(code, value)
        except OverflowError:
            raise OverflowError(f"{name}: an element does not fit {ctype}") from None
        except TypeError as e:
            raise TypeError(f"{name}: expected a sequence of {ctype} values or a buffer ({e})") from None
        if code in "fd":
            _wb_check_floats(value, packed, name, code)
        elif bool in map(type, value):  # type: ignore[call-overload]  # never bool, as for scalars
            raise TypeError(f"{name}: expected a sequence of {ctype} values, got a bool element")
        if _WB_SWAP:
            packed.byteswap()
        # Small: bytes; large: a view of the packed array,
        # so its bytes are copied once, into guest memory, instead of twice.
        data = packed.tobytes() if len(packed) * itemsize <= _WB_ELEMS_VIEW_FROM else memoryview(packed).cast("B")
    if count is not None and len(data) != count * itemsize:
        raise ValueError(f"{name}: expected {count} elements, got {len(data) // itemsize}")
    return data


def _wb_check_floats(items: Any, packed: "array.array[Any]", name: str, code: str) -> None:
    """Elements of a float / double array given as a sequence: never bool (as for scalars), and for `float` no
    finite value that rounded to an infinity (_wb_array().array('f') does that silently)."""
    if bool in map(type, items):
        raise TypeError(f"{name}: expected a sequence of {_WB_ELEM_NAME[code]} values, got a bool element")
    if code == "f" and (math.inf in packed or -math.inf in packed):
        for i, v in enumerate(packed):
            if math.isinf(v) and not math.isinf(items[i]):
                raise OverflowError(f"{name}: element {i} = {items[i]!r} does not fit float "
                                    "(largest finite 3.4028234663852886e+38)")


def _wb_unpack(code: str, data: bytes) -> List[Any]:
    """An output array of C elements (`array` typecode `code`) as a list of Python numbers."""
    out = _wb_array().array(code)
    out.frombytes(data)
    if _WB_SWAP:
        out.byteswap()
    items: List[Any] = out.tolist()
    return items


def _wb_handle(value: Any, cls: type, name: str, rt: _WbInstance) -> int:
    """The guest address of a handle argument, after checking it can be used with `rt` now
    (called with `rt.lock` held, so no trap can invalidate it before the call)."""
    if not isinstance(value, cls):
        raise TypeError(f"{name}: expected {cls.__name__}, got {type(value).__name__}")
    h: Any = value  # isinstance(x, type) narrows to object: keep the private attributes checkable
    if h._wb_rt is not rt:
        raise ValueError(f"{name}: this {cls.__name__} belongs to another instance")
    if not h._wb_free.alive:
        raise ValueError(f"{name}: this {cls.__name__} is closed")
    if h._wb_gen != rt.generation:
        raise ValueError(f"{name}: this {cls.__name__} was lost when its instance recovered from a trap; "
                         "create a new one")
    return int(h._wb_ptr)


def _wb_str(value: object, name: str) -> bytes:
    """A `const char *` argument: a str, encoded as UTF-8, plus the terminating NUL."""
    if not isinstance(value, str):
        raise TypeError(f"{name}: expected str, got {type(value).__name__}")
    try:
        data = value.encode("utf-8")
    except UnicodeEncodeError as e:  # a lone surrogate ("\udc80"): no UTF-8 form
        raise ValueError(f"{name}: cannot be encoded as UTF-8 ({e.reason} at index {e.start})") from None
    if b"\0" in data:
        raise ValueError(f"{name}: contains a NUL character, which would end the C string early")
    return data + b"\0"


def _wb_cstr(rt: _WbInstance, addr: int, max_len: int, name: str) -> str:
    """The NUL-terminated UTF-8 string a function returned at guest address `addr`, looking at
    no more than `max_len` bytes before the NUL (GuestError otherwise, or for NULL / bad UTF-8)."""
    if addr == 0:
        raise GuestError(f"{name}: returned a NULL string")
    available = rt.memory_size() - addr
    if available <= 0:
        raise GuestError(f"{name}: returned string address {addr:#x} is outside guest memory")
    data = rt.read(addr, min(max_len + 1, available))
    end = data.find(b"\0")
    if end < 0:
        raise GuestError(f"{name}: returned string has no NUL within {max_len} bytes")
    try:
        return data[:end].decode("utf-8")
    except UnicodeDecodeError as e:
        raise GuestError(f"{name}: returned string is not UTF-8 ({e})") from None


def _wb_cstr_or_none(rt: _WbInstance, addr: int, max_len: int, name: str) -> Optional[str]:
    """Like `_wb_cstr`, but a NULL pointer is None (a `str, nullable` return)."""
    return None if addr == 0 else _wb_cstr(rt, addr, max_len, name)


def _wb_data(rt: _WbInstance, addr: int, n: int, name: str) -> Optional[bytes]:
    """The `n` bytes a function returned at guest address `addr`, whose length another call reported:
    copied out at once, bounds-checked (GuestError outside guest memory, never an over-read). NULL with a
    length of 0 is None; a negative length, or NULL with a length above 0, is a GuestError."""
    if n < 0:
        raise GuestError(f"{name}: its length call returned {n}, a negative length")
    if addr == 0:
        if n == 0:
            return None
        raise GuestError(f"{name}: returned NULL with a length of {n} bytes")
    return rt.read(addr, n)


def _wb_utf8(data: bytes, name: str) -> str:
    """Returned text decoded as strict UTF-8; invalid UTF-8 is a UnicodeDecodeError (a ValueError) whose
    `.object` holds the bytes (data the library stored, not an ABI violation: the object stays usable)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise UnicodeDecodeError("utf-8", data, e.start, e.end,
                                 f"{name} returned text that is not UTF-8 ({e.reason})") from None


def _wb_message(rt: _WbInstance, fn: int, name: str, args: Sequence[int], max_len: int = 4096) -> Optional[str]:
    """A failed call's message: calls function `fn` (`name`, e.g. sqlite3_errmsg) with `args` and reads the
    NUL-terminated string it returns (at most `max_len` bytes, cut there), invalid UTF-8 replaced: a message
    never hides the status it explains, so NULL or a pointer outside guest memory is None."""
    addr = rt.call(fn, name, args) & _WB_U32
    if addr == 0:
        return None
    try:
        available = rt.memory_size() - addr
        if available <= 0:
            return None
        data = rt.read(addr, min(max_len + 1, available))
    except GuestError:
        return None
    end = data.find(b"\0")
    return data[: max_len if end < 0 else end].decode("utf-8", "replace")


def _wb_load(rt: _WbInstance, addr: int, size: int, signed: bool) -> int:
    """The little-endian integer of `size` bytes at guest address `addr` (a handle's field)."""
    return int.from_bytes(rt.read(addr, size), "little", signed=signed)


def _wb_div(a: int, b: int, what: str) -> int:
    """C division of a computed size (truncates toward zero); dividing by zero is a ValueError."""
    if b == 0:
        raise ValueError(f"{what}: division by zero")
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def _wb_pack(size: int, fields: Sequence[Tuple[int, int, Union[bool, str], Union[int, float]]]) -> bytes:
    """The wasm32 image of a struct: each `(offset, size, signed, value)` little-endian at its
    offset, padding zero; `signed` is the typecode 'f' / 'd' for a float field. Values were checked already."""
    out = bytearray(size)
    for off, n, signed, value in fields:
        if isinstance(signed, str):  # a float / double field: its typecode
            out[off:off + n] = struct.pack("<" + signed, value)
        else:
            out[off:off + n] = int(value).to_bytes(n, "little", signed=signed)
    return bytes(out)


# -- callbacks (function-pointer parameters) ---------------------------------------------------------------------
#
# A callback parameter is passed to the guest as an index into the guest's exported function table
# (`__indirect_function_table`, linked with --export-table --growable-table). Each (function, parameter) gets its
# own slot, grown once per instance and filled with a host function of the callback's core type; that function runs
# the caller's Python callable only while the call that passed it runs (`_WbCbSlot.current`), and otherwise traps
# with a clear message (a guest that stashed the pointer and calls it later). An exception in the callable (or a
# result of the wrong type or range) traps out of the guest, so the guest frame is abandoned; the call then recovers
# as after any trap (memory wiped, instance re-created) and the callable's own exception is re-raised. A callable
# that calls back into the same object is refused (RuntimeError, `_busy`): the guest is mid-call.

_WB_TABLE = "__indirect_function_table"
_WB_CB_PLAIN = ("int", "float", "user")  # parameter kinds read without guest memory


class _WbCbSlot:
    """One table slot: the host function placed there and the callable of the call in flight (None otherwise)."""

    def __init__(self, index: int) -> None:
        self.index = index
        self.current: Optional[Tuple[Any, ...]] = None  # (callable, params spec, result spec, what)
        self.error: Optional[BaseException] = None  # what the callable raised in this call


def _wb_cb_int(value: int, bits: int, signed: bool) -> int:
    """A wasm integer as the C type of `bits` bits and `signed`ness (the guest widened it to i32/i64)."""
    value &= (1 << bits) - 1
    return value - (1 << bits) if signed and value >> (bits - 1) else value


def _wb_cb_read(caller: Any, memory: wasmtime.Memory, ptr: int, n: int, what: str) -> bytes:
    """`n` bytes at guest address `ptr`, bounds-checked against the memory size now."""
    ptr &= _WB_U32
    if ptr + n > memory.data_len(caller):
        raise GuestError(f"{what}: the guest passed {n} bytes at {ptr:#x}, outside its memory")
    return bytes(memory.read(caller, ptr, ptr + n)) if n else b""


def _wb_cb_args(caller: Any, memory: wasmtime.Memory, raw: Sequence[Any], spec: Sequence[Tuple[Any, ...]],
                what: str) -> Tuple[List[Any], List[Tuple[int, array.array]]]:  # type: ignore[type-arg]
    """The callable's arguments from the raw wasm values, and the (address, array) of each output slice."""
    args: List[Any] = []
    outs: List[Tuple[int, array.array]] = []  # type: ignore[type-arg]
    for value, s in zip(raw, spec):
        kind = s[0]
        if kind == "int":
            args.append(_wb_cb_int(value, s[1], s[2]))
        elif kind == "float":
            args.append(value)
        elif kind == "value":
            args.append(_wb_unpack(s[1], _wb_cb_read(caller, memory, value, s[2], what))[0])
        elif kind in ("in", "out"):
            n = raw[s[3]] & _WB_U32
            ptr = value & _WB_U32
            if ptr == 0:
                if kind == "in" and n:
                    raise GuestError(f"{what}: the guest passed NULL with a count of {n}")
                args.append(b"" if kind == "in" and s[1] == "B" else None if kind == "out" else [])
                continue
            if kind == "in":
                data = _wb_cb_read(caller, memory, ptr, n * s[2], what)
                args.append(data if s[1] == "B" else _wb_unpack(s[1], data))
            else:
                _wb_cb_read(caller, memory, ptr, n * s[2], what)  # bounds check before the callable runs
                buf = _wb_array().array(s[1], bytes(n * s[2]))
                outs.append((ptr, buf))
                args.append(buf)
    return args, outs


def _wb_cb_result(value: Any, spec: Optional[Tuple[Any, ...]], what: str) -> Any:
    """The callable's result as the callback's core result; TypeError / OverflowError when it does not fit."""
    if spec is None:
        if value is not None:
            raise TypeError(f"{what}: the callback returns void, but the callable returned {type(value).__name__}")
        return None
    if spec[0] == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(f"{what}: expected the callable to return a float, got {type(value).__name__}")
        return float(value)
    bits, signed = spec[1], spec[2]
    lo, hi = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
    if type(value) is not int or not lo <= value <= hi:
        value = _wb_int(value, f"{what} (its result)", lo, hi)
    if bits == 64:
        return wasmtime.Val.i64(value - (1 << 64) if value >= 1 << 63 else value)
    return wasmtime.Val.i32(value - (1 << 32) if value >= 1 << 31 else value)  # the core value is signed


def _wb_cb_dispatch(slot: _WbCbSlot, state: Dict[str, Any]) -> Any:
    """The host function of a table slot (wasmtime calls it with the Caller first)."""

    def dispatch(caller: Any, *raw: Any) -> Any:
        current = slot.current
        if current is None:
            state["stale"] = ("a callback was called after the call that passed it returned (the guest kept the "
                              "function pointer); callbacks are valid only during their call")
            raise wasmtime.Trap(state["stale"])
        fn, spec, ret, what = current
        try:
            if all(s[0] in _WB_CB_PLAIN for s in spec):  # no pointer to read: skip the export lookup
                args = [_wb_cb_int(v, s[1], s[2]) if s[0] == "int" else v for v, s in zip(raw, spec)
                        if s[0] in ("int", "float")]
                return _wb_cb_result(fn(*args), ret, what)
            memory = caller["memory"]
            args, outs = _wb_cb_args(caller, memory, raw, spec, what)
            result = _wb_cb_result(fn(*args), ret, what)
            for ptr, buf in outs:
                if _WB_SWAP:
                    buf.byteswap()
                data = buf.tobytes()
                _wb_cb_read(caller, memory, ptr, len(data), what)  # memory never shrinks; cheap re-check
                memory.write(caller, data, ptr)
            return result
        except BaseException as e:  # noqa: BLE001 - re-raised by invoke_cb after the guest call is abandoned
            slot.error = e
            raise wasmtime.Trap(f"{what} raised {type(e).__name__}") from None

    return dispatch


def _wb_cb_slots(rt: "_WbInstance", keys: Sequence[Tuple[Any, str]]) -> List[_WbCbSlot]:
    """The table slot of each `(key, core type)` in the current instance, grown into the table on first use."""
    if getattr(rt, "_cb_store", None) is not rt._store:
        rt._cb_store, rt._cb_slots, rt._cb_state = rt._store, {}, {}  # type: ignore[attr-defined]
    slots: Dict[Any, _WbCbSlot] = rt._cb_slots  # type: ignore[attr-defined]
    out = []
    for key, sig in keys:
        slot = slots.get(key)
        if slot is None:
            table = (rt._capi.export(rt._store, rt._instance, _WB_TABLE) if rt._capi is not None
                     else rt._instance.exports(rt._store).get(_WB_TABLE))
            if not isinstance(table, wasmtime.Table):
                raise LoadError(f"{rt.source}: the guest does not export its function table ({_WB_TABLE!r}), which "
                                "callbacks need: link it with `wasm-ld --export-table --growable-table`")
            params, results = _wb_signature(sig)
            ty = wasmtime.FuncType([getattr(wasmtime.ValType, p)() for p in params],
                                   [getattr(wasmtime.ValType, r)() for r in results])
            slot = _WbCbSlot(0)
            func = wasmtime.Func(rt._store, ty, _wb_cb_dispatch(slot, rt._cb_state),  # type: ignore[attr-defined]
                                 access_caller=True)
            try:
                slot.index = table.grow(rt._store, 1, func)
            except wasmtime.WasmtimeError as e:
                raise LoadError(f"{rt.source}: cannot add a callback to the guest's function table ({e}); link it "
                                "with `wasm-ld --growable-table`") from None
            slots[key] = slot
        out.append(slot)
    return out


# ----------------------------------------------------------------------------------------------
# Library-owned handles (roles::owned): pointers the library allocated itself (`sqlite3 *`,
# `LZ4_stream_t *`, `gzFile`), handed out by a return or through `T **`, passed back as they are.
# ----------------------------------------------------------------------------------------------
def _wb_index(value: object, what: str) -> int:
    """An index or slice bound of a GuestBuffer: TypeError for anything but an integer."""
    try:
        return operator.index(value)  # type: ignore[arg-type]
    except TypeError:
        raise TypeError(f"GuestBuffer {what}: indices must be integers or slices, not {type(value).__name__}") from None


class GuestBuffer:
    """Guest memory the caller owns, for the parameters a library keeps after a call returns (`kept`: LZ4's streaming
    input and output, a dictionary, SQLite's SQLITE_STATIC text): made zeroed by the generated class's
    `buffer(size)`, alive until `close()` (also `with`, and garbage collection), which wipes and frees it. Unlike an
    ordinary argument it is not copied per call: pass the buffer, or a `span(offset, length)` of it, and the function
    gets its very address. Read and write it with slicing (`buf[a:b]`, `buf[a:b] = data`, `buf[i]`; an index or slice
    outside the buffer is an IndexError, never clamped). A handle passed in the same call (or returned by it) holds
    the buffer until the handle is closed; for a function with no handle, the object holds the buffer passed there
    last. `close()` frees it at once all the same. Using it after close, with
    another object, or after its instance was re-created following a trap raises HandleError."""

    __slots__ = ("__weakref__", "_wb_rt", "_wb_ptr", "_wb_size", "_wb_gen", "_wb_free")

    def __init__(self, rt: "_WbInstance", size: int) -> None:
        size = _wb_int(size, "size", 0, 0x7FFF_FFFF, "a guest buffer size")
        self._wb_rt = rt
        self._wb_size = size
        with rt.lock:
            self._wb_ptr = rt.persist_alloc(size)
            self._wb_gen = rt.generation
        self._wb_free = weakref.finalize(self, rt.persist_free, self._wb_ptr, size, self._wb_gen)
        self._wb_free.atexit = False

    def __len__(self) -> int:
        return self._wb_size

    @property
    def closed(self) -> bool:
        """True once close() ran, or when its instance was re-created after a trap (its memory is gone)."""
        return not self._wb_free.alive or self._wb_gen != self._wb_rt.generation

    def close(self) -> None:
        """Wipes and frees the guest memory; later calls do nothing."""
        self._wb_free()

    def __enter__(self) -> "GuestBuffer":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<GuestBuffer {self._wb_size} bytes at {self._wb_ptr:#x}{' closed' if self.closed else ''}>"

    def __reduce__(self) -> Any:
        raise TypeError("a GuestBuffer is guest memory of one instance: it cannot be pickled (copy out buf[:])")

    def span(self, offset: int = 0, length: Optional[int] = None) -> "GuestSpan":
        """The `length` bytes at `offset` (default: to the end), to pass to a `kept` parameter; ValueError when
        they do not lie inside the buffer."""
        if self.closed:
            raise HandleError("GuestBuffer.span: this GuestBuffer is closed (or lost to a trap)")
        offset = _wb_int(offset, "offset", 0, 0x7FFF_FFFF, "a buffer offset")
        if length is None:
            length = max(self._wb_size - offset, 0)  # past the end: refused below, naming the offset
        return GuestSpan(self, offset, length)

    def _range(self, key: Union[int, slice], what: str) -> Tuple[int, int]:
        """`(start, length)` of an index or a step-1 slice (negative values count from the end, as in Python);
        IndexError when it does not lie inside the buffer: never clamped."""
        size = self._wb_size
        if isinstance(key, slice):
            if key.step not in (None, 1):
                raise ValueError(f"GuestBuffer {what}: only contiguous slices (step 1)")
            start = 0 if key.start is None else _wb_index(key.start, what)
            stop = size if key.stop is None else _wb_index(key.stop, what)
            start, stop = (start + size if start < 0 else start), (stop + size if stop < 0 else stop)
            if not 0 <= start <= stop <= size:
                raise IndexError(f"GuestBuffer {what}: [{key.start}:{key.stop}] is outside the buffer's {size} bytes")
            return start, stop - start
        i = _wb_index(key, what)
        j = i + size if i < 0 else i
        if not 0 <= j < size:
            raise IndexError(f"GuestBuffer {what}: index {i} is outside the buffer's {size} bytes")
        return j, 1

    def _address(self, name: str) -> int:
        """The guest address, after checking the buffer is usable now (called with the lock held)."""
        if not self._wb_free.alive:
            raise HandleError(f"{name}: this GuestBuffer is closed")
        if self._wb_gen != self._wb_rt.generation:
            raise HandleError(f"{name}: this GuestBuffer was lost when its instance recovered from a trap; make a "
                              "new one")
        if self._wb_rt._live.get(self._wb_ptr) != max(self._wb_size, 1):  # its block, as the runtime recorded it
            raise HandleError(f"{name}: this GuestBuffer does not match the block it was made with")
        return int(self._wb_ptr)

    @overload
    def __getitem__(self, key: int) -> int: ...

    @overload
    def __getitem__(self, key: slice) -> bytes: ...

    def __getitem__(self, key: Union[int, slice]) -> Union[int, bytes]:
        start, n = self._range(key, "read")
        rt = self._wb_rt
        with rt.lock:
            data = rt._read(self._address("GuestBuffer") + start, n, "GuestBuffer read")
        return data if isinstance(key, slice) else data[0]

    @overload
    def __setitem__(self, key: int, value: int) -> None: ...

    @overload
    def __setitem__(self, key: slice, value: Union[bytes, bytearray, memoryview]) -> None: ...

    def __setitem__(self, key: Union[int, slice], value: Any) -> None:
        start, n = self._range(key, "write")
        data = _wb_bytes(value, "value") if isinstance(key, slice) else bytes([_wb_int(value, "value", 0, 255)])
        size = len(data) if type(data) is not memoryview else data.nbytes
        if size != n:
            raise ValueError(f"GuestBuffer write: {size} bytes assigned to the {n} bytes at offset {start} (a guest "
                             f"buffer never resizes; it holds {self._wb_size})")
        rt = self._wb_rt
        with rt.lock:
            rt._write(self._address("GuestBuffer") + start, data, "GuestBuffer write")


class GuestSpan:
    """`length` bytes at `offset` of a GuestBuffer (`buf.span(offset, length)`): what a `kept` parameter takes, by
    address. Read-only; checked to lie inside its buffer when made and again each time it is passed. `len()` is its
    length, and a size parameter of the function gets it."""

    __slots__ = ("_wb_buffer", "_wb_offset", "_wb_length")

    def __init__(self, buffer: GuestBuffer, offset: int, length: int) -> None:
        if type(buffer) is not GuestBuffer:
            raise TypeError(f"GuestSpan: expected a GuestBuffer, got {type(buffer).__name__}")
        offset = _wb_int(offset, "offset", 0, 0x7FFF_FFFF, "a buffer offset")
        length = _wb_int(length, "length", 0, 0x7FFF_FFFF, "a span length")
        if offset + length > buffer._wb_size:
            raise ValueError(f"GuestBuffer.span: offset {offset}, length {length} is outside the buffer's "
                             f"{buffer._wb_size} bytes")
        self._wb_buffer, self._wb_offset, self._wb_length = buffer, offset, length

    @property
    def buffer(self) -> GuestBuffer:
        """The buffer it is a span of."""
        return self._wb_buffer

    @property
    def offset(self) -> int:
        """Where it starts in its buffer."""
        return self._wb_offset

    @property
    def length(self) -> int:
        """Its length in bytes."""
        return self._wb_length

    def __len__(self) -> int:
        return self._wb_length

    def __repr__(self) -> str:
        return f"<GuestSpan [{self._wb_offset}:{self._wb_offset + self._wb_length}] of {self._wb_buffer!r}>"


def _wb_span(value: object, name: str) -> GuestSpan:
    """A `kept` argument as a span: a GuestSpan as is, a GuestBuffer as its whole span; TypeError otherwise (bytes
    would be copied per call, which a kept pointer cannot be)."""
    if type(value) is GuestSpan:
        return value
    if type(value) is GuestBuffer:
        return GuestSpan(value, 0, value._wb_size)
    raise TypeError(f"{name}: expected a GuestBuffer or GuestSpan (the library keeps this pointer after the call: "
                    f"make one with buffer(size)), got {type(value).__name__}")


def _wb_hold(holder: Any, buf: GuestBuffer) -> None:
    """Keeps `buf` alive while the handle `holder` (caller-owned or library-owned) is open: the library may point
    into it (`kept`). Once per buffer."""
    held: Optional[List[GuestBuffer]] = holder._wb_held
    if held is None:
        holder._wb_held = held = []
    if not any(b is buf for b in held):
        held.append(buf)


def _wb_kept(span: GuestSpan, name: str, rt: "_WbInstance", holders: Sequence[Any] = (), slot: str = "") -> int:
    """The guest address of a `kept` span, after checking its buffer can be used with `rt` now and that the span lies
    inside it (called with `rt.lock` held); each handle of `holders` (passed in the same call) then holds the
    buffer, or, for a function with no handle, the instance does, in `slot` ("function.param": the buffer passed
    there last replaces the one before)."""
    buf, offset, length = span._wb_buffer, span._wb_offset, span._wb_length
    if buf._wb_rt is not rt:
        raise HandleError(f"{name}: this GuestBuffer belongs to another instance")
    if not (type(offset) is int and type(length) is int and 0 <= offset and 0 <= length
            and offset + length <= buf._wb_size):
        raise ValueError(f"{name}: span offset {offset}, length {length} is outside its buffer's {buf._wb_size} bytes")
    address = buf._address(name) + offset
    for holder in holders:
        if holder is not None:
            _wb_hold(holder, buf)
    if slot:
        rt.kept_slots[slot] = buf
    return address


class _WbOwnedState:
    """What closing one library-owned handle needs, apart from the handle object: kept by its finalizer and by its
    parent's state, so that closing works in any order the garbage collector picks (a parent closes its children
    first; a child already closed is skipped), and never reaches the handle object itself."""

    __slots__ = ("rt", "destroy", "ptr", "gen", "open", "children")

    def __init__(self, rt: "_WbInstance", destroy: Optional[Tuple[int, str]], ptr: int) -> None:
        self.rt, self.destroy, self.ptr, self.gen = rt, destroy, ptr, rt.generation
        self.open = True
        self.children: List[_WbOwnedState] = []


def _wb_owned_close(state: _WbOwnedState, quiet: bool) -> None:
    """Closes `state`'s live children (newest first), then calls its destructor (None for a borrowed handle) once."""
    with state.rt.lock:
        if not state.open:
            return
        state.open = False
        for child in reversed(state.children):
            _wb_owned_close(child, quiet)
        state.children.clear()
        if state.destroy is not None:
            fn, name = state.destroy
            if quiet:
                state.rt.destroy_quietly(fn, name, state.ptr, state.gen)
            else:
                state.rt.destroy(fn, name, state.ptr, state.gen)


if TYPE_CHECKING:
    _WbOwnedT = TypeVar("_WbOwnedT", bound="_WbOwned")


class _WbOwned:
    """Base class of the generated library-owned handle classes (made by the methods that return them).

    `close()` (also `with`, and garbage collection) closes the handle's live children first, newest first, then calls
    the type's destructor once (`_wb_destroy`: `(export index, name)`, None when the type has none); a borrowed
    handle never calls it. A child holds its parent object, so the parent outlives it. Double close is harmless; a
    closed handle, one of another object, or one made before its instance was re-created after a trap raises
    HandleError when passed. The destructor is never called into a re-created instance."""

    __slots__ = ("__weakref__", "_wb_owner", "_wb_rt", "_wb_ptr", "_wb_parent", "_wb_state", "_wb_free",
                 "_wb_borrowed", "_wb_held")
    _wb_destroy: Optional[Tuple[int, str]] = None
    _wb_type = ""
    _wb_owner: Any
    _wb_rt: "_WbInstance"
    _wb_ptr: int
    _wb_parent: "Optional[_WbOwned]"
    _wb_state: _WbOwnedState
    _wb_free: "weakref.finalize[Any, Any]"
    _wb_borrowed: bool
    _wb_held: Optional[List[GuestBuffer]]  # guest buffers the library points into (`kept`), set on first use

    def __init__(self) -> None:
        raise TypeError(f"{type(self).__name__} handles are made by the functions that return them")

    @property
    def closed(self) -> bool:
        """True once close() ran (on it or its parent), or when its instance was re-created after a trap."""
        return not self._wb_state.open or self._wb_state.gen != self._wb_rt.generation

    @property
    def borrowed(self) -> bool:
        """True when the library keeps ownership: close() only forgets it."""
        return bool(self._wb_borrowed)

    def close(self) -> None:
        """Closes the live children (newest first), then frees the library object with its destructor (owned
        handles only). Later calls do nothing."""
        self._wb_free.detach()
        _wb_owned_close(self._wb_state, False)
        self._wb_held = None

    def __enter__(self: _WbOwnedT) -> _WbOwnedT:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self.closed else ("borrowed" if self._wb_borrowed else "open")
        return f"<{type(self).__name__} {self._wb_type} * {self._wb_ptr:#x} {state}>"


def _wb_owned_ptr(value: Any, cls: type, name: str, rt: _WbInstance, nullable: bool = False) -> int:
    """The pointer a library-owned handle argument stands for, after checking it can be used with `rt` now
    (called with `rt.lock` held); 0 for None where the parameter may be NULL."""
    if value is None and nullable:
        return 0
    if not isinstance(value, cls):
        raise TypeError(f"{name}: expected {cls.__name__}{' or None' if nullable else ''}, got {type(value).__name__}")
    h: Any = value
    if h._wb_rt is not rt:
        raise HandleError(f"{name}: this {cls.__name__} belongs to another object")
    if h._wb_state.gen != rt.generation:
        raise HandleError(f"{name}: this {cls.__name__} was lost when its instance was re-created after a trap "
                          "(the library's memory is gone); open a new one")
    if not h._wb_state.open:
        raise HandleError(f"{name}: this {cls.__name__} is closed")
    return int(h._wb_ptr)


def _wb_owned_new(cls: Type[_WbOwnedT], owner: object, rt: _WbInstance, ptr: int, borrowed: bool,
                  parent: Optional[_WbOwned]) -> Optional[_WbOwnedT]:
    """The handle for a pointer the library handed out (None for NULL). A borrowed pointer equal to a live handle of
    this instance is that handle; an owned one gets a new handle whose finalizer calls the destructor once."""
    ptr &= 0xFFFFFFFF
    if ptr == 0:
        return None
    with rt.lock:
        known = rt._owned.get(ptr)
        if borrowed and isinstance(known, cls) and not known.closed:
            return known
        h = cls.__new__(cls)
        h._wb_borrowed = borrowed or cls._wb_destroy is None
        h._wb_held = None
        state = _WbOwnedState(rt, None if h._wb_borrowed else cls._wb_destroy, ptr)
        h._wb_owner, h._wb_rt, h._wb_ptr, h._wb_parent, h._wb_state = owner, rt, ptr, parent, state
        h._wb_free = weakref.finalize(h, _wb_owned_close, state, True)
        h._wb_free.atexit = False
        if parent is not None:
            siblings = parent._wb_state.children
            siblings[:] = [c for c in siblings if c.open]
            siblings.append(state)
        if not borrowed or known is None or known.closed:
            rt._owned[ptr] = h
        return h
# ---------------------------------------------------------------------------------------------------------------
# Struct dataclasses made on first use
# ---------------------------------------------------------------------------------------------------------------

class _WbStructs:
    """The frozen dataclasses of one generated module, made on first use: importing `dataclasses` (it imports
    `inspect`) and building a dataclass cost ~7 ms + ~0.6 ms each, most of a module's import time.

    At import the module's struct classes are defined as plain classes, recorded by `dataclass(...)` (which the
    type checker sees as `dataclasses.dataclass`) and then removed from the module's namespace (`hide`). The first
    `module.Name` / `from module import Name` (the module's `__getattr__` is `getattr`, PEP 562) or the first call
    of a method that takes or returns a struct (`make`) turns every recorded class into the dataclass it declares,
    in place, and puts it back: afterwards they are ordinary module attributes."""

    __slots__ = ("_namespace", "_pending", "_lock", "made")

    def __init__(self, namespace: Dict[str, Any]) -> None:
        self._namespace = namespace
        self._pending: Dict[str, Tuple[type, Dict[str, Any]]] = {}
        self._lock = threading.Lock()
        self.made = False

    def dataclass(self, **options: Any) -> Callable[[type], type]:
        """The decorator standing in for `dataclasses.dataclass(**options)` until `make`."""
        def record(cls: type) -> type:
            self._pending[cls.__name__] = (cls, options)
            return cls
        return record

    def hide(self) -> None:
        """Removes the recorded classes from the module's namespace until `make` (after the last class)."""
        for name in self._pending:
            self._namespace.pop(name, None)

    def make(self) -> None:
        """Turns every recorded class into its dataclass and puts it back into the module (once, thread-safe)."""
        with self._lock:
            if self.made:
                return
            import dataclasses

            for name, (cls, options) in self._pending.items():
                self._namespace[name] = dataclasses.dataclass(**options)(cls)
            self.made = True

    def getattr(self, name: str) -> Any:
        """The module's `__getattr__`: a struct class (made first), else AttributeError."""
        if name in self._pending:
            self.make()
            return self._namespace[name]
        raise AttributeError(f"module {self._namespace.get('__name__')!r} has no attribute {name!r}")
