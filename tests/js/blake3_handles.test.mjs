// Handle methods (issue #14) in JavaScript on a third-party header the naming rule was not written for:
// BLAKE3 (`blake3.h` and the portable C files bundled in the crates.io crate blake3, found by
// guests/locate_blake3.py, built with `wasm-bind guest`). `blake3_hasher_*` on `blake3_hasher` become
// `init`, `update`, `finalize`, ...; incremental hashing through them equals the module methods and the
// official test vector.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT, generate, hex } from "./helpers.mjs";

const located = spawnSync("python3", [path.join(ROOT, "guests", "locate_blake3.py"), ROOT], { encoding: "utf8" });
if (located.status !== 0) throw new Error(`locate_blake3.py failed:\n${located.stderr}`);
const src = located.stdout.trim();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wb-js-blake3-"));
const wasm = path.join(dir, "blake3.wasm");
const built = spawnSync("cargo", ["run", "-q", "-p", "gen", "--", "guest",
  ...["blake3.c", "blake3_dispatch.c", "blake3_portable.c"].map((f) => path.join(src, f)),
  "--header", path.join(src, "blake3.h"), "-o", wasm], { cwd: ROOT, encoding: "utf8" });
if (built.status !== 0) throw new Error(`wasm-bind guest failed:\n${built.stderr}`);
const { mod } = await generate(path.join(src, "blake3.h"), { wasm });
const b3 = await mod.Blake3.load();

test("BLAKE3 handle methods: the rule's names, equal to the module methods and the test vector", () => {
  const own = Object.getOwnPropertyNames(mod.Blake3Hasher.prototype);
  for (const m of ["init", "init_keyed", "init_derive_key", "update", "finalize", "finalize_seek", "reset"]) {
    assert.ok(own.includes(m), `${m} in ${own}`);
  }
  const empty = new mod.Blake3Hasher(b3);
  empty.init();
  assert.equal(hex(empty.finalize(32)), "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262");
  for (const n of [0, 1, 1023, 1024, 1025, 10000]) {
    const data = Uint8Array.from({ length: n }, (_, i) => i % 251);
    const h = new mod.Blake3Hasher(b3), ref = new mod.Blake3Hasher(b3);
    h.init();
    for (let i = 0; i < n; i += 700) h.update(data.subarray(i, i + 700));
    b3.blake3_hasher_init(ref);
    b3.blake3_hasher_update(ref, data);
    assert.equal(hex(h.finalize(40)), hex(b3.blake3_hasher_finalize(ref, 40)));
    h.close();
    ref.close();
  }
});
