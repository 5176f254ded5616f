// ---- wasm-bind JavaScript runtime (embedded by `wasm-bind --ts`; no dependency) ----
// Safety model (docs/safety.md): inputs are copied into one per-call arena block, outputs copied
// out (never a view into guest memory), every guest pointer is masked (>>> 0) and bounds-checked
// against the memory size re-read after each guest call (views are re-created after every one), the
// arena is reset (wiped) in `finally`, and a trap or a broken guest wipes the memory and
// re-instantiates the module, so the object stays usable.
// Limits: `maxMemory` is written into the module's memory maximum before compiling (memory.grow
// past it fails inside the guest, as under wasmtime's limiter); a precompiled WebAssembly.Module
// cannot be changed, so for it growth past the cap is detected after the call (GuestError).
// `timeout` (Node only): the call runs under node:vm's watchdog, which terminates V8 execution
// (wasm loops included) once the limit passes. A browser cannot interrupt a synchronous call on
// its own thread: there, run the module in a Worker and terminate() it.

class WasmBindError extends globalThis.Error {
  constructor(message) {
    super(message);
    this.name = new.target.name;
  }
}
class StatusError extends WasmBindError {
  constructor(fn, status, reason = null) {
    super(reason === null ? `${fn} failed with status ${status}` : `${fn} failed with status ${status}: ${reason}`);
    this.function = fn;
    this.status = status;
    this.reason = reason;
  }
}
class TrapError extends WasmBindError {
  constructor(fn, message) {
    super(`${fn}: the guest trapped (${message}); the instance was re-created`);
    this.function = fn;
  }
}
/** The call ran longer than the `timeout` option (ms) and was terminated; the instance was re-created. */
class TimeoutError extends TrapError {
  constructor(fn, timeout, inExport) {
    super(fn, "");
    const where = inExport !== null && inExport !== fn ? ` (in ${inExport})` : "";
    this.message = `${fn}${where} timed out: still running after ${timeout} ms; the instance was re-created (raise the timeout option of load(), or leave it out for no limit)`;
    this.timeout = timeout;
  }
}
class GuestError extends WasmBindError {}
class LoadError extends WasmBindError {}

const __wbRt = Symbol("wasm-bind runtime");
const __wbDispose = Symbol.dispose ?? Symbol.for("Symbol.dispose");
const __WB_MAX_MEMORY = 256 * 1024 * 1024;
const __wbIsNode = typeof process !== "undefined" && process.versions != null && process.versions.node != null;
const __wbUtf8 = new TextEncoder();
/** node:vm's script runner for calls with a timeout ({ sandbox, context, script }), set up by load(). */
let __wbVm = null;

function __wbR8(n) { return Math.ceil(n / 8) * 8; }
function __wbAlign(n, a) { return Math.ceil(n / a) * a; }

/** Bytes of a Uint8Array / ArrayBuffer / any ArrayBufferView, or a TypeError naming `name`. */
function __wbBytes(v, name, size) {
  let b;
  if (v instanceof Uint8Array) b = v;
  else if (ArrayBuffer.isView(v)) b = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  else if (v instanceof ArrayBuffer) b = new Uint8Array(v);
  else throw new TypeError(`${name}: expected a Uint8Array (or another ArrayBufferView), got ${__wbWhat(v)}`);
  if (size >= 0 && b.length !== size) throw new RangeError(`${name}: expected ${size} bytes, got ${b.length}`);
  return b;
}

