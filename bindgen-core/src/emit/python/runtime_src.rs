//! The Python runtime source (`python/wasm_bind_runtime/_runtime.py`) as generated modules use it:
//! split for pasting into a module (`--inline-runtime`: its docstring becomes comments and its
//! top-level imports are hoisted and merged with the module's own, so the single file has every
//! import at the top (ruff E402) and none twice (ruff F811)), or the import statement of exactly
//! the runtime names a module uses (shared package / bundled copy), plus the protocol and version
//! facts the generator reads from the runtime package.

use std::collections::{BTreeMap, BTreeSet, HashSet};

/// The public names every generated module re-exports from the runtime (its `__all__` lists
/// them): the errors and the runtime function that `plan::names` reserves.
fn public() -> impl Iterator<Item = &'static str> {
    use crate::plan::names::python::{ERRORS, RUNTIME_FUNCTION};
    ERRORS.iter().copied().chain([RUNTIME_FUNCTION])
}

/// `PROTOCOL = N` in the runtime package's `__init__.py` (0 when absent: a test catches it).
pub fn protocol(init: &str) -> u32 {
    init.lines()
        .find_map(|l| l.strip_prefix("PROTOCOL = "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0)
}

/// `__version__ = "X"` in the runtime package's `__init__.py`.
pub fn version(init: &str) -> String {
    init.lines()
        .find_map(|l| l.strip_prefix("__version__ = "))
        .map(|v| v.trim().trim_matches('"').to_owned())
        .unwrap_or_default()
}

/// The pip requirement for the wasmtime-py range `_WB_WASMTIME_FAST_VERSIONS = ((50, 0), (51, 0))`
/// of the runtime: `wasmtime>=45.0,<52.0`.
pub fn wasmtime_requirement(runtime: &str) -> String {
    let line = runtime
        .lines()
        .find_map(|l| l.strip_prefix("_WB_WASMTIME_FAST_VERSIONS = "))
        .unwrap_or("");
    let nums: Vec<&str> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|n| !n.is_empty())
        .collect();
    match nums.as_slice() {
        [a, b, c, d] => format!("wasmtime>={a}.{b},<{c}.{d}"),
        _ => "wasmtime".to_owned(),
    }
}

/// Python keywords that open a top-level line (`try:`, `if x:`): never names.
const KEYWORDS: &[&str] = &[
    "try", "except", "finally", "if", "elif", "else", "for", "while", "with", "async", "match",
    "case",
];

/// Names the runtime defines at top level (`def`, `class`, assignments), in sorted order.
pub fn defined_names(runtime: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for line in runtime.lines() {
        let rest = line
            .strip_prefix("def ")
            .or_else(|| line.strip_prefix("class "))
            .unwrap_or(line);
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let after = rest[name.len()..].trim_start();
        let is_def = rest.len() != line.len();
        if !name.is_empty()
            && !KEYWORDS.contains(&name.as_str())
            && !name.starts_with(|c: char| c.is_ascii_digit())
            && (is_def
                || after.starts_with('=') && !after.starts_with("==")
                || after.starts_with(':'))
        {
            names.insert(name);
        }
    }
    names
}

/// Every identifier in Python `text` outside comments (strings included: a name only in a string
/// costs at most one unneeded import). Borrowed and hashed: linear in the text's length.
pub fn identifiers(text: &str) -> HashSet<&str> {
    let mut out = HashSet::new();
    for line in text.lines() {
        let code = line.split_once('#').map_or(line, |(c, _)| c);
        let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
        for word in code.split(|c: char| !is_word(c)) {
            if !word.is_empty() && !word.starts_with(|c: char| c.is_ascii_digit()) {
                out.insert(word);
            }
        }
    }
    out
}

