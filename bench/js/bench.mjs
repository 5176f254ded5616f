// Benchmarks for issue #17 (reported in README, not asserted, not run by the tests): XChaCha20-Poly1305
// lock+unlock and BLAKE2b-512 at 64 B and 1 MiB, the wasm-bind Monocypher module against
// libsodium-wrappers (Emscripten) and @noble (pure JS). Setup: npm ci --prefix bench/js; run from the
// repository root: node bench/js/bench.mjs (generates the module with `cargo run -p gen -- --ts`).
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import sodium from "libsodium-wrappers";
import { xchacha20poly1305 } from "@noble/ciphers/chacha.js";
import { blake2b } from "@noble/hashes/blake2.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wb-bench-"));
const gen = spawnSync("cargo", ["run", "-q", "-p", "gen", "--", "--ts", "target/guests/monocypher/monocypher.h",
  "--config", "guests/monocypher/monocypher.toml", "-o", dir], { cwd: ROOT, encoding: "utf8" });
if (gen.status !== 0) throw new Error(`wasm-bind --ts failed: ${gen.stderr}`);
const { Monocypher } = await import(pathToFileURL(path.join(dir, "monocypher.js")).href);
const m = await Monocypher.load();
await sodium.ready;

/** Median µs per call of `fn` over 7 rounds, each long enough (>= 200 ms or 3 calls). */
function time(fn) {
  for (let i = 0; i < 3; i++) fn();
  const rounds = [];
  for (let r = 0; r < 7; r++) {
    let n = 0;
    const t0 = process.hrtime.bigint();
    let dt = 0n;
    while (n < 3 || dt < 200_000_000n) { fn(); n++; dt = process.hrtime.bigint() - t0; }
    rounds.push(Number(dt) / 1e3 / n);
  }
  return rounds.sort((a, b) => a - b)[3];
}

const key = crypto.randomBytes(32), nonce = crypto.randomBytes(24), ad = new Uint8Array(0);
const rows = [];
for (const size of [64, 1 << 20]) {
  const msg = crypto.randomBytes(size);
  const check = (a, b, what) => { if (Buffer.compare(Buffer.from(a), Buffer.from(b)) !== 0) throw new Error(`${what} differs`); };
  // Sanity: all three agree before timing.
  const [c, mac] = m.crypto_aead_lock(key, nonce, ad, msg);
  check(Buffer.concat([c, mac]), xchacha20poly1305(key, nonce).encrypt(msg), "noble aead");
  check(Buffer.concat([c, mac]), sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(msg, null, null, nonce, key), "sodium aead");
  check(m.crypto_blake2b(64, msg), blake2b(msg), "noble blake2b");
  check(m.crypto_blake2b(64, msg), sodium.crypto_generichash(64, msg), "sodium blake2b");
  const cases = {
    "lock+unlock": {
      "wasm-bind": () => { const [ct, t] = m.crypto_aead_lock(key, nonce, ad, msg); m.crypto_aead_unlock(t, key, nonce, ad, ct); },
      "libsodium-wrappers": () => { const s = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(msg, null, null, nonce, key);
        sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, s, null, nonce, key); },
      "@noble": () => { const s = xchacha20poly1305(key, nonce).encrypt(msg); xchacha20poly1305(key, nonce).decrypt(s); },
    },
    "BLAKE2b-512": {
      "wasm-bind": () => m.crypto_blake2b(64, msg),
      "libsodium-wrappers": () => sodium.crypto_generichash(64, msg),
      "@noble": () => blake2b(msg),
    },
  };
  for (const [op, impls] of Object.entries(cases)) {
    const t = Object.fromEntries(Object.entries(impls).map(([name, fn]) => [name, time(fn)]));
    rows.push({ op, size: size === 64 ? "64 B" : "1 MiB", ...t });
  }
}

const f = (x) => x < 10 ? x.toFixed(2) : x < 1000 ? x.toFixed(1) : x.toFixed(0);
console.log(`node ${process.version}, ${os.cpus()[0].model}; load: ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}`);
console.log("| operation | size | wasm-bind µs | libsodium-wrappers µs | @noble µs | wasm-bind / libsodium | wasm-bind / @noble | target |");
console.log("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |");
for (const r of rows) {
  const [w, s, n] = [r["wasm-bind"], r["libsodium-wrappers"], r["@noble"]];
  const target = r.size === "64 B" ? `<= 2x libsodium: ${w / s <= 2 ? "met" : "MISSED"}` : `<= @noble: ${w <= n ? "met" : "MISSED"}`;
  console.log(`| ${r.op} | ${r.size} | ${f(w)} | ${f(s)} | ${f(n)} | ${(w / s).toFixed(2)} | ${(w / n).toFixed(2)} | ${target} |`);
}
fs.rmSync(dir, { recursive: true, force: true });
