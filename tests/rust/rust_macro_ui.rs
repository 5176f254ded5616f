//! Compile-time diagnostics of `wasm_bind!` (trybuild): each problem is ONE `compile_error!` at
//! the call site naming the header's file:line:col and the fix. Cases in `tests/ui/*.rs`, with
//! their headers in `tests/ui/headers/`; re-accept changed messages with `TRYBUILD=overwrite`.

#[test]
fn ui() {
    // trybuild compiles each case in a generated crate; relative header paths stay relative to
    // this crate (tests/), as they are for a real user of the macro. This is the only test of its
    // binary, so no other thread reads the environment while it is set.
    std::env::set_var("WASM_BIND_MANIFEST_DIR", env!("CARGO_MANIFEST_DIR"));
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/*.rs");
}
