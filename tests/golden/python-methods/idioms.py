# Bindings for Idioms
# ----------------------------------------------------------------------------------------------

__all__ = [
    "Idioms",
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
    "DbT",
    "StmtT",
    "ID_OK",
    "ID_ERROR",
    "ID_MISUSE",
    "ID_ROW",
    "ID_DONE",
    "ID_BUF_ERROR",
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

ID_OK = 0
ID_ERROR = 1
ID_MISUSE = 21
ID_ROW = 100
ID_DONE = 101
ID_BUF_ERROR = -5


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


_WB_DEFAULT_WASM = os.path.join(os.path.dirname(os.path.abspath(__file__)), "idioms.wasm")
_WB_FUNCTIONS = (
    "db_open",
    "db_errmsg",
    "db_step",
    "db_fail",
    "plain_fail",
    "stmt_init",
    "stmt_fail",
    "stmt_db",
    "db_store",
    "db_stored",
    "probe_nulls",
    "probe_value",
    "column_blob",
    "column_bytes",
    "column_text",
    "lib_version",
    "column_name",
    "pack",
    "packBound",
    "pack_lie",
    "wb_persist_alloc",
    "wb_persist_free",
)
_WB_SIGNATURES = (
    "i32,i32->i32",
    "i32->i32",
    "i32->i32",
    "i32,i32->i32",
    "i32->i32",
    "i32,i32->i32",
    "i32,i32->i32",
    "i32->i32",
    "i32,i32,i32,i32->i32",
    "i32->i32",
    "i32,i32,i32->i32",
    "i32,i32->i32",
    "i32,i32->i32",
    "i32,i32->i32",
    "i32,i32->i32",
    "->i32",
    "i32,i32->i32",
    "i32,i32,i32,i32->i32",
    "i32->i32",
    "i32,i32,i32,i32->i32",
    "i32->i32",
    "i32,i32->",
)


class Idioms:
    """The `idioms.h` guest: one wasm instance; one method per bound C function."""

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

    def db_open(self, db: DbT, rows: int) -> int:
        """Status rule

        C: `int db_open(db_t *db, int32_t rows)`

        Raises StatusError when the C function returns anything but 0, 100, 101, carrying the message `db_errmsg(db)` gives. Returns the code.
        """
        if type(rows) is not int or not -2147483648 <= rows <= 2147483647:
            rows = _wb_int(rows, "rows", -2147483648, 2147483647)
        with self._wb_rt.lock:
            _wb_h0 = _wb_handle(db, DbT, "db", self._wb_rt)
            _wb_ret = self._wb_rt.invoke0(0, "db_open", (_wb_h0, rows))
            if _wb_ret not in (0, 100, 101):
                raise StatusError("db_open", _wb_ret, _wb_message(self._wb_rt, 1, "db_errmsg", (_wb_h0,), 4096))
        return _wb_ret

    def db_step(self, db: DbT) -> int:
        """Calls the C function `db_step`.

        C: `int db_step(db_t *db)`

        Raises StatusError when the C function returns anything but 0, 100, 101, carrying the message `db_errmsg(db)` gives. Returns the code.
        """
        with self._wb_rt.lock:
            _wb_h0 = _wb_handle(db, DbT, "db", self._wb_rt)
            _wb_ret = self._wb_rt.invoke0(2, "db_step", (_wb_h0,))
            if _wb_ret not in (0, 100, 101):
                raise StatusError("db_step", _wb_ret, _wb_message(self._wb_rt, 1, "db_errmsg", (_wb_h0,), 4096))
        return _wb_ret

    def db_fail(self, db: DbT, code: int) -> int:
        """Calls the C function `db_fail`.

        C: `int db_fail(db_t *db, int32_t code)`

        Raises StatusError when the C function returns anything but 0, 100, 101, carrying the message `db_errmsg(db)` gives. Returns the code.
        """
        if type(code) is not int or not -2147483648 <= code <= 2147483647:
            code = _wb_int(code, "code", -2147483648, 2147483647)
        with self._wb_rt.lock:
            _wb_h0 = _wb_handle(db, DbT, "db", self._wb_rt)
            _wb_ret = self._wb_rt.invoke0(3, "db_fail", (_wb_h0, code))
            if _wb_ret not in (0, 100, 101):
                raise StatusError("db_fail", _wb_ret, _wb_message(self._wb_rt, 1, "db_errmsg", (_wb_h0,), 4096))
        return _wb_ret

    def db_errmsg(self, db: DbT) -> str | None:
        """Calls the C function `db_errmsg`.

        C: `const char * db_errmsg(db_t *db)`

        Returns None when the C function returns NULL.
        """
        with self._wb_rt.lock:
            _wb_h0 = _wb_handle(db, DbT, "db", self._wb_rt)
            _wb_ret = self._wb_rt.invoke0(1, "db_errmsg", (_wb_h0,))
            _wb_str_ret = _wb_cstr_or_none(self._wb_rt, _wb_ret & 0xffffffff, 4096, "db_errmsg")
        return _wb_str_ret

    def plain_fail(self, code: int) -> int:
        """Calls the C function `plain_fail`.

        C: `int plain_fail(int32_t code)`

        Raises StatusError when the C function returns anything but 0, 100, 101. Returns the code.
        """
        if type(code) is not int or not -2147483648 <= code <= 2147483647:
            code = _wb_int(code, "code", -2147483648, 2147483647)
        _wb_ret = self._wb_rt.invoke0(4, "plain_fail", (code,))
        if _wb_ret not in (0, 100, 101):
            raise StatusError("plain_fail", _wb_ret)
        return _wb_ret

    def stmt_init(self, st: StmtT, db: DbT) -> int:
        """Calls the C function `stmt_init`.

        C: `int stmt_init(stmt_t *st, db_t *db)`

        Raises StatusError when the C function returns anything but 0, 100, 101, carrying the message `db_errmsg(db)` gives. Returns the code.
        """
        with self._wb_rt.lock:
            _wb_h0 = _wb_handle(st, StmtT, "st", self._wb_rt)
            _wb_h1 = _wb_handle(db, DbT, "db", self._wb_rt)
            _wb_ret = self._wb_rt.invoke0(5, "stmt_init", (_wb_h0, _wb_h1))
            if _wb_ret not in (0, 100, 101):
                raise StatusError("stmt_init", _wb_ret, _wb_message(self._wb_rt, 1, "db_errmsg", (_wb_h1,), 4096))
        return _wb_ret

    def stmt_fail(self, st: StmtT, code: int) -> int:
        """Calls the C function `stmt_fail`.

        C: `int stmt_fail(stmt_t *st, int32_t code)`

        Raises StatusError when the C function returns anything but 0, 100, 101, carrying the message `db_errmsg(stmt_db(st))` gives. Returns the code.
        """
        if type(code) is not int or not -2147483648 <= code <= 2147483647:
            code = _wb_int(code, "code", -2147483648, 2147483647)
        with self._wb_rt.lock:
            _wb_h0 = _wb_handle(st, StmtT, "st", self._wb_rt)
            _wb_ret = self._wb_rt.invoke0(6, "stmt_fail", (_wb_h0, code))
            if _wb_ret not in (0, 100, 101):
                raise StatusError("stmt_fail", _wb_ret, _wb_message(self._wb_rt, 1, "db_errmsg", (self._wb_rt.call(7, "stmt_db", (_wb_h0,)) & 0xffffffff,), 4096))
        return _wb_ret

    def db_store(self, db: DbT, text: Buffer) -> int:
        """Calls the C function `db_store`.

        C: `int db_store(db_t *db, const char *text, int32_t nText, destructor_fn del)`

        Raises StatusError when the C function returns anything but 0, 100, 101, carrying the message `db_errmsg(db)` gives. Returns the code.
        """
        if type(text) is not bytes:
            text = _wb_bytes(text, "text")
        nText = len(text)
        if nText > 2147483647:
            nText = _wb_int(nText, "nText", -2147483648, 2147483647)
        with self._wb_rt.lock:
            _wb_h0 = _wb_handle(db, DbT, "db", self._wb_rt)
            _wb_block = ((nText + 7) & -8) or 8
            _wb_ret, _wb_out = self._wb_rt.invoke(8, "db_store", _wb_block, ((0, text),), (_wb_h0, 0, nText, -1), (1,), ())
            if _wb_ret not in (0, 100, 101):
                raise StatusError("db_store", _wb_ret, _wb_message(self._wb_rt, 1, "db_errmsg", (_wb_h0,), 4096))
        return _wb_ret

    def db_stored(self, db: DbT) -> int:
        """Calls the C function `db_stored`.

        C: `int32_t db_stored(const db_t *db)`
        """
        with self._wb_rt.lock:
            _wb_h0 = _wb_handle(db, DbT, "db", self._wb_rt)
            _wb_ret = self._wb_rt.invoke0(9, "db_stored", (_wb_h0,))
        return _wb_ret

    def probe_nulls(self, mode: int) -> int:
        """Calls the C function `probe_nulls`.

        C: `int32_t probe_nulls(const char * *pzTail, const char *zVfs, int32_t mode)`
        """
        if type(mode) is not int or not -2147483648 <= mode <= 2147483647:
            mode = _wb_int(mode, "mode", -2147483648, 2147483647)
        _wb_ret = self._wb_rt.invoke0(10, "probe_nulls", (0, 0, mode))
        return _wb_ret

    def probe_value(self) -> int:
        """Calls the C function `probe_value`.

        C: `int32_t probe_value(uint32_t bits, int8_t small)`
        """
        _wb_ret = self._wb_rt.invoke0(11, "probe_value", (2, -128))
        return _wb_ret

    def column_blob(self, db: DbT, col: int) -> bytes | None:
        """Data whose length another call reports

        C: `const void * column_blob(db_t *db, int32_t col)`

        Returns the bytes `column_bytes(db, col)` reports, copied out at once; None for NULL.
        """
        if type(col) is not int or not -2147483648 <= col <= 2147483647:
            col = _wb_int(col, "col", -2147483648, 2147483647)
        with self._wb_rt.lock:
            _wb_h0 = _wb_handle(db, DbT, "db", self._wb_rt)
            _wb_ret = self._wb_rt.invoke0(12, "column_blob", (_wb_h0, col))
            _wb_got = _wb_data(self._wb_rt, _wb_ret & 0xffffffff, self._wb_rt.invoke0(13, "column_bytes", (_wb_h0, col)), "column_blob")
        return _wb_got

    def column_bytes(self, db: DbT, col: int) -> int:
        """Calls the C function `column_bytes`.

        C: `int32_t column_bytes(db_t *db, int32_t col)`
        """
        if type(col) is not int or not -2147483648 <= col <= 2147483647:
            col = _wb_int(col, "col", -2147483648, 2147483647)
        with self._wb_rt.lock:
            _wb_h0 = _wb_handle(db, DbT, "db", self._wb_rt)
            _wb_ret = self._wb_rt.invoke0(13, "column_bytes", (_wb_h0, col))
        return _wb_ret

    def column_text(self, db: DbT, col: int) -> str:
        """Calls the C function `column_text`.

        C: `const unsigned char * column_text(db_t *db, int32_t col)`

        Returns the UTF-8 text of the bytes `column_bytes(db, col)` reports, copied out at once; invalid UTF-8 raises UnicodeDecodeError.
        """
        if type(col) is not int or not -2147483648 <= col <= 2147483647:
            col = _wb_int(col, "col", -2147483648, 2147483647)
        with self._wb_rt.lock:
            _wb_h0 = _wb_handle(db, DbT, "db", self._wb_rt)
            _wb_ret = self._wb_rt.invoke0(14, "column_text", (_wb_h0, col))
            _wb_got = _wb_data(self._wb_rt, _wb_ret & 0xffffffff, self._wb_rt.invoke0(13, "column_bytes", (_wb_h0, col)), "column_text")
        return _wb_utf8(_wb_got or b"", "column_text")

    def lib_version(self) -> str:
        """Library-owned strings

        C: `const char * lib_version()`
        """
        with self._wb_rt.lock:
            _wb_ret = self._wb_rt.invoke0(15, "lib_version", ())
            _wb_str_ret = _wb_cstr(self._wb_rt, _wb_ret & 0xffffffff, 4096, "lib_version")
        return _wb_str_ret

    def column_name(self, db: DbT, col: int) -> str | None:
        """Calls the C function `column_name`.

        C: `const char * column_name(db_t *db, int32_t col)`

        Returns None when the C function returns NULL.
        """
        if type(col) is not int or not -2147483648 <= col <= 2147483647:
            col = _wb_int(col, "col", -2147483648, 2147483647)
        with self._wb_rt.lock:
            _wb_h0 = _wb_handle(db, DbT, "db", self._wb_rt)
            _wb_ret = self._wb_rt.invoke0(16, "column_name", (_wb_h0, col))
            _wb_str_ret = _wb_cstr_or_none(self._wb_rt, _wb_ret & 0xffffffff, 64, "column_name")
        return _wb_str_ret

    def pack(self, destLen: int, source: Buffer) -> tuple[bytes, int]:
        """Capacity in, count out: dest gets source twice; *destLen is dest's capacity, then the count.

        C: `int pack(uint8_t *dest, uint32_t *destLen, const uint8_t *source, uint32_t sourceLen)`

        Raises StatusError when the C function returns anything but 0, 100, 101. Returns the code.

        `dest` is returned cut to the count the C function stores in `*destLen`; raises GuestError when that count exceeds its capacity.
        """
        if type(destLen) is not int or not 0 <= destLen <= 0xffffffff:
            destLen = _wb_int(destLen, "destLen", 0, 0xffffffff)
        if type(source) is not bytes:
            source = _wb_bytes(source, "source")
        sourceLen = len(source)
        if sourceLen > 0xffffffff:
            sourceLen = _wb_int(sourceLen, "sourceLen", 0, 0xffffffff)
        _wb_o2 = 8 + ((destLen + 7) & -8)
        _wb_block = _wb_o2 + ((sourceLen + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(17, "pack", _wb_block, ((0, destLen.to_bytes(4, "little", signed=False)), (_wb_o2, source)), (8, 0, _wb_o2, sourceLen), (0, 1, 2), ((8, destLen), (0, 4)))
        if _wb_ret not in (0, 100, 101):
            raise StatusError("pack", _wb_ret)
        _wb_filled1 = int.from_bytes(_wb_out[1], "little", signed=False)
        if _wb_filled1 > destLen:
            raise GuestError(f"pack: wrote {_wb_filled1} into `destLen`, more elements than `dest` holds")
        return (_wb_out[0][:_wb_filled1], _wb_ret)

    def packBound(self, sourceLen: int) -> int:
        """Calls the C function `packBound`.

        C: `uint32_t packBound(uint32_t sourceLen)`
        """
        if type(sourceLen) is not int or not 0 <= sourceLen <= 0xffffffff:
            sourceLen = _wb_int(sourceLen, "sourceLen", 0, 0xffffffff)
        _wb_ret = self._wb_rt.invoke0(18, "packBound", (sourceLen,))
        return _wb_ret & 0xffffffff

    def pack_lie(self, source: Buffer) -> tuple[bytes, int]:
        """Calls the C function `pack_lie`.

        C: `int pack_lie(uint8_t *dest, uint32_t *destLen, const uint8_t *source, uint32_t sourceLen)`

        Raises StatusError when the C function returns anything but 0, 100, 101. Returns the code.

        `dest` is returned cut to the count the C function stores in `*destLen`; raises GuestError when that count exceeds its capacity.
        """
        if type(source) is not bytes:
            source = _wb_bytes(source, "source")
        sourceLen = len(source)
        if sourceLen > 0xffffffff:
            sourceLen = _wb_int(sourceLen, "sourceLen", 0, 0xffffffff)
        destLen = _wb_int(self._wb_rt.call(18, "packBound", (_wb_int(sourceLen, "argument 1 of packBound", 0, 0xffffffff),)) & 0xffffffff, "destLen", 0, 0xffffffff)
        _wb_o2 = 8 + ((destLen + 7) & -8)
        _wb_block = _wb_o2 + ((sourceLen + 7) & -8) or 8
        _wb_ret, _wb_out = self._wb_rt.invoke(19, "pack_lie", _wb_block, ((0, destLen.to_bytes(4, "little", signed=False)), (_wb_o2, source)), (8, 0, _wb_o2, sourceLen), (0, 1, 2), ((8, destLen), (0, 4)))
        if _wb_ret not in (0, 100, 101):
            raise StatusError("pack_lie", _wb_ret)
        _wb_filled1 = int.from_bytes(_wb_out[1], "little", signed=False)
        if _wb_filled1 > destLen:
            raise GuestError(f"pack_lie: wrote {_wb_filled1} into `destLen`, more elements than `dest` holds")
        return (_wb_out[0][:_wb_filled1], _wb_ret)


class DbT:
    """The C struct `db_t` (12 bytes), living in the memory of one `Idioms` instance: pass it to the
    methods that take a `db_t *`. `close()`, leaving a `with` block, or garbage collection wipes
    and frees it. A trap in its instance invalidates it (using it then raises ValueError).
    """

    __slots__ = ("__weakref__", "_wb_free", "_wb_gen", "_wb_held", "_wb_owner", "_wb_ptr", "_wb_rt")

    def __init__(self, owner: Idioms) -> None:
        if not isinstance(owner, Idioms):
            raise TypeError(f"owner: expected Idioms, got {type(owner).__name__}")
        self._wb_owner = owner
        self._wb_rt = owner._wb_rt
        self._wb_held: Optional[List[Any]] = None  # guest buffers the library points into (`kept`)
        with self._wb_rt.lock:
            self._wb_ptr = self._wb_rt.persist_alloc(12)
            self._wb_gen = self._wb_rt.generation
        self._wb_free = weakref.finalize(self, self._wb_rt.persist_free, self._wb_ptr, 12, self._wb_gen)
        self._wb_free.atexit = False

    @property
    def closed(self) -> bool:
        """True once close() ran (or the object was finalized)."""
        return not self._wb_free.alive

    def close(self) -> None:
        """Wipes and frees the guest memory; later calls do nothing."""
        self._wb_free()
        self._wb_held = None

    def __enter__(self) -> DbT:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def open_(self, rows: int) -> int:
        """Same as `Idioms.db_open(db, ...)` on the object that made this handle."""
        return self._wb_owner.db_open(self, rows)

    def step(self) -> int:
        """Same as `Idioms.db_step(db, ...)` on the object that made this handle."""
        return self._wb_owner.db_step(self)

    def fail(self, code: int) -> int:
        """Same as `Idioms.db_fail(db, ...)` on the object that made this handle."""
        return self._wb_owner.db_fail(self, code)

    def errmsg(self) -> str | None:
        """Same as `Idioms.db_errmsg(db, ...)` on the object that made this handle."""
        return self._wb_owner.db_errmsg(self)

    def store(self, text: Buffer) -> int:
        """Same as `Idioms.db_store(db, ...)` on the object that made this handle."""
        return self._wb_owner.db_store(self, text)

    def stored(self) -> int:
        """Same as `Idioms.db_stored(db, ...)` on the object that made this handle."""
        return self._wb_owner.db_stored(self)

    def column_blob(self, col: int) -> bytes | None:
        """Same as `Idioms.column_blob(db, ...)` on the object that made this handle."""
        return self._wb_owner.column_blob(self, col)

    def column_bytes(self, col: int) -> int:
        """Same as `Idioms.column_bytes(db, ...)` on the object that made this handle."""
        return self._wb_owner.column_bytes(self, col)

    def column_text(self, col: int) -> str:
        """Same as `Idioms.column_text(db, ...)` on the object that made this handle."""
        return self._wb_owner.column_text(self, col)

    def column_name(self, col: int) -> str | None:
        """Same as `Idioms.column_name(db, ...)` on the object that made this handle."""
        return self._wb_owner.column_name(self, col)


class StmtT:
    """The C struct `stmt_t` (8 bytes), living in the memory of one `Idioms` instance: pass it to the
    methods that take a `stmt_t *`. `close()`, leaving a `with` block, or garbage collection wipes
    and frees it. A trap in its instance invalidates it (using it then raises ValueError).
    """

    __slots__ = ("__weakref__", "_wb_free", "_wb_gen", "_wb_held", "_wb_owner", "_wb_ptr", "_wb_rt")

    def __init__(self, owner: Idioms) -> None:
        if not isinstance(owner, Idioms):
            raise TypeError(f"owner: expected Idioms, got {type(owner).__name__}")
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

    def __enter__(self) -> StmtT:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def init(self, db: DbT) -> int:
        """Same as `Idioms.stmt_init(st, ...)` on the object that made this handle."""
        return self._wb_owner.stmt_init(self, db)

    def fail(self, code: int) -> int:
        """Same as `Idioms.stmt_fail(st, ...)` on the object that made this handle."""
        return self._wb_owner.stmt_fail(self, code)
