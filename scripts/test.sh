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