/// The module's own import statements (one-line forms) reduced to the names `used` holds;
/// `from __future__` always stays.
pub fn used_imports(imports: &[&str], used: &HashSet<&str>) -> Vec<String> {
    let mut out = Vec::new();
    for stmt in imports {
        if stmt.starts_with("from __future__") {
            out.push((*stmt).to_owned());
        } else if let Some(module) = stmt.strip_prefix("import ") {
            let first = module.split('.').next().unwrap_or(module);
            if used.contains(first) {
                out.push((*stmt).to_owned());
            }
        } else if let Some((module, names)) = stmt
            .strip_prefix("from ")
            .and_then(|r| r.split_once(" import "))
        {
            let kept: Vec<&str> = names
                .split(',')
                .map(str::trim)
                .filter(|n| used.contains(*n))
                .collect();
            if !kept.is_empty() {
                out.push(format!("from {module} import {}", kept.join(", ")));
            }
        }
    }
    let future: Vec<String> = out
        .iter()
        .filter(|l| l.starts_with("from __future__"))
        .cloned()
        .collect();
    let mut plain: Vec<String> = out
        .iter()
        .filter(|l| l.starts_with("import "))
        .cloned()
        .collect();
    let mut from: Vec<String> = out
        .iter()
        .filter(|l| l.starts_with("from ") && !l.starts_with("from __future__"))
        .cloned()
        .collect();
    plain.sort();
    from.sort();
    future.into_iter().chain(plain).chain(from).collect()
}

/// The statements importing the runtime names `used` mentions: from the shared package after its
/// protocol check (a missing package is an ImportError saying how to install it), or from the
/// bundled copy beside a package's `__init__.py`.
pub fn runtime_import(
    runtime: &str,
    used: &HashSet<&str>,
    bundled: bool,
    protocol: u32,
    stem: &str,
) -> String {
    let names: Vec<String> = defined_names(runtime)
        .into_iter()
        .filter(|n| used.contains(n.as_str()) || public().any(|p| p == n))
        .collect();
    let list: String = names.iter().map(|n| format!("    {n},\n")).collect();
    if bundled {
        let module = super::BUNDLED_RUNTIME_FILE.trim_end_matches(".py");
        return format!("\n# The wasm-bind runtime bundled with this package ({module}.py).\nfrom .{module} import (\n{list})");
    }
    format!(
        "\n# The wasm-bind runtime, shared by every generated module of the process (package wasm_bind_runtime);\n\
         # importing PROTOCOL_{protocol} fails with an ImportError naming both versions when it speaks another protocol.\n\
         try:\n    from wasm_bind_runtime import PROTOCOL_{protocol}  # noqa: F401\n\
         except ModuleNotFoundError as _wb_missing:\n    if _wb_missing.name != \"wasm_bind_runtime\":\n        raise\n\
         \x20   raise ImportError(\"{stem}: this generated module needs the wasm-bind Python runtime (package wasm_bind_runtime, \"\n\
         \x20                     \"protocol {protocol}), which is not installed. Fix: pip install <wasm-bind checkout>/python, \"\n\
         \x20                     \"or regenerate the module with `gen --py --inline-runtime` (self-contained)\") from None\n\
         from wasm_bind_runtime._runtime import (\n{list})"
    )
}

/// The stub's re-export of the runtime's public names (`from X import Error as Error, ...`), with
/// `Wasi` and `Captured` for a libc guest (`wasi`), `HandleError` for library-owned handles or
/// guest buffers (`owned`), `GuestBuffer` and `GuestSpan` for guest buffers (`buffers`).
pub fn stub_reexport(bundled: bool, wasi: bool, owned: bool, buffers: bool) -> String {
    let module = if bundled {
        format!(".{}", super::BUNDLED_RUNTIME_FILE.trim_end_matches(".py"))
    } else {
        "wasm_bind_runtime".to_owned()
    };
    let wasi_names: &[&str] = if wasi { &["Wasi", "Captured"] } else { &[] };
    let owned_names: &[&str] = if owned { &["HandleError"] } else { &[] };
    let buffer_names: &[&str] = if buffers {
        &["GuestBuffer", "GuestSpan"]
    } else {
        &[]
    };
    let list: String = public()
        .chain(wasi_names.iter().copied())
        .chain(owned_names.iter().copied())
        .chain(buffer_names.iter().copied())
        .map(|n| format!("    {n} as {n},\n"))
        .collect();
    format!("from {module} import (\n{list})")
}

