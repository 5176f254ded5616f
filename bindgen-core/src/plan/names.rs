//! Every generated name, decided once for all back ends: the class, methods, types of handles and
//! structs, constants, with each language's escaping rules. `explain` and the emitters only read
//! [`Names`]; the rules are documented in `templates/README.md` (Python) and `emit::rust` (Rust).

use std::collections::HashSet;

use unicode_normalization::UnicodeNormalization;

use crate::model::{GlobalValue, Model, Role};

pub mod handle_methods;
pub use handle_methods::HandleMethod;

/// `monocypher_ed25519` -> `MonocypherEd25519`; `fallback` is prefixed when the result would be
/// empty or start with a digit (`Module`, `Handle`).
pub fn camel_case(name: &str, fallback: &str) -> String {
    let s: String = name
        .split('_')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect();
    if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{fallback}{s}")
    } else {
        s
    }
}

pub use crate::ir::is_identifier;

/// How a C parameter name is spelled in Rust (`type` -> `r#type`, `self` -> `self_`), for the
/// plan's collision check; the Rust back end spells it the same way.
pub fn rust_param(name: &str) -> String {
    if rust::NOT_RAW.contains(&name) {
        format!("{name}_")
    } else if rust::KEYWORDS.contains(&name) {
        format!("r#{name}")
    } else {
        name.to_owned()
    }
}

/// Python's naming rules. A C name is used as is unless Python would read it differently:
/// keywords, builtins the generated code relies on (or a user would miss), `self`, and names in
/// the private `_wb_` namespace get a trailing `_`. Private generated names never end in `_`, so
/// an escaped user name can never collide with one. Methods follow the same rule (a method named
/// `bytes` would shadow the builtin in every annotation of the class body, which `mypy --strict`
/// rejects), and also escape the module's annotation names (`Buffer`, `Optional`, ...) and
/// dunder names.
pub mod python {
    /// Python keywords (3.9 through 3.13; soft keywords are valid identifiers).
    pub const KEYWORDS: &[&str] = &[
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
        "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
        "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return",
        "try", "while", "with", "yield",
    ];

    /// Builtins: a parameter with one of these names would shadow it inside the method body.
    pub const BUILTINS: &[&str] = &[
        "abs",
        "aiter",
        "all",
        "anext",
        "any",
        "ascii",
        "bin",
        "bool",
        "breakpoint",
        "bytearray",
        "bytes",
        "callable",
        "chr",
        "classmethod",
        "compile",
        "complex",
        "copyright",
        "credits",
        "delattr",
        "dict",
        "dir",
        "divmod",
        "enumerate",
        "eval",
        "exec",
        "exit",
        "filter",
        "float",
        "format",
        "frozenset",
        "getattr",
        "globals",
        "hasattr",
        "hash",
        "help",
        "hex",
        "id",
        "input",
        "int",
        "isinstance",
        "issubclass",
        "iter",
        "len",
        "license",
        "list",
        "locals",
        "map",
        "max",
        "memoryview",
        "min",
        "next",
        "object",
        "oct",
        "open",
        "ord",
        "pow",
        "print",
        "property",
        "quit",
        "range",
        "repr",
        "reversed",
        "round",
        "set",
        "setattr",
        "slice",
        "sorted",
        "staticmethod",
        "str",
        "sum",
        "super",
        "tuple",
        "type",
        "vars",
        "zip",
    ];

    /// Module-level names the generated method bodies use besides builtins and `_wb_` helpers.
    const USED_IN_BODIES: &[&str] = &[
        "self",
        "StatusError",
        "GuestError",
        "ValueError",
        "TypeError",
    ];

    /// Module-level names the class bodies use in annotations: a method so named would shadow it.
    const ANNOTATION_NAMES: &[&str] = &[
        "Any",
        "Buffer",
        "Final",
        "FloatArray",
        "IntArray",
        "List",
        "Optional",
        "Sequence",
        "Tuple",
        "TypeAlias",
        "Union",
        "array",
        "os",
    ];

