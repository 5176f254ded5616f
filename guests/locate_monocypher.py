#!/usr/bin/env python3
"""Print the directory of the Monocypher C sources bundled in the crates.io
crate ``monocypher-sys`` (=4.0.2), i.e. ``<crate>/Monocypher``.

The crate is a dev-dependency of the workspace member ``tests``
(package ``wasm-bind-tests``), so ``cargo metadata`` downloads it into the
cargo registry and reports its manifest path (see locate_crate.py for the
lookup and its standalone-manifest fallback). Monocypher sources are never
copied into this repository.

Usage: locate_monocypher.py [REPO_ROOT]
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from locate_crate import CrateSource, run  # noqa: E402

MONOCYPHER = CrateSource("monocypher-sys", "4.0.2", "Monocypher", "src/monocypher.c", ("ed25519",))


if __name__ == "__main__":
    sys.exit(run(MONOCYPHER, "locate_monocypher"))
