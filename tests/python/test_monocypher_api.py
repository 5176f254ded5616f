"""The generated Monocypher class as a user sees it: cross-checks against pymonocypher, hashlib
and an independent pure-Python XChaCha20-Poly1305 (libsodium's construction), round trips,
argument errors, failed statuses, and the shape of the API (names, order, returns).
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import random
import struct
from typing import Any, List

import pytest

# pymonocypher (PyPI) ships no type stubs: import dynamically.
pymono: Any = importlib.import_module("monocypher")

# --- an independent XChaCha20-Poly1305 (RFC 8439 + draft-irtf-cfrg-xchacha), pure Python -------


def _rotl(v: int, n: int) -> int:
    return ((v << n) & 0xFFFFFFFF) | (v >> (32 - n))


def _quarter(s: List[int], a: int, b: int, c: int, d: int) -> None:
    s[a] = (s[a] + s[b]) & 0xFFFFFFFF
    s[d] = _rotl(s[d] ^ s[a], 16)
    s[c] = (s[c] + s[d]) & 0xFFFFFFFF
    s[b] = _rotl(s[b] ^ s[c], 12)
    s[a] = (s[a] + s[b]) & 0xFFFFFFFF
    s[d] = _rotl(s[d] ^ s[a], 8)
    s[c] = (s[c] + s[d]) & 0xFFFFFFFF
    s[b] = _rotl(s[b] ^ s[c], 7)


def _rounds(state: List[int]) -> List[int]:
    s = list(state)
    for _ in range(10):
        _quarter(s, 0, 4, 8, 12)
        _quarter(s, 1, 5, 9, 13)
        _quarter(s, 2, 6, 10, 14)
        _quarter(s, 3, 7, 11, 15)
        _quarter(s, 0, 5, 10, 15)
        _quarter(s, 1, 6, 11, 12)
        _quarter(s, 2, 7, 8, 13)
        _quarter(s, 3, 4, 9, 14)
    return s


_SIGMA = list(struct.unpack("<4I", b"expand 32-byte k"))


def ref_hchacha20(key: bytes, nonce16: bytes) -> bytes:
    s = _rounds(_SIGMA + list(struct.unpack("<8I", key)) + list(struct.unpack("<4I", nonce16)))
    return struct.pack("<8I", *(s[0:4] + s[12:16]))


def ref_chacha20_ietf(key: bytes, nonce12: bytes, counter: int, data: bytes) -> bytes:
    out = bytearray()
    k, n = list(struct.unpack("<8I", key)), list(struct.unpack("<3I", nonce12))
    for block in range(0, len(data), 64):
        state = _SIGMA + k + [(counter + block // 64) & 0xFFFFFFFF] + n
        mixed = _rounds(state)
        stream = struct.pack("<16I", *((x + y) & 0xFFFFFFFF for x, y in zip(mixed, state)))
        out += bytes(a ^ b for a, b in zip(data[block:block + 64], stream))
    return bytes(out)


def ref_poly1305(key: bytes, msg: bytes) -> bytes:
    r = int.from_bytes(key[:16], "little") & 0x0FFFFFFC0FFFFFFC0FFFFFFC0FFFFFFF
    s = int.from_bytes(key[16:], "little")
    acc, p = 0, (1 << 130) - 5
    for i in range(0, len(msg), 16):
        chunk = msg[i:i + 16]
        acc = (acc + int.from_bytes(chunk + b"\x01", "little")) * r % p
    return ((acc + s) & ((1 << 128) - 1)).to_bytes(16, "little")


def ref_xchacha20poly1305(key: bytes, nonce: bytes, ad: bytes, plain: bytes) -> tuple[bytes, bytes]:
    """(cipher_text, mac) of libsodium's crypto_aead_xchacha20poly1305_ietf_encrypt_detached."""
    subkey = ref_hchacha20(key, nonce[:16])
    nonce12 = bytes(4) + nonce[16:]
    otk = ref_chacha20_ietf(subkey, nonce12, 0, bytes(64))[:32]
    cipher = ref_chacha20_ietf(subkey, nonce12, 1, plain)

    def pad16(b: bytes) -> bytes:
        return bytes(-len(b) % 16)

    mac_data = ad + pad16(ad) + cipher + pad16(cipher) + struct.pack("<QQ", len(ad), len(cipher))
    return cipher, ref_poly1305(otk, mac_data)


