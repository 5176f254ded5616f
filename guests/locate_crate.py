#!/usr/bin/env python3
"""Print the directory of C sources bundled in a pinned crates.io crate.

Used by guests/build.sh (through locate_monocypher.py / locate_lz4.py) and by
tests that need a guest library's upstream files. The C sources are never
copied into this repository: cargo downloads the crate into its registry and
``cargo metadata`` reports the crate's manifest path.

Lookup order:
1. the real workspace (``<root>/Cargo.toml``), if a member depends on the
   crate at exactly ``version`` (monocypher-sys: ``tests/`` dev-depends on it);
2. otherwise a throw-away standalone manifest under
   ``target/guests/.locate-<crate>/`` that depends on ``<crate> = "=<version>"``
   (also the fallback while another workspace member is momentarily broken).

Usage: locate_crate.py CRATE VERSION SUBDIR MARKER [REPO_ROOT] [--features a,b]
  prints ``<crate dir>/SUBDIR`` once ``<crate dir>/SUBDIR/MARKER`` exists.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from typing import Any, Dict, Optional


@dataclass(frozen=True)
class CrateSource:
    """A pinned crate and the bundled source directory inside it."""

    name: str  # crates.io name, e.g. "lz4-sys"
    version: str  # exact version; build metadata ("+lz4-1.10.0") is ignored
    subdir: str  # directory inside the crate to print, e.g. "liblz4/lib"
    marker: str  # file that must exist under subdir, e.g. "lz4.c"
    features: tuple[str, ...] = field(default=())


def _same_version(reported: str, wanted: str) -> bool:
    return reported.split("+", 1)[0] == wanted.split("+", 1)[0]


def cargo_metadata(manifest: str, tag: str, quiet: bool = False) -> Optional[Dict[str, Any]]:
    try:
        out = subprocess.run(
            ["cargo", "metadata", "--format-version", "1", "--manifest-path", manifest],
            check=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL if quiet else None,
        ).stdout
    except FileNotFoundError:
        print(f"{tag}: `cargo` not found in PATH", file=sys.stderr)
        sys.exit(1)
    except subprocess.CalledProcessError as e:
        print(f"{tag}: `cargo metadata` on {manifest} failed ({e.returncode})", file=sys.stderr)
        return None
    meta: Dict[str, Any] = json.loads(out)
    return meta


def find(meta: Optional[Dict[str, Any]], want: CrateSource) -> Optional[str]:
    for pkg in (meta or {}).get("packages", []):
        if pkg["name"] == want.name and _same_version(pkg["version"], want.version):
            src = os.path.join(os.path.dirname(pkg["manifest_path"]), want.subdir)
            if os.path.isfile(os.path.join(src, want.marker)):
                return os.path.normpath(src)
    return None


def _scratch_manifest(root: str, want: CrateSource) -> str:
    scratch = os.path.join(root, "target", "guests", f".locate-{want.name}")
    os.makedirs(os.path.join(scratch, "src"), exist_ok=True)
    feats = ", ".join(f'"{f}"' for f in want.features)
    dep = f'{want.name} = {{ version = "={want.version.split("+", 1)[0]}"'
    dep += f", features = [{feats}] }}" if want.features else " }"
    manifest = os.path.join(scratch, "Cargo.toml")
    with open(manifest, "w") as f:
        f.write(
            f'[package]\nname = "locate-{want.name}"\nversion = "0.0.0"\n'
            f'edition = "2021"\npublish = false\n\n[workspace]\n\n[dependencies]\n{dep}\n'
        )
    with open(os.path.join(scratch, "src", "lib.rs"), "w") as f:
        f.write("")
    return manifest


def locate(root: str, want: CrateSource, tag: str = "locate_crate") -> str | None:
    """Directory ``<crate>/<subdir>`` of ``want``, or None (reason on stderr)."""
    root = os.path.abspath(root)
    manifest = os.path.join(root, "Cargo.toml")
    if not os.path.exists(manifest):
        manifest = os.path.join(root, "tests", "Cargo.toml")
    src = find(cargo_metadata(manifest, tag, quiet=True), want)
    if src is None:
        src = find(cargo_metadata(_scratch_manifest(root, want), tag), want)
    if src is None:
        print(
            f"{tag}: crate {want.name} {want.version} (with {want.subdir}/{want.marker})"
            " not found via cargo metadata, neither in the workspace nor in a standalone"
            f' manifest depending on {want.name} = "={want.version}"',
            file=sys.stderr,
        )
    return src


def run(want: CrateSource, tag: str) -> int:
    """The command line of a wrapper script (``locate_<lib>.py [REPO_ROOT]``): prints ``want``'s directory; 1 when
    it is not found (the reason is on stderr)."""
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    src = locate(root, want, tag=tag)
    if src is None:
        return 1
    print(src)
    return 0


def main(argv: list[str]) -> int:
    import argparse

    ap = argparse.ArgumentParser(description="Print the bundled C source directory of a pinned crate.")
    ap.add_argument("crate")
    ap.add_argument("version")
    ap.add_argument("subdir")
    ap.add_argument("marker")
    ap.add_argument("root", nargs="?", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    ap.add_argument("--features", default="", help="comma-separated cargo features")
    a = ap.parse_args(argv)
    feats = tuple(f for f in a.features.split(",") if f)
    src = locate(a.root, CrateSource(a.crate, a.version, a.subdir, a.marker, feats))
    if src is None:
        return 1
    print(src)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
