// The call plan's decisions end to end in JavaScript over tests/headers/plan_abi.wat (the guest the
// Rust and Python plan tests drive): an int64 struct by value crosses as one i64 (Direct ABI), a
// struct field's slice and a parameter named like it get separate regions, and the arena offsets
// are the plan's, the same the Rust and Python tests assert for the same calls.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { generate, wat2wasm } from "./helpers.mjs";

const wasm = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "wb-js-plan-")), "guest.wasm");
fs.writeFileSync(wasm, wat2wasm("tests/headers/plan_abi.wat"));
const { mod, dir } = await generate("tests/headers/plan_abi.h", { wasm });
const g = await mod.PlanAbi.load();

test("an int64 struct by value", () => {
  assert.equal(g.wide_twice({ v: -21n }), -42n);
  assert.equal(g.wide_twice({ v: 1n << 40n }), 1n << 41n);
  assert.throws(() => g.wide_twice({ v: 1n << 63n }), { name: "RangeError", message: /^w\.v: / });
});

test("a struct field's slice and a parameter named like it", () => {
  assert.equal(g.mix({ data: new Uint8Array(18).fill(1) }, new Uint8Array([2, 3, 4])), 18 + 1000 * 9);
});

for (const [msg, want] of [["hello", [0, 16, 8, 24]], ["\x07".repeat(13), [0, 16, 8, 32]], ["", [0, 16, 8, 16]]]) {
  test(`the arena layout is the plan's (message of ${msg.length} bytes)`, () => {
    g.probe(new TextEncoder().encode(msg), "xy");
    assert.deepEqual([...g.probe_offsets()], want);
  });
}

test("a 1 MiB fixed output; struct by value and by pointer get two types", () => {
  assert.deepEqual(g.big(), new Uint8Array(1 << 20).fill(0xab));
  assert.equal(g.pair_sum({ a: 2, b: 40 }), 42);
  const h = new mod.PairTHandle(g);
  g.pair_set(h, 1, 2);
  h.close();
  assert.equal(typeof g.eighteen, "undefined");
  assert.match(fs.readFileSync(path.join(dir, "plan_abi.js"), "utf8"), /\/\/ - eighteen: /);
});
