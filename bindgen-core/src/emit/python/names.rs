//! Python literals for the Python back end: strings and docstrings. The naming rules (keywords,
//! builtins, `_wb_` privates, methods, constants) are decided once in `plan::names`.

pub use crate::plan::names::python::{is_identifier, is_keyword, param_name};

/// A double-quoted Python string literal (ASCII-safe: anything else is escaped).
pub fn str_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_ascii() && !c.is_ascii_control() => out.push(c),
            c if (c as u32) <= 0xffff => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// A docstring literal (with its quotes) for text indented by `indent` spaces: one line stays on
/// one line; more lines follow PEP 257 (summary, body, closing quotes on their own line).
pub fn docstring(text: &str, indent: usize) -> String {
    let pad = " ".repeat(indent);
    let lines: Vec<String> = text
        .trim_matches('\n')
        .lines()
        .map(|l| {
            l.trim_end()
                .replace('\\', "\\\\")
                .replace("\"\"\"", "\\\"\\\"\\\"")
        })
        .collect();
    match lines.as_slice() {
        [] => "\"\"\"\"\"\"".to_owned(),
        [one] if !one.ends_with('"') => format!("\"\"\"{one}\"\"\""),
        _ => {
            let mut out = String::from("\"\"\"");
            for (i, line) in lines.iter().enumerate() {
                if i > 0 {
                    out.push('\n');
                    if !line.is_empty() {
                        out.push_str(&pad);
                    }
                }
                out.push_str(line);
            }
            out.push('\n');
            out.push_str(&pad);
            out.push_str("\"\"\"");
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_escape_quotes_and_backslashes() {
        assert_eq!(str_literal("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(str_literal("é"), r#""\u00e9""#);
        assert_eq!(docstring("one line", 8), "\"\"\"one line\"\"\"");
        assert_eq!(
            docstring("a\n\nb \\ \"\"\"", 4),
            "\"\"\"a\n\n    b \\\\ \\\"\\\"\\\"\n    \"\"\""
        );
    }
}
