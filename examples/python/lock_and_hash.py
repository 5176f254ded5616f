"""Lock and unlock a message, then hash a file with BLAKE2b, through the generated Monocypher bindings.

The bindings live in examples/python/monocypher/ (monocypher.py, its typed stub monocypher.pyi and a
copy of monocypher.wasm). Regenerate them with:

    bash guests/build.sh
    cargo run -p gen -- --py target/guests/monocypher/monocypher.h \
        --config guests/monocypher/monocypher.toml \
        --wasm target/guests/monocypher/monocypher.wasm -o examples/python/monocypher

Run:        python3 examples/python/lock_and_hash.py [FILE]      (FILE defaults to this script)
Type-check: MYPYPATH=examples/python/monocypher mypy --strict examples/python/lock_and_hash.py
"""

import hashlib
import os
import secrets
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "monocypher"))

from monocypher import Monocypher, StatusError  # noqa: E402  (the generated module, not pymonocypher)


def lock_and_unlock(mono: Monocypher, message: bytes) -> None:
    """Encrypts `message` with a random key and nonce, decrypts it, and shows a forgery being refused."""
    key = secrets.token_bytes(32)
    nonce = secrets.token_bytes(24)  # XChaCha20: random nonces are safe
    ad = b"example header"  # authenticated, not encrypted
    cipher_text, mac = mono.crypto_aead_lock(key, nonce, ad, message)
    print(f"locked {len(message)} bytes -> {cipher_text.hex()[:32]}... mac {mac.hex()}")

    plain_text = mono.crypto_aead_unlock(mac, key, nonce, ad, cipher_text)
    assert plain_text == message
    print(f"unlocked: {plain_text.decode()!r}")

    forged = bytes([cipher_text[0] ^ 1]) + cipher_text[1:]
    try:
        mono.crypto_aead_unlock(mac, key, nonce, ad, forged)
    except StatusError as e:
        print(f"forged box refused: {e}")
    else:
        raise SystemExit("a forged box was accepted")


def hash_file(mono: Monocypher, path: str) -> str:
    """The 64-byte BLAKE2b digest of a file, in hex (the whole file is read: the streaming
    crypto_blake2b_init/update/final API takes a context handle, not bound in Python yet)."""
    with open(path, "rb") as f:
        data = f.read()
    digest: bytes = mono.crypto_blake2b(64, data)
    assert digest == hashlib.blake2b(data).digest()
    return digest.hex()


def main(argv: list[str]) -> int:
    mono = Monocypher()  # loads monocypher.wasm from beside the generated module
    lock_and_unlock(mono, b"Attack at dawn")
    path = argv[1] if len(argv) > 1 else __file__
    print(f"blake2b-512 {path}: {hash_file(mono, path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
