#!/usr/bin/env python3
"""Print the directory of the LZ4 C library bundled in the crates.io crate
``lz4-sys`` (=1.11.1, which bundles LZ4 1.10.0), i.e. ``<crate>/liblz4/lib``
(``lz4.c``, ``lz4.h``, ...).

No workspace member depends on lz4-sys, so locate_crate.py resolves it through
a standalone manifest under ``target/guests/.locate-lz4-sys/`` (the workspace is
tried first, so a future dev-dependency would be picked up). LZ4 sources are
never copied into this repository.

Usage: locate_lz4.py [REPO_ROOT]
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from locate_crate import CrateSource, run  # noqa: E402

LZ4 = CrateSource("lz4-sys", "1.11.1", "liblz4/lib", "lz4.c")


if __name__ == "__main__":
    sys.exit(run(LZ4, "locate_lz4"))
