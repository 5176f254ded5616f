//! Generates `$OUT_DIR/monocypher.rs` from the guest's header with wasm-bind's Builder (prints
//! `cargo:rerun-if-changed` for the header, every file it includes, the config and the wasm).

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out_dir = PathBuf::from(std::env::var("OUT_DIR")?);
    let bindings = bindgen_core::builder::Builder::new()
        .header("../../target/guests/monocypher/monocypher.h")
        .config("../../guests/monocypher/monocypher.toml")
        .wasm("../../target/guests/monocypher/monocypher.wasm")
        .generate()
        .map_err(|diags| {
            format!(
                "\n{}(build the guests first: bash guests/build.sh)",
                diags.render()
            )
        })?;
    bindings.write_to_file(out_dir.join("monocypher.rs"))?;
    Ok(())
}
