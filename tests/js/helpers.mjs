// Shared by the node:test suites: generate bindings with `wasm-bind --ts` (cargo run -p gen), compile
// hostile .wat guests with wasmtime-py's wat2wasm, and read Monocypher's own vector files.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const PYTHON = process.env.PYTHON ?? "python3";

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed:\n${r.stderr}${r.error ?? ""}`);
  return r;
}

/** Runs `wasm-bind --ts` into a fresh temp dir; returns {dir, stderr, mod} (mod: the imported module). */
export async function generate(header, { config, wasm } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wb-js-"));
  const args = ["run", "-q", "-p", "gen", "--", "--ts", header, "-o", dir];
  if (config) args.push("--config", config);
  if (wasm) args.push("--wasm", wasm);
  const r = run("cargo", args);
  const stem = path.basename(header, ".h");
  const mod = await import(pathToFileURL(path.join(dir, `${stem}.js`)).href);
  return { dir, stderr: r.stderr, mod, stem };
}

export const generateMonocypher = () =>
  generate("target/guests/monocypher/monocypher.h", { config: "guests/monocypher/monocypher.toml" });

/** The bytes of a .wat file compiled with wasmtime-py's wat2wasm. */
export function wat2wasm(file) {
  const code = "import wasmtime,sys; sys.stdout.buffer.write(wasmtime.wat2wasm(open(sys.argv[1]).read()))";
  const r = spawnSync(PYTHON, ["-c", code, path.join(ROOT, file)], { cwd: ROOT });
  if (r.status !== 0) throw new Error(`wat2wasm ${file}: ${r.stderr}`);
  return new Uint8Array(r.stdout);
}

/** The bytes of WebAssembly text `wat` compiled with wasmtime-py's wat2wasm. */
export function watText2wasm(wat) {
  const code = "import wasmtime,sys; sys.stdout.buffer.write(wasmtime.wat2wasm(sys.stdin.read()))";
  const r = spawnSync(PYTHON, ["-c", code], { cwd: ROOT, input: wat });
  if (r.status !== 0) throw new Error(`wat2wasm: ${r.stderr}`);
  return new Uint8Array(r.stdout);
}

/** Cases of Monocypher's vector file `name` (tests/gen/vectors in monocypher-sys), `per` tokens each. */
export function vectorCases(name, per) {
  const src = run(PYTHON, [path.join(ROOT, "guests", "locate_monocypher.py"), ROOT]).stdout.trim();
  const text = fs.readFileSync(path.join(src, "tests", "gen", "vectors", name), "utf8")
    .split("\n").filter((l) => !l.trimStart().startsWith("#")).join("\n");
  const parts = text.split(":");
  if (parts.pop().trim() !== "") throw new Error(`${name}: trailing data`);
  const toks = parts.map((p) => Buffer.from(p.replace(/\s/g, ""), "hex"));
  if (toks.length === 0 || toks.length % per !== 0) throw new Error(`${name}: ${toks.length} tokens`);
  const out = [];
  for (let i = 0; i < toks.length; i += per) out.push(toks.slice(i, i + per));
  return out;
}

export const hex = (b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("hex");
