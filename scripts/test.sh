#!/usr/bin/env bash
# Full test run: setup (packages, Python deps, guests), Rust tests, Python
# tests. Any failure (including pytest collecting no tests) fails the run.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/env.sh"
cd "$ROOT"

bash scripts/setup.sh

echo "[test] cargo fmt --check (the whole workspace is rustfmt-formatted)"
cargo fmt --all --check

echo "[test] cargo test --workspace"
cargo test --workspace

echo "[test] pytest tests/python"
"$PYTHON" -m pytest tests/python -q

echo "[test] node --test tests/js (JavaScript bindings, wasm-bind --ts; needs Node >= 20)"
command -v node >/dev/null || { echo "error: node (>= 20) is not installed: the JavaScript suite tests/js needs it (apt-get install nodejs)" >&2; exit 1; }
node --test tests/js/

echo "[test] the Python runtime's fast path under other wasmtime-py releases (scripts/compat.sh)"
bash scripts/compat.sh

# EXTRA TEST STEPS

echo "[test] the Python suite again under python -O (nothing may rely on assert; the wheel/venv tests run their"
echo "       installed code in a child interpreter, so they are not repeated here)"
"$PYTHON" -O -m pytest tests/python -q -p no:cacheprovider -m "not packaging"

echo "[test] committed generated files are up to date (gen --py --check)"
cargo run -q -p gen -- --py target/guests/monocypher/monocypher.h \
    --config guests/monocypher/monocypher.toml -o examples/python/monocypher --check

echo "[test] Rust examples (wasm_bind! macro, build.rs, SQLite) run, and their generated code is clippy-clean"
cargo run -q -p rust-macro
cargo run -q -p rust-build
cargo run -q -p rust-sqlite
cargo clippy -q -p rust-macro -p rust-build -p rust-sqlite -- -D warnings
