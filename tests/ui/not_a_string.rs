bindgen_macro::wasm_bind!(ui::headers::ok);

fn main() {}
