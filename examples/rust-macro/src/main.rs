//! Example: typed Monocypher bindings generated at compile time by `wasm_bind!`.
//!
//! Run `bash guests/build.sh` once, then `cargo run -p rust-macro`.

use bindgen_macro::wasm_bind;

// Paths are relative to this crate's Cargo.toml; the wasm is embedded (`Monocypher::new`).
wasm_bind!(
    "../../target/guests/monocypher/monocypher.h",
    config = "../../guests/monocypher/monocypher.toml",
    wasm = "../../target/guests/monocypher/monocypher.wasm"
);

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn main() -> Result<(), wasm_bind_rt::Error> {
    let mut mono = Monocypher::new()?;

    let hash = mono.crypto_blake2b(64, b"abc")?;
    println!("blake2b-512(\"abc\") = {}", hex(&hash));

    let key = [0x42u8; 32];
    let nonce = [0x24u8; 24];
    let (cipher_text, mac) = mono.crypto_aead_lock(&key, &nonce, b"header", b"attack at dawn")?;
    println!("locked:   {} mac {}", hex(&cipher_text), hex(&mac));

    let plain_text = mono.crypto_aead_unlock(&mac, &key, &nonce, b"header", &cipher_text)?;
    println!("unlocked: {:?}", String::from_utf8_lossy(&plain_text));

    let mut forged = mac;
    forged[0] ^= 1;
    match mono.crypto_aead_unlock(&forged, &key, &nonce, b"header", &cipher_text) {
        Err(wasm_bind_rt::Error::Status {
            function, status, ..
        }) => {
            println!("forged mac rejected: {function} returned {status}")
        }
        other => panic!("a forged mac must be rejected, got {other:?}"),
    }
    Ok(())
}