    /// The error classes every generated module re-exports from the runtime, in `__all__` order.
    pub const ERRORS: &[&str] = &[
        "Error",
        "StatusError",
        "TrapError",
        "TimeoutError",
        "GuestError",
        "LoadError",
    ];

    /// The argument type aliases every generated module defines.
    pub const TYPE_ALIASES: &[&str] = &["Buffer", "IntArray", "FloatArray"];

    /// The runtime function every generated module re-exports besides the errors.
    pub const RUNTIME_FUNCTION: &str = "set_max_wasm_stack";

    /// Names every generated module defines itself (errors, aliases, runtime entry points) or
    /// imports: no class, handle, struct or constant of a header may take them.
    pub fn module_names() -> Vec<&'static str> {
        ERRORS
            .iter()
            .chain(TYPE_ALIASES)
            .chain([&RUNTIME_FUNCTION])
            .chain(IMPORTED_NAMES)
            .copied()
            .collect()
    }

    /// Module-scope names besides the runtime's: `annotations` and what the module imports.
    const IMPORTED_NAMES: &[&str] = &[
        "annotations",
        // Re-exported by modules with library-owned handles (`roles::owned`) or guest buffers.
        "HandleError",
        "GuestBuffer",
        "GuestSpan",
        // What the module imports: a `#define os 3` or a `struct Sequence` would rebind them.
        "os",
        "sys",
        "array",
        "weakref",
        "dataclasses",
        "importlib",
        "Any",
        "List",
        "Optional",
        "Sequence",
        "Tuple",
        "Union",
        "Final",
        "TypeAlias",
    ];

    /// The private prefix of every generated helper and local.
    pub const PRIVATE_PREFIX: &str = "_wb_";

    /// True for a Python keyword.
    pub fn is_keyword(name: &str) -> bool {
        KEYWORDS.contains(&name)
    }

    /// True for an ASCII Python identifier.
    pub fn is_identifier(name: &str) -> bool {
        let mut chars = name.chars();
        chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
    }

    /// The Python name of a C parameter or struct field: keywords, builtins, the body's module
    /// names and `_wb_` privates get a trailing `_`.
    pub fn param_name(c_name: &str) -> String {
        if KEYWORDS.contains(&c_name)
            || BUILTINS.contains(&c_name)
            || USED_IN_BODIES.contains(&c_name)
            || c_name.to_ascii_lowercase().starts_with(PRIVATE_PREFIX)
        {
            format!("{c_name}_")
        } else {
            c_name.to_owned()
        }
    }

    /// The Python name of a method (C name after `strip_prefix`): escaped like a parameter, and
    /// also when it is an annotation name; a name starting with `__` gets `_` appended until it
    /// ends with `__` (so it is neither a special method nor mangled).
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

    /// The Python name of a module constant; `taken` are the module's own names.
    pub fn constant_name(name: &str, taken: &[String]) -> String {
        if KEYWORDS.contains(&name)
            || name.to_ascii_lowercase().starts_with(PRIVATE_PREFIX)
            || taken.iter().any(|t| t == name)
        {
            format!("{name}_")
        } else {
            name.to_owned()
        }
    }
}

/// JavaScript's naming rules: a parameter that is a reserved word (strict mode, modules) gets a
/// trailing `_`; methods are the Python method names, and `constructor` (which a class body would
/// read as its constructor) gets a trailing `_` too. Generated locals start with `__wb`, a prefix
/// the plan refuses in parameter names.
pub mod js {
    /// Reserved words and strict-mode restricted names.
    pub const RESERVED: &[&str] = &[
        "arguments",
        "await",
        "break",
        "case",
        "catch",
        "class",
        "const",
        "continue",
        "debugger",
        "default",
        "delete",
        "do",
        "else",
        "enum",
        "eval",
        "export",
        "extends",
        "false",
        "finally",
        "for",
        "function",
        "if",
        "implements",
        "import",
        "in",
        "instanceof",
        "interface",
        "let",
        "new",
        "null",
        "package",
        "private",
        "protected",
        "public",
        "return",
        "static",
        "super",
        "switch",
        "this",
        "throw",
        "true",
        "try",
        "typeof",
        "var",
        "void",
        "while",
        "with",
        "yield",
        "undefined",
        "NaN",
        "Infinity",
    ];

