#!/usr/bin/env python3
"""Print the directory of the Monocypher C sources bundled in the crates.io
crate ``monocypher-sys`` (=4.0.2), i.e. ``<crate>/Monocypher``.

The crate is a dev-dependency of the workspace member ``tests``
(package ``wasm-bind-tests``), so ``cargo metadata`` downloads it into the
cargo registry and reports its manifest path. Monocypher sources are never
copied into this repository.

Usage: locate_monocypher.py [REPO_ROOT]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

WANT_NAME = "monocypher-sys"
WANT_VERSION = "4.0.2"


def cargo_metadata(manifest: str, quiet: bool = False) -> dict | None:
    try:
        out = subprocess.run(
            ["cargo", "metadata", "--format-version", "1", "--manifest-path", manifest],
            check=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL if quiet else None,
        ).stdout
    except FileNotFoundError:
        print("locate_monocypher: `cargo` not found in PATH", file=sys.stderr)
        sys.exit(1)
    except subprocess.CalledProcessError as e:
        print(
            f"locate_monocypher: `cargo metadata` on {manifest} failed ({e.returncode})",
            file=sys.stderr,
        )
        return None
    return json.loads(out)


def find(meta: dict | None) -> str | None:
    for pkg in (meta or {}).get("packages", []):
        if pkg["name"] == WANT_NAME and pkg["version"] == WANT_VERSION:
            src = os.path.join(os.path.dirname(pkg["manifest_path"]), "Monocypher")
            if os.path.isfile(os.path.join(src, "src", "monocypher.c")):
                return src
    return None


def main() -> int:
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), ".."))
    # 1. The real workspace (tests/ dev-depends on monocypher-sys).
    manifest = os.path.join(root, "Cargo.toml")
    if not os.path.exists(manifest):
        manifest = os.path.join(root, "tests", "Cargo.toml")
    src = find(cargo_metadata(manifest, quiet=True))
    if src is None:
        # 2. Fallback (e.g. another workspace member is momentarily broken):
        #    a throw-away standalone manifest under target/ with the same pin.
        scratch = os.path.join(root, "target", "guests", ".locate-monocypher")
        os.makedirs(os.path.join(scratch, "src"), exist_ok=True)
        with open(os.path.join(scratch, "Cargo.toml"), "w") as f:
            f.write(
                '[package]\nname = "locate-monocypher"\nversion = "0.0.0"\n'
                'edition = "2021"\npublish = false\n\n[workspace]\n\n'
                f'[dependencies]\n{WANT_NAME} = {{ version = "={WANT_VERSION}", '
                'features = ["ed25519"] }\n'
            )
        with open(os.path.join(scratch, "src", "lib.rs"), "w") as f:
            f.write("")
        print(
            f"locate_monocypher: workspace metadata ({manifest}) unusable or without"
            f" {WANT_NAME}; falling back to a standalone manifest",
            file=sys.stderr,
        )
        src = find(cargo_metadata(os.path.join(scratch, "Cargo.toml")))
    if src is None:
        print(
            f"locate_monocypher: {WANT_NAME} {WANT_VERSION} not found via cargo metadata;"
            f' tests/Cargo.toml must dev-depend on {WANT_NAME} = "={WANT_VERSION}"',
            file=sys.stderr,
        )
        return 1
    print(src)
    return 0


if __name__ == "__main__":
    sys.exit(main())
