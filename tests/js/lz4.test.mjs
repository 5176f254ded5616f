// LZ4 through the generated JS bindings: sizes computed by a guest helper (LZ4_compressBound),
// filled-length returns (outputs truncated, negative is StatusError), an in/out scalar
// (LZ4_compress_destSize's srcSizePtr) and a returned string.
import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { generate } from "./helpers.mjs";

const { mod, stderr } = await generate("target/guests/lz4/lz4.h", { config: "guests/lz4/lz4.toml" });
const lz = await mod.Lz4.load();
const text = new TextEncoder().encode("wasm-bind ".repeat(5000));

test("every LZ4 function the plan binds is rendered", () => {
  assert.doesNotMatch(stderr, /not bound in JavaScript/);
});

test("round trips, random and repetitive data", () => {
  for (const data of [new Uint8Array(0), crypto.randomBytes(1000), text]) {
    const packed = lz.LZ4_compress_default(data);
    assert.ok(packed.length <= lz.LZ4_compressBound(data.length));
    assert.deepEqual(lz.LZ4_decompress_safe(packed, data.length), new Uint8Array(data));
    assert.deepEqual(lz.LZ4_decompress_safe(lz.LZ4_compress_fast(data, 5), data.length + 10), new Uint8Array(data));
  }
  assert.ok(lz.LZ4_compress_default(text).length < text.length / 10);
});

test("a corrupt block is a StatusError with the negative status; the object stays usable", () => {
  const packed = lz.LZ4_compress_default(text);
  assert.throws(() => lz.LZ4_decompress_safe(packed, 100), (e) => e instanceof mod.StatusError && e.status < 0);
  assert.throws(() => lz.LZ4_decompress_safe(packed, -1), { name: "RangeError", message: /^dstCapacity: -1 is out of range/ });
  assert.deepEqual(lz.LZ4_decompress_safe(packed, text.length), text);
});

test("in/out scalar: LZ4_compress_destSize reports how much input it consumed", () => {
  const [packed, consumed] = lz.LZ4_compress_destSize(crypto.randomBytes(5000), 1000);
  assert.ok(packed.length <= 1000 && consumed > 0 && consumed < 5000, `${packed.length} ${consumed}`);
});

test("a returned string and plain integer returns", () => {
  const v = lz.LZ4_versionNumber();
  assert.equal(lz.LZ4_versionString(), `${Math.floor(v / 10000)}.${Math.floor(v / 100) % 100}.${v % 100}`);
});
