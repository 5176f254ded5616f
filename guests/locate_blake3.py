#!/usr/bin/env python3
"""Print the directory of BLAKE3's C implementation bundled in the crates.io crate blake3 =1.8.2.

The third-party library of the "bind your own library" proof (tests/python/test_blake3_guest.py,
tests/rust/standalone_crate.rs): its portable C files (blake3.c, blake3_dispatch.c,
blake3_portable.c) build with `wasm-bind guest` and the guest kit unchanged, no flags.
Usage: locate_blake3.py [REPO_ROOT]   (prints <crate>/c)
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from locate_crate import CrateSource, run  # noqa: E402

BLAKE3 = CrateSource("blake3", "1.8.2", "c", "blake3_portable.c")


if __name__ == "__main__":
    sys.exit(run(BLAKE3, "locate_blake3"))
