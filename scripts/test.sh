#!/usr/bin/env bash
# Full test run: setup (packages, Python deps, guests), Rust tests, Python
# tests. Any failure (including pytest collecting no tests) fails the run.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/env.sh"
cd "$ROOT"

bash scripts/setup.sh

echo "[test] cargo test --workspace"
cargo test --workspace

echo "[test] pytest tests/python"
"$PYTHON" -m pytest tests/python -q

# EXTRA TEST STEPS

echo "[test] pytest under python -O (runtime + generated code must not rely on assert)"
"$PYTHON" -O -m pytest -q -p no:cacheprovider tests/python/test_runtime.py tests/python/test_hostile_guests.py \
    tests/python/test_bad_input.py tests/python/test_secrets.py tests/python/test_monocypher_api.py \
    tests/python/test_generated_edge.py
