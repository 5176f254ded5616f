#!/usr/bin/env python3
"""Print the directory of the zlib C library bundled in the crates.io crate
``libz-sys`` (=1.1.33, a dev-dependency of tests/ with its ``static`` feature,
which builds that bundled copy natively for the Rust cross-checks), i.e.
``<crate>/src/zlib`` (``zlib.h``, ``deflate.c``, ``gzlib.c``, ...).

Used by guests/build.sh to build the zlib libc guest (wasm-bind guest --wasi).
zlib's sources are never copied into this repository.

Usage: locate_zlib.py [REPO_ROOT]
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from locate_crate import CrateSource, run  # noqa: E402

ZLIB = CrateSource("libz-sys", "1.1.33", "src/zlib", "zlib.h", ("static",))


if __name__ == "__main__":
    sys.exit(run(ZLIB, "locate_zlib"))