    /// The JavaScript name of a C parameter.
    pub fn param_name(c_name: &str) -> String {
        if RESERVED.contains(&c_name) {
            format!("{c_name}_")
        } else {
            c_name.to_owned()
        }
    }

    /// The JavaScript method name, from the Python one.
    pub fn method_name(py_name: &str) -> String {
        if py_name == "constructor" {
            format!("{py_name}_")
        } else {
            py_name.to_owned()
        }
    }

    /// Module-scope names of every generated module (the exported errors, as in Python, and the
    /// runtime's classes): no constant may take them. The runtime's other top-level names start
    /// with `__wb`/`__WB`.
    fn module_names() -> Vec<&'static str> {
        let runtime_classes = ["WasmBindError", "WbRuntime", "WbHandle"];
        super::python::ERRORS
            .iter()
            .copied()
            .chain(runtime_classes)
            .collect()
    }

    /// The JavaScript export of each module constant, from the Python names: a reserved word or a
    /// name in the runtime's `__wb` namespace (any case) gets `_`, then a name another module
    /// item (class, handle class, struct interface, constant) took gets `_` until it is free.
    pub fn constant_names(
        class: &str,
        struct_types: &[(String, String)],
        handle_types: &[(String, String)],
        py_constants: &[String],
    ) -> Vec<String> {
        let mut module = super::Namespace::new(&module_names());
        let types = struct_types.iter().chain(handle_types).map(|(_, t)| t);
        for n in std::iter::once(&class.to_owned()).chain(types) {
            module.claim(n.clone());
        }
        py_constants
            .iter()
            .map(|n| {
                let escaped =
                    RESERVED.contains(&n.as_str()) || n.to_ascii_lowercase().starts_with("__wb");
                module.claim(if escaped { format!("{n}_") } else { n.clone() })
            })
            .collect()
    }
}

/// Rust's naming rules.
pub mod rust {
    /// Rust keywords (strict, reserved and edition 2018+ ones) that need `r#`.
    pub const KEYWORDS: &[&str] = &[
        "as", "break", "const", "continue", "else", "enum", "extern", "false", "fn", "for", "if",
        "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
        "static", "struct", "trait", "true", "type", "unsafe", "use", "where", "while", "async",
        "await", "dyn", "abstract", "become", "box", "do", "final", "macro", "override", "priv",
        "typeof", "unsized", "virtual", "yield", "try", "gen",
    ];

    /// Keywords that cannot be raw identifiers: a trailing `_` is appended instead.
    pub const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

    /// Names the generated struct defines itself in `impl <Class>`, reserved whether or not a
    /// wasm is embedded.
    pub const RESERVED: &[&str] = &[
        "new",
        "with_options",
        "WASM",
        "from_bytes",
        "from_file",
        "from_bytes_with",
        "from_file_with",
        "options",
        "__wb_memory",
        "__wb_generation",
        // Guest buffers (`kept`), when a function takes one: [`BUFFER_METHODS`].
        "buffer",
        "write_buffer",
        "read_buffer",
    ];

    /// The reserved names defined only when a bound function takes a guest buffer (`kept`).
    pub const BUFFER_METHODS: &[&str] = &["buffer", "write_buffer", "read_buffer"];
}

