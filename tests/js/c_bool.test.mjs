// A C `bool` parameter takes a boolean (or the integer 0 / 1) through the generated JS bindings, as a `bool` return
// gives one; anything else is a TypeError / RangeError naming the parameter (a fresh-user walkthrough: `true` was
// refused as "expected an integer number, got boolean", and a bool return was 1 / 0).
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT, generate, watText2wasm } from "./helpers.mjs";

// The header and hand-written guest are shared with tests/python/test_c_bool.py.
const SHARED = path.join(ROOT, "tests", "wat_guests");

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wb-js-bool-"));
fs.copyFileSync(path.join(SHARED, "c_bool.h"), path.join(dir, "b.h"));
fs.writeFileSync(path.join(dir, "b.wasm"), watText2wasm(fs.readFileSync(path.join(SHARED, "c_bool.wat"), "utf8")));
const { mod, dir: out } = await generate(path.join(dir, "b.h"), { wasm: path.join(dir, "b.wasm") });

test("a bool parameter takes a boolean and 0 or 1", async () => {
  const b = await mod.B.load();
  assert.equal(b.pick(true, 5), -5);
  assert.equal(b.pick(false, 5), 5);
  assert.equal(b.pick(1, 5), -5);
  assert.equal(b.flip(true), false, "a bool return is a boolean");
  assert.equal(b.flip(0), true);
});

test("the .d.ts types a bool parameter boolean | number and a bool return boolean", () => {
  const dts = fs.readFileSync(path.join(out, "b.d.ts"), "utf8");
  assert.match(dts, /flip\(b: boolean \| number\): boolean;/);
});

test("anything else is an error naming the parameter", async () => {
  const b = await mod.B.load();
  assert.throws(() => b.flip(2), (e) => e instanceof RangeError && /^b: /.test(e.message));
  assert.throws(() => b.flip("yes"), (e) => e instanceof TypeError && /^b: /.test(e.message));
  assert.throws(() => b.flip(null), TypeError);
  assert.equal(b.pick(true, 7), -7);
});