# draft-irtf-cfrg-xchacha-03, appendix A.3.1 (AEAD_XChaCha20_Poly1305 test vector).
KAT_PLAIN = (b"Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, "
             b"sunscreen would be it.")
KAT_AD = bytes.fromhex("50515253c0c1c2c3c4c5c6c7")
KAT_KEY = bytes.fromhex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f")
KAT_NONCE = bytes.fromhex("404142434445464748494a4b4c4d4e4f5051525354555657")
KAT_CIPHER = bytes.fromhex(
    "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b4522f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff921f9664c97637da9768812f615c68b13b52e"
)
KAT_MAC = bytes.fromhex("c0875924c1c7987947deafd8780acf49")


def test_reference_matches_the_published_vector() -> None:
    assert ref_xchacha20poly1305(KAT_KEY, KAT_NONCE, KAT_AD, KAT_PLAIN) == (KAT_CIPHER, KAT_MAC)


def test_aead_lock_is_xchacha20_poly1305(mono: Any) -> None:
    assert mono.crypto_aead_lock(KAT_KEY, KAT_NONCE, KAT_AD, KAT_PLAIN) == (KAT_CIPHER, KAT_MAC)
    rng = random.Random(8439)
    for size in (0, 1, 15, 16, 17, 63, 64, 65, 300):
        key, nonce = rng.randbytes(32), rng.randbytes(24)
        ad, plain = rng.randbytes(rng.randrange(40)), rng.randbytes(size)
        assert mono.crypto_aead_lock(key, nonce, ad, plain) == ref_xchacha20poly1305(key, nonce, ad, plain)


def test_aead_lock_matches_pymonocypher_and_unlocks(mono: Any) -> None:
    rng = random.Random(1)
    for size in (0, 1, 64, 1000, 70_000):
        key, nonce, ad, plain = rng.randbytes(32), rng.randbytes(24), rng.randbytes(size % 37), rng.randbytes(size)
        cipher, mac = mono.crypto_aead_lock(key, nonce, ad, plain)
        mac2, cipher2 = pymono.lock(key, nonce, plain, associated_data=ad)
        assert (cipher, mac) == (cipher2, mac2)
        assert mono.crypto_aead_unlock(mac, key, nonce, ad, cipher) == plain


def test_forged_box_raises_status_error_and_object_stays_usable(mono: Any, mono_mod: Any) -> None:
    key, nonce = bytes(range(32)), bytes(range(24))
    cipher, mac = mono.crypto_aead_lock(key, nonce, b"ad", b"attack at dawn")
    flipped_mac = bytes([mac[0] ^ 1]) + mac[1:]
    flipped_cipher = bytes([cipher[0] ^ 0x80]) + cipher[1:]
    for forged_mac, forged_cipher in ((flipped_mac, cipher), (mac, flipped_cipher)):
        with pytest.raises(mono_mod.StatusError) as info:
            mono.crypto_aead_unlock(forged_mac, key, nonce, b"ad", forged_cipher)
        assert info.value.function == "crypto_aead_unlock"
        assert info.value.status == -1
        assert isinstance(info.value, mono_mod.Error)
    with pytest.raises(mono_mod.StatusError):
        mono.crypto_aead_unlock(mac, key, nonce, b"other ad", cipher)
    # The same object keeps working after failures.
    assert mono.crypto_aead_unlock(mac, key, nonce, b"ad", cipher) == b"attack at dawn"


