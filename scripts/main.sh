#!/usr/bin/env bash
# Main job: set the machine up, build the guests, then (lead) generate the
# bindings and run the examples. Callable from any cwd.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/env.sh"
cd "$ROOT"

bash scripts/setup.sh

# MAIN-JOB STEPS (lead fills in)
#   e.g. cargo run -p gen -- --py ... target/guests/monocypher/monocypher.h
#        and run the examples.
