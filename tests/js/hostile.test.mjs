// Hostile guests (tests/hostile/*.wat) through the generated JS bindings: traps and broken
// allocators leave the object usable (the instance is wiped and re-created), bad modules are
// LoadErrors, outputs are never stale, growth past maxMemory is refused inside the guest (or, for a
// precompiled WebAssembly.Module, detected after the call), and with a `timeout` an endless guest
// call is terminated (node:vm's watchdog) and the instance re-created.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { generate, wat2wasm } from "./helpers.mjs";

const goodFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "wb-js-good-")), "hostile.wasm");
fs.writeFileSync(goodFile, wat2wasm("tests/hostile/good.wat"));
const { mod } = await generate("tests/hostile/hostile.h", { wasm: goodFile });
const { Hostile, TrapError, TimeoutError, GuestError, LoadError } = mod;
/** The runtime behind a loaded object (its one symbol-keyed property). */
const runtimeOf = (obj) => obj[Object.getOwnPropertySymbols(obj)[0]];
const wasmCache = new Map();  // one python wat2wasm per guest, however many tests load it
const wasmOf = (name) => {
  if (!wasmCache.has(name)) wasmCache.set(name, wat2wasm(`tests/hostile/${name}.wat`));
  return wasmCache.get(name);
};
const load = (name, options) => Hostile.load(wasmOf(name), options);

const HONEST = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
const TRIGGER = Uint8Array.from(HONEST, (x, i) => (i === 0 ? 0xee : x));
const SMALL = new TextEncoder().encode("hello");
const LARGE = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7) & 0xff);
function mix(key, msg) {
  const x = msg.reduce((a, b) => a ^ b, 0);
  return Uint8Array.from(key, (k) => k ^ x);
}
function honestCallsWork(obj) {
  for (const msg of [SMALL, LARGE]) assert.deepEqual(obj.hostile_mix(HONEST, msg), mix(HONEST, msg));
}

test("the good guest computes the formulas", async () => {
  const obj = await load("good");
  honestCallsWork(obj);
  assert.deepEqual(obj.hostile_mix(TRIGGER, SMALL), mix(TRIGGER, SMALL));
  const h = obj.hostile_hash(10, SMALL);
  assert.deepEqual(h, Uint8Array.from({ length: 10 }, (_, i) => SMALL[i % SMALL.length] ^ i));
});

test("a trap halfway through the output is a TrapError and the object stays usable", async () => {
  const obj = await load("trap_midway");
  assert.throws(() => obj.hostile_mix(TRIGGER, SMALL), (e) => e instanceof TrapError && e instanceof mod.Error && e.function === "hostile_mix");
  honestCallsWork(obj);
});

test("unbounded recursion is a TrapError, then the object works", async () => {
  const obj = await load("recursion");
  assert.throws(() => obj.hostile_mix(TRIGGER, SMALL), TrapError);
  honestCallsWork(obj);
});

test("a reset that traps (clobbered bump pointer) is a TrapError, then the object works", async () => {
  const obj = await load("clobber_bump");
  assert.throws(() => obj.hostile_mix(TRIGGER, SMALL), (e) => e instanceof TrapError && /bump_reset/.test(e.message));
  honestCallsWork(obj);
});

for (const [name, message] of [
  ["alloc_negative", /outside guest memory/],
  ["alloc_overflow", /outside guest memory/],
  ["alloc_past_end", /outside guest memory/],
  ["alloc_below_heap", /below the guest heap/],
  ["alloc_null_page", /below the guest heap/],
]) {
  test(`${name}: every call is a clean GuestError`, async () => {
    const obj = await load(name);
    for (let i = 0; i < 3; i++) {
      assert.throws(() => obj.hostile_mix(HONEST, SMALL), (e) => e instanceof GuestError && message.test(e.message) && /re-created/.test(e.message));
    }
  });
}

for (const name of ["no_output", "dirty_alloc"]) {
  test(`${name}: an unwritten output is zeros, never stale`, async () => {
    const obj = await load(name);
    for (const msg of [SMALL, LARGE]) {
      assert.deepEqual(obj.hostile_mix(HONEST, msg), mix(HONEST, msg));
      assert.deepEqual(obj.hostile_mix(TRIGGER, msg), new Uint8Array(32));
    }
  });
}

test("memory growth during the call: views are re-created, the result is right", async () => {
  const obj = await load("grow_during_call");
  for (const msg of [SMALL, LARGE]) {
    const before = runtimeOf(obj).memory.buffer.byteLength;
    assert.deepEqual(obj.hostile_mix(TRIGGER, msg), mix(TRIGGER, msg));
    assert.equal(runtimeOf(obj).memory.buffer.byteLength, before + 100 * 65536);
  }
  honestCallsWork(obj);
});

test("growth past maxMemory is refused inside the guest (the module's maximum is capped)", async () => {
  const obj = await load("grow_during_call", { maxMemory: 10 * 65536 });
  assert.equal(runtimeOf(obj).capped, true);
  const before = runtimeOf(obj).memory.buffer.byteLength;
  assert.deepEqual(obj.hostile_mix(TRIGGER, SMALL), mix(TRIGGER, SMALL));  // its memory.grow got -1
  assert.equal(runtimeOf(obj).memory.buffer.byteLength, before);
  honestCallsWork(obj);
  await assert.rejects(load("good", { maxMemory: 1.5 }), TypeError);
});

