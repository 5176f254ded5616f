//! The user docs against the behaviour: README's config reference names every key the config
//! parser accepts, and templates/README.md does not promise float support `gen` refuses.

use std::path::{Path, PathBuf};
use std::process::Command;

use bindgen_core::config::Config;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// README's `## Config reference` section (what the config parser's messages point to).
fn config_reference() -> String {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let start = readme
        .find("\n## Config reference\n")
        .expect("README.md has a `## Config reference` section");
    let rest = &readme[start + 1..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |i| i + 3);
    rest[..end].to_string()
}

/// The keys a table accepts, from serde's "unknown field" message.
fn accepted_keys(toml: &str) -> Vec<String> {
    let err = Config::parse(toml, Path::new("t.toml")).unwrap_err();
    let list = err
        .message
        .split("expected ")
        .nth(1)
        .unwrap_or_else(|| panic!("no key list in {}", err.message));
    let list = list.strip_prefix("one of ").unwrap_or(list);
    list.split(", ")
        .map(|k| k.trim_matches('`').to_string())
        .collect()
}

#[test]
fn readme_config_reference_names_every_key() {
    let reference = config_reference();
    let err = Config::parse("[bogus]\n", Path::new("t.toml")).unwrap_err();
    assert!(
        err.help
            .as_deref()
            .unwrap_or("")
            .contains("config reference in README.md"),
        "{err:?}"
    );
    for table in accepted_keys("[bogus]\n") {
        let heading = match table.as_str() {
            "module" | "package" => format!("`[{table}]`"),
            other => format!("`[{other}.NAME"),
        };
        assert!(
            reference.contains(&heading),
            "README config reference lacks {heading}"
        );
    }
    let module = accepted_keys("[module]\nbogus = 1\n");
    let function = accepted_keys("[functions.f]\nbogus = 1\n");
    let structure = accepted_keys("[structs.s]\nbogus = 1\n");
    let package = accepted_keys("[package]\nbogus = 1\n");
    assert!(module.len() >= 7 && function.len() >= 3 && !structure.is_empty());
    for key in module
        .iter()
        .chain(&function)
        .chain(&structure)
        .chain(&package)
    {
        let described = reference.contains(&format!("| `{key}` |"))
            || reference.contains(&format!("[functions.NAME.{key}]"))
            || reference.contains(&format!("[structs.NAME.{key}]"));
        assert!(
            described,
            "README config reference does not describe `{key}`"
        );
    }
}

#[test]
fn templates_readme_describes_the_float_support_gen_has() {
    let dir = std::env::temp_dir().join(format!("wb_gen_docs_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let header = dir.join("floats.h");
    std::fs::write(
        &header,
        "#include <stddef.h>\ndouble mean(const double *xs, size_t n);\nfloat half(float x);\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_wasm-bind"))
        .args(["--explain"])
        .arg(&header)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        report.contains("2 bound, 0 not bound"),
        "gen no longer binds floats: update templates/README.md\n{report}"
    );
    let readme = std::fs::read_to_string(root().join("templates/README.md")).unwrap();
    assert!(
        readme.contains("`FloatArray`") && !readme.contains("not supported yet: a function with a `float`"),
        "templates/README.md must describe how floats are bound"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