/** Elements of a typed array `T` (or an array of numbers / bigints) as bytes, range-checked. */
function __wbElems(v, T, name, size, lo, hi) {
  let a;
  if (v instanceof T) a = v;
  else if (Array.isArray(v)) {
    a = new T(v.length);
    v.forEach((x, i) => {
      if (lo !== null) a[i] = __wbInt(x, `${name}[${i}]`, lo, hi);
      else if (typeof x === "number") {
        a[i] = x;
        if (T === Float32Array && Number.isFinite(x) && !Number.isFinite(a[i])) throw new RangeError(`${name}[${i}]: ${x} does not fit a C float`);
      }
      else throw new TypeError(`${name}[${i}]: expected a number, got ${__wbWhat(x)}`);
    });
  } else throw new TypeError(`${name}: expected a ${T.name} or an array of numbers, got ${__wbWhat(v)}`);
  if (size >= 0 && a.length !== size) throw new RangeError(`${name}: expected ${size} elements, got ${a.length}`);
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** A float / double argument: a number (NaN, infinities and -0 pass); for a C float (`f32`), a finite value that
 * rounds to infinity is a RangeError rather than a silent Infinity. */
function __wbFloat(v, name, f32) {
  if (typeof v !== "number") throw new TypeError(`${name}: expected a number, got ${__wbWhat(v)}`);
  if (f32 && Number.isFinite(v) && !Number.isFinite(Math.fround(v))) throw new RangeError(`${name}: ${v} does not fit a C float`);
  return v;
}

/** An integer in [lo, hi] (numbers or bigints given as bigint bounds when 64-bit). */
function __wbInt(v, name, lo, hi) {
  if (typeof lo === "bigint") {
    if (typeof v === "number" && Number.isSafeInteger(v)) v = BigInt(v);
    if (typeof v !== "bigint") throw new TypeError(`${name}: expected a bigint, got ${__wbWhat(v)}`);
  } else if (typeof v !== "number" || !Number.isInteger(v)) {
    throw new TypeError(`${name}: expected an integer number, got ${__wbWhat(v)}`);
  }
  if (v < lo || v > hi) throw new RangeError(`${name}: ${v} is out of range [${lo}, ${hi}]`);
  return v;
}

/** A C `bool` argument: a boolean, or the integer 0 or 1; passed as 0 / 1. */
function __wbBool(v, name) {
  if (typeof v === "boolean") return v ? 1 : 0;
  return __wbInt(v, name, 0, 1);
}

function __wbStr(v, name) {
  if (typeof v !== "string") throw new TypeError(`${name}: expected a string, got ${__wbWhat(v)}`);
  const b = __wbUtf8.encode(v);
  if (b.includes(0)) throw new RangeError(`${name}: the string contains a NUL character`);
  return b;
}

/** The little-endian bytes of an in/out scalar's initial value. */
function __wbScalar(v, size, set) {
  const b = new Uint8Array(size);
  new DataView(b.buffer)[set](0, v, true);
  return b;
}

/** The first `n` elements of output `a`: a count past its end is the guest's error, never an over-read. */
function __wbTrunc(a, n, name) {
  n = Number(n);
  if (!(n >= 0 && n <= a.length)) throw new GuestError(`${name}: the guest reported ${n} elements written, the buffer holds ${a.length}`);
  return a.slice(0, n);
}

/** The text a function wrote into output `a` (`out_str`): cut at the first NUL, strict UTF-8. */
function __wbText(a, name) {
  const end = a.indexOf(0);
  if (end < 0) throw new GuestError(`${name}: no NUL within its ${a.length} bytes`);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(a.subarray(0, end));
  } catch {
    throw new GuestError(`${name}: the string written is not valid UTF-8`);
  }
}

function __wbWhat(v) {
  return v === null ? "null" : typeof v === "object" ? (v.constructor?.name ?? "object") : typeof v;
}

/** Writes `result` back into the caller's in/out buffer `target` (a view or an array). */
function __wbWriteBack(target, result) {
  if (Array.isArray(target)) result.forEach((x, i) => { target[i] = x; });
  else __wbBytes(target, "", -1).set(new Uint8Array(result.buffer, result.byteOffset, result.byteLength));
}

/** Reads an unsigned LEB128 at `b[at]`: [value, next position]. */
function __wbLeb(b, at) {
  let v = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    if (at >= b.length) throw new globalThis.Error("truncated LEB128");
    const x = b[at++];
    v += (x & 0x7f) * 2 ** shift;
    if ((x & 0x80) === 0) return [v, at];
  }
  throw new globalThis.Error("LEB128 too long");
}

function __wbLebBytes(v) {
  const out = [];
  do {
    let x = v % 128;
    v = Math.floor(v / 128);
    if (v > 0) x |= 0x80;
    out.push(x);
  } while (v > 0);
  return out;
}