/// The names of one model's items in every language, index for index with the model's lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Names {
    /// The generated class (Python) / struct (Rust): the model's `class_name`, with `_` appended
    /// when it is one of the module's own names (a header `error.h` gives `Error_`).
    pub class: String,
    /// Rust method of each of `model.functions`.
    pub rust_functions: Vec<String>,
    /// Rust read method of each of `model.globals`.
    pub rust_globals: Vec<String>,
    /// Rust associated const of each of `model.constants`.
    pub rust_constants: Vec<String>,
    /// Python method of each of `model.functions` (NFKC-distinct: Python normalises identifiers).
    pub py_functions: Vec<String>,
    /// JavaScript method of each of `model.functions` (the Python name, see [`js`]).
    pub js_functions: Vec<String>,
    /// Python property of each of `model.globals`.
    pub py_globals: Vec<String>,
    /// Python constant of each of `model.constants`.
    pub py_constants: Vec<String>,
    /// JavaScript getter of each of `model.globals` (the Python property name, see [`js`]).
    pub js_globals: Vec<String>,
    /// JavaScript module export of each of `model.constants` (the Python name, see [`js`]).
    pub js_constants: Vec<String>,
    /// `(C struct, type name)` of every struct used as a handle, in first-use order.
    pub handle_types: Vec<(String, String)>,
    /// `(C struct, type name)` of every struct passed by value or held by a global.
    pub struct_types: Vec<(String, String)>,
    /// `(C enum, type name)` of every named enum (`model.enums`), in every language: CamelCase,
    /// claimed in the module namespace after the struct and handle types.
    pub enum_types: Vec<(String, String)>,
    /// The method of each of `model.functions` on its first parameter's handle class, if that
    /// parameter is a handle ([`handle_methods`] states the rule).
    pub handle_methods: Vec<Option<HandleMethod>>,
}

impl Names {
    /// The type name of handles to `struct_name`.
    pub fn handle_type(&self, struct_name: &str) -> String {
        lookup(&self.handle_types, struct_name).unwrap_or_else(|| camel_case(struct_name, "Handle"))
    }

    /// The host type name of the C enum `enum_name`.
    pub fn enum_type(&self, enum_name: &str) -> String {
        lookup(&self.enum_types, enum_name).unwrap_or_else(|| camel_case(enum_name, "Enum"))
    }

    /// The host type name of `struct_name` passed by value.
    pub fn struct_type(&self, struct_name: &str) -> String {
        lookup(&self.struct_types, struct_name).unwrap_or_else(|| camel_case(struct_name, "Struct"))
    }
}

fn lookup(list: &[(String, String)], key: &str) -> Option<String> {
    list.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
}

/// Claims names in one namespace: a name already taken (compared after NFKC normalisation, as
/// Python compares identifiers) gets `_` appended until it is free.
struct Namespace {
    taken: HashSet<String>,
}

impl Namespace {
    fn new(reserved: &[&str]) -> Self {
        Namespace {
            taken: reserved.iter().map(|s| nfkc(s)).collect(),
        }
    }

    fn claim(&mut self, name: String) -> String {
        let mut n = name;
        while self.taken.contains(&nfkc(&n)) {
            n.push('_');
        }
        self.taken.insert(nfkc(&n));
        n
    }
}

fn nfkc(s: &str) -> String {
    s.nfkc().collect()
}

/// Decides every name of `model`.
pub fn decide(model: &Model) -> Names {
    let mut module = Namespace::new(&python::module_names());
    let class = module.claim(model.class_name.clone());
    let (struct_types, handle_types) = type_names(model, &mut module);
    let enum_types = model
        .enums
        .iter()
        .map(|e| (e.name.clone(), module.claim(camel_case(&e.name, "Enum"))))
        .collect();
    let (rust_functions, rust_globals, rust_constants) = rust_names(model);
    // Python class members (methods and properties) share one namespace; constants live in the
    // module's.
    // `buffer` is the class's own method when a function takes a guest buffer (`kept`).
    let mut members = Namespace::new(&["buffer"]);
    let py_functions: Vec<String> = model
        .functions
        .iter()
        .map(|f| members.claim(python::method_name(&f.method)))
        .collect();
    let js_functions = py_functions
        .iter()
        .map(|n: &String| js::method_name(n))
        .collect();
    let py_globals: Vec<String> = model
        .globals
        .iter()
        .map(|g| members.claim(python::method_name(&g.name)))
        .collect();
    let py_constants: Vec<String> = model
        .constants
        .iter()
        .map(|c| module.claim(python_constant(&c.name)))
        .collect();
    let js_globals = py_globals.iter().map(|n| js::method_name(n)).collect();
    let js_constants = js::constant_names(&class, &struct_types, &handle_types, &py_constants);
    Names {
        class,
        rust_functions,
        rust_globals,
        rust_constants,
        py_functions,
        js_functions,
        py_globals,
        py_constants,
        js_globals,
        js_constants,
        handle_types,
        struct_types,
        enum_types,
        handle_methods: handle_methods::decide(model),
    }
}

