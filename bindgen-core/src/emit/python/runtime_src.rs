//! Splits the Python runtime source (`templates/python/runtime.py`) for inclusion in a generated
//! module: its docstring becomes comments and its top-level imports are hoisted and merged with the
//! module's own, so the single generated file has every import at the top (ruff E402) and none
//! twice (ruff F811).

use std::collections::BTreeMap;

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
    let mut lines = runtime.lines().peekable();
    let mut doc = Vec::new();
    // A leading docstring (the runtime's is `"""..."""` spanning lines).
    while lines.peek().is_some_and(|l| l.trim().is_empty()) {
        lines.next();
    }
    if let Some(first) = lines.peek().copied() {
        let quote = if first.starts_with("\"\"\"") { Some("\"\"\"") } else if first.starts_with("'''") { Some("'''") } else { None };
        if let Some(q) = quote {
            lines.next();
            let rest = &first[3..];
            if let Some(end) = rest.find(q) {
                doc.push(rest[..end].to_owned());
            } else {
                doc.push(rest.to_owned());
                for l in lines.by_ref() {
                    if let Some(end) = l.find(q) {
                        doc.push(l[..end].to_owned());
                        break;
                    }
                    doc.push(l.to_owned());
                }
            }
        }
    }

    let mut plain: Vec<String> = Vec::new();
    let mut from: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut verbatim: Vec<String> = Vec::new();
    let mut add = |stmt: &str| {
        if let Some(rest) = stmt.strip_prefix("from ") {
            if let Some((module, names)) = rest.split_once(" import ") {
                if !names.contains('(') && !names.contains(" as ") {
                    let entry = from.entry(module.trim().to_owned()).or_default();
                    for n in names.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                        if !entry.iter().any(|e| e == n) {
                            entry.push(n.to_owned());
                        }
                    }
                    return;
                }
            }
            if !verbatim.iter().any(|v| v == stmt) {
                verbatim.push(stmt.to_owned());
            }
        } else if !plain.iter().any(|p| p == stmt) {
            plain.push(stmt.to_owned());
        }
    };
    for e in extra {
        add(e);
    }

    // Top-level imports (unindented `import` / `from` lines, with parenthesized continuations),
    // wherever they are; nested imports stay in place.
    let mut body = Vec::new();
    let mut pending: Option<String> = None;
    for line in lines {
        if let Some(stmt) = pending.as_mut() {
            stmt.push(' ');
            stmt.push_str(line.trim());
            if line.contains(')') {
                let joined = stmt.replace("( ", "(").replace(['(', ')'], "").replace(", )", ")");
                let joined = joined.trim_end_matches(',').trim_end().to_owned();
                add(&joined.replace(",  ", ", "));
                pending = None;
            }
            continue;
        }
        if line.starts_with("import ") || line.starts_with("from ") {
            if line.contains('(') && !line.contains(')') {
                pending = Some(line.trim_end().to_owned());
            } else {
                add(line.trim_end());
            }
            continue;
        }
        body.push(line);
    }
    // Drop the blank lines the removed imports leave at the start.
    while body.first().is_some_and(|l| l.trim().is_empty()) {
        body.remove(0);
    }

    let mut imports: Vec<String> = Vec::new();
    if let Some(names) = from.remove("__future__") {
        imports.push(format!("from __future__ import {}", names.join(", ")));
    }
    plain.sort();
    imports.extend(plain);
    for (module, mut names) in from {
        names.sort();
        imports.push(format!("from {module} import {}", names.join(", ")));
    }
    imports.extend(verbatim);

    while doc.last().is_some_and(|l| l.trim().is_empty()) {
        doc.pop();
    }
    let doc_comment = doc
        .iter()
        .map(|l| if l.trim().is_empty() { "#".to_owned() } else { format!("# {}", l.trim_end()) })
        .collect::<Vec<_>>()
        .join("\n");
    RuntimeParts { imports, doc_comment, body: body.join("\n").trim_end().to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hoists_and_merges_imports() {
        let src = "\"\"\"Runtime.\n\nMore.\n\"\"\"\n\nimport os\nimport sys\nfrom typing import (\n    Any,\n    Union,\n)\n\nX = 1\n\ndef f():\n    import json\n    return json\n";
        let parts = split(src, &["from __future__ import annotations", "import array", "import os", "from typing import Sequence, Union"]);
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
        assert_eq!(parts.body, "X = 1\n\ndef f():\n    import json\n    return json");
    }
}