def test_blake2b_matches_hashlib(mono: Any) -> None:
    rng = random.Random(2)
    for size in (0, 1, 127, 128, 129, 10_000):
        msg = rng.randbytes(size)
        for hash_size in (1, 32, 64):
            assert mono.crypto_blake2b(hash_size, msg) == hashlib.blake2b(msg, digest_size=hash_size).digest()
        key = rng.randbytes(32)
        assert mono.crypto_blake2b_keyed(64, key, msg) == hashlib.blake2b(msg, key=key).digest()


def test_sha512_matches_hashlib(mono: Any) -> None:
    for msg in (b"", b"abc", bytes(1000)):
        assert mono.crypto_sha512(msg) == hashlib.sha512(msg).digest()


def test_eddsa_sign_check_round_trip(mono: Any, mono_mod: Any) -> None:
    rng = random.Random(3)
    for size in (0, 1, 100, 5000):
        seed = rng.randbytes(32)
        secret_key, public_key, wiped = mono.crypto_eddsa_key_pair(seed)
        assert wiped == bytes(32)
        assert secret_key[32:] == public_key
        msg = rng.randbytes(size)
        sig = mono.crypto_eddsa_sign(secret_key, msg)
        assert mono.crypto_eddsa_check(sig, public_key, msg) is None
        with pytest.raises(mono_mod.StatusError):
            mono.crypto_eddsa_check(sig, public_key, msg + b"!")
        # pymonocypher implements the same EdDSA (BLAKE2b): same signature.
        assert pymono.signature_sign(secret_key, msg) == sig


def test_ed25519_round_trip_and_x25519_agreement(mono: Any, mono_mod: Any) -> None:
    secret_key, public_key, _ = mono.crypto_ed25519_key_pair(bytes(range(32)))
    sig = mono.crypto_ed25519_sign(secret_key, b"message")
    mono.crypto_ed25519_check(sig, public_key, b"message")
    with pytest.raises(mono_mod.StatusError):
        mono.crypto_ed25519_check(sig, public_key, b"messagf")
    a, b = bytes([1] * 32), bytes([2] * 32)
    shared_ab = mono.crypto_x25519(a, mono.crypto_x25519_public_key(b))
    shared_ba = mono.crypto_x25519(b, mono.crypto_x25519_public_key(a))
    assert shared_ab == shared_ba == pymono.x25519(a, pymono.x25519_public_key(b))


def test_chacha20_ietf_and_x_counters(mono: Any) -> None:
    key = bytes(range(32))
    cipher, ctr = mono.crypto_chacha20_ietf(bytes(130), key, bytes(12), 0xFFFFFFFF)
    assert ctr == 2  # uint32_t return wraps: 0xffffffff + 3 blocks, read as unsigned
    cipher, ctr = mono.crypto_chacha20_x(bytes(64), key, bytes(24), 2**64 - 1)
    assert ctr == 0  # uint64_t return wraps
    assert len(cipher) == 64
    nonce12 = bytes(range(12))
    assert mono.crypto_chacha20_ietf(b"x" * 100, key, nonce12, 5)[0] == ref_chacha20_ietf(key, nonce12, 5, b"x" * 100)


def test_hchacha20_and_poly1305_against_reference(mono: Any) -> None:
    rng = random.Random(4)
    for _ in range(10):
        key, inp = rng.randbytes(32), rng.randbytes(16)
        assert mono.crypto_chacha20_h(key, inp) == ref_hchacha20(key, inp)
        msg = rng.randbytes(rng.randrange(100))
        assert mono.crypto_poly1305(msg, key) == ref_poly1305(key, msg)


def test_verify_and_wipe(mono: Any, mono_mod: Any) -> None:
    mono.crypto_verify16(bytes(16), bytes(16))
    with pytest.raises(mono_mod.StatusError) as info:
        mono.crypto_verify32(bytes(32), bytes(31) + b"\x01")
    assert info.value.status == -1
    assert mono.crypto_wipe(b"secret") == bytes(6)