/** The module bytes with the maximum of its one defined 32-bit memory set to at most `maxPages`
 *  (memory.grow past it then fails inside the guest), or `b` unchanged when there is nothing to cap
 *  (no memory section, an initial size already over the cap: instantiate reports it). */
function __wbCapMemory(b, maxPages) {
  if (b.length < 8) return b;
  let at = 8;
  while (at < b.length) {
    const id = b[at];
    const [size, body] = __wbLeb(b, at + 1);
    if (id !== 5) {
      at = body + size;
      continue;
    }
    let [count, p] = __wbLeb(b, body);
    const flags = b[p];
    if (count !== 1 || (flags !== 0 && flags !== 1)) return b;  // shared / 64-bit / several: leave it
    const [min, q] = __wbLeb(b, p + 1);
    let max = maxPages;
    let end = q;
    if (flags === 1) {
      const [declared, r] = __wbLeb(b, q);
      max = Math.min(declared, maxPages);
      end = r;
    }
    if (min > max || end !== body + size) return b;
    const content = [1, 1, ...__wbLebBytes(min), ...__wbLebBytes(max)];  // one memory, flags: min and max
    const head = [5, ...__wbLebBytes(content.length)];
    const out = new Uint8Array(at + head.length + content.length + (b.length - end));
    out.set(b.subarray(0, at), 0);
    out.set(head, at);
    out.set(content, at + head.length);
    out.set(b.subarray(end), at + head.length + content.length);
    return out;
  }
  return b;
}

/** The compiled module of `source` (or `fallback`), its memory capped at `maxMemory` when the
 *  bytes are ours to compile: { module, capped }. */
async function __wbCompile(source, fallback, maxMemory) {
  if (source instanceof WebAssembly.Module) return { module: source, capped: false };
  const src = source ?? fallback;
  try {
    let bytes;
    if (ArrayBuffer.isView(src)) bytes = new Uint8Array(src.buffer, src.byteOffset, src.byteLength);
    else if (src instanceof ArrayBuffer) bytes = new Uint8Array(src);
    else if (typeof src !== "string" && !(src instanceof URL)) {
      throw new TypeError(`expected a URL, a path, bytes or a WebAssembly.Module, got ${__wbWhat(src)}`);
    } else {
      const isUrl = src instanceof URL || /^[a-z][a-z0-9+.-]+:/i.test(src);
      const url = isUrl ? new URL(src) : null;
      if (__wbIsNode && (url === null || url.protocol === "file:")) {
        const fs = await import("node:fs/promises");
        bytes = new Uint8Array(await fs.readFile(url ?? src));
      } else {
        const resp = await fetch(url ?? src);
        if (!resp.ok) throw new globalThis.Error(`HTTP ${resp.status}`);
        bytes = new Uint8Array(await resp.arrayBuffer());
      }
    }
    let capped = bytes;
    try {
      capped = __wbCapMemory(bytes, Math.floor(maxMemory / 65536));
    } catch {
      capped = bytes;  // not a well-formed module: let compile() say why
    }
    return { module: await WebAssembly.compile(capped), capped: capped !== bytes };
  } catch (e) {
    throw new LoadError(`${String(src)}: cannot load the wasm module: ${e.message}`);
  }
}

