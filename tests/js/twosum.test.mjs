// twosum through the generated JS bindings: an int32 element array (Int32Array or an array of
// numbers, range-checked) and a 64-bit return as bigint, against a plain-JS reference.
import { test } from "node:test";
import assert from "node:assert/strict";
import { generate } from "./helpers.mjs";

const { mod } = await generate("target/guests/twosum/twosum.h");
const t = await mod.Twosum.load();

function reference(nums, target) {
  const seen = new Map();
  for (let j = 0; j < nums.length; j++) {
    const i = seen.get(target - nums[j]);
    if (i !== undefined) return (BigInt(i) << 32n) | BigInt(j);
    if (!seen.has(nums[j])) seen.set(nums[j], j);
  }
  return -1n;
}

test("two_sum matches the reference; typed arrays and arrays of numbers", () => {
  assert.equal(t.two_sum([2, 7, 11, 15], 9), 1n);
  assert.equal(t.two_sum(Int32Array.from([3, 2, 4]), 6), (1n << 32n) | 2n);
  let seed = 1;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % 200) - 100;
  for (let trial = 0; trial < 50; trial++) {
    const nums = Array.from({ length: 1 + (trial % 40) }, rand);
    const target = rand();
    assert.equal(t.two_sum(nums, target), reference(nums, target), `${nums} ${target}`);
  }
});

test("element and argument errors name the parameter", () => {
  assert.throws(() => t.two_sum([1, 2 ** 31], 0), { name: "RangeError", message: /^nums\[1\]: 2147483648 is out of range/ });
  assert.throws(() => t.two_sum(new Uint8Array(3), 0), { name: "TypeError", message: /^nums: expected a Int32Array/ });
  assert.throws(() => t.two_sum([1, 2], "3"), { name: "TypeError", message: /^target: expected an integer/ });
});