def test_inout_buffers_change_writable_arguments_as_c_does(mono: Any) -> None:
    """crypto_wipe wipes the caller's bytearray / writable memoryview (bytes, a value, cannot change: only the
    returned value is zero; another read-only buffer is refused); a key pair's seed is wiped in the caller's buffer as Monocypher does it."""
    secret = bytearray(b"secret key bytes")
    assert mono.crypto_wipe(secret) == bytes(16) and secret == bytes(16)
    backing = bytearray(b"0123456789")
    assert mono.crypto_wipe(memoryview(backing)[2:8]) == bytes(6) and backing == b"01\0\0\0\0\0\089"
    frozen = b"secret"
    assert mono.crypto_wipe(frozen) == bytes(6) and frozen == b"secret"
    readonly = memoryview(bytearray(b"abc")).toreadonly()
    # A read-only buffer other than bytes cannot receive the output: refused before the call, naming it.
    with pytest.raises(TypeError, match=r"^secret: this in/out parameter's output is written back .* memoryview is read-only"):
        mono.crypto_wipe(readonly)
    assert readonly.tobytes() == b"abc"
    seed = bytearray(random.Random(5).randbytes(32))
    copy = bytes(seed)
    secret_key, public_key, wiped = mono.crypto_eddsa_key_pair(seed)
    assert seed == bytes(32) and wiped == bytes(32)
    assert mono.crypto_eddsa_key_pair(copy)[:2] == (secret_key, public_key)


def test_inputs_accept_bytes_bytearray_memoryview(mono: Any) -> None:
    msg = bytes(range(200))
    want = hashlib.blake2b(msg).digest()
    assert mono.crypto_blake2b(64, bytearray(msg)) == want
    assert mono.crypto_blake2b(64, memoryview(msg)) == want
    assert mono.crypto_blake2b(64, memoryview(b"xx" + msg)[2:]) == want
    import array

    as_u32 = memoryview(array.array("I", msg[:200]))  # a non-byte view is read as its bytes
    assert mono.crypto_blake2b(64, as_u32) == hashlib.blake2b(bytes(as_u32)).digest()


def test_argument_errors_name_the_parameter(mono: Any) -> None:
    key, nonce = bytes(32), bytes(24)
    with pytest.raises(TypeError, match="plain_text"):
        mono.crypto_aead_lock(key, nonce, b"", "text")
    with pytest.raises(TypeError, match="key"):
        mono.crypto_aead_lock(list(key), nonce, b"", b"")
    with pytest.raises(ValueError, match="nonce"):
        mono.crypto_aead_lock(key, bytes(23), b"", b"")
    with pytest.raises(ValueError, match="mac"):
        mono.crypto_aead_unlock(bytes(15), key, nonce, b"", b"")
    with pytest.raises(OverflowError, match="hash_size"):
        mono.crypto_blake2b(2**32, b"")
    with pytest.raises(OverflowError, match="hash_size"):
        mono.crypto_blake2b(-1, b"")
    with pytest.raises(TypeError, match="hash_size"):
        mono.crypto_blake2b(64.0, b"")
    with pytest.raises(TypeError, match="hash_size"):
        mono.crypto_blake2b(True, b"")
    with pytest.raises(OverflowError, match="tweak"):
        mono.crypto_elligator_rev(bytes(32), 256)
    with pytest.raises(OverflowError, match="ctr"):
        mono.crypto_chacha20_ietf(b"", key, bytes(12), 2**32)
    with pytest.raises(TypeError):
        mono.crypto_aead_lock(key, nonce, b"")  # missing argument: a plain Python TypeError
    # Still usable.
    assert mono.crypto_blake2b(32, b"abc") == hashlib.blake2b(b"abc", digest_size=32).digest()


