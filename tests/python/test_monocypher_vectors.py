"""Monocypher's own test vectors (Monocypher/tests/gen/vectors in the monocypher-sys crate), run
through the generated `Monocypher` class the way Monocypher/tests/test.c consumes each file.

A vector file is a sequence of hex tokens, each ending with ':' (comment lines start with '#');
each consumer takes a fixed number of tokens per case: inputs first, then the expected output.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any, Callable, Iterator, List

import pytest

ROOT = Path(__file__).resolve().parents[2]


def vectors_dir() -> Path:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "guests" / "locate_monocypher.py"), str(ROOT)],
        capture_output=True, text=True, check=True,
    )
    return Path(proc.stdout.strip()) / "tests" / "gen" / "vectors"


VECTORS = vectors_dir()


def tokens(name: str) -> List[bytes]:
    """All tokens of vector file `name`, decoded from hex."""
    text = "\n".join(line for line in (VECTORS / name).read_text().splitlines() if not line.lstrip().startswith("#"))
    parts = text.split(":")
    assert parts[-1].strip() == "", f"{name}: trailing data after the last ':'"
    return [bytes.fromhex("".join(p.split())) for p in parts[:-1]]


def cases(name: str, per_case: int) -> Iterator[List[bytes]]:
    toks = tokens(name)
    assert toks and len(toks) % per_case == 0, f"{name}: {len(toks)} tokens is not a multiple of {per_case}"
    for i in range(0, len(toks), per_case):
        yield toks[i:i + per_case]


def count(name: str, per_case: int) -> int:
    return sum(1 for _ in cases(name, per_case))


def test_vector_files_are_present() -> None:
    for name in ("blake2b", "chacha20", "poly1305", "x25519", "sha512_hmac", "ed_25519_check",
                 "ed_25519ph", "elligator_dir", "elligator_inv", "argon2"):
        assert (VECTORS / name).is_file(), name


def test_blake2b(mono: Any) -> None:
    n = 0
    for msg, key, out in cases("blake2b", 3):
        assert mono.crypto_blake2b_keyed(len(out), key, msg) == out
        if not key:
            assert mono.crypto_blake2b(len(out), msg) == out
        n += 1
    assert n == count("blake2b", 3) > 200


def test_chacha20(mono: Any) -> None:
    for key, nonce, plain, ctr_bytes, out in cases("chacha20", 5):
        ctr = int.from_bytes(ctr_bytes, "little")
        cipher, new_ctr = mono.crypto_chacha20_djb(plain, key, nonce, ctr)
        assert cipher == out
        nb_blocks = len(plain) // 64 + (len(plain) % 64 != 0)
        assert (new_ctr - ctr) % 2**64 == nb_blocks


def test_poly1305(mono: Any) -> None:
    for key, msg, out in cases("poly1305", 3):
        assert mono.crypto_poly1305(msg, key) == out


def test_x25519(mono: Any) -> None:
    n = 0
    for scalar, point, out in cases("x25519", 3):
        assert mono.crypto_x25519(scalar, point) == out
        n += 1
    assert n > 100


def test_sha512_hmac(mono: Any) -> None:
    import hashlib
    import hmac

    for key, msg, out in cases("sha512_hmac", 3):
        assert mono.crypto_sha512_hmac(key, msg) == out
        assert hmac.new(key, msg, hashlib.sha512).digest() == out  # the vectors mean what we think


def status_of(call: Callable[[], Any], mod: Any) -> int:
    """0 when the call succeeds, the StatusError's status when it fails."""
    try:
        call()
    except mod.StatusError as e:
        assert e.status != 0
        return int(e.status)
    return 0


def test_ed_25519_check(mono: Any, mono_mod: Any) -> None:
    valid = invalid = 0
    for public_key, msg, sig, out in cases("ed_25519_check", 4):
        status = status_of(lambda: mono.crypto_ed25519_check(sig, public_key, msg), mono_mod)
        assert (status & 0xFF) == out[0], (public_key.hex(), msg.hex(), sig.hex())
        valid += status == 0
        invalid += status != 0
    assert valid > 0 and invalid > 0


