#!/usr/bin/env bash
# The Python runtime's fast path under other wasmtime-py releases (issue 16): for each version in
# tests/python/compat/wasmtime-versions.txt, a venv target/compat/wasmtime-<v> (created once, reused
# while its wasmtime matches) runs the runtime, secrets and test-vector suites, and checks that the
# fast path, not the public fallback, was used. Needs the guests (scripts/setup.sh builds them).
#
#   bash scripts/compat.sh            # idempotent; called by scripts/test.sh
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/env.sh"
cd "$ROOT"

pin() { grep -E "^$1==" requirements.txt | head -1; }
while read -r version; do
    case "$version" in ''|'#'*) continue ;; esac
    venv="$ROOT/target/compat/wasmtime-$version"
    have="$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("wasmtime"))' 2>/dev/null || true)"
    if [ "$have" != "$version" ]; then
        echo "[compat] creating $venv (wasmtime==$version)"
        rm -rf "$venv"
        "$PYTHON" -m venv "$venv"
        "$venv/bin/python" -m pip -q install "wasmtime==$version" "$(pin pytest)" "$(pin pymonocypher)"
    fi
    echo "[compat] wasmtime-py $version: runtime, secrets and vector suites on the fast path"
    "$venv/bin/python" -c "
import sys; sys.path.insert(0, 'python')
import warnings; warnings.simplefilter('error')
from wasm_bind_runtime import _runtime as rt
assert rt._wb_fast_api() is not None, rt._wb_capi_reason
print('[compat] fast path available under wasmtime-py', rt._wb_wasmtime_version())"
    "$venv/bin/python" -m pytest -q -p no:cacheprovider tests/python/test_runtime.py \
        tests/python/test_secrets.py tests/python/test_monocypher_vectors.py
done < tests/python/compat/wasmtime-versions.txt
