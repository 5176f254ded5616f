//! Python naming and literal rules for the Python back end (see `templates/README.md`).
//!
//! A C name is used as is unless Python would read it differently: keywords, builtins the
//! generated code relies on (or a user would miss), `self`, and names in the private `_wb_`
//! namespace get a trailing `_`. Private generated names never end in `_`, so an escaped user
//! name can never collide with one. Methods follow the same rule (a method named `bytes` would
//! shadow the builtin in every annotation of the class body, which `mypy --strict` rejects), and
//! also escape the module's annotation names (`Buffer`, `Optional`, ...) and dunder names.

/// Python keywords (3.9 through 3.13; soft keywords are valid identifiers and stay as they are).
const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in",
    "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with",
    "yield",
];

/// Builtin functions and types: a parameter with one of these names would shadow it inside the
/// method (the generated body calls `len`, `bytes`, ...), so parameters are escaped.
const BUILTINS: &[&str] = &[
    "abs", "aiter", "all", "anext", "any", "ascii", "bin", "bool", "breakpoint", "bytearray",
    "bytes", "callable", "chr", "classmethod", "compile", "complex", "copyright", "credits",
    "delattr", "dict", "dir", "divmod", "enumerate", "eval", "exec", "exit", "filter", "float",
    "format", "frozenset", "getattr", "globals", "hasattr", "hash", "help", "hex", "id", "input",
    "int", "isinstance", "issubclass", "iter", "len", "license", "list", "locals", "map", "max",
    "memoryview", "min", "next", "object", "oct", "open", "ord", "pow", "print", "property", "quit",
    "range", "repr", "reversed", "round", "set", "setattr", "slice", "sorted", "staticmethod", "str",
    "sum", "super", "tuple", "type", "vars", "zip",
];

/// Module-level names the generated method bodies use besides builtins and `_wb_` helpers.
const MODULE_NAMES_USED_IN_BODIES: &[&str] = &["self", "StatusError", "GuestError", "ValueError", "TypeError"];

/// Module-level names the class bodies of the `.py` and `.pyi` use in annotations: a method with
/// one of these names would shadow it for the whole class body.
const ANNOTATION_NAMES: &[&str] = &[
    "Any", "Buffer", "Final", "FloatArray", "IntArray", "List", "Optional", "Sequence", "Tuple",
    "TypeAlias", "Union", "array", "os",
];

/// The private prefix of every generated helper and local.
pub const PRIVATE_PREFIX: &str = "_wb_";

fn is_private(name: &str) -> bool {
    name.starts_with(PRIVATE_PREFIX)
}

/// True for a Python keyword.
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// True for an ASCII Python identifier (what C names are).
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_') && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The Python name of a C parameter.
pub fn param_name(c_name: &str) -> String {
    if KEYWORDS.contains(&c_name)
        || BUILTINS.contains(&c_name)
        || MODULE_NAMES_USED_IN_BODIES.contains(&c_name)
        || is_private(c_name)
    {
        format!("{c_name}_")
    } else {
        c_name.to_owned()
    }
}

/// The Python name of a method (`name` is the C name after `strip_prefix`): escaped like a
/// parameter ([`param_name`]: keywords, builtins such as `bytes` or `int`, `self`, `_wb_`
/// privates), and also when it is one of the annotation names the class body uses. A name
/// starting with `__` would replace a special method (`__init__`) or be mangled by the class
/// body (`__x` is stored as `_Class__x`): it gets `_` appended until it ends with `__`, at least
/// one (`__x` -> `__x__`, `__init__` -> `__init___`).
pub fn method_name(name: &str) -> String {
    if name.starts_with("__") {
        let mut n = format!("{name}_");
        while !n.ends_with("__") {
            n.push('_');
        }
        n
    } else if param_name(name) != name || ANNOTATION_NAMES.contains(&name) {
        format!("{name}_")
    } else {
        name.to_owned()
    }
}

/// The Python name of a module constant; `taken` are the module's own names (class, errors,
/// imports) that a `#define` must not rebind.
pub fn constant_name(name: &str, taken: &[String]) -> String {
    if KEYWORDS.contains(&name) || is_private(name) || taken.iter().any(|t| t == name) {
        format!("{name}_")
    } else {
        name.to_owned()
    }
}

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
        .map(|l| l.trim_end().replace('\\', "\\\\").replace("\"\"\"", "\\\"\\\"\\\""))
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
    fn escapes_keywords_builtins_and_privates() {
        assert_eq!(param_name("in"), "in_");
        assert_eq!(param_name("len"), "len_");
        assert_eq!(param_name("hash"), "hash_");
        assert_eq!(param_name("self"), "self_");
        assert_eq!(param_name("_wb_ret"), "_wb_ret_");
        assert_eq!(param_name("key"), "key");
        assert_eq!(method_name("import"), "import_");
        assert_eq!(method_name("crypto_wipe"), "crypto_wipe");
        // Methods named after a builtin would shadow it in the class body's annotations.
        assert_eq!(method_name("bytes"), "bytes_");
        assert_eq!(method_name("int"), "int_");
        assert_eq!(method_name("property"), "property_");
        assert_eq!(method_name("Optional"), "Optional_");
        assert_eq!(method_name("Buffer"), "Buffer_");
        assert_eq!(method_name("__init__"), "__init___");
        // Two leading underscores and fewer than two trailing ones would be mangled.
        assert_eq!(method_name("__wb_memory"), "__wb_memory__");
        assert_eq!(method_name("__x_"), "__x__");
        assert_eq!(method_name("_wb_rt"), "_wb_rt_");
        assert_eq!(method_name("close"), "close");
        assert_eq!(constant_name("Error", &["Error".into()]), "Error_");
        assert_eq!(constant_name("CRYPTO_ARGON2_D", &[]), "CRYPTO_ARGON2_D");
    }

    #[test]
    fn literals_escape_quotes_and_backslashes() {
        assert_eq!(str_literal("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(str_literal("é"), r#""\u00e9""#);
        assert_eq!(docstring("one line", 8), "\"\"\"one line\"\"\"");
        assert_eq!(docstring("a\n\nb \\ \"\"\"", 4), "\"\"\"a\n\n    b \\\\ \\\"\\\"\\\"\n    \"\"\"");
    }
}
