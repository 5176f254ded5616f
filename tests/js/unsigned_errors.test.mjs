// Error rules on unsigned returns (`nonneg`, `positive`, `filled(dst)` on `size_t`, `uint64_t`, `uint8_t`) through the
// generated JS bindings: the value is tested as a signed integer of the C type's width (zstd's `(size_t)-code`), so
// a library error is a StatusError carrying the C (unsigned) value, never a GuestError, and the library's message
// for it (`reason`: `[module] status = { message = "err_name" }`, given the failed value); values below the top bit
// come back as they are.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT, generate, watText2wasm } from "./helpers.mjs";

// The header, config and hand-written guest are shared with tests/python/test_unsigned_errors.py.
const SHARED = path.join(ROOT, "tests", "wat_guests");

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wb-js-unsigned-"));
fs.copyFileSync(path.join(SHARED, "unsigned_errors.h"), path.join(dir, "u.h"));
fs.copyFileSync(path.join(SHARED, "unsigned_errors.toml"), path.join(dir, "u.toml"));
fs.writeFileSync(path.join(dir, "u.wasm"), watText2wasm(fs.readFileSync(path.join(SHARED, "unsigned_errors.wat"), "utf8")));
const { mod } = await generate(path.join(dir, "u.h"), { config: path.join(dir, "u.toml"), wasm: path.join(dir, "u.wasm") });
const { U, StatusError } = mod;

function failure(f) {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof StatusError, `${e}`);
    return e;
  }
  assert.fail("no StatusError");
}
const status = (f) => failure(f).status;

test("a size_t error code is a StatusError carrying the C value; the object stays usable", async () => {
  const u = await U.load();
  assert.deepEqual(u.squeeze(8, new Uint8Array([1, 2, 3])), new Uint8Array([1, 2, 3]));
  const e = failure(() => u.squeeze(2, new Uint8Array([1, 2, 3])));
  assert.equal(e.status, 2 ** 32 - 70);
  assert.equal(e.reason, "destination too small", "err_name(code), the module status rule's message");
  assert.equal(e.message, "squeeze failed with status 4294967226: destination too small", "worded as in Python");
  assert.equal(failure(() => u.count(2 ** 31)).reason, null, "NULL: no message");
  assert.deepEqual(u.squeeze(3, new Uint8Array([4, 5, 6])), new Uint8Array([4, 5, 6]));
});

test("values below the top bit are values; the top-bit ones errors, at every width", async () => {
  const u = await U.load();
  assert.equal(u.count(2 ** 31 - 1), 2 ** 31 - 1);
  assert.equal(status(() => u.count(2 ** 31)), 2 ** 31);
  assert.equal(status(() => u.count(2 ** 32 - 1)), 2 ** 32 - 1);
  assert.equal(u.big(2n ** 63n - 1n), 2n ** 63n - 1n);
  assert.equal(status(() => u.big(0n)), 0n);
  assert.equal(status(() => u.big(2n ** 64n - 1n)), 2n ** 64n - 1n);
  assert.equal(u.small(127), 127);
  assert.equal(status(() => u.small(128)), 128);
});