/// The runtime, ready to paste.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuntimeParts {
    /// Every import the module needs, one statement per line, `import x` lines first.
    pub imports: Vec<String>,
    /// The runtime's docstring as `# ` comment lines.
    pub doc_comment: String,
    /// The runtime's code after its docstring and top-level imports.
    pub body: String,
}

/// Splits `runtime` and merges its top-level imports with `extra` (same one-line forms).
pub fn split(runtime: &str, extra: &[&str]) -> RuntimeParts {
    let lines: Vec<&str> = runtime.lines().collect();
    let (doc, rest) = leading_docstring(&lines);
    let mut imports = Imports::default();
    for e in extra {
        imports.add(e);
    }
    let body = hoist_imports(&lines[rest..], &mut imports);
    RuntimeParts {
        imports: imports.finish(),
        doc_comment: doc_comment(doc),
        body,
    }
}

/// The leading docstring's lines (`"""..."""` or `'''...'''`, possibly spanning lines) and the
/// index of the first line after it.
fn leading_docstring(lines: &[&str]) -> (Vec<String>, usize) {
    let mut i = 0;
    while lines.get(i).is_some_and(|l| l.trim().is_empty()) {
        i += 1;
    }
    let mut doc = Vec::new();
    let Some(first) = lines.get(i).copied() else {
        return (doc, i);
    };
    let q = if first.starts_with("\"\"\"") {
        "\"\"\""
    } else if first.starts_with("'''") {
        "'''"
    } else {
        return (doc, i);
    };
    i += 1;
    let rest = &first[3..];
    if let Some(end) = rest.find(q) {
        doc.push(rest[..end].to_owned());
        return (doc, i);
    }
    doc.push(rest.to_owned());
    while let Some(l) = lines.get(i) {
        i += 1;
        if let Some(end) = l.find(q) {
            doc.push(l[..end].to_owned());
            break;
        }
        doc.push((*l).to_owned());
    }
    (doc, i)
}

/// Import statements gathered from the runtime and the module, merged: `from X import a, b`
/// lines combine per module, duplicates are dropped.
#[derive(Default)]
struct Imports {
    plain: Vec<String>,
    from: BTreeMap<String, Vec<String>>,
    verbatim: Vec<String>,
}

impl Imports {
    fn add(&mut self, stmt: &str) {
        if let Some(rest) = stmt.strip_prefix("from ") {
            if let Some((module, names)) = rest.split_once(" import ") {
                if !names.contains('(') && !names.contains(" as ") {
                    let entry = self.from.entry(module.trim().to_owned()).or_default();
                    for n in names.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                        if !entry.iter().any(|e| e == n) {
                            entry.push(n.to_owned());
                        }
                    }
                    return;
                }
            }
            if !self.verbatim.iter().any(|v| v == stmt) {
                self.verbatim.push(stmt.to_owned());
            }
        } else if !self.plain.iter().any(|p| p == stmt) {
            self.plain.push(stmt.to_owned());
        }
    }

    /// `from __future__` first, then plain imports sorted, then `from` imports by module.
    fn finish(mut self) -> Vec<String> {
        let mut imports: Vec<String> = Vec::new();
        if let Some(names) = self.from.remove("__future__") {
            imports.push(format!("from __future__ import {}", names.join(", ")));
        }
        self.plain.sort();
        imports.extend(self.plain);
        for (module, mut names) in self.from {
            names.sort();
            imports.push(format!("from {module} import {}", names.join(", ")));
        }
        imports.extend(self.verbatim);
        imports
    }
}

