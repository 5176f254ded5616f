"""Named C enums through the generated Python bindings (tests/headers/shape_enums.h): each is an `IntEnum`, its values
stay module constants, parameters take the enum or any int of the C type's range (never bool), and returns give the
member when the value is one, else the plain int. Differential against the same C compiled natively (native.py)."""

from __future__ import annotations

import ctypes
import enum
import random
from types import ModuleType
from typing import Any

import pytest

from native import generated_module, native_library


@pytest.fixture(scope="module")
def mod() -> ModuleType:
    return generated_module("shape_enums.h", "shape_enums.c")


@pytest.fixture(scope="module")
def native() -> ctypes.CDLL:
    lib = native_library("shape_enums.c")
    for name, res, args in (("en_next", ctypes.c_uint32, [ctypes.c_uint32]),
                            ("en_weight", ctypes.c_int32, [ctypes.c_uint32, ctypes.c_int32]),
                            ("en_level", ctypes.c_int32, [ctypes.c_int32]),
                            ("en_flip", ctypes.c_uint32, [ctypes.c_uint32])):
        fn = getattr(lib, name)
        fn.restype, fn.argtypes = res, args
    return lib


def test_enum_classes_and_constants(mod: ModuleType) -> None:
    assert issubclass(mod.Color, enum.IntEnum) and issubclass(mod.Flags, enum.IntEnum)
    assert [(m.name, m.value) for m in mod.Color] == [("COLOR_RED", 0), ("COLOR_GREEN", 1), ("COLOR_BLUE", 7)]
    assert mod.Color.COLOR_DEFAULT is mod.Color.COLOR_RED  # a repeated C value is an alias, as in C
    assert mod.Level.LEVEL_LOW == -1 and mod.Flags.FLAG_TOP == 0x80000000
    assert mod.COLOR_BLUE == 7 and type(mod.COLOR_BLUE) is int and mod.EN_ANON == 42  # constants as before
    assert not hasattr(mod, "EnAnon")  # an anonymous enum only declares constants
    assert {"Color", "Level", "Flags"} <= set(mod.__all__)


def test_returns_are_members_when_they_can_be(mod: ModuleType, native: ctypes.CDLL) -> None:
    m = mod.ShapeEnums()
    rng = random.Random(5)
    for _ in range(300):
        c = rng.choice([0, 1, 7, rng.randrange(2**32)])
        got, want = m.en_next(c), native.en_next(c)
        assert got == want
        assert type(got) is (mod.Color if want in (0, 1, 7) else int), (c, got)
        raw = rng.choice([-1, 2**31 - 1, rng.randrange(-2**31, 2**31)])
        lvl = m.en_level(raw)
        assert lvl == native.en_level(raw) and (type(lvl) is mod.Level) == (raw in (-1, 2**31 - 1))
        f = rng.choice([1, 0x80000000, 0x80000001, rng.randrange(2**32)])
        assert m.en_flip(f) == native.en_flip(f)
        c2, w = mod.Color(rng.choice([0, 1, 7])), rng.choice([*mod.Level, rng.randrange(-2**31, 2**31)])
        assert m.en_weight(c2, w) == native.en_weight(int(c2), int(w))
    assert m.en_next(mod.Color.COLOR_GREEN) == 2 and type(m.en_next(mod.Color.COLOR_GREEN)) is int
    assert m.en_next(6) is mod.Color.COLOR_BLUE
    assert m.en_flip(mod.Flags.FLAG_TOP) == 0x80000001
    assert m.en_flip(0x80000001) is mod.Flags.FLAG_TOP


def test_arguments_take_the_enum_or_an_int(mod: ModuleType, native: ctypes.CDLL) -> None:
    m = mod.ShapeEnums()
    for c in (mod.Color.COLOR_BLUE, 7, 3):
        for lvl in (mod.Level.LEVEL_LOW, mod.Level.LEVEL_MAX, 12345):
            assert m.en_weight(c, lvl) == native.en_weight(int(c), int(lvl))
    with pytest.raises(TypeError, match="c: expected int, got bool"):
        m.en_next(True)
    with pytest.raises(OverflowError, match="c: -1 does not fit"):
        m.en_next(-1)
    with pytest.raises(OverflowError, match="lvl: "):
        m.en_weight(0, 2**31)


def test_annotations_name_the_enum(mod: ModuleType) -> None:
    ann: Any = mod.ShapeEnums.en_weight.__annotations__
    assert ann["c"] == "Color | int" and ann["lvl"] == "Level | int" and ann["return"] == "int"
    assert mod.ShapeEnums.en_next.__annotations__["return"] == "Color | int"
