// The generated Monocypher module in a real browser: Debian's chromium, headless, driven by
// playwright-core (pinned in tests/js/package.json; it never downloads a browser). A static server
// on 127.0.0.1 serves the `wasm-bind --ts` output, a page importing it and Monocypher's vectors; the
// page runs them and playwright reads its results. Missing chromium or playwright-core fails under
// CI=true and skips otherwise.
import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { ROOT, generateMonocypher, vectorCases, hex } from "./helpers.mjs";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

function missing() {
  if (!fs.existsSync(CHROMIUM)) return `${CHROMIUM} not found (scripts/setup.sh installs Debian's chromium)`;
  if (!fs.existsSync(path.join(ROOT, "tests", "js", "node_modules", "playwright-core")))
    return "playwright-core not installed (npm ci --prefix tests/js)";
  return null;
}
const why = missing();
const inCI = !!process.env.CI && process.env.CI !== "false";

// The page: imports the module beside it, loads the .wasm from its default URL, runs the vectors.
const PAGE = `<!doctype html><meta charset="utf-8"><title>wasm-bind browser test</title><link rel="icon" href="data:,">
<script type="module">
import { Monocypher, StatusError, LoadError, Error as WbError, CRYPTO_ARGON2_ID } from "./monocypher.js";
const fromHex = (s) => new Uint8Array(s.match(/../g)?.map((b) => parseInt(b, 16)) ?? []);
const toHex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const r = { failures: [], counts: {} };
try {
  const v = await (await fetch("./vectors.json")).json();
  const m = await Monocypher.load();
  const check = (kind, i, got, want) => {
    r.counts[kind] = (r.counts[kind] ?? 0) + 1;
    if (got !== want) r.failures.push(kind + " #" + i + ": got " + got + ", want " + want);
  };
  // A browser cannot interrupt a synchronous call: a timeout is refused, naming the way out.
  try {
    await Monocypher.load(undefined, { timeout: 100 });
    check("limits", 0, "timeout accepted", "LoadError");
  } catch (e) {
    check("limits", 0, e instanceof LoadError && /Worker/.test(e.message) ? "LoadError" : String(e), "LoadError");
  }
  // maxMemory is written into the fetched module: growth past it fails inside the guest (3.5 MiB of
  // arguments pass the host's check against the 4 MiB cap, but the guest's memory cannot grow to hold them).
  const capped = await Monocypher.load(undefined, { maxMemory: 4 << 20 });
  try {
    capped.crypto_blake2b(64, new Uint8Array(7 << 19));
    check("limits", 1, "3.5 MiB accepted", "refused");
  } catch (e) {
    check("limits", 1, /could not allocate/.test(e.message) ? "refused" : String(e), "refused");
  }
  check("limits", 2, String(m.crypto_argon2_no_extras.key.length) + " " + CRYPTO_ARGON2_ID, "0 2");
  v.blake2b.forEach(([msg, key, out], i) => {
    const n = out.length / 2;
    check("blake2b_keyed", i, toHex(m.crypto_blake2b_keyed(n, fromHex(key), fromHex(msg))), out);
  });
  v.blake2b512.forEach(([msg, out], i) => check("blake2b", i, toHex(m.crypto_blake2b(64, fromHex(msg))), out));
  v.x25519.forEach(([scalar, point, out], i) => check("x25519", i, toHex(m.crypto_x25519(fromHex(scalar), fromHex(point))), out));
  v.aead.forEach(([key, nonce, ad, plain], i) => {
    const [cipher, mac] = m.crypto_aead_lock(fromHex(key), fromHex(nonce), fromHex(ad), fromHex(plain));
    r.sealed = (r.sealed ?? []).concat([toHex(cipher) + toHex(mac)]);
    check("aead_unlock", i, toHex(m.crypto_aead_unlock(mac, fromHex(key), fromHex(nonce), fromHex(ad), cipher)), plain);
    const forged = Uint8Array.from(mac); forged[0] ^= 1;
    try {
      m.crypto_aead_unlock(forged, fromHex(key), fromHex(nonce), fromHex(ad), cipher);
      check("forged", i, "accepted", "StatusError");
    } catch (e) {
      const ok = e instanceof StatusError && e instanceof WbError && e.function === "crypto_aead_unlock" && e.status === -1;
      check("forged", i, ok ? "StatusError" : String(e) + " function=" + e.function + " status=" + e.status, "StatusError");
    }
  });
} catch (e) {
  r.failures.push("page error: " + (e && e.stack || e));
}
window.__results = r;
</script>`;

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".json": "application/json" };

