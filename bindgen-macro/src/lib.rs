//! `wasm_bind!`: the proc-macro shell over bindgen-core (parse input -> load -> emit::rust).
