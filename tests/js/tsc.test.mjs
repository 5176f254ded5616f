// `tsc --strict` on a usage file against the generated monocypher.d.ts (and a file of misuses that
// must fail). TypeScript is pinned in tests/js/package.json / package-lock.json; scripts/setup.sh
// installs it with `npm ci --prefix tests/js`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ROOT, generateMonocypher } from "./helpers.mjs";

const TSC = path.join(ROOT, "tests", "js", "node_modules", "typescript", "bin", "tsc");
const { dir } = await generateMonocypher();

function tsc(file) {
  fs.copyFileSync(path.join(ROOT, "tests", "js", file), path.join(dir, file));
  const config = {
    compilerOptions: {
      strict: true, noEmit: true, target: "es2022", module: "nodenext", moduleResolution: "nodenext",
      lib: ["es2022", "dom", "esnext.disposable"], types: [], skipLibCheck: false,
    },
    files: [file],
  };
  fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(config));
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ type: "module" }));
  return spawnSync(process.execPath, [TSC, "-p", dir], { encoding: "utf8" });
}

test("tsc --strict accepts the usage file and rejects misuses", { skip: fs.existsSync(TSC) ? false : "TypeScript not installed (npm ci --prefix tests/js)" }, () => {
  const ok = tsc("usage.ts");
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  const bad = tsc("usage_bad.ts");
  assert.notEqual(bad.status, 0);
  for (const line of [6, 7, 8, 9, 10, 11, 12]) assert.match(bad.stdout, new RegExp(`usage_bad\\.ts\\(${line},`), bad.stdout);
});