/** A static server for `dir` on 127.0.0.1 (port 0); `served` collects the paths requested. */
async function serve(dir, served) {
  const server = http.createServer((req, res) => {
    const name = path.basename(new URL(req.url, "http://x").pathname) || "index.html";
    served.push(name);
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) { res.writeHead(404).end(); return; }
    res.writeHead(200, { "content-type": TYPES[path.extname(name)] ?? "application/octet-stream" });
    res.end(fs.readFileSync(file));
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return server;
}

test("Monocypher's vectors in headless chromium (module and .wasm from a local server)", { skip: why && !inCI ? why : false }, async () => {
  assert.equal(why, null, `browser test cannot run under CI: ${why}`);
  const { dir, mod } = await generateMonocypher();
  const h = (b) => hex(b);
  const aead = [[32, 24, 0, 0], [32, 24, 5, 64], [32, 24, 13, 1000]].map(([k, n, a, p]) =>
    [crypto.randomBytes(k), crypto.randomBytes(n), crypto.randomBytes(a), crypto.randomBytes(p)]);
  const vectors = {
    blake2b: vectorCases("blake2b", 3).map((c) => c.map(h)),
    // Monocypher's BLAKE2b vectors are all keyed: unkeyed BLAKE2b-512 is checked against node:crypto.
    blake2b512: [0, 1, 127, 128, 129, 1000, 1 << 16].map((n) => crypto.randomBytes(n))
      .map((msg) => [h(msg), crypto.createHash("blake2b512").update(msg).digest("hex")]),
    x25519: vectorCases("x25519", 3).map((c) => c.map(h)),
    aead: aead.map((c) => c.map(h)),
  };
  fs.writeFileSync(path.join(dir, "vectors.json"), JSON.stringify(vectors));
  fs.writeFileSync(path.join(dir, "index.html"), PAGE);

  const served = [];
  const server = await serve(dir, served);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "wb-chromium-"));
  let context;
  try {
    const { chromium } = await import("playwright-core");
    // A persistent context is how playwright takes a fresh --user-data-dir (the temp dir above).
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 60_000 })
      .catch((e) => { throw new Error(`launching ${CHROMIUM} failed: ${e.message}`); });
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (msg) => { if (msg.type() === "error") errors.push(msg.text()); });
    await page.goto(`http://127.0.0.1:${server.address().port}/index.html`);
    await page.waitForFunction(() => window.__results !== undefined, null, { timeout: 60_000 });
    const r = await page.evaluate(() => window.__results);
    assert.deepEqual(errors, []);
    assert.deepEqual(r.failures, []);
    assert.deepEqual(r.counts, {
      blake2b_keyed: vectors.blake2b.length,
      blake2b: vectors.blake2b512.length,
      x25519: vectors.x25519.length,
      aead_unlock: aead.length,
      forged: aead.length,
      limits: 3,
    });
    assert.ok(r.counts.blake2b_keyed > 200 && r.counts.x25519 > 0 && r.counts.blake2b > 0);
    // The browser's ciphertexts are Node's (the same module under another engine).
    const m = await mod.Monocypher.load();
    assert.deepEqual(r.sealed, aead.map(([k, n, a, p]) => m.crypto_aead_lock(k, n, a, p).map(h).join("")));
    // The .wasm came from the default URL beside the module.
    assert.ok(served.includes("monocypher.js") && served.includes("monocypher.wasm"), served.join(" "));
  } finally {
    await context?.close();
    server.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
});
