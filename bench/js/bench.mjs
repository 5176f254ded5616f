// Benchmarks for issue #17 (reported in README, not asserted, not run by the tests): XChaCha20-Poly1305
// lock+unlock and BLAKE2b-512 at 64 B and 1 MiB, the wasm-bind Monocypher module against
// libsodium-wrappers (Emscripten) and @noble (pure JS). Setup: npm ci --prefix bench/js; run from the
// repository root: node bench/js/bench.mjs (generates the module with `cargo run -p gen -- --ts`).
// Each figure is the median over 7 rounds of the process's CPU time (user + system, all threads:
// process.cpuUsage) per operation, which a busy shared machine disturbs far less than wall-clock
// time; the wall-clock medians are printed too. Also timed: BLAKE2b-512 of 64 B with the `timeout`
// option (node:vm's watchdog, a thread per call), to state the cost of the run-time limit.
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
const timed = await Monocypher.load(undefined, { timeout: 1000 });
await sodium.ready;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** { cpu, wall, spread }: median µs per call of `fn` over 7 rounds (each >= 200 ms wall or 3 calls)
 *  in CPU time and in wall-clock time; spread: [min, max] of the 7 CPU figures. */
function time(fn) {
  for (let i = 0; i < 200; i++) fn();
  const cpu = [], wall = [];
  for (let r = 0; r < 7; r++) {
    let n = 0;
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    while (n < 3 || process.hrtime.bigint() - t0 < 200_000_000n) { fn(); n++; }
    const c = process.cpuUsage(c0);
    wall.push(Number(process.hrtime.bigint() - t0) / 1e3 / n);
    cpu.push((c.user + c.system) / n);
  }
  return { cpu: median(cpu), wall: median(wall), spread: [Math.min(...cpu), Math.max(...cpu)] };
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
  if (size === 64) {
    check(timed.crypto_blake2b(64, msg), blake2b(msg), "blake2b with a timeout");
    rows.timeout = { with: time(() => timed.crypto_blake2b(64, msg)), without: time(() => m.crypto_blake2b(64, msg)) };
  }
}

const f = (x) => x < 10 ? x.toFixed(2) : x < 1000 ? x.toFixed(1) : x.toFixed(0);
console.log(`node ${process.version}, ${os.cpus()[0].model}; load: ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}`);
for (const clock of ["cpu", "wall"]) {
  console.log(`\n${clock === "cpu" ? "CPU time" : "wall-clock time"} (µs per operation, median of 7 rounds${clock === "cpu" ? "; wasm-bind's min..max over the rounds" : ""}):`);
  console.log("| operation | size | wasm-bind µs | libsodium-wrappers µs | @noble µs | wasm-bind / libsodium | wasm-bind / @noble | target |");
  console.log("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |");
  for (const r of rows) {
    const [w, s, n] = [r["wasm-bind"][clock], r["libsodium-wrappers"][clock], r["@noble"][clock]];
    const target = r.size === "64 B" ? `<= 2x libsodium: ${w / s <= 2 ? "met" : "MISSED"}` : `<= @noble: ${w <= n ? "met" : "MISSED"}`;
    const spread = clock === "cpu" ? ` (${r["wasm-bind"].spread.map(f).join("..")})` : "";
    console.log(`| ${r.op} | ${r.size} | ${f(w)}${spread} | ${f(s)} | ${f(n)} | ${(w / s).toFixed(2)} | ${(w / n).toFixed(2)} | ${target} |`);
  }
}
const t = rows.timeout;
console.log(`\nBLAKE2b-512 of 64 B with { timeout: 1000 }: ${f(t.with.cpu)} µs CPU, ${f(t.with.wall)} µs wall; without: ${f(t.without.cpu)} µs CPU, ${f(t.without.wall)} µs wall`);
fs.rmSync(dir, { recursive: true, force: true });
