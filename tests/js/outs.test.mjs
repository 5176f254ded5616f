// Output shapes written through pointers (issue #14) through the `wasm-bind --ts` bindings of
// tests/headers/outs.h (guest: tests/headers/outs.c built with `wasm-bind guest`): output structs come back
// as plain objects with the C field names (by name, by config, in/out, float fields), out-scalars named
// like one output, string outputs (`out_str`) as strings cut at the NUL, a missing NUL or invalid UTF-8
// as GuestError. The same C runs natively in tests/python/test_outs.py.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT, generate } from "./helpers.mjs";

const wasm = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "wb-js-outs-")), "outs.wasm");
const built = spawnSync("cargo", ["run", "-q", "-p", "gen", "--", "guest", "tests/headers/outs.c",
  "--header", "tests/headers/outs.h", "--config", "tests/headers/outs.toml", "-o", wasm], { cwd: ROOT, encoding: "utf8" });
if (built.status !== 0) throw new Error(`wasm-bind guest failed:\n${built.stderr}`);
const { mod } = await generate("tests/headers/outs.h", { config: "tests/headers/outs.toml", wasm });
const m = await mod.Outs.load();

test("output structs are plain objects with the C field names", () => {
  const [s, status] = m.stats("hello world\nfoo");
  assert.equal(status, 0);
  assert.deepEqual({ words: s.words, lines: s.lines, longest: s.longest }, { words: 3, lines: 2, longest: 5 });
  assert.equal(typeof s.checksum, "bigint");
  const [empty, failed] = m.stats("");
  assert.equal(failed, -1);
  assert.deepEqual(empty, { words: 0, lines: 0, longest: 0, checksum: 0n });
  assert.deepEqual(m.make_point(3, 4), { x: 7, y: -1 });
  assert.deepEqual(m.counter_step({ total: 5n, steps: 1 }, 7), { total: 12n, steps: 2 });
  assert.throws(() => m.counter_step(null, 1), TypeError);
  const r = m.summarize(new Float64Array([1.5, -2.25]));
  assert.deepEqual(r, { mean: (1.5 - 2.25) / 2, spread: Math.fround(3.75), n: 2 });
});

test("out-scalars by name", () => {
  assert.deepEqual(m.minmax(new Uint16Array([5, 2, 9, 65535])), [2, 65535]);
  assert.equal(m.count_byte(new TextEncoder().encode("abca"), 97), 2);
});

test("string outputs are strings cut at the NUL; no NUL or bad UTF-8 is a GuestError", () => {
  assert.equal(m.hex_(new Uint8Array([0x01, 0xab, 0xff])), "01abff");
  assert.equal(m.fill_text(97, 3, 1), "aaa");
  assert.throws(() => m.fill_text(97, 3, 0), (e) => e instanceof mod.GuestError && /no NUL within its 17 bytes/.test(e.message));
  assert.throws(() => m.fill_text(0xff, 2, 1), (e) => e instanceof mod.GuestError && /UTF-8/.test(e.message));
  assert.equal(m.fill_text(122, 1, 1), "z");
});
