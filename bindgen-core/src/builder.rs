//! The build.rs entry point: a builder in the spirit of rust-bindgen's, a thin shell over `load`
//! and `emit::rust`.