test("growth toward 4 GiB stops at the cap and the guest answers", async () => {
  const cap = 64 * 1024 * 1024;
  const obj = await load("grow_unbounded", { maxMemory: cap });
  assert.deepEqual(obj.hostile_mix(TRIGGER, SMALL), mix(TRIGGER, SMALL));
  assert.ok(runtimeOf(obj).memory.buffer.byteLength <= cap);
  const unbounded = await load("grow_unbounded");  // the default cap, 256 MiB
  assert.deepEqual(unbounded.hostile_mix(TRIGGER, SMALL), mix(TRIGGER, SMALL));
  assert.ok(runtimeOf(unbounded).memory.buffer.byteLength <= 256 * 1024 * 1024);
});

test("an allocation the cap refuses is a clean GuestError, then the object works", async () => {
  const obj = await load("good", { maxMemory: 4 * 65536 });  // 3 pages, the arena starts at page 2
  assert.throws(() => obj.hostile_mix(HONEST, new Uint8Array(200_000)), (e) => e instanceof GuestError && /bump_alloc could not allocate/.test(e.message));
  assert.deepEqual(obj.hostile_mix(HONEST, SMALL), mix(HONEST, SMALL));
});

test("a precompiled WebAssembly.Module cannot be capped: growth past maxMemory is a GuestError after the call", async () => {
  const module = new WebAssembly.Module(wasmOf("grow_during_call"));
  const obj = await Hostile.load(module, { maxMemory: 10 * 65536 });
  assert.equal(runtimeOf(obj).capped, false);
  assert.throws(() => obj.hostile_mix(TRIGGER, SMALL), (e) => e instanceof GuestError && /over maxMemory/.test(e.message));
  honestCallsWork(obj);
});

for (const [name, inExport] of [["infinite_loop", ""], ["reset_loops", " \\(in bump_reset\\)"]]) {
  test(`${name}: with a timeout the call is terminated (TimeoutError), memory wiped, the object works`, { timeout: 60_000 }, async () => {
    const obj = await load(name, { timeout: 200 });
    honestCallsWork(obj);
    for (const msg of [SMALL, LARGE]) {
      const old = runtimeOf(obj).memory;
      const t0 = performance.now();
      assert.throws(() => obj.hostile_mix(TRIGGER, msg), (e) => e instanceof TimeoutError && e instanceof TrapError
        && e.function === "hostile_mix" && e.timeout === 200 && new RegExp(`^hostile_mix${inExport} timed out`).test(e.message));
      const elapsed = performance.now() - t0;
      assert.ok(elapsed >= 190 && elapsed < 20_000, `${elapsed} ms`);
      assert.ok(new Uint8Array(old.buffer).every((b) => b === 0), "the old instance's memory was wiped");
      assert.notEqual(runtimeOf(obj).memory, old);
      honestCallsWork(obj);
    }
  });
}

test("timeout: null is no limit; bad values are rejected naming it", async () => {
  honestCallsWork(await load("good", { timeout: null }));
  for (const [bad, cls] of [[0, RangeError], [-1, RangeError], [NaN, RangeError], [Infinity, RangeError], ["1", TypeError], [true, TypeError]]) {
    await assert.rejects(load("good", { timeout: bad }), (e) => e instanceof cls && /^timeout: /.test(e.message));
  }
});

test("alloc_same_twice: a block overlapping a live one is a GuestError, the instance re-created", async () => {
  const obj = await load("alloc_same_twice");
  const rt = runtimeOf(obj);
  assert.equal(rt.persistAlloc(64), 65536);  // a handle's block
  assert.throws(() => obj.hostile_mix(HONEST, LARGE), (e) => e instanceof GuestError && /overlapping a block still in use/.test(e.message));
  assert.equal(rt.generation, 2);
  assert.equal(rt.persistAlloc(64), 65536);
  assert.throws(() => rt.persistAlloc(64), (e) => e instanceof GuestError && /overlapping/.test(e.message));
  assert.equal(rt.generation, 3);
});

for (const name of ["alloc_stuck_zero", "alloc_sticky_zero"]) {
  test(`${name}: an allocator left returning 0 is a GuestError, the re-created instance works`, async () => {
    const obj = await load(name);
    assert.throws(() => obj.hostile_mix(HONEST, new Uint8Array(2_000_000)), (e) => e instanceof GuestError && /could not allocate/.test(e.message));
    const msg = Uint8Array.from({ length: 20_480 }, (_, i) => i & 0xff);  // under both guests' breaking sizes
    for (let i = 0; i < 2; i++) assert.deepEqual(obj.hostile_mix(HONEST, msg), mix(HONEST, msg));
  });
}

test("reset_no_wipe: the host wipes the block itself, so inputs and outputs do not stay behind", async () => {
  const obj = await load("reset_no_wipe");
  const secret = Uint8Array.from({ length: 64 }, (_, i) => (i * 37 + 11) & 0xff);
  const out = obj.hostile_mix(HONEST, secret);
  assert.deepEqual(out, mix(HONEST, secret));
  const mem = Buffer.from(runtimeOf(obj).memory.buffer);
  for (const needle of [secret.subarray(0, 16), HONEST.subarray(0, 16), out.subarray(0, 16)]) {
    assert.equal(mem.indexOf(Buffer.from(needle)), -1);
  }
});

test("writes outside the output into other arena data: the result is right", async () => {
  const obj = await load("writes_outside");
  for (const msg of [SMALL, LARGE]) assert.deepEqual(obj.hostile_mix(TRIGGER, msg), mix(TRIGGER, msg));
  honestCallsWork(obj);
});

for (const [name, message] of [
  ["wrong_signature", /hostile_mix' takes 3 parameters, expected 4/],
  ["no_memory", /memory/],
  ["no_reset", /bump_reset/],
  ["heap_base_i64", /__heap_base/],
  ["heap_base_function", /__heap_base/],
  ["huge_initial", /over maxMemory/],
]) {
  test(`${name}: LoadError`, async () => {
    await assert.rejects(load(name), (e) => e instanceof LoadError && message.test(e.message));
  });
}
