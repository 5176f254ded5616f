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
from locate_crate import CrateSource, run  # noqa: E402

SQLITE = CrateSource("libsqlite3-sys", "0.30.1", "sqlite3", "sqlite3.c")


if __name__ == "__main__":
    sys.exit(run(SQLITE, "locate_sqlite"))
