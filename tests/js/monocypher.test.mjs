// Monocypher through the generated JS bindings: Monocypher's own vectors, cross-checks against
// Node's crypto (BLAKE2b-512, X25519, ChaCha20), handles, and argument errors naming the parameter.
import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { ROOT, generateMonocypher, vectorCases, hex } from "./helpers.mjs";

const { mod, dir, stderr } = await generateMonocypher();
const { Monocypher, CryptoBlake2bCtx, StatusError, LoadError } = mod;
const m = await Monocypher.load();

test("generation writes the module, its types and the wasm; every bound Monocypher function is there", () => {
  for (const f of ["monocypher.js", "monocypher.d.ts", "monocypher.wasm"]) assert.ok(fs.existsSync(path.join(dir, f)), f);
  assert.doesNotMatch(stderr, /not bound in JavaScript/);
  for (const name of ["crypto_argon2", "crypto_blake2b_final", "crypto_aead_lock", "crypto_wipe"]) assert.equal(typeof m[name], "function", name);
});

test("--check: up to date passes, an edited .d.ts or .js fails (exit 1)", () => {
  const args = ["run", "-q", "-p", "gen", "--", "--ts", "target/guests/monocypher/monocypher.h",
    "--config", "guests/monocypher/monocypher.toml", "-o", dir, "--check"];
  const check = () => spawnSync("cargo", args, { cwd: ROOT, encoding: "utf8" });
  assert.equal(check().status, 0, check().stderr);
  for (const f of ["monocypher.d.ts", "monocypher.js"]) {
    const file = path.join(dir, f);
    const before = fs.readFileSync(file);
    fs.appendFileSync(file, "// edited\n");
    const r = check();
    fs.writeFileSync(file, before);
    assert.equal(r.status, 1, f);
    assert.match(r.stderr + r.stdout, /out of date/);
  }
  assert.equal(check().status, 0);
});

test("Monocypher's Argon2 vectors (structs by value, scratch memory)", () => {
  const cases = vectorCases("argon2", 9);
  assert.ok(cases.length > 0);
  for (const [algorithm, nbBlocks, nbPasses, nbLanes, pass, salt, key, ad, out] of cases) {
    const config = { algorithm: algorithm.readUInt32LE(0), nb_blocks: nbBlocks.readUInt32LE(0), nb_passes: nbPasses.readUInt32LE(0), nb_lanes: nbLanes.readUInt32LE(0) };
    assert.equal(hex(m.crypto_argon2(out.length, config, { pass, salt }, { key, ad })), hex(out));
  }
  const config = { algorithm: 2, nb_blocks: 8, nb_passes: 1, nb_lanes: 1 };
  const bytes = new Uint8Array(16);
  assert.throws(() => m.crypto_argon2(32, null, { pass: bytes, salt: bytes }, { key: bytes, ad: bytes }), { name: "TypeError", message: /^config: expected a CryptoArgon2Config object/ });
  assert.throws(() => m.crypto_argon2(32, { ...config, nb_blocks: -1 }, { pass: bytes, salt: bytes }, { key: bytes, ad: bytes }), { name: "RangeError", message: /^config\.nb_blocks: -1 is out of range/ });
  assert.throws(() => m.crypto_argon2(32, config, { pass: "pw", salt: bytes }, { key: bytes, ad: bytes }), { name: "TypeError", message: /^inputs\.pass: expected a Uint8Array/ });
});

test("Monocypher's BLAKE2b vectors", () => {
  const cases = vectorCases("blake2b", 3);
  assert.ok(cases.length > 200);
  for (const [msg, key, out] of cases) {
    assert.equal(hex(m.crypto_blake2b_keyed(out.length, key, msg)), hex(out));
    if (key.length === 0) assert.equal(hex(m.crypto_blake2b(out.length, msg)), hex(out));
  }
});

test("Monocypher's X25519, Poly1305 and ChaCha20 vectors", () => {
  for (const [scalar, point, out] of vectorCases("x25519", 3)) assert.equal(hex(m.crypto_x25519(scalar, point)), hex(out));
  for (const [key, msg, out] of vectorCases("poly1305", 3)) assert.equal(hex(m.crypto_poly1305(msg, key)), hex(out));
  for (const [key, nonce, plain, ctrBytes, out] of vectorCases("chacha20", 5)) {
    const ctr = ctrBytes.readBigUInt64LE(0);
    const [cipher, next] = m.crypto_chacha20_djb(plain, key, nonce, ctr);
    assert.equal(hex(cipher), hex(out));
    assert.equal(typeof next, "bigint");
    assert.equal(BigInt.asUintN(64, next - ctr), BigInt(Math.ceil(plain.length / 64)));
  }
});

