// Cross-checks against independent pure-JS implementations from npm (@noble, pinned in
// tests/js/package.json): XChaCha20-Poly1305 (crypto_aead_lock) and keyed BLAKE2b.
import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { ROOT, generateMonocypher, hex } from "./helpers.mjs";

const installed = fs.existsSync(path.join(ROOT, "tests", "js", "node_modules", "@noble", "ciphers"));
const skip = installed ? false : "@noble not installed (npm ci --prefix tests/js)";
const { mod } = await generateMonocypher();
const m = await mod.Monocypher.load();

test("crypto_aead_lock is XChaCha20-Poly1305 (@noble/ciphers)", { skip }, async () => {
  const { xchacha20poly1305 } = await import("@noble/ciphers/chacha.js");
  for (const n of [0, 1, 64, 1000]) {
    const [key, nonce, ad, plain] = [crypto.randomBytes(32), crypto.randomBytes(24), crypto.randomBytes(n % 7), crypto.randomBytes(n)];
    const [cipher, mac] = m.crypto_aead_lock(key, nonce, ad, plain);
    const sealed = xchacha20poly1305(key, nonce, ad).encrypt(plain);
    assert.equal(hex(cipher) + hex(mac), hex(sealed));
    assert.equal(hex(m.crypto_aead_unlock(sealed.subarray(n), key, nonce, ad, sealed.subarray(0, n))), hex(plain));
  }
});

test("keyed BLAKE2b of every size matches @noble/hashes", { skip }, async () => {
  const { blake2b } = await import("@noble/hashes/blake2.js");
  for (const size of [1, 16, 32, 48, 64]) {
    const [key, msg] = [crypto.randomBytes(size % 65), crypto.randomBytes(size * 37)];
    const want = blake2b(msg, { dkLen: size, key: key.length ? key : undefined });
    assert.equal(hex(m.crypto_blake2b_keyed(size, key, msg)), hex(want));
  }
});