/// The runtime's body with its top-level imports (unindented `import` / `from` lines, with
/// parenthesized continuations, wherever they are) moved into `imports`; nested imports stay.
fn hoist_imports(lines: &[&str], imports: &mut Imports) -> String {
    let mut body = Vec::new();
    let mut pending: Option<String> = None;
    for &line in lines {
        if let Some(stmt) = pending.as_mut() {
            stmt.push(' ');
            stmt.push_str(line.trim());
            if line.contains(')') {
                let joined = stmt
                    .replace("( ", "(")
                    .replace(['(', ')'], "")
                    .replace(", )", ")");
                let joined = joined.trim_end_matches(',').trim_end().to_owned();
                imports.add(&joined.replace(",  ", ", "));
                pending = None;
            }
            continue;
        }
        if line.starts_with("import ") || line.starts_with("from ") {
            if line.contains('(') && !line.contains(')') {
                pending = Some(line.trim_end().to_owned());
            } else {
                imports.add(line.trim_end());
            }
            continue;
        }
        body.push(line);
    }
    // Drop the blank lines the removed imports leave at the start.
    while body.first().is_some_and(|l| l.trim().is_empty()) {
        body.remove(0);
    }
    body.join("\n").trim_end().to_owned()
}

/// The docstring as `#` comment lines (trailing blank lines dropped).
fn doc_comment(mut doc: Vec<String>) -> String {
    while doc.last().is_some_and(|l| l.trim().is_empty()) {
        doc.pop();
    }
    doc.iter()
        .map(|l| {
            if l.trim().is_empty() {
                "#".to_owned()
            } else {
                format!("# {}", l.trim_end())
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    const PYPROJECT: &str = include_str!("../../../../python/pyproject.toml");

    #[test]
    fn runtime_package_facts_agree() {
        // One protocol, one version and one wasmtime range, read from the runtime package.
        assert_eq!(crate::emit::python::runtime_protocol(), 3);
        let version = crate::emit::python::runtime_version();
        assert!(
            PYPROJECT.contains(&format!("\nversion = \"{version}\"\n")),
            "pyproject.toml version != __version__ {version}"
        );
        let req = crate::emit::python::wasmtime_requirement();
        assert_eq!(req, "wasmtime>=45.0,<52.0");
        assert!(
            PYPROJECT.contains(&format!("dependencies = [\"{req}\"]")),
            "pyproject.toml wasmtime range != {req}"
        );
        // requirements.txt's pin lies inside it.
        let pin = include_str!("../../../../requirements.txt")
            .lines()
            .find_map(|l| l.strip_prefix("wasmtime=="))
            .expect("pin");
        assert!(
            pin.starts_with("50."),
            "requirements.txt pins wasmtime {pin}, outside {req}"
        );
    }

    #[test]
    fn defined_names_and_identifiers() {
        let src = "import os\n_X = 1\nY: int = 2\ntry:  # c\n    pass\ndef f(a):\n    z = 3\nclass C:\n    pass\nif X == 1:\n    pass\n";
        let names: Vec<String> = defined_names(src).into_iter().collect();
        assert_eq!(names, ["C", "Y", "_X", "f"]);
        let ids = identifiers("a = _X(b)  # not_this\nc.d\n");
        assert!(ids.contains("_X") && ids.contains("d") && !ids.contains("not_this"));
        let used: HashSet<&str> = ["os", "Any"].into_iter().collect();
        let kept = used_imports(
            &[
                "from __future__ import annotations",
                "import sys",
                "import os",
                "from typing import Any, List",
            ],
            &used,
        );
        assert_eq!(
            kept,
            [
                "from __future__ import annotations",
                "import os",
                "from typing import Any"
            ]
        );
    }

    #[test]
    fn hoists_and_merges_imports() {
        let src = "\"\"\"Runtime.\n\nMore.\n\"\"\"\n\nimport os\nimport sys\nfrom typing import (\n    Any,\n    Union,\n)\n\nX = 1\n\ndef f():\n    import json\n    return json\n";
        let parts = split(
            src,
            &[
                "from __future__ import annotations",
                "import array",
                "import os",
                "from typing import Sequence, Union",
            ],
        );
        assert_eq!(
            parts.imports,
            vec![
                "from __future__ import annotations",
                "import array",
                "import os",
                "import sys",
                "from typing import Any, Sequence, Union",
            ]
        );
        assert_eq!(parts.doc_comment, "# Runtime.\n#\n# More.");
        assert_eq!(
            parts.body,
            "X = 1\n\ndef f():\n    import json\n    return json"
        );
    }
}
