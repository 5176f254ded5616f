//! roles: inference rules plus annotations and config turn the `ir` into the binding `model`.
//!
//! Used by `load` after `parse`. The work is split by concern:
//! - [`spec`]: reads `wb:` annotations and config entries into one vocabulary;
//! - [`infer`]: the per-function algorithm (shapes, sizes, roles, return meaning), with its steps
//!   in [`sizes`] (step 3), [`assign`] (steps 4 and 6), [`returns`] (step 5) and [`expr`]
//!   (expressions);
//! - [`structs`]: structs passed by value and globals;
//! - this module: the whole run, as a sequence of steps: config names that match nothing
//!   (`check_config_names`), `module.int_returns`, structs by value (`structs::bind_all`), each
//!   function (`bind_functions`: `spec::collect`, `infer::bind_function`, method name, `max`
//!   bounds), method names that clash (`check_method_clashes`), then the module-level fields of
//!   the model (globals, used structs, stem, class name, arena, constants).
//!
//! Every problem becomes a diagnostic; all of them are released together at the end.

mod assign;
mod callbacks;
mod capacity;
mod expr;
mod fixed;
mod follow;
mod infer;
pub(crate) mod outs;
pub(crate) mod owned;
mod returns;
mod sizes;
mod spec;
mod status;
mod structs;

use std::path::Path;

use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics};
use crate::ir::Header;
use crate::model::{Arena, ConstBinding, EnumBinding, Model, Skipped};

use infer::{Ctx, Outcome};
pub(crate) use spec::config_loc;

/// Decides the role of every parameter of every function in `header`.
pub fn bind(header: &Header, config: &Config) -> Result<Model, Diagnostics> {
    let mut diags: Vec<Diagnostic> = config.check();
    check_config_names(header, config, &mut diags);
    let int_returns_status = int_returns_status(config, &mut diags);
    let status_rule = status::module_rule(header, config, &mut diags);
    let struct_states = structs::bind_all(header, config, &mut diags);
    let ctx = Ctx {
        header,
        int_returns_status,
        structs: &struct_states,
    };
    let owned_types = owned::owned_types(header, config, &mut diags);
    let (mut functions, skipped) = bind_functions(&ctx, config, &owned_types, &mut diags);
    if let Some(rule) = &status_rule {
        for b in &mut functions {
            status::apply(b, rule);
        }
    }
    check_method_clashes(&functions, &mut diags);
    check_handle_method_clashes(&functions, &mut diags);

    let mut globals = structs::globals(header, &struct_states);
    globals.retain(|g| crate::ir::is_identifier(&g.name));
    let structs = used_structs(header, &functions, &globals, &struct_states);
    let stem = stem_of(&header.path);
    let class_name = config
        .module
        .class_name
        .clone()
        .unwrap_or_else(|| camel_case(&stem));
    let mut inputs = header.included_files.clone();
    if let Some(p) = &config.path {
        inputs.push(p.clone());
    }
    let model = Model {
        stem,
        class_name,
        header: header.path.clone(),
        inputs,
        arena: arena(config),
        functions,
        skipped,
        constants: constants(header),
        structs,
        globals,
        enums: enums(header),
        wasi: false,
    };
    Diagnostics(diags).finish(model)
}

/// `module.int_returns`: whether a plain `int` return reads as a status (an unknown value is
/// reported and reads as `value`).
fn int_returns_status(config: &Config, diags: &mut Vec<Diagnostic>) -> bool {
    match config.module.int_returns.as_deref().map(str::trim) {
        None | Some("value") => false,
        Some("status") => true,
        Some(other) => {
            diags.push(
                Diagnostic::at(
                    &spec::config_loc(config, "module", Some("int_returns")),
                    format!("config `module.int_returns`: unknown value `{other}`"),
                )
                .help("int_returns = \"status\" or \"value\""),
            );
            false
        }
    }
}