test("BLAKE2b-512 matches node:crypto, one-shot and through a handle", () => {
  for (const n of [0, 1, 64, 127, 128, 129, 1000, 1 << 20]) {
    const msg = crypto.randomBytes(n);
    const want = crypto.createHash("blake2b512").update(msg).digest("hex");
    assert.equal(hex(m.crypto_blake2b(64, msg)), want);
    const ctx = new CryptoBlake2bCtx(m);
    m.crypto_blake2b_init(ctx, 64);
    m.crypto_blake2b_update(ctx, msg.subarray(0, n >> 1));
    m.crypto_blake2b_update(ctx, new DataView(msg.buffer, msg.byteOffset + (n >> 1), n - (n >> 1)));
    assert.equal(hex(m.crypto_blake2b_final(ctx)), want);
    ctx[Symbol.dispose]();  // Node 20 has the symbol, not yet the `using` syntax
    assert.ok(ctx.closed);
  }
});

test("handle methods: ctx.update(data) is m.crypto_blake2b_update(ctx, data); incremental equals one-shot", () => {
  for (const n of [0, 1, 127, 128, 129, 5000]) {
    const msg = crypto.randomBytes(n);
    for (const size of [1, 32, 64]) {
      const ctx = new CryptoBlake2bCtx(m);
      ctx.init(size);
      for (let i = 0; i < n; i += 100) ctx.update(msg.subarray(i, i + 100));
      assert.equal(hex(ctx.final()), hex(m.crypto_blake2b(size, msg)));
      ctx.close();
      assert.throws(() => ctx.update(msg), /ctx: the handle is closed/);
    }
    const key = crypto.randomBytes(32);
    const keyed = new CryptoBlake2bCtx(m);
    keyed.keyed_init(64, key);
    keyed.update(msg);
    assert.equal(hex(keyed.final()), hex(m.crypto_blake2b_keyed(64, key, msg)));
  }
  // The rule on the other handle classes: the words shared with the struct name are dropped.
  const own = (cls) => Object.getOwnPropertyNames(cls.prototype).filter((k) => k !== "constructor").sort();
  assert.deepEqual(own(CryptoBlake2bCtx), ["final", "init", "keyed_init", "update"]);
  assert.deepEqual(own(mod.CryptoAeadCtx), ["init_djb", "init_ietf", "init_x", "read", "write"]);
  const sender = new mod.CryptoAeadCtx(m), receiver = new mod.CryptoAeadCtx(m);
  sender.init_x(new Uint8Array(32), new Uint8Array(24));
  receiver.init_x(new Uint8Array(32), new Uint8Array(24));
  const [ct, mac] = sender.write(new Uint8Array(0), new TextEncoder().encode("hi"));
  assert.equal(new TextDecoder().decode(receiver.read(mac, new Uint8Array(0), ct)), "hi");
});

test("X25519 matches node:crypto with raw keys", () => {
  const priv = (sk) => crypto.createPrivateKey({ key: Buffer.concat([Buffer.from("302e020100300506032b656e04220420", "hex"), sk]), format: "der", type: "pkcs8" });
  for (let i = 0; i < 20; i++) {
    const [a, b] = [crypto.randomBytes(32), crypto.randomBytes(32)];
    const pubB = crypto.createPublicKey(priv(b));
    assert.equal(hex(m.crypto_x25519_public_key(b)), hex(pubB.export({ format: "der", type: "spki" }).subarray(12)));
    const shared = crypto.diffieHellman({ privateKey: priv(a), publicKey: pubB });
    assert.equal(hex(m.crypto_x25519(a, m.crypto_x25519_public_key(b))), hex(shared));
  }
});

test("ChaCha20 (IETF) matches node:crypto's chacha20", () => {
  for (const n of [0, 1, 63, 64, 65, 1000]) {
    const [key, nonce, plain] = [crypto.randomBytes(32), crypto.randomBytes(12), crypto.randomBytes(n)];
    const ctr = 7;
    const iv = Buffer.concat([Buffer.from([ctr, 0, 0, 0]), nonce]);
    const want = crypto.createCipheriv("chacha20", key, iv).update(plain);
    const [cipher, next] = m.crypto_chacha20_ietf(plain, key, nonce, ctr);
    assert.equal(hex(cipher), hex(want));
    assert.equal(next, ctr + Math.ceil(n / 64));
  }
});

test("AEAD round trip; a forgery raises StatusError and the object stays usable", () => {
  const [key, nonce, ad, plain] = [crypto.randomBytes(32), crypto.randomBytes(24), crypto.randomBytes(5), crypto.randomBytes(100)];
  const [cipher, mac] = m.crypto_aead_lock(key, nonce, ad, plain);  // outputs in C order
  assert.ok(mac instanceof Uint8Array && cipher instanceof Uint8Array);
  assert.equal(hex(m.crypto_aead_unlock(mac, key, nonce, ad, cipher)), hex(plain));
  cipher[0] ^= 1;
  assert.throws(() => m.crypto_aead_unlock(mac, key, nonce, ad, cipher), (e) =>
    e instanceof StatusError && e instanceof mod.Error && e.function === "crypto_aead_unlock" && e.status === -1);
  cipher[0] ^= 1;
  assert.equal(hex(m.crypto_aead_unlock(mac, key, nonce, ad, cipher)), hex(plain));
});

