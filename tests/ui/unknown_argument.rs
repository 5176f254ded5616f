bindgen_macro::wasm_bind!("ui/headers/ok.h", confg = "ok.toml");

fn main() {}
