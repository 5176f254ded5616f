//! Integration tests and benchmarks for wasm-bind (tests live in `tests/`, `benches/` and `python/`).