/// Binds every function of the header in declaration order: the bound ones (with their method
/// name and `max` bounds) and the skipped ones; failures have reported their errors.
fn bind_functions(
    ctx: &Ctx<'_>,
    config: &Config,
    owned_types: &owned::OwnedTypes,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<crate::model::FnBinding>, Vec<Skipped>) {
    let prefix = config.module.strip_prefix.clone().unwrap_or_default();
    let mut functions = Vec::new();
    let mut skipped = Vec::new();
    for f in &ctx.header.functions {
        if let Some(t) = owned::destructor_of(f, owned_types) {
            skipped.push(Skipped {
                name: f.name.clone(),
                loc: f.loc.clone(),
                reason: format!("the destructor of `{}`: a handle's close() (and garbage collection / Drop) calls it", t.name),
                deliberate: true,
            });
            continue;
        }
        // Library-owned handles: `infer` binds a copy with placeholders, `owned::finish` puts them back.
        let prepared = owned::prepare(f, config, owned_types);
        let (g, cfg) = prepared.as_ref().map_or((f, config), |p| (&p.f, &p.config));
        let specs = spec::collect(g, cfg, diags);
        let outcome = match (infer::bind_function(g, &specs, ctx, diags), prepared) {
            (Outcome::Bound(b), Some(p)) => match owned::finish(*b, f, p, config, diags) {
                Some(b) => Outcome::Bound(Box::new(b)),
                None => Outcome::Failed,
            },
            (other, _) => other,
        };
        match outcome {
            Outcome::Bound(b) if !inout_len_sources_are_inputs(&b, diags) => {}
            Outcome::Bound(b) => {
                let mut b = *b;
                b.method = method_name(&f.name, &prefix);
                if let Some(fc) = config.function(&f.name) {
                    apply_max(&mut b, &fc.max, config, diags);
                    apply_handle_method(&mut b, fc.handle_method.as_deref(), config, diags);
                }
                functions.push(b);
            }
            Outcome::Skipped(reason) => {
                let deliberate = specs.skip.is_some();
                skipped.push(Skipped {
                    name: f.name.clone(),
                    loc: f.loc.clone(),
                    reason,
                    deliberate,
                })
            }
            Outcome::Failed => {}
        }
    }
    (functions, skipped)
}

/// `inout, len_of(p)` starts the scalar as the length of `p`, so `p` must be a buffer the caller
/// passes; an output (zlib's `uLongf *destLen` as `dest`'s capacity) is an error naming both.
fn inout_len_sources_are_inputs(b: &crate::model::FnBinding, diags: &mut Vec<Diagnostic>) -> bool {
    let mut ok = true;
    for p in &b.params {
        let crate::model::Role::InOutScalar {
            init: crate::model::ScalarInit::LenOf(k),
            ..
        } = &p.role
        else {
            continue;
        };
        let source = &b.params[*k];
        if source.role.is_arg() && source.role.elem().is_some() {
            continue;
        }
        ok = false;
        diags.push(
            Diagnostic::at(&b.loc, format!(
                "`{}` of `{}` is `inout, len_of({})`, but `{}` is not an input buffer: the in/out value can only start as the length of a buffer the caller passes",
                p.name, b.name, source.name, source.name
            ))
            .help(format!(
                "a count that starts as an output's capacity and comes back as the filled length is `capacity(<output>)`: [functions.{}.params] {} = \"capacity({})\" (or \"capacity({}) = <expr>\" when the wrapper computes it)",
                b.name, p.name, source.name, source.name
            )),
        );
    }
    ok
}

/// Two bound functions whose method names coincide after `strip_prefix` are an error.
fn check_method_clashes(functions: &[crate::model::FnBinding], diags: &mut Vec<Diagnostic>) {
    let mut methods = std::collections::HashMap::new();
    for b in functions {
        if let Some(prev) = methods.insert(b.method.clone(), b.name.clone()) {
            diags.push(
                Diagnostic::at(
                    &b.loc,
                    format!(
                        "`{}` and `{prev}` both become method `{}` after strip_prefix",
                        b.name, b.method
                    ),
                )
                .help("change module.strip_prefix in the config"),
            );
        }
    }
}

