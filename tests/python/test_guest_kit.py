"""The guest kit's freestanding libc (guest-kit/wb_libc.c, guest-kit/include) against the host's C library.

tests/guest_kit/kit_check.c calls every kit function; it is built with `wasm-bind guest` (so this also
proves the kit's headers are found and that a guest using string.h, ctype.h, stdlib.h and assert.h
builds with no hand-written glue) and bound with `wasm-bind --py`. Each function is then compared with
the same function of the host's libc (ctypes) on random inputs drawn from a small alphabet (so that
searches find matches, NULs end strings early and bytes >= 0x80 test unsigned comparison).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import locale
import random
import subprocess
from types import ModuleType
from typing import Any, Iterator

import pytest

from conftest import ROOT, import_generated

KIT_DIR = ROOT / "tests" / "guest_kit"
ALPHABET = b"ab\x00\xffz\x80 "
ROUNDS = 300

libc = ctypes.CDLL(ctypes.util.find_library("c"))
for _name in ("memchr", "strchr", "strrchr", "strstr", "strpbrk", "strcpy", "strncpy", "strcat", "strncat", "memmove", "memset"):
    getattr(libc, _name).restype = ctypes.c_void_p
libc.strlen.restype = libc.strnlen.restype = libc.strspn.restype = libc.strcspn.restype = ctypes.c_size_t
libc.strnlen.argtypes = [ctypes.c_char_p, ctypes.c_size_t]
libc.memcmp.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_size_t]
libc.strncmp.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_size_t]
libc.llabs.restype = ctypes.c_longlong
libc.llabs.argtypes = [ctypes.c_longlong]


class DivT(ctypes.Structure):
    _fields_ = [("quot", ctypes.c_int), ("rem", ctypes.c_int)]


class LLDivT(ctypes.Structure):
    _fields_ = [("quot", ctypes.c_longlong), ("rem", ctypes.c_longlong)]


libc.div.restype = DivT
libc.lldiv.restype = LLDivT
libc.lldiv.argtypes = [ctypes.c_longlong, ctypes.c_longlong]


@pytest.fixture(scope="module")
def kit_module(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    """kit_check built by `wasm-bind guest`, bound by `wasm-bind --py`, imported."""
    out = tmp_path_factory.mktemp("kit_check")
    wasm = out / "kit_check.wasm"
    sources = [str(KIT_DIR / "kit_check.c"), str(KIT_DIR / "kit_check_ndebug.c")]
    for cmd in (
        ["cargo", "run", "-q", "-p", "gen", "--", "guest", *sources, "--header", str(KIT_DIR / "kit_check.h"), "-o", str(wasm)],
        ["cargo", "run", "-q", "-p", "gen", "--", "--py", str(KIT_DIR / "kit_check.h"), "--wasm", str(wasm), "-o", str(out / "py")],
    ):
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        if proc.returncode != 0:
            pytest.fail(f"`{' '.join(cmd)}` failed ({proc.returncode}):\n{proc.stderr}")
    return import_generated("kit_check", out / "py" / "kit_check.py")


@pytest.fixture(scope="module")
def kit(kit_module: ModuleType) -> Any:
    return kit_module.KitCheck()


def rand_bytes(rng: random.Random, max_len: int = 12) -> bytes:
    return bytes(rng.choice(ALPHABET) for _ in range(rng.randrange(max_len + 1)))


def sign(v: int) -> int:
    return (v > 0) - (v < 0)


def offset(buf: Any, ptr: int | None) -> int:
    return -1 if ptr is None else ptr - ctypes.addressof(buf)


def cases(seed: int) -> Iterator[random.Random]:
    rng = random.Random(seed)
    for _ in range(ROUNDS):
        yield rng


def test_memcmp_memchr_and_lengths(kit: Any) -> None:
    for rng in cases(1):
        a, b = rand_bytes(rng), rand_bytes(rng)
        n = rng.randrange(min(len(a), len(b)) + 1)
        assert kit.kc_memcmp(a, b, n) == sign(libc.memcmp(a, b, n)), (a, b, n)
        c = rng.choice(ALPHABET + b"q")
        buf = ctypes.create_string_buffer(a, len(a) or 1)
        assert kit.kc_memchr(a, c) == offset(buf, libc.memchr(buf, c, len(a))), (a, c)
        assert kit.kc_strlen(a) == libc.strlen(a), a
        m = rng.randrange(15)
        assert kit.kc_strnlen(a, m) == libc.strnlen(a, m), (a, m)


def test_string_comparisons(kit: Any) -> None:
    for rng in cases(2):
        a, b = rand_bytes(rng, 4), rand_bytes(rng, 4)  # short: equal prefixes are common
        assert kit.kc_strcmp(a, b) == sign(libc.strcmp(a, b)), (a, b)
        n = rng.randrange(6)
        assert kit.kc_strncmp(a, b, n) == sign(libc.strncmp(a, b, n)), (a, b, n)


def test_string_searches(kit: Any) -> None:
    for rng in cases(3):
        s, needle, accept = rand_bytes(rng), rand_bytes(rng, 3), rand_bytes(rng, 3)
        buf = ctypes.create_string_buffer(s)
        c = rng.choice(ALPHABET + b"q")
        assert kit.kc_strchr(s, c) == offset(buf, libc.strchr(buf, c)), (s, c)
        assert kit.kc_strrchr(s, c) == offset(buf, libc.strrchr(buf, c)), (s, c)
        assert kit.kc_strstr(s, needle) == offset(buf, libc.strstr(buf, needle)), (s, needle)
        assert kit.kc_strspn(s, accept) == libc.strspn(s, accept), (s, accept)
        assert kit.kc_strcspn(s, accept) == libc.strcspn(s, accept), (s, accept)
        assert kit.kc_strpbrk(s, accept) == offset(buf, libc.strpbrk(buf, accept)), (s, accept)


def filled(n: int) -> Any:
    return ctypes.create_string_buffer(b"\xaa" * n, n)


def test_copies_and_concatenation(kit: Any) -> None:
    for rng in cases(4):
        a, b = rand_bytes(rng), rand_bytes(rng)
        n = rng.randrange(1, 16)
        host = filled(n)
        libc.strncpy(host, a, ctypes.c_size_t(n))
        assert kit.kc_strncpy(n, a) == host.raw, (a, n)
        size = len(a) + len(b) + 1 + rng.randrange(3)
        host = filled(size)
        libc.strcpy(host, a)
        libc.strcat(host, b)
        assert kit.kc_strcat(size, a, b) == (host.raw, 0), (a, b)
        k = rng.randrange(6)
        host = filled(size)
        libc.strcpy(host, a)
        libc.strncat(host, b, ctypes.c_size_t(k))
        assert kit.kc_strncat(size, a, b, k) == (host.raw, 0), (a, b, k)


def test_memmove_overlaps_and_memset(kit: Any) -> None:
    for rng in cases(5):
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 24)))
        dst, src = rng.randrange(len(data)), rng.randrange(len(data))
        n = rng.randrange(len(data) - max(dst, src) + 1)
        host = ctypes.create_string_buffer(data, len(data))
        libc.memmove(ctypes.byref(host, dst), ctypes.byref(host, src), ctypes.c_size_t(n))
        assert kit.kc_memmove(data, dst, src, n) == (host.raw, dst), (data, dst, src, n)
        c = rng.randrange(-300, 300)  # memset takes the value converted to unsigned char
        host = ctypes.create_string_buffer(len(data))
        libc.memset(host, c, ctypes.c_size_t(len(data)))
        assert kit.kc_memset(len(data), c) == host.raw, c


CTYPE = ["isalnum", "isalpha", "isblank", "iscntrl", "isdigit", "isgraph",
         "islower", "isprint", "ispunct", "isspace", "isupper", "isxdigit"]


def test_ctype_is_the_c_locale_on_every_byte_and_eof(kit: Any) -> None:
    saved = locale.setlocale(locale.LC_CTYPE)
    locale.setlocale(locale.LC_CTYPE, "C")
    try:
        for c in range(-1, 256):
            host = sum(bool(getattr(libc, f)(c)) << i for i, f in enumerate(CTYPE))
            assert kit.kc_ctype(c) == host, (c, [f for i, f in enumerate(CTYPE) if (kit.kc_ctype(c) ^ host) >> i & 1])
            assert kit.kc_toupper(c) == libc.toupper(c), c
            assert kit.kc_tolower(c) == libc.tolower(c), c
    finally:
        locale.setlocale(locale.LC_CTYPE, saved)


def test_integer_helpers(kit: Any) -> None:
    rng = random.Random(6)
    for _ in range(ROUNDS):
        x = rng.randrange(-(2**31) + 1, 2**31)
        assert kit.kc_abs(x) == libc.abs(x) and kit.kc_labs(x) == abs(x), x
        y = rng.randrange(-(2**63) + 1, 2**63)
        assert kit.kc_llabs(y) == libc.llabs(y), y
        num, den = rng.randrange(-1000, 1000), rng.choice([d for d in range(-7, 8) if d])
        d = libc.div(num, den)
        packed = kit.kc_div(num, den)
        assert ((packed >> 32) & 0xFFFFFFFF, packed & 0xFFFFFFFF) == (d.quot & 0xFFFFFFFF, d.rem & 0xFFFFFFFF), (num, den)
        ld = libc.lldiv(y, den)
        assert (kit.kc_lldiv_quot(y, den), kit.kc_lldiv_rem(y, den)) == (ld.quot, ld.rem), (y, den)


def test_assert_traps_and_ndebug_removes_it(kit: Any, kit_module: ModuleType) -> None:
    assert kit.kc_assert(5) == 1
    assert kit.kc_assert_ndebug(0) == 1  # the condition is not even evaluated
    with pytest.raises(kit_module.TrapError, match="unreachable"):
        kit.kc_assert(0)
