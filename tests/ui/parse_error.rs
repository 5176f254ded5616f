bindgen_macro::wasm_bind!("ui/headers/parse_error.h");

fn main() {}