/// `[functions.F] handle_method = "name"`: an identifier, on a function whose first parameter is
/// a handle.
fn apply_handle_method(
    b: &mut crate::model::FnBinding,
    name: Option<&str>,
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) {
    let Some(name) = name else { return };
    let loc = spec::config_loc(
        config,
        &format!("functions.{}", b.name),
        Some("handle_method"),
    );
    let first_is_handle = matches!(
        b.params.first().map(|p| &p.role),
        Some(crate::model::Role::Handle { .. } | crate::model::Role::Owned { .. })
    );
    if !first_is_handle {
        diags.push(
            Diagnostic::at(
                &loc,
                format!(
                    "config `functions.{}.handle_method`: the first parameter of `{}` is not a handle",
                    b.name, b.name
                ),
            )
            .help("handle methods exist only for functions whose first parameter is a handle: remove the entry"),
        );
    } else if crate::plan::names::handle_methods::HANDLE_MEMBERS.contains(&name) {
        diags.push(
            Diagnostic::at(
                &loc,
                format!(
                    "config `functions.{}.handle_method`: `{name}` is a member every handle class defines itself",
                    b.name
                ),
            )
            .help("choose another name"),
        );
    } else if !crate::ir::is_identifier(name) {
        diags.push(
            Diagnostic::at(
                &loc,
                format!(
                    "config `functions.{}.handle_method`: `{name}` is not an identifier",
                    b.name
                ),
            )
            .help("a method name: letters, digits and `_`, not starting with a digit"),
        );
    } else {
        b.handle_method = Some(name.to_owned());
    }
}

/// Two functions that would become the same method of one handle class are an error
/// (`plan::names::handle_methods` states the naming rule).
fn check_handle_method_clashes(functions: &[crate::model::FnBinding], diags: &mut Vec<Diagnostic>) {
    for (later, earlier, method) in crate::plan::names::handle_methods::conflicts(functions) {
        let (b, prev) = (&functions[later], &functions[earlier]);
        let handle = match &b.params[0].role {
            crate::model::Role::Handle { struct_name, .. } => struct_name.as_str(),
            crate::model::Role::Owned { ty, .. } => ty.name.as_str(),
            _ => "",
        };
        diags.push(
            Diagnostic::at(
                &b.loc,
                format!(
                    "`{}` and `{}` both become method `{method}` of the `{handle}` handle class (handle methods drop the words the function name shares with the struct name)",
                    b.name, prev.name
                ),
            )
            .help(format!(
                "name one of them in the config: `[functions.{}] handle_method = \"...\"`",
                b.name
            )),
        );
    }
}

/// The arena exports: `module.alloc` / `module.reset`, else the defaults.
fn arena(config: &Config) -> Arena {
    Arena {
        alloc: config
            .module
            .alloc
            .clone()
            .unwrap_or_else(|| Arena::default().alloc),
        reset: config
            .module
            .reset
            .clone()
            .unwrap_or_else(|| Arena::default().reset),
    }
}

/// The bound structs that a bound function takes by value or as an output struct, or a global
/// holds, in declaration order.
fn used_structs(
    header: &Header,
    functions: &[crate::model::FnBinding],
    globals: &[crate::model::GlobalBinding],
    states: &std::collections::HashMap<String, structs::StructState>,
) -> Vec<crate::model::StructBinding> {
    let used = |name: &str| {
        functions.iter().flat_map(|f| &f.params).any(|p| matches!(&p.role, crate::model::Role::StructIn { struct_name } | crate::model::Role::OutStruct { struct_name, .. } if struct_name == name))
            || globals.iter().any(|g| matches!(&g.value, crate::model::GlobalValue::Struct(s) if s == name))
    };
    header
        .structs
        .iter()
        .filter(|s| used(&s.name))
        .filter_map(|s| match states.get(&s.name) {
            Some(structs::StructState::Bound(b)) => Some(b.clone()),
            _ => None,
        })
        .collect()
}

