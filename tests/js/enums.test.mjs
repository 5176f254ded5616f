// Named C enums through the `wasm-bind --ts` bindings of tests/headers/shape_enums.h: each is a frozen
// object of its values (with a `.d.ts` type of the same name); parameters and returns stay numbers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT, generate } from "./helpers.mjs";

const wasm = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "wb-js-enums-")), "shape_enums.wasm");
const built = spawnSync("cargo", ["run", "-q", "-p", "gen", "--", "guest", "tests/headers/shape_enums.c",
  "--header", "tests/headers/shape_enums.h", "-o", wasm], { cwd: ROOT, encoding: "utf8" });
if (built.status !== 0) throw new Error(`wasm-bind guest failed:\n${built.stderr}`);
const { mod, dir } = await generate("tests/headers/shape_enums.h", { wasm });
const g = await mod.ShapeEnums.load();

test("enums are frozen objects of their values", () => {
  assert.deepEqual({ ...mod.Color }, { COLOR_RED: 0, COLOR_GREEN: 1, COLOR_BLUE: 7, COLOR_DEFAULT: 0 });
  assert.ok(Object.isFrozen(mod.Color));
  assert.equal(mod.Flags.FLAG_TOP, 0x80000000);
  assert.equal(mod.Level.LEVEL_LOW, -1);
  assert.equal(mod.EnAnon, undefined);
});

test("calls take and return the numbers", () => {
  assert.equal(g.en_next(mod.Color.COLOR_GREEN), 2);
  assert.equal(g.en_next(6), mod.Color.COLOR_BLUE);
  assert.equal(g.en_weight(mod.Color.COLOR_BLUE, mod.Level.LEVEL_LOW), 6999);
  assert.equal(g.en_flip(0x80000001), mod.Flags.FLAG_TOP);
  assert.throws(() => g.en_next(-1), { name: "RangeError" });
});

test("the .d.ts types each enum", () => {
  const dts = fs.readFileSync(path.join(dir, "shape_enums.d.ts"), "utf8");
  assert.match(dts, /export declare const Color: \{ readonly COLOR_RED: 0; readonly COLOR_GREEN: 1; readonly COLOR_BLUE: 7; readonly COLOR_DEFAULT: 0 \};/);
  assert.match(dts, /export type Color = \(typeof Color\)\[keyof typeof Color\];/);
});