/** One guest instance: the checked arena protocol every generated method calls through. */
class WbRuntime {
  /** spec: { functions: {name: arity}, alloc, reset, persist: bool }; options: { maxMemory, timeout } */
  static async load(source, fallback, spec, options) {
    const maxMemory = options?.maxMemory ?? __WB_MAX_MEMORY;
    __wbInt(maxMemory, "maxMemory", 65536, 2 ** 32);
    const timeout = options?.timeout ?? null;
    if (timeout !== null) {
      if (typeof timeout !== "number") throw new TypeError(`timeout: expected a number of milliseconds (or null for no limit), got ${__wbWhat(timeout)}`);
      if (!(timeout >= 1 && timeout <= 2 ** 31 - 1)) throw new RangeError(`timeout: ${timeout} ms is outside 1..${2 ** 31 - 1} (null: no limit)`);
      if (!__wbIsNode) {
        throw new LoadError("timeout: this JS engine cannot interrupt a synchronous wasm call on its own thread (only Node can, through node:vm); run the module in a Worker and terminate() it instead");
      }
      if (__wbVm === null) {
        const vm = await import("node:vm");
        const sandbox = { thunk: null };
        __wbVm = { sandbox, context: vm.createContext(sandbox), script: new vm.Script("thunk()") };
      }
    }
    const { module, capped } = await __wbCompile(source, fallback, maxMemory);
    const where = source instanceof WebAssembly.Module ? "WebAssembly.Module" : String(source ?? fallback);
    if (WebAssembly.Module.imports(module).length > 0) {
      const names = WebAssembly.Module.imports(module).map((i) => `${i.module}.${i.name}`).join(", ");
      throw new LoadError(`${where}: the wasm module imports ${names}; wasm-bind guests must import nothing`);
    }
    return new WbRuntime(module, where, spec, { maxMemory, capped, timeout: timeout === null ? null : Math.ceil(timeout) });
  }

  constructor(module, where, spec, limits) {
    this.module = module;
    this.where = where;
    this.spec = spec;
    this.maxMemory = limits.maxMemory;
    /** True when the engine itself refuses growth past maxMemory (the module's maximum was capped). */
    this.capped = limits.capped;
    /** Milliseconds, or null: no limit. */
    this.timeout = limits.timeout;
    /** True while a call runs under the watchdog (nested guest calls are not re-armed). */
    this.timing = false;
    /** The guest export running now (null between calls): a timeout names it. */
    this.inExport = null;
    this.generation = 0;
    this.instantiate();
  }

  instantiate() {
    let inst;
    try {
      inst = new WebAssembly.Instance(this.module, {});
    } catch (e) {
      throw new LoadError(`${this.where}: instantiation failed: ${e.message}`);
    }
    const ex = inst.exports;
    if (!(ex.memory instanceof WebAssembly.Memory)) throw new LoadError(`${this.where}: no exported 'memory'`);
    const need = { ...this.spec.functions, [this.spec.alloc]: 1, [this.spec.reset]: 0 };
    if (this.spec.persist) Object.assign(need, { wb_persist_alloc: 1, wb_persist_free: 2 });
    for (const [name, arity] of Object.entries(need)) {
      if (typeof ex[name] !== "function") throw new LoadError(`${this.where}: missing export function '${name}'`);
      if (ex[name].length !== arity) {
        throw new LoadError(`${this.where}: export '${name}' takes ${ex[name].length} parameters, expected ${arity}`);
      }
    }
    if (ex.memory.buffer.byteLength > this.maxMemory) {
      throw new LoadError(`${this.where}: initial memory ${ex.memory.buffer.byteLength} bytes is over maxMemory ${this.maxMemory}`);
    }
    this.heapBase = 1;
    if ("__heap_base" in ex) {
      const v = ex.__heap_base instanceof WebAssembly.Global ? ex.__heap_base.value : undefined;
      if (typeof v !== "number") throw new LoadError(`${this.where}: export '__heap_base' is not an i32 global`);
      this.heapBase = Math.max(1, v >>> 0);
    }
    this.ex = ex;
    this.memory = ex.memory;
    /** A SharedArrayBuffer does not detach when the memory grows: its view is re-read each time. */
    this.shared = typeof SharedArrayBuffer !== "undefined" && ex.memory.buffer instanceof SharedArrayBuffer;
    this.u8 = new Uint8Array(ex.memory.buffer);
    this.dv = new DataView(this.u8.buffer);
    this.alloc = ex[this.spec.alloc];
    this.reset = ex[this.spec.reset];
    this.live = new Map();
    this.generation += 1;
    this.untrusted = false;
  }

