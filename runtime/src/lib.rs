//! The runtime generated Rust bindings use: shared Engine/Module cache, guest memory access, errors.
