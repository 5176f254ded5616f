"""Handles (C structs passed by pointer, e.g. `crypto_sha512_ctx *ctx`): each is a Python class
owning a persistent block in one Monocypher instance, passed to the methods in its C position.
Incremental APIs must agree with the one-shot functions and with hashlib/hmac.
"""

from __future__ import annotations

import gc
import hashlib
import hmac
import inspect
import random
from typing import Any

import pytest


def chunks(data: bytes, rng: random.Random) -> list[bytes]:
    out, i = [], 0
    while i < len(data):
        n = rng.choice([0, 1, 7, 64, 127, 128, 129, 500])
        out.append(data[i:i + n])
        i += n
    return out


def test_sha512_incremental_matches_hashlib(mono: Any, mono_mod: Any) -> None:
    rng = random.Random(5)
    for size in (0, 1, 127, 128, 129, 5000):
        data = rng.randbytes(size)
        with mono_mod.CryptoSha512Ctx(mono) as ctx:
            mono.crypto_sha512_init(ctx)
            for part in chunks(data, rng):
                mono.crypto_sha512_update(ctx, part)
            assert mono.crypto_sha512_final(ctx) == hashlib.sha512(data).digest()
        assert ctx.closed


def test_sha512_hmac_incremental_matches_hmac(mono: Any, mono_mod: Any) -> None:
    rng = random.Random(6)
    key, data = rng.randbytes(40), rng.randbytes(1000)
    ctx = mono_mod.CryptoSha512HmacCtx(mono)
    mono.crypto_sha512_hmac_init(ctx, key)
    for part in chunks(data, rng):
        mono.crypto_sha512_hmac_update(ctx, part)
    assert mono.crypto_sha512_hmac_final(ctx) == hmac.new(key, data, hashlib.sha512).digest()
    ctx.close()
    ctx.close()  # idempotent


def test_poly1305_incremental_matches_one_shot(mono: Any, mono_mod: Any) -> None:
    rng = random.Random(7)
    key, msg = rng.randbytes(32), rng.randbytes(777)
    with mono_mod.CryptoPoly1305Ctx(mono) as ctx:
        mono.crypto_poly1305_init(ctx, key)
        for part in chunks(msg, rng):
            mono.crypto_poly1305_update(ctx, part)
        assert mono.crypto_poly1305_final(ctx) == mono.crypto_poly1305(msg, key)


def test_aead_stream_round_trip(mono: Any, mono_mod: Any) -> None:
    key, nonce = bytes(range(32)), bytes(range(24))
    messages = [b"first", b"", b"third message" * 20]
    with mono_mod.CryptoAeadCtx(mono) as writer, mono_mod.CryptoAeadCtx(mono) as reader:
        mono.crypto_aead_init_x(writer, key, nonce)
        mono.crypto_aead_init_x(reader, key, nonce)
        boxes = [mono.crypto_aead_write(writer, b"ad", m) for m in messages]
        # The first message of a stream is exactly crypto_aead_lock's box (Monocypher's definition).
        assert boxes[0] == mono.crypto_aead_lock(key, nonce, b"ad", messages[0])
        assert boxes[1] != mono.crypto_aead_lock(key, nonce, b"ad", messages[1]), "the stream rekeys"
        for (cipher_text, mac), message in zip(boxes, messages):
            assert mono.crypto_aead_read(reader, mac, b"ad", cipher_text) == message


def test_aead_stream_refuses_forgery(mono: Any, mono_mod: Any) -> None:
    key, nonce = bytes(32), bytes(24)
    with mono_mod.CryptoAeadCtx(mono) as writer, mono_mod.CryptoAeadCtx(mono) as reader:
        mono.crypto_aead_init_x(writer, key, nonce)
        mono.crypto_aead_init_x(reader, key, nonce)
        cipher_text, mac = mono.crypto_aead_write(writer, b"", b"payload")
        with pytest.raises(mono_mod.StatusError):
            mono.crypto_aead_read(reader, bytes(16), b"", cipher_text)


def test_handle_parameter_is_typed_and_in_c_position(mono_mod: Any, generated: Any) -> None:
    sig = inspect.signature(mono_mod.Monocypher.crypto_aead_write)
    assert list(sig.parameters) == ["self", "ctx", "ad", "plain_text"]
    stub = generated["monocypher"].pyi.read_text()
    assert "def crypto_sha512_update(self, ctx: CryptoSha512Ctx, message: Buffer) -> None:" in stub
    assert "class CryptoSha512Ctx:" in stub


def test_handle_misuse(mono: Any, mono_mod: Any) -> None:
    ctx = mono_mod.CryptoSha512Ctx(mono)
    with pytest.raises(TypeError, match="ctx"):
        mono.crypto_sha512_init(mono_mod.CryptoPoly1305Ctx(mono))  # wrong struct
    with pytest.raises(TypeError, match="ctx"):
        mono.crypto_sha512_init(0)  # a raw pointer is never accepted
    other = mono_mod.Monocypher()
    with pytest.raises(ValueError, match="another instance"):
        other.crypto_sha512_init(ctx)
    ctx.close()
    with pytest.raises(ValueError, match="closed"):
        mono.crypto_sha512_init(ctx)
    with pytest.raises(TypeError, match="owner"):
        mono_mod.CryptoSha512Ctx(object())