  /** The byte view of all of guest memory, valid now: call it after every guest call. Growth
   *  replaces the memory's ArrayBuffer and detaches the old one, whose views then read as length 0,
   *  so a view of length 0 is re-created (as is every view of a shared memory); reading
   *  `memory.buffer` each time would cost more than the rest of a small call. */
  mem() {
    if (this.u8.length === 0 || this.shared) {
      this.u8 = new Uint8Array(this.memory.buffer);
      this.dv = new DataView(this.u8.buffer);
    }
    return this.u8;
  }

  /** A DataView of all of guest memory, valid now (see mem()). */
  view() {
    this.mem();
    return this.dv;
  }

  /** After a trap or a broken guest: wipe all of linear memory, then a fresh instance. */
  recreate() {
    try { new Uint8Array(this.memory.buffer).fill(0); } finally { this.instantiate(); }
  }

  broken(message) {
    this.untrusted = true;
    return new GuestError(`${message} (the instance was re-created)`);
  }

  /** Checks a block [ptr, ptr+n) an allocator returned: above __heap_base, inside memory, not overlapping. */
  claim(ptr, n, what) {
    const size = this.mem().length;
    if (ptr === 0) throw this.broken(`${what} could not allocate ${n} bytes`);
    if (ptr < this.heapBase) throw this.broken(`${what} returned 0x${ptr.toString(16)}, below the guest heap`);
    if (ptr + n > size) throw this.broken(`${what} returned [0x${ptr.toString(16)}, +${n}), outside guest memory (${size} bytes)`);
    if (this.live.size === 0) return;
    for (const [start, len] of this.live) {
      if (start < ptr + Math.max(n, 1) && ptr < start + len) {
        throw this.broken(`${what} returned 0x${ptr.toString(16)}, overlapping a block still in use`);
      }
    }
  }

  guestCall(fn, name, args) {
    this.inExport = name;
    try {
      const r = fn(...args);
      this.inExport = null;
      return r;
    } catch (e) {
      this.inExport = null;
      this.trapped = true;
      throw new TrapError(name, e.message);
    }
  }

  /** Runs `thunk` (guest calls and their host bookkeeping) under node:vm's watchdog when a timeout
   *  is set: past it V8 terminates execution (no catch or finally of the thunk runs), the memory is
   *  wiped and the instance re-created, and the call fails with TimeoutError. */
  timed(name, thunk) {
    if (this.timing) return thunk();
    this.timing = true;
    __wbVm.sandbox.thunk = thunk;
    try {
      return __wbVm.script.runInContext(__wbVm.context, { timeout: this.timeout });
    } catch (e) {
      if (e?.code !== "ERR_SCRIPT_EXECUTION_TIMEOUT") throw e;
      const inExport = this.inExport;
      this.recreate();
      throw new TimeoutError(name, this.timeout, inExport);
    } finally {
      this.timing = false;
      this.inExport = null;
      __wbVm.sandbox.thunk = null;
    }
  }

  /** One call: allocate `block` bytes, zero them, write `inputs` ([offset, bytes]), add the block's
   *  address to `args[i]` for `i` in `ptrs`, write the guest address of each fixup's region into the
   *  struct field at its block offset ([at, region]), call, copy out `outs` ([offset, nbytes]);
   *  always reset. */
  invoke(name, block, inputs, args, ptrs, outs, fixups = []) {
    if (this.timeout !== null && !this.timing) {
      return this.timed(name, () => this.invoke(name, block, inputs, args, ptrs, outs, fixups));
    }
    if (block > 0xffffffff) throw new RangeError(`${name}: the arguments need ${block} bytes, more than a 32-bit guest holds`);
    // Before any guest call, as Python and Rust do: an allocation the memory cap refuses would cost the
    // instance (and every handle in it) for what is a caller's mistake.
    if (block > this.maxMemory) throw new RangeError(`${name}: the arguments need ${block} bytes of guest memory, more than maxMemory (${this.maxMemory} bytes)`);
    this.trapped = false;
    let base = 0;
    let ok = false;
    try {
      if (block > 0) {
        base = this.guestCall(this.alloc, this.spec.alloc, [block]) >>> 0;
        this.claim(base, block, this.spec.alloc);
        const mem = this.mem();
        mem.fill(0, base, base + block);
        for (let k = 0; k < inputs.length; k++) mem.set(inputs[k][1], base + inputs[k][0]);
        for (let k = 0; k < ptrs.length; k++) args[ptrs[k]] = (base + args[ptrs[k]]) | 0;
        for (let k = 0; k < fixups.length; k++) this.dv.setUint32(base + fixups[k][0], base + fixups[k][1], true);
      }
      const ret = this.guestCall(this.ex[name], name, args);
      const mem = this.mem();
      const size = mem.length;
      if (size > this.maxMemory) throw this.broken(`${name}: guest memory grew to ${size} bytes, over maxMemory ${this.maxMemory}`);
      const got = new Array(outs.length);
      for (let k = 0; k < outs.length; k++) {
        const at = base + outs[k][0];
        if (at + outs[k][1] > size) throw this.broken(`${name}: output outside guest memory`);
        got[k] = mem.slice(at, at + outs[k][1]);
      }
      ok = true;
      return [ret, got];
    } finally {
      this.finish(name, base, block, ok);
    }
  }

