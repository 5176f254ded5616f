// Constants as module exports and exported C globals as read-only getters, through the generated JS
// bindings: Monocypher's constants and `crypto_argon2_no_extras`, and a small header (a struct with
// a slice, an int32) over hand-written guests: honest ones read back what the data segment holds;
// hostile ones (address or slice outside memory, a length that wraps, a global that is not an
// i32, a missing export) are GuestError / LoadError and leave the object usable.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { generate, generateMonocypher, watText2wasm } from "./helpers.mjs";

const HEADER = `#include <stddef.h>
#include <stdint.h>
#define ANSWER_DEFAULT (-42)
#define BIG 0x123456789ABCDEFULL
typedef struct { const uint8_t *data; uint32_t data_size; int32_t tag; } blob_t;
extern const blob_t default_blob;
extern const int32_t answer;
void touch(uint8_t *out, size_t out_size);
`;

function guest({ blobAddr = "(i32.const 1024)", blob = String.raw`\00\08\00\00\05\00\00\00\f9\ff\ff\ff`, answer = `(global (export "answer") i32 (i32.const 3072))` } = {}) {
  return watText2wasm(`(module
  (memory (export "memory") 2)
  (global (export "__heap_base") i32 (i32.const 65536))
  (func (export "bump_alloc") (param i32) (result i32) (i32.const 65536))
  (func (export "bump_reset"))
  (func (export "touch") (param i32 i32))
  (data (i32.const 1024) "${blob}")
  (data (i32.const 2048) "hello")
  (data (i32.const 3072) "\\d6\\ff\\ff\\ff")
  (global (export "default_blob") i32 ${blobAddr})
  ${answer})`);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wb-js-globals-"));
fs.writeFileSync(path.join(dir, "g.h"), HEADER);
fs.writeFileSync(path.join(dir, "g.wasm"), guest());
const { mod, dir: out } = await generate(path.join(dir, "g.h"), { wasm: path.join(dir, "g.wasm") });
const { G, GuestError, LoadError } = mod;
const runtimeOf = (obj) => obj[Object.getOwnPropertySymbols(obj)[0]];

test("constants are module exports (number, or bigint past 2^53), typed in the .d.ts", () => {
  assert.equal(mod.ANSWER_DEFAULT, -42);
  assert.equal(mod.BIG, 0x123456789abcdefn);
  const dts = fs.readFileSync(path.join(out, "g.d.ts"), "utf8");
  assert.match(dts, /export declare const ANSWER_DEFAULT: number;/);
  assert.match(dts, /export declare const BIG: bigint;/);
  assert.match(dts, /  readonly default_blob: BlobT;\n/);
  assert.match(dts, /  readonly answer: number;\n/);
  assert.match(dts, /export interface BlobT \{\n  data: ArrayBufferView;\n  tag: number;\n\}/);
});

test("Monocypher: constants and crypto_argon2_no_extras", async () => {
  const { mod: mono } = await generateMonocypher();
  assert.deepEqual([mono.CRYPTO_ARGON2_D, mono.CRYPTO_ARGON2_I, mono.CRYPTO_ARGON2_ID], [0, 1, 2]);
  const m = await mono.Monocypher.load();
  const extras = m.crypto_argon2_no_extras;
  assert.deepEqual(extras, { key: new Uint8Array(0), ad: new Uint8Array(0) });
  const config = { algorithm: mono.CRYPTO_ARGON2_ID, nb_blocks: 8, nb_passes: 1, nb_lanes: 1 };
  const inputs = { pass: new TextEncoder().encode("correct horse"), salt: new TextEncoder().encode("saltsalt") };
  const withGlobal = m.crypto_argon2(32, config, inputs, extras);
  assert.deepEqual(withGlobal, m.crypto_argon2(32, config, inputs, { key: new Uint8Array(0), ad: new Uint8Array(0) }));
  assert.notDeepEqual(withGlobal, m.crypto_argon2(32, config, inputs, { key: new Uint8Array([107]), ad: new Uint8Array(0) }));
  assert.throws(() => { m.crypto_argon2_no_extras = extras; }, TypeError);  // read-only (modules are strict)
});

test("an honest guest: values read afresh at each access", async () => {
  const obj = await G.load(guest());
  assert.deepEqual(obj.default_blob, { data: new TextEncoder().encode("hello"), tag: -7 });
  assert.equal(obj.answer, -42);
  new Uint8Array(runtimeOf(obj).memory.buffer).set(new TextEncoder().encode("HELLO"), 2048);
  assert.deepEqual(obj.default_blob.data, new TextEncoder().encode("HELLO"));
  const empty = await G.load(guest({ blob: String.raw`\00\00\00\00\00\00\00\00\00\00\00\00` }));  // NULL, count 0
  assert.deepEqual(empty.default_blob, { data: new Uint8Array(0), tag: 0 });
});

for (const [what, opts] of [
  ["struct runs past the end", { blobAddr: "(i32.const 131068)" }],
  ["address 0xFFFFFFF0", { blobAddr: "(i32.const -16)" }],
  ["slice at 0x1FFFE, 5 bytes", { blob: String.raw`\fe\ff\01\00\05\00\00\00\00\00\00\00` }],
  ["count 0xFFFFFFFF", { blob: String.raw`\00\08\00\00\ff\ff\ff\ff\00\00\00\00` }],
]) {
  test(`hostile struct global (${what}): GuestError, the object stays usable`, async () => {
    const obj = await G.load(guest(opts));
    assert.throws(() => obj.default_blob, (e) => e instanceof GuestError && /outside guest memory/.test(e.message));
    assert.equal(obj.answer, -42);
    obj.touch(8);
  });
}

test("hostile scalar globals: outside memory, not an i32, not a global, missing", async () => {
  let obj = await G.load(guest({ answer: `(global (export "answer") i32 (i32.const 131070))` }));
  assert.throws(() => obj.answer, (e) => e instanceof GuestError && /outside guest memory/.test(e.message));
  obj = await G.load(guest({ answer: `(global (export "answer") i64 (i64.const 3072))` }));
  assert.throws(() => obj.answer, (e) => e instanceof GuestError && /'answer' is not an i32 address/.test(e.message));
  obj = await G.load(guest({ answer: `(func (export "answer"))` }));
  assert.throws(() => obj.answer, (e) => e instanceof LoadError && /'answer' is a func, expected a global/.test(e.message));
  obj = await G.load(guest({ answer: "" }));
  assert.throws(() => obj.answer, (e) => e instanceof LoadError && /does not export global 'answer'/.test(e.message));
  assert.deepEqual(obj.default_blob.data, new TextEncoder().encode("hello"));
});