test("in/out buffers: crypto_wipe returns zeros and wipes the caller's buffer", () => {
  const secret = new Uint8Array([1, 2, 3, 4]);
  assert.deepEqual([...m.crypto_wipe(secret)], [0, 0, 0, 0]);
  assert.deepEqual([...secret], [0, 0, 0, 0]);
});

test("argument errors are TypeError / RangeError naming the parameter", () => {
  const k = new Uint8Array(32);
  assert.throws(() => m.crypto_x25519(new Uint8Array(31), k), { name: "RangeError", message: /^your_secret_key: expected 32 bytes, got 31/ });
  assert.throws(() => m.crypto_x25519(k, "abc"), { name: "TypeError", message: /^their_public_key: expected a Uint8Array/ });
  assert.throws(() => m.crypto_blake2b(65, k), { name: "RangeError", message: /^hash_size: 65 is out of range \[0, 64\]/ });
  assert.throws(() => m.crypto_blake2b(1.5, k), { name: "TypeError", message: /^hash_size: expected an integer/ });
  assert.throws(() => m.crypto_blake2b_keyed(64, new Uint8Array(65), k), { name: "RangeError", message: /^key: 65 is out of range/ });
  assert.throws(() => m.crypto_chacha20_djb(k, k, new Uint8Array(8), 1.5), { name: "TypeError", message: /^ctr: expected a bigint/ });
  assert.throws(() => m.crypto_blake2b_update({}, k), { name: "TypeError", message: /^ctx: expected CryptoBlake2bCtx/ });
  assert.throws(() => new Monocypher(), TypeError);
  assert.equal(hex(m.crypto_blake2b(64, k)), crypto.createHash("blake2b512").update(k).digest("hex"));
});

test("handles: closed or foreign handles are refused", async () => {
  const other = await Monocypher.load(fs.readFileSync(path.join(dir, "monocypher.wasm")));
  const ctx = new CryptoBlake2bCtx(other);
  assert.throws(() => m.crypto_blake2b_init(ctx, 64), { name: "TypeError", message: /^ctx: the handle belongs to another instance/ });
  ctx.close();
  assert.ok(ctx.closed);
  assert.throws(() => other.crypto_blake2b_init(ctx, 64), { name: "TypeError", message: /^ctx: the handle is closed/ });
  ctx.close();
  assert.throws(() => new CryptoBlake2bCtx({}), TypeError);
});

test("load accepts a path, a file URL, bytes, an ArrayBuffer and a WebAssembly.Module; errors are LoadError", async () => {
  const file = path.join(dir, "monocypher.wasm");
  const bytes = fs.readFileSync(file);
  const sources = [file, new URL(`file://${file}`), new Uint8Array(bytes), bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length), await WebAssembly.compile(bytes)];
  for (const s of sources) {
    const x = await Monocypher.load(s);
    assert.equal(x.crypto_blake2b(64, new Uint8Array(0)).length, 64);
  }
  await assert.rejects(Monocypher.load(path.join(dir, "missing.wasm")), (e) => e instanceof LoadError && /missing\.wasm/.test(e.message));
  await assert.rejects(Monocypher.load(new Uint8Array([0, 1, 2])), LoadError);
  await assert.rejects(Monocypher.load(42), LoadError);
});

test("no secret stays in guest memory after a call (every 8-byte window of key, plaintext and outputs)", () => {
  const key = crypto.randomBytes(32), nonce = crypto.randomBytes(24), plain = crypto.randomBytes(1000);
  const [cipher, mac] = m.crypto_aead_lock(key, nonce, new Uint8Array(0), plain);
  const hash = m.crypto_blake2b_keyed(64, key, plain);
  const windows = new Set();
  for (const secret of [key, plain, cipher, mac, hash]) {
    const b = Buffer.from(secret);
    for (let i = 0; i + 8 <= b.length; i++) windows.add(b.readBigUInt64LE(i));
  }
  const rt = m[Object.getOwnPropertySymbols(m)[0]];
  const mem = Buffer.from(rt.memory.buffer);
  const found = [];
  for (let i = 0; i + 8 <= mem.length; i++) if (windows.has(mem.readBigUInt64LE(i))) found.push(i);
  assert.deepEqual(found, []);
});

test("an input over maxMemory is a RangeError before any guest call: the instance and its handles survive", async () => {
  // (A fresh-user walkthrough: the allocation failed inside the guest, which re-created the instance and
  // killed every live handle; Python and Rust refuse such a call beforehand.)
  const small = await Monocypher.load(undefined, { maxMemory: 4 << 20 });
  const ctx = new CryptoBlake2bCtx(small);
  small.crypto_blake2b_init(ctx, 64);
  small.crypto_blake2b_update(ctx, new Uint8Array([1, 2, 3]));
  assert.throws(() => small.crypto_blake2b(64, new Uint8Array(5 << 20)),
    (e) => e instanceof RangeError && /more than maxMemory/.test(e.message));
  small.crypto_blake2b_update(ctx, new Uint8Array([4]));
  const want = crypto.createHash("blake2b512").update(new Uint8Array([1, 2, 3, 4])).digest();
  assert.deepEqual(Buffer.from(small.crypto_blake2b_final(ctx)), want);
});