  finish(name, base, block, ok) {
    if (this.trapped || this.untrusted) {
      this.recreate();
      return;
    }
    if (block > 0) {
      const mem = this.mem();
      mem.fill(0, base, Math.min(base + block, mem.length));
    }
    try {
      this.guestCall(this.reset, this.spec.reset, []);
    } catch (e) {
      this.recreate();
      if (ok) throw e;
    }
  }

  /** Calls helper export `name` (integer arguments and result, e.g. LZ4_compressBound), then resets. */
  helper(name, args) {
    if (this.timeout !== null && !this.timing) return this.timed(name, () => this.helper(name, args));
    this.trapped = false;
    let ok = false;
    try {
      const r = this.guestCall(this.ex[name], name, args);
      ok = true;
      return r;
    } finally {
      this.finish(name, 0, 0, ok);
    }
  }

  /** The library's message for a failed value: helper export `name` (e.g. ZSTD_getErrorName) given `code`, its
   *  NUL-terminated string read at most 4096 bytes (cut there), invalid UTF-8 replaced; null for NULL or an address
   *  outside guest memory: a message never hides the status it explains. */
  message(name, code) {
    const ptr = this.helper(name, [code]) >>> 0;
    const mem = this.mem();
    if (ptr === 0 || ptr >= mem.length) return null;
    const window = mem.subarray(ptr, Math.min(mem.length, ptr + 4096));
    const end = window.indexOf(0);
    return new TextDecoder("utf-8").decode(window.slice(0, end < 0 ? window.length : end));
  }