def test_handles_are_freed_and_reused(mono_mod: Any) -> None:
    mono = mono_mod.Monocypher()
    rt = mono._wb_rt
    first = mono_mod.CryptoSha512Ctx(mono)
    address = first._wb_ptr
    first.close()
    second = mono_mod.CryptoSha512Ctx(mono)
    assert second._wb_ptr == address, "a closed block is reused"
    del second
    gc.collect()
    third = mono_mod.CryptoSha512Ctx(mono)
    assert third._wb_ptr == address, "a collected handle's block is freed"
    # Many short-lived handles do not grow guest memory.
    size = rt.memory_size()
    for _ in range(200):
        with mono_mod.CryptoSha512Ctx(mono) as ctx:
            mono.crypto_sha512_init(ctx)
    assert rt.memory_size() == size


def test_trap_recovery_invalidates_handles(mono_mod: Any) -> None:
    mono = mono_mod.Monocypher()
    ctx = mono_mod.CryptoSha512Ctx(mono)
    mono.crypto_sha512_init(ctx)
    mono._wb_rt._recover()  # what the runtime does after a trap: wipe and re-instantiate
    with pytest.raises(ValueError, match="trap"):
        mono.crypto_sha512_update(ctx, b"x")
    ctx.close()  # freeing a block of an older generation is a no-op
    with mono_mod.CryptoSha512Ctx(mono) as fresh:
        mono.crypto_sha512_init(fresh)
        mono.crypto_sha512_update(fresh, b"abc")
        assert mono.crypto_sha512_final(fresh) == hashlib.sha512(b"abc").digest()


def test_blake2b_incremental_output_size_read_from_the_context(mono: Any, mono_mod: Any) -> None:
    # crypto_blake2b_final's output length is ctx.hash_size (set by init), read from guest memory.
    rng = random.Random(8)
    for hash_size in (1, 20, 32, 64):
        data, key = rng.randbytes(1000), rng.randbytes(16)
        with mono_mod.CryptoBlake2bCtx(mono) as ctx:
            mono.crypto_blake2b_init(ctx, hash_size)
            for part in chunks(data, rng):
                mono.crypto_blake2b_update(ctx, part)
            assert mono.crypto_blake2b_final(ctx) == hashlib.blake2b(data, digest_size=hash_size).digest()
        with mono_mod.CryptoBlake2bCtx(mono) as ctx:
            mono.crypto_blake2b_keyed_init(ctx, hash_size, key)
            mono.crypto_blake2b_update(ctx, data)
            assert mono.crypto_blake2b_final(ctx) == hashlib.blake2b(data, digest_size=hash_size, key=key).digest()


# -- handle methods (issue #14): `ctx.update(data)` beside `m.crypto_blake2b_update(ctx, data)` ---------------

def test_blake2b_handle_methods_equal_one_shot(mono: Any, mono_mod: Any) -> None:
    rng = random.Random(14)
    for size in (0, 1, 127, 128, 129, 5000):
        data = rng.randbytes(size)
        for hash_size in (1, 32, 64):
            with mono_mod.CryptoBlake2bCtx(mono) as ctx:
                ctx.init(hash_size)
                for part in chunks(data, rng):
                    ctx.update(part)
                assert ctx.final() == mono.crypto_blake2b(hash_size, data)
                assert mono.crypto_blake2b(hash_size, data) == hashlib.blake2b(data, digest_size=hash_size).digest()
        key = rng.randbytes(32)
        with mono_mod.CryptoBlake2bCtx(mono) as ctx:
            ctx.keyed_init(64, key=key)  # keywords are the module method's
            ctx.update(message=data)
            assert ctx.final() == mono.crypto_blake2b_keyed(64, key, data)


def test_handle_methods_follow_the_naming_rule(mono_mod: Any) -> None:
    """The words the function shares with the struct name are dropped; nothing else."""
    expected = {
        "CryptoBlake2bCtx": {"init", "keyed_init", "update", "final"},
        "CryptoSha512Ctx": {"init", "update", "final"},
        "CryptoSha512HmacCtx": {"init", "update", "final"},
        "CryptoPoly1305Ctx": {"init", "update", "final"},
        "CryptoAeadCtx": {"init_x", "init_djb", "init_ietf", "write", "read"},
    }
    for cls, methods in expected.items():
        own = {n for n, v in vars(getattr(mono_mod, cls)).items() if inspect.isfunction(v) and not n.startswith("_")}
        assert own == methods | {"close"}, cls


def test_handle_methods_mirror_the_module_signature(mono_mod: Any) -> None:
    sig = inspect.signature(mono_mod.CryptoAeadCtx.write)
    module_sig = inspect.signature(mono_mod.Monocypher.crypto_aead_write)
    assert list(sig.parameters) == ["self", *list(module_sig.parameters)[2:]]
    assert sig.return_annotation == module_sig.return_annotation


def test_handle_methods_use_the_object_that_made_the_handle(mono_mod: Any) -> None:
    a, b = mono_mod.Monocypher(), mono_mod.Monocypher()
    ctx = mono_mod.CryptoSha512Ctx(a)
    ctx.init()
    ctx.update(b"abc")
    assert ctx.final() == hashlib.sha512(b"abc").digest()
    with pytest.raises(ValueError, match=r"^ctx: this CryptoSha512Ctx belongs to another instance$"):
        b.crypto_sha512_update(ctx, b"x")
    ctx.close()
    with pytest.raises(ValueError, match=r"^ctx: this CryptoSha512Ctx is closed$"):
        ctx.update(b"x")


def test_aead_stream_through_handle_methods(mono: Any, mono_mod: Any) -> None:
    key, nonce = bytes(range(32)), bytes(range(24))
    sender, receiver = mono_mod.CryptoAeadCtx(mono), mono_mod.CryptoAeadCtx(mono)
    sender.init_x(key, nonce)
    receiver.init_x(key, nonce)
    for msg in (b"one", b"", b"three" * 100):
        ct, mac = sender.write(b"ad", msg)
        assert receiver.read(mac, b"ad", ct) == msg
