# shellcheck shell=bash
# Common environment for scripts/*.sh (sourced, not executed).
# Puts the repo root in $ROOT, makes rustup's cargo visible and picks
# tool defaults that work on a plain Debian 12 machine.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT
if ! command -v cargo >/dev/null 2>&1 && [ -x "$HOME/.cargo/bin/cargo" ]; then
    export PATH="$HOME/.cargo/bin:$PATH"
fi
# libclang for clang-sys/bindgen (Debian's libclang-19-dev location).
if [ -z "${LIBCLANG_PATH:-}" ] && [ -d /usr/lib/llvm-19/lib ]; then
    export LIBCLANG_PATH=/usr/lib/llvm-19/lib
fi
PYTHON="${PYTHON:-python3}"
export PYTHON