  /** The NUL-terminated UTF-8 string at guest address `ptr`, looking at most at `max` bytes. */
  cstr(ptr, max, name) {
    const mem = this.mem();
    if (ptr === 0) throw new GuestError(`${name} returned a NULL string`);
    const end = mem.subarray(ptr, Math.min(mem.length, ptr + max + 1)).indexOf(0);
    if (ptr >= mem.length || end < 0) throw new GuestError(`${name}: no NUL within ${max} bytes of the returned string (or it lies outside guest memory)`);
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(mem.slice(ptr, ptr + end));
    } catch {
      throw new GuestError(`${name} returned a string that is not valid UTF-8`);
    }
  }

  /** A zeroed persistent block of `n` bytes (a handle's struct). */
  persistAlloc(n) {
    if (this.timeout !== null && !this.timing) return this.timed("wb_persist_alloc", () => this.persistAlloc(n));
    try {
      const ptr = this.guestCall(this.ex.wb_persist_alloc, "wb_persist_alloc", [n]) >>> 0;
      this.claim(ptr, n, "wb_persist_alloc");
      this.mem().fill(0, ptr, ptr + n);
      this.live.set(ptr, Math.max(n, 1));
      return ptr;
    } catch (e) {
      this.recreate();  // a trap or a broken allocator: the guest cannot be trusted
      throw e;
    }
  }

  /** Wipes and frees a persistent block of the current generation (a stale one died with its
   *  instance). Never throws (it also runs from the finalization registry): a trap re-creates. */
  persistFree(ptr, n, generation) {
    if (generation !== this.generation || !this.live.has(ptr)) return;
    if (this.timeout !== null && !this.timing) {
      try {
        this.timed("wb_persist_free", () => this.persistFree(ptr, n, generation));
      } catch {
        // TimeoutError: timed() already re-created the instance.
      }
      return;
    }
    this.live.delete(ptr);
    try {
      this.mem().fill(0, ptr, ptr + n);
      this.guestCall(this.ex.wb_persist_free, "wb_persist_free", [ptr | 0, n]);
    } catch {
      this.recreate();
    }
  }

  /** The guest address an exported data symbol's wasm global holds (masked to u32): LoadError when
   *  the export is missing or not a global, GuestError when its value is not an i32 address. */
  globalAddress(name) {
    const g = this.ex[name];
    if (g === undefined) throw new LoadError(`${this.where}: the wasm module does not export global '${name}'`);
    if (!(g instanceof WebAssembly.Global)) {
      const kind = typeof g === "function" ? "func" : g instanceof WebAssembly.Memory ? "memory" : "table";
      throw new LoadError(`${this.where}: export '${name}' is a ${kind}, expected a global holding its address`);
    }
    const v = g.value;
    if (typeof v !== "number" || !Number.isInteger(v)) throw new GuestError(`global '${name}' is not an i32 address`);
    return v >>> 0;
  }

  /** A copy of the `n` bytes at guest address `addr` (GuestError naming `what` when outside memory). */
  read(addr, n, what) {
    const size = this.mem().length;
    if (!(n >= 0 && addr + n <= size)) {
      throw new GuestError(`${what}: [0x${addr.toString(16)}, +${n}) lies outside guest memory (${size} bytes)`);
    }
    return this.mem().slice(addr, addr + n);
  }

  /** Reads an integer field of `size` bytes at `addr` (little-endian), bounds-checked. */
  load(addr, size, signed) {
    const view = this.view();
    if (addr + size > view.byteLength) throw this.broken(`field read outside guest memory`);
    switch (size) {
      case 1: return signed ? view.getInt8(addr) : view.getUint8(addr);
      case 2: return signed ? view.getInt16(addr, true) : view.getUint16(addr, true);
      case 4: return signed ? view.getInt32(addr, true) : view.getUint32(addr, true);
      default: return Number(signed ? view.getBigInt64(addr, true) : view.getBigUint64(addr, true));
    }
  }
}

/** Base of every handle class: a struct in one instance's persistent memory. */
class WbHandle {
  static #registry = new FinalizationRegistry(([rt, ptr, n, gen]) => rt.persistFree(ptr, n, gen));

  constructor(owner, size) {
    const rt = owner?.[__wbRt];
    if (rt === undefined) throw new TypeError(`owner: expected a loaded module object, got ${__wbWhat(owner)}`);
    this[__wbRt] = rt;
    this.ptr = rt.persistAlloc(size);
    this.size = size;
    this.generation = rt.generation;
    WbHandle.#registry.register(this, [rt, this.ptr, size, this.generation], this);
  }

  /** True once close() ran. */
  get closed() { return this.ptr === 0; }

  /** Wipes and frees the guest memory; later calls do nothing. */
  close() {
    if (this.ptr === 0) return;
    WbHandle.#registry.unregister(this);
    const ptr = this.ptr;
    this.ptr = 0;
    this[__wbRt].persistFree(ptr, this.size, this.generation);
  }

  [__wbDispose]() { this.close(); }
}

/** The guest address of handle `h` (of class `T`) for a call on runtime `rt`. */
function __wbHandle(h, T, name, rt) {
  if (!(h instanceof T)) throw new TypeError(`${name}: expected ${T.name}, got ${__wbWhat(h)}`);
  if (h[__wbRt] !== rt) throw new TypeError(`${name}: the handle belongs to another instance`);
  if (h.ptr === 0) throw new TypeError(`${name}: the handle is closed`);
  if (h.generation !== rt.generation) throw new TypeError(`${name}: the handle died with its instance (a trap re-created it)`);
  return h.ptr;
}
// ---- end of the runtime ----
