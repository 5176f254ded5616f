// Floating point through the `wasm-bind --ts` bindings of tests/headers/shape_floats.h (guest:
// tests/headers/shape_floats.c built with `wasm-bind guest`): number scalars and returns, Float32Array /
// Float64Array slices, fixed arrays and outputs, out-scalars, structs with float fields. Expected values are
// computed in JS with the same IEEE operations in the same order (Math.fround for C float). Typed arrays keep
// every bit (NaN payloads included); a JS number NaN may be canonicalised by the engine, so scalars compare NaN
// as NaN, and -0 / infinities exactly.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT, generate } from "./helpers.mjs";

const wasm = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "wb-js-floats-")), "shape_floats.wasm");
const built = spawnSync("cargo", ["run", "-q", "-p", "gen", "--", "guest", "tests/headers/shape_floats.c",
  "--header", "tests/headers/shape_floats.h", "-o", wasm], { cwd: ROOT, encoding: "utf8" });
if (built.status !== 0) throw new Error(`wasm-bind guest failed:\n${built.stderr}`);
const { mod } = await generate("tests/headers/shape_floats.h", { wasm });
const g = await mod.ShapeFloats.load();

/** xorshift64*: deterministic doubles of every kind (specials, random bit patterns, subnormals, ordinary). */
function rng(seed) {
  let x = BigInt(seed) * 0x9e3779b97f4a7c15n | 1n;
  const next = () => {
    x ^= x >> 12n; x ^= (x << 25n) & 0xffffffffffffffffn; x ^= x >> 27n;
    return (x * 0x2545f4914f6cdd1dn) & 0xffffffffffffffffn;
  };
  const f64 = new Float64Array(1), u64 = new BigUint64Array(f64.buffer);
  const specials = [0, -0, Infinity, -Infinity, NaN, 5e-324, -2.2250738585072009e-308, 1.7976931348623157e308, 1, -1.5];
  return () => {
    const r = Number(next() % 100n);
    if (r < 20) return specials[Number(next() % BigInt(specials.length))];
    u64[0] = next();
    if (r < 35) return f64[0];
    if (r < 45) { u64[0] &= 0x800fffffffffffffn; return f64[0]; }
    return (Number(next() % 2000000n) - 1000000) / 7;
  };
}

const same = (a, b) => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
const bits = (a) => [...new Uint8Array(a.buffer, a.byteOffset, a.byteLength)];
const fr = Math.fround;

test("scalars and returns are IEEE-exact, -0 and infinities included", () => {
  const r = rng(1);
  for (let k = 0; k < 300; k++) {
    const a = r(), b = r(), x = fr(r()), y = fr(r());
    assert.ok(same(g.fl_add(a, b), a + b), `${a} + ${b}`);
    assert.ok(same(g.fl_addf(x, y), fr(x + y)), `${x} +f ${y}`);
    assert.ok(same(g.fl_identity(a), a));
    assert.ok(same(g.fl_mix(3, a, x, 7n), 3 * a + x - 7));
  }
  assert.ok(Object.is(g.fl_add(-0, -0), -0));
  assert.equal(g.fl_bits(-0), 0x8000000000000000n);
  assert.equal(g.fl_bitsf(-0), 0x80000000);
  assert.equal(g.fl_from_bits(0x7ff0000000000000n), Infinity);
  assert.ok(Number.isNaN(g.fl_from_bitsf(0x7fc00123)));
});

test("slices, fixed arrays, outputs and in/out buffers", () => {
  const r = rng(2);
  for (let k = 0; k < 100; k++) {
    const xs = Array.from({ length: k % 23 }, r);
    let s = 0; for (const v of xs) s += v;
    assert.ok(same(g.fl_sum(xs), s));
    assert.ok(same(g.fl_sum(Float64Array.from(xs)), s));
    const fs32 = Float32Array.from(xs.map(fr));
    let sf = 0; for (const v of fs32) sf = fr(sf + v);
    assert.ok(same(g.fl_sumf(fs32), sf));
    const buf = Float64Array.from(xs), kk = r();
    const scaled = g.fl_scale(buf, kk);
    xs.forEach((v, i) => { assert.ok(same(scaled[i], v * kk)); assert.ok(same(buf[i], v * kk)); });
    const a = [r(), r(), r()], b = [r(), r(), r()];
    const want = [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
    g.fl_cross(a, b).forEach((v, i) => assert.ok(same(v, want[i])));
  }
  const [mean, variance, status] = g.fl_stats([1, 2, 3, 4]);
  assert.deepEqual([mean, variance, status], [2.5, 1.25, 0]);
  assert.deepEqual([...g.fl_fill(4, 0.5)], [0, 0.5, 1, 1.5]);
});

test("typed arrays keep every bit: NaN payloads, signaling NaNs, subnormals", () => {
  const raw = new Uint32Array([0x7fc00123, 0x7f800001, 0xffc0dead, 0x00000001, 0x80000000, 0x7f7fffff]);
  const out = g.fl_copy(new Float32Array(raw.buffer), raw.length);
  assert.ok(out instanceof Float32Array);
  assert.deepEqual(bits(out), bits(raw));
});

test("structs with float fields; a one-double struct passes directly", () => {
  const p = { x: 1.5, y: -2, weight: 0.25 }, q = { x: 4, y: 0.5, weight: 8 };
  assert.equal(g.fl_point_dot(p, q), (1.5 * 4 + -2 * 0.5) * 0.25 * 8);
  assert.equal(g.fl_wrap_twice({ value: -0.75 }), -1.5);
  assert.throws(() => g.fl_point_dot({ x: "1", y: 0, weight: 1 }, q), { name: "TypeError", message: /^p\.x: / });
});

test("type and range errors name the argument", () => {
  assert.throws(() => g.fl_add(1n, 2), { name: "TypeError", message: /^a: expected a number/ });
  assert.throws(() => g.fl_add(true, 2), { name: "TypeError", message: /^a: / });
  assert.throws(() => g.fl_identityf(1e300), { name: "RangeError", message: /^x: 1e\+300 does not fit a C float/ });
  assert.throws(() => g.fl_sumf([1, 1e39]), { name: "RangeError", message: /^x\[1\]: / });
  assert.throws(() => g.fl_point_dot({ x: 1e39, y: 0, weight: 1 }, { x: 0, y: 0, weight: 1 }), { name: "RangeError", message: /^p\.x: / });
  assert.equal(g.fl_identityf(Infinity), Infinity);
  assert.equal(g.fl_identityf(3.4028234663852886e38), 3.4028234663852886e38);
  assert.throws(() => g.fl_sum(new Float32Array(2)), { name: "TypeError" });
});

test("a float array whose length overflows wasm32 is a clean error", () => {
  // 2**30 + 1 floats is 4 GiB + 4 bytes: the caller-given output count is refused before any allocation
  assert.throws(() => g.fl_fill(2 ** 30 + 1, 1), (e) => e instanceof RangeError || e instanceof mod.Error);
  assert.equal(g.fl_sum([1.5, 2.5]), 4);
});
