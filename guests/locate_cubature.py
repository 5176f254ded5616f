#!/usr/bin/env python3
"""Print the directory of Steven G. Johnson's cubature C library as bundled in the PyPI sdist
``cubature==0.18.8`` (``cubature/cpackage/``: cubature.h, hcubature.c, pcubature.c, ...),
downloading and unpacking that exact sdist into ``target/guests/.cubature-sdist/`` on first use
(sha256 checked; later runs reuse it).

Used by guests/build.sh to build the cubature libc guest (wasm-bind guest --wasi) and by the
native cross-checks (tests/python/test_cubature.py). cubature's sources are never copied into
this repository.

Usage: locate_cubature.py [REPO_ROOT]
"""

from __future__ import annotations

import hashlib
import os
import sys
import tarfile
import urllib.request

URL = (
    "https://files.pythonhosted.org/packages/63/01/"
    "71ea0a417323f82cf465e332c9e93d7c9648d489d0693192701306a3c325/cubature-0.18.8.tar.gz"
)
SHA256 = "ae27dd47a9384cfe7d9951aab7983594b95d338bf7007d362fa00becd3ff67db"
CPACKAGE = "cubature-0.18.8/cubature/cpackage"
WANTED = ("cubature.h", "hcubature.c", "pcubature.c", "converged.h", "vwrapper.h", "clencurt.h")


def locate(root: str) -> str:
    """The unpacked cpackage directory (downloading the sdist if needed); raises on failure."""
    base = os.path.join(root, "target", "guests", ".cubature-sdist")
    src = os.path.join(base, CPACKAGE)
    if all(os.path.isfile(os.path.join(src, f)) for f in WANTED):
        return src
    os.makedirs(base, exist_ok=True)
    tarball = os.path.join(base, "cubature-0.18.8.tar.gz")
    if not os.path.isfile(tarball) or _sha256(tarball) != SHA256:
        tmp = tarball + ".part"
        with urllib.request.urlopen(URL, timeout=60) as r, open(tmp, "wb") as out:
            out.write(r.read())
        got = _sha256(tmp)
        if got != SHA256:
            os.remove(tmp)
            raise RuntimeError(f"{URL}: sha256 {got}, expected {SHA256}")
        os.replace(tmp, tarball)
    with tarfile.open(tarball, "r:gz") as tf:
        members = [m for m in tf.getmembers() if m.isfile() and m.name.startswith(CPACKAGE + "/")]
        tf.extractall(base, members=members, filter="data")
    return src


def _sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def main() -> int:
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), ".."))
    try:
        print(locate(root))
    except Exception as e:  # noqa: BLE001 - reported, exit status 1
        print(f"locate_cubature: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