/// Config entries for functions or parameters the headers do not declare.
fn check_config_names(header: &Header, config: &Config, diags: &mut Vec<Diagnostic>) {
    let names: Vec<&str> = header.functions.iter().map(|f| f.name.as_str()).collect();
    for (fname, fc) in &config.functions {
        let Some(f) = header.functions.iter().find(|f| &f.name == fname) else {
            let hint = did_you_mean(fname, &names)
                .map(|s| format!("did you mean `{s}`?"))
                .unwrap_or_else(|| {
                    "check the spelling; `gen --explain` lists every function".to_string()
                });
            diags.push(
                Diagnostic::at(
                    &spec::config_loc(config, &format!("functions.{fname}"), None),
                    format!(
                        "config `functions.{fname}`: no function `{fname}` in the bound headers"
                    ),
                )
                .help(hint),
            );
            continue;
        };
        let params: Vec<&str> = f.params.iter().map(|p| p.name.as_str()).collect();
        for (table, pname) in fc
            .params
            .keys()
            .map(|k| ("params", k))
            .chain(fc.max.keys().map(|k| ("max", k)))
        {
            if !params.contains(&pname.as_str()) {
                let hint = did_you_mean(pname, &params)
                    .map(|s| format!("did you mean `{s}`? "))
                    .unwrap_or_default();
                diags.push(
                    Diagnostic::at(
                        &spec::config_loc(config, &format!("functions.{fname}.{table}"), Some(pname)),
                        format!("config `functions.{fname}.{table}.{pname}`: `{fname}` has no parameter `{pname}`"),
                    )
                    .help(format!("{hint}parameters of `{fname}`: {}", params.join(", "))),
                );
            }
        }
    }
}

/// `[functions.F.max] p = N`: the bound of integer parameter `p` (a size or a scalar). N must lie in
/// the parameter's C type; any other role is an error naming the role.
fn apply_max(
    b: &mut crate::model::FnBinding,
    max: &std::collections::BTreeMap<String, u64>,
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) {
    use crate::model::Role;
    for (pname, &n) in max {
        let Some(p) = b.params.iter_mut().find(|p| &p.name == pname) else {
            continue;
        }; // reported by check_config_names
        let key = format!("functions.{}.max.{pname}", b.name);
        let at = spec::config_loc(config, &format!("functions.{}.max", b.name), Some(pname));
        let prim = match &p.role {
            Role::Scalar { prim } | Role::Len { prim, .. } | Role::InOutScalar { prim, .. } => {
                *prim
            }
            other => {
                diags.push(
                    Diagnostic::at(
                        &at,
                        format!(
                            "config `{key}`: `{pname}` is {}, not an integer argument or size",
                            other.label()
                        ),
                    )
                    .help("a max applies to an integer parameter: a size (len_of) or a scalar"),
                );
                continue;
            }
        };
        let top = prim.max_value().unwrap_or_default();
        if u128::from(n) > top {
            diags.push(
                Diagnostic::at(&at, format!("config `{key}`: {n} does not fit `{}` (at most {top}), the type of `{pname}`", p.c_type))
                    .help(format!("use a bound of at most {top}")),
            );
            continue;
        }
        p.max = Some(n);
    }
}

/// The closest name within a small edit distance, if any.
pub(crate) fn did_you_mean<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let limit = (name.len() / 3).max(2);
    candidates
        .iter()
        .map(|c| (edit_distance(name, c), *c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for j in 0..b.len() {
            let cur = row[j + 1];
            row[j + 1] = if ca == b[j] {
                prev
            } else {
                1 + prev.min(row[j]).min(row[j + 1])
            };
            prev = cur;
        }
    }
    row[b.len()]
}