/// `(C struct, type name)` pairs.
type TypeNames = Vec<(String, String)>;

/// `(C struct, type name)` lists of the structs passed by value (or held by globals) and of the
/// handles: by-value structs keep the CamelCase name; a struct that is also a handle gets
/// `Handle` appended to its handle type, so the two never share a name.
fn type_names(model: &Model, module: &mut Namespace) -> (TypeNames, TypeNames) {
    let mut by_value: Vec<&str> = Vec::new();
    let mut handles: Vec<&str> = Vec::new();
    for p in model.functions.iter().flat_map(|f| &f.params) {
        match &p.role {
            Role::StructIn { struct_name } if !by_value.contains(&struct_name.as_str()) => {
                by_value.push(struct_name)
            }
            Role::Handle { struct_name, .. } if !handles.contains(&struct_name.as_str()) => {
                handles.push(struct_name)
            }
            _ => {}
        }
    }
    // Library-owned handle classes (roles::owned) share the handle namespace.
    for f in &model.functions {
        for ty in f.owned_types() {
            if !handles.contains(&ty.name.as_str()) {
                handles.push(&ty.name);
            }
        }
    }
    for g in &model.globals {
        if let GlobalValue::Struct(s) = &g.value {
            if !by_value.contains(&s.as_str()) {
                by_value.push(s);
            }
        }
    }
    let struct_types = by_value
        .iter()
        .map(|s| (s.to_string(), module.claim(camel_case(s, "Struct"))))
        .collect();
    let handle_types = handles
        .iter()
        .map(|s| {
            let base = camel_case(s, "Handle");
            let base = if by_value.contains(s) {
                format!("{base}Handle")
            } else {
                base
            };
            (s.to_string(), module.claim(base))
        })
        .collect();
    (struct_types, handle_types)
}

/// The Rust items of `impl <Class>`: functions first, then globals, then constants, in one
/// namespace that starts with the struct's own members.
fn rust_names(model: &Model) -> (Vec<String>, Vec<String>, Vec<String>) {
    let mut ns = Namespace::new(rust::RESERVED);
    let mut item = |n: &str| {
        ns.claim(if rust::NOT_RAW.contains(&n) {
            format!("{n}_")
        } else {
            n.to_owned()
        })
    };
    let functions = model.functions.iter().map(|f| item(&f.method)).collect();
    let globals = model.globals.iter().map(|g| item(&g.name)).collect();
    let constants = model.constants.iter().map(|c| item(&c.name)).collect();
    (functions, globals, constants)
}

/// A module constant's Python name before module-level collisions: a keyword or a name in the
/// private `_wb_` namespace (in any case) gets a trailing `_`.
fn python_constant(name: &str) -> String {
    if python::is_keyword(name)
        || name
            .to_ascii_lowercase()
            .starts_with(python::PRIVATE_PREFIX)
    {
        format!("{name}_")
    } else {
        name.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::python::{constant_name, method_name, param_name};

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
    fn js_escapes_reserved_words() {
        use super::js;
        assert_eq!(js::param_name("new"), "new_");
        assert_eq!(js::param_name("arguments"), "arguments_");
        assert_eq!(js::param_name("key"), "key");
        assert_eq!(js::method_name("constructor"), "constructor_");
        assert_eq!(js::method_name("crypto_wipe"), "crypto_wipe");
    }
}
