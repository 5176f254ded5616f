// Handle methods (issue #14) through the `wasm-bind --ts` bindings of tests/headers/handle_methods.h (guest:
// tests/headers/handle_methods.c built with `wasm-bind guest`): the naming rule's corners (a reserved member
// keeps the full name, a name escaped in Python is escaped alike in JS, whose methods take the Python names, no shared word keeps the full name) and the methods
// forwarding to the object that made the handle.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT, generate } from "./helpers.mjs";

const wasm = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "wb-js-hm-")), "handle_methods.wasm");
const built = spawnSync("cargo", ["run", "-q", "-p", "gen", "--", "guest", "tests/headers/handle_methods.c",
  "--header", "tests/headers/handle_methods.h", "-o", wasm], { cwd: ROOT, encoding: "utf8" });
if (built.status !== 0) throw new Error(`wasm-bind guest failed:\n${built.stderr}`);
const { mod } = await generate("tests/headers/handle_methods.h", { wasm, config: "tests/headers/handle_methods.toml" });
const g = await mod.HandleMethods.load();

test("handle methods follow the naming rule", () => {
  const own = Object.getOwnPropertyNames(mod.TallyState.prototype).filter((k) => k !== "constructor").sort();
  assert.deepEqual(own, ["absorb", "feed", "reset", "tally_state_close", "total", "type_"]);
});

test("handle methods equal the module methods, on the object that made the handle", () => {
  const a = new mod.TallyState(g), b = new mod.TallyState(g);
  a.reset();
  a.feed(new Uint8Array([97, 98, 99]));
  g.tally_state_feed(a, new Uint8Array([1]));
  assert.equal(a.total(), 295);
  assert.equal(g.tally_state_total(a), 295);
  assert.equal(a.type_(), 295 % 7);
  b.reset();
  b.feed(new Uint8Array([5]));
  a.absorb(b);  // merge_into, named by handle_methods.toml
  assert.equal(a.total(), 300);
  a.tally_state_close();  // the C function, not the handle's close()
  assert.equal(a.total(), 0xffffffff);
  assert.ok(!a.closed);
  a.close();
  assert.throws(() => a.total(), /st: the handle is closed/);
});
