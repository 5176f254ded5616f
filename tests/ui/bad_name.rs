bindgen_macro::wasm_bind!("ui/headers/ok.h", name = "not an ident");

fn main() {}
