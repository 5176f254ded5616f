//! The only module that touches libclang (through clang-sys): loading it and walking cursors.
//! Owned by the parse stage; everything outside sees plain Rust types from `ir`.
