#!/usr/bin/env bash
# Main job: set the machine up, build the guests, generate the Python bindings for
# the bundled Monocypher guest and run the examples. Callable from any cwd.
# Usage: bash scripts/main.sh [FILE-TO-HASH]   (default: the example's own source)
set -euo pipefail
# The file to hash is resolved against the caller's directory, before the cd below.
HASH_ARGS=()
if [ $# -gt 0 ]; then HASH_ARGS=("$(realpath "$1")"); fi
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/env.sh"
cd "$ROOT"

bash scripts/setup.sh

echo "[main] generate Python bindings for the bundled Monocypher guest"
cargo run -q -p gen -- --py target/guests/monocypher/monocypher.h \
    --config guests/monocypher/monocypher.toml \
    --wasm target/guests/monocypher/monocypher.wasm \
    -o examples/python/monocypher

echo "[main] run the Python example (lock, unlock, hash a file)"
"$PYTHON" examples/python/lock_and_hash.py "${HASH_ARGS[@]}"

echo "[main] run the Rust examples (wasm_bind! macro, build.rs)"
cargo run -q -p rust-macro
cargo run -q -p rust-build