def test_signatures_follow_the_c_prototypes(mono_mod: Any) -> None:
    cls = mono_mod.Monocypher

    def params(name: str) -> list[str]:
        return list(inspect.signature(getattr(cls, name)).parameters)[1:]

    assert params("crypto_aead_lock") == ["key", "nonce", "ad", "plain_text"]
    assert params("crypto_aead_unlock") == ["mac", "key", "nonce", "ad", "cipher_text"]
    assert params("crypto_blake2b") == ["hash_size", "message"]
    assert params("crypto_blake2b_keyed") == ["hash_size", "key", "message"]
    assert params("crypto_eddsa_key_pair") == ["seed"]
    assert params("crypto_chacha20_djb") == ["plain_text", "key", "nonce", "ctr"]
    assert params("crypto_eddsa_trim_scalar") == ["in_"]  # `in` is a Python keyword


def test_constants_and_docstrings(mono_mod: Any) -> None:
    assert (mono_mod.CRYPTO_ARGON2_D, mono_mod.CRYPTO_ARGON2_I, mono_mod.CRYPTO_ARGON2_ID) == (0, 1, 2)
    assert "generated by wasm-bind" in mono_mod.__doc__
    doc = mono_mod.Monocypher.crypto_verify16.__doc__
    assert "Return 0 if a and b are equal" in doc and "StatusError" in doc
    for name in ("Error", "StatusError", "TrapError", "GuestError", "LoadError", "Monocypher"):
        assert name in mono_mod.__all__


def test_every_function_of_the_headers_is_bound(mono_mod: Any, generated: Any) -> None:
    import re

    header_dir = generated["monocypher"].guest.header.parent
    declared = set()
    for header in ("monocypher.h", "monocypher-ed25519.h"):
        text = re.sub(r"/\*.*?\*/|//[^\n]*", "", (header_dir / header).read_text(), flags=re.DOTALL)
        declared |= set(re.findall(r"\b(crypto_\w+)\s*\(", text))
    assert len(declared) > 50
    missing = sorted(name for name in declared if not hasattr(mono_mod.Monocypher, name))
    assert missing == [], f"not bound: {missing}"
    assert "Not bound" not in mono_mod.__doc__


def test_wasm_argument_bytes_path_and_load_errors(generated: Any, mono_mod: Any) -> None:
    g = generated["monocypher"]
    from_bytes = mono_mod.Monocypher(wasm=g.wasm.read_bytes())
    from_path = mono_mod.Monocypher(wasm=str(g.wasm))
    assert from_bytes.crypto_blake2b(16, b"x") == from_path.crypto_blake2b(16, b"x")
    with pytest.raises(mono_mod.LoadError):
        mono_mod.Monocypher(wasm=generated["twosum"].wasm)  # lacks every crypto_* export
    with pytest.raises(mono_mod.LoadError):
        mono_mod.Monocypher(wasm=b"not wasm")
    with pytest.raises(mono_mod.LoadError):
        mono_mod.Monocypher(wasm=str(g.wasm) + ".missing")


def test_one_instance_shared_by_threads(mono: Any) -> None:
    import threading

    errors: list[str] = []

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        for _ in range(200):
            msg = rng.randbytes(rng.randrange(300))
            if mono.crypto_blake2b(64, msg) != hashlib.blake2b(msg).digest():
                errors.append(f"thread {seed}: wrong digest")
                return

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_constructor_limits_reach_the_runtime(mono_mod: Any) -> None:
    unlimited = mono_mod.Monocypher(timeout=None)
    assert unlimited.crypto_blake2b(16, b"x") == hashlib.blake2b(b"x", digest_size=16).digest()
    assert unlimited._wb_rt.timeout is None
    capped = mono_mod.Monocypher(max_memory=64 * 1024 * 1024, timeout=5.0)
    assert (capped._wb_rt.max_memory, capped._wb_rt.timeout) == (64 * 1024 * 1024, 5.0)
    with pytest.raises(ValueError, match="max_memory"):
        mono_mod.Monocypher(max_memory=1)
    with pytest.raises(TypeError):
        mono_mod.Monocypher(None, 1)  # the limits are keyword-only
    assert issubclass(mono_mod.TimeoutError, mono_mod.TrapError)
