# Bindings for OwnedHandles
# ----------------------------------------------------------------------------------------------

__all__ = [
    "OwnedHandles",
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
    "Db",
    "Stmt",
    "Ustate",
    "HandleError",
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


_WB_DEFAULT_WASM = os.path.join(os.path.dirname(os.path.abspath(__file__)), "owned_handles.wasm")
_WB_FUNCTIONS = (
    "db_open",
    "db_open_v2",
    "stmt_prepare",
    "stmt_db",
    "db_next_stmt",
    "stmt_step",
    "ustate_new",
    "ustate_reset",
    "db_close",
    "stmt_finalize",
    "ustate_free",
)
_WB_SIGNATURES = (
    "i32->i32",
    "i32,i32,i32->i32",
    "i32,i32,i32->i32",
    "i32->i32",
    "i32,i32->i32",
    "i32->i32",
    "->i32",
    "i32->",
    "i32->",
    "i32->i32",
    "i32->i32",
)


class OwnedHandles:
    """The `owned_handles.h` guest: one wasm instance; one method per bound C function."""

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

    def db_open(self, name: str) -> Db:
        """A database, NULL on failure.

        C: `db *db_open(const char *name)`
        """
        _wb_t0 = _wb_str(name, "name")
        with self._wb_rt.lock:
            _wb_block = ((len(_wb_t0) + 7) & -8) or 8
            _wb_ret, _wb_out = self._wb_rt.invoke(0, "db_open", _wb_block, ((0, _wb_t0),), (0,), (0,), ())
            _wb_value = _wb_owned_new(Db, self, self._wb_rt, _wb_ret, False, None)
            if _wb_value is None:
                raise StatusError("db_open", 0, "returned NULL")
        return _wb_value

    def db_open_v2(self, name: str, flags: int) -> Db | None:
        """Opens into *out; *out may be set even when the status is not 0.

        C: `int db_open_v2(const char *name, db * *out, int32_t flags)`

        Raises StatusError when the C function returns nonzero.
        """
        _wb_t0 = _wb_str(name, "name")
        if type(flags) is not int or not -2147483648 <= flags <= 2147483647:
            flags = _wb_int(flags, "flags", -2147483648, 2147483647)
        with self._wb_rt.lock:
            _wb_block = 8 + ((len(_wb_t0) + 7) & -8) or 8
            _wb_ret, _wb_out = self._wb_rt.invoke(1, "db_open_v2", _wb_block, ((8, _wb_t0),), (8, 0, flags), (0, 1), ((0, 4),))
            _wb_o1 = _wb_owned_new(Db, self, self._wb_rt, int.from_bytes(_wb_out[0], "little"), False, None)
        if _wb_ret != 0:
            raise StatusError("db_open_v2", _wb_ret)
        return _wb_o1

    def stmt_prepare(self, d: Db, sql: str) -> Stmt | None:
        """A statement of `d` into *out (NULL for an empty `sql`).

        C: `int stmt_prepare(db *d, const char *sql, stmt * *out)`

        Raises StatusError when the C function returns nonzero.
        """
        _wb_t1 = _wb_str(sql, "sql")
        with self._wb_rt.lock:
            _wb_h0 = _wb_owned_ptr(d, Db, "d", self._wb_rt)
            _wb_block = 8 + ((len(_wb_t1) + 7) & -8) or 8
            _wb_ret, _wb_out = self._wb_rt.invoke(2, "stmt_prepare", _wb_block, ((8, _wb_t1),), (_wb_h0, 8, 0), (1, 2), ((0, 4),))
            _wb_o2 = _wb_owned_new(Stmt, self, self._wb_rt, int.from_bytes(_wb_out[0], "little"), False, d)
        if _wb_ret != 0:
            raise StatusError("stmt_prepare", _wb_ret)
        return _wb_o2

    def stmt_db(self, s: Stmt) -> Db | None:
        """The database of a statement (the library keeps it).

        C: `db *stmt_db(stmt *s)`
        """
        with self._wb_rt.lock:
            _wb_h0 = _wb_owned_ptr(s, Stmt, "s", self._wb_rt)
            _wb_ret = self._wb_rt.invoke0(3, "stmt_db", (_wb_h0,))
            _wb_value = _wb_owned_new(Db, self, self._wb_rt, _wb_ret, True, None)
        return _wb_value

    def db_next_stmt(self, d: Db, prev: Stmt | None) -> Stmt | None:
        """The statement after `prev` (the first when NULL); the types cannot tell it is borrowed.

        C: `stmt *db_next_stmt(db *d, stmt *prev)`
        """
        with self._wb_rt.lock:
            _wb_h0 = _wb_owned_ptr(d, Db, "d", self._wb_rt)
            _wb_h1 = _wb_owned_ptr(prev, Stmt, "prev", self._wb_rt, True)
            _wb_ret = self._wb_rt.invoke0(4, "db_next_stmt", (_wb_h0, _wb_h1))
            _wb_value = _wb_owned_new(Stmt, self, self._wb_rt, _wb_ret, True, None)
        return _wb_value

    def stmt_step(self, s: Stmt) -> int:
        """Calls the C function `stmt_step`.

        C: `int32_t stmt_step(stmt *s)`
        """
        with self._wb_rt.lock:
            _wb_h0 = _wb_owned_ptr(s, Stmt, "s", self._wb_rt)
            _wb_ret = self._wb_rt.invoke0(5, "stmt_step", (_wb_h0,))
        return _wb_ret

    def ustate_new(self) -> Ustate:
        """Calls the C function `ustate_new`.

        C: `ustate *ustate_new()`
        """
        with self._wb_rt.lock:
            _wb_ret = self._wb_rt.invoke0(6, "ustate_new", ())
            _wb_value = _wb_owned_new(Ustate, self, self._wb_rt, _wb_ret, False, None)
            if _wb_value is None:
                raise StatusError("ustate_new", 0, "returned NULL")
        return _wb_value

    def ustate_reset(self, u: Ustate) -> None:
        """Calls the C function `ustate_reset`.

        C: `void ustate_reset(union ustate *u)`
        """
        with self._wb_rt.lock:
            _wb_h0 = _wb_owned_ptr(u, Ustate, "u", self._wb_rt)
            _wb_ret = self._wb_rt.invoke0(7, "ustate_reset", (_wb_h0,))


class Db(_WbOwned):
    """A `db *` handed out by the library of one `OwnedHandles` instance (only the pointer is held).
    `close()`, a `with` block or garbage collection calls `db_close` once (a borrowed handle, which
    the library keeps, is never freed by the host).
    Closing it closes its children (handles made with it as their parent) first; a child keeps its
    parent alive. Using it after close, with another instance, or after its instance was re-created
    following a trap raises HandleError.
    """

    __slots__ = ()
    _wb_type = "db"
    _wb_destroy = (8, "db_close")
    _wb_owner: OwnedHandles

    def stmt_prepare(self, sql: str) -> Stmt | None:
        """Same as `OwnedHandles.stmt_prepare(d, ...)` on the object that made this handle."""
        return self._wb_owner.stmt_prepare(self, sql)

    def next_stmt(self, prev: Stmt | None) -> Stmt | None:
        """Same as `OwnedHandles.db_next_stmt(d, ...)` on the object that made this handle."""
        return self._wb_owner.db_next_stmt(self, prev)


class Stmt(_WbOwned):
    """A `stmt *` handed out by the library of one `OwnedHandles` instance (only the pointer is held).
    `close()`, a `with` block or garbage collection calls `stmt_finalize` once (a borrowed handle, which
    the library keeps, is never freed by the host).
    Closing it closes its children (handles made with it as their parent) first; a child keeps its
    parent alive. Using it after close, with another instance, or after its instance was re-created
    following a trap raises HandleError.
    """

    __slots__ = ()
    _wb_type = "stmt"
    _wb_destroy = (9, "stmt_finalize")
    _wb_owner: OwnedHandles

    def db(self) -> Db | None:
        """Same as `OwnedHandles.stmt_db(s, ...)` on the object that made this handle."""
        return self._wb_owner.stmt_db(self)

    def step(self) -> int:
        """Same as `OwnedHandles.stmt_step(s, ...)` on the object that made this handle."""
        return self._wb_owner.stmt_step(self)


class Ustate(_WbOwned):
    """A `ustate *` handed out by the library of one `OwnedHandles` instance (only the pointer is held).
    `close()`, a `with` block or garbage collection calls `ustate_free` once (a borrowed handle, which
    the library keeps, is never freed by the host).
    Closing it closes its children (handles made with it as their parent) first; a child keeps its
    parent alive. Using it after close, with another instance, or after its instance was re-created
    following a trap raises HandleError.
    """

    __slots__ = ()
    _wb_type = "ustate"
    _wb_destroy = (10, "ustate_free")
    _wb_owner: OwnedHandles

    def reset(self) -> None:
        """Same as `OwnedHandles.ustate_reset(u, ...)` on the object that made this handle."""
        return self._wb_owner.ustate_reset(self)