/// The method name: the C name minus `prefix` when what is left is a usable name.
fn method_name(name: &str, prefix: &str) -> String {
    match name.strip_prefix(prefix) {
        Some(rest)
            if !prefix.is_empty()
                && rest.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') =>
        {
            rest.to_string()
        }
        _ => name.to_string(),
    }
}

/// The header's file stem as an identifier (`monocypher-ed25519.h` -> `monocypher_ed25519`).
pub(crate) fn stem_of(path: &Path) -> String {
    let raw = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut stem: String = raw
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if stem.is_empty() || stem.starts_with(|c: char| c.is_ascii_digit()) {
        stem.insert(0, '_');
    }
    stem
}

/// `monocypher_ed25519` -> `MonocypherEd25519`.
pub(crate) fn camel_case(stem: &str) -> String {
    let s: String = stem
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
        format!("Module{s}")
    } else {
        s
    }
}

/// The named enums of the bound headers (anonymous ones only declare constants).
fn enums(header: &Header) -> Vec<EnumBinding> {
    header
        .enums
        .iter()
        .filter(|e| !e.name.is_empty() && crate::ir::is_identifier(&e.name))
        .map(|e| EnumBinding {
            name: e.name.clone(),
            repr: e.repr,
            variants: e
                .variants
                .iter()
                .filter(|(n, _)| crate::ir::is_identifier(n))
                .cloned()
                .collect(),
            doc: e.doc.clone(),
        })
        .filter(|e| !e.variants.is_empty())
        .collect()
}

/// `#define`s and enum values, in declaration order across the bound headers.
fn constants(header: &Header) -> Vec<ConstBinding> {
    let mut files: Vec<&Path> = vec![header.path.as_path()];
    let mut all = Vec::new();
    // A name no host language can spell (`A$B`: clang accepts `$`) is left out.
    for c in header
        .constants
        .iter()
        .filter(|c| crate::ir::is_identifier(&c.name))
    {
        all.push((
            c.loc.clone(),
            ConstBinding {
                name: c.name.clone(),
                value: c.value,
                ty: c.ty,
                sizes_arrays: header.array_lengths.contains(&c.name),
                doc: c.doc.clone(),
            },
        ));
    }
    for e in &header.enums {
        for (name, value) in e
            .variants
            .iter()
            .filter(|(n, _)| crate::ir::is_identifier(n))
        {
            all.push((
                e.loc.clone(),
                ConstBinding {
                    name: name.clone(),
                    value: *value,
                    ty: e.repr,
                    sizes_arrays: header.array_lengths.contains(name),
                    doc: None,
                },
            ));
        }
    }
    for f in header
        .functions
        .iter()
        .map(|f| &f.loc)
        .chain(all.iter().map(|(l, _)| l))
    {
        if !files.contains(&f.file.as_path()) {
            files.push(f.file.as_path());
        }
    }
    let rank = |p: &Path| files.iter().position(|f| *f == p).unwrap_or(usize::MAX);
    let mut keyed: Vec<(usize, u32, u32, usize, ConstBinding)> = all
        .iter()
        .enumerate()
        .map(|(i, (l, c))| (rank(&l.file), l.line, l.col, i, c.clone()))
        .collect();
    keyed.sort_by_key(|k| (k.0, k.1, k.2, k.3));
    keyed.into_iter().map(|k| k.4).collect()
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_callbacks;
#[cfg(test)]
mod tests_filled;
#[cfg(test)]
mod tests_fuzz;
#[cfg(test)]
mod tests_hostile;
#[cfg(test)]
mod tests_idioms;
#[cfg(test)]
mod tests_max;
#[cfg(test)]
mod tests_outs;
#[cfg(test)]
mod tests_owned;
#[cfg(test)]
mod tests_surface;
