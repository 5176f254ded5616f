#!/usr/bin/env python3
"""Print the directory of the SQLite amalgamation bundled in the crates.io crate ``libsqlite3-sys``
(=0.30.1: SQLite 3.46.0), i.e. ``<crate>/sqlite3`` (``sqlite3.c``, ``sqlite3.h``).

Used by guests/build.sh to build the SQLite libc guest (wasm-bind guest --wasi) and by the SQLite
tests. SQLite's sources are never copied into this repository.

Usage: locate_sqlite.py [REPO_ROOT]
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from locate_crate import CrateSource, locate  # noqa: E402

SQLITE = CrateSource("libsqlite3-sys", "0.30.1", "sqlite3", "sqlite3.c")


def main() -> int:
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    src = locate(root, SQLITE, tag="locate_sqlite")
    if src is None:
        return 1
    print(src)
    return 0


if __name__ == "__main__":
    sys.exit(main())
