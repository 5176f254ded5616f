bindgen_macro::wasm_bind!("ui/headers/does_not_exist.h");

fn main() {}
