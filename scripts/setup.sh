#!/usr/bin/env bash
# Idempotent machine setup for wasm-bind, then builds the wasm guests.
#   1. Debian packages clang-19 lld-19 libclang-19-dev, wasi-libc and
#      libclang-rt-19-dev-wasm32 (libc guests: `wasm-bind guest --wasi`) (+ a C toolchain for
#      cargo if `cc` is missing); `apt-get update` runs only if something
#      is missing; chromium, for the headless browser test tests/js/browser.test.mjs (about
#      25 s to install on Debian 12 when the apt lists are fresh).
#   2. Python packages pinned in requirements.txt (pip runs only if an
#      installed version differs from its pin), and the wasm-bind runtime
#      package python/ (pip install -e, only if another copy or none is found).
#   3. bash guests/build.sh  -> target/guests/<guest>/
#   4. Dev dependencies of tests/js (TypeScript, @noble/ciphers, @noble/hashes, playwright-core; pinned in
#      tests/js/package.json + package-lock.json): npm ci, only when npm exists and an
#      installed version differs from its pin.
# Callable from any cwd.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/env.sh"
cd "$ROOT"

log() { printf '[setup] %s\n' "$*"; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else echo "[setup] need root to run: $*" >&2; exit 1
    fi
}

# --- 1. Debian packages ----------------------------------------------------
pkg_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}
want=(clang-19 lld-19 libclang-19-dev wasi-libc libclang-rt-19-dev-wasm32 chromium)
command -v cc >/dev/null 2>&1 || want+=(gcc libc6-dev)
command -v "$PYTHON" >/dev/null 2>&1 || want+=(python3)
"$PYTHON" -m pip --version >/dev/null 2>&1 || want+=(python3-pip)
missing=()
for p in "${want[@]}"; do
    pkg_installed "$p" || missing+=("$p")
done
if ((${#missing[@]})); then
    command -v apt-get >/dev/null 2>&1 || {
        echo "[setup] missing packages ${missing[*]} and no apt-get (Debian 12 expected)" >&2
        exit 1
    }
    log "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -q
    as_root apt-get install -y -q --no-install-recommends "${missing[@]}"
else
    log "Debian packages present: ${want[*]}"
fi

command -v cargo >/dev/null 2>&1 || {
    echo "[setup] cargo not found: install Rust (rustup, toolchain per Cargo.toml rust-version)" >&2
    exit 1
}

# --- 2. Python packages ----------------------------------------------------
if "$PYTHON" - "$ROOT/requirements.txt" <<'PY'
import sys
from importlib import metadata

bad = []
for line in open(sys.argv[1]):
    line = line.split("#", 1)[0].strip()
    if not line:
        continue
    name, _, ver = line.partition("==")
    try:
        have = metadata.version(name.strip())
    except metadata.PackageNotFoundError:
        have = None
    if have != ver.strip():
        bad.append(f"{name.strip()} (have {have}, want {ver.strip()})")
if bad:
    print("[setup] python packages to install: " + ", ".join(bad))
    sys.exit(1)
PY
then
    log "Python packages satisfy requirements.txt"
else
    pip_args=(-q install -r "$ROOT/requirements.txt")
    # Debian's system Python is "externally managed" (PEP 668).
    if "$PYTHON" -c 'import os, sys, sysconfig; sys.exit(not os.path.exists(os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")))' \
        && [ -z "${VIRTUAL_ENV:-}" ]; then
        pip_args+=(--break-system-packages)
    fi
    log "pip ${pip_args[*]}"
    "$PYTHON" -m pip "${pip_args[@]}"
fi

# --- 2b. The wasm-bind Python runtime --------------------------------------
# Generated modules import the shared runtime package wasm_bind_runtime (python/ in this checkout).
# Installed editable, so the checkout stays its source: reinstalled only when the importable copy is
# missing or is not this checkout's.
if "$PYTHON" -c 'import os, sys, wasm_bind_runtime as r; sys.exit(os.path.realpath(os.path.dirname(r.__file__)) != os.path.realpath(sys.argv[1]))' \
    "$ROOT/python/wasm_bind_runtime" 2>/dev/null; then
    log "wasm_bind_runtime is this checkout's (python/)"
else
    pip_args=(-q install -e "$ROOT/python")
    if "$PYTHON" -c 'import os, sys, sysconfig; sys.exit(not os.path.exists(os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")))' \
        && [ -z "${VIRTUAL_ENV:-}" ]; then
        pip_args+=(--break-system-packages)
    fi
    log "pip ${pip_args[*]}"
    "$PYTHON" -m pip "${pip_args[@]}"
fi

# --- 3. Guests -------------------------------------------------------------
log "building guests"
bash "$ROOT/guests/build.sh"

# --- 4. tests/js dev dependencies (tsc --strict, @noble cross-checks) ----------
if command -v npm >/dev/null 2>&1; then
    # Installed when any devDependency's version differs from its pin in tests/js/package.json.
    if ! node -e 'const d = process.argv[1], pins = require(d + "/package.json").devDependencies;
        for (const [n, v] of Object.entries(pins)) if (require(d + "/node_modules/" + n + "/package.json").version !== v) process.exit(1);' \
        "$ROOT/tests/js" 2>/dev/null; then
        log "installing tests/js dev dependencies (npm ci)"
        npm ci --prefix "$ROOT/tests/js" --no-audit --no-fund \
            || log "npm ci failed (offline?): tests/js reports its tsc and @noble checks as skipped"
    else
        log "tests/js dev dependencies present"
    fi
else
    log "npm not found: tests/js skips its tsc and @noble checks"
fi
