bindgen_macro::wasm_bind!("ui/headers/two_problems.h");

fn main() {}
