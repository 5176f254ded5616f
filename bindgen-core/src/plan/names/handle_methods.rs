//! Handle methods: a bound function whose first parameter is a handle is also a method of the
//! handle's class (`ctx.update(data)` beside `m.crypto_blake2b_update(ctx, data)`). The rule,
//! decided here once for every back end and documented in the README ("Handle methods"):
//!
//! 1. Split the C function name and the handle's C struct name into `_` words; drop the words the
//!    two names start with in common (`crypto_blake2b_update` on `crypto_blake2b_ctx` -> `update`,
//!    `crypto_sha512_hmac_init` on `crypto_sha512_hmac_ctx` -> `init`, `counter_add` on `counter`
//!    -> `add`); when they share no leading word, drop the longest run of the struct name's last
//!    words the function name starts with (`acc_init` on `edge_acc` -> `init`).
//! 2. When no word is shared, nothing is left, the rest starts with a digit, or it is a member the handle classes
//!    define themselves ([`HANDLE_MEMBERS`]: `close`, `closed`, `new`, ...), the method keeps the
//!    function's own method name (`foo_close` on `foo_ctx` stays `foo_close`).
//! 3. Each language escapes the result as it escapes module methods (Python `type` -> `type_`,
//!    Rust `type` -> `r#type`, `self` -> `self_`, JavaScript `constructor` -> `constructor_`).
//!
//! Config `[functions.F] handle_method = "name"` replaces steps 1 and 2 for one function.
//!
//! Two functions whose methods would still coincide on one handle class (after escaping and, for
//! Python, NFKC normalisation) are refused by `roles` with an error naming both
//! ([`conflicts`]).

use std::collections::HashMap;

use crate::model::{FnBinding, Model, Role};

/// Members every handle class defines itself, in some language: a derived method with one of these
/// names keeps the function's full method name instead.
pub const HANDLE_MEMBERS: &[&str] = &[
    "new",
    "close",
    "closed",
    "ptr",
    "size",
    "generation",
    "constructor",
    "owner",
    // Library-owned handle classes (roles::owned) also define these.
    "borrowed",
    "is_closed",
    "is_borrowed",
];

/// The method a function gets on its first parameter's handle class, in every language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandleMethod {
    /// The handle's C struct.
    pub struct_name: String,
    /// The name before each language's escaping (rule steps 1 and 2).
    pub base: String,
    /// Python method name.
    pub py: String,
    /// Rust method name (a keyword is spelled raw, `r#type`, by the back end).
    pub rust: String,
    /// JavaScript method name.
    pub js: String,
}

/// The handle method of each of `model.functions` (`None`: its first parameter is no handle).
pub fn decide(model: &Model) -> Vec<Option<HandleMethod>> {
    model.functions.iter().map(handle_method).collect()
}

/// The handle method of `f`, if its first parameter is a handle.
pub fn handle_method(f: &FnBinding) -> Option<HandleMethod> {
    let struct_name = match &f.params.first()?.role {
        Role::Handle { struct_name, .. } => struct_name,
        Role::Owned { ty, .. } => &ty.name,
        _ => return None,
    };
    let base = f
        .handle_method
        .clone()
        .or_else(|| base_name(&f.name, struct_name))
        .unwrap_or_else(|| f.method.clone());
    Some(HandleMethod {
        struct_name: struct_name.clone(),
        py: super::python::method_name(&base),
        rust: if super::rust::NOT_RAW.contains(&base.as_str()) {
            format!("{base}_")
        } else {
            base.clone()
        },
        js: super::js::method_name(&super::python::method_name(&base)),
        base,
    })
}

/// Rule steps 1 and 2: the function name without the words it shares with the struct name, or
/// `None` when the full method name is kept.
fn base_name(function: &str, struct_name: &str) -> Option<String> {
    let f: Vec<&str> = function.split('_').collect();
    let s: Vec<&str> = struct_name.split('_').collect();
    let mut common = f.iter().zip(&s).take_while(|(a, b)| a == b).count();
    if common == 0 {
        // The function may start with the struct name's last words instead (`acc_init` on
        // `edge_acc`): the longest such tail.
        common = (1..s.len())
            .rev()
            .find(|&k| f.len() > k && f[..k] == s[s.len() - k..])
            .unwrap_or(0);
    }
    let rest = f[common..].join("_");
    let usable = common > 0
        && !rest.is_empty()
        && rest.starts_with(|c: char| c.is_ascii_alphabetic())
        && !HANDLE_MEMBERS.contains(&rest.as_str());
    usable.then_some(rest)
}

/// Pairs of `functions` whose methods coincide on one handle class, in some language: `(index of
/// the later function, index of the earlier one, the method name)`.
pub fn conflicts(functions: &[FnBinding]) -> Vec<(usize, usize, String)> {
    let methods: Vec<_> = functions.iter().map(handle_method).collect();
    let mut seen: HashMap<(String, String, &str), usize> = HashMap::new();
    let mut out = Vec::new();
    for (i, m) in methods.iter().enumerate() {
        let Some(m) = m else { continue };
        let rust = m.rust.clone();
        let spellings = [
            ("Python", super::nfkc(&m.py)),
            ("Rust", rust),
            ("JavaScript", m.js.clone()),
        ];
        for (lang, name) in spellings {
            let key = (m.struct_name.clone(), name.clone(), lang);
            match seen.get(&key) {
                Some(&prev) => {
                    if !out.iter().any(|(a, b, _)| *a == i && *b == prev) {
                        out.push((i, prev, name));
                    }
                }
                None => {
                    seen.insert(key, i);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::base_name;

    #[test]
    fn strips_the_words_shared_with_the_struct() {
        assert_eq!(
            base_name("crypto_blake2b_update", "crypto_blake2b_ctx").as_deref(),
            Some("update")
        );
        assert_eq!(
            base_name("crypto_blake2b_keyed_init", "crypto_blake2b_ctx").as_deref(),
            Some("keyed_init")
        );
        assert_eq!(
            base_name("crypto_sha512_hmac_final", "crypto_sha512_hmac_ctx").as_deref(),
            Some("final")
        );
        assert_eq!(
            base_name("crypto_aead_init_x", "crypto_aead_ctx").as_deref(),
            Some("init_x")
        );
        assert_eq!(base_name("counter_add", "counter").as_deref(), Some("add"));
        assert_eq!(base_name("reset_all", "state"), None);
        assert_eq!(base_name("acc_init", "edge_acc").as_deref(), Some("init"));
        assert_eq!(base_name("ctx_free", "my_ctx").as_deref(), Some("free"));
        assert_eq!(
            base_name("my_ctx_free", "lib_my_ctx").as_deref(),
            Some("free")
        );
    }

    #[test]
    fn keeps_the_full_name_when_the_rest_is_unusable() {
        assert_eq!(base_name("foo_close", "foo_ctx"), None);
        assert_eq!(base_name("foo_new", "foo_ctx"), None);
        assert_eq!(base_name("foo_2x", "foo_ctx"), None);
        assert_eq!(base_name("foo", "foo_ctx"), None);
        assert_eq!(base_name("foo_ctx", "foo_ctx"), None);
    }
}