def test_ed_25519ph(mono: Any, mono_mod: Any) -> None:
    for seed, public_key, msg, out in cases("ed_25519ph", 4):
        secret_key, pk, wiped_seed = mono.crypto_ed25519_key_pair(seed)
        assert pk == public_key
        assert secret_key[32:] == public_key
        assert wiped_seed == bytes(32), "crypto_ed25519_key_pair wipes the seed (in/out parameter)"
        digest = mono.crypto_sha512(msg)
        sig = mono.crypto_ed25519_ph_sign(secret_key, digest)
        assert sig == out
        mono.crypto_ed25519_ph_check(sig, public_key, digest)
        for i in range(64):
            corrupt = bytearray(sig)
            corrupt[i] ^= 1
            with pytest.raises(mono_mod.StatusError):
                mono.crypto_ed25519_ph_check(corrupt, public_key, digest)


def test_elligator_dir(mono: Any) -> None:
    for hidden, curve in cases("elligator_dir", 2):
        assert mono.crypto_elligator_map(hidden) == curve


def test_elligator_inv(mono: Any, mono_mod: Any) -> None:
    failures = successes = 0
    for point, tweak, failure, out in cases("elligator_inv", 4):
        if failure[0] == 0xFF:
            with pytest.raises(mono_mod.StatusError):
                mono.crypto_elligator_rev(point, tweak[0])
            failures += 1
        else:
            assert mono.crypto_elligator_rev(point, tweak[0]) == out
            successes += 1
    assert failures and successes


def test_argon2(mono: Any, mono_mod: Any) -> None:
    # Structs passed by value (config, inputs, extras) and scratch memory of nb_blocks KiB.
    n = 0
    for algorithm, nb_blocks, nb_passes, nb_lanes, password, salt, key, ad, out in cases("argon2", 9):
        config = mono_mod.CryptoArgon2Config(
            algorithm=int.from_bytes(algorithm, "little"),
            nb_blocks=int.from_bytes(nb_blocks, "little"),
            nb_passes=int.from_bytes(nb_passes, "little"),
            nb_lanes=int.from_bytes(nb_lanes, "little"),
        )
        inputs = mono_mod.CryptoArgon2Inputs(pass_=password, salt=salt)
        extras = mono_mod.CryptoArgon2Extras(key=key, ad=ad)
        assert mono.crypto_argon2(len(out), config, inputs, extras) == out
        n += 1
    assert n == count("argon2", 9) > 0


def test_argon2_argument_errors(mono: Any, mono_mod: Any) -> None:
    config = mono_mod.CryptoArgon2Config(algorithm=mono_mod.CRYPTO_ARGON2_ID, nb_blocks=8, nb_passes=1, nb_lanes=1)
    inputs = mono_mod.CryptoArgon2Inputs(pass_=b"password", salt=b"somesalt")
    extras = mono_mod.CryptoArgon2Extras(key=b"", ad=b"")
    digest = mono.crypto_argon2(32, config, inputs, extras)
    assert len(digest) == 32
    assert mono.crypto_argon2(32, config, inputs, extras) == digest
    with pytest.raises(TypeError, match="inputs: expected CryptoArgon2Inputs"):
        mono.crypto_argon2(32, config, extras, extras)
    with pytest.raises(TypeError, match=r"^inputs\.pass_: expected a bytes-like object"):
        mono.crypto_argon2(32, config, mono_mod.CryptoArgon2Inputs(pass_="text", salt=b"somesalt"), extras)
    with pytest.raises(OverflowError, match="config.nb_blocks"):
        bad = mono_mod.CryptoArgon2Config(algorithm=2, nb_blocks=2**32, nb_passes=1, nb_lanes=1)
        mono.crypto_argon2(32, bad, inputs, extras)
    # The persistent block holding the slices is freed: memory does not grow over many calls.
    rt = mono._wb_rt
    size = rt.memory_size()
    for _ in range(50):
        mono.crypto_argon2(16, config, inputs, extras)
    assert rt.memory_size() == size
