bindgen_macro::wasm_bind!("ui/headers/ambiguous.h");

fn main() {}
